"""`jxcheck recheck OLD_DIR NEW... --out DIR`: what a unit corrected since the last review."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from checker.core.config import load_config

HELP = "整改复查：对照上次的批量检查结果，检查重新报送的材料哪些问题已整改"


def add_arguments(p) -> None:
    p.add_argument("old", metavar="上次结果文件夹", help="上次 jxcheck batch 的输出文件夹（含 documents.jsonl）")
    p.add_argument("paths", nargs="+", metavar="PATH", help="重新报送的文件、文件夹或 .zip 压缩包")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹：整改情况.xlsx、整改复核意见/、recheck.json，以及复查结果/（本次的完整检查结果）")
    p.add_argument("--config", metavar="FILE", help="配置文件（jxcheck.toml 格式）")
    p.add_argument("--baseline", metavar="FILE", help="忽略清单（复核人员认定不成立的问题）")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="并行进程数（默认等于本机 CPU 核数）")
    p.add_argument("--quiet", action="store_true", help="不显示进度")


def run(args) -> int:
    from checker.runner.batch import run_batch
    from checker.judging.recheck import STATUSES, recheck, unit_summary
    from checker.publishing.batchdata import load_batch
    from checker.publishing.json_report import envelope
    from checker.publishing.notices import safe_file_name
    from checker.publishing.rectification import recheck_xlsx, render_unit_opinion
    from checker.core.atomic import write_atomic

    old_dir = Path(args.old)
    if not (old_dir / "documents.jsonl").is_file():
        print(f"错误（usage）：{args.old} 不是 jxcheck batch 的输出文件夹（缺少 documents.jsonl）", file=sys.stderr)
        return 2
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"错误（not_found）：找不到 {'、'.join(missing)}", file=sys.stderr)
        return 2
    config = load_config(args.config, baseline=args.baseline)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        stats = run_batch(args.paths, out / "复查结果", config, jobs=args.jobs, progress=not args.quiet, previous=None)
    except OSError as exc:
        print(f"错误（output）：无法写入输出文件夹 {args.out}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    old = load_batch(old_dir).documents
    new = load_batch(out / "复查结果").documents
    results = recheck(old, new)
    write_atomic(out / "整改情况.xlsx", recheck_xlsx(results))
    opinions = out / "整改复核意见"
    opinions.mkdir(parents=True, exist_ok=True)
    for unit in dict.fromkeys(r.unit for r in results):
        (opinions / f"{safe_file_name(unit)}_整改复核意见.docx").write_bytes(render_unit_opinion(unit, results))
    data = envelope([r.to_dict() for r in results], units=unit_summary(results))
    (out / "recheck.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.quiet:
        total = {s: sum(u[s] for u in data["units"]) for s in STATUSES}
        print(
            f"整改复查完成：上次问题 {sum(v for k, v in total.items() if k != '新增')} 处，已整改 {total['已整改']}，部分整改 {total['部分整改']}，"
            f"未整改 {total['未整改']}，无法判断 {total['无法判断']}；新增问题 {total['新增']}。结果在 {args.out}",
            file=sys.stderr,
        )
    return 3 if stats.errors else 0
