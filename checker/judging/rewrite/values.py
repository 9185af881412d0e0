"""Measurable values: the kind, sign and unit an indicator's name asks for, the figure taken from
the document where it states one, else a placeholder 【请填写…】."""

from __future__ import annotations

import re

from checker.judging.library import closest, indicator_kind
from checker.judging.rewrite.context import Context, Ind


FILL = "【请填写数值】"

FILL_MONTH = "【请填写月份】"

FILL_ACTUAL = "【请填写实际完成数】"

FILL_REASON = "【请说明原因】"

FILL_MEASURE = "【请填写改进措施】"

FILL_BENEFIT = "惠及【请填写受益对象及人数】"

FILL_OUTPUT = "【请填写数量及单位】"

# Name endings that say which unit a count is in (longest first).
_NAME_UNITS = [
    ("人次", "人次"), ("户数", "户"), ("人数", "人"), ("场次", "场"), ("次数", "次"), ("个数", "个"), ("面积", "平方米"),
    ("里程", "公里"), ("长度", "公里"), ("天数", "天"), ("件数", "件"), ("份数", "份"), ("所数", "所"), ("台数", "台"),
    ("家数", "家"), ("册数", "册"), ("期数", "期"), ("处数", "处"), ("座数", "座"), ("项数", "项"), ("篇数", "篇"),
    ("生数", "人"), ("对象数", "人"), ("村数", "个"), ("套数", "套"), ("辆数", "辆"), ("企业数", "家"), ("批次", "批次"),
    ("学时", "学时"), ("课时", "课时"), ("吨数", "吨"), ("期限", "个月"), ("年限", "年"),
]


COUNT_UNITS = "人次|万人|人|户|个|次|场|公里|千米|亩|平方米|万平方米|所|家|台|套|件|份|册|期|处|座|辆|项|篇|天|名|批|条|本|村|校"

NUM = r"(\d+(?:\.\d+)?)"

MONTH = re.compile(r"((?:19|20)\d\d年)?(\d{1,2})月(底|末|份|中旬|上旬|下旬|\d{1,2}日)?(?:前|之前|以前)?")


LIB_CATEGORIES = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "满意度指标")

_KIND_CATEGORY = {"quantity": "数量指标", "quality": "质量指标", "time": "时效指标", "cost": "成本指标", "benefit": "社会效益指标",
                  "satisfaction": "满意度指标"}  # fmt: skip

def lib_category(ind: Ind) -> str:
    """The library's 二级指标 for an indicator: its own heading when it is one, else read from
    the headings and name (产出数量指标 → 数量指标; 预决算信息公开管理 → by the name)."""
    key = ind.category
    if key in LIB_CATEGORIES:
        return key
    kind = indicator_kind(ind.level2, ind.name, ind.level1)
    if kind == "benefit":
        for word, cat in (("经济", "经济效益指标"), ("生态", "生态效益指标"), ("可持续", "可持续影响指标")):
            if word in f"{ind.level2}{ind.level1}":
                return cat
    return _KIND_CATEGORY.get(kind, "数量指标")


_VAGUE_TAIL = re.compile(r"(影响|影响力|程度|作用|水平|效果|意识|能力|氛围|形象|环境|发展|质量|情况)$")

def names_a_measure(name: str, category: str | None) -> bool:
    """Does the name itself say what is measured (a rate, a count with its unit, a deadline, a cost)?
    Not when it ends in an effect word (…影响程度, …服务水平) or a quality (…及时性) and names no rate."""
    if (_VAGUE_TAIL.search(name) or (_QUALITY_TAIL.search(name) and not _MEASURE_DU.search(name))) and not re.search(
            r"率|比例|比重|占比|满意度", name):
        return False
    return bool(
        "满意" in name
        or re.search(r"率|比例|比重|占比|时间|日期|时限|期限|成本|费用|单价|造价|投资|金额|标准$|(数|量|面积|长度|里程)$", name)
        or any(tail in name for tail, _ in _NAME_UNITS)
        or category in ("满意度指标", "时效指标")  # a 时效 indicator is measured by its deadline
    )


_QUALITY_TAIL = re.compile(r"(性|度)$")
_MEASURE_DU = re.compile(r"(?:长|进|年|额|温|深|宽|高|厚|强|密|速|角|维|限)度$")  # 度 that is a measure, not a quality

def as_rate_name(name: str) -> str | None:
    """A short quality name made countable: 合规性 → 合规率, 知晓度 → 知晓率 (not 满意度, already a rate)."""
    n = name.strip()
    if len(n) > 10 or "满意" in n or not _QUALITY_TAIL.search(n) or re.search(r"[，,。；;和与]|及(?!时)", n):
        return None
    if _MEASURE_DU.search(n):
        return None  # 治理河道长度 is a length, not a quality: 长率 would be nonsense
    return _QUALITY_TAIL.sub("率", n)


