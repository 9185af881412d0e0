"""The worker process's side of bounded checking (see checker.runner.isolate): start-up handshake,
memory ceiling, then one document per message, answered with its results."""

from __future__ import annotations

import os
import signal
from typing import Any

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.limits import limits_of
from checker.core.parentwatch import die_with_parent, watch_parent
from checker.runner.inputs import Source


def set_memory_limit(memory_mb: float) -> None:
    """Soft RLIMIT_AS: allocations past it fail (MemoryError in Python, NULL in C)."""
    try:
        import resource

        cap = int(memory_mb * 1024 * 1024)
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass


def quiet_process() -> None:
    try:
        import faulthandler

        faulthandler.disable()  # a native crash here is reported as resource_limit, not a dump
    except Exception:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle


def handshake(fd: int) -> tuple[Any, Any, int, bool] | None:
    """Start of a fresh worker or zygote: die with the parent, then read (config, parent pid, warm-up)
    from the socket; None when the parent is already gone."""
    import socket
    from multiprocessing.connection import Connection

    die_with_parent()
    quiet_process()
    conn = Connection(socket.socket(fileno=fd).detach())
    try:
        config, parent_pid, warm_up = conn.recv()
    except (EOFError, OSError):
        return None
    return conn, config, parent_pid, warm_up


def worker_main(fd: int) -> None:
    """Entry of a worker process (`python -m checker.runner.worker FD`): settings arrive first on the
    socket, then one (key, path, source, mode) per document; None ends it."""
    started = handshake(fd)
    if started is None:
        return
    conn, config, parent_pid, warm_up = started
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        return
    from checker.runner.process import tune_process, warm

    tune_process()
    if warm_up:
        warm(config)
    serve(conn, config, parent_pid)


def serve(conn, config: Config, parent_pid: int) -> None:
    """A worker's loop: memory ceiling on, then one document per message until None or EOF."""
    from checker.reading.ocr import page_progress

    watch_parent(parent_pid)
    set_memory_limit(limits_of(config).memory_mb)
    conn.send(("ready", os.getpid()))
    import gc

    done = 0
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        key, path, source, mode = msg
        with page_progress(_page_sender(conn, key)):
            out = run_one(path, source, config, mode)
        try:
            conn.send((key, out))
        except (BrokenPipeError, OSError):
            return
        del out
        done += 1
        if done % 50 == 0:  # a safety net for other reference cycles holding a document
            gc.collect()


def _page_sender(conn, key):
    """Forward a scanned document's page progress (pages done, pages in all) to the parent."""

    def send(done: int, total: int) -> None:
        try:
            conn.send(("page", (key, done, total)))
        except (BrokenPipeError, OSError):
            pass

    return send


def run_one(path: str, source: Source, config: Config, mode: str) -> list:
    """Check one input in this process: its Results (mode "result") or their JSON lines ("line");
    one per document, so a workbook holding several filled forms gives several."""
    from checker.api import Result, check_bytes_all, sha256_of

    lim = limits_of(config)
    data = b""
    try:
        data = source.load(lim)
        results = check_bytes_all(data, path, config)
    except ReadError as err:
        results = [Result(path=path, sha256=sha256_of(data) if data else "", status="error", error=err)]
    except MemoryError:
        results = [Result(path=path, sha256=sha256_of(data) if data else "", status="error", error=ReadError("resource_limit"))]
    except Exception as exc:  # check_bytes_all should never raise; keep the run going if it does
        err = ReadError("internal_error", f"检查时发生内部错误：{type(exc).__name__}: {exc}")
        results = [Result(path=path, sha256=sha256_of(data) if data else "", status="error", error=err)]
    for r in results:
        _drop_traceback(r.error)
    if mode == "line":
        from checker.runner.process import dumps

        return [dumps(r.to_dict()) for r in results]
    return results


def _drop_traceback(err: BaseException | None) -> None:
    """A kept error's traceback holds the reader's frames, and with them the document's bytes,
    in a reference cycle only the garbage collector frees: a worker checking one large file
    after another would grow by a file each time until it hit its memory ceiling."""
    seen = 0
    while err is not None and seen < 20:
        err.__traceback__ = None
        nxt = err.__cause__ or err.__context__
        err.__cause__ = err.__context__ = None
        err, seen = nxt, seen + 1
