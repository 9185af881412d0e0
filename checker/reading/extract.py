"""RawDocument → Document: find the blocks of a self-evaluation table by their labels.

Blocks are located by anchor labels and header synonyms (domain.md §1.3), never by
fixed row numbers, so the same code reads the 2020 national grid, the central (A)/(B)
edition, the Sichuan variant, 转移支付 tables with 分值 before the values, goal-setting
tables, the 2019 monitoring table, department-wide tables and tables embedded in a
prose report. Prose reports give their numbered sections.
"""

from __future__ import annotations

import re

from checker.core.document import Budget, BudgetRow, Document, Location, RawDocument, Table
from checker.reading.blocks import (
    IndHeader, continues_table, find_indicator_header, header_fields, read_budget, read_footer, read_goals, read_indicators, read_self_score,
)
from checker.reading.grid import Grid
from checker.reading.labels import TOTAL_LABEL, nkey
from checker.reading.prose import build_sections
from checker.reading.values import parse_rate

# ---- prose ---------------------------------------------------------------------------


def _prose(doc: Document) -> None:
    from checker.reading import prose

    if not doc.goals:
        doc.goals = prose.goals_from_sections(doc)
    mapping = {"content": re.compile(r"项目概况|项目基本情况|项目实施内容|部门（单位）概况|部门概况")}
    for field, pat in mapping.items():
        if getattr(doc, field) is None:
            s = next((s for s in doc.iter_sections() if pat.search(s.title)), None)
            if s is not None and prose.section_text(s):
                setattr(doc, field, prose.section_text(s))
    if doc.self_score is None:
        doc.self_score = prose.score_from_text(doc.paragraphs)
    if doc.self_grade is None:  # 评价结论：…自评等级为优
        doc.self_grade = prose.grade_from_text([doc.conclusion or ""] + [p.text for p in doc.paragraphs])


def _report_text(doc: Document) -> None:
    """What only a report's text says: budget sentences, 存在的问题 and 改进措施 sections."""
    from checker.reading import prose

    said = prose.budget_from_text(doc.paragraphs)
    if doc.budget is None or doc.budget.total is None:
        doc.budget = said
    elif said is not None:  # a 预算执行率 row gave the rate; the sentences give the amounts
        for key in ("initial", "annual", "executed", "execution_rate"):
            if getattr(doc.budget.total, key) is None:
                setattr(doc.budget.total, key, getattr(said.total, key))
    for field, text in prose.narrative_sections(doc).items():
        if getattr(doc, field) is None:
            setattr(doc, field, text)


# ---- entry ---------------------------------------------------------------------------


def build_documents(raw: RawDocument, file_name: str | None) -> list[tuple[str | None, Document]]:
    """One document per filled form: a workbook holding several gives (工作表名, Document) for
    each; anything else gives [(None, build_document(raw))]."""
    forms = _sheet_forms(raw, file_name)
    if len(forms) >= 2:
        return forms
    return [(None, build_document(raw, file_name))]


def _sheet_forms(raw: RawDocument, file_name: str | None) -> list[tuple[str | None, Document]]:
    """Each sheet read on its own; only sheets that hold a filled form (indicators or budget
    figures) count, so a cover, an instruction or an empty sheet never lends a field."""
    sheets = [t for t in raw.tables if t.sheet is not None]
    if len(sheets) < 2 or len({t.sheet for t in sheets}) < 2 or raw.paragraphs:
        return []
    out, skipped = [], []
    for t in sheets:
        sub = RawDocument(raw.format, [], [Table(t.rows, Location(table=1), t.spans, t.sheet)], raw.pages, raw.file_name, list(raw.notices))
        doc = _build_one(sub, file_name)
        b = doc.budget.total if doc.budget is not None else None
        if doc.indicators or (b is not None and any(v is not None for v in (b.annual, b.executed, b.initial))):
            out.append((t.sheet, doc))
        else:
            skipped.append(t.sheet)
    if skipped:
        for _, doc in out:
            doc.notices.append(f"工作簿中的其他工作表（{'、'.join(skipped)}）是封面、说明、未填写的表或空表，未读取其中内容。")
    return out


