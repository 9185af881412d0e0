"""Recompute a unit's self-score from its own figures by the official method (domain.md §2).

- Budget: min(执行率, 100%) × 分值, 执行率 = 全年执行数 / 全年预算数 (not 年初预算数).
- Quantitative indicators (A = 年度指标值, B = 实际完成值, w = 分值):
  正向 (≥ >): B ≥ A → w, else B/A × w;
  反向 (≤ <): B ≤ A → w; linear (1 − (B−A)/A) × w, 0 at B ≥ 2A (config
  `[scoring] reverse_formula = "ratio"` gives A/B × w); the other formula is reported
  as `alternative_total` when the totals differ;
  等于 (=): A = 0: B ≤ 0 → w else 0; A > 0 as 正向.
- Qualitative indicators: three grade labels and their score bands (10号); the unit's
  own score clamped into the band of its label, or full marks for 达成 when none given.
- Items without a usable target/actual (不适用, missing) are left out and the rest
  rescaled to the full weight base (S-doczj).
Rounding is half-up to two decimals, as the bureau's tables do.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from checker.core.document import Document, Indicator, Value

CENT = Decimal("0.01")

# The three official grades of a qualitative indicator and their bands (fractions of w).
GRADE_BANDS = {
    "达成": (Decimal("0.8"), Decimal("1"), "达成年度指标"),
    "部分达成": (Decimal("0.6"), Decimal("0.8"), "部分达成年度指标并具有一定效果"),
    "未达成": (Decimal("0"), Decimal("0.6"), "未达成年度指标且效果较差"),
}

# Drifting labels seen in real tables -> grade. Distinctive phrases may sit inside a longer
# cell; short words (好, 差, 完成 …) only count as the whole cell, so 无差错 is not 差.
GRADE_PHRASES: tuple[tuple[str, str], ...] = (
    ("未达成年度指标且效果较差", "未达成"),
    ("部分达成年度指标并具有一定效果", "部分达成"),
    ("部分达成", "部分达成"),
    ("未达成", "未达成"),
    ("达成年度指标", "达成"),
    ("达成预期指标", "达成"),
    ("达成预期目标", "达成"),
)
GRADE_WORDS = {
    **dict.fromkeys(("达成", "已达成", "完成", "已完成", "全部完成", "效果明显", "效果显著", "好", "较好", "良好",
                     "优", "优秀", "是", "合格", "达标", "已达标", "达到预期"), "达成"),
    **dict.fromkeys(("一般", "部分完成", "基本达标"), "部分达成"),
    **dict.fromkeys(("差", "较差", "效果较差", "未完成", "未达标", "不合格", "否", "未达到预期"), "未达成"),
}
_NEGATION = re.compile(r"未|没|不|部分")

NOT_APPLICABLE = re.compile(r"不适用|不涉及|无此项|未开展统计")

GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"))


def q2(x: Decimal | float | int) -> Decimal:
    """Round half-up to two decimals (2.675 -> 2.68), as the bureau's table does."""
    d = x if isinstance(x, Decimal) else Decimal(str(x))
    if not d.is_finite():
        raise ValueError(f"not a finite number: {x}")
    with localcontext() as ctx:  # the default 28 digits cannot quantize 1e26 to cents
        ctx.prec = max(28, d.adjusted() + 4)
        return d.quantize(CENT, rounding=ROUND_HALF_UP)


def dec(x: float | int | None) -> Decimal | None:
    return None if x is None else Decimal(str(x))


def grade_of(score: float | Decimal | None) -> str | None:
    """优 ≥90, 良 ≥80, 中 ≥60, else 差 (inclusive lower bounds, after rounding)."""
    if score is None:
        return None
    s = q2(score)
    for floor, label in GRADES:
        if s >= floor:
            return label
    return "差"


def grade_label(text: str | None) -> str | None:
    """Map a qualitative 实际完成值 label to 达成 / 部分达成 / 未达成, or None."""
    t = re.sub(r"[\s。．.，,；;!！]+", "", text or "")
    if not t or len(t) > 20:  # a long sentence is a description, not a grade label
        return None
    if t in GRADE_WORDS:
        return GRADE_WORDS[t]
    for phrase, grade in GRADE_PHRASES:
        if phrase in t:
            # 达成年度指标 inside 未…/部分… is not an achievement
            if grade == "达成" and _NEGATION.search(t.replace(phrase, "")):
                return None
            return grade
    return None


