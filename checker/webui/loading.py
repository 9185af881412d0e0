"""Turn uploads and bundled samples into contract result dicts, in memory only."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from checker.core.errors import ReadError
from checker.core.limits import limits_of
from checker.runner.inputs import READABLE_SUFFIXES, InputFile, iter_zip

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


def check_inputs(
    inputs: list[InputFile],
    config: Any = None,
    progress: Callable[[int, int, str], None] | None = None,
    on_page: Callable[[int, int, int], None] | None = None,
    cache: ResultCache | None = None,
    cache_tag: str = "",
) -> list[dict[str, Any]]:
    """Contract dicts of every input, in input order, checked through the input loop `check` and
    `batch` use (checker.runner.isolate.run_inputs) in this server's bounded worker (the same memory
    and time limits); never raises for bad input. `progress(n, total, path)` as the n-th input is
    taken up; `on_page(n, done, total)` follows the pages of a scanned one while it is read. With
    `cache`, an input already checked (same name, bytes and `cache_tag`) is not checked again."""
    from checker.core.config import load_config
    from checker.runner.inputs import Source
    from checker.runner.isolate import Job, run_inputs, shared_pool

    config = config or load_config()
    docs: dict[int, list[dict[str, Any]]] = {}
    keys: dict[int, tuple] = {}

    def prepare(n: int, item: InputFile) -> Job | None:
        if progress:
            progress(n, len(inputs), item.path)
        data = item.data if item.error is None else None  # a lazy archive member is read here, one at a time
        if item.error is not None or data is None:
            return Job(n, item.path, item.source, error=item.error or ReadError("not_found"))
        if cache is not None:
            keys[n] = cache.key(item.path, data, cache_tag)
            hit = cache.get(keys[n])
            if hit is not None:
                docs[n] = hit
                return None
        return Job(n, item.path, Source("bytes", data=data))

    pages = (lambda job, done, total: on_page(job.key, done, total)) if on_page else None
    with shared_pool(config, pages) as pool:
        for job, results in run_inputs(pool, inputs, prepare):
            docs[job.key] = [r.to_dict() for r in results]
            if cache is not None and job.key in keys:
                cache.put(keys[job.key], docs[job.key])
    if progress:
        progress(len(inputs), len(inputs), "")
    return [d for n in sorted(docs) for d in docs[n]]


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
