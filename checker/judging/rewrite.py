"""Rewrites a unit can paste (the finding's `rewrite`): built from the document's own figures and
the indicator library (checker/judging/library.py), never inventing a number.

- an indicator whose value cannot be measured → the same indicator with a measurable value of the
  kind its name asks for (a count with its unit, a rate, a deadline, an amount), the figure taken
  from the document's goal where it states one, else a placeholder 【请填写…】;
- an indicator whose name says nothing measurable (a sentence, a slogan, a process word, a
  placeholder) → two library indicators of the same 二级指标 for the project's field to choose from;
- a missing kind of indicator → two or three library indicators of that kind for the project's field;
- a goal that does not reflect the project → a goal drafted from the project's own indicators
  (or those its context lists), else from library indicators sharing its words, else from the
  project's own task with the figures to fill;
- a perfunctory completion text → each indicator's actual against its target, from the table, with
  the gaps marked for the unit to explain; without a table, the goal's figures or tasks;
- an unmet indicator without a deviation analysis → a deviation sentence with the two figures.

Every digit in a rewrite comes from the document (or the request) or sits inside 【】.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from checker.judging.library import category_key, closest, detect_field, document_field, entries_for, indicator_kind, ranked, request_field

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
    ("学时", "学时"), ("课时", "课时"), ("吨数", "吨"),
]
_COUNT_UNITS = "人次|万人|人|户|个|次|场|公里|千米|亩|平方米|万平方米|所|家|台|套|件|份|册|期|处|座|辆|项|篇|天|名|批|条|本|村|校"
_NUM = r"(\d+(?:\.\d+)?)"
_MONTH = re.compile(r"((?:19|20)\d\d年)?(\d{1,2})月(底|末|份|中旬|上旬|下旬|\d{1,2}日)?(?:前|之前|以前)?")
_SIGN_WORDS = {"≥": "不少于", "≤": "控制在", "=": "达到", ">": "超过", "<": "低于", "": ""}

# Rules about the value only: keep the unit's own indicator name.
VALUE_CODES = {"IN01", "IN02", "IN03", "IN05", "IN07", "IN08", "IN09", "IN11", "IN16", "IN17", "IN18", "IN19", "IN20", "IN21", "IN90", "IN60", "IN61"}
# Rules about the name (generic, slogan, repeated, wrong category): take a library name too.
NAME_CODES = {"IN04", "IN12", "IN13", "IN14", "IN15", "IN22", "IN23", "IN24"}
# Names that are generic already: a rate made of the same words would be flagged again.
GENERIC_NAME_CODES = {"IN13", "IN23"}
GOAL_PREFIX = "GO"
COMPLETION_CODES = {"CP01", "CP02", "CP03", "CP04", "CP05", "CP06", "CP07", "CP90"}
MISSING_CATEGORY_CODES = {"IN50", "IN51", "IN53"}
# Rules about the table's shape (empty rows, weights): nothing in one indicator to rewrite.
DOCUMENT_SHAPE_CODES = {"IN54", "IN55"}


@dataclass
class Ind:
    level1: str = ""
    level2: str = ""
    name: str = ""
    target: str = ""
    actual: str = ""

    @property
    def category(self) -> str | None:
        return category_key(self.level2)


@dataclass
class Context:
    """What a rewrite may draw on: the document's (or request's) own texts and figures."""

    project: str = ""
    year: int | None = None
    goals: list[str] = field(default_factory=list)
    actuals: list[str] = field(default_factory=list)
    indicators: list[Ind] = field(default_factory=list)
    field_name: str = ""
    context: str = ""  # a snippet's free context (project content, indicator names)

    def __post_init__(self) -> None:
        if not self.field_name:
            self.field_name = detect_field(self.project, " ".join(self.goals), [i.name for i in self.indicators])


def plain(text: Any) -> str:
    """Simplified characters and one way of writing each sign (≧ → ≥), digits untouched."""
    from checker.judging.checks.narrative import to_simplified

    t = to_simplified(str(text or ""))
    for a, b in (("≧", "≥"), ("≦", "≤"), (">=", "≥"), ("<=", "≤"), ("＞=", "≥"), ("＜=", "≤"), ("＞", ">"), ("＜", "<"), ("＝", "=")):
        t = t.replace(a, b)
    return t


def context_of_document(doc: Any) -> Context:
    return Context(
        project=plain(doc.project),
        year=doc.year,
        goals=[plain(g.expected) for g in doc.goals],
        actuals=[plain(g.actual) for g in doc.goals],
        indicators=[Ind(plain(i.level1), plain(i.level2), plain(i.name), plain(i.target), plain(i.actual)) for i in doc.indicators],
        field_name=document_field(doc),  # the same field the suggestions' examples used
    )


def context_of_request(req: dict) -> Context:
    def s(k: str) -> str:
        v = req.get(k)
        return plain(v) if isinstance(v, str) else ""

    ind = [Ind(s("level1"), s("level2"), s("name"), s("target"), s("actual"))] if req.get("kind") == "indicator" else []
    ctx = Context(project=s("project"), goals=[s("goal")] if s("goal") else [], actuals=[s("completion")] if s("completion") else [],
                  indicators=ind, context=s("context"), field_name=request_field(req))  # fmt: skip
    if not ind:
        ctx.indicators = _indicators_in(s("context"))
    return ctx


_CTX_IND = re.compile(r"([\u4e00-\u9fa5（）()、A-Za-z]{2,20}?)\s*(≥|≤|=|>|<)\s*(\d+(?:\.\d+)?\s*[\u4e00-\u9fa5%/]{0,6})")


_CTX_PLAIN = re.compile(r"([\u4e00-\u9fa5（）()A-Za-z]{2,16}?)\s*(\d+(?:\.\d+)?\s*(?:万|千)?(?:" + "|".join(
    ["人次", "万人", "人", "户", "个", "次", "场", "公里", "亩", "平方米", "所", "家", "台", "套", "件", "份", "册", "期", "处", "座",
     "辆", "项", "篇", "名", "批", "条", "本", "村", "路", "吨", "立方米", "公顷", "间", "张", "株", "㎡", "%"]) + r"))")


def _category_of_name(name: str) -> str:
    return "质量指标" if re.search(r"合格|达标|准确|优良", name) else "时效指标" if re.search(r"及时|按期|时限", name) else (
        "满意度指标" if "满意" in name else "数量指标")  # fmt: skip


_NOT_OUTPUT = re.compile(r"资金|经费|预算|执行|合规|元|费|编制|分为|在职|职工|人员")


def _indicators_in(text: str) -> list[Ind]:
    """Indicators a snippet's context names with their targets (名称≥50个; or, after 指标:/目标:, or
    naming a task, 居民健康档案38508人), as if from the table; money and staffing are not outputs."""
    out = []
    for m in _CTX_IND.finditer(text or ""):
        name, sign, value = m.group(1).strip("、:： "), m.group(2), m.group(3)
        lead = re.search(r"(\d+\s*(?:[-~～至]\s*\d+\s*)?)$", (text or "")[: m.start(1)])
        if lead and name.startswith(("岁", "周岁", "月龄")):
            name = lead.group(1).strip() + name  # 7岁以下儿童健康管理率: the age belongs to the name
        if not _NOT_OUTPUT.search(name):
            out.append(Ind("", _category_of_name(name), name, f"{sign}{value}", ""))
    if out:
        return out
    head = re.search(r"(?:指标|目标)\s*[:：]", text or "")
    for clause in re.split(r"[;；，,、。]", text or ""):
        clause = clause.strip().rstrip("…")
        m = _CTX_PLAIN.search(clause)
        listed = head is not None and (text or "").find(clause) > head.start()
        if not m or not (listed or _COUNTABLE.search(m.group(1))):
            continue
        name = re.sub(r"^(?:指标|目标|其中|共|向|为|对|给|完成|全年|年度)+[:：]?", "", m.group(1).strip(":： "))
        tail = clause[m.end():]
        value = m.group(2).replace(" ", "").replace("㎡", "平方米") + (tail if len(tail) <= 8 and not re.search(r"\d", tail) else "")
        if len(name) >= 2 and not _NOT_OUTPUT.search(name):
            out.append(Ind("", _category_of_name(name), name, value, ""))
    return out[:6]


# ---- names and categories ---------------------------------------------------------------------

_ENUM_PREFIX = re.compile(r"^\s*(?:\*|指标\s*\d+\s*[:：、.．]?|\d{1,2}\s*[、.．:：]|[（(]\d{1,2}[)）])\s*")
LIB_CATEGORIES = ("数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "满意度指标")
_KIND_CATEGORY = {"quantity": "数量指标", "quality": "质量指标", "time": "时效指标", "cost": "成本指标", "benefit": "社会效益指标",
                  "satisfaction": "满意度指标"}  # fmt: skip


def clean_name(name: str) -> str:
    """The indicator name without its list numbering (指标1: …)."""
    return _ENUM_PREFIX.sub("", name or "").strip()


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


_TASK_TAIL = re.compile(r"(专项资金|补助资金|补助经费|专项经费|工作经费|项目资金|生活补助|资金|经费|补助|补贴|项目|支出|费用)+$")


def core_task(project: str) -> str:
    """What a project does, from its name: no year, bracketed notes, amounts or 资金/经费/项目 tail
    (2023年农村危房改造补助资金(某县) → 农村危房改造)."""
    t = re.split(r"[;；]", project or "")[0]
    t = re.sub(r"[（(【\[][^）)】\]]*[）)】\]]", "", t)
    t = re.sub(r"(?:19|20)\d{2}\s*年?(?:度)?|^[^\s]{0,12}?〔\d{4}〕\d+号", "", t.strip())
    t = re.sub(r"\d+(?:\.\d+)?\s*万?元", "", t)
    t = _TASK_TAIL.sub("", t.strip(" -—_:：,，"))
    # what is left must name a task: not a unit's running costs (村管费, 生均公用, 项目整体, 工资)
    if "整体" in t or len(t) < 3 or re.search(r"费$|公用$|运转|工资|报酬|人员|日常|办公$|自评|绩效|决算|预算|评价|报告|说明|情况$", t) or re.search(
            r"(局|会|委|中心|院|站|所|室|办|政府|街道|镇|乡|村|学校|中学|小学|馆)$", t):
        return ""
    return t


_COUNTABLE = re.compile(r"建设|改造|新建|改建|维修|修缮|养护|培训|发放|补贴|救助|演出|赛|活动|推广|开放|采购|购置|体检|接种|帮扶|"
                        r"治理|保洁|清扫|清运|运维|管护|宣传|慰问|普查|调查|监测|检测|整治|安装|配备|放映|资助|助学|义诊|巡查|抽检|标引|档案")


def countable_task(task: str) -> bool:
    """A task whose output can be counted (修缮, 培训, 发放 …), short enough to read as one."""
    return bool(task) and len(task) <= 16 and bool(_COUNTABLE.search(task)) and not re.search(r"[、，,]|体系|基础设施", task)


# ---- values --------------------------------------------------------------------------------


_VAGUE_TAIL = re.compile(r"(影响|影响力|程度|作用|水平|效果|意识|能力|氛围|形象|环境|发展|质量|情况)$")


def names_a_measure(name: str, category: str | None) -> bool:
    """Does the name itself say what is measured (a rate, a count with its unit, a deadline, a cost)?
    Not when it ends in an effect word (…影响程度, …服务水平) or a quality (…及时性) and names no rate."""
    if (_VAGUE_TAIL.search(name) or _QUALITY_TAIL.search(name)) and not re.search(r"率|比例|比重|占比|满意度", name):
        return False
    return bool(
        "满意" in name
        or re.search(r"率|比例|比重|占比|时间|日期|时限|期限|成本|费用|单价|造价|投资|标准$|(数|量|面积|长度|里程)$", name)
        or any(tail in name for tail, _ in _NAME_UNITS)
        or category in ("满意度指标", "时效指标")  # a 时效 indicator is measured by its deadline
    )


_QUALITY_TAIL = re.compile(r"(性|度)$")


def as_rate_name(name: str) -> str | None:
    """A short quality name made countable: 合规性 → 合规率, 知晓度 → 知晓率 (not 满意度, already a rate)."""
    n = name.strip()
    if len(n) > 10 or "满意" in n or not _QUALITY_TAIL.search(n) or re.search(r"[，,。；;及和与]", n):
        return None
    return _QUALITY_TAIL.sub("率", n)


def _shape(ind: Ind, ctx: Context) -> tuple[str, str, str]:
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
    if cat == "成本指标" or re.search(r"成本|费用|单价|造价|投资|标准$", name):
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


def _from_goal(ind: Ind, kind: str, unit: str, ctx: Context) -> str | None:
    """A figure the goal states for this indicator: a number with the indicator's unit near words of its name."""
    keys = _keys(ind.name)
    if not keys:
        return None
    if kind == "count" and unit:
        units = {"人": "人|名", "公里": "公里|千米"}.get(unit, re.escape(unit))
        pat = re.compile(_NUM + r"\s*(?:万)?(?:" + units + ")")
    elif kind == "rate":
        pat = re.compile(_NUM + r"\s*%")
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
    kind, sign, unit = _shape(ind, ctx)
    if kind in ("count", "amount"):
        unit = stated_unit(ind) or unit
    if kind == "date":
        year = f"{ctx.year}年" if ctx.year else ""
        m = None
        for text in ctx.goals:
            m = _MONTH.search(text or "")
            if m:
                break
        if m:
            return f"{m.group(1) or year}{m.group(2)}月{m.group(3) or '底'}前"
        return f"{year}{FILL_MONTH}月底前"
    figure = _from_goal(ind, kind, unit, ctx)
    fill = f"【请填写数值，{floor_hint}】" if floor_hint else FILL
    return f"{sign}{figure or fill}{unit}"


