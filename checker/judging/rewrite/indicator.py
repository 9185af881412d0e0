"""Rewrites of one indicator row: a vague value, an unmeasurable name, a missing category, an
unmet target without its reason."""

from __future__ import annotations

import re
from dataclasses import replace

from checker.judging.library import closest, entries_for, ranked
from checker.judging.rewrite.context import Context, Ind, clean_name, core_task
from checker.judging.rewrite.facts import task_unit
from checker.judging.rewrite.effects import GENERIC_PROCESS, own_measure, task_measure
from checker.judging.rewrite.values import (
    FILL_ACTUAL, FILL_MEASURE, FILL_REASON, LIB_CATEGORIES, as_rate_name, date_in, library_value, lib_category,
    measurable_value, names_a_measure, shape, stated_unit,
)


# Rules about the value only: keep the unit's own indicator name.
VALUE_CODES = {"IN01", "IN02", "IN03", "IN05", "IN07", "IN08", "IN09", "IN11", "IN16", "IN17", "IN18", "IN19", "IN20", "IN21", "IN90", "IN60", "IN61"}


# Rules about the name (generic, slogan, repeated, wrong category): take a library name too.
NAME_CODES = {"IN04", "IN12", "IN13", "IN14", "IN15", "IN22", "IN23", "IN24"}


# Names that are generic already: a rate made of the same words would be flagged again.
GENERIC_NAME_CODES = {"IN13", "IN23"}


# Rules about the table's shape (empty rows, weights): nothing in one indicator to rewrite.
DOCUMENT_SHAPE_CODES = {"IN54", "IN55"}


def indicator_rewrite(code: str, ind: Ind, ctx: Context, attr: str = "target") -> str | None:
    if not (code.startswith("IN") or code == "CP20") or code in DOCUMENT_SHAPE_CODES:
        return None  # a score, weight or self-evaluation finding: the indicator's text is not what is wrong
    ind = replace(ind, name=clean_name(ind.name))
    if code == "IN52":  # satisfaction with no survey behind it: say how it is measured
        value = ind.target if re.search(r"\d", ind.target or "") else measurable_value(ind, replace(ctx, goals=[]))
        return f"{ind.level2 or '满意度指标'}｜{ind.name}｜{value}（以问卷调查结果为准，有效问卷不少于【请填写数值】份）"
    if code == "IN10":  # the target was set far below what was done: a target for next time
        kind, sign, unit = shape(ind, ctx)
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
        own = task_measure(Ind(ind.level1, "数量指标", "", "", ""), "数量指标", ctx)
        if own:
            return f"数量指标｜{own[0]}｜{own[1]}"
        picks = ranked(ctx.field_name, "数量指标", f"{ctx.project} {core_task(ctx.project)} {' '.join(ctx.goals)}", 1)
        if picks:
            e = picks[0]
            return f"数量指标｜{e.name}｜{measurable_value(Ind(ind.level1, '数量指标', e.name, '', ''), ctx)}"
    dated = date_in(name) if cat == "时效指标" else None
    timeless = cat == "时效指标" and not re.search(r"时间|时限|期限|日期|节点|及时|按期|进度|完成|前|率", name)
    if (code in GENERIC_NAME_CODES and cat == "时效指标") or dated or timeless:
        # 完成及时率 of anything, a date or 全年 as the name: the task's deadline, from the row where it says one
        probe = Ind(ind.level1, "时效指标", "完成时间", "", "")
        return f"{label}｜{_task_of(ctx)}完成时间｜{dated or date_in(ind.target, last=True) or measurable_value(probe, ctx)}"
    if code == "IN11" and cat == "时效指标":
        return f"{label}｜{name}｜{date_in(ind.target, last=True) or measurable_value(ind, ctx)}"
    if re.fullmatch(r"\s*\d+(?:\.\d+)?\s*万?元\s*", name) and cat == "成本指标":  # the figure in the name column
        return f"{label}｜{core_task(ctx.project) or '项目'}总成本｜≤{name.strip()}"
    rate = re.fullmatch(r"\s*([\u4e00-\u9fa5]{0,6}?)([\u4e00-\u9fa5]{2})率\s*", ind.target or "")
    if rate and name.endswith(rate.group(2)):  # 科普宣传栏内容更新｜知识更新率: the rate the unit named, of this row
        probe = Ind(ind.level1, cat, f"{name}率", "", "")
        return f"{label}｜{name}率｜{measurable_value(probe, ctx, hint)}"
    kept = _kept_figure(code, ind, ctx)
    if kept:  # ≥200 without its unit: the unit's own figure with the unit its name asks for
        return f"{label}｜{name}｜{kept}"
    about_name = code in NAME_CODES or not name.strip() or not names_a_measure(name, cat)
    if about_name:
        own = task_measure(ind, cat, ctx) if GENERIC_PROCESS.search(name) else None
        if own:  # 经费支出合规率, 预算执行率: this project's own indicator of the kind, by its task
            return f"{label}｜{own[0]}｜{own[1]}"
        # a library name only when it is really alike (same words), never another sub-area's indicator
        e = closest(ctx.field_name, cat, name, floor=0.5)
        if e is not None and e.name != name:
            probe = Ind(ind.level1, cat, e.name, ind.target, ind.actual)
            return f"{label}｜{e.name}｜{measurable_value(probe, ctx, hint)}"
        if not names_a_measure(name, cat) or code in NAME_CODES:
            measured = as_rate_name(name) if code not in GENERIC_NAME_CODES and not GENERIC_PROCESS.search(name) else None
            if measured:  # 经费支出合规性 → 经费支出合规率
                probe = Ind(ind.level1, cat, measured, ind.target, ind.actual)
                return f"{label}｜{measured}｜{measurable_value(probe, ctx, hint)}"
            # an effect in words (提升知名度) or a bare task (监管人员培训): its measure in the row's own words
            own = own_measure(ind, cat, ctx)
            if own:
                return f"{label}｜{own[0]}｜{own[1]}"
            # else the field's indicators of the same kind that share words with the row and project
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


def _actual_rewrite(ind: Ind, ctx: Context) -> str:
    """An 实际完成值 in the target's terms: the row's own figure with the target's unit, else a placeholder."""
    from checker.reading.values import parse_value

    kind, _sign, unit = shape(ind, ctx)
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

    if not names_a_measure(ind.name, lib_category(ind)) and not task_unit(ind.name[-4:]):
        return None  # 学校发展能力 100: the figure measures nothing the name says

    t, a = parse_value(ind.target), parse_value(ind.actual or "")
    if t.number is None or not re.search(r"\d", ind.target or ""):
        return None
    kind, sign, unit = shape(ind, ctx)
    counted = re.search(r"(?:数量|个数|数)$", ind.name) and kind == "count"
    named = ("个" if re.search(r"村|县|点|所|校|项目|基地|站|中心|园|馆", ind.name) else task_unit(ind.name)) if counted else (
        task_unit(ind.name[-4:]))  # 开展残疾人文化活动 1 → 1场
    unit = a.unit or named or unit
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


def deviation_rewrite(ind: Ind) -> str:
    return f"实际完成{ind.actual or FILL_ACTUAL}，未达到年度指标值{ind.target}，主要原因是{FILL_REASON}；下一步将{FILL_MEASURE}。"
