"""Document-level checks: structure, arithmetic, score plausibility, indicator-table shape.

Each check gets a `DocumentView` (the whole Document plus the official recomputation)
and returns Hits whose `args` carry every number its message names. They only flag
what a reviewer would call a fault; anything the document does not state (a column the
layout lacks, a value the parser could not read) makes a check stay silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from checker.judging.checks import check
from checker.core.finding import Hit
from checker.core.document import Document, Indicator, Location
from checker.judging.checks.docbase import EPS, blank, evaluated, fmt_num, indicator_loc, shortfall, target_actual

_SURVEY = re.compile(r"调查|问卷|测评|回访|访谈|抽样|座谈|走访|评议|样本|抽查|投诉")
_PROBLEM_TITLE = re.compile(r"存在.{0,4}问题|问题及|主要问题|问题分析|问题与")  # not 其他需要说明的问题


def _header_args(doc: Document) -> dict[str, Any]:
    return {"project": doc.project or "本项目", "unit": doc.unit or "本单位"}


# ---- indicator table shape (vague_indicator, IN50+) -----------------------------------


def _is_output(ind: Indicator) -> bool:
    return "产出" in ind.level1 or (not ind.level1 and ind.level2[:2] in ("数量", "质量", "时效"))


def _is_benefit(ind: Indicator) -> bool:
    return "效益" in ind.level1 or "效益" in ind.level2 or "可持续" in ind.level2


def _project_tree(doc: Document) -> bool:
    """The table uses the 10号 project tree (产出/效益/满意度), not a department-wide one."""
    return any(re.search(r"产出|效益|满意度", i.level1) for i in doc.indicators)


@check("doc_output_dimensions")
def output_dimensions(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    outputs = [i for i in doc.indicators if _is_output(i) and i.name.strip()]
    if not outputs or not all(i.level2.strip() for i in outputs):
        return
    dims = params.get("dimensions", ["数量", "质量", "时效"])
    missing = [d for d in dims if not any(d in i.level2 for i in outputs)]
    if missing:
        yield Hit("、".join(missing), outputs[0].location.with_field("indicators"), {"missing": "、".join(f"{d}指标" for d in missing)})


@check("doc_output_benefit_present")
def output_benefit_present(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    named = [i for i in doc.indicators if i.name.strip()]
    if len(named) < 2 or not _project_tree(doc) or doc.doc_type == "overall_report":
        return
    for label, test in (("产出指标", _is_output), ("效益指标", _is_benefit)):
        if not any(test(i) for i in named):
            yield Hit(label, named[0].location.with_field("indicators"), {"missing": label, "count": len(named)})


@check("doc_satisfaction_basis")
def satisfaction_basis(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    sats = [(n, i) for n, i in enumerate(doc.indicators, 1) if "满意" in f"{i.level1}{i.level2}{i.name}" and i.name.strip()]
    if not sats:
        return
    texts = [doc.full_text(), doc.content or "", doc.conclusion or "", doc.problems or ""]
    texts += [f"{i.name}{i.target}{i.actual or ''}{i.deviation or ''}" for i in doc.indicators]
    texts += [f"{s.title}{s.text}" for s in doc.iter_sections()]
    texts += [g.actual or "" for g in doc.goals]
    if any(_SURVEY.search(t) for t in texts):
        return
    n, ind = sats[0]
    yield Hit(ind.name, indicator_loc(ind, n, "name"), {"name": ind.name, "target": ind.target})


@check("doc_min_indicators")
def min_indicators(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    named = [i for i in doc.indicators if i.name.strip()]
    minimum = int(params.get("minimum", 3))
    if 0 < len(named) < minimum:
        yield Hit("、".join(i.name for i in named), named[0].location.with_field("indicators"), {"count": len(named), "minimum": minimum})


@check("doc_empty_category_row")
def empty_category_row(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    for n, ind in enumerate(view.document.indicators, 1):
        if ind.level2.strip() and not ind.name.strip() and not (ind.target or "").strip():
            yield Hit(ind.level2, indicator_loc(ind, n, "name"), {"level1": ind.level1 or "—", "level2": ind.level2})


@check("doc_default_weights")
def default_weights(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    if not doc.can(params.get("needs", "default_weights"), default=True) or not _project_tree(doc):
        return
    inds = [i for i in doc.indicators if i.name.strip()]
    if not inds or any(i.weight is None for i in inds):
        return
    expected = params.get("weights", {"产出": 50, "效益": 30, "满意度": 10})
    got: dict[str, float] = {k: 0.0 for k in expected}
    for i in inds:
        key = next((k for k in expected if k in i.level1), None)
        if key is None:  # 101号 tree (成本 at 一级) or odd labels: not comparable
            return
        got[key] += i.weight or 0.0
    diffs = [f"{k}{fmt_num(got[k])}分（通常{fmt_num(float(v))}分）" for k, v in expected.items() if abs(got[k] - float(v)) > EPS]
    b_w, b_default = (doc.budget.weight if doc.budget else None), float(params.get("budget_weight", 10))
    if b_w is not None and abs(b_w - b_default) > EPS:
        diffs.insert(0, f"预算执行率{fmt_num(b_w)}分（通常{fmt_num(b_default)}分）")
    if diffs:
        yield Hit("；".join(diffs), inds[0].location.with_field("indicators"), {"diffs": "；".join(diffs)})


# ---- perfunctory completion (CP50+) --------------------------------------------------


def _has_deviation_column(doc: Document) -> bool:
    """Readers give None for an empty cell, so a recognised self-evaluation layout counts too."""
    return any(i.deviation is not None for i in doc.indicators) or doc.can("deviation_column")


@check("doc_missing_deviation_reason")
def missing_deviation_reason(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    if not evaluated(doc) or not _has_deviation_column(doc):
        return
    for n, ind in enumerate(doc.indicators, 1):
        t, a = target_actual(ind)
        if shortfall(t, a) and blank(ind.deviation):
            yield Hit(ind.deviation or "（空）", indicator_loc(ind, n, "deviation"), {"name": ind.name, "target": ind.target, "actual": ind.actual})


@check("doc_overachievement_reason")
def overachievement_reason(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    if not evaluated(doc) or not _has_deviation_column(doc):
        return
    ratio = float(params.get("ratio", 1.3))
    for n, ind in enumerate(doc.indicators, 1):
        t, a = target_actual(ind)
        if shortfall(t, a) is not False or t.sign in ("≤", "<") or not t.number or t.number <= 0:
            continue
        if t.unit in ("%", "百分比") and t.number >= 100 / ratio:  # a rate near 100% cannot exceed by 30%
            continue
        if a.number is not None and a.number >= ratio * t.number and blank(ind.deviation):
            pct = round(a.number / t.number * 100)
            yield Hit(ind.actual or "", indicator_loc(ind, n, "deviation"), {"name": ind.name, "target": ind.target, "actual": ind.actual, "pct": pct, "threshold": round(ratio * 100)})


def _said(text: str | None) -> str:
    t = (text or "").strip()
    return f"只填写了“{t}”" if t else "未填写"


@check("doc_empty_problems")
def empty_problems(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    for attr, label in (("problems", "存在问题"), ("measures", "改进措施")):
        text = getattr(doc, attr)
        if text is not None and blank(text):
            yield Hit(text or "（空）", Location(field=attr), {"part": label, "content": _said(text)})
    if doc.problems is None:  # a prose report: look at its 存在的问题 section instead
        for n, s in enumerate(doc.iter_sections(), 1):
            if _PROBLEM_TITLE.search(s.title) and not s.children and blank(s.text):
                yield Hit(s.text or "（空）", s.location.with_field("problems"), {"part": s.title, "content": _said(s.text)})
                break


@check("doc_missing_actual")
def missing_actual(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    if not evaluated(doc) or not doc.indicators:
        return
    if not any((i.actual or "").strip() for i in doc.indicators):
        # no actual anywhere: a goal-setting table (or an unread column) unless it was scored
        if doc.doc_type != "self_eval_table" or not any(i.score is not None for i in doc.indicators):
            return
    for n, ind in enumerate(doc.indicators, 1):
        t, a = target_actual(ind)
        if ind.name.strip() and t.kind != "missing" and a.kind == "missing" and not re.search(r"不适用|不涉及", ind.target or ""):
            yield Hit(ind.actual or "（空）", indicator_loc(ind, n, "actual"), {"name": ind.name, "target": ind.target})


def _rate(doc: Document) -> float | None:
    b = doc.budget
    if not b or not b.total:
        return None
    if b.annual and b.annual > 0 and b.executed is not None:
        return b.executed / b.annual * 100
    return b.execution_rate


@check("doc_low_execution_reason")
def low_execution_reason(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    """Sichuan template: a rate below 90% needs its reason in the 原因 column."""
    doc = view.document
    rate, threshold = _rate(doc), float(params.get("threshold", 90))
    if rate is None or rate >= threshold or doc.doc_type == "monitoring_table":
        return
    has_column = doc.budget.reason is not None or doc.can("budget_reason_column")
    if params.get("mode", "column") == "column":
        if has_column and blank(doc.budget.reason):
            yield Hit(doc.budget.reason or "（空）", doc.budget.total.location.with_field("budget.reason"), {"rate": fmt_num(round(rate, 2)), "threshold": fmt_num(threshold)})
        return
    if has_column:
        return
    texts = [doc.full_text(), doc.problems or "", doc.conclusion or "", doc.measures or ""]
    texts += [g.actual or "" for g in doc.goals] + [i.deviation or "" for i in doc.indicators]
    texts += [s.text for s in doc.iter_sections()]
    if not any(re.search(r"执行率|结余|结转|未支付|未拨付|未使用|资金未|支付进度|执行进度", t) for t in texts):
        yield Hit(f"{fmt_num(round(rate, 2))}%", doc.budget.total.location.with_field("budget.execution_rate"), {"rate": fmt_num(round(rate, 2)), "threshold": fmt_num(threshold)})


# ---- structure (ST) -------------------------------------------------------------------

_TABLE_TYPES = ("self_eval_table", "monitoring_table")
_REPORT_TYPES = ("project_report", "overall_report")


@check("doc_goal_present")
def goal_present(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    if doc.doc_type in params.get("doc_types", _TABLE_TYPES) and not any(g.expected.strip() for g in doc.goals):
        yield Hit("年度总体目标", Location(field="goals"), {"doc_type": _type_label(doc)})


@check("doc_indicators_present")
def indicators_present(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    if doc.doc_type in params.get("doc_types", _TABLE_TYPES) and not any(i.name.strip() for i in doc.indicators):
        yield Hit("绩效指标", Location(field="indicators"), {"doc_type": _type_label(doc)})


def _type_label(doc: Document) -> str:
    from checker.core.document import DOC_TYPE_LABELS

    return DOC_TYPE_LABELS.get(doc.doc_type, "文档")


@check("doc_report_section")
def report_section(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    """A prose report must have the section named by `keywords` (or the matching field)."""
    doc = view.document
    # a table-form 整体自评表 has no sections; a table embedded in prose is a report whatever its type
    is_report = doc.doc_type in _REPORT_TYPES or doc.embedded
    if not is_report or not doc.sections:
        return
    attr = params.get("field", "problems")
    if (getattr(doc, attr, None) or "").strip():
        return
    pattern = re.compile(params.get("keywords", "问题"))
    if not any(pattern.search(t) for t in doc.section_titles()):
        yield Hit(params.get("part", "存在的问题"), Location(field=attr), {"part": params.get("part", "存在的问题"), "doc_type": _type_label(doc)})


@check("doc_monitoring_likelihood_present")
def monitoring_likelihood_present(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    named = [i for i in doc.indicators if i.name.strip()]
    if doc.doc_type == "monitoring_table" and named and not any(i.monitoring and (i.monitoring.likelihood or "").strip() for i in named):
        yield Hit("完成目标可能性", Location(field="indicators"), {"count": len(named)})


@check("doc_identity_present")
def identity_present(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    if doc.doc_type == "unknown":
        return
    missing = []
    if not (doc.unit or doc.department or "").strip():
        missing.append("单位名称")
    if doc.doc_type != "overall_report" and not (doc.project or "").strip():
        missing.append("项目名称")
    if missing:
        yield Hit("、".join(missing), Location(field="unit" if "单位名称" in missing else "project"), {"missing": "、".join(missing)})

