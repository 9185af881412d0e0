"""What a rewrite may draw on: the document's (or a snippet request's) own texts and figures, and
the project's tasks read from its name, goal and context."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from checker.judging.library import category_key, detect_field, document_field, request_field


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

def category_of_name(name: str) -> str:
    if re.search(r"成本|金额|费用|单价|造价|标准$", name):
        return "成本指标"
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
            out.append(Ind("", category_of_name(name), name, f"{sign}{value}", ""))
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
            out.append(Ind("", category_of_name(name), name, value, ""))
    return out[:6]


ENUM_PREFIX = re.compile(r"^\s*(?:\*|(?:指标|任务|目标)\s*\d+\s*[:：、.．]?|\d{1,2}\s*[、.．:：](?!\d)|[（(]\d{1,2}[)）])\s*")

def clean_name(name: str) -> str:
    """The indicator name without its list numbering (指标1: …)."""
    return ENUM_PREFIX.sub("", name or "").strip()


_TASK_TAIL = re.compile(r"(专项资金|补助资金|补助经费|专项经费|工作经费|项目资金|生活补助|资金|经费|补助|补贴|项目|支出|费用)+$")

def core_task(project: str) -> str:
    """What a project does, from its name: no year, bracketed notes, amounts or 资金/经费/项目 tail
    (2023年农村危房改造补助资金(某县) → 农村危房改造)."""
    t = re.split(r"[;；]", project or "")[0]
    t = re.sub(r"[（(【\[][^）)】\]]*[）)】\]]", "", t)
    t = re.sub(r"(?:19|20)\d{2}\s*年?(?:度)?|^[^\s]{0,12}?〔\d{4}〕\d+号", "", t.strip())
    t = re.sub(r"\d+(?:\.\d+)?\s*万?元", "", t)
    t = _TASK_TAIL.sub("", t.strip(" -—_:：,，"))
    parts = [p for p in re.split(r"\s*(?:[-—–]+|项目)\s*", t) if len(p) >= 4]
    if len(parts) > 1 and _COUNTABLE.search(parts[-1]):  # 衔接推进乡村振兴补助资金-特色产品加工车间二期建设: the work itself
        t = _TASK_TAIL.sub("", parts[-1])
    t = re.sub(r"^.{2,24}?(?:合作社|公司|委员会)(?=.{4,})", "", t)  # the body that carries the work out is not the work
    t = re.sub(r"(?<=[护修营训])费$", "", t)  # 运行维护费 → 运行维护: the task the money pays for
    # what is left must name a task: not a unit's running costs (村管费, 生均公用, 项目整体, 工资)
    if "整体" in t or len(t) < 3 or re.search(r"费$|公用$|运转|工资|报酬|人员|日常|办公$|自评|绩效|决算|预算|评价|报告|说明|情况$", t) or re.search(
            r"(局|会|委|中心|院|站|所|室|办|政府|街道|镇|乡|村|学校|中学|小学|馆)$", t):
        return ""
    return t


_COUNTABLE = re.compile(r"建设|改造|新建|改建|维修|修缮|养护|培训|发放|补贴|救助|演出|赛|活动|推广|开放|采购|购置|体检|接种|帮扶|"
                        r"治理|保洁|清扫|清运|运维|管护|宣传|慰问|普查|调查|监测|检测|整治|安装|配备|放映|资助|助学|义诊|巡查|抽检|标引|档案")

def countable_task(task: str) -> bool:
    """A task whose output can be counted (修缮, 培训, 发放 …), short enough to read as one."""
    return bool(task) and len(task) <= 20 and bool(_COUNTABLE.search(task)) and not re.search(r"[、，,]|体系|基础设施", task)


_TASK_VERB = re.compile(r"完成|开展|建设|新建|改建|改造|维修|修缮|购置|更新|添置|发放|培训|举办|组织|实施|治理|配备|安装|采购|"
                        r"提供|救助|资助|接种|体检|养护|清扫|清运|建立|巡查|检查|抽检|宣传|慰问|补贴|演出|放映|监测")

_NOT_TASK = re.compile(r"高质量|新篇章|促进|推动|推进|提升|提高|助力|营造|确保|保障|有序|圆满|^(?:支持|加大|加强|做好|强化|落实|完善|规范)|力度|工作$")

def task_clauses(text: str, n: int = 3) -> list[str]:
    """Up to n clauses of a goal that name a task (维修改造校舍, 发放高龄津贴), not an aim or a slogan."""
    out = []
    for c in re.split(r"[。；;，,\n]|(?:目标|任务)?\s*\d{1,2}\s*[、.．:：](?!\d)|[一二三四五六七八九十]是", text or ""):
        c = ENUM_PREFIX.sub("", c).strip(" ：:、")
        c = re.sub(r"^(?:主要|全年|年内|通过|计划|拟|将|并|及时|按时|全面|积极|认真|进一步)+", "", c)
        if 4 <= len(c) <= 24 and _TASK_VERB.search(c) and not _NOT_TASK.search(c) and not re.search(r"\d", c) and c not in out:
            out.append(c)
        if len(out) == n:
            break
    return out
