"""Completion checks (CP): does 实际完成情况 say what was actually produced, and how much?

The backbone is the counted output: a number with a measure word (230人, 32.63公里,
148个批次). Money, completion rates (完成率100%), years and list numbering do not
count, because a unit can write them without saying what it delivered. Specific rules
name the usual way a completion text goes wrong (bare claim, goal repeated, money in
place of outputs, template text, process talk); CP07 catches the rest. CP20 looks at
one indicator's 实际完成值 written as 完成/达标/是 for a quantitative target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.judging.checks import check
from checker.judging.checks.narrative import (
    cjk_core,
    clean,
    count_phrases,
    count_quantities,
    evidence_list,
    phrase_hits,
    quantities,
    remove_phrases,
    short,
    similarity,
)
from checker.core.finding import Hit

_PROCESS_VERBS = frozenset(("组织", "实施", "开展"))
# "work went well" said of the outputs instead of how much was done
_MANNER_CLAIM = re.compile(
    r"均(?:已|按[^，,。；;]{0,6})?(?:完成|开展|落实|到位|推进|实施)|顺利(?:开展|推进|完成|实施|进行)|有序(?:开展|推进)|圆满完成|按要求(?:完成|开展|落实)"
)
_NUMBERS = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|‰)?")
# a count of projects (分解10个项目, 3个项目满分完成) says how the money was split, not what was delivered
_PROJECT_COUNT = re.compile(r"(?:\d+|[一二两三四五六七八九十]+)\s*(?:个|项)\s*(?:子)?项目")
# a clause saying what the money is (to be) spent on, up to the next full stop or semicolon
_SPENT_ON = re.compile(r"(?:用于|用途|支出范围|开支范围|主要支出)[^。；;]*")
# a count written as a floor, a plan or a projection (不低于20户, 计划新建10座, 预计可达5000亩) is the target
# restated, not what was delivered
_TARGET_COUNT = re.compile(
    r"(?:(?:不低于|不少于|不高于|不超过|至少|≥|≤|(?<![按照])计划(?:为|完成)?|可(?:达|带动|实现|惠及|覆盖|新增|增加))"
    r"|(?:力争|预计|预期|拟)[^，,。；;：:\d]{0,6}?)\s*(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)"
)


@dataclass
class CompletionProfile:
    text: str
    goal: str
    counts: list[str]
    money: bool
    percent: bool
    residue: str  # what is left once claim words, numbers and the project name are removed
    goal_counts: list[str]
    similarity: float
    templates: list[str]
    funding: list[str]
    process: list[str]
    effects: list[str]
    actions: list[str]  # distinct concrete output verbs (建设, 维修, 发放 …)


def _wl(ctx, name: str) -> list[str]:
    return list(ctx.wordlists.get(name) or []) if ctx is not None and ctx.wordlists is not None else []


def _project_name(project: str | None) -> str:
    return re.sub(r"[（(【\[].*?[)）】\]]", "", clean(project or ""))


def profile(view, ctx) -> CompletionProfile:
    """Signals of one completion text, computed once per run."""
    comp = view.completion if isinstance(view.completion, str) else ""
    goal = view.goal if isinstance(view.goal, str) else ""
    key = ("completion", comp, goal, view.project or "")
    cache = ctx.cache if ctx is not None else {}
    if key in cache:
        return cache[key]
    text = clean(comp)
    kinds = [k for _, k in quantities(text)]
    # "XX项目已完成" is as bare as "已完成": take the project name out first
    name = cjk_core(_project_name(view.project))
    base = re.sub(r"(?:项目|经费|资金|专项)+$", "", name)
    rest = text
    for n in (name, base):
        if len(n) >= 4:
            rest = rest.replace(n, " ")
    rest = remove_phrases(rest, _wl(ctx, "perfunctory_phrases") + _wl(ctx, "vague_effects"), gap=4)
    residue = cjk_core(_NUMBERS.sub(" ", re.sub(r"(?:19|20)\d{2}\s*年度?", " ", rest)))
    prof = CompletionProfile(
        text=text,
        goal=clean(goal),
        counts=count_quantities(_TARGET_COUNT.sub(" ", _PROJECT_COUNT.sub(" ", text))),
        money="money" in kinds,
        percent="percent" in kinds,
        residue=residue,
        goal_counts=count_quantities(goal),
        similarity=similarity(text, goal) if goal else 0.0,
        templates=phrase_hits(text, _wl(ctx, "template_phrases")),
        funding=phrase_hits(text, _wl(ctx, "funding_phrases")),
        process=phrase_hits(text, _wl(ctx, "process_phrases")),
        effects=phrase_hits(text, _wl(ctx, "vague_effects")),
        # what the money is for (资金用于维修校舍、购置设备) names no deed that was done
        actions=sorted(set(phrase_hits(_SPENT_ON.sub(" ", text), _wl(ctx, "concrete_actions"), gap=0))),
    )
    cache[key] = prof
    return prof


def _hit(view, evidence: str, confidence: float, **args) -> Hit:
    return Hit(evidence=evidence, location=view.field("actual"), args=args, confidence=confidence)


def is_bare_claim(p: CompletionProfile, params) -> bool:
    return bool(p.text) and not p.counts and len(p.residue) <= params.get("max_residue_chars", 4)


def repeats_goal(p: CompletionProfile, params) -> bool:
    # A quantified goal repeated with its counts reads as "target met" and is accepted.
    return bool(p.goal) and not p.counts and p.similarity >= params.get("min_similarity", 0.6)


def money_only(p: CompletionProfile, params) -> bool:
    return not p.counts and (p.money or len(p.funding) >= params.get("min_funding_hits", 1))


@check("completion_bare_claim")
def completion_bare_claim(view, params, ctx):
    """CP01: only 已完成 / 按计划完成 / 达到预期目标 / 自评结果为良, nothing specific."""
    p = profile(view, ctx)
    if is_bare_claim(p, params):
        yield _hit(view, short(view.completion), 0.9)


@check("completion_repeats_goal")
def completion_repeats_goal(view, params, ctx):
    """CP02: the completion is the goal again (with 了/已 added), without counted outputs."""
    p = profile(view, ctx)
    if repeats_goal(p, params) and not is_bare_claim(p, {}):
        yield _hit(view, short(view.completion), 0.85, similarity=f"{p.similarity:.0%}")


@check("completion_lacks_goal_numbers")
def completion_lacks_goal_numbers(view, params, ctx):
    """CP03: the goal has counted targets, the completion has no counted output at all."""
    p = profile(view, ctx)
    if p.goal_counts and not p.counts and p.text and not is_bare_claim(p, {}) and not repeats_goal(p, {}):
        yield _hit(view, short(view.completion), 0.85, goal_numbers="、".join(count_phrases(p.goal)[:5]))


@check("completion_money_only")
def completion_money_only(view, params, ctx):
    """CP04: budget execution (预算数/执行数/拨付/支付) offered instead of outputs."""
    p = profile(view, ctx)
    if money_only(p, params) and not is_bare_claim(p, {}) and not p.templates:
        ev = evidence_list(view.completion, p.funding) or short(view.completion)
        yield _hit(view, ev, 0.85)


@check("completion_template_text")
def completion_template_text(view, params, ctx):
    """CP05: template instructions (对照年度目标，说明… / 100字以内 / 请填写) left in the cell."""
    p = profile(view, ctx)
    if p.templates:
        yield _hit(view, evidence_list(view.completion, p.templates), 0.95)


@check("completion_process_only")
def completion_process_only(view, params, ctx):
    """CP06: only management process (规范使用资金, 严格执行制度) and no output."""
    p = profile(view, ctx)
    if p.counts or not p.process or money_only(p, {}) or p.templates:
        return
    yield _hit(view, evidence_list(view.completion, p.process), 0.75)


@check("completion_unquantified")
def completion_unquantified(view, params, ctx):
    """CP07: no counted output anywhere (rates and effect phrases only); the other CP rules did not apply."""
    p = profile(view, ctx)
    if not p.text or p.counts:
        return
    if is_bare_claim(p, {}) or repeats_goal(p, {}) or money_only(p, {}) or p.templates or p.process:
        return
    if p.goal_counts:
        return  # CP03 says it more precisely
    # several concrete outputs named without effect talk is a specific account, even without counts
    # 组织/实施/开展 describe process (认真组织实施), not an output, so they do not count here
    # so do a project's milestones (竣工、审计、办理): every project passes them, whatever it delivered
    milestones = set(filter(None, str(params.get("milestones") or "").split("|")))
    outputs = [a for a in p.actions if a not in _PROCESS_VERBS and a not in milestones]
    # ... unless it is told in claim words (均按要求完成, 顺利开展): then the outputs are only named, not reported
    claims = _MANNER_CLAIM.findall(p.text)
    if len(outputs) >= params.get("min_actions_exempt", 2) and not p.effects and not claims and len(cjk_core(p.text)) >= 20:
        return
    ev = evidence_list(view.completion, p.effects) or short(view.completion)
    yield _hit(view, ev, params.get("confidence", 0.7))


# ---- what a completion text is about (issue 10): purpose/meaning or fund transfer, nothing done ----

_CLAUSE = re.compile(r"[，,。；;：:！!？?\n]")
# what the money is for / what the project means: a reason, not a result
_PURPOSE = re.compile(
    r"意义|作用|目的|旨在|为了|以便|有利于|有助于|有益于|必要|用于|用途|主要支出|支出范围|开支范围|初衷|宗旨|价值|需要"
)
# money moving between budgets and accounts (not paid out to beneficiaries: 发放/兑付 are outputs)
_TRANSFER = re.compile(r"拨付|下达|下拨|划拨|拨至|拨到|转拨|转移支付|到位|支付|结算|报账|执行率|执行数|预算数|支出进度|资金使用|使用资金")
# a clause reporting something done: 已/完成/建成/共/累计/实际 …, or a past-tense 了
_DONE = re.compile(r"已|完成|建成|建设了|实现|达到|共计|累计|实际|新增|发放|兑付|培训|举办|开展了|受益|惠及|覆盖|帮助|解决了|[\u4e00-\u9fff]了")


# an action word used as a noun (资助政策, 培训经费, 补助资金) names no action that was done
_NOMINAL = re.compile(r"[\u4e00-\u9fff]{2}(?=(?:政策|资金|经费|费用|项目|力度|水平|标准)(?![\u4e00-\u9fff]{0,2}(?:建设|工程)))")

# a clause that states the unit's standing duty (负责…、承担…), copied from its 职能职责
_DUTY = re.compile(r"(?:\d{1,2}[.、．]?)?(?:负责|承担|承办|履行)")


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE.split(text) if re.search(r"[\u4e00-\u9fff]{2}", c)]


# claim words around a deed: 已全部发放 says that, not what was handed out
_CLAIM_WORDS = re.compile(r"已经|已|全部|均|按时|及时|足额|如期|到位|完毕|了|都|基本")


def _names_a_deed(clause: str, ctx) -> bool:
    """A clause reporting a concrete deed with its object (发放补助到1200户, 维修校舍), not a bare 已全部发放."""
    if not _DONE.search(clause):
        return False
    acts = [a for a in phrase_hits(_NOMINAL.sub(" ", clause), _wl(ctx, "concrete_actions"), gap=0) if a not in _PROCESS_VERBS]
    if not acts:
        return False
    rest = _CLAIM_WORDS.sub("", clause)
    for a in acts:
        rest = rest.replace(a, "")
    return len(cjk_core(rest)) >= 2


@check("completion_purpose_or_transfer")
def completion_purpose_or_transfer(view, params, ctx):
    """CP08: the text says what the money is for or what the project means (意义、作用), or that the
    funds were transferred (资金已全部拨付), and no clause reports an output that was delivered."""
    p = profile(view, ctx)
    clauses = _clauses(p.text)
    if not clauses or p.templates:
        return
    purpose = [c for c in clauses if _PURPOSE.search(c)]
    transfer = [c for c in clauses if _TRANSFER.search(c)]
    duties = [c for c in clauses if _DUTY.match(c.strip())]
    if not purpose and not transfer and not duties:
        return
    # an output clause: something counted or done that is not itself a purpose or a transfer
    outputs = [
        c for c in clauses
        if c not in purpose and c not in transfer and c not in duties and (count_quantities(c) or _names_a_deed(c, ctx))
    ]
    if outputs:
        return
    share = len(set(purpose) | set(transfer) | set(duties)) / len(clauses)
    if share < params.get("min_share", 0.5):
        return
    found = max((purpose, transfer, duties), key=len)
    shape = {id(purpose): "资金用途或项目意义", id(transfer): "资金拨付情况", id(duties): "单位职责"}[id(found)]
    yield _hit(view, short(found[0]), 0.8, shape=shape)


# ---- indicator scope -----------------------------------------------------------------

_DONE_WORDS = re.compile(
    r"^(?:已?全部|已?基本|已经|已)?(?:完成|达标|达到|达成|实现|落实|合格|是|有|好|较好|良好|优|良|满足|符合)(?:目标|指标|要求|预期|预期目标|年度指标|年度目标|任务)?(?:值)?$"
)


@check("indicator_actual_claim_only")
def indicator_actual_claim_only(view, params, ctx):
    """CP20: a quantitative 年度指标值 answered with 完成/已完成/达标/是 instead of a value."""
    target, actual = view.target_value, view.actual_value
    if target is None or target.kind != "quantitative" or not view.actual:
        return
    a = cjk_core(view.actual)
    if a and not re.search(r"\d", view.actual) and _DONE_WORDS.match(a):
        yield Hit(evidence=view.actual.strip(), location=view.field("actual"), args={}, confidence=0.9)
