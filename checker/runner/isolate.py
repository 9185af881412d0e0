"""Check each document in a bounded worker process.

A worker has a ceiling on its address space (`[limits] memory_mb`), a wall-time limit per
document (`[limits] timeout_s`) and dies with its parent (no orphans after kill -9 of a
batch). A worker that dies (out of memory in a native library, a crash) gives the
document it held `resource_limit`; one past its time limit is killed and gives `timeout`.
Either way a fresh worker takes the next document, so one file never stops the rest.

`check`, `batch` and the web app all check documents this way, with the same limits.

Jobs name their input instead of carrying it where they can (a file path, or an archive
path and member names), so the parent never holds a document in memory: the worker reads
it, inside its own ceiling.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import wait as mp_wait
from typing import Any

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.limits import limits_of
from checker.runner.handles import Worker
from checker.runner.inputs import InputFile, Source
from checker.runner.zygote import Zygote, ZygoteDown

# The worker's side is checker/runner/child.py, the zygote workers are forked from
# checker/runner/zygote.py, the parent's handle on a worker checker/runner/handles.py.


def share_cores(config: Config, workers: int) -> Config:
    """The settings a pool's workers get: unless `[ocr] threads` is set, OCR threads are the
    cores shared out among the workers (one document alone gets them all, up to 4)."""
    if int(config.get("ocr", "threads", 0) or 0) > 0:
        return config
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    import copy

    shared = copy.copy(config)
    shared.data = {**config.data, "ocr": {**config.section("ocr"), "threads": max(1, min(4, cores // max(1, workers)))}}
    return shared


@dataclass
class Job:
    key: Any
    path: str
    source: Source
    sha256: str = ""
    attempts: int = 0
    error: ReadError | None = None  # known bad before any worker (not found, unsafe member): this is its result


def error_result(job: Job, err: ReadError, mode: str) -> list:
    from checker.api import Result

    r = Result(path=job.path, sha256=job.sha256, status="error", error=err)
    if mode == "line":
        from checker.runner.process import dumps

        return [dumps(r.to_dict())]
    return [r]


class Supervisor:
    """A few bounded workers; `run(jobs)` yields (job, results) as inputs finish: a list with
    one result per document (a workbook may hold several)."""

    def __init__(self, config: Config, workers: int = 1, mode: str = "result", warm_up: bool = True, on_page=None):
        self.n = max(1, workers)
        self.config = share_cores(config, self.n)
        self.on_page = on_page  # (job, pages done, pages in all) while a worker reads a scan
        self.limits = limits_of(config)
        self.mode = mode
        self.warm_up = warm_up
        self.idle: list[Worker] = []
        self.lock = threading.Lock()  # the web app calls from several session threads
        self.restarts = 0
        self.forking = sys.platform.startswith("linux") and hasattr(os, "fork") and os.environ.get("JXCHECK_WORKERS") != "exec"
        self.zygote: Zygote | None = None
        self.zygote_failures = 0

    def _spawn(self) -> Worker:
        """A worker forked from the zygote (started on first need, again if it died), or one
        started fresh where there is no fork or the zygote keeps failing."""
        while self.forking:
            try:
                if self.zygote is None:
                    self.zygote = Zygote(self.config, self.warm_up)
                return self.zygote.spawn()
            except ZygoteDown:
                if self.zygote is not None:
                    self.zygote.kill()
                    self.zygote = None
                self.zygote_failures += 1
                if self.zygote_failures >= 2:
                    self.forking = False
        return Worker.fresh(self.config, self.warm_up)

    def prestart(self) -> None:
        """Start the zygote now: it warms up on its own while the caller gets on with other work."""
        if self.forking and self.zygote is None:
            try:
                self.zygote = Zygote(self.config, self.warm_up)
            except Exception:  # the first worker's _spawn tries again (or starts one fresh)
                self.zygote = None

    def start(self) -> None:
        """Start the workers now."""
        while len(self.idle) < self.n:
            self.idle.append(self._spawn())

    def close(self) -> None:
        for w in self.idle:
            try:
                w.conn.send(None)
            except Exception:
                pass
        for w in self.idle:
            w.stop(2.0)
        self.idle = []
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Any]]:
        todo = iter(jobs)
        queue: deque[Job] = deque()
        busy: list[Worker] = []
        exhausted = False
        timeout = self.limits.timeout_s
        try:
            while True:
                while len(busy) < self.n:
                    if not queue:
                        if exhausted:
                            break
                        try:
                            queue.append(next(todo))
                        except StopIteration:
                            exhausted = True
                            break
                    job = queue.popleft()
                    if job.error is not None:
                        yield job, error_result(job, job.error, self.mode)
                        continue
                    w = self.idle.pop() if self.idle else self._spawn()
                    try:
                        w.conn.send((job.key, job.path, job.source, self.mode))
                    except (BrokenPipeError, OSError):
                        w.kill()
                        self.restarts += 1
                        queue.appendleft(job)
                        continue
                    # a fresh worker first warms up (rules, word lists, models): not the document's time
                    w.job, w.deadline = job, time.monotonic() + timeout + (0.0 if w.ready else 120.0)
                    busy.append(w)
                if not busy:
                    if exhausted and not queue:
                        return
                    continue
                now = time.monotonic()
                wait_for = max(0.0, min(w.deadline for w in busy) - now)
                ready = mp_wait([w.conn for w in busy], timeout=min(wait_for, 5.0))
                for w in list(busy):
                    job = w.job
                    assert job is not None
                    got, died = None, False
                    if w.conn in ready:
                        try:
                            key, got = w.conn.recv()
                            if key == "ready":  # warmed up: the document's clock starts now
                                w.ready, got = True, None
                                w.deadline = time.monotonic() + timeout
                                continue
                            if key == "page" and isinstance(got, tuple):  # a page of a scan read: progress (results are lists)
                                if self.on_page is not None:
                                    self.on_page(job, got[1], got[2])
                                continue
                        except (EOFError, OSError):
                            died = True
                    if got is not None:
                        busy.remove(w)
                        w.job = None
                        self.idle.append(w)
                        yield job, got
                    elif died or w.proc.poll() is not None:
                        busy.remove(w)
                        w.kill()
                        self.restarts += 1
                        if job.attempts == 0:
                            # once more in a fresh worker: a worker can die of something else
                            # (the system's out-of-memory killer picking it); a file that kills
                            # its worker twice is the cause
                            job.attempts += 1
                            queue.appendleft(job)
                            continue
                        yield job, error_result(job, ReadError("resource_limit"), self.mode)
                    elif time.monotonic() > w.deadline:
                        busy.remove(w)
                        w.kill()
                        self.restarts += 1
                        msg = f"检查该文件超过 {timeout:.0f} 秒的时间上限，已停止（文件可能过大或结构异常）。"
                        yield job, error_result(job, ReadError("timeout", msg), self.mode)
        finally:
            for w in busy:  # abandoned mid-run (an exception, or the caller stopped iterating)
                w.kill()


def run_inputs(pool, items: Iterable[InputFile], prepare: Callable[[int, InputFile], Job | None] | None = None) -> Iterator[tuple[Job, list]]:
    """The one input loop of `check`, `batch` and the app: (job, results) for each input as it
    finishes, a result per document in it (a workbook may hold several forms).

    An input already known bad (not found, an unsafe archive member, unreadable) gives its error
    result without a worker; the others are checked in `pool`'s bounded workers, where a read
    error, a crash or a timeout also becomes the input's result. So every input gives results and
    none stops the rest. `prepare(n, item)` makes the n-th input's Job (default: keyed by n), or
    None to leave it out (batch --resume: already done)."""

    def jobs() -> Iterator[Job]:
        for n, item in enumerate(items):
            job = prepare(n, item) if prepare else Job(n, item.path, item.source, error=item.error)
            if job is not None:
                yield job

    yield from pool.run(jobs())


_shared: Supervisor | None = None
_shared_key: str | None = None
_shared_lock = threading.Lock()


@contextmanager
def shared_pool(config: Config, on_page=None) -> Iterator[Supervisor]:
    """The web app's bounded worker (one per server process and settings), held by one caller at
    a time; `on_page(job, done, total)` follows a scanned document's pages meanwhile."""
    import json

    global _shared, _shared_key
    key = json.dumps(config.data, sort_keys=True, default=str)
    with _shared_lock:
        if _shared is None or _shared_key != key:
            if _shared is not None:
                _shared.close()
            _shared, _shared_key = Supervisor(config, 1, mode="result"), key
        sup = _shared
    with sup.lock:
        sup.on_page = on_page
        try:
            yield sup
        finally:
            sup.on_page = None
