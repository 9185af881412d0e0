"""`jxcheck notices DIR --out FOLDER`: draft one 整改通知 per unit from a batch output folder."""

from __future__ import annotations

import sys

HELP = "根据批量结果为每个单位起草整改通知（.docx）"


def add_arguments(p) -> None:
    p.add_argument("dir", metavar="DIR", help="jxcheck batch 的输出文件夹")
    p.add_argument("--out", required=True, metavar="FOLDER", help="整改通知输出文件夹")


def run(args) -> int:
    from checker.report.batchdata import load_batch
    from checker.report.notices import write_notices

    batch = load_batch(args.dir)
    paths = write_notices(batch, args.out)
    print(f"已生成 {len(paths)} 份整改通知，保存在 {args.out}", file=sys.stderr)
    return 0