def shape(ind: Ind, ctx: Context) -> tuple[str, str, str]:
    """(kind, sign, unit) the indicator's name asks for; the library's closest entry where the name says nothing."""
    name, cat = ind.name, lib_category(ind)
    if "满意" in name or cat == "满意度指标":
        return "rate", "≥", "%"
    if cat == "时效指标" and re.search(r"时间|日期|时限|期限|节点|进度|完成时|竣工|完工|开工|前$", name) and "率" not in name:
        return "date", "", ""
    if re.search(r"率|比例|比重|占比|覆盖面", name):
        sign = "=" if re.search(r"准确率|合格率|及时率|到位率|发放率|兑付率", name) else "≥"
        if cat == "成本指标" or re.search(r"控制率|发生率|事故|损失|变质|差错|失误", name):
            sign = "≤"
        return "rate", sign, "%"
    if cat == "成本指标" or re.search(r"成本|费用|单价|造价|投资|金额|资金|标准$", name):
        unit = "元" if re.search(r"人均|生均|户均|亩均|单价|每", name) else "万元"
        gain = cat != "成本指标" and re.search(r"降低|节约|减少|带动|增加|增收|收入", name)
        return "amount", "≥" if gain else "≤", unit
    for tail, unit in _NAME_UNITS:
        if tail in name:
            return "count", "≥", unit
    e = closest(ctx.field_name, cat, name)
    if e is not None:
        return e.kind, e.sign, e.unit
    return "count", "≥", ""


def _keys(name: str) -> set[str]:
    core = re.sub(r"(数量|人数|户数|次数|场次|面积|里程|率|比例|指标|情况|完成|工作|项目)", "", name)
    return {core[i : i + 2] for i in range(len(core) - 1)}


def figure_from_goal(ind: Ind, kind: str, unit: str, ctx: Context) -> str | None:
    """A figure the goal states for this indicator: a number with the indicator's unit near words of its name."""
    keys = _keys(ind.name)
    if not keys:
        return None
    if kind == "count" and unit:
        units = {"人": "人|名", "公里": "公里|千米"}.get(unit, re.escape(unit))
        pat = re.compile(NUM + r"\s*(?:万)?(?:" + units + ")")
    elif kind == "rate":
        pat = re.compile(NUM + r"\s*%")
    else:
        return None
    best = None
    for text in ctx.goals:
        for m in pat.finditer(text or ""):
            before = text[max(0, m.start() - 14) : m.start()]
            before = re.split(r"[，,。；;、]", before)[-1]  # the figure's own clause only
            if "满意" in ind.name and "满意" not in before:
                continue  # a satisfaction target is never another rate of the goal
            if sum(k in before for k in keys) >= min(2, len(keys)):
                if best is not None and best != m.group(1):
                    return None  # two different figures: do not guess
                best = m.group(1)
    return best


def stated_unit(ind: Ind) -> str | None:
    """The unit the row itself writes in its target or actual (≥50个, 万亩), not a rate's %."""
    from checker.reading.values import parse_value

    for text in (ind.target, ind.actual):
        v = parse_value(text or "")
        if v.unit and v.unit != "%" and v.kind == "quantitative":
            raw = re.search(r"(万|千|亿)?" + re.escape(v.unit), text or "")
            return raw.group(0) if raw else v.unit
    return None


def measurable_value(ind: Ind, ctx: Context, floor_hint: str | None = None) -> str:
    """A measurable 年度指标值 for `ind`: sign + figure (from the goal, else a placeholder) + unit."""
    kind, sign, unit = shape(ind, ctx)
    if kind in ("count", "amount"):
        unit = stated_unit(ind) or unit
    if kind == "date":
        year = f"{ctx.year}年" if ctx.year else ""
        m = None
        for text in ctx.goals:
            m = MONTH.search(text or "")
            if m:
                break
        if m:
            return f"{m.group(1) or year}{m.group(2)}月{m.group(3) or '底'}前"
        return f"{year}{FILL_MONTH}月底前"
    figure = figure_from_goal(ind, kind, unit, ctx)
    fill = f"【请填写数值，{floor_hint}】" if floor_hint else FILL
    return f"{sign}{figure or fill}{unit}"


def library_value(e, ctx: Context) -> str:
    """A library indicator's value: its own sign and unit, the figure from the goal or a placeholder."""
    if e.kind == "date":
        return measurable_value(Ind("", "时效指标", "完成时间", "", ""), ctx)
    figure = figure_from_goal(Ind("", e.category, e.name, "", ""), e.kind, e.unit, ctx)
    return f"{e.sign}{figure or FILL}{e.unit}"


def date_in(text: str | None, last: bool = False) -> str | None:
    """A deadline written in a cell (2020年12月完成, 2022年底之前; with last, 2021年1月-12月 → its end)
    as a 指标值."""
    found = list(MONTH.finditer(text or ""))
    if found:
        m = found[-1] if last else found[0]
        year = m.group(1) or (found[0].group(1) if last else "") or ""
        if last and len(found) == 1 and not re.search(r"前|底|末|止", text or ""):
            return None  # one month without 前/底: a period, not a deadline
        return f"{year}{m.group(2)}月{m.group(3) or '底'}前"
    m = re.search(r"((?:19|20)\d\d)\s*年\s*(底|末)", text or "")
    if m:
        return f"{m.group(1)}年底前"
    m = re.search(r"(\d{1,2})\s*[-—–~～至到]\s*(\d{1,2})\s*月", text or "")
    if m and last:
        y = re.search(r"((?:19|20)\d\d)\s*年", text or "")
        return f"{y.group(1) + '年' if y else ''}{m.group(2)}月底前"
    return None


def unmet(ind: Ind) -> bool:
    from checker.reading.values import parse_value

    t, a = parse_value(ind.target), parse_value(ind.actual)
    if t.number is None or a.number is None or (t.unit and a.unit and t.unit != a.unit):
        return False
    if t.sign in ("≥", ">", None):
        return a.number < t.number if t.sign != ">" else a.number <= t.number
    if t.sign in ("≤", "<"):
        return a.number > t.number if t.sign != "<" else a.number >= t.number
    return t.sign == "=" and abs(a.number - t.number) > 1e-9
