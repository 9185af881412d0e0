"""Document-level arithmetic and score-plausibility checks (inconsistency NU, weak_accountability AC).

Listed in checker.judging.checks.CHECK_MODULES; uses the helpers of checks/document.py (one way only). Every comparison allows
for the two-decimal rounding of the bureau's tables, and stays silent where a figure is
missing rather than guessing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from checker.judging.checks import check
from checker.judging.checks.docbase import EPS, blank, evaluated, fmt_num, indicator_loc, recomputation, shortfall, target_actual, tolerance
from checker.core.finding import Hit
from checker.core.document import BudgetRow, Location
from checker.judging.selfscore import grade_of

# ---- inconsistency (NU) -------------------------------------------------------------


def _budget_rows(doc) -> list[tuple[str, BudgetRow]]:
    b = doc.budget
    if not b or not b.total:
        return []
    return [("budget", b.total)] + [(f"budget.rows[{n}]", r) for n, r in enumerate(b.rows, 1)]


@check("doc_execution_rate")
def execution_rate(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    tol = float(params.get("tolerance", 0.5))  # percentage points; rates are often written rounded
    for prefix, r in _budget_rows(view.document):
        if r.execution_rate is None or r.executed is None or not r.annual or r.annual <= 0:
            continue
        rate = r.executed / r.annual * 100
        written = r.execution_rate
        if abs(written - rate) <= tol or abs(written * 100 - rate) <= tol:  # 0.95 written for 95%
            continue
        on_initial = bool(r.initial) and abs(r.executed / r.initial * 100 - written) <= tol
        note = "（疑似按年初预算数计算）" if on_initial else ""
        yield Hit(f"{fmt_num(written)}%", r.location.with_field(f"{prefix}.execution_rate"), {
            "label": r.label, "written": fmt_num(written), "computed": fmt_num(round(rate, 2)),
            "executed": fmt_num(r.executed), "annual": fmt_num(r.annual), "note": note})


@check("doc_budget_rows_sum")
def budget_rows_sum(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    b = doc.budget
    if not b or not b.total or not b.rows:
        return
    names = {"annual": "全年预算数", "initial": "年初预算数", "executed": "全年执行数"}
    bad = []
    for attr, label in names.items():
        parts = [getattr(r, attr) for r in b.rows if getattr(r, attr) is not None]
        total = getattr(b.total, attr)
        if not parts or total is None:
            continue
        s = sum(parts)
        # 部门整体 tables split the same money twice (by income and by spending type)
        ok = [total] + ([2 * total] if doc.doc_type == "overall_report" else [])
        if all(abs(s - t) > 0.01 + EPS for t in ok):
            bad.append((attr, f"{label}总额{fmt_num(total)}万元、其中各项合计{fmt_num(round(s, 2))}万元"))
    if bad:  # one finding per table: the columns are usually wrong together
        yield Hit(bad[0][1], b.total.location.with_field(f"budget.{bad[0][0]}"), {"details": "；".join(d for _, d in bad)})


@check("doc_execution_above_budget")
def execution_above_budget(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    b = view.document.budget
    if not b or not b.total:
        return
    base = b.annual if b.annual else b.initial
    if not base or base <= 0:
        return
    for attr, label in (("executed", "全年执行数"), ("forecast", "全年预计执行数")):
        v = getattr(b.total, attr)
        if v is not None and v > base + 0.01:
            yield Hit(fmt_num(v), b.total.location.with_field(f"budget.{attr}"), {"what": label, "value": fmt_num(v), "annual": fmt_num(base)})


@check("doc_spending_without_budget")
def spending_without_budget(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    b = view.document.budget
    if not b or not b.total or not b.executed or b.executed <= 0:
        return
    if b.annual == 0 or (b.annual is None and not b.initial):
        shown = "为0" if b.annual == 0 else "未填写"
        yield Hit(fmt_num(b.annual) if b.annual is not None else "（空）", b.total.location.with_field("budget.annual"), {"executed": fmt_num(b.executed), "annual_text": shown})


@check("doc_total_sum")
def total_sum(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    scores = [i.score for i in doc.indicators if i.score is not None]
    b_score = doc.budget.score if doc.budget else None
    if doc.self_score is None or (not scores and b_score is None):
        return
    s = round(sum(scores) + (b_score or 0.0), 2)
    if abs(s - doc.self_score) > tolerance(ctx, params) + 1e-9:
        yield Hit(fmt_num(doc.self_score), Location(field="self_score"), {
            "self_score": fmt_num(doc.self_score), "sum": fmt_num(s), "budget_score": fmt_num(b_score), "count": len(scores)})


@check("doc_weights_sum")
def weights_sum(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    inds = [i for i in doc.indicators if i.name.strip()]
    if not inds or any(i.weight is None for i in inds):
        return
    groups: dict[str, list] = {}
    for i in inds:
        groups.setdefault(i.level1, []).append(i)
    for level1, members in groups.items():
        lw = next((i.level1_weight for i in members if i.level1_weight is not None), None)
        s = sum(i.weight for i in members)
        if lw is not None and abs(s - lw) > EPS:
            yield Hit(f"{level1}({fmt_num(lw)}分)", members[0].location.with_field("indicators"), {
                "what": f"“{level1}”下各三级指标分值合计", "sum": fmt_num(round(s, 2)), "expected": fmt_num(lw)})
    b_w = doc.budget.weight if doc.budget else None
    full = float(params.get("total", 100))
    if b_w is not None and doc.doc_type in ("self_eval_table", "overall_report"):
        s = b_w + sum(i.weight for i in inds)
        if abs(s - full) > EPS:
            yield Hit(fmt_num(round(s, 2)), Location(field="indicators"), {
                "what": "预算执行率分值与全部三级指标分值合计", "sum": fmt_num(round(s, 2)), "expected": fmt_num(full)})


def _over_weight(score: float | None, weight: float | None) -> bool:
    return score is not None and weight is not None and score > weight + EPS


@check("doc_score_formula")
def score_formula(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    """Unit's score above what the official formula gives (understating is left alone:
    10号 lets a unit cut the score of a target set too low)."""
    doc, rec = view.document, recomputation(view, ctx)
    if rec is None:
        return
    tol = tolerance(ctx, params)
    b = doc.budget
    if b and b.total and b.score is not None and rec.budget_score is not None and not _over_weight(b.score, b.weight):
        # a score that follows a wrongly written rate is NU01's fault, not a second one
        follows_rate = b.execution_rate is not None and b.weight is not None and abs(min(b.execution_rate, 100) / 100 * b.weight - b.score) <= tol
        if b.score > rec.budget_score + tol and not follows_rate:
            yield Hit(fmt_num(b.score), b.total.location.with_field("budget.score"), {
                "name": "预算执行率", "score": fmt_num(b.score), "recomputed": fmt_num(rec.budget_score), "formula": rec.budget_formula})
    for row in rec.rows:
        ind = doc.indicators[row.index - 1]
        if row.kind != "quantitative" or row.unit_score is None or row.score is None or _over_weight(ind.score, ind.weight):
            continue
        if row.misses_target and ind.weight is not None and ind.score >= ind.weight - EPS:
            continue  # full marks despite a miss: AC02 says it better
        ceiling = max(row.score, row.alternative if row.alternative is not None else row.score)
        if row.unit_score > ceiling + tol:
            yield Hit(fmt_num(row.unit_score), indicator_loc(ind, row.index, "score"), {
                "name": ind.name, "score": fmt_num(row.unit_score), "recomputed": fmt_num(row.score), "formula": row.formula})


@check("doc_grade_band")
def grade_band(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    m = re.search(r"[优良中差]", doc.self_grade or "")
    if doc.self_score is None or not m:
        return
    expected = grade_of(doc.self_score)
    if m.group(0) != expected:
        yield Hit(doc.self_grade or "", Location(field="self_grade"), {"grade": m.group(0), "self_score": fmt_num(doc.self_score), "expected": expected})


@check("doc_score_above_weight")
def score_above_weight(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    b = doc.budget
    if b and b.total and _over_weight(b.score, b.weight):
        yield Hit(fmt_num(b.score), b.total.location.with_field("budget.score"), {"name": "预算执行率", "score": fmt_num(b.score), "weight": fmt_num(b.weight)})
    for n, ind in enumerate(doc.indicators, 1):
        if _over_weight(ind.score, ind.weight):
            yield Hit(fmt_num(ind.score), indicator_loc(ind, n, "score"), {"name": ind.name, "score": fmt_num(ind.score), "weight": fmt_num(ind.weight)})


# ---- weak accountability (AC) ---------------------------------------------------------


@check("doc_self_score_inflated")
def self_score_inflated(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc, rec = view.document, recomputation(view, ctx)
    if rec is None or rec.total is None or doc.self_score is None:
        return
    margin = float(params.get("margin", 1.0))
    best = max(rec.total, rec.alternative_total or rec.total)  # give the unit the kinder formula
    if doc.self_score - best <= margin + 1e-9:
        return
    rows = sorted((r for r in rec.rows if r.diff and r.diff > 0), key=lambda r: (-r.diff, r.index))
    parts = [f"“{r.name}”高{fmt_num(r.diff)}分" for r in rows[: int(params.get("top", 3))]]
    if doc.budget and doc.budget.score is not None and rec.budget_score is not None and doc.budget.score - rec.budget_score > EPS:
        parts.insert(0, f"预算执行率得分高{fmt_num(round(doc.budget.score - rec.budget_score, 2))}分")
    yield Hit(fmt_num(doc.self_score), Location(field="self_score"), {
        "self_score": fmt_num(doc.self_score), "recomputed": fmt_num(rec.total), "diff": fmt_num(round(doc.self_score - rec.total, 2)),
        "contributors": "、".join(parts) or "各项得分与公式不符"})


@check("doc_full_marks_despite_miss")
def full_marks_despite_miss(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    if not evaluated(doc):
        return
    for n, ind in enumerate(doc.indicators, 1):
        t, a = target_actual(ind)
        if ind.weight and ind.score is not None and ind.score >= ind.weight - EPS and shortfall(t, a):
            yield Hit(ind.actual or "", indicator_loc(ind, n, "score"), {"name": ind.name, "target": ind.target, "actual": ind.actual, "score": fmt_num(ind.score)})


@check("doc_all_full_marks")
def all_full_marks(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    scored = [i for i in doc.indicators if i.weight and i.score is not None]
    if not evaluated(doc) or len(scored) < int(params.get("min_rows", 5)):
        return
    if all(i.score >= i.weight - EPS for i in scored) and not any((i.deviation or "").strip() and not re.fullmatch(r"[无/—\-\s]*", i.deviation) for i in doc.indicators):
        yield Hit(f"{len(scored)}项指标均为满分", Location(field="indicators"), {"count": len(scored)})


def _norm(t: str | None) -> str:
    return re.sub(r"\s+", "", (t or "")).replace(">=", "≥").replace("<=", "≤")


@check("doc_actuals_copied")
def actuals_copied(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc = view.document
    if not evaluated(doc):
        return
    pairs = [(i, target_actual(i)) for i in doc.indicators if (i.actual or "").strip() and i.target.strip()]
    if not pairs or any(_norm(i.actual) != _norm(i.target) for i, _ in pairs):
        return
    # an exact "100%" for a "100%" target is plausible; a copied sign or sentence is not
    evident = [i for i, (t, _a) in pairs if re.search(r"[≥≤><]|不低于|不高于|不少于|不超过", i.actual or "") or t.kind == "qualitative"]
    if len(evident) >= int(params.get("min_rows", 3)):
        yield Hit("；".join(f"{i.name}：{i.actual}" for i in evident[:3]), Location(field="indicators"), {"count": len(pairs)})


@check("doc_qualitative_band")
def qualitative_band(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    doc, rec = view.document, recomputation(view, ctx)
    if rec is None:
        return
    for row in rec.rows:
        ind = doc.indicators[row.index - 1]
        if row.kind != "qualitative" or row.unit_score is None or row.band is None or _over_weight(ind.score, ind.weight):
            continue
        lo, hi = row.band
        inside = lo - EPS <= row.unit_score <= hi + EPS if row.grade == "达成" else lo - EPS <= row.unit_score < hi - EPS
        if not inside:
            close = "]" if row.grade == "达成" else ")"
            yield Hit(ind.actual or "", indicator_loc(ind, row.index, "score"), {
                "name": ind.name, "actual": ind.actual, "score": fmt_num(row.unit_score), "band": f"[{fmt_num(lo)}, {fmt_num(hi)}{close}"})


@check("doc_monitoring_certain_but_short")
def monitoring_certain_but_short(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    from checker.reading.docbuild import parse_value

    for n, ind in enumerate(view.document.indicators, 1):
        m = ind.monitoring
        if not m or "确定能" not in (m.likelihood or ""):
            continue
        fv = m.forecast_value or parse_value(m.forecast)
        t, _a = target_actual(ind)
        if shortfall(t, fv):
            yield Hit(m.likelihood or "", indicator_loc(ind, n, "likelihood"), {"name": ind.name, "target": ind.target, "forecast": m.forecast})


@check("doc_monitoring_doubt_without_cause")
def monitoring_doubt_without_cause(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:

    for n, ind in enumerate(view.document.indicators, 1):
        m = ind.monitoring
        if not m or not re.search(r"有可能|不可能", m.likelihood or ""):
            continue
        if all(blank(v) for v in m.causes.values()) and blank(m.remark):
            yield Hit(m.likelihood or "", indicator_loc(ind, n, "likelihood"), {"name": ind.name, "likelihood": m.likelihood})


# ---- monitoring tables written by rote (issue 10) ----------------------------------------------

_ZERO_PROGRESS = re.compile(r"^(?:0+(?:\.0+)?\s*[%％]?[\u4e00-\u9fff]{0,3}|未开展|未启动|未实施|尚未(?:开展|启动|实施)|无)$")
_GRADE_WORD = re.compile(r"^(?:优秀?|良好?|较好|好|一般|中等?|差|较差|合格|不合格|正常|达标|未达标|满意|基本满意)$")


def _monitored(doc: Any) -> list[tuple[int, Any]]:
    return [(n, ind) for n, ind in enumerate(doc.indicators, 1) if ind.monitoring is not None and ind.name.strip()]


def _deviation_text(ind: Any) -> str:
    """The 偏差原因 written for one indicator: the deviation column, the five cause columns or the remark."""
    m = ind.monitoring
    parts = [ind.deviation or ""]
    if m is not None:
        parts += [v for _, v in sorted(m.causes.items())] + [m.remark or ""]
    text = "；".join(p.strip() for p in parts if p and p.strip() not in ("", "/", "—", "-", "无", "否", "√", "✓", "0"))
    return re.sub(r"\s+", "", text)


@check("doc_monitoring_certain_without_progress")
def monitoring_certain_without_progress(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    """AC08: every indicator is marked 确定能 although nothing has been spent or done by the
    monitoring date (1-X月 execution 0%, or every 1-X月执行情况 zero/empty)."""
    doc = view.document
    rows = _monitored(doc)
    with_l = [(n, ind) for n, ind in rows if (ind.monitoring.likelihood or "").strip()]
    if len(with_l) < params.get("min_rows", 3) or not all("确定能" in ind.monitoring.likelihood for _, ind in with_l):
        return
    b = doc.budget
    spent = None
    if b is not None and b.total is not None:
        if b.total.executed is not None:
            spent = b.total.executed
        elif b.total.execution_rate is not None:
            spent = b.total.execution_rate
    progress = [re.sub(r"\s+", "", ind.monitoring.progress or "") for _, ind in rows]
    no_progress = all(not p or _ZERO_PROGRESS.match(p) for p in progress)
    if spent == 0 or (no_progress and any(progress)):
        what = "1-X月预算执行为0" if spent == 0 else "各项指标1-X月执行情况均为0或空白"
        n, first = with_l[0]
        yield Hit(first.monitoring.likelihood or "", indicator_loc(first, n, "likelihood"), {"count": len(with_l), "what": what})


@check("doc_copied_deviation_text")
def copied_deviation_text(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    """AC09: the same deviation sentence is copied into (nearly) every indicator row."""
    doc = view.document
    texts = [(n, ind, _deviation_text(ind)) for n, ind in enumerate(doc.indicators, 1) if ind.name.strip()]
    filled = [(n, ind, t) for n, ind, t in texts if len(re.findall(r"[\u4e00-\u9fff]", t)) >= params.get("min_chars", 6)]
    if len(filled) < params.get("min_rows", 3):
        return
    counts: dict[str, int] = {}
    for _, _, t in filled:
        counts[t] = counts.get(t, 0) + 1
    text, same = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if same >= params.get("min_rows", 3) and same / len(texts) >= params.get("min_share", 0.8):
        sharing = [ind for _, ind, t in filled if t == text]
        # in a self-evaluation table "无偏差" copied onto rows that all met their targets is simply
        # true; copied onto a row that fell short it hides the deviation (a monitoring table is
        # filled before the year ends, so a copied line there is always rote)
        if (
            doc.doc_type != "monitoring_table"
            and not any(ind.monitoring is not None for ind in sharing)
            and re.search(params.get("no_deviation", r"无偏差|没有偏差|未发生偏差|无差异|已完成|已达到|达到预期|达成|完成目标"), text)
            and not any(shortfall(*target_actual(ind)) for ind in sharing)
        ):
            return
        n, ind = next((n, ind) for n, ind, t in filled if t == text)
        field = "deviation" if ind.deviation else "likelihood"
        yield Hit(text[:60], indicator_loc(ind, n, field), {"count": same, "rows": len(texts)})


@check("doc_grade_word_progress")
def grade_word_progress(view: Any, params: dict[str, Any], ctx: Any) -> Iterable[Hit]:
    """AC10: 1-X月执行情况 filled with a grade word (一般、良好) instead of the progress made."""
    for n, ind in _monitored(view.document):
        p = re.sub(r"\s+", "", ind.monitoring.progress or "")
        if p and _GRADE_WORD.match(p):
            yield Hit(ind.monitoring.progress.strip(), indicator_loc(ind, n, "progress"), {"name": ind.name, "progress": p})