# ---- per kind of finding ----------------------------------------------------------------------


def indicator_rewrite(code: str, ind: Ind, ctx: Context, attr: str = "target") -> str | None:
    if not (code.startswith("IN") or code == "CP20") or code in DOCUMENT_SHAPE_CODES:
        return None  # a score, weight or self-evaluation finding: the indicator's text is not what is wrong
    ind = replace(ind, name=clean_name(ind.name))
    if code == "IN52":  # satisfaction with no survey behind it: say how it is measured
        value = ind.target if re.search(r"\d", ind.target or "") else measurable_value(ind, replace(ctx, goals=[]))
        return f"{ind.level2 or '满意度指标'}｜{ind.name}｜{value}（以问卷调查结果为准，有效问卷不少于【请填写数值】份）"
    if code == "IN10":  # the target was set far below what was done: a target for next time
        kind, sign, unit = _shape(ind, ctx)
        unit = stated_unit(ind) or unit
        label = ind.level2 if ind.category in LIB_CATEGORIES else lib_category(ind)
        return f"{label}｜{ind.name}｜{sign}【请填写数值，参考本年实际完成{ind.actual}】{unit}"
    if code == "CP20" or attr == "actual":
        return _actual_rewrite(ind, ctx)
    cat = lib_category(ind)
    label = ind.level2 if ind.category in LIB_CATEGORIES else cat
    hint = None
    if code == "IN07":
        hint = "满意度目标一般不低于90"
    elif code in ("IN08", "IN20"):
        hint = "政策性发放、验收类比率通常应为100"
    name = ind.name
    if "不适用" in name or "不适用" in (ind.target or ""):  # the unit says this kind does not apply
        lines = _alternatives(ind, cat, label, ctx, 2)
        if not lines:
            return f"本项目确实不涉及{cat}时删除此行，不以占位文字充数。"
        return "本项目确实不涉及此类指标时删除此行；涉及时可改为：\n" + "\n".join(lines)
    if code == "IN12":  # budget execution is not an output: offer this project's own kind of output
        picks = ranked(ctx.field_name, "数量指标", f"{ctx.project} {core_task(ctx.project)} {' '.join(ctx.goals)}", 1)
        if picks:
            e = picks[0]
            return f"数量指标｜{e.name}｜{measurable_value(Ind(ind.level1, '数量指标', e.name, '', ''), ctx)}"
    dated = _date_in(name) if cat == "时效指标" else None
    timeless = cat == "时效指标" and not re.search(r"时间|时限|期限|日期|节点|及时|按期|进度|完成|前|率", name)
    if (code == "IN13" and cat == "时效指标") or dated or timeless:
        # 完成及时率 of anything, a date or 全年 as the name: the task's deadline, from the row where it says one
        probe = Ind(ind.level1, "时效指标", "完成时间", "", "")
        return f"{label}｜{_task_of(ctx)}完成时间｜{dated or _date_in(ind.target, last=True) or measurable_value(probe, ctx)}"
    if code == "IN11" and cat == "时效指标":
        return f"{label}｜{name}｜{_date_in(ind.target, last=True) or measurable_value(ind, ctx)}"
    about_name = code in NAME_CODES or not name.strip() or not names_a_measure(name, cat)
    if about_name:
        # a library name only when it is really alike (same words), never another sub-area's indicator
        e = closest(ctx.field_name, cat, name, floor=0.5)
        if e is not None and e.name != name:
            probe = Ind(ind.level1, cat, e.name, ind.target, ind.actual)
            return f"{label}｜{e.name}｜{measurable_value(probe, ctx, hint)}"
        if not names_a_measure(name, cat) or code in NAME_CODES:
            measured = as_rate_name(name) if code not in GENERIC_NAME_CODES else None
            if measured:  # 经费支出合规性 → 经费支出合规率
                probe = Ind(ind.level1, cat, measured, ind.target, ind.actual)
                return f"{label}｜{measured}｜{measurable_value(probe, ctx, hint)}"
            # a sentence, a slogan or a process word in the name column: offer the field's
            # indicators of the same kind, those sharing words with the row and project first
            lines = _alternatives(ind, cat, label, ctx, 2)
            return "可改为（选其一）：\n" + "\n".join(lines) if lines else None
    if code in VALUE_CODES or code in NAME_CODES or code.startswith("IN"):
        return f"{label}｜{name}｜{_kept_figure(code, ind, ctx) or measurable_value(ind, ctx, hint)}"
    return None


