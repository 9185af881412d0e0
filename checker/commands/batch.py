"""`jxcheck batch PATH... --out DIR`: score a whole archive; see checker/runner/batch.py."""

from __future__ import annotations

import sys

from checker.core.config import load_config
from checker.core.errors import ReadError

HELP = "批量评分整个档案，输出汇总表"


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="文件、文件夹或 .zip 压缩包")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹（documents.jsonl、documents.csv、findings.jsonl、units.xlsx、summary.xlsx）")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="并行进程数（默认等于本机 CPU 核数）")
    p.add_argument("--resume", action="store_true", help="接着上次中断的批量检查继续：跳过输出文件夹中已有结果的文件（按内容哈希）")
    p.add_argument("--config", metavar="FILE", help="配置文件（jxcheck.toml 格式）")
    p.add_argument("--baseline", metavar="FILE", help="忽略清单（复核人员认定不成立的问题），默认读取当前目录的 jxcheck-baseline.toml")
    p.add_argument("--fail-on", choices=["error", "warning", "info"], default="error", help="达到该级别的问题时退出码为 1")
    p.add_argument("--previous", action="append", metavar="DIR", help="往年（或上次）的批量检查结果文件夹，用于跨年度比对：指标值不高于上年实际、目标和指标照搬上年（可重复）")
    p.add_argument("--scheduler", metavar="ADDRESS", help="在已有的 Dask 集群上检查（调度器地址，如 tcp://10.0.0.5:8786 或 dask://10.0.0.5:8786；"
                   "需安装 jxcheck[cluster]）；不给时在本机多进程检查")
    p.add_argument("--shared-storage", action="store_true", help="与 --scheduler 一起用：工作节点与本机共享存储，按路径自行读取文件，"
                   "不经网络传送文件内容（各节点上的路径须与本机相同）")
    p.add_argument("--quiet", action="store_true", help="不显示进度")


def run(args) -> int:
    from checker.runner.batch import run_batch
    from checker.runner.dask_pool import ClusterError

    from checker.commands.check import missing_paths, report_missing

    missing = missing_paths(args.paths)
    if missing:  # fail at once: a batch over a mistyped folder must not write empty summaries
        return report_missing(missing)
    config = load_config(args.config, baseline=args.baseline)
    if args.jobs is not None and args.jobs < 1:
        print("错误（usage）：--jobs 必须是正整数", file=sys.stderr)
        return 2
    if args.scheduler and args.jobs is not None:
        print("错误（usage）：--jobs 只用于本机检查；使用 --scheduler 时，并行数由 Dask 集群的工作线程数决定", file=sys.stderr)
        return 2
    if args.shared_storage and not args.scheduler:
        print("错误（usage）：--shared-storage 需与 --scheduler 一起使用", file=sys.stderr)
        return 2
    try:
        stats = run_batch(args.paths, args.out, config, jobs=args.jobs, resume=args.resume, fail_on=args.fail_on, progress=not args.quiet,
                          previous=args.previous, scheduler=args.scheduler, shared_storage=args.shared_storage)  # fmt: skip
    except ReadError as exc:  # --previous names no batch result
        print(f"错误（{exc.code}）：{exc.message}", file=sys.stderr)
        return 2
    except ClusterError as exc:  # the Dask cluster: not installed, unreachable, workers unfit or gone
        print(f"错误（{exc.code}）：{exc.message}", file=sys.stderr)
        return 2
    except OSError as exc:  # the output folder, not an input: inputs never stop a batch
        print(f"错误（output）：无法写入输出文件夹 {args.out}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        skipped = f"，跳过已有结果 {stats.skipped} 个" if stats.skipped else ""
        bad = f"，其中 {stats.errors} 个无法读取（原因见 documents.csv 的“无法读取原因”列）" if stats.errors else ""
        print(
            f"完成：本次检查 {stats.checked} 个文件{skipped}，输出文件夹共 {stats.total} 个文档结果{bad}，用时 {stats.seconds:.1f} 秒。结果在 {args.out}",
            file=sys.stderr,
        )
    return stats.exit_code
