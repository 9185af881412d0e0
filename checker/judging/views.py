"""The units rules run on, built the same way from a Document or from a snippet request.

A rule's `scope` picks one of these: `indicator`, `goal`, `completion` or `document`.
Because snippets and documents produce the same views, a rule's bad/good examples,
`jxcheck snippet` and `jxcheck check` exercise the very same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.core.document import Document, Indicator, Location, Value


@dataclass
class IndicatorView:
    level1: str
    level2: str
    name: str
    target: str
    actual: str | None
    target_value: Value
    actual_value: Value
    weight: float | None = None
    score: float | None = None
    deviation: str | None = None
    nature: str | None = None
    unit: str | None = None
    project: str | None = None
    index: int | None = None  # 1-based position in document.indicators
    location: Location = field(default_factory=Location)
    has_deviation_column: bool = True  # false for snippets and goal-setting tables
    sector: str | None = None  # field of spending (checker.judging.library), set once per document/request

    def field(self, name: str) -> Location:
        prefix = f"indicators[{self.index}]" if self.index else "indicator"
        return self.location.with_field(f"{prefix}.{name}")


@dataclass
class GoalView:
    goal: str
    project: str | None = None
    context: str | None = None  # project content, indicator names/targets, anything known
    indicators: list[IndicatorView] = field(default_factory=list)
    year: int | None = None
    unit: str | None = None
    index: int | None = None
    location: Location = field(default_factory=Location)
    sector: str | None = None

    def field(self, name: str = "expected") -> Location:
        prefix = f"goals[{self.index}]" if self.index else "goal"
        return self.location.with_field(f"{prefix}.{name}")


@dataclass
class CompletionView:
    completion: str
    goal: str | None = None
    project: str | None = None
    indicators: list[IndicatorView] = field(default_factory=list)
    index: int | None = None
    location: Location = field(default_factory=Location)
    sector: str | None = None

    def field(self, name: str = "actual") -> Location:
        prefix = f"goals[{self.index}]" if self.index else "completion"
        return self.location.with_field(f"{prefix}.{name}")


@dataclass
class DocumentView:
    document: Document
    recomputation: Any = None  # checker.judging.selfscore.Recomputation or None
    context: Any = None  # batch-level context (copy detection), or None


def _value(text: str | None) -> Value:
    from checker.reading.values import parse_value

    return parse_value(text or "")


def indicator_view(
    ind: Indicator, index: int | None, project: str | None, has_deviation_column: bool = True, sector: str | None = None
) -> IndicatorView:
    return IndicatorView(
        level1=ind.level1,
        level2=ind.level2,
        name=ind.name,
        target=ind.target,
        actual=ind.actual,
        target_value=ind.target_value if ind.target_value.raw or not ind.target else _value(ind.target),
        actual_value=ind.actual_value if ind.actual_value.raw or not ind.actual else _value(ind.actual),
        weight=ind.weight,
        score=ind.score,
        deviation=ind.deviation,
        nature=ind.nature,
        unit=ind.unit,
        project=project,
        index=index,
        location=ind.location,
        has_deviation_column=has_deviation_column,
        sector=sector,
    )


def document_views(doc: Document) -> tuple[list[IndicatorView], list[GoalView], list[CompletionView]]:
    """Build the indicator, goal and completion views of a document."""
    from checker.judging.library import document_field

    has_dev = any(i.deviation is not None for i in doc.indicators) or doc.can("deviation_column", default=True)
    sector = document_field(doc)  # once per document, not per rule and item
    inds = [indicator_view(ind, n, doc.project, has_dev, sector) for n, ind in enumerate(doc.indicators, 1)]
    ctx_parts = [doc.project or "", doc.content or ""] + [f"{i.name}{i.target}" for i in doc.indicators]
    context = "；".join(p for p in ctx_parts if p)
    goals, comps = [], []
    for n, g in enumerate(doc.goals, 1):
        goals.append(GoalView(g.expected, doc.project, context, inds, doc.year, doc.unit, n, g.location, sector))
        if g.actual is not None:
            comps.append(CompletionView(g.actual, g.expected, doc.project, inds, n, g.location, sector=sector))
    return inds, goals, comps


def snippet_views(req: dict[str, Any]) -> IndicatorView | GoalView | CompletionView:
    """Build the view for one `jxcheck snippet` request (see docs/contract.md)."""
    from checker.judging.library import request_field

    kind = req.get("kind")
    project = req.get("project") or None
    sector = request_field(req)
    if kind == "indicator":
        target = str(req.get("target") or "")
        actual = req.get("actual")
        actual = None if actual is None else str(actual)
        return IndicatorView(
            level1=str(req.get("level1") or ""),
            level2=str(req.get("level2") or ""),
            name=str(req.get("name") or ""),
            target=target,
            actual=actual,
            target_value=_value(target),
            actual_value=_value(actual),
            project=project,
            has_deviation_column=False,
            sector=sector,
        )
    if kind == "goal":
        return GoalView(str(req.get("goal") or ""), project, req.get("context") or None, sector=sector)
    if kind == "completion":
        return CompletionView(str(req.get("completion") or ""), req.get("goal") or None, project, sector=sector)
    raise ValueError(f"unknown snippet kind {kind!r}")
