"""Indicators that name no measure, made measurable in the row's own words:

- an effect written as words (提升知名度, 显著改善) → the measure the library's 效果量化 table gives for
  it, in the same 二级指标;
- a bare task in the name (食品安全监管人员培训) or a generic process indicator (经费支出合规率, 预算执行率)
  → this project's own indicator of that 二级指标 for the task (任务量化: 培训 → 考核合格率, 培训人次).

The figure is always a placeholder: only the row or the document could give it.
"""

from __future__ import annotations

import re

from checker.judging.library import load_measures
from checker.judging.rewrite.context import Context, Ind, clean_name, core_task
from checker.judging.rewrite.values import FILL

_LEAD_VERBS = re.compile(r"^(?:对|持续|进一步|有效|不断|全面|深入)?(?:开展|提升|提高|改善|促进|保障|保证|增强|巩固|优化|减轻|降低|推动|打造|扩大|"
                         r"满足|加强|加大|助力|实现|完善|建立|提供|解决)+")
_EFFECT_TAIL = re.compile(r"(?:的)?(?:素养|水平|意识|程度|影响|状况|能力|效果|作用|力度|情况|质量|覆盖面|的可持续)+$")
# Groups a measure can be about, most specific first; the project's name is read when the row names none
_GROUPS = ("参训学员", "参训人员", "科技特派员", "学员", "村民", "农民", "农户", "居民", "群众", "学生", "民办幼儿园", "幼儿园", "幼儿",
           "患者", "老年人",
           "残疾人", "游客", "服务对象")


def effect_object(name: str) -> str:
    """What an effect is about: the name without its numbering, leading verb and effect word
    (辖区内公众食品安全科普知识素养 → 辖区内公众食品安全科普知识), "" when too long to read as a name."""
    t = re.split(r"[,，。；;:：]", clean_name(name))[0].strip()
    t = re.sub(r"(?:价格|单价)?(?:不高于|不超过|低于|高于).*$", "", t)  # 种薯采购价格不高于市场价 → 种薯采购
    t = re.sub(r"(?:持续|不断|逐步|显著|明显)?(?:提升|提高|改善|增强|扩大|加强)$", "", t)  # 能力持续提升 → 能力
    t = _EFFECT_TAIL.sub("", _LEAD_VERBS.sub("", t)).strip("的 ")
    return t if 2 <= len(t) <= 14 else ""


def _group(name: str, project: str, default: str) -> str:
    for text in (name, project):
        for g in _GROUPS:
            if g in text:
                return g
    return default


def _fill(m, obj: str, ind: Ind, ctx: Context) -> str | None:
    if "{对象}" in m.name and not obj:
        return None
    grp = _group(ind.name, ctx.project, "服务对象" if m.category == "满意度指标" else "群众")
    return m.name.replace("{对象}", obj).replace("{人群}", grp)


def effect_measure(ind: Ind, cat: str, ctx: Context) -> tuple[str, str] | None:
    """(name, value) measuring the effect a row states in words, of the row's own 二级指标: the rows
    for this 二级指标 first, the name read before the value (its words name the object)."""
    rows = load_measures("效果量化")  # in the table's order: specific effects before general ones
    for text in (ind.name, ind.target, ind.actual):
        for m in rows:
            if (m.category and m.category != cat) or not re.search(m.pattern, text or ""):
                continue
            if not m.category and not _FITS.get(cat, lambda u: True)(m.unit):
                continue  # a count is no 质量 or 可持续影响 measure (创业能力提升 → 创办项目数量 would change the kind)
            own = effect_object(text)
            own = "" if len(re.sub(m.pattern, "", own)) < 3 else own  # 影响可持续: the effect itself is no object
            name = _fill(m, own or effect_object(ind.name), ind, ctx)
            if name:
                return name, f"{m.sign}{FILL}{m.unit}"
    return None


_EFFECT_WORD = re.compile(r"(?:性|度|能力|水平|意识|效果|作用|影响|氛围|覆盖面)$")
_MONEY = re.compile(r"资金|金额|经费|预算")
GENERIC_PROCESS = re.compile(r"合规|支出率|执行率|拨款率|拨付率|到位率|完工率|完成率|开工率|成本控制|专款专用")


def task_measure(ind: Ind, cat: str, ctx: Context) -> tuple[str, str] | None:
    """(name, value): the 二级指标's own indicator for the task the row names, else (or when the row is
    a generic process indicator) for the task the project's name says."""
    name = clean_name(ind.name)
    own = "" if GENERIC_PROCESS.search(name) or _MONEY.search(name) or _EFFECT_WORD.search(name) or len(name) > 24 or re.search(r"[,，。；;]", name) else (
        _LEAD_VERBS.sub("", name))
    for task in (own, core_task(ctx.project)):
        if not task or len(task) > 24:
            continue
        for m in load_measures("任务量化"):
            if m.category == cat and re.search(m.pattern, task) and (task != own or m.pattern != "."):
                return m.name.replace("{对象}", task), f"{m.sign}{FILL}{m.unit}"
    return None


_FITS = {"质量指标": lambda u: u == "%", "时效指标": lambda u: u in ("%", "天"), "可持续影响指标": lambda u: u in ("%", "年", "人", "人次")}
_OUTPUT_CATEGORIES = ("数量指标", "质量指标", "时效指标")


def own_measure(ind: Ind, cat: str, ctx: Context) -> tuple[str, str] | None:
    """An output row's task is measured first (监管人员培训 → 考核合格率), an effect row's effect first."""
    if cat in _OUTPUT_CATEGORIES and not _EFFECT_WORD.search(clean_name(ind.name)):
        return task_measure(ind, cat, ctx) or effect_measure(ind, cat, ctx)
    return effect_measure(ind, cat, ctx) or task_measure(ind, cat, ctx)
