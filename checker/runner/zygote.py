"""The zygote: workers forked from one warmed process.

On Linux a worker is forked from a "zygote" that has imported the checker and loaded the rules
once: a fresh worker (the first ones, or the one replacing a worker killed at its memory or
time limit) is ready in milliseconds instead of paying a new interpreter and its imports. The
zygote itself is forked from the parent when that is safe (one thread, a small process: the
command line), so a single `check` starts one interpreter, not two; otherwise (the web app,
with its threads) it is started fresh. It never reads a document; the workers it forks do,
each under its own memory ceiling, and die with it as it dies with the parent.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

from checker.core.config import Config
from checker.core.limits import limits_of
from checker.core.parentwatch import die_with_parent
from checker.runner.child import handshake, quiet_process, serve
from checker.runner.handles import ForkedChild, Worker, start_python


def zygote_loop(conn, config: Config, warm_up: bool, parent_pid: int) -> None:
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
    started = handshake(fd)
    if started is None:
        return
    conn, config, parent_pid, warm_up = started
    if os.getppid() != parent_pid:
        return
    zygote_loop(conn, config, warm_up, parent_pid)


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


class ZygoteDown(RuntimeError):
    """The zygote did not answer or died: the supervisor starts another or falls back to exec."""


class Zygote:
    """The process workers are forked from (see zygote_loop)."""

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
                    to_devnull()
                    die_with_parent()
                    quiet_process()
                    if os.getppid() == parent:
                        zygote_loop(Connection(theirs.detach()), config, warm_up, parent)
                except BaseException:
                    code = 1
                finally:
                    os._exit(code)
            theirs.close()
            self.forked_pid = pid
        else:
            try:
                self.proc = start_python("checker.runner.worker", ["--zygote", str(theirs.fileno())], theirs.fileno())
            finally:
                theirs.close()
        self.conn = Connection(ours.detach())
        if self.proc is not None:
            self.conn.send((config, parent, warm_up))

    @property
    def pid(self) -> int:
        return self.forked_pid if self.forked_pid is not None else self.proc.pid

    def spawn(self) -> Worker:
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
            proc = ForkedChild(pid)
            if not conn.poll(self.START_S):
                raise ZygoteDown("worker not ready")
            key, _pid = conn.recv()
            if key != "ready":
                raise ZygoteDown("unexpected message")
        except (EOFError, OSError) as exc:
            raise ZygoteDown(str(exc)) from exc
        return Worker(conn, proc, ready=True)

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


def to_devnull() -> None:
    """A forked zygote writes nothing to the parent's terminal or pipes (a caller reading the
    parent's output to its end would otherwise wait for the zygote too)."""
    fd = os.open(os.devnull, os.O_RDWR)
    for target in (0, 1, 2):
        os.dup2(fd, target)
    if fd > 2:
        os.close(fd)
