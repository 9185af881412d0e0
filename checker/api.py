"""The Python API: `check_file` reads, checks and scores one file.

The CLI, the batch runner and the web app all go through `check_bytes`, so they
report the same result for the same bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.core.config import Config, load_config
from checker.core.errors import ReadError
from checker.core.finding import SEVERITY_RANK, Finding
from checker.core.document import DOC_TYPE_LABELS, Document


@dataclass
class Result:
    """One document's result; `to_dict()` is the contract's DOCUMENT object."""

    path: str
    sha256: str
    format: str | None = None
    status: str = "ok"
    error: ReadError | None = None
    document: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    score: float | None = None
    grade: str | None = None
    score_breakdown: list[dict[str, Any]] = field(default_factory=list)
    recomputed_self_score: float | None = None
    recomputation: dict[str, Any] | None = None
    notices: list[str] = field(default_factory=list)
    dismissed: list[dict[str, Any]] = field(default_factory=list)  # findings a reviewer dismissed (baseline)
    sheet: str | None = None  # the worksheet, when a workbook with several filled forms gave this one

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def max_severity(self) -> int:
        return max((SEVERITY_RANK[f.severity] for f in self.findings), default=0)

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        out: dict[str, Any] = {
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "doc_type": doc.doc_type if doc else "unknown",
            "doc_type_label": DOC_TYPE_LABELS[doc.doc_type if doc else "unknown"],
            "unit": doc.unit if doc else None,
            "department": doc.department if doc else None,
            "project": doc.project if doc else None,
            "year": doc.year if doc else None,
            "status": self.status,
            "score": self.score,
            "grade": self.grade,
            "score_breakdown": self.score_breakdown,
            "self_score": doc.self_score if doc else None,
            "recomputed_self_score": self.recomputed_self_score,
            "recomputation": self.recomputation,
            "budget": doc.budget.to_contract() if doc and doc.budget and doc.budget.total else None,
            "goals": [
                {"expected": g.expected, "actual": g.actual, "location": g.location.to_dict()}
                for g in (doc.goals if doc else [])
            ],
            "indicators": [i.to_contract() for i in (doc.indicators if doc else [])],
            "findings": [f.to_dict() for f in self.findings],
            "layout": doc.layout if doc else None,
            "pages": doc.pages if doc else None,
            "read_by": doc.read_by if doc else None,
            "notices": list(self.notices) + (list(doc.notices) if doc else []),
        }
        if self.dismissed:
            out["dismissed"] = self.dismissed
        if self.sheet is not None:
            out["sheet"] = self.sheet
        if self.error is not None:
            out["error"] = self.error.to_dict()
        return out


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_document(data: bytes, name: str | None = None, config: Config | None = None) -> Document:
    """Read bytes into a Document, or raise ReadError."""
    from checker.reading.extract import build_document
    from checker.reading.parsers import read_bytes

    config = config or load_config()
    raw = read_bytes(data, name=name, config=config)
    doc = build_document(raw, file_name=name)
    doc.read_by = raw.read_by
    return doc


def check_bytes(data: bytes, name: str, config: Config | None = None, context: Any = None) -> Result:
    """Read, check and score one file's bytes. Never raises for bad input."""
    config = config or load_config()
    result = Result(path=name, sha256=sha256_of(data))
    try:
        from checker.reading.parsers.sniff import sniff_format

        result.format = sniff_format(data)
        doc = read_document(data, name=name, config=config)
    except ReadError as err:
        result.status, result.error = "error", err
        return result
    except Exception as exc:  # a parser bug must not stop a batch; keep the file's result
        result.status = "error"
        result.error = ReadError("internal_error", f"读取时发生内部错误：{type(exc).__name__}: {exc}")
        return result
    result.document = doc
    result.format = doc.format
    _check_and_score_guarded(result, config, context)
    return result


def _check_and_score_guarded(result: Result, config: Config, context: Any) -> None:
    try:
        _check_and_score(result, config, context)
    except Exception as exc:  # a rule or the scorer failing on odd values: a coded result, never a crash
        result.findings, result.score, result.grade, result.score_breakdown = [], None, None, []
        result.recomputation, result.recomputed_self_score = None, None
        result.status = "error"
        result.error = ReadError("internal_error", f"检查时发生内部错误：{type(exc).__name__}: {exc}")


