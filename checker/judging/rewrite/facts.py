"""The project's own facts read from free text (a snippet's context: 项目概况, the funds use with
its tasks and amounts, the indicators it lists; the goal's own figures; the project name): the
material a goal or completion draft is built from before any library indicator.

Every figure kept here is copied from the text as written; nothing is computed or counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checker.judging.rewrite.context import ENUM_PREFIX, Ind, category_of_name

_AMOUNT = r"(\d+(?:\.\d+)?)\s*(万元|亿元|元)"
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?!代)")
# A funding source or a total, not a task (中央730.4万元, 基本支出622万元, 合计75万元)
_NOT_TASK_ITEM = re.compile(r"^(?:中央|省级?|市级?|县级?|区级?|自治区|地方|本级|财政|上级|基本支出|项目支出|合计|总计|共计|其中|年度|全年|资金总额|"
                            r"总额|预算|支出|拨款|财政拨款|年初|结算|决算|执行|分为|含|实际|结余|每|总投资|拨付|发放$)|人员|工资|编制|在编|在职|机构|办公费|印刷费|接待费|差旅|预算|规模|整体|金额|部门|转移支付|专项|资金|^.{0,2}$")
_FUND_WORDS = re.compile(r"(?:专项资金|补助资金|补助经费|工作经费|专项经费|资金|经费|费用)$")
# Words that say a list of tasks follows (用于…, 项目内容: …, 职能: …)
_TASK_LEAD = re.compile(r"(?:主要用于|用于|项目内容|建设内容|主要内容|内容|职能|项目概况|主要任务|任务)\s*[:：为是]?\s*")
_LIST_SPLIT = re.compile(r"[、,，;；]|(?<=[\u4e00-\u9fa5])(?:和|及|以及|与)(?=[\u4e00-\u9fa5]{2})")
_AIM = re.compile(r"^(?:提升|提高|改善|促进|推动|推进|保障|确保|增强|加强|优化|完善|巩固|营造|助力|满足|实现|支持|加大|做好|强化|落实|规范|维护|保证|减少|降低|减轻)")
# Counting units a quantity placeholder takes, by what the task names (longest first)
_TASK_UNITS = [
    ("培训", "人次"), ("讲座", "场"), ("演出", "场"), ("放映", "场"), ("赛事", "场"), ("比赛", "场"), ("活动", "场"), ("慰问", "人次"),
    ("书籍", "册"), ("课程", "门"), ("宣传", "次"), ("排查", "处"), ("整治", "处"), ("规划", "项"), ("采摘节", "场"), ("缴纳", "万元"), ("支付", "万元"), ("兑付", "万元"), ("图书", "册"), ("宣传品", "件"), ("宣传资料", "份"), ("稿件", "篇"), ("巡查", "次"), ("检查", "次"), ("督查", "次"),
    ("用车", "辆"), ("车辆", "辆"), ("行道树", "株"), ("绿化", "平方米"), ("户厕", "座"), ("厕所", "座"), ("危房", "户"), ("步道", "公里"),
    ("公路", "公里"), ("道路", "公里"), ("渠道", "公里"), ("河道", "公里"), ("健身房", "个"), ("公园", "个"), ("点位", "个"),
    ("岗位", "个"), ("设备", "台（套）"), ("器材", "件"), ("接种", "人次"), ("体检", "人"), ("救助", "人次"), ("资助", "人"),
]
# Words before a count of people or households that say they benefit (惠及, 服务, 威胁 …)
_BENEFIT = re.compile(r"(?:惠及|受益|覆盖|服务|帮扶|资助|救助|威胁|涉及|为)\s*((?:\d+(?:\.\d+)?\s*(?:万)?(?:户|人次|人|名)\s*){1,2})")


@dataclass
class Facts:
    year: str = ""  # "2023年" as the text writes it, else ""
    budget: str = ""  # "110.56万元", the first amount the text gives for the whole project
    funded: list[tuple[str, str]] = field(default_factory=list)  # (task, its amount as written)
    tasks: list[str] = field(default_factory=list)  # tasks listed without amounts (用于…, 项目内容: …)
    listed: list[Ind] = field(default_factory=list)  # indicators named after 指标: (target "" when none given)
    clauses: list[str] = field(default_factory=list)  # the goal's or context's own clauses with a figure
    benefit: str = ""  # "793户3411人": beneficiaries as the text counts them


def year_in(*texts: str) -> str:
    for t in texts:
        m = _YEAR.search(t or "")
        if m:
            return m.group(1) + "年"
    return ""


def task_unit(task: str) -> str:
    """The counting unit a task's quantity is written in, by the last thing it names (开展党建活动 → 场;
    添置演出设备 → 台（套）), else ""."""
    task = re.sub(r"等$", "", task or "")
    found = [(task.rfind(word) + len(word), len(word), unit) for word, unit in _TASK_UNITS if word in task]
    return max(found)[2] if found else ""


def _items(text: str) -> list[str]:
    """Items of a list separated by 、，; 和 及, never splitting inside brackets (县(市、区))."""
    out, depth, cur = [], 0, ""
    i = 0
    while i < len(text):
        ch = text[i]
        depth += ch in "(（【[" and 1 or 0
        depth -= ch in ")）】]" and 1 or 0
        if depth <= 0:
            depth = 0
            m = _LIST_SPLIT.match(text, i)
            if m and m.end() > i:
                out.append(cur)
                cur = ""
                i = m.end()
                continue
        cur += ch
        i += 1
    out.append(cur)
    merged: list[str] = []
    for x in out:  # 为肢体、视力、智力残疾人提供康复服务: the list inside 为…提供 is one item
        if merged and re.match(r"^[为对向给]", merged[-1]) and not re.search(r"提供|进行|开展|发放|实施", merged[-1]):
            merged[-1] += "、" + x
        else:
            merged.append(x)
    return [x.strip(" ：:。.") for x in merged if x.strip(" ：:。.")]


def _clean_task(t: str) -> str:
    t = ENUM_PREFIX.sub("", t).strip(" ：:、。")
    t = re.sub(r"^(?:其中|含|项目支出含|项目|主要|包括|用于|等)\s*[:：]?", "", t)
    t = re.sub(r"^(?:19|20)\d\d\s*年度?", "", t)  # 2023年度农村改厕项目 → 农村改厕
    t = re.sub(r"项目$", "", t)
    t = re.sub(r"\d+\s*(?:部分|项|类)$", "", t)
    t = re.sub(r"等(?:工作|活动|支出|费用|开支)?$", "", t)
    t = _FUND_WORDS.sub("", t)
    t = re.sub(r"(?<=[护修营训动传理维])费$", "", t)  # 行道树养护费 → 行道树养护
    t = re.sub(r"-", "", t)
    return t.strip(" ：:、。")


def _is_task(t: str) -> bool:
    return 2 <= len(t) <= 24 and not _NOT_TASK_ITEM.search(t) and not _AIM.search(t) and not re.search(r"\d", t)


def _listed(rest: str) -> list[Ind]:
    """Indicators named after 指标: with their targets where given (名称≥95%, 诊断准确率95%以上)."""

    out = []
    for item in re.split(r"[;；]|、(?![^()（）]*[)）])", rest):
        item = item.strip(" 。.")
        m = re.match(r"^(.+?)\s*((?:≥|≤|>=|<=|=|>|<|≧|≦)?\s*\d+(?:\.\d+)?\s*(?:%|㎡|[A-Za-z]{1,3}|[\u4e00-\u9fa5]{1,3}(?:/[\u4e00-\u9fa5])?)?(?:以上|以下|以内)?)$", item)
        name, target = (m.group(1), m.group(2)) if m and not re.search(r"\d$", m.group(1)) else (item, "")
        target = target.replace(">=", "≥").replace("<=", "≤").replace("≧", "≥").replace("≦", "≤")
        if re.search(r"以上$", target):
            target = "≥" + target[: -2]
        elif re.search(r"以[下内]$", target):
            target = "≤" + target[: -2]
        name = name.strip()
        if 2 <= len(name) <= 20 and not re.search(r"\d(?!\s*(?:岁|周岁|月龄))", name):
            out.append(Ind("", category_of_name(name), name, target, ""))
    return out


_ORG = re.compile(r"(?:局|院|中心|办|办公室|委员会|常委会|政府|学校|中学|小学|幼儿园|馆|站|所|队|支队|街道|镇|乡)$|^(?:主管部门|实施单位|资金使用单位|依据|区域|扶持对象)")
_TASK_WORD = re.compile(r"活动|服务|培训|救灾|救助|记录|保护|运行|维护|维保|建设|改造|维修|防治|宣传|发放|养护|管护|开放|演出|送戏|巡查|监测|"
                        r"检测|接种|体检|资助|补助|慰问|修剪|施肥|清运|保洁|采购|购置|安装|作品|赛|讲座|展")
_COUNT_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:万|千)?(?:%|㎡|[个人户次场名处座所家台套件份册篇项条批吨亩株天粒辆村校间张]|公里|千米|平方米|立方米|米|m\b|km\b|公顷)")


def read_facts(project: str, goal: str, context: str) -> Facts:
    """The facts the project's own texts state (context first, then the goal, then the name)."""
    f = Facts(year=year_in(project, context, goal))
    segments = [s.strip() for s in re.split(r"[;；\n]", context or "") if s.strip()]
    in_list = False
    for k, seg in enumerate(segments):
        head = re.match(r"^(?:产出指标|效益指标|绩效指标|指标)\s*[:：]", seg)
        if head or in_list:  # indicators run to the end of the context once 指标: starts
            in_list = True
            f.listed.extend(_listed(seg[head.end():] if head else seg))
            continue
        if not f.budget:
            m = re.search(r"(?:预算|资金|拨款|总额|支出|经费|补助|转移支付|金额)[^\d,，;；]{0,8}?" + _AMOUNT, seg) or (
                re.fullmatch(r"\s*" + _AMOUNT + r"\s*(?:[(（].*)?", seg))
            if m:
                f.budget = m.group(m.lastindex - 1) + m.group(m.lastindex)
        b = _BENEFIT.search(seg)
        if b and not f.benefit:
            f.benefit = re.sub(r"\s+", "", b.group(1))
        lead = _TASK_LEAD.search(seg)
        body = seg[lead.end():] if lead else seg
        if re.search(r"分为\d+个项目|项目支出含|项目[:：]|方案[:：]", body):
            body = re.split(r"[:：]", body, maxsplit=1)[-1]
            lead = lead or True  # the items that follow are what the money is used for
        for m in re.finditer(r"([^、,，;；:：]{2,30}?)\s*" + _AMOUNT, body):
            if "资金" in m.group(1) and not lead:
                continue  # 少数民族发展资金37万元: where the money comes from, not what it pays for
            task = _clean_task(re.sub(r"[（(][^）)]*[）)]?$", "", m.group(1)).strip("“”\"'"))
            amount = m.group(2) + m.group(3)
            header = body[m.end():m.end() + 1] in (":", "：")  # 经费110.56万元: the total the list below divides
            works = _TASK_WORD.search(task) or task_unit(task) or re.search(r"清杂|抢险|处置|改厕|补偿|整治|修复|加固", task)
            if m.group(3) != "元" and not header and works and _is_task(task) and all(t != task for t, _ in f.funded):
                f.funded.append((task, amount))
        if not lead and re.search(r"[:：]", body):  # 经费110.56万元:中心渠道清杂、应急抢险…
            lead, body = True, re.split(r"[:：]", body)[-1]
        body = re.sub(r"\d+\s*(?:部分|项|类)(?=$|[,，。])", "", body)
        if not re.search(r"\d", body) and (lead or k > 0) and not _ORG.search(body.split("、")[0]) and not re.search(r"[:：]", body):
            for item in _items(body):
                task = _clean_task(item).strip("“”\"'")
                if _is_task(task) and task not in f.tasks and (lead or _TASK_WORD.search(task)) and not core_equal(task, project) and (
                        not task.endswith("费")):  # 水电费: a cost, not a task
                    f.tasks.append(task)
    if len(f.funded) == 1 and f.funded[0][1] == f.budget:
        f.funded = []  # the project's own total under its own name is not one of its tasks
    for text in (goal, context):
        for c in re.split(r"[。；;\n]|[,，](?=目标\d|\d[、.．])", text or ""):
            c = re.split(r"[:：]", c)[-1] if re.search(r"[:：].*\d", c) else c
            c = ENUM_PREFIX.sub("", re.sub(r"^\s*(?:目标\s*\d+|产出指标|指标|概况)\s*[:：]?", "", c)).strip(" ,，:：")
            if 6 <= len(c) <= 60 and _COUNT_FIGURE.search(c) and not re.search(
                    r"预算|资金总额|拨款|基本支出|项目支出|在编|编制|内设|机构|职工|聘用|分配方案|每|标准|核定|^\D*\d+(?:\.\d+)?\s*万?元$", c) and c not in f.clauses:
                f.clauses.append(c)
    return f


