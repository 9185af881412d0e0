"""`jxcheck units FILE`: the unit table (部门得分情况汇总) from per-document scores."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from checker.core.atomic import write_atomic
from checker.scoring.units import UnitsInputError, build_table, read_scores, render_csv, render_text, table_rows

HELP = "由各文档得分生成部门得分汇总表"


def add_arguments(p) -> None:
    p.add_argument("file", metavar="FILE", help="各文档得分的 CSV 或 XLSX（列：unit、doc_type、score）")
    p.add_argument("--format", choices=["text", "json", "csv", "xlsx"], default="text", help="输出格式（默认 text）")
    p.add_argument("--out", metavar="FILE", help="写入文件而不是标准输出（xlsx 必须指定）")


def _write_text(path: str, text: str) -> None:
    write_atomic(path, text.encode("utf-8-sig" if Path(path).suffix.lower() == ".csv" else "utf-8"))


def run(args) -> int:
    try:
        table = build_table(read_scores(args.file))
    except UnitsInputError as err:
        print(f"错误（{err.code}）：{err.message}", file=sys.stderr)
        return 3 if err.code in ("not_found", "empty_file", "corrupt_file", "unsupported_format") else 2
    if args.format == "xlsx":
        if not args.out:
            print("错误（usage）：--format xlsx 需要用 --out 指定输出文件", file=sys.stderr)
            return 2
        from checker.publishing.workbook import units_xlsx

        write_atomic(args.out, units_xlsx(table))
        return 0
    if args.format == "json":
        out = json.dumps(table_rows(table, numbers=True), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        out = render_csv(table)
    else:
        out = render_text(table) + "\n"
    if args.out:
        _write_text(args.out, out)
    else:
        sys.stdout.write(out)
    return 0