def read_documents(data: bytes, name: str | None = None, config: Config | None = None) -> list[tuple[str, Document]]:
    """Read bytes into (path, Document) pairs, one per filled form: a workbook holding several
    forms gives `name#工作表名` for each. Raises ReadError."""
    from checker.reading.extract import build_documents
    from checker.reading.parsers import read_bytes

    config = config or load_config()
    raw = read_bytes(data, name=name, config=config)
    docs = [(f"{name}#{sheet}" if sheet else name or "", doc) for sheet, doc in build_documents(raw, file_name=name)]
    for _path, doc in docs:
        doc.read_by = raw.read_by
    return docs


def check_bytes_all(data: bytes, name: str, config: Config | None = None, context: Any = None) -> list[Result]:
    """Like check_bytes (one read of the bytes), but one Result per filled form of a workbook
    (paths `name#工作表名`); any other file gives the same single Result as check_bytes."""
    config = config or load_config()
    first = Result(path=name, sha256=sha256_of(data))
    try:
        from checker.reading.parsers.sniff import sniff_format

        first.format = sniff_format(data)
        docs = read_documents(data, name=name, config=config)
    except ReadError as err:
        first.status, first.error = "error", err
        return [first]
    except Exception as exc:  # a parser bug must not stop a batch; keep the file's result
        first.status = "error"
        first.error = ReadError("internal_error", f"读取时发生内部错误：{type(exc).__name__}: {exc}")
        return [first]
    out = []
    for path, doc in docs:
        result = Result(path=path, sha256=first.sha256, format=doc.format, document=doc,
                        sheet=path[len(name) + 1:] if len(docs) > 1 else None)
        _check_and_score_guarded(result, config, context)
        out.append(result)
    return out


def _check_and_score(result: Result, config: Config, context: Any) -> None:
    from checker.judging.engine import check_document
    from checker.scoring.review_score import review_score
    from checker.judging.selfscore import recompute

    doc = result.document
    assert doc is not None
    if doc.doc_type == "unknown":
        return  # not a performance document: no findings, no score; its notice says what it appears to be
    recomputation = recompute(doc, config)
    result.recomputation = recomputation.to_dict() if recomputation else None
    result.recomputed_self_score = recomputation.total if recomputation else None
    findings, notices = check_document(doc, config, recomputation=recomputation, context=context)
    if doc.read_by == "ocr":  # low-confidence cells and arithmetic on misread digits (checker/reading/ocr/findings.py)
        from checker.reading.ocr.findings import adjust

        findings = adjust(doc, findings, config)
    from checker.judging.rewrite import attach, context_of_document

    result.findings = sorted(attach(findings, context_of_document(doc)), key=Finding.sort_key)
    result.notices.extend(notices)
    _apply_dismissals(result, config)
    review = review_score(doc, result.findings, config)
    result.score, result.grade, result.score_breakdown = review.score, review.grade, review.breakdown


def _apply_dismissals(result: Result, config: Config) -> None:
    """Drop findings a reviewer dismissed (baseline file) before they are scored."""
    entries = config.get("review", "dismissals") or []
    if not entries or not result.findings:
        return
    from checker.core.dismiss import split

    doc = result.document
    summary = {
        "unit": doc.unit, "doc_type": doc.doc_type, "project": doc.project, "year": doc.year,
        "indicators": [{"name": i.name, "level2": i.level2} for i in doc.indicators],
    }  # fmt: skip
    dicts = [f.to_dict() for f in result.findings]
    kept, gone = split(summary, dicts, entries)
    kept_ids = {id(d) for d in kept}
    result.findings = [f for f, d in zip(result.findings, dicts, strict=True) if id(d) in kept_ids]
    result.dismissed = gone


def check_file(path_or_bytes: str | Path | bytes, name: str | None = None, config: Config | None = None) -> Result:
    """Check one file given by path or bytes; returns the same Result the CLI prints."""
    if isinstance(path_or_bytes, bytes | bytearray):
        return check_bytes(bytes(path_or_bytes), name or "upload", config)
    p = Path(path_or_bytes)
    try:
        data = p.read_bytes()
    except OSError:
        r = Result(path=name or str(path_or_bytes), sha256="")
        r.status, r.error = "error", ReadError("not_found", f"找不到或无法读取文件：{p}")
        return r
    return check_bytes(data, name or str(path_or_bytes), config)