@dataclass
class IndicatorScore:
    index: int  # 1-based position in document.indicators
    name: str
    formula: str  # Chinese, e.g. 正向：B≥A 得满分
    weight: float | None
    score: float | None  # recomputed; None when left out
    unit_score: float | None
    diff: float | None  # unit_score - score
    included: bool = True
    kind: str = "quantitative"  # quantitative | qualitative | unit | omitted
    grade: str | None = None  # qualitative: 达成 / 部分达成 / 未达成
    band: tuple[float, float] | None = None  # qualitative: allowed [low, high] in points
    misses_target: bool = False  # quantitative B short of A (by the sign)
    alternative: float | None = None  # reverse indicators: the other formula's score


@dataclass
class Recomputation:
    total: float | None
    grade: str | None
    budget_score: float | None
    budget_formula: str | None
    budget_rate: float | None  # recomputed 执行率 in percent
    rows: list[IndicatorScore] = field(default_factory=list)
    alternative_total: float | None = None
    reverse_formula: str = "linear"
    weight_base: float | None = None
    rescaled: bool = False
    unit_total: float | None = None  # the unit's own 总分

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for r in d["rows"]:
            if r["band"] is not None:
                r["band"] = list(r["band"])
        return d


def _value(text: str | None, parsed: Value) -> Value:
    if parsed.raw or not text:
        return parsed
    from checker.reading.docbuild import parse_value

    return parse_value(text)


def _budget(doc: Document) -> tuple[Decimal | None, Decimal | None, str | None, Decimal | None]:
    """(score, weight, formula, rate) of the budget row; score None when not computable."""
    b = doc.budget
    if not b or not b.total or b.total.weight is None:
        return None, None, None, None
    w = dec(b.total.weight)
    if b.annual is None or b.executed is None or b.annual <= 0:
        return None, w, None, None
    rate = dec(b.executed) / dec(b.annual)
    score = q2(min(rate, Decimal(1)) * w)
    return score, w, "min(全年执行数/全年预算数, 100%)×分值", rate * 100


_PERCENT = {"%", "百分比", "％"}


def comparable(target: Value, actual: Value) -> bool:
    """Same unit, or one side has none (units are often dropped in the actual cell);
    a bare fraction against a percent target (0.95 for ≥90%) is not comparable."""
    ua, ub = (target.unit or "").strip(), (actual.unit or "").strip()
    if ua in _PERCENT and not ub and actual.number is not None and target.number is not None:
        return not (abs(actual.number) <= 1 < abs(target.number))
    if not ua or not ub or ua == ub:
        return True
    return {ua, ub} <= _PERCENT


def _quantitative(a: Decimal, b: Decimal, w: Decimal, sign: str | None, reverse: str) -> tuple[Decimal, str, bool, Decimal | None]:
    """Score, formula, whether B misses A, and the alternative reverse score."""
    if sign in ("≤", "<"):
        if b <= a:
            return w, "反向：B≤A 得满分", False, None
        if a <= 0:
            return Decimal(0), "反向：A=0 且 B>0 得0分", True, None
        linear = max(Decimal(0), (1 - (b - a) / a) * w)
        ratio = a / b * w
        if reverse == "ratio":
            return q2(ratio), "反向：A/B×分值", True, q2(linear)
        return q2(linear), "反向：(1−(B−A)/A)×分值", True, q2(ratio)
    if sign == "=" and a == 0:
        return (w, "等于（A=0）：B≤0 得满分", False, None) if b <= 0 else (Decimal(0), "等于（A=0）：B>0 得0分", True, None)
    label = "正向" if sign in ("≥", ">") else ("等于" if sign == "=" else "正向（未注明符号）")
    if b >= a:
        return w, f"{label}：B≥A 得满分", False, None
    if a <= 0:
        return w, f"{label}：B≥A 得满分", False, None
    return q2(max(Decimal(0), b / a * w)), f"{label}：B/A×分值", True, None


