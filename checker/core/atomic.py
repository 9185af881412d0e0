"""Write a file whole or not at all: a temp file beside the target, then a rename.

A reader (another process, a resumed batch, the next start-up reading a cache) never sees a
half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: bytes, make_parent: bool = False) -> None:
    """Write `data` to `path` through a temp file in the same folder and os.replace."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if make_parent:
        folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=path.suffix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
