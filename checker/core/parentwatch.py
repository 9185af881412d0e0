"""A child process never outlives the parent that started it (workers, the zygote, LibreOffice).

Used by checker.runner.isolate and by the legacy-format reader, which starts LibreOffice."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:
        pass


def watch_parent(parent_pid: int) -> None:
    """A second guard where prctl is missing: exit when the parent is gone."""

    def run() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(70)

    threading.Thread(target=run, name="jxcheck-parent-watch", daemon=True).start()