def _score_indicator(n: int, ind: Indicator, reverse: str) -> IndicatorScore:
    w, us = dec(ind.weight), ind.score
    row = IndicatorScore(n, ind.name, "", ind.weight, None, us, None)
    ta, aa = _value(ind.target, ind.target_value), _value(ind.actual, ind.actual_value)
    if NOT_APPLICABLE.search(f"{ind.target or ''}{ind.actual or ''}") or ta.kind == "missing" or aa.kind == "missing":
        row.formula, row.included, row.kind = "目标值或实际完成值缺失/不适用，不计入并按比例折算", False, "omitted"
        return row
    if ta.kind == "quantitative" and aa.kind == "quantitative" and ta.number is not None and aa.number is not None:
        if comparable(ta, aa):
            s, formula, miss, alt = _quantitative(dec(ta.number), dec(aa.number), w, ta.sign, reverse)
            row.score, row.formula, row.misses_target = float(s), formula, miss
            row.alternative = float(alt) if alt is not None else None
            return _with_diff(row)
    grade = grade_label(ind.actual) if aa.kind != "quantitative" else None
    if grade:
        lo_f, hi_f, label = GRADE_BANDS[grade]
        lo, hi = q2(lo_f * w), q2(hi_f * w)
        if us is None:
            s = hi if grade == "达成" else lo
        else:
            s = min(max(dec(us), lo), hi)
            if grade != "达成" and s >= hi:  # the band's upper end is exclusive
                s = hi - CENT
        row.score, row.kind, row.grade, row.band = float(q2(s)), "qualitative", grade, (float(lo), float(hi))
        row.formula = f"定性：{label}，得分区间[{lo}, {hi}{']' if grade == '达成' else ')'}"
        return _with_diff(row)
    # Something is written but no formula applies: keep the unit's score, we cannot judge it.
    row.kind, row.formula = "unit", "无法按公式复算，沿用单位得分"
    if us is None:
        row.included, row.kind = False, "omitted"
        return row
    row.score = float(q2(us))
    return _with_diff(row)


def _with_diff(row: IndicatorScore) -> IndicatorScore:
    if row.unit_score is not None and row.score is not None:
        row.diff = float(q2(dec(row.unit_score) - dec(row.score)))
    return row


def recompute(doc: Document, config: Any = None) -> Recomputation | None:
    """Recompute the self-score of `doc`; None when it has no scorable table."""
    reverse = "linear"
    if config is not None:
        reverse = str(config.get("scoring", "reverse_formula", "linear") or "linear")
    b_score, b_weight, b_formula, b_rate = _budget(doc)
    rows = [_score_indicator(n, ind, reverse) for n, ind in enumerate(doc.indicators, 1) if ind.weight is not None]
    if not rows and b_weight is None:
        return None
    base = (b_weight or Decimal(0)) + sum((dec(r.weight) for r in rows), Decimal(0))
    used_w = (b_weight if b_score is not None else Decimal(0)) + sum((dec(r.weight) for r in rows if r.included), Decimal(0))
    raw = (b_score or Decimal(0)) + sum((dec(r.score) for r in rows if r.included), Decimal(0))
    alt_raw = (b_score or Decimal(0)) + sum(
        (dec(r.alternative if r.alternative is not None else r.score) for r in rows if r.included), Decimal(0)
    )
    if used_w <= 0 or base <= 0:
        return None
    rescaled = used_w < base
    factor = base / used_w if rescaled else Decimal(1)
    total = q2(raw * factor)
    alt_total = q2(alt_raw * factor)
    return Recomputation(
        total=float(total),
        grade=grade_of(total),
        budget_score=float(b_score) if b_score is not None else None,
        budget_formula=b_formula,
        budget_rate=float(q2(b_rate)) if b_rate is not None else None,
        rows=rows,
        alternative_total=float(alt_total) if alt_total != total else None,
        reverse_formula=reverse,
        weight_base=float(base),
        rescaled=rescaled,
        unit_total=doc.self_score,
    )
