"""Rewrites a unit can paste (the finding's `rewrite`): built from the document's own figures and
the indicator library (checker/library.py), never inventing a number.

- an indicator whose value cannot be measured → the same indicator with a measurable value of the
  kind its name asks for (a count with its unit, a rate, a deadline, an amount), the figure taken
  from the document's goal where it states one, else a placeholder 【请填写…】;
- a missing kind of indicator → two or three library indicators of that kind for the project's field;
- a goal that does not reflect the project → a goal drafted from the project's own indicators;
- a perfunctory completion text → each indicator's actual against its target, from the table, with
  the gaps marked for the unit to explain;
- an unmet indicator without a deviation analysis → a deviation sentence with the two figures.

Every digit in a rewrite comes from the document (or the request) or sits inside 【】.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from checker.judging.library import category_key, closest, detect_field, document_field, entries_for, ranked, request_field

FILL = "【请填写数值】"
FILL_MONTH = "【请填写月份】"
FILL_ACTUAL = "【请填写实际完成数】"
FILL_REASON = "【请说明原因】"
FILL_MEASURE = "【请填写改进措施】"

# Name endings that say which unit a count is in (longest first).
_NAME_UNITS = [
    ("人次", "人次"), ("户数", "户"), ("人数", "人"), ("场次", "场"), ("次数", "次"), ("个数", "个"), ("面积", "平方米"),
    ("里程", "公里"), ("长度", "公里"), ("天数", "天"), ("件数", "件"), ("份数", "份"), ("所数", "所"), ("台数", "台"),
    ("家数", "家"), ("册数", "册"), ("期数", "期"), ("处数", "处"), ("座数", "座"), ("项数", "项"), ("篇数", "篇"),
]
_COUNT_UNITS = "人次|万人|人|户|个|次|场|公里|千米|亩|平方米|万平方米|所|家|台|套|件|份|册|期|处|座|辆|项|篇|天|名|批|条|本|村|校"
_NUM = r"(\d+(?:\.\d+)?)"
_MONTH = re.compile(r"((?:19|20)\d\d年)?(\d{1,2})月(底|末|份|中旬|上旬|下旬|\d{1,2}日)?(?:前|之前|以前)?")
_SIGN_WORDS = {"≥": "不少于", "≤": "控制在", "=": "达到", ">": "超过", "<": "低于", "": ""}

# Rules about the value only: keep the unit's own indicator name.
VALUE_CODES = {"IN01", "IN02", "IN03", "IN05", "IN07", "IN08", "IN09", "IN11", "IN16", "IN17", "IN18", "IN19", "IN20", "IN21", "IN90", "IN60", "IN61"}
# Rules about the name (generic, slogan, repeated, wrong category): take a library name too.
NAME_CODES = {"IN04", "IN12", "IN13", "IN14", "IN15"}
GOAL_PREFIX = "GO"
COMPLETION_CODES = {"CP01", "CP02", "CP03", "CP04", "CP05", "CP06", "CP07", "CP90"}
MISSING_CATEGORY_CODES = {"IN50", "IN51", "IN53"}


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


def context_of_document(doc: Any) -> Context:
    return Context(
        project=doc.project or "",
        year=doc.year,
        goals=[g.expected or "" for g in doc.goals],
        actuals=[g.actual or "" for g in doc.goals],
        indicators=[Ind(i.level1 or "", i.level2 or "", i.name or "", i.target or "", i.actual or "") for i in doc.indicators],
        field_name=document_field(doc),  # the same field the suggestions' examples used
    )


def context_of_request(req: dict) -> Context:
    def s(k: str) -> str:
        v = req.get(k)
        return v if isinstance(v, str) else ""

    ind = [Ind(s("level1"), s("level2"), s("name"), s("target"), s("actual"))] if req.get("kind") == "indicator" else []
    ctx = Context(project=s("project"), goals=[s("goal")] if s("goal") else [], actuals=[s("completion")] if s("completion") else [],
                  indicators=ind, context=s("context"), field_name=request_field(req))  # fmt: skip
    if not ind:
        ctx.indicators = _indicators_in(s("context"))
    return ctx


_CTX_IND = re.compile(r"([\u4e00-\u9fa5（）()、A-Za-z]{2,20}?)\s*(≥|≤|=|>|<)\s*(\d+(?:\.\d+)?\s*[\u4e00-\u9fa5%/]{0,6})")


def _indicators_in(text: str) -> list[Ind]:
    """Indicators a snippet's context names with their targets (名称≥50个), as if from the table."""
    out = []
    for m in _CTX_IND.finditer(text or ""):
        name, sign, value = m.group(1).strip("、:： "), m.group(2), m.group(3)
        cat = "质量指标" if re.search(r"合格|达标|准确|优良", name) else "时效指标" if re.search(r"及时|按期|时限", name) else (
            "满意度指标" if "满意" in name else "数量指标")  # fmt: skip
        out.append(Ind("", cat, name, f"{sign}{value}", ""))
    return out


