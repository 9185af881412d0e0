"""Generic check types for a rule that is only a word list or a pattern, driven entirely by its
`params` (no Python per rule):

- lexicon:     listed terms (params.terms + the rule's word lists) appear in a field,
               unless an `unless` pattern matches (e.g. a number nearby)
- pattern:     a regular expression matches a field

`field` names an attribute of the view (`target`, `goal`, `completion`, …); a dotted
path such as `document.problems` or `target_value.number` reaches inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from checker.judging.checks import CheckContext, check
from checker.core.finding import Hit
from checker.core.textutil import has_number, normalize

DEFAULT_FIELD = {"IndicatorView": "target", "GoalView": "goal", "CompletionView": "completion"}


def get_field(view: Any, path: str | None) -> Any:
    """Attribute (dotted path allowed) of the view, or None."""
    path = path or DEFAULT_FIELD.get(type(view).__name__, "")
    obj = view
    for part in path.split("."):
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
    return obj


def text_of(view: Any, path: str | None) -> str:
    v = get_field(view, path)
    return "" if v is None else str(v)


def _location(view: Any, path: str | None):
    name = (path or DEFAULT_FIELD.get(type(view).__name__, "")).split(".")[0]
    fn = getattr(view, "field", None)
    if callable(fn) and name:
        try:
            return fn(name) if type(view).__name__ == "IndicatorView" else fn()
        except TypeError:
            return fn()
    from checker.core.document import Location

    return Location()


def _patterns(p: Any) -> list[str]:
    if not p:
        return []
    return [p] if isinstance(p, str) else [str(x) for x in p]


def _any_match(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text) for p in patterns)


def rule_terms(params: dict[str, Any], ctx: CheckContext) -> list[str]:
    """params.terms plus every word list the rule names (the engine passes them as _wordlists)."""
    terms = list(params.get("terms") or [])
    for name in list(params.get("_wordlists") or []) + list(params.get("lists") or []):
        terms.extend(ctx.wordlists.get(name))
    # longest first so evidence quotes the fullest term
    return sorted(dict.fromkeys(normalize(t) for t in terms if t), key=lambda t: (-len(t), t))


@check("lexicon")
def lexicon(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """Hit on the first listed term in the field, unless an `unless` pattern (or a number) is there."""
    field = params.get("field")
    text = normalize(text_of(view, field))
    if not text:
        return
    if params.get("unless_number") and has_number(text):
        return
    if _any_match(_patterns(params.get("unless")), text):
        return
    # the term that occurs first (longest at that position) is the evidence
    found = [(text.find(t), -len(t), t) for t in rule_terms(params, ctx) if t and t in text]
    if found:
        term = min(found)[2]
        yield Hit(term, _location(view, field), {"match": term}, float(params.get("confidence", 0.9)))


@check("pattern")
def pattern(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """Hit where `pattern` matches the field (and no `unless` pattern does)."""
    field = params.get("field")
    text = normalize(text_of(view, field))
    if not text or _any_match(_patterns(params.get("unless")), text):
        return
    for p in _patterns(params.get("pattern")):
        m = re.search(p, text)
        if m:
            yield Hit(m.group(0), _location(view, field), {"match": m.group(0)}, float(params.get("confidence", 0.9)))
            return
