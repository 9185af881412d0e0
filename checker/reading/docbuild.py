"""Build a `Document` from a plain dict: rule examples and tests use this.

Keys mirror `checker.core.document.Document` (doc_type, project, unit, year, budget, goals,
indicators, self_score, self_grade, sections, problems, measures, conclusion, layout …).
Locations are synthesised the way a parser would give them: table 1, 1-based rows in
reading order (header, budget block, goals, indicators), so findings on examples point
somewhere sensible.
"""

from __future__ import annotations

import re
from typing import Any

from checker.core.document import Budget, BudgetRow, Document, Goal, Indicator, Location, Monitoring, Section, Value
from checker.reading.values import parse_value as shared_parse_value

_LEVEL1_WEIGHT = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


def parse_value(text: str | None) -> Value:
    """Parse an 指标值 with the shared parser (checker.reading.values)."""
    return shared_parse_value(text or "")


def _num(v: Any) -> float | None:
    if v is None or v == "":
        return None
    if isinstance(v, int | float):
        return float(v)
    s = str(v).strip().replace(",", "").rstrip("%")
    try:
        return float(s)
    except ValueError:
        return None


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def _budget_row(d: dict[str, Any], label: str, row: int) -> BudgetRow:
    return BudgetRow(
        label=str(d.get("label") or label),
        initial=_num(d.get("initial")),
        annual=_num(d.get("annual")),
        executed=_num(d.get("executed")),
        execution_rate=_num(d.get("execution_rate")),
        weight=_num(d.get("weight")),
        score=_num(d.get("score")),
        forecast=_num(d.get("forecast")),
        location=Location(table=1, row=row),
    )


def _indicator(d: dict[str, Any], row: int) -> Indicator:
    level1 = str(d.get("level1") or "")
    level1_weight = _num(d.get("level1_weight"))
    m = _LEVEL1_WEIGHT.search(level1)
    if m:  # as the parser does: 产出指标(50分) -> 产出指标 + weight
        level1_weight = level1_weight if level1_weight is not None else float(m.group(1))
        level1 = _LEVEL1_WEIGHT.sub("", level1).strip()
    target = str(d.get("target") or "")
    actual = _text(d.get("actual"))
    mon = None
    if isinstance(d.get("monitoring"), dict):
        m_d = d["monitoring"]
        mon = Monitoring(
            progress=_text(m_d.get("progress")),
            forecast=_text(m_d.get("forecast")),
            forecast_value=parse_value(m_d.get("forecast")) if m_d.get("forecast") is not None else None,
            causes={str(k): str(v) for k, v in (m_d.get("causes") or {}).items()},
            likelihood=_text(m_d.get("likelihood")),
            remark=_text(m_d.get("remark")),
        )
    return Indicator(
        level1=level1,
        level2=str(d.get("level2") or ""),
        name=str(d.get("name") or ""),
        target=target,
        actual=actual,
        weight=_num(d.get("weight")),
        score=_num(d.get("score")),
        deviation=_text(d.get("deviation")),
        nature=_text(d.get("nature")),
        unit=_text(d.get("unit")),
        target_value=parse_value(target),
        actual_value=parse_value(actual),
        level1_weight=level1_weight,
        monitoring=mon,
        location=Location(table=1, row=row),
    )


def _section(d: Any, n: int, level: int = 1) -> Section:
    if isinstance(d, str):
        return Section(number=str(n), title=d, level=level, text="", location=Location(paragraph=n))
    children = [_section(c, i, level + 1) for i, c in enumerate(d.get("children") or [], 1)]
    return Section(
        number=str(d.get("number") or n),
        title=str(d.get("title") or ""),
        level=int(d.get("level") or level),
        text=str(d.get("text") or ""),
        location=Location(paragraph=n),
        children=children,
    )


def document_from_dict(d: dict[str, Any]) -> Document:
    """Build a Document from a dict whose keys mirror the model (see module docstring)."""
    row = 3  # rows 1-2: 项目名称, 主管部门/实施单位
    budget = None
    if isinstance(d.get("budget"), dict):
        b = d["budget"]
        total = _budget_row(b, "年度资金总额", row)
        rows = []
        for r in b.get("rows") or []:
            row += 1
            rows.append(_budget_row(r, "其中", row))
        budget = Budget(total=total, rows=rows, reason=_text(b.get("reason")))
        row += 1
    goals = []
    for g in d.get("goals") or []:
        g = {"expected": g} if isinstance(g, str) else g
        goals.append(Goal(str(g.get("expected") or ""), _text(g.get("actual")), Location(table=1, row=row), _text(g.get("forecast"))))
        row += 1
    row += 1  # the indicator header row
    indicators = []
    for ind in d.get("indicators") or []:
        indicators.append(_indicator(ind, row))
        row += 1
    year = d.get("year")
    return Document(
        format=str(d.get("format") or "docx"),
        doc_type=str(d.get("doc_type") or "self_eval_table"),
        unit=_text(d.get("unit")),
        department=_text(d.get("department")),
        project=_text(d.get("project")),
        year=int(year) if year is not None else None,
        title=_text(d.get("title")),
        budget=budget,
        goals=goals,
        indicators=indicators,
        self_score=_num(d.get("self_score")),
        self_grade=_text(d.get("self_grade")),
        conclusion=_text(d.get("conclusion")),
        problems=_text(d.get("problems")),
        measures=_text(d.get("measures")),
        content=_text(d.get("content")),
        sections=[_section(s, n) for n, s in enumerate(d.get("sections") or [], 1)],
        layout=_text(d.get("layout")),
    )
