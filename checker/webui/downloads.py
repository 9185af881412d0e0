"""Download payloads built by the reporters other modules own; None when one is missing."""

from __future__ import annotations

import re
from typing import Any


def opinion_docx(doc: dict[str, Any]) -> bytes:
    """The Word 复核意见 of one document (checker.publishing.opinion)."""
    from checker.publishing.opinion import render_opinion

    return render_opinion(doc)


def safe_name(path: str, suffix: str) -> str:
    """A download file name from a document path: last component, no odd characters."""
    base = re.split(r"[!/\\]", path or "document")[-1]
    base = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", base)
    base = re.sub(r'[<>:"|?*\s]+', "_", base).strip("._") or "document"
    return f"{base}{suffix}"


def workbooks(docs: list[dict[str, Any]]) -> dict[str, bytes]:
    """units.xlsx and summary.xlsx as `jxcheck batch` writes them, built in memory."""
    from checker.publishing.workbook import Summary, summary_xlsx, units_xlsx
    from checker.scoring.units import build_table
    from checker.webui.tables import unit_records

    table = build_table(unit_records(docs))
    summary = Summary()
    for d in docs:
        summary.add(d)
    return {"units.xlsx": units_xlsx(table), "summary.xlsx": summary_xlsx(summary, table)}


def review_report_docx(docs: list[dict[str, Any]]) -> bytes:
    """The 抽查复核报告 draft for the documents shown, as `jxcheck report` writes it."""
    from checker.publishing.batchdata import BatchData
    from checker.publishing.review_report import render_report

    return render_report(BatchData.from_documents(docs))


def notices_zip(docs: list[dict[str, Any]]) -> bytes:
    """One 整改通知 per unit, zipped, as `jxcheck notices` writes them."""
    import io
    import zipfile

    from checker.publishing.batchdata import BatchData
    from checker.publishing.notices import render_notice, safe_file_name, units_with_problems

    batch = BatchData.from_documents(docs)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for unit in units_with_problems(batch):
            zf.writestr(f"整改通知_{safe_file_name(unit)}.docx", render_notice(batch, unit))
    return buf.getvalue()


def findings_xlsx(docs: list[dict[str, Any]]) -> bytes:
    """The 问题清单 workbook (the sheet summary.xlsx also holds) for the documents shown."""
    from checker.publishing.workbook import findings_xlsx

    return findings_xlsx(docs)


def units_without_problems(docs: list[dict[str, Any]]) -> list[str]:
    """Units whose readable documents have no 错误 or 警告: they get no 整改通知."""
    from checker.publishing.batchdata import BatchData
    from checker.publishing.notices import units_with_problems

    batch = BatchData.from_documents(docs)
    keep = set(units_with_problems(batch))
    return [u for u in batch.units() if u not in keep]
