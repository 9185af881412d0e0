"""`jxcheck report DIR --out FILE.docx`: draft the 抽查复核报告 from a batch output folder."""

from __future__ import annotations

import sys

HELP = "根据批量结果起草抽查复核报告（.docx）"
DEFAULT_NAME = "抽查复核报告.docx"


def add_arguments(p) -> None:
    p.add_argument("dir", metavar="DIR", help="jxcheck batch 的输出文件夹")
    p.add_argument("--out", metavar="FILE.docx", help="报告文件，或保存报告的文件夹（默认：批量结果文件夹中的 抽查复核报告.docx）")


def run(args) -> int:
    from pathlib import Path

    from checker.publishing.batchdata import load_batch
    from checker.publishing.review_report import render_report

    batch = load_batch(args.dir)
    out = Path(args.out) if args.out else Path(args.dir)
    if out.is_dir() or not out.suffix or str(args.out or "").endswith(("/", "\\")):
        out = out / DEFAULT_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(render_report(batch))
    print(f"已生成抽查复核报告：{out}（{len(batch.units())} 个单位，{len(batch.readable)} 份材料）", file=sys.stderr)
    return 0
