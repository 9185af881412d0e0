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
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait as mp_wait
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


# ---- what a job names ---------------------------------------------------------------


# ---- worker side --------------------------------------------------------------------

_config: Config | None = None


def _quiet_process() -> None:
    try:
        import faulthandler

        faulthandler.disable()  # a native crash here is reported as resource_limit, not a dump
    except Exception:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle


def _handshake(fd: int) -> tuple[Any, Any, int, bool] | None:
    """Start of a fresh worker or zygote: die with the parent, then read (config, parent pid, warm-up)
    from the socket; None when the parent is already gone."""
    import socket
    from multiprocessing.connection import Connection

    die_with_parent()
    _quiet_process()
    conn = Connection(socket.socket(fileno=fd).detach())
    try:
        config, parent_pid, warm_up = conn.recv()
    except (EOFError, OSError):
        return None
    return conn, config, parent_pid, warm_up


def worker_main(fd: int) -> None:
    """Entry of a worker process (`python -m checker.runner.worker FD`): settings arrive first on the
    socket, then one (key, path, source, mode) per document; None ends it."""
    started = _handshake(fd)
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
    global _config
    from checker.reading.ocr import page_progress

    watch_parent(parent_pid)
    _config = config
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


# ---- the zygote: workers forked from one warmed process -----------------------------------
#
# On Linux a worker is forked from a "zygote" that has imported the checker and loaded the rules
# once: a fresh worker (the first ones, or the one replacing a worker killed at its memory or
# time limit) is ready in milliseconds instead of paying a new interpreter and its imports. The
# zygote itself is forked from the parent when that is safe (one thread, a small process: the
# command line), so a single `check` starts one interpreter, not two; otherwise (the web app,
# with its threads) it is started fresh. It never reads a document; the workers it forks do,
# each under its own memory ceiling, and die with it as it dies with the parent.


def _zygote_loop(conn, config: Config, warm_up: bool, parent_pid: int) -> None:
    """Fork a worker for each request ("spawn" plus the worker's socket), answering its pid;
    None or EOF ends it, after its workers have ended (reaped, so their CPU time is counted)."""
    import gc
    from multiprocessing.connection import Connection
    from multiprocessing.reduction import recv_handle

    from checker.runner.process import tune_process, warm

    tune_process()
    if warm_up:
        warm(config)
    gc.collect()
    gc.freeze()  # what the workers inherit stays shared: the collector never touches those pages
    children: set[int] = set()

    def reap(block_s: float = 0.0) -> None:
        deadline = time.monotonic() + block_s
        while children:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                children.clear()
                return
            if pid:
                children.discard(pid)
                continue
            if time.monotonic() >= deadline:
                return
            time.sleep(0.02)

    while True:
        reap()
        if os.getppid() != parent_pid:
            break
        try:
            if not conn.poll(1.0):
                continue
            msg = conn.recv()
        except (EOFError, OSError):
            break
        if msg != "spawn":
            break
        try:
            fd = recv_handle(conn)
        except (EOFError, OSError):
            break
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                conn.close()  # the zygote's link to the parent is not the worker's
                die_with_parent()
                serve(Connection(fd), config, os.getppid())
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(fd)
        children.add(pid)
        try:
            conn.send(pid)
        except OSError:
            break
    reap(5.0)  # the parent has told its workers to stop; give them a moment, then end them
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    reap(5.0)


def zygote_main(fd: int) -> None:
    """Entry of a zygote started fresh (`python -m checker.runner.worker --zygote FD`)."""
    started = _handshake(fd)
    if started is None:
        return
    conn, config, parent_pid, warm_up = started
    if os.getppid() != parent_pid:
        return
    _zygote_loop(conn, config, warm_up, parent_pid)


