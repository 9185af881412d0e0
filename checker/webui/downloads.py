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


def units_xlsx(docs: list[dict[str, Any]]) -> bytes | None:
    """units.xlsx (部门得分情况汇总) as the batch writes it; None if nothing to tabulate."""
    import tempfile
    from pathlib import Path

    from checker.report.workbook import write_units_xlsx
    from checker.units import build_table
    from checker.webui.tables import unit_records

    table = build_table(unit_records(docs))
    if not table:
        return None
    with tempfile.TemporaryDirectory(prefix="jxcheck-") as tmp:  # removed on exit: nothing stays on disk
        path = Path(tmp) / "units.xlsx"
        write_units_xlsx(table, path)
        return path.read_bytes()
