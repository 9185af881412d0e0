"""Target floors (IN07, IN08, IN20): a satisfaction, payment or acceptance rate set too low to mean anything; each rule's YAML names the indicators (names) and the floor."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from checker.core.finding import Hit
from checker.judging.checks import CheckContext, check
from checker.judging.checks.indicator import clean_name, parse_num


def _threshold_hit(view: Any, name_re: str, floor: float) -> Hit | None:
    if not re.search(name_re, clean_name(view.name)):
        return None
    sign, num, unit = parse_num(view.target)
    if num is None or sign in ("≤", "<") or unit not in ("%", "百分比"):
        return None
    if num < floor:
        return Hit(view.target.strip(), view.field("target"), {"match": view.target.strip(), "floor": f"{floor:g}%"}, 0.85)
    return None


@check("indicator_low_satisfaction")
def indicator_low_satisfaction(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN07: a satisfaction target below the configurable floor (default 85%)."""
    hit = _threshold_hit(view, params["names"], float(params.get("satisfaction_floor", 85)))
    if hit:
        yield hit


@check("indicator_low_payment_rate")
def indicator_low_payment_rate(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN08: a payment/allocation rate (发放率, 拨付率, 到位率 …) target below the floor (default 90%)."""
    hit = _threshold_hit(view, params["names"], float(params.get("payment_floor", 90)))
    if hit:
        yield hit


@check("indicator_low_acceptance_rate")
def indicator_low_acceptance_rate(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN20: a works-acceptance pass rate or a payment/eligibility accuracy rate below the floor (default 80%)."""
    # names: only rates whose normal value is ~100% (see the YAML); 抗体合格率, 预报准确率 have their own norms
    hit = _threshold_hit(view, params["names"], float(params.get("acceptance_floor", 80)))
    if hit:
        yield hit


# Values that state a whole coverage (应保尽保, 全覆盖, 足额) pin the benefit to 100%.