def _alternatives(ind: Ind, cat: str, label: str, ctx: Context, n: int) -> list[str]:
    """Up to n library indicators of the category for the project's field that share words with the
    row's name, the project or its goal; none when nothing is shared (another sub-area's indicator
    would be wrong more often than right)."""
    about = f"{ind.name} {ctx.project} {core_task(ctx.project)} {' '.join(ctx.goals)} {ctx.context}"
    return [f"{label}｜{e.name}｜{library_value(e, ctx)}" for e in ranked(ctx.field_name, cat, about, n)]


def library_value(e, ctx: Context) -> str:
    """A library indicator's value: its own sign and unit, the figure from the goal or a placeholder."""
    if e.kind == "date":
        return measurable_value(Ind("", "时效指标", "完成时间", "", ""), ctx)
    figure = _from_goal(Ind("", e.category, e.name, "", ""), e.kind, e.unit, ctx)
    return f"{e.sign}{figure or FILL}{e.unit}"


def _date_in(text: str | None, last: bool = False) -> str | None:
    """A deadline written in a cell (2020年12月完成, 2022年底之前; with last, 2021年1月-12月 → its end)
    as a 指标值."""
    found = list(_MONTH.finditer(text or ""))
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


def _actual_rewrite(ind: Ind, ctx: Context) -> str:
    """An 实际完成值 in the target's terms: the row's own figure with the target's unit, else a placeholder."""
    from checker.reading.values import parse_value

    kind, _sign, unit = _shape(ind, ctx)
    if kind == "date":
        return "实际完成值：【请填写实际完成日期】"
    t, a = parse_value(ind.target), parse_value(ind.actual or "")
    unit = (t.unit if t.unit and t.kind == "quantitative" else None) or stated_unit(ind) or unit
    raw = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*", ind.actual or "")
    if raw and unit:  # 50 against ≥50个: the unit is all that is missing
        return f"实际完成值：{raw.group(1)}{unit}"
    return f"实际完成值：{FILL_ACTUAL}{unit}"


