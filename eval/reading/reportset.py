"""The real-report reading set: report texts from published 绩效评价报告 / 部门整体支出绩效自评报告,
laid out as .docx (typed numbering, no heading styles, as units write them) and as PDF (wrapped
lines, A4), each with the truth of every field written by hand (reports.json).

`build(case, fmt)` gives the file's bytes; `score(case, doc)` compares a read Document with
the truth field by field. Used by eval/reading/run.py (prints accuracy per document type) and
by tests/test_reading_realset.py.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ("doc_type", "unit", "project", "year", "budget", "goal_expected", "goal_actual",
          "self_score", "problems", "measures")
BUDGET_KEYS = ("initial", "annual", "executed", "execution_rate")


SETS = {"dev": "reports.json", "holdout": "reports_holdout.json"}


def load_cases(which: str = "dev") -> list[dict]:
    """`dev`: the 12 reports the reader was tuned on; `holdout`: reports whose truth was written
    before the reader ever read them (kept for measuring, not for tuning)."""
    return json.loads((HERE / SETS[which]).read_text(encoding="utf-8"))


# ---- building the files ------------------------------------------------------------------


def _blocks(case):
    for b in case["blocks"]:
        if isinstance(b, str):
            yield "p", b
        elif "table" in b:
            yield "table", b["table"]
        else:
            (kind, text), = b.items()
            yield kind, text


def to_docx(case: dict) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    for kind, val in _blocks(case):
        if kind == "table":
            rows = val
            t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            t.style = "Table Grid"
            for r, row in enumerate(rows):
                c = 0
                while c < len(row):
                    c1 = c
                    while c1 + 1 < len(row) and row[c1 + 1] == "<":
                        c1 += 1
                    cell = t.cell(r, c).merge(t.cell(r, c1)) if c1 > c else t.cell(r, c)
                    cell.text = row[c]
                    c = c1 + 1
            continue
        p = d.add_paragraph()
        run = p.add_run(val)
        if kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
            run.font.size = Pt(16)
        elif kind == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            p.paragraph_format.first_line_indent = Pt(24)
    b = io.BytesIO()
    d.save(b)
    return b.getvalue()


def to_pdf(case: dict) -> bytes:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("b", fontName="STSong-Light", fontSize=11, leading=18, firstLineIndent=22, wordWrap="CJK")
    styles = {
        "p": body,
        "title": ParagraphStyle("t", parent=body, fontSize=16, leading=26, alignment=TA_CENTER, firstLineIndent=0),
        "center": ParagraphStyle("c", parent=body, alignment=TA_CENTER, firstLineIndent=0),
        "right": ParagraphStyle("r", parent=body, alignment=TA_RIGHT, firstLineIndent=0),
    }
    cell = ParagraphStyle("cell", parent=body, firstLineIndent=0, fontSize=10, leading=14)
    story = []
    for kind, val in _blocks(case):
        if kind == "table":
            width = max(len(r) for r in val)
            data = [[Paragraph(_esc(v), cell) if v != "<" else "" for v in r] for r in val]
            spans = [("SPAN", (c0, r), (c1, r)) for r, row in enumerate(val) for c0, c1 in _runs(row)]
            t = Table(data, colWidths=[440 / width] * width)
            t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans]))
            story.append(t)
        else:
            story.append(Paragraph(_esc(val), styles[kind]))
    b = io.BytesIO()
    SimpleDocTemplate(b, pagesize=A4, leftMargin=70, rightMargin=70, topMargin=60, bottomMargin=60).build(story)
    return b.getvalue()


def _runs(row):
    c = 0
    while c < len(row):
        c1 = c
        while c1 + 1 < len(row) and row[c1 + 1] == "<":
            c1 += 1
        if c1 > c:
            yield c, c1
        c = c1 + 1


def _esc(t: str) -> str:
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build(case: dict, fmt: str) -> tuple[bytes, str]:
    data = to_docx(case) if fmt == "docx" else to_pdf(case)
    return data, f"{case['file']}.{fmt}"  # neutral names: the reader must find the unit in the text


# ---- comparing ---------------------------------------------------------------------------

_NUM = re.compile(r"^(?:[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|[一二三四五六七八九十]+[、.．]|\d{1,2}(?:[、．]|\.(?!\d)))")
_MISSING = {"", "无", "暂无", "/", "—", "-", "无。"}


def norm_text(t) -> str | None:
    """Content only: NFKC, list numbers at line starts, whitespace and punctuation removed."""
    if t is None:
        return None
    lines = unicodedata.normalize("NFKC", str(t)).splitlines()
    s = "".join(_NUM.sub("", ln.strip()) for ln in lines)
    s = "".join(ch for ch in s if not unicodedata.category(ch).startswith(("P", "Z", "C")))
    return None if s in _MISSING else s


def norm_project(t) -> str | None:
    s = norm_text(t)
    return re.sub(r"^20\d{2}年度?", "", s) if s else s


def _num_eq(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 0.01


def got_fields(doc) -> dict:
    goal = doc.goals[0] if doc.goals else None
    b = doc.budget
    budget = None
    if b is not None and b.total is not None and any(getattr(b, k) is not None for k in BUDGET_KEYS):
        budget = {k: getattr(b, k) for k in BUDGET_KEYS}
    return {
        "doc_type": doc.doc_type, "unit": doc.unit, "project": doc.project, "year": doc.year, "budget": budget,
        "goal_expected": goal.expected if goal else None, "goal_actual": goal.actual if goal else None,
        "self_score": doc.self_score, "problems": doc.problems, "measures": doc.measures,
    }


def score(case: dict, doc) -> dict[str, tuple[bool, object, object]]:
    """field -> (right, read, truth) for every scored field of the case."""
    truth = dict(case["truth"], doc_type=case["doc_type"])
    got = got_fields(doc)
    out = {}
    for f in FIELDS:
        if f in case.get("unscored", ()):
            continue
        want, have = truth.get(f), got[f]
        if f == "budget":
            w = want if want and any(want.get(k) is not None for k in BUDGET_KEYS) else None
            if w is None or have is None:
                ok = w is None and have is None
            else:
                ok = all(_num_eq(have.get(k), w.get(k)) for k in BUDGET_KEYS)
        elif f in ("year", "self_score"):
            ok = _num_eq(have, want)
        elif f == "doc_type":
            ok = have == want
        elif f == "project":
            ok = norm_project(have) == norm_project(want)
        else:
            ok = norm_text(have) == norm_text(want)
        out[f] = (ok, have, want)
    return out
