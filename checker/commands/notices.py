"""`jxcheck notices DIR --out FOLDER`: draft one 整改通知 per unit from a batch output folder."""

from __future__ import annotations

import sys

HELP = "根据批量结果为每个单位起草整改通知（.docx）"


def add_arguments(p) -> None:
    p.add_argument("dir", metavar="DIR", help="jxcheck batch 的输出文件夹")
    p.add_argument("--out", metavar="FOLDER", help="整改通知输出文件夹（默认：批量结果文件夹中的 整改通知/）")


def run(args) -> int:
    from checker.publishing.batchdata import load_batch
    from checker.publishing.notices import write_notices

    from pathlib import Path

    batch = load_batch(args.dir)
    out = Path(args.out) if args.out else Path(args.dir) / "整改通知"
    if out.exists() and not out.is_dir():
        print(f"错误（usage）：--out 应为文件夹，而 {out} 是一个文件", file=sys.stderr)
        return 2
    paths = write_notices(batch, out)
    clean = len(batch.units()) - len(paths)
    note = f"；{clean} 个单位未发现需要整改的问题，未起草通知" if clean else ""
    print(f"已生成 {len(paths)} 份整改通知，保存在 {out}{note}", file=sys.stderr)
    return 0