def _kept_figure(code: str, ind: Ind, ctx: Context) -> str | None:
    """A figure the unit wrote but without its unit (IN05: ≥200): keep it and add the unit the
    name, the actual or the library asks for."""
    if code != "IN05":
        return None
    from checker.reading.values import parse_value

    t, a = parse_value(ind.target), parse_value(ind.actual or "")
    if t.number is None or not re.search(r"\d", ind.target or ""):
        return None
    kind, sign, unit = _shape(ind, ctx)
    unit = a.unit or unit
    raw = re.search(r"\d+(?:\.\d+)?", ind.target).group(0)
    if kind == "rate":  # 0 for a share of spoiled grain: = 0%; any other rate keeps the name's direction
        return f"={raw}%" if float(raw) == 0 else f"{t.sign or sign}{raw}%"
    if not unit or kind == "date":
        return None
    return f"{t.sign or sign}{raw}{unit}"


def _task_of(ctx: Context) -> str:
    """The project's own main output, for a name: its first 数量 indicator, else its name's task, else 项目."""
    q = next((clean_name(i.name) for i in ctx.indicators if i.category == "数量指标" and i.name and len(clean_name(i.name)) <= 14), None)
    if q:
        return re.sub(r"(数量|人数|户数|面积|里程|长度|个数|次数)$", "", q)
    task = core_task(ctx.project)
    return task if task and len(task) <= 16 else "项目"


