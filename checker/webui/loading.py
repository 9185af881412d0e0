"""Turn uploads and bundled samples into contract result dicts, in memory only."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from checker.core.errors import ReadError
from checker.runner.inputs import READABLE_SUFFIXES, InputFile, iter_zip
from checker.core.limits import limits_of

SAMPLE_SUFFIXES = READABLE_SUFFIXES | {".zip"}


def list_samples(folder: str | Path) -> list[Path]:
    """Sample files directly in `folder` with a known extension, sorted by name."""
    p = Path(folder)
    if not p.is_dir():
        return []
    return sorted(
        (f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SAMPLE_SUFFIXES and not f.name.startswith((".", "~$"))),
        key=lambda f: f.name,
    )


def _is_package(data: bytes) -> bool:
    """A .docx/.xlsx renamed .zip is a document, not an archive."""
    from checker.reading.parsers.sniff import sniff_format

    return sniff_format(data) in ("docx", "xlsx", "odt", "ods")


def expand(items: Iterable[tuple[str, bytes]], config: Any = None) -> list[InputFile]:
    """Expand (name, bytes) pairs; a .zip becomes its members, read from memory."""
    out: list[InputFile] = []
    for name, data in items:
        if name.lower().endswith(".zip") and zipfile.is_zipfile(io.BytesIO(data)) and not _is_package(data):
            out.extend(iter_zip(data, display=name, limits=limits_of(config)))  # members stay in the archive until checked
        else:
            out.append(InputFile(name, data=data))
    return out


def error_dict(path: str, err: ReadError, sha256: str = "") -> dict[str, Any]:
    """A contract DOCUMENT for a file that could not be read."""
    from checker.api import Result

    r = Result(path=path, sha256=sha256)
    r.status, r.error = "error", err
    return r.to_dict()


def check_inputs(
    inputs: list[InputFile],
    config: Any = None,
    progress: Callable[[int, int, str], None] | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Check every input through `checker.api.check_bytes` in a bounded worker (the same
    memory and time limits as `check` and `batch`); never raises for bad input.
    `on_page(done, total)` follows the pages of a scanned document while it is read."""
    from checker.api import sha256_of
    from checker.runner.isolate import check_isolated
    from checker.core.config import load_config

    config = config or load_config()
    docs = []
    for n, item in enumerate(inputs):
        if progress:
            progress(n, len(inputs), item.path)
        data = item.data if item.error is None else None  # a lazy archive member is read here, one at a time
        if item.error is not None or data is None:
            docs.append(error_dict(item.path, item.error or ReadError("not_found")))
            continue
        try:
            docs.extend(r.to_dict() for r in check_isolated(data, item.path, config, on_page))
        except Exception as exc:  # a pipeline bug must not lose the other files
            err = ReadError("internal_error", f"检查时发生内部错误：{type(exc).__name__}: {exc}")
            docs.append(error_dict(item.path, err, sha256_of(data)))
    if progress:
        progress(len(inputs), len(inputs), "")
    return docs


class ResultCache:
    """Checked documents of this server process by (name, content, dismissals), the newest
    `size` kept. The app uses it instead of st.cache_data so that a check can move a progress
    bar made outside it (a scan's pages): st.cache_data replays elements and refuses those."""

    def __init__(self, size: int = 500):
        import threading
        from collections import OrderedDict

        self.size = size
        self.items: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def key(name: str, data: bytes, dismissals: str) -> tuple:
        import hashlib

        return name, hashlib.sha256(data).hexdigest(), dismissals

    def get(self, key: tuple) -> dict[str, Any] | None:
        import copy

        with self.lock:
            doc = self.items.get(key)
            if doc is None:
                return None
            self.items.move_to_end(key)
            return copy.deepcopy(doc)  # callers may change what they get

    def put(self, key: tuple, doc: dict[str, Any]) -> None:
        import copy

        with self.lock:
            self.items[key] = copy.deepcopy(doc)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def with_copies(docs: list[dict[str, Any]], config: Any = None) -> list[dict[str, Any]]:
    """Add the cross-document findings the batch adds (AC90 copies, IN60/IN61 against last year),
    re-scored, without mutating `docs`."""
    if len(docs) < 2:
        return docs
    from checker.runner import crossdoc

    return crossdoc.apply(docs, config)


def result_json(docs: list[dict[str, Any]]) -> bytes:
    """The contract JSON of all documents, as `jxcheck check --format json` prints it."""
    from checker.publishing.json_report import render

    return render(docs).encode("utf-8")
