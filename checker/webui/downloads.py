"""Download payloads built by the reporters other modules own; None when one is missing."""

from __future__ import annotations

import re
from typing import Any


def opinion_docx(doc: dict[str, Any]) -> bytes | None:
    """The Word 复核意见 of one document (checker.report.opinion), or None if not available."""
    try:
        from checker.report.opinion import render_opinion
    except ImportError:
        return None
    return render_opinion(doc)


def safe_name(path: str, suffix: str) -> str:
    """A download file name from a document path: last component, no odd characters."""
    base = re.split(r"[!/\\]", path or "document")[-1]
    base = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", base)
    base = re.sub(r'[<>:"|?*\s]+', "_", base).strip("._") or "document"
    return f"{base}{suffix}"
