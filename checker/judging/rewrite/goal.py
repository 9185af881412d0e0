"""A goal drafted from the project's own indicators: 年内完成…，达到…，惠及…"""

from __future__ import annotations

import re

from checker.judging.library import entries_for, ranked
from checker.judging.rewrite.context import Context, Ind, core_task, countable_task
from checker.judging.rewrite.values import FILL, FILL_BENEFIT, FILL_MONTH, FILL_OUTPUT


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
