"""Indicator-name checks (vague_indicator): placeholder and date names, generic process rates, goal sentences used as names, counts and percentages that do not fit the name."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from checker.core.finding import Hit
from checker.judging.checks import CheckContext, check
from checker.judging.checks.indicator import MEASURE_NOUN, VALUE_IN_NAME, checkable, clean_name, loc, norm, normalize, parse_num


# ---- name shapes (issue 10): placeholders, dates, generic process rates, goal sentences --------

_PLACEHOLDER_NAME = re.compile(
    r"^(?:三级|二级)?指标(?:名称)?[\dA-Za-z一二三四五六七八九十]*$|^[\dA-Za-z一二三四五六七八九十]{1,3}$|"
    r"^(?:无|暂无|不适用|略|其他|其它|空|待定|x+|X+|某某)$|不适用(?:此|该|本)?指标|^(?:本项目)?(?:无|没有)(?:此|该)?(?:类)?指标$"
)
# a category heading, also numbered as a template leaves it (数量指标1, 质量指标二)
_LEVEL_NAMES = re.compile(
    r"^(?:产出|效益|数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|社会成本|经济成本|生态环境成本)(?:指标)?"
    r"(?:(?<=指标)[\d一二三四五六七八九十]{1,2})?$"
)
# a date, a month-end or year-end (2024年6月, 2023年12月底前完成, 2023年底前)
_DATE_NAME = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年(?:度)?)?(?:(?:\d{1,2}\s*[-—~～至]\s*)?\d{1,2}\s*月(?:\d{1,2}\s*日)?)?(?:底|末|中旬|上旬|下旬)?(?:前|以前|之前|内)?"
    r"(?:完成|完工|竣工|建成|发放|到位|支付|拨付)?$"
)
# the same without figures: 年底前完成, 年内, 上半年
_PERIOD_NAME = re.compile(r"^(?:年底|年末|年内|年度内|本年度?|当年|全年|上半年|下半年)(?:前|以前|之前|内)?(?:完成|完工|竣工|建成|发放|到位|支付|拨付)?$")


def _bare(name: str) -> str:
    """The name without signs, numbers and units: what it says in words."""
    return re.sub(r"[\d.%％≥≤=><]", "", name)


@check("indicator_placeholder_name")
def indicator_placeholder_name(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN22: the name is a placeholder (指标1, 无, 不适用), a category heading (数量指标), a date,
    a bare number, or the value itself: nothing says what is measured."""
    raw = normalize(view.name)
    name = re.sub(r"^[★☆*]+", "", re.sub(r"[（(][^）)]*[）)]", "", raw))
    name = re.sub(r"[，。、；：:,.;\s“”\"'·]", "", name)
    if not raw:
        return
    target = re.sub(r"[，。、；：:,.;\s]", "", norm(view.target))
    why = None
    _, num, unit = parse_num(view.target)
    counted = num is not None and bool(unit) and unit not in ("%", "％", "百分比")
    heading = _LEVEL_NAMES.match(name)
    # a bare heading with a count may be a table whose 三级 column was folded into 二级; a numbered one is a template left as is
    if _PLACEHOLDER_NAME.search(name) or (heading and (not counted or re.search(r"[\d一二三四五六七八九十]$", name))):
        why = "是占位或类别名称"
    elif (re.search(r"\d", name) and _DATE_NAME.match(name) and re.search(r"年|月", name)) or _PERIOD_NAME.match(name):
        why = "是一个日期"
    elif not re.search(r"[\u4e00-\u9fff]", _bare(name)):
        why = "只有数字或符号"
    elif target and norm(name).replace(" ", "") == target and re.search(r"\d", target):
        why = "与指标值相同"
    if why:
        yield Hit(view.name.strip(), loc(view, "name"), {"shape": why}, 0.85)


def _generic_parts(ctx: CheckContext) -> re.Pattern[str] | None:
    def build():
        words = sorted({w for w in ctx.wordlists.get("generic_name_parts") or [] if w}, key=len, reverse=True)
        return re.compile("|".join(map(re.escape, words))) if words else None

    return ctx.wordlists.derived("generic_name_parts:rx", build)


