"""Reading scanned pages: OCR that runs on this machine, with tables rebuilt from ruling lines.

The recogniser is RapidOCR (PP-OCR models in ONNX, run by onnxruntime); its det/rec/cls
models ship inside the `rapidocr` wheel, so nothing is fetched at run time. Everything
here is imported lazily: without the OCR stack, `available()` is False and image-only
files keep the `needs_ocr` error.

Pipeline per page (`reader.read_page`): colour image → red seal removed by colour →
straightened (90°/180° turns and small tilts) → ruling lines found by morphology →
table grid with merged cells → text lines detected and recognised (split at cell borders)
→ the same RawDocument a text PDF gives (paragraphs + tables with Location), plus each
cell's recognition confidence (`Table.confidence`) and `read_by = "ocr"`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from checker.core.config import Config

IMAGE_FORMATS = ("png", "jpg", "tif", "bmp")
_MODULES = ("rapidocr", "onnxruntime", "cv2", "numpy", "PIL")


def available() -> bool:
    """True when the OCR stack is installed (checked without importing it)."""
    try:
        return all(importlib.util.find_spec(m) is not None for m in _MODULES)
    except (ImportError, ValueError):
        return False


def enabled(config: Config) -> bool:
    return bool(config.get("ocr", "enabled", True)) and available()



# Per-page progress (pages done, pages in all) for a caller that cannot pass a callback down
# through check_bytes: the worker process that checks a document sets it and forwards each
# page to its parent (batch's progress bar, the app's), so a long scan does not look hung.
PAGE_PROGRESS: ContextVar[Callable[[int, int], None] | None] = ContextVar("ocr_page_progress", default=None)


@contextmanager
def page_progress(callback: Callable[[int, int], None] | None) -> Iterator[None]:
    token = PAGE_PROGRESS.set(callback)
    try:
        yield
    finally:
        PAGE_PROGRESS.reset(token)