def core_equal(task: str, project: str) -> bool:
    """Is the item the project itself (上级资金转移支付 in a project of that name)?"""
    return len(task) >= 4 and task in (project or "")


_ENUM_LEAD = re.compile(r"(?:较好地完成了|完成了|完成|主要用于|用于|包括|开展了|开展|做好)")
_ENUM_TAIL = re.compile(r"(?:等(?:相关)?(?:目标|工作|任务|支出|项目)?|工作)?(?:稳步推进|顺利开展|顺利推进|均超额完成|按标准发放|及时发放)?\s*$")
_ENUM_WORD = re.compile(_TASK_WORD.pattern.replace("|赛", "").replace("|展", "") + r"|清杂|处置|支付|康复|补贴|托养|救护|捐献|见习|岗位|社保|服务$")
# States and aims, not work that can be counted (作用, 意识, 及时, 整洁美观 …)
STATE = re.compile(r"^为|作用|意识|局面|氛围|水平|能力|延后|需要|状况|机制|保障了|及时$|合理$|美观$|整洁|生长$|^无|^一方面|^另一方面|^通过|^从而|启动|有序")


def enumerated_tasks(*texts: str, n: int = 5) -> list[str]:
    """Tasks a text lists (用于基层特岗人员工资社保、就业见习补贴、公益性岗位补贴; 完成了志愿服务、应急救护、…):
    two or more items of one clause, each naming work, in the text's own words."""
    out: list[str] = []
    for text in texts:
        for sentence in re.split(r"[。；;\n]", text or ""):
            lead = _ENUM_LEAD.search(sentence)
            body = sentence[lead.end():] if lead else sentence
            body = re.split(r"[,，]\s*(?=(?:镇|村|各|严格|并|均|已|按|为|使|通过))", body)[0]
            items = [_clean_task(_ENUM_TAIL.sub("", x)) for x in _items(_ENUM_TAIL.sub("", body))]
            items = [x for x in items if 3 <= len(x) <= 16 and _ENUM_WORD.search(x) and not _AIM.search(x) and not STATE.search(x)
                     and not re.search(r"\d", x)]
            if len(items) >= 2:
                out.extend(x for x in items if x not in out)
            if len(out) >= n:
                return out[:n]
    return out[:n]