@check("indicator_generic_process_rate")
def indicator_generic_process_rate(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN23: a name built only from process words (工作任务及时完成率, 经费有效使用情况, 成本控制率)
    that names no deliverable of this project, with a bare rate or a wordless value."""
    name = clean_name(view.name)
    rx = _generic_parts(ctx)
    if not name or rx is None:
        return
    rest = re.sub(r"[^\u4e00-\u9fff]", "", rx.sub("", name))
    if len(rest) > params.get("max_rest_chars", 0):
        return
    t = norm(view.target)
    _, num, unit = parse_num(t)
    if num is not None and unit and unit not in ("%", "％", "百分比"):
        return  # a count or an amount ties it to this project
    if num is None and re.search(r"\d", t):
        return  # a date or a sentence with a figure
    if checkable(t, params):
        return
    yield Hit(view.name.strip(), loc(view, "name"), {"match": name}, 0.8)


_AIM_VERB = re.compile(
    r"提高|提升|改善|增强|促进|推动|推进|加强|巩固|助力|打造|营造|带动|完善|优化|实现|保障|确保|维护|加快|强化|深化|激发|弘扬|传承|发挥"
)


@check("indicator_goal_sentence_name")
def indicator_goal_sentence_name(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN24: the name is a goal sentence (教学质量提高、办学条件改善; 持续完善……体系) rather than a
    measure, and the value does not turn it into one (no count, amount or date)."""
    name = normalize(view.name)
    core = re.sub(r"[^\u4e00-\u9fff]", "", name)
    verbs = _AIM_VERB.findall(name)
    if not verbs or len(core) < params.get("min_chars", 8):
        return
    clauses = [c for c in re.split(r"[、，,；;。]", name) if re.search(r"[\u4e00-\u9fff]{2}", c)]
    if len(clauses) < 2 and len(core) < params.get("long_chars", 14):
        return
    if VALUE_IN_NAME.search(name):
        return  # the sentence carries its own figure (绿化覆盖达70%): a target written into the name
    # a measure word in the name (率, 数, 量, 面积 …) makes it an indicator, however worded
    if re.search(params.get("measure_words", r"率|数|[数产总用流存销储]量|面积|长度|里程|人次|金额|比例|比重|时间|天数|成本|价格|标准|度$"), name):
        return
    t = norm(view.target)
    _, num, unit = parse_num(t)
    if num is not None and unit and unit not in ("%", "％", "百分比"):
        return
    if num is None and re.search(r"\d", t):
        return
    yield Hit(view.name.strip(), loc(view, "name"), {"verbs": "、".join(dict.fromkeys(verbs))}, 0.8)


# a name that counts something (学生数, 户数, 面积 …)
_COUNT_NAME = re.compile(r"(?:人数|户数|个数|次数|人次|数量|面积|里程|长度|学生数|对象数|[^率]数)$")


@check("indicator_count_as_percent")
def indicator_count_as_percent(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN25: a 数量指标 whose name counts something (应受助学生数, 改造户数) set only as a percentage:
    the count itself is never given, so the target says nothing about how many."""
    from checker.judging.checks.narrative import to_simplified

    if "数量" not in to_simplified(normalize(view.level2)):
        return
    name = to_simplified(clean_name(view.name))
    if not _COUNT_NAME.search(name) or re.search(r"率|比例|占比|比重", name):
        return
    _, num, unit = parse_num(view.target)
    if num is not None and unit in ("%", "％", "百分比"):
        yield Hit(view.target.strip(), loc(view), {"name": view.name.strip()}, 0.8)


@check("indicator_percent_without_rate")
def indicator_percent_without_rate(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN26: a bare percentage on a name that measures no rate or share (基础信息完善 100%,
    日常考核结果 100%): nothing says what the percentage is a share of."""
    _, num, unit = parse_num(view.target)
    if num is None or unit not in ("%", "％", "百分比"):
        return
    name = clean_name(view.name)
    if len(re.sub(r"[^\u4e00-\u9fff]", "", name)) < params.get("min_chars", 2):
        return  # a placeholder or number is IN22's
    if re.search(params.get("measure_nouns", MEASURE_NOUN), name) or VALUE_IN_NAME.search(normalize(view.name)):
        return  # a rate, or a name that carries its own counts (慰问伤残军人50人): the share has a base
    yield Hit(view.name.strip(), loc(view, "name"), {"target": view.target.strip()}, 0.8)
