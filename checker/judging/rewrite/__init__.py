"""Rewrites a unit can paste (the finding's `rewrite`): built from the document's own figures and
the indicator library (checker/judging/library.py), never inventing a number.

- context: what a rewrite may draw on (the table, the goal, a snippet's context: project content,
  funds use with its tasks and amounts, indicators listed with their targets);
- values: measurable values of the kind an indicator's name asks for, figures from the document;
- indicator: a vague value, an unmeasurable name, a missing category, an unmet target;
- goal: a goal drafted from the project's own outputs, quality, deadline and beneficiaries;
- completion: each indicator's actual against its target, the gaps left for the unit to explain.

Every digit in a rewrite comes from the document (or the request) or sits inside 【】.
"""

from __future__ import annotations

import re
from dataclasses import replace

from checker.judging.rewrite.completion import completion_rewrite
from checker.judging.rewrite.context import Context, Ind, context_of_document, context_of_request
from checker.judging.rewrite.goal import goal_rewrite
from checker.judging.rewrite.indicator import deviation_rewrite, indicator_rewrite, missing_category_rewrite
from checker.judging.rewrite.values import LIB_CATEGORIES

__all__ = ["LIB_CATEGORIES", "Context", "Ind", "attach", "attach_to_snippet", "context_of_document", "context_of_request", "rewrite_for"]


GOAL_PREFIX = "GO"

COMPLETION_CODES = {"CP01", "CP02", "CP03", "CP04", "CP05", "CP06", "CP07", "CP90"}

MISSING_CATEGORY_CODES = {"IN50", "IN51", "IN53"}

_FIELD = re.compile(r"^(indicators|goals)\[(\d+)\](?:\.(\w+))?$")

def rewrite_for(code: str, field_path: str | None, ctx: Context) -> str | None:
    m = _FIELD.match(field_path or "")
    if code in MISSING_CATEGORY_CODES:
        return missing_category_rewrite(ctx)
    if m and m.group(1) == "indicators":
        i = int(m.group(2))
        if not 1 <= i <= len(ctx.indicators):
            return None
        ind = ctx.indicators[i - 1]
        if code in ("CP50", "AC02"):  # unmet without a reason, or unmet with full marks: the deviation sentence
            return deviation_rewrite(ind)
        return indicator_rewrite(code, ind, ctx, m.group(3) or "target")
    if m and m.group(1) == "goals":
        if code.startswith(GOAL_PREFIX) or m.group(3) == "expected":
            return goal_rewrite(ctx)
        if code in COMPLETION_CODES or m.group(3) == "actual":
            return completion_rewrite(ctx)
    return None


def attach(findings: list, ctx: Context) -> list:
    """Findings with `rewrite` filled where one can be built (Finding objects, returned anew)."""
    out = []
    for f in findings:
        try:
            text = rewrite_for(f.code, f.location.field, ctx)
        except Exception:  # a rewrite is a help; never let it cost the finding
            text = None
        out.append(replace(f, rewrite=text) if text else f)
    return out


def attach_to_snippet(request: dict, answer: dict) -> None:
    """Fill `rewrite` in a snippet answer's finding dicts, from the request alone."""
    if not answer.get("findings"):
        return
    ctx = context_of_request(request)
    kind = request.get("kind")
    # snippet locations name the request's field (indicator.target, goal.expected …)
    single = {"indicator": "indicators[1]", "goal": "goals[1]", "completion": "goals[1]"}.get(kind, "")
    default_attr = {"indicator": "target", "goal": "expected", "completion": "actual"}.get(kind, "")
    for f in answer["findings"]:
        try:
            loc = (f.get("location") or {}).get("field") or ""
            attr = loc.rpartition(".")[2] if "." in loc else default_attr
            fld = f"{single}.{attr}"
            text = rewrite_for(f["code"], fld, ctx)
        except Exception:
            text = None
        if text:
            f["rewrite"] = text
