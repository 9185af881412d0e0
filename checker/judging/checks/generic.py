"""Generic check types, driven entirely by a rule's `params` (no Python per rule).

- lexicon:     listed terms (params.terms + the rule's word lists) appear in a field,
               unless an `unless` pattern matches (e.g. a number nearby)
- pattern:     a regular expression matches a field
- required:    a field is empty or only a placeholder (—, /, 无, 暂无 …)
- conditional: if field A matches `if`, field B must match `then`
- formula:     an arithmetic/boolean expression over the view's numbers is true
- similarity:  token overlap between two fields is above (or below) a threshold

`field` names an attribute of the view (`target`, `goal`, `completion`, …); a dotted
path such as `document.problems` or `target_value.number` reaches inside it.
"""

from __future__ import annotations

import ast
import difflib
import operator
import re
from collections.abc import Iterable
from typing import Any

from checker.judging.checks import CheckContext, check
from checker.core.finding import Hit
from checker.core.textutil import content_words, has_number, normalize

DEFAULT_FIELD = {"IndicatorView": "target", "GoalView": "goal", "CompletionView": "completion"}
PLACEHOLDER = r"^(?:[—\-－/／\\*＊.。…、]*|无|暂无|没有|略|同上|不适用|待定|待填|见附件)$"


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


@check("required")
def required(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """Hit when the field is empty or only a placeholder."""
    field = params.get("field")
    raw = get_field(view, field)
    text = normalize("" if raw is None else str(raw))
    placeholders = _patterns(params.get("placeholders")) or [PLACEHOLDER]
    if params.get("allow_none") and raw is None:
        return
    if not text or _any_match(placeholders, text):
        yield Hit(text or "（空）", _location(view, field), {"match": text}, float(params.get("confidence", 1.0)))


@check("conditional")
def conditional(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """If `if_field` matches `if`, `then_field` must match `then`; otherwise hit."""
    a = normalize(text_of(view, params.get("if_field")))
    m = next((re.search(p, a) for p in _patterns(params.get("if")) if re.search(p, a)), None)
    if not m:
        return
    b_field = params.get("then_field") or params.get("if_field")
    b = normalize(text_of(view, b_field))
    if _any_match(_patterns(params.get("then")), b):
        return
    yield Hit(m.group(0), _location(view, params.get("if_field")), {"match": m.group(0)}, float(params.get("confidence", 0.9)))


# ---- formula: a tiny, safe expression evaluator ------------------------------------------

_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_CMP = {ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Eq: operator.eq, ast.NotEq: operator.ne}
_FUNCS = {"min": min, "max": max, "abs": abs}


class _Missing(Exception):
    """A name in the expression has no number; the formula does not apply."""


def evaluate(expr: str, names: dict[str, Any]) -> Any:
    """Evaluate + - * / comparisons and/or not min max abs over numbers and `names`."""
    tree = ast.parse(expr, mode="eval")

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name):
            v = names.get(node.id)
            if v is None or isinstance(v, bool) or not isinstance(v, int | float):
                raise _Missing(node.id)
            return v
        if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
            left, right = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise _Missing("division by zero")
            return _BIN[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not ev(node.operand)
        if isinstance(node, ast.BoolOp):
            vals = [ev(v) for v in node.values]
            return all(vals) if isinstance(node.op, ast.And) else any(vals)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            for op, comp in zip(node.ops, node.comparators, strict=True):
                right = ev(comp)
                if type(op) not in _CMP or not _CMP[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS and not node.keywords:
            return _FUNCS[node.func.id](*[ev(a) for a in node.args])
        raise ValueError(f"formula: unsupported expression {ast.dump(node)[:60]}")

    return ev(tree)


def formula_names(view: Any) -> dict[str, Any]:
    """Numbers a formula may use: target/actual (parsed values), weight, score; budget figures for documents."""
    names: dict[str, Any] = {}
    for key in ("target_value", "actual_value"):
        v = getattr(view, key, None)
        if v is not None:
            names[key.split("_")[0]] = v.number
    for key in ("weight", "score"):
        names[key] = getattr(view, key, None)
    doc = getattr(view, "document", None)
    if doc is not None:
        b = doc.budget
        for key in ("initial", "annual", "executed", "execution_rate", "weight", "score"):
            names[f"budget_{key}"] = getattr(b, key, None) if b else None
        names["self_score"] = doc.self_score
        names["indicator_count"] = len(doc.indicators)
        names["goal_count"] = len(doc.goals)
    return names


@check("formula")
def formula(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """Hit when `expr` (e.g. `actual > target * 1.3`) is true; skipped when a number is missing."""
    names = formula_names(view)
    names.update({k: v for k, v in (params.get("constants") or {}).items()})
    try:
        ok = evaluate(str(params["expr"]), names)
    except _Missing:
        return
    if ok:
        field = params.get("field")
        ev = text_of(view, field) if field else str(params["expr"])
        yield Hit(ev, _location(view, field), {"match": ev}, float(params.get("confidence", 1.0)))


@check("similarity")
def similarity(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """Overlap of fields `a` and `b` (jaccard / containment of content words, or char ratio) vs a threshold."""
    a, b = normalize(text_of(view, params.get("a"))), normalize(text_of(view, params.get("b")))
    if not a or not b:
        return
    method = params.get("method", "jaccard")
    if method == "ratio":
        score = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    else:
        wa, wb = content_words(a), content_words(b)
        if not wa or not wb:
            return
        inter = len(wa & wb)
        score = inter / len(wa | wb) if method == "jaccard" else inter / min(len(wa), len(wb))
    above, below = params.get("above"), params.get("below")
    if (above is not None and score >= float(above)) or (below is not None and score < float(below)):
        yield Hit(a, _location(view, params.get("a")), {"match": a, "score": round(score, 2)}, float(params.get("confidence", 0.9)))
