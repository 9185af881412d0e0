"""documents.jsonl, the batch's crash-safe log (checker.runner.batch): one complete JSON line per
document, appended, flushed and synced; what a resumed batch finds already done in it; earlier
batches' logs read back for cross-year checks."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from checker.core.errors import ReadError

DOCUMENTS = "documents.jsonl"
DISMISSED = "dismissed.jsonl"  # findings a reviewer dismissed, with who, why and when


class Log:
    """documents.jsonl opened for appending; every write is whole lines, flushed and synced."""

    def __init__(self, path: Path, fresh: bool):
        self.path = path
        if fresh or not path.exists():
            self.fh = open(path, "wb")
        else:
            truncate_partial_tail(path)
            self.fh = open(path, "ab")

    def write(self, lines: Iterable[str]) -> None:
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        if data:
            self.fh.write(data)
            self.fh.flush()
            os.fsync(self.fh.fileno())

    def close(self) -> None:
        self.fh.close()


def truncate_partial_tail(path: Path) -> None:
    """Cut a last line left half-written by a killed batch, so appends start clean."""
    size = path.stat().st_size
    if size == 0:
        return
    with open(path, "rb+") as fh:
        fh.seek(max(0, size - 1))
        if fh.read(1) == b"\n":
            return
        # walk back to the previous newline
        pos, step = size, 65536
        while pos > 0:
            start = max(0, pos - step)
            fh.seek(start)
            block = fh.read(pos - start)
            i = block.rfind(b"\n")
            if i >= 0:
                fh.truncate(start + i + 1)
                return
            pos = start
        fh.truncate(0)


def iter_log(path: Path) -> Iterator[tuple[int, int, dict]]:
    """(offset, length, document) of every complete, parseable line."""
    if not path.exists():
        return
    with open(path, "rb") as fh:
        offset = 0
        for raw in fh:
            n = len(raw)
            if raw.endswith(b"\n"):
                try:
                    doc = json.loads(raw)
                except ValueError:
                    doc = None
                if isinstance(doc, dict) and "path" in doc:
                    yield offset, n, doc
            offset += n


@dataclass
class Done:
    """What a previous run already wrote: content hashes and the paths seen for each."""

    by_sha: dict[str, tuple[int, int]] = field(default_factory=dict)  # sha -> (offset, length) of one line
    paths: set[tuple[str, str]] = field(default_factory=set)  # (sha, path)
    # sha -> (file path, lines) of a workbook that gave one document per filled form (`sheet` set)
    forms: dict[str, tuple[str, list[tuple[int, int]]]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Done:
        d = cls()
        for off, n, doc in iter_log(path):
            sha = doc.get("sha256") or ""
            d.paths.add((sha, doc["path"]))
            sheet = doc.get("sheet")
            if sha and sheet and doc["path"].endswith("#" + sheet):
                base = doc["path"][: -len(sheet) - 1]
                d.paths.add((sha, base))
                if d.forms.get(sha, (base,))[0] == base:
                    d.forms.setdefault(sha, (base, []))[1].append((off, n))
            if sha and sha not in d.by_sha:
                d.by_sha[sha] = (off, n)
        return d


def load_previous(dirs: list[str | Path] | None) -> list[dict]:
    """DOCUMENT dicts of earlier batch results (their documents.jsonl), for cross-year checks."""
    out: list[dict] = []
    for d in dirs or []:
        p = Path(d)
        log = p / DOCUMENTS if p.is_dir() else p
        if not log.is_file():
            raise ReadError("not_found", f"找不到往年或上次的检查结果：{d}（应为 jxcheck batch 的输出文件夹）")
        out.extend(doc for _, _, doc in iter_log(log))
    return out
