"""Honest findings on a document read by OCR.

- A finding whose evidence sits in a cell recognised with low confidence says so in its
  message and its `confidence` drops to at most the cell's recognition confidence.
- The table's own arithmetic (rate = B/A, rows summing to the total, total = sum of
  scores, weights summing to 100, grade vs total, score ≤ weight) failing on OCR'd numbers is
  more often a misread digit than the unit's error: those findings (`[ocr] doubt_rules`)
  become info-level reading doubts, which the review score does not deduct for.

No heavy imports: this runs after the checks, on plain findings.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata

from checker.core.config import Config
from checker.core.finding import Finding
from checker.core.document import Document, Location

DOUBT_PREFIX = "识别存疑："
DOUBT_NOTE = "本文件为扫描件，数字由文字识别读出，这一不符可能是识别误差而非填报错误，请对照原件核实。"


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def cell_confidence(doc: Document, loc: Location, evidence: str) -> float | None:
    """Recognition confidence of the cell(s) holding a finding's evidence, or None when the
    location is not in an OCR'd table."""
    if not loc.table or not loc.row:
        return None
    table = next((t for t in doc.tables if t.location.table == loc.table), None)
    if table is None or table.confidence is None or not (0 < loc.row <= len(table.rows)):
        return None
    r = loc.row - 1
    row, conf = table.rows[r], table.confidence[r]
    ev = _norm(evidence)
    if ev:
        hits = [c for t, c in zip(row, conf, strict=False) if _norm(t) and (_norm(t) in ev or ev in _norm(t))]
        if hits:
            return min(hits)
    if loc.column and 0 < loc.column <= len(conf):
        return conf[loc.column - 1]
    filled = [c for t, c in zip(row, conf, strict=False) if t.strip()]
    return min(filled) if filled else None


def adjust(doc: Document, findings: list[Finding], config: Config) -> list[Finding]:
    if doc.read_by != "ocr":
        return findings
    low = float(config.get("ocr", "low_confidence", 0.8) or 0.8)
    doubt = set(config.get("ocr", "doubt_rules", []) or [])
    out = []
    for f in findings:
        conf = cell_confidence(doc, f.location, f.evidence)
        if f.code in doubt:
            f = dataclasses.replace(
                f,
                severity="info",
                message=f"{DOUBT_PREFIX}{f.message.rstrip('。')}。{DOUBT_NOTE}",
                confidence=round(min(f.confidence, 0.5, conf if conf is not None else 1.0), 4),
            )
        elif conf is not None and conf < low:
            f = dataclasses.replace(
                f,
                message=f"{f.message.rstrip('。')}。（此处为扫描件识别结果，识别置信度 {conf:.2f}，请对照原件核实。）",
                confidence=round(min(f.confidence, conf), 4),
            )
        out.append(f)
    return out
