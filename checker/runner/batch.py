"""`jxcheck batch`: score a whole archive in parallel, writing results as they come.

Main pass: every input goes through `checker.api.check_bytes` in a bounded worker
(`checker.runner.isolate`: memory ceiling, time limit per document, dies with the batch; a worker
that dies or times out gives its document `resource_limit` or `timeout` and a fresh one
takes over). The parent only names inputs and streams their hashes; each finished
document is appended as one complete JSON line to documents.jsonl and synced
to disk, so a killed batch loses at most the documents in flight and `--resume` picks
up from the content hashes already there. Final pass (after every document is in):
copy detection across documents, then documents.jsonl is rewritten sorted by path and
the derived files (documents.csv, findings.jsonl, units.xlsx, summary.xlsx) are built
from it, each via a temp file and os.replace.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.limits import limits_of
from checker.runner.batchlog import DOCUMENTS, Done, Log
from checker.runner.finalpass import finalize
from checker.runner.inputs import InputFile, iter_inputs
from checker.runner.isolate import Job, run_inputs
from checker.runner.process import dumps as _dumps
from checker.runner.progress import Progress, estimate_total

# documents.jsonl and resuming: checker/runner/batchlog.py; the progress bar: checker/runner/progress.py;
# the final pass (copy detection, derived files): checker/runner/finalpass.py.


# ---- the main pass --------------------------------------------------------------------


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class BatchStats:
    total: int = 0  # documents in DIR after the run
    checked: int = 0  # checked in this run
    skipped: int = 0  # already had a result (--resume)
    errors: int = 0  # documents with status error
    exit_code: int = 0
    seconds: float = 0.0


def run_batch(
    paths: list[str],
    out_dir: str | Path,
    config: Config,
    jobs: int | None = None,
    resume: bool = False,
    fail_on: str = "error",
    progress: bool = True,
    stream=None,
    previous: list[str | Path] | None = None,
    scheduler: str | None = None,
    shared_storage: bool = False,
) -> BatchStats:
    """Check every input under `paths` into `out_dir`; see the module docstring. `scheduler`:
    a Dask scheduler's address, to check the documents on that cluster (checker/runner/dask_pool.py)."""
    t0 = time.monotonic()
    jobs = max(1, jobs or default_jobs())
    sup = pool(config, jobs, scheduler, shared_storage)  # first: a cluster that cannot be used leaves DIR untouched
    if hasattr(sup, "prestart"):
        sup.prestart()  # the workers' warm-up runs while this process loads what the final pass needs
        _prepare_final(config)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    log_path = out / DOCUMENTS
    done = Done.load(log_path) if resume and log_path.exists() else Done()
    log = Log(log_path, fresh=not resume)
    stream = stream or sys.stderr
    bar = Progress(estimate_total(paths), stream=stream, enabled=progress)
    if hasattr(sup, "on_page"):  # the local pool forwards a scan's pages as its workers read them
        sup.on_page = lambda job, done, total: bar.page(job.path, done, total)
    stats = BatchStats()
    try:
        prepare = _preparer(done, log, log_path, bar, stats, config)
        for job, lines in run_inputs(sup, iter_inputs(paths, config=config), prepare):
            log.write(lines)  # a workbook holding several filled forms gives one line per form
            stats.checked += 1
            bar.scans.pop(job.path, None)  # a scan stopped early (timeout) leaves no page line behind
            bar.advance(1)
    finally:
        sup.close()
        log.close()
        bar.close()
    if progress:
        bar.note("正在进行跨文档雷同检测并生成汇总表…")
    stats.total, stats.errors, stats.exit_code = finalize(out, config, fail_on, previous=previous)
    stats.seconds = time.monotonic() - t0
    return stats


def _prepare_final(config: Config) -> None:
    """Load the final pass's rules and workbook writer now, while the workers start (an optimisation:
    finalize loads whatever is missing)."""
    try:
        from checker.publishing import workbook  # noqa: F401
        from checker.runner import crossdoc

        crossdoc.find([], config)
        import openpyxl  # noqa: F401  (the workbook writer imports it when it writes)
    except Exception:
        pass


def pool(config: Config, jobs: int, scheduler: str | None = None, shared_storage: bool = False):
    """Where the documents are checked: local bounded workers, or a Dask cluster."""
    if scheduler:
        from checker.runner.dask_pool import DaskPool

        return DaskPool(scheduler, config, shared_storage=shared_storage)
    from checker.runner.isolate import Supervisor

    return Supervisor(config, jobs, mode="line")


def _preparer(done: Done, log: Log, log_path: Path, bar: Progress, stats: BatchStats, config: Config | None = None):
    """`prepare(n, item)` for the input loop: the Job of an input still to check (an unreadable one
    carries its error), or None for one a previous run already has (--resume: skipped, or its
    result copied under this name). The content hash is streamed here (nothing held in memory);
    the worker reads the bytes."""
    lim = limits_of(config)

    def prepare(_n: int, item: InputFile) -> Job | None:
        sha = ""
        if item.error is None:
            try:
                sha = item.source.sha256(lim)
            except ReadError as err:
                item.error = err
        if item.error is not None:
            if ("", item.path) in done.paths:
                stats.skipped += 1
                bar.advance(0, skipped=1)
                return None
            done.paths.add(("", item.path))
            return Job(item.path, item.path, item.source, error=item.error)
        if (sha, item.path) in done.paths:
            stats.skipped += 1
            bar.advance(0, skipped=1)
            return None
        if sha in done.by_sha:
            # Same bytes already checked under another name (moved or duplicated file):
            # reuse that result under this path instead of checking again.
            base, spans = done.forms.get(sha, (None, [done.by_sha[sha]]))
            docs = []
            with open(log_path, "rb") as fh:
                for off, n in spans:
                    fh.seek(off)
                    docs.append(json.loads(fh.read(n)))
            for doc in docs:  # a workbook's forms keep their `#工作表名` under the new name
                doc["path"] = item.path + doc["path"][len(base):] if base is not None else item.path
            log.write([_dumps(doc) for doc in docs])
            done.paths.add((sha, item.path))
            stats.skipped += 1
            bar.advance(0, skipped=1)
            return None
        done.paths.add((sha, item.path))
        return Job(item.path, item.path, item.source, sha)

    return prepare
