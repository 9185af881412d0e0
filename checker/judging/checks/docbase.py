"""What the document-level checks (document.py, docnumbers.py) share: the official recomputation
for a view, the score tolerance, how a number is written in a message, an indicator's location,
whether a narrative says nothing, and whether an actual falls short of its target."""

from __future__ import annotations

import re
from typing import Any

from checker.core.document import Document, Indicator, Location, Value
from checker.judging.selfscore import Recomputation, comparable, recompute

EPS = 0.005  # half a cent: scores and amounts are written with two decimals

# Narrative left empty, as a bare denial, or with the template's instruction still in it.
_EMPTY = re.compile(
    r"^(无|暂无|没有|无问题|暂无问题|无偏差|无明显偏差|不存在问题|未发现问题|无改进措施|暂无改进措施|/|—+|-+|\*|无此项)?$"
)
_TEMPLATE = re.compile(r"[（(]\s*\d+\s*字以[内下]\s*[)）]|对照年度目标，?说明")


def blank(text: str | None) -> bool:
    """True for a narrative that says nothing: empty, 无/暂无, or template text left in."""
    t = re.sub(r"[\s。．.，,；;！!]+", "", text or "")
    return bool(_EMPTY.match(t) or _TEMPLATE.search(t))


def recomputation(view: Any, ctx: Any) -> Recomputation | None:
    if view.recomputation is not None:
        return view.recomputation
    key = "document.recomputation"
    if ctx is not None and key in ctx.cache:
        return ctx.cache[key]
    r = recompute(view.document, getattr(ctx, "config", None))
    if ctx is not None:
        ctx.cache[key] = r
    return r


def tolerance(ctx: Any, params: dict[str, Any]) -> float:
    if params.get("tolerance") is not None:  # null in the YAML: the [scoring] tolerance
        return float(params["tolerance"])
    cfg = getattr(ctx, "config", None)
    return float(cfg.get("scoring", "tolerance", 0.1)) if cfg is not None else 0.1


def fmt_num(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.2f}".rstrip("0").rstrip(".") if abs(x - round(x, 2)) < 1e-9 else f"{x:.4f}".rstrip("0")


def indicator_loc(ind: Indicator, n: int, name: str) -> Location:
    return ind.location.with_field(f"indicators[{n}].{name}")


def evaluated(doc: Document) -> bool:
    """The indicator table carries results (实际完成值), not just targets."""
    return doc.can("actual_values", default=True) and doc.doc_type != "monitoring_table"


def target_actual(ind: Indicator) -> tuple[Value, Value]:
    from checker.reading.docbuild import parse_value

    t = ind.target_value if ind.target_value.raw or not ind.target else parse_value(ind.target)
    a = ind.actual_value if ind.actual_value.raw or not ind.actual else parse_value(ind.actual)
    return t, a


def shortfall(target: Value, actual: Value) -> bool | None:
    """True when the actual misses the target by its sign, None when not comparable."""
    if target.kind != "quantitative" or actual.kind != "quantitative" or target.number is None or actual.number is None:
        return None
    if not comparable(target, actual):
        return None
    a, b = target.number, actual.number
    if target.sign in ("≤", "<"):
        return b > a + 1e-9
    if target.sign == "=" and a == 0:
        return b > 0
    return b < a - 1e-9
