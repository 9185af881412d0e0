"""A completion text drafted from the table: each indicator's actual against its target, the gaps
marked for the unit to explain."""

from __future__ import annotations

import re

from checker.judging.rewrite.context import Context, clean_name, core_task, countable_task, task_clauses
from checker.judging.rewrite.facts import STATE, enumerated_tasks, read_facts, task_unit
from checker.judging.rewrite.values import COUNT_UNITS, FILL_ACTUAL, FILL_OUTPUT, FILL_REASON, NUM, lib_category, unmet


_GOAL_FIGURE = re.compile(r"([\u4e00-\u9fa5（）()]{2,12}?)\s*(?:约|共|不少于|不低于|达到)?\s*" + NUM + r"\s*(" + COUNT_UNITS + r"|万元|%)")

_TAIL_TEXT = f"。取得的效果：【请对照年度目标补充】；未完成或有偏差的原因：{FILL_REASON}。"

def _actual_in(what: str, unit: str, texts: list[str]) -> str | None:
    """The figure a completion text gives for `what` in the same unit (业务收入77.57万元), else None."""
    keys = {what[i : i + 2] for i in range(len(what) - 1)}
    for text in texts:
        for m in re.finditer(NUM + r"\s*" + re.escape(unit), text or ""):
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
        gap = "，未达到，原因：" + FILL_REASON if unmet(ind) else ""
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
                if len(what) >= 2 and not re.match(r"[给对向把将从在]", what) and not re.search(r"资金|经费|预算|拨款|支出|结转|结余", what):
                    done_ = _actual_in(what, m.group(3), ctx.actuals)
                    asked.append(f"{what}{'实际完成' + done_ if done_ else FILL_ACTUAL + m.group(3)}（目标{m.group(2)}{m.group(3)}）")
    if not asked:  # 完成1座旅游厕所建设: the goal's figure written before what it counts
        asked = [f"{m.group(3)}{FILL_ACTUAL}{m.group(2)}（目标{m.group(1)}{m.group(2)}）" for g in ctx.goals for m in _FIGURE_FIRST.finditer(g or "")][:5]
    if not asked:  # the tasks the goal, its funds use or the completion text list, each to report on
        asked = [_asked(t) for t in _tasks(ctx)]
    if not asked and countable_task(core_task(ctx.project)):  # the project's own task
        asked = [f"实际完成{core_task(ctx.project)}{FILL_OUTPUT}（年度目标【请填写目标值】）"]
    if asked:
        return year + "；".join(asked[:5]) + _TAIL_TEXT
    return None  # nothing of this project to report against


_FILL_TARGET = "【请填写目标值】"
_DOING = r"缴纳|支付|兑付|发放|开展|组织|举办|购置|购买|采购|维修|建设|新建|改造|培训|安装"
# 完成1座生态环保示范旅游厕所建设: the figure before what it counts
_FIGURE_FIRST = re.compile(r"(?:完成|新建|建设|建成|改造|发放|培训|开展|举办|购置|安装)\s*" + NUM + r"\s*(" + COUNT_UNITS + r")([\u4e00-\u9fa5]{2,16})")


def _asked(task: str) -> str:
    """One task's line: its actual to fill against its target, in the unit the task is counted in."""
    unit = "" if "、" in task else task_unit(task if len(task) <= 12 else task[-4:])
    if unit:
        return f"{task}实际完成{FILL_ACTUAL}{unit}（年度目标{_FILL_TARGET}{unit}）"
    return f"{task}实际完成{FILL_OUTPUT}（年度目标{_FILL_TARGET}）"


def _tasks(ctx: Context) -> list[str]:
    """The project's tasks as its own texts name them: the goal's funds use, the lists in the goal
    or completion text, the goal's task clauses that can be counted."""
    goal = " ".join(ctx.goals)
    facts = read_facts(ctx.project, goal, goal)
    if facts.funded:
        return [t for t, _ in facts.funded[:5]]
    tasks = [t for t in facts.tasks if re.match(_DOING, t)][:5] or enumerated_tasks(goal, " ".join(ctx.actuals))
    if not tasks:
        tasks = [c for c in task_clauses(goal) if task_unit(c if len(c) <= 12 else c[-4:]) and not STATE.search(c)]
    if not tasks:  # 加强基层监管人员业务培训: the work under the exhortation, when it can be counted
        for c in re.split(r"[。；;，,\n]", re.sub(r"目标\s*\d+\s*[:：]", "。", goal)):
            c = re.sub(r"^(?:进一步|持续|全面|深入|切实)?(?:加强|加大|做好|强化|抓好|深化|推进)?(?:开展)?", "", c.strip())
            c = re.sub(r"(?:的)?(?:力度|工作)$", "", c)
            if 4 <= len(c) <= 16 and task_unit(c[-4:]) and not STATE.search(c) and not re.search(r"\d", c) and c not in tasks:
                tasks.append(c)
    return tasks[:5]
