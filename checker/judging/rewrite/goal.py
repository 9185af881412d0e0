"""A goal drafted from the project's own indicators: 年内完成…，达到…，惠及…"""

from __future__ import annotations

import re

from checker.judging.library import entries_for, ranked
from checker.judging.rewrite.context import Context, Ind, core_task, countable_task, task_clauses
from checker.judging.rewrite.facts import Facts, read_facts, task_unit
from checker.judging.rewrite.values import FILL, FILL_BENEFIT, FILL_MONTH, FILL_OUTPUT, date_in


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
    facts = read_facts(ctx.project, " ".join(ctx.goals), ctx.context)
    year = f"{ctx.year}年" if ctx.year else (facts.year or "年内")
    parts = []
    out_ = by_cat.get("数量指标", [])[:3]
    if ctx.context:  # a snippet: its context states the project's facts more fully than the indicators read from it
        drafted = goal_from_facts(facts, ctx, year)
        if drafted:
            return drafted
    if not out_:  # no output with a figure in the table: the project's own facts, else the library's shapes
        return goal_from_facts(facts, ctx, year) or _goal_from_library(ctx, year)
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


_VERB_START = re.compile(r"^(?:完成|开展|组织|购买|购置|办理|聘请|缴纳|新建|建设|改建|改造|维修|修缮|发放|培训|举办|实施|安装|采购|提供|"
                         r"为|向|对|免费|更新|铺设|硬化|播发|制作|邀请|接待|收养|筛查|救助|资助|送|设立|拆除)")
_RATE_NAME = re.compile(r"(?:率|比例|比重|占比|满意度)$")
_LOW_IS_GOOD = re.compile(r"不合格|事故|发生率|差错|投诉|死亡|损失|超支")
_GENERIC = re.compile(r"(?:项目|工作|任务|工程)?(?:完成率|执行率|支出率|开展率|到位率)$|合规|(?:资金|经费)$|预算")
_COUNT_TAILS = (("人次", "人次"), ("场次", "场"), ("次数", "次"), ("人数", "人"), ("户数", "户"), ("个数", "个"), ("件数", "件"), ("篇数", "篇"))


def _listed_phrase(ind: Ind) -> str | None:
    """A listed indicator without a target as a goal phrase with its figure to fill, when its name says
    what is counted (…次数, …率); else None (业务保障能力提升 says nothing measurable)."""
    name = re.sub(r"(?:增加|提高|提升|下降|减少)$", "", ind.name)
    if _GENERIC.search(name):
        return None  # 项目完成率, 资金使用合规性: a process indicator says nothing of this project
    if _RATE_NAME.search(name):
        return f"{name}控制在{FILL}%以内" if _LOW_IS_GOOD.search(name) else f"{name}达到{FILL}%"
    for tail, unit in _COUNT_TAILS:
        if name.endswith(tail):
            return f"{name}{FILL}{unit}"
    if name.endswith("数量"):
        unit = "个" if re.search(r"县|村|点|所|校|项目|基地|站", name) else task_unit(name)
        return f"{name}{FILL}{unit}" if unit else None
    unit = task_unit(name)
    return f"{name}{FILL}{unit}" if unit and len(name) <= 12 else None


def _measured(task: str) -> str:
    """A task with its quantity to fill where it ends in what is counted (开展党建活动【请填写数值】场)."""
    unit = task_unit(task[-5:])  # what the task ends in is what it counts
    return f"{task}{FILL}{unit}" if unit and not re.search(r"\d|、", task) else task


def _with_verb(items: list[str]) -> str:
    text = "、".join(items)
    return text if _VERB_START.search(items[0]) else "完成" + text


def goal_from_facts(facts: Facts, ctx: Context, year: str) -> str | None:
    """A goal composed from what the project's texts state: its listed indicators and their targets,
    the figures its context or goal give, the tasks its funds pay for (with their amounts), a
    deadline and its beneficiaries. None when they name no output."""
    outputs: list[str] = []
    quality: list[str] = []
    counted: list[str] = []
    for ind in facts.listed:
        if _GENERIC.search(ind.name):
            continue  # 项目完成率, 资金使用合规性: a process indicator says nothing of this project
        p = _phrase(ind) if re.search(r"\d", ind.target or "") else _listed_phrase(ind)
        if not p or ind.category == "满意度指标" or "满意" in ind.name or re.search(r"成本|金额|(?:资金|经费|费)$|在职|职工|编制", ind.name):
            continue  # satisfaction, money and staffing are not what the project delivers
        (quality if ind.category in ("质量指标", "时效指标") or "率" in ind.name else counted).append(p)
    if counted:
        outputs.append(_with_verb(counted[:4]))
    listed_names = [i.name for i in facts.listed]
    for c in facts.clauses:
        c = re.sub(r"^.*?目标(?:是|为)", "", c).strip(" ,，:：")
        if any(n and n in c for n in listed_names) or not re.search(r"完成|开展|发放|建设|新建|改造|维修|培训|接种|检测|免疫|救助|资助|"
                                                                    r"补助|覆盖|开放|管护|养护|铺设|硬化|购置|设立|率|比例|控制", c):
            continue
        c = ("为" + c) if re.match(r"\d+\s*(?:名|人|户)", c) else c  # 404名服务对象发放… → 为404名服务对象发放…
        c = c if _VERB_START.search(c) or re.search(r"率|比例", c) else "完成" + c
        c = c.replace("≥", "不低于").replace("≤", "不高于")
        (quality if re.search(r"率|比例", c) and not re.search(r"完成|新建|建设|发放", c) else outputs).append(c)
    if len(outputs) < 2 and facts.funded:
        outputs.append(_with_verb([f"{_measured(t)}（{a}）" for t, a in facts.funded[:5]]))
    if len(outputs) < 2:
        tasks = [t for t in facts.tasks if not any(t in o for o in outputs)][:4]
        measured = [_measured(t) for t in tasks]
        if not any(FILL in m for m in measured) and not outputs:  # the goal's own tasks that can be counted
            own = [_measured(t) for t in task_clauses(" ".join(ctx.goals))]
            measured = [m for m in own if FILL in m] or measured
        if len(tasks) == 1 and re.match(r"缴纳|发放|支付|兑付|拨付|购置|采购", tasks[0]) and facts.budget and not outputs:
            outputs.append(f"{tasks[0]}{facts.budget}")  # one payment, its whole budget: 缴纳学校残疾人保障金16.20万元
        elif any(FILL in m for m in measured):
            outputs.append(_with_verb([m for m in measured if FILL in m] if outputs else measured))
    if not outputs and not quality:
        return None
    lead = f"安排资金{facts.budget}，" if facts.budget and not any(facts.budget in o for o in outputs) else ""
    quality = [q for q in quality if not any(q in o for o in outputs)]
    parts = [year + lead + ("，".join(outputs[:4]) if outputs else "、".join(quality[:3]))]
    if outputs and quality:
        parts.append("、".join(quality[:3]))
    deadline = date_in(ctx.context, last=True) or date_in(" ".join(ctx.goals), last=True)
    if outputs:
        parts.append(f"{deadline}完成" if deadline else f"{FILL_MONTH}月底前完成")
    parts.append(f"惠及{facts.benefit}" if facts.benefit else FILL_BENEFIT)
    return "，".join(parts) + "。"