def build_document(raw: RawDocument, file_name: str | None) -> Document:
    """RawDocument → Document. A workbook's filled form is read from its own sheet alone; where a
    workbook holds several, this gives the first (build_documents gives each of them)."""
    forms = _sheet_forms(raw, file_name)
    if forms:
        doc = forms[0][1]
        if len(forms) > 1:
            others = "、".join(name for name, _ in forms[1:])
            doc.notices.append(f"该工作簿另有{len(forms) - 1}张已填写的表（{others}），不在本结果中。")
        return doc
    return _build_one(raw, file_name)


def _build_one(raw: RawDocument, file_name: str | None) -> Document:
    from checker.reading.doctype import describe

    doc = Document(format=raw.format, paragraphs=list(raw.paragraphs), tables=list(raw.tables), pages=raw.pages,
                   notices=list(raw.notices))
    header: dict[str, str] = {}
    layout = None
    flags: set[str] = set()
    last_ind: tuple[Grid, IndHeader] | None = None
    for table in raw.tables:
        grid = Grid(table)
        if not grid.rows:
            continue
        for k, v in header_fields(grid).items():
            header.setdefault(k, v)
        if doc.budget is None:
            budget, bcols, _ = read_budget(grid)
            if budget is not None:
                doc.budget = budget
                if bcols and "forecast" in bcols:
                    flags.add("monitoring")
        if not doc.goals:
            doc.goals = read_goals(grid)
        h = find_indicator_header(grid)
        if h is None and doc.indicators and last_ind is not None and continues_table(grid, *last_ind):
            # the indicator grid goes on in a table of its own (split by the author or a page break)
            more, _ = read_indicators(grid, IndHeader(-1, -1, last_ind[1].cols), doc, carry=doc.indicators[-1])
            doc.indicators.extend(more)
        if h is not None and not doc.indicators:
            doc.indicators, _ = read_indicators(grid, h, doc)
            last_ind = (grid, h)
            cols = h.cols
            from checker.core.layouts import detect

            layout = detect(cols, " ".join(g.text for g in grid.rows[h.row]))
        if doc.self_score is None:
            for r in range(len(grid.rows)):
                cells = grid.distinct(r)
                # without an indicator grid, 合计 is more likely a budget total than the score
                if cells and TOTAL_LABEL.match(cells[0].key) and (r > h.row if h is not None else "分" in cells[0].key):
                    read_self_score(grid, r, h.cols if h else {}, doc)
                    break
        read_footer(grid, doc)
    doc.sections = build_sections(raw.paragraphs)
    prose_sections = len(list(doc.iter_sections()))
    if layout is None and "monitoring" in flags:
        layout = "monitoring_2019"
    if layout is None and not doc.budget and not doc.goals and raw.paragraphs:
        layout = "prose"
    elif layout is None and (doc.budget or doc.goals):
        layout = "standard_2020"
    doc.layout = layout
    doc.project = header.get("project")
    doc.department = header.get("department")
    doc.unit = header.get("unit")
    _prose(doc)
    describe(doc, raw, file_name)
    # a table inside a report; notes under a table ("1.填报说明") do not make it a report
    if layout and layout != "prose" and prose_sections >= 2 and doc.doc_type in ("project_report", "overall_report"):
        doc.layout = layout + "+embedded"
    _rate_row_to_budget(doc, doc.doc_type in ("project_report", "overall_report"))
    if doc.doc_type in ("project_report", "overall_report"):
        _report_text(doc)
    return doc


_RATE_ROW = re.compile(r"^(?:项目)?(?:预算|资金)执行率$")
_BUDGET_L1 = re.compile(r"预算执行|资金执行|项目资金|预算资金|执行率")


def _rate_row_to_budget(doc: Document, in_report: bool) -> None:
    """预算执行率 written as a row of the indicator grid (a report's table, or a 预算执行情况
    level-1 row) is the budget block, not an indicator."""
    if doc.budget is not None and doc.budget.total is not None:
        return
    for n, ind in enumerate(doc.indicators):
        if _RATE_ROW.match(nkey(ind.name)) and (in_report or not ind.level1.strip() or _BUDGET_L1.search(nkey(ind.level1))):
            doc.budget = Budget(total=BudgetRow(label=ind.name, execution_rate=parse_rate(ind.actual) if ind.actual else None,
                                                weight=ind.weight, score=ind.score, location=ind.location))
            del doc.indicators[n]
            return