def can_fork_here(memory_mb: float) -> bool:
    """Fork the zygote from this process: Linux, one thread (Python's or a native library's), and
    small enough that the workers' memory ceiling leaves them room (a big parent's address space
    would count against it)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    try:
        if len(os.listdir("/proc/self/task")) != 1:  # a native library's threads (a thread pool) count too
            return False
        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return False
    return size < min(memory_mb * 1024 * 1024 / 4, 768 * 1024 * 1024)


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


# ---- parent side --------------------------------------------------------------------


@dataclass
class Job:
    key: Any
    path: str
    source: Source
    sha256: str = ""
    attempts: int = 0


class _Worker:
    """One worker as the parent sees it: its socket, its process (`proc.pid`, `proc.kill()`),
    the job it holds and that job's deadline."""

    def __init__(self, conn, proc, ready: bool):
        self.conn = conn
        self.proc = proc
        self.job: Job | None = None
        self.deadline = 0.0
        self.ready = ready

    @classmethod
    def fresh(cls, config: Config, warm_up: bool) -> _Worker:
        """A worker started fresh (exec, not fork): where there is no zygote (not Linux)."""
        import socket
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        try:
            proc = _start_python("checker.runner.worker", [str(theirs.fileno())], theirs.fileno())
        finally:
            theirs.close()
        conn = Connection(ours.detach())
        conn.send((config, os.getpid(), warm_up))
        return cls(conn, proc, ready=False)

    def stop(self, wait_s: float) -> None:
        """After it was told to finish (None): give it `wait_s` to go, then kill it."""
        if not self.proc.wait_gone(self.conn, wait_s):
            self.kill()
        else:
            self.proc.release()
            self.conn.close()

    def kill(self) -> None:
        try:
            self.proc.kill()
        except Exception:
            pass
        try:
            self.proc.wait_gone(self.conn, 5)
        except Exception:
            pass
        self.proc.release()
        try:
            self.conn.close()
        except Exception:
            pass


