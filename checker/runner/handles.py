"""A worker as the parent sees it (checker.runner.isolate): its socket and its process, whether
started fresh by exec or forked by the zygote (checker.runner.zygote)."""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import Any

from checker.core.config import Config


class Worker:
    """One worker as the parent sees it: its socket, its process (`proc.pid`, `proc.kill()`),
    the job it holds and that job's deadline."""

    def __init__(self, conn, proc, ready: bool):
        self.conn = conn
        self.proc = proc
        self.job: Any = None  # the isolate.Job it holds
        self.deadline = 0.0
        self.ready = ready

    @classmethod
    def fresh(cls, config: Config, warm_up: bool) -> Worker:
        """A worker started fresh (exec, not fork): where there is no zygote (not Linux)."""
        import socket
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        try:
            proc = start_python("checker.runner.worker", [str(theirs.fileno())], theirs.fileno())
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


def start_python(module: str, args: list[str], fd: int):
    """`python -m module args…` passing fd, with this checkout's checker importable."""
    import subprocess

    import checker

    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.abspath(checker.__file__)))
    env["PYTHONPATH"] = os.pathsep.join([root, *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    proc = subprocess.Popen([sys.executable, "-m", module, *args], pass_fds=[fd], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return ExecChild(proc)


class ExecChild:
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


class ForkedChild:
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
