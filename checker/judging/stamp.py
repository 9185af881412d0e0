"""Stamping: the one place a rule's hit becomes a Finding.

Checks return bare Hits, the model policy a probability, batch-scope rules (AC90, IN60/IN61) a
record; each then calls `stamp(spec, values, ...)`, which fills code, name, category, severity,
title and basis from the rule's YAML and renders its message and suggestion templates with
`values`. So a rule cannot misreport itself, and config severity overrides apply in one place.
"""

from __future__ import annotations

import string
from typing import Any

from checker.core.document import Location
from checker.core.finding import Finding
from checker.judging.views import CompletionView, DocumentView, GoalView, IndicatorView


class _SafeDict(dict):
    """Format mapping that leaves unknown placeholders empty instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""


_FORMATTER = string.Formatter()


def render(template: str, values: dict[str, Any]) -> str:
    """`str.format` over `values`; missing or None values become empty text."""
    clean = _SafeDict({k: ("" if v is None else v) for k, v in values.items()})
    try:
        return _FORMATTER.vformat(template, (), clean)
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


def template_fields(template: str) -> list[str]:
    """Placeholder names used in a message/suggestion template."""
    return [f.split(".")[0].split("[")[0] for _, f, _, _ in _FORMATTER.parse(template) if f]


VIEW_FIELDS = {
    "indicator": ("level1", "level2", "name", "target", "actual", "project", "deviation", "unit", "nature"),
    "goal": ("goal", "project", "context"),
    "completion": ("completion", "goal", "project"),
    "document": (),
}


def view_values(view: Any, scope: str) -> dict[str, Any]:
    """The view's text fields that messages may name, plus document basics for document scope."""
    if isinstance(view, DocumentView):
        d = view.document
        return {"project": d.project, "unit": d.unit, "year": d.year, "doc_type": d.doc_type}
    return {k: getattr(view, k, None) for k in VIEW_FIELDS.get(scope, ())}


def default_location(view: Any) -> Location:
    """Where a hit without its own location points: the item's main field."""
    if isinstance(view, IndicatorView):
        return view.field("target")
    if isinstance(view, GoalView | CompletionView):
        return view.field()
    return Location()


def stamp(
    spec: Any, values: dict[str, Any], *, evidence: str, location: Location, confidence: float = 1.0,
    source: str = "rule", severity: str | None = None,
) -> Finding:
    """The Finding for one hit of rule `spec` (a RuleSpec): metadata from the YAML, message and
    suggestion rendered with `values`; `severity` only when config overrides the YAML's."""
    return Finding(
        code=spec.code,
        category=spec.category,
        severity=severity or spec.severity,
        message=render(spec.message, values),
        evidence=evidence,
        suggestion=render(spec.suggestion, values),
        location=location,
        source=source,
        confidence=max(0.0, min(1.0, float(confidence))),
        basis=spec.basis,
        name=spec.name,
        title=spec.title,
    )