def _start_python(module: str, args: list[str], fd: int):
    """`python -m module args…` passing fd, with this checkout's checker importable."""
    import subprocess

    import checker

    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.abspath(checker.__file__)))
    env["PYTHONPATH"] = os.pathsep.join([root, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    proc = subprocess.Popen([sys.executable, "-m", module, *args], pass_fds=[fd], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return _Popen(proc)


class _Popen:
    """A child started by exec (a worker or a zygote)."""

    def __init__(self, proc):
        self.popen = proc
        self.pid = proc.pid

    def kill(self) -> None:
        self.popen.kill()

    def poll(self):
        return self.popen.poll()

    def wait_gone(self, conn, wait_s: float) -> bool:
        import subprocess

        try:
            self.popen.wait(wait_s)
            return True
        except subprocess.TimeoutExpired:
            return False

    def release(self) -> None:
        pass


class _Forked:
    """A worker forked by the zygote: not our child, so it is signalled through a pidfd (no
    mistaking a reused pid) and known to be gone when its socket closes."""

    def __init__(self, pid: int):
        self.pid = pid
        self.pidfd: int | None = None
        try:
            self.pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            pass

    def kill(self) -> None:
        if self.pidfd is not None:
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        else:
            os.kill(self.pid, signal.SIGKILL)

    def poll(self):
        return None  # its death shows as end-of-file on its socket

    def wait_gone(self, conn, wait_s: float) -> bool:
        """True once its socket is at end-of-file (it exited), within wait_s."""
        deadline = time.monotonic() + wait_s
        while True:
            left = deadline - time.monotonic()
            try:
                if not conn.poll(max(0.0, left)):
                    return False
                conn.recv()  # a late answer: drop it and keep waiting for the end
            except (EOFError, OSError):
                return True
            if left <= 0:
                return False

    def release(self) -> None:
        if self.pidfd is not None:
            try:
                os.close(self.pidfd)
            except OSError:
                pass
            self.pidfd = None


class ZygoteDown(RuntimeError):
    """The zygote did not answer or died: the supervisor starts another or falls back to exec."""


class _Zygote:
    """The process workers are forked from (see _zygote_loop)."""

    START_S = 120.0  # its warm-up (imports, rules) and each fork must finish within this

    def __init__(self, config: Config, warm_up: bool):
        import socket
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        self.forked_pid: int | None = None
        self.proc = None
        parent = os.getpid()
        if can_fork_here(limits_of(config).memory_mb):
            pid = os.fork()
            if pid == 0:  # the zygote
                code = 0
                try:
                    ours.close()
                    _to_devnull()
                    die_with_parent()
                    _quiet_process()
                    if os.getppid() == parent:
                        _zygote_loop(Connection(theirs.detach()), config, warm_up, parent)
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            theirs.close()
            self.forked_pid = pid
        else:
            try:
                self.proc = _start_python("checker.runner.worker", ["--zygote", str(theirs.fileno())], theirs.fileno())
            finally:
                theirs.close()
        self.conn = Connection(ours.detach())
        if self.proc is not None:
            self.conn.send((config, parent, warm_up))

    @property
    def pid(self) -> int:
        return self.forked_pid if self.forked_pid is not None else self.proc.pid

    def spawn(self) -> _Worker:
        """A new worker, ready for its first document; ZygoteDown if the zygote fails."""
        import socket
        from multiprocessing.connection import Connection
        from multiprocessing.reduction import send_handle

        ours, theirs = socket.socketpair()
        try:
            try:
                self.conn.send("spawn")
                send_handle(self.conn, theirs.fileno(), self.pid)
            finally:
                theirs.close()
            conn = Connection(ours.detach())
            if not self.conn.poll(self.START_S):
                raise ZygoteDown("no answer")
            pid = self.conn.recv()
            proc = _Forked(pid)
            if not conn.poll(self.START_S):
                raise ZygoteDown("worker not ready")
            key, _pid = conn.recv()
            if key != "ready":
                raise ZygoteDown("unexpected message")
        except (EOFError, OSError) as exc:
            raise ZygoteDown(str(exc)) from exc
        return _Worker(conn, proc, ready=True)

    def close(self, wait_s: float = 12.0) -> None:
        """Tell it to end (it ends its workers) and wait for it; killed if it does not go."""
        try:
            self.conn.send(None)
        except Exception:
            pass
        if not self._wait(wait_s):
            self.kill()
        try:
            self.conn.close()
        except Exception:
            pass

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)  # our own child: its pid is ours until we reap it
        except OSError:
            pass
        self._wait(5.0)

    def _wait(self, wait_s: float) -> bool:
        if self.proc is not None:
            return self.proc.wait_gone(self.conn, wait_s)
        deadline = time.monotonic() + wait_s
        while True:
            try:
                pid, _status = os.waitpid(self.forked_pid, os.WNOHANG)
            except ChildProcessError:
                return True
            if pid:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)


def _to_devnull() -> None:
    """A forked zygote writes nothing to the parent's terminal or pipes (a caller reading the
    parent's output to its end would otherwise wait for the zygote too)."""
    fd = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(fd, target)
    if fd > 2:
        os.close(fd)


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
        self.idle: list[_Worker] = []
        self.lock = threading.Lock()  # the web app calls from several session threads
        self.restarts = 0
        self.forking = sys.platform.startswith("linux") and hasattr(os, "fork") and os.environ.get("JXCHECK_WORKERS") != "exec"
        self.zygote: _Zygote | None = None
        self.zygote_failures = 0

    def _spawn(self) -> _Worker:
        """A worker forked from the zygote (started on first need, again if it died), or one
        started fresh where there is no fork or the zygote keeps failing."""
        while self.forking:
            try:
                if self.zygote is None:
                    self.zygote = _Zygote(self.config, self.warm_up)
                return self.zygote.spawn()
            except ZygoteDown:
                if self.zygote is not None:
                    self.zygote.kill()
                    self.zygote = None
                self.zygote_failures += 1
                if self.zygote_failures >= 2:
                    self.forking = False
        return _Worker.fresh(self.config, self.warm_up)

    def prestart(self) -> None:
        """Start the zygote now: it warms up on its own while the caller gets on with other work."""
        if self.forking and self.zygote is None:
            try:
                self.zygote = _Zygote(self.config, self.warm_up)
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

    def check(self, path: str, source: Source, on_page=None) -> list:
        """One input's results, waiting for them (thread-safe); `on_page(done, total)` follows a scan's pages."""
        with self.lock:
            self.on_page = (lambda _job, done, total: on_page(done, total)) if on_page else None
            try:
                for _job, out in self.run([Job(0, path, source)]):
                    return out
            finally:
                self.on_page = None
        raise RuntimeError("no result")

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Any]]:
        todo = iter(jobs)
        queue: deque[Job] = deque()
        busy: list[_Worker] = []
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


_shared: Supervisor | None = None
_shared_key: str | None = None
_shared_lock = threading.Lock()


def check_isolated(data: bytes, name: str, config: Config, on_page=None) -> list:
    """Check one file's bytes in the shared bounded worker of this process (the web app):
    one Result per document in it. `on_page(done, total)` follows a scanned document's pages."""
    import json

    global _shared, _shared_key
    key = json.dumps(config.data, sort_keys=True, default=str)
    with _shared_lock:
        if _shared is None or _shared_key != key:
            if _shared is not None:
                _shared.close()
            _shared, _shared_key = Supervisor(config, 1, mode="result"), key
        sup = _shared
    return sup.check(name, Source("bytes", data=data), on_page)