# ---- values --------------------------------------------------------------------------------


def names_a_measure(name: str, category: str | None) -> bool:
    """Does the name itself say what is measured (a rate, a count with its unit, a deadline, a cost)?"""
    return bool(
        "满意" in name
        or re.search(r"率|比例|比重|占比|时间|日期|时限|期限|成本|费用|单价|造价|投资|标准$", name)
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
    name, cat = ind.name, ind.category
    if "满意" in name or cat == "满意度指标":
        return "rate", "≥", "%"
    if cat == "时效指标" and re.search(r"时间|日期|时限|期限|节点|进度|完成时|竣工|完工|开工", name) and "率" not in name:
        return "date", "", ""
    if re.search(r"率|比例|比重|占比|覆盖面", name):
        sign = "=" if re.search(r"准确率|合格率|及时率|到位率|发放率|兑付率", name) else "≥"
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
            if any(k in before for k in keys):
                if best is not None and best != m.group(1):
                    return None  # two different figures: do not guess
                best = m.group(1)
    return best


def measurable_value(ind: Ind, ctx: Context, floor_hint: str | None = None) -> str:
    """A measurable 年度指标值 for `ind`: sign + figure (from the goal, else a placeholder) + unit."""
    kind, sign, unit = _shape(ind, ctx)
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
    if code == "CP20" or attr == "actual":
        kind, _sign, unit = _shape(ind, ctx)
        return f"实际完成值：{FILL_ACTUAL}{unit if kind != 'date' else ''}" if kind != "date" else "实际完成值：【请填写实际完成日期】"
    if "不适用" in ind.name or "不适用" in (ind.target or ""):
        return None  # a row the unit marked not applicable: nothing to rewrite
    hint = None
    if code == "IN07":
        hint = "满意度目标一般不低于90"
    elif code in ("IN08", "IN20"):
        hint = "政策性发放、验收类比率通常应为100"
    name = ind.name
    if code == "IN12":  # budget execution is not an output: offer this project's own kind of output
        picks = ranked(ctx.field_name, "数量指标", f"{ctx.project} {' '.join(ctx.goals)}", 1) or entries_for(ctx.field_name, "数量指标")[:1]
        if picks:
            e = picks[0]
            return f"数量指标｜{e.name}｜{measurable_value(Ind(ind.level1, '数量指标', e.name, '', ''), ctx)}"
    if code == "IN13" and ind.category == "时效指标":  # 完成及时率 of anything: a deadline says more
        year = f"{ctx.year}年" if ctx.year else ""
        return f"{ind.level2}｜{_task_of(ctx)}完成时间｜{measurable_value(Ind(ind.level1, '时效指标', '完成时间', '', ''), ctx)}"
    about_name = code in NAME_CODES or not name.strip() or not names_a_measure(name, ind.category)
    if about_name:
        # a library name only when it is really alike (same words), never another sub-area's indicator
        e = closest(ctx.field_name, ind.category, name, floor=0.5)
        if e is not None and e.name != name:
            probe = Ind(ind.level1, ind.level2, e.name, ind.target, ind.actual)
            return f"{ind.level2 or e.category}｜{e.name}｜{measurable_value(probe, ctx, hint)}"
        if not names_a_measure(name, ind.category):
            measured = as_rate_name(name)
            if measured:  # 经费支出合规性 → 经费支出合规率
                probe = Ind(ind.level1, ind.level2, measured, ind.target, ind.actual)
                return f"{ind.level2 + '｜' if ind.level2 else ''}{measured}｜{measurable_value(probe, ctx, hint)}"
            # a sentence or a vague aim in the name column: what to measure is the unit's call; the
            # suggestion says how, and a guessed name would be wrong more often than right
            return None
    if code in VALUE_CODES or code in NAME_CODES:
        return f"{ind.level2 + '｜' if ind.level2 else ''}{name}｜{measurable_value(ind, ctx, hint)}"
    return None


def _task_of(ctx: Context) -> str:
    """The project's own main output, for a name: its first 数量 indicator, else 项目."""
    q = next((i.name for i in ctx.indicators if i.category == "数量指标" and i.name and len(i.name) <= 14), None)
    return re.sub(r"(数量|人数|户数|面积|里程|长度|个数|次数)$", "", q) if q else "项目"


def missing_categories(ctx: Context) -> list[str]:
    have = {i.category for i in ctx.indicators}
    need = ["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "满意度指标"]
    return [c for c in need if c not in have]


def suggest_indicators(ctx: Context, category: str, n: int = 3) -> list[str]:
    out = []
    for e in entries_for(ctx.field_name, category)[:n]:
        if e.kind == "date":
            value = f"{ctx.year}年{FILL_MONTH}月底前" if ctx.year else f"{FILL_MONTH}月底前"
        else:
            value = f"{e.sign}{FILL}{e.unit}"
        out.append(f"{category}｜{e.name}｜{value}")
    return out


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
    parts.append(f"{year}完成" + "、".join(out_))
    qual = by_cat.get("质量指标", [])[:2]
    parts.append("、".join(qual) if qual else "【质量要求】")
    tim = by_cat.get("时效指标", [])[:1]
    if tim:
        parts.append(tim[0])
    eff = [p for c, ps in by_cat.items() if c.endswith("效益指标") for p in ps][:2]
    parts.append(("实现" + "、".join(eff)) if eff else "惠及【受益对象及数量】")
    text = "，".join(parts) + "。"
    return text


def _goal_from_library(ctx: Context, year: str) -> str | None:
    """No table: the indicators named in the request's context, else library indicators that share
    words with the project and its goal, else a frame with the project's name and placeholders."""
    def fill(e) -> str:
        return f"{e.name}{'达到' if e.unit == '%' else ''}{FILL}{e.unit}"

    about = f"{ctx.project} {' '.join(ctx.goals)} {ctx.context}"
    qty = [fill(e) for e in ranked(ctx.field_name, "数量指标", about, 2) if e.kind != "date"]
    qual = [fill(e) for e in ranked(ctx.field_name, "质量指标", about, 1) if e.kind != "date"]
    if not qty:
        return None  # nothing of this project to build on: a frame of placeholders helps no one
    lead = f"{year}通过实施{ctx.project}，" if ctx.project else f"{year}"
    how = "、".join(qual) if qual else "【质量或时效要求】"
    return f"{lead}完成{'、'.join(qty)}，{how}，惠及【受益对象及数量】。"


_GOAL_FIGURE = re.compile(r"([\u4e00-\u9fa5（）()]{2,12}?)(?:约|共|不少于|不低于|达到)?" + _NUM + r"\s*(" + _COUNT_UNITS + r"|%)")


def completion_rewrite(ctx: Context) -> str | None:
    """Each indicator's actual against its target, from the table; gaps marked for the unit."""
    done = []
    for ind in ctx.indicators:
        if not (ind.actual or "").strip() or not re.search(r"\d", ind.target or "") or not re.search(r"\d", ind.actual or ""):
            continue
        gap = "，未达到，原因：" + FILL_REASON if _unmet(ind) else ""
        done.append(f"{ind.name}实际完成{ind.actual}（年度指标值{ind.target}{gap}）")
        if len(done) == 5:
            break
    year = f"{ctx.year}年" if ctx.year else "全年"
    if not done:  # no table figures: ask for the actual of each quantity the goal promised
        asked = []
        for text in ctx.goals:
            for m in _GOAL_FIGURE.finditer(text or ""):
                asked.append(f"{m.group(1)}{FILL_ACTUAL}{m.group(3)}（目标{m.group(2)}{m.group(3)}）")
        if asked:
            return f"{year}" + "；".join(asked[:5]) + f"。取得的效果：【请对照年度目标补充】；未完成或有偏差的原因：{FILL_REASON}。"
        return None  # neither the table nor the goal gives a figure to report against
    return f"{year}" + "；".join(done) + f"。取得的效果：【请对照年度目标补充】；未完成或有偏差的原因：{FILL_REASON}。"


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
        if code == "CP50":
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
