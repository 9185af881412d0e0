"""`jxcheck check PATH...`: check files, folders and .zip archives; print text, JSON or SARIF."""

from __future__ import annotations

import sys

from checker.api import Result
from checker.core.config import Config, load_config
from checker.core.finding import exit_code
from checker.publishing.formats import BINARY, FORMATS
from checker.runner.inputs import iter_inputs

HELP = "检查文件、文件夹或 .zip 压缩包"


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="文件、文件夹或 .zip 压缩包")
    p.add_argument("--format", choices=list(FORMATS), default=None,
                   help="输出格式：text 逐条详细说明，concise 每个问题一行，json，sarif，xlsx 问题清单工作簿（须用 --out 指定文件）（终端默认 text，否则 json）")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="按严重程度着色（默认 auto：终端上着色；设置 NO_COLOR 时不着色）")
    p.add_argument("--out", metavar="FILE", help="写入文件而不是标准输出")
    p.add_argument("--config", metavar="FILE", help="配置文件（jxcheck.toml 格式）")
    p.add_argument("--baseline", metavar="FILE", help="忽略清单（复核人员认定不成立的问题），默认读取当前目录的 jxcheck-baseline.toml")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="并行进程数")
    p.add_argument("--fail-on", choices=["error", "warning", "info"], default="error", help="达到该级别的问题时退出码为 1")


def check_paths(paths: list[str], config: Config, jobs: int = 1, progress=None) -> list[Result]:
    """Check every input under `paths`; results in input order. `progress(done, total, path)`
    is called after each document.

    Inputs are named, not read ahead; each document is read and checked in a bounded worker
    (checker.runner.isolate), so `check` has the same memory and time limits as `batch`."""
    from checker.runner.isolate import Supervisor, run_inputs

    results: dict[int, list[Result]] = {}
    items = list(iter_inputs(paths, config=config))  # names only: the total for the progress line
    # no warm-up: a worker loads what its documents need, as checking in this process would
    page = getattr(progress, "page", None)  # a scan's pages, as they are read
    on_page = (lambda job, d, n: page(d, n, job.path)) if page else None
    with Supervisor(config, max(1, jobs), mode="result", warm_up=False, on_page=on_page) as sup:
        for done, (job, found) in enumerate(run_inputs(sup, items), 1):
            results[job.key] = found  # a workbook with several forms: one each
            if progress:
                progress(done, len(items), job.path)
    return [r for k in sorted(results) for r in results[k]]


def missing_paths(paths: list[str]) -> list[str]:
    import os

    return [p for p in paths if not os.path.exists(p)]


def report_missing(paths: list[str]) -> int:
    """Print 找不到 for each missing input; exit status 2 (nothing is checked)."""
    for p in paths:
        print(f"错误（not_found）：找不到文件或文件夹：{p}", file=sys.stderr)
    print("请检查路径是否写对；路径含空格时请用引号括起来。", file=sys.stderr)
    return 2


class Progress:
    """正在检查 12/40：path on one terminal line (stderr), only for runs long enough to need it."""

    def __init__(self, stream=None, min_items: int = 5):
        self.stream = stream or sys.stderr
        self.on = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.min_items = min_items
        self.shown = False

    def __call__(self, done: int, total: int, path: str) -> None:
        if not self.on or total < self.min_items:
            return
        name = path if len(path) <= 40 else "…" + path[-39:]
        self.stream.write(f"\r\033[K正在检查 {done}/{total}：{name}")
        self.stream.flush()
        self.shown = True

    def page(self, done: int, total: int, path: str) -> None:
        """识别扫描件 第 i/n 页: shown even for one file, since a scan takes seconds a page."""
        if not self.on or done >= total:
            return
        name = path if len(path) <= 40 else "…" + path[-39:]
        self.stream.write(f"\r\033[K正在识别扫描件 {name}：第 {done + 1}/{total} 页")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def use_colour(choice: str, stream) -> bool:
    import os

    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def exit_status(results: list[Result], fail_on: str) -> int:
    errors = sum(r.status == "error" for r in results)
    return exit_code(errors, max((r.max_severity() for r in results), default=0), fail_on)


def render(results: list[Result], fmt: str, color: bool = False) -> str | bytes:
    return FORMATS[fmt](results, color)


def run(args) -> int:
    missing = missing_paths(args.paths)
    if missing:
        return report_missing(missing)
    if args.format in BINARY and not args.out:
        print(f"错误（usage）：--format {args.format} 需要用 --out 指定输出文件", file=sys.stderr)
        return 2
    config = load_config(args.config, baseline=args.baseline)
    progress = Progress()
    try:
        results = check_paths(args.paths, config, max(1, args.jobs), progress)
    finally:
        progress.close()
    from checker.runner.crossdoc import apply_results

    apply_results(results, config)  # copies across the files given (AC90), targets against last year (IN60/IN61)
    fmt = args.format or ("text" if sys.stdout.isatty() and not args.out else "json")
    colour = use_colour(args.color, sys.stdout) and not args.out
    out = render(results, fmt, colour)
    if isinstance(out, bytes):
        from checker.core.atomic import write_atomic

        write_atomic(args.out, out)
    elif args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(out + "\n")
    else:
        sys.stdout.write(out + "\n")
    return exit_status(results, args.fail_on)
