"""`jxcheck check PATH...`: check files, folders and .zip archives; print text, JSON or SARIF."""

from __future__ import annotations

import sys
from checker.api import SCHEMA_VERSION, Result
from checker.config import Config, load_config
from checker.finding import SEVERITY_RANK
from checker.inputs import InputFile, iter_inputs

HELP = "检查文件、文件夹或 .zip 压缩包"


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="文件、文件夹或 .zip 压缩包")
    p.add_argument("--format", choices=["text", "json", "sarif"], default=None, help="输出格式（终端默认 text，否则 json）")
    p.add_argument("--out", metavar="FILE", help="写入文件而不是标准输出")
    p.add_argument("--config", metavar="FILE", help="配置文件（jxcheck.toml 格式）")
    p.add_argument("--baseline", metavar="FILE", help="忽略清单（复核人员认定不成立的问题），默认读取当前目录的 jxcheck-baseline.toml")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="并行进程数")
    p.add_argument("--fail-on", choices=["error", "warning", "info"], default="error", help="达到该级别的问题时退出码为 1")


def check_paths(paths: list[str], config: Config, jobs: int = 1) -> list[Result]:
    """Check every input under `paths`; results in input order.

    Inputs are named, not read ahead; each document is read and checked in a bounded worker
    (checker.isolate), so `check` has the same memory and time limits as `batch`."""
    from checker.isolate import Job, Supervisor

    results: dict[int, list[Result]] = {}

    def jobs_of(items):
        for n, item in enumerate(items):
            if item.error is not None:
                results[n] = [Result(path=item.path, sha256="", status="error", error=item.error)]
                continue
            yield Job(n, item.path, item.source)

    # no warm-up: a worker loads what its documents need, as checking in this process would
    with Supervisor(config, max(1, jobs), mode="result", warm_up=False) as sup:
        for job, found in sup.run(jobs_of(iter_inputs(paths, config=config))):
            results[job.key] = found  # a workbook with several forms: one each
    return [r for k in sorted(results) for r in results[k]]


def exit_status(results: list[Result], fail_on: str) -> int:
    if any(r.status == "error" for r in results):
        return 3
    floor = SEVERITY_RANK[fail_on]
    if any(r.max_severity() >= floor for r in results):
        return 1
    return 0


def render(results: list[Result], fmt: str) -> str:
    if fmt == "json":
        import json

        return json.dumps({"version": SCHEMA_VERSION, "documents": [r.to_dict() for r in results]}, ensure_ascii=False, indent=2)
    if fmt == "sarif":
        from checker.report.sarif import render as sarif

        return sarif(results)
    from checker.report.text import render as text

    return text(results)


def run(args) -> int:
    config = load_config(args.config, baseline=args.baseline)
    results = check_paths(args.paths, config, max(1, args.jobs))
    from checker.crossdoc import apply_results

    apply_results(results, config)  # copies across the files given (AC90), targets against last year (IN60/IN61)
    fmt = args.format or ("text" if sys.stdout.isatty() and not args.out else "json")
    out = render(results, fmt)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(out + "\n")
    else:
        sys.stdout.write(out + "\n")
    return exit_status(results, args.fail_on)