def missing_categories(ctx: Context) -> list[str]:
    have = {i.category for i in ctx.indicators}
    need = ["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "满意度指标"]
    return [c for c in need if c not in have]


def suggest_indicators(ctx: Context, category: str, n: int = 3) -> list[str]:
    """n library indicators of the category for the field: those sharing words with the project first."""
    about = f"{ctx.project} {core_task(ctx.project)} {' '.join(ctx.goals)}"
    picks = ranked(ctx.field_name, category, about, n)
    for e in entries_for(ctx.field_name, category):
        if len(picks) >= n:
            break
        if e not in picks:
            picks.append(e)
    return [f"{category}｜{e.name}｜{library_value(e, ctx)}" for e in picks]


def missing_category_rewrite(ctx: Context) -> str | None:
    cats = missing_categories(ctx)
    if not cats:
        return None
    lines = []
    for c in cats[:3]:
        lines.extend(suggest_indicators(ctx, c, 2 if len(cats) > 1 else 3))
    return "建议补充：\n" + "\n".join(lines)


def _phrase(ind: Ind) -> str | None:
    t = (ind.target or "").strip().replace(">=", "≥").replace("<=", "≤").replace("＞=", "≥").replace("＜=", "≤")
    if len(ind.name) > 18 or re.search(r"[，,。；;:：]", ind.name):
        return None  # a sentence in the name column does not read as part of a goal
    if not t or not re.search(r"\d", t):
        return None
    m = re.match(r"^(≥|≤|=|>|<|＞|＜|≧|≦)\s*(.*)$", t)
    sign, rest = (m.group(1), m.group(2)) if m else ("", t)
    word = {"≥": "不少于", "≧": "不少于", ">": "超过", "＞": "超过", "≤": "控制在", "≦": "控制在", "<": "低于", "＜": "低于", "=": "达到"}.get(sign, "")
    if "%" in rest and word == "不少于":
        word = "达到"
    if word == "控制在" and ind.category == "时效指标":
        return f"{ind.name}不晚于{rest}"
    tail = "以内" if word == "控制在" else ""
    return f"{ind.name}{word}{rest}{tail}"


def goal_rewrite(ctx: Context) -> str | None:
    """A goal drafted from the project's own quantitative indicators: 年内完成…，达到…，惠及…"""
    by_cat: dict[str, list[str]] = {}
    for ind in ctx.indicators:
        p = _phrase(ind)
        if p:
            by_cat.setdefault(ind.category or "", []).append(p)
    year = f"{ctx.year}年" if ctx.year else "年内"
    if not by_cat:  # no figures to draw on (a snippet): the field's measurable shapes, values to fill
        return _goal_from_library(ctx, year)
    parts = []
    out_ = by_cat.get("数量指标", [])[:3]
    if not out_:  # no output of its own to name: the library's related shapes, or nothing
        return _goal_from_library(ctx, year)
    counts = [x for x in out_ if not re.search(r"率|比例", x)]
    rates = [x for x in out_ if re.search(r"率|比例", x)]
    parts.append(year + "，".join(([f"完成{'、'.join(counts)}"] if counts else []) + (["、".join(rates)] if rates else [])))
    qual = by_cat.get("质量指标", [])[:2]
    if qual:
        parts.append("、".join(qual))
    tim = by_cat.get("时效指标", [])[:1]
    if tim:
        parts.append(tim[0])
    eff = [p for c, ps in by_cat.items() if c.endswith("效益指标") for p in ps][:2]
    parts.append(("实现" + "、".join(eff)) if eff else FILL_BENEFIT)
    text = "，".join(parts) + "。"
    return text


def _goal_from_library(ctx: Context, year: str) -> str | None:
    """No table: the indicators named in the request's context, else library indicators that share
    words with the project and its goal, else a frame with the project's name and placeholders."""
    def fill(e) -> str:
        return f"{e.name}{'达到' if e.unit == '%' else ''}{FILL}{e.unit}"

    about = f"{ctx.project} {core_task(ctx.project)} {' '.join(ctx.goals)} {ctx.context}"
    common = {e.name for e in entries_for("通用", "数量指标") + entries_for("通用", "质量指标")}
    qty = [fill(e) for e in ranked(ctx.field_name, "数量指标", about, 2) if e.kind != "date" and e.name not in common]
    qual = [fill(e) for e in ranked(ctx.field_name, "质量指标", about, 1) if e.kind != "date" and e.name not in common]
    task = core_task(ctx.project)
    lead = f"{year}通过实施{task}，" if task else f"{year}"
    how = f"，{'、'.join(qual)}" if qual else ""
    if qty:
        return f"{lead}完成{'、'.join(qty)}{how}，{FILL_BENEFIT}。"
    if countable_task(task):  # nothing in the library shares its words: the project's own task, its figures to fill
        return f"{year}完成{task}{FILL_OUTPUT}{how}，{FILL_MONTH}月底前完成，{FILL_BENEFIT}。"
    return None  # neither a task nor an output to name: a frame of placeholders helps no one


_GOAL_FIGURE = re.compile(r"([\u4e00-\u9fa5（）()]{2,12}?)(?:约|共|不少于|不低于|达到)?" + _NUM + r"\s*(" + _COUNT_UNITS + r"|万元|%)")


_TAIL_TEXT = f"。取得的效果：【请对照年度目标补充】；未完成或有偏差的原因：{FILL_REASON}。"
_TASK_VERB = re.compile(r"完成|开展|建设|新建|改建|改造|维修|修缮|购置|更新|添置|发放|培训|举办|组织|实施|治理|配备|安装|采购|"
                        r"提供|救助|资助|接种|体检|养护|清扫|清运|建立|巡查|检查|抽检|宣传|慰问|补贴|演出|放映|监测")
_NOT_TASK = re.compile(r"高质量|新篇章|促进|推动|推进|提升|提高|助力|营造|确保|保障|有序|圆满|^(?:支持|加大|加强|做好|强化|落实|完善|规范)|力度|工作$")


def task_clauses(text: str, n: int = 3) -> list[str]:
    """Up to n clauses of a goal that name a task (维修改造校舍, 发放高龄津贴), not an aim or a slogan."""
    out = []
    for c in re.split(r"[。；;，,\n]|(?:目标|任务)?\s*\d{1,2}\s*[、.．:：]|[一二三四五六七八九十]是", text or ""):
        c = _ENUM_PREFIX.sub("", c).strip(" ：:、")
        c = re.sub(r"^(?:主要|全年|年内|通过|计划|拟|将|并|及时|按时|全面|积极|认真|进一步)+", "", c)
        if 4 <= len(c) <= 24 and _TASK_VERB.search(c) and not _NOT_TASK.search(c) and not re.search(r"\d", c) and c not in out:
            out.append(c)
        if len(out) == n:
            break
    return out


def _actual_in(what: str, unit: str, texts: list[str]) -> str | None:
    """The figure a completion text gives for `what` in the same unit (业务收入77.57万元), else None."""
    keys = {what[i : i + 2] for i in range(len(what) - 1)}
    for text in texts:
        for m in re.finditer(_NUM + r"\s*" + re.escape(unit), text or ""):
            before = re.split(r"[，,。；;、]", text[max(0, m.start() - 14) : m.start()])[-1]
            if keys and sum(k in before for k in keys) >= min(2, len(keys)):
                return f"{m.group(1)}{unit}"
    return None


def completion_rewrite(ctx: Context) -> str | None:
    """Each indicator's actual against its target, from the table; gaps marked for the unit."""
    done = []
    for ind in ctx.indicators:
        if not (ind.actual or "").strip() or not re.search(r"\d", ind.target or "") or not re.search(r"\d", ind.actual or ""):
            continue
        gap = "，未达到，原因：" + FILL_REASON if _unmet(ind) else ""
        done.append(f"{clean_name(ind.name)}实际完成{ind.actual}（年度指标值{ind.target}{gap}）")
        if len(done) == 5:
            break
    year = f"{ctx.year}年" if ctx.year else "全年"
    if done:
        return year + "；".join(done) + _TAIL_TEXT
    # the table's targets without actuals: the actual of each, for the unit to fill
    asked = [f"{clean_name(i.name)}实际完成{FILL_ACTUAL}（年度指标值{i.target}）" for i in ctx.indicators
             if re.search(r"\d", i.target or "") and len(clean_name(i.name)) <= 18 and lib_category(i) in ("数量指标", "质量指标")][:5]
    if not asked:  # the quantities the goal promised, with the completion text's own figure where it gives one
        for text in ctx.goals:
            for m in _GOAL_FIGURE.finditer(text or ""):
                what = re.sub(r"(为|是|达|达到|共|约|的|数为)$", "", re.sub(r"^(年度|年|万元|元|月|日|其中|全年|共)+", "", m.group(1)))
                if len(what) >= 2 and not re.match(r"[给对向把将从在]", what):
                    done_ = _actual_in(what, m.group(3), ctx.actuals)
                    asked.append(f"{what}{'实际完成' + done_ if done_ else FILL_ACTUAL + m.group(3)}（目标{m.group(2)}{m.group(3)}）")
    if not asked:  # the tasks the goal names
        asked = [f"{c}，实际完成{FILL_OUTPUT}" for g in ctx.goals for c in task_clauses(g)][:3]
    if not asked and countable_task(core_task(ctx.project)):  # the project's own task
        asked = [f"实际完成{core_task(ctx.project)}{FILL_OUTPUT}（年度目标【请填写目标值】）"]
    if asked:
        return year + "；".join(asked[:5]) + _TAIL_TEXT
    return None  # nothing of this project to report against


def _unmet(ind: Ind) -> bool:
    from checker.reading.values import parse_value

    t, a = parse_value(ind.target), parse_value(ind.actual)
    if t.number is None or a.number is None or (t.unit and a.unit and t.unit != a.unit):
        return False
    if t.sign in ("≥", ">", None):
        return a.number < t.number if t.sign != ">" else a.number <= t.number
    if t.sign in ("≤", "<"):
        return a.number > t.number if t.sign != "<" else a.number >= t.number
    return t.sign == "=" and abs(a.number - t.number) > 1e-9


def deviation_rewrite(ind: Ind) -> str:
    return f"实际完成{ind.actual or FILL_ACTUAL}，未达到年度指标值{ind.target}，主要原因是{FILL_REASON}；下一步将{FILL_MEASURE}。"


# ---- attaching ----------------------------------------------------------------------------------

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
