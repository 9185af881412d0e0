"""Goal checks (GO): does the 年度总体目标 say what this project produces this year?

A goal is judged on what is left once generic material is taken out: macro slogans,
the unit's standing duties, money, process talk and words of the project name. A goal
with a counted output (39户, 300公里) is specific and passes everything except template
text and a wrong year. Word lists are data (rules/wordlists/*.txt) a bureau can extend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.judging.checks import check
from checker.judging.checks.narrative import (
    cjk_core,
    clean,
    containment,
    count_quantities,
    evidence_list,
    original_text,
    phrase_hits,
    quantities,
    remove_phrases,
    short,
    strip_enumerators,
)
from checker.core.finding import Hit
from checker.core.textutil import content_words

# Words every goal uses; they say nothing about this project.
FILLER = set(
    "绩效 目标 绩效目标 年度 总体 项目 本项目 该项目 资金 经费 专项 专项资金 工作 相关 有关 各项 主要 通过 实施 根据 按照 "
    "要求 计划 任务 情况 方面 全县 全市 全区 全省 我县 我市 我区 我局 本单位 单位 部门 用于 包括 其中 以及 共 万元 元 "
    "为 是 达到 完成 顺利 及时 所需 等等 一是 二是 三是".split()
)
# bounded, no nested repetition: a list (、) of spending items within one sentence
_EXPENSE_LIST = re.compile(r"用于[^。；;]{0,60}?、[^。；;]{0,60}?(?:支出|开支|费用|经费)")
_EXPENSE_ITEMS = re.compile(r"(?:办公|水电|差旅|印刷|邮电|会议|培训|维修|租赁|劳务|人员|物业|公务|燃料|耗材)(?:用品)?费")
# a whole sentence that ends in the name of a spending: 设施日常维修升级改造费用。
_SPENDING_SENTENCE = re.compile(r"(?:^|[。；;！!\n])[^。；;！!\n]{2,80}?(?:费用|经费|支出|开支)\s*(?:等)?\s*[。；;]?\s*(?=$|[。；;！!\n])")
# a count of projects or spending lines (分解10个项目, 二类支出) says how the money is split, not what is delivered
PROJECT_COUNT = re.compile(r"(?:\d+|[一二两三四五六七八九十]+)\s*(?:个|项|类|笔)\s*(?:子)?(?:项目|支出|资金|经费|预算)")
# "通过项目实施" is a preamble, not an action.
PREAMBLE = re.compile(r"通过(?:本|该)?项目(?:的)?(?:实施|建设)|项目(?:的)?(?:顺利|有序)?实施后?|为(?:建设|打造|推进)")
# A goal that opens with what the money is used for (用于……相关支出).
_USE_FOR = re.compile(r"^(?:本项目|该项目|项目)?(?:资金|经费)?(?:主要)?用于.{0,40}?(?:支出|开支|费用)")
# An action word naming a fund (建设经费, 培训费, 补助资金) is not an action.
FUND_NAME = re.compile(r"[\u4e00-\u9fff]{2}(?=(?:经费|资金|费用|费|专项|项目|政策|力度|水平)(?![\u4e00-\u9fff]{0,2}(?:建设|工程)))")
# A clause opening with 负责/承担/做好 describes the unit's functions (copied from 职能职责).
_DUTY_CLAUSE = re.compile(r"(?:^|[。；;，,:：\s])(?:\d{1,2}[\.、．]?)?(?:负责|承担|承办|做好|履行)[^。；;，,]*")
# a year at the very start, after at most a short label and list numbering (目标1：, 1.)
_YEAR_LEAD = re.compile(r"^\D{0,8}?(?:\d{1,2}\s*[\.、．:：)）]\s*)?((?:19|20)\d{2})\s*年(?!\d)")
# a date or deadline: 2024年10月, 10月底前, 到2024年底
DEADLINE = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月|\d{1,2}月(?:底|前)|(?:19|20)\d{2}\s*年(?:年)?(?:底|末)")
# a full stop typed as an ASCII dot after a word (…管理的需要.), not a decimal point or list number
_SENTENCE_DOT = re.compile(r"(?<=[\u4e00-\u9fff）)”》])\.(?!\d)")
_DOC_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")


@dataclass
class GoalProfile:
    text: str
    core: str
    counts: list[str]
    money: bool
    project_words: set[str]
    slogans: list[str]
    standing: list[str]
    funding: list[str]
    process: list[str]
    templates: list[str]
    meta: list[str]
    actions: list[str]
    aims: list[str]
    residual: set[str]  # project-specific content words left after generic material is removed
    words: set[str]


def _duty_label(clause: str) -> str:
    """Evidence for a duty clause: 负责…/承担…; 做好…工作 is the duty formula, 做好… alone is weaker."""
    m = re.search(r"(负责|承担|承办|做好|履行)", clause)
    verb = m.group(1) if m else clause[:2]
    return "做好…工作" if verb == "做好" and clause.endswith("工作") else f"{verb}…"


def _standing(text: str, ctx) -> list[str]:
    """Standing-duty phrases, plus 负责/承担/做好 clauses not already inside one of them."""
    phrases = phrase_hits(text, wl(ctx, "standing_duties"))
    clauses = [_duty_label(m.group(0)) for m in _DUTY_CLAUSE.finditer(text)]
    return phrases + [c for c in clauses if not any(h.startswith(c[:2]) for h in phrases)]


def wl(ctx, name: str) -> list[str]:
    return list(ctx.wordlists.get(name) or []) if ctx is not None and ctx.wordlists is not None else []


def _project_words(project: str) -> set[str]:
    """Content words of the project name without its bracketed unit/year note."""
    name = re.sub(r"[（(【\[].*?[)）】\]]", " ", project)
    return content_words(name) | content_words(project)


def profile(view, ctx) -> GoalProfile:
    """Signals of one goal, computed once per run."""
    key = ("goal", view.goal if isinstance(view.goal, str) else "", view.project or "")
    cache = ctx.cache if ctx is not None else {}
    if key in cache:
        return cache[key]
    text = _SENTENCE_DOT.sub("。", clean(view.goal))
    project = clean(view.project or "")
    generic = wl(ctx, "slogans") + wl(ctx, "standing_duties") + wl(ctx, "funding_phrases") + wl(ctx, "process_phrases")
    rest = remove_phrases(text, generic + wl(ctx, "template_phrases") + wl(ctx, "goal_meta_phrases"))
    pw = _project_words(project) if project else set()
    aims = set(wl(ctx, "abstract_aims"))
    words = content_words(text)
    aim_rx = re.compile("|".join(map(re.escape, sorted(aims, key=len, reverse=True)))) if aims else None
    residual = {
        w
        for w in content_words(rest)
        if w not in FILLER and w not in pw and not re.search(r"\d", w) and (aim_rx is None or aim_rx.sub("", w))
    }
    prof = GoalProfile(
        text=text,
        core=cjk_core(text),
        counts=count_quantities(PROJECT_COUNT.sub(" ", text)),
        money=any(k == "money" for _, k in quantities(text)),
        project_words=pw,
        slogans=phrase_hits(text, wl(ctx, "slogans")),
        standing=_standing(text, ctx),
        funding=phrase_hits(text, wl(ctx, "funding_phrases")),
        process=phrase_hits(text, wl(ctx, "process_phrases")),
        templates=phrase_hits(text, wl(ctx, "template_phrases")),
        meta=phrase_hits(text, wl(ctx, "goal_meta_phrases")),
        actions=phrase_hits(FUND_NAME.sub(" ", PREAMBLE.sub(" ", text)), wl(ctx, "concrete_actions"), gap=0),
        aims=phrase_hits(text, sorted(aims), gap=0),
        residual=residual,
        words=words,
    )
    cache[key] = prof
    return prof


def hit(view, evidence: str, confidence: float, **args) -> Hit:
    return Hit(evidence=evidence, location=view.field("expected"), args=args, confidence=confidence)


@check("goal_only_project_name")
def goal_only_project_name(view, params, ctx):
    """GO01: the goal is the project name (give or take 项目/绩效目标是/完成)."""
    p = profile(view, ctx)
    project = cjk_core(re.sub(r"[（(【\[].*?[)）】\]]", "", clean(view.project or "")))
    if not p.core or not project or p.counts:
        return
    rest = {w for w in p.words if w not in FILLER and w not in p.project_words}
    if containment(p.text, project) >= params.get("min_containment", 0.8) and len(rest) <= params.get("max_extra_words", 1):
        yield hit(view, short(view.goal), 0.9)


@check("goal_slogans")
def goal_slogans(view, params, ctx):
    """GO02: macro slogans make up the goal; nothing counted, little of this project."""
    p = profile(view, ctx)
    if not p.slogans or p.counts:
        return
    share = sum(len(s) for s in p.slogans) / max(len(p.core), 1)
    # a goal listing several concrete tasks may carry a couple of slogans; then only dominance counts
    busy = len(set(p.actions)) >= params.get("busy_actions", 3)
    many = len(p.slogans) >= params.get("min_hits", 2) and not busy
    if many or share >= params.get("min_share", 0.5) or len(p.residual) <= params.get("max_specific_words", 3):
        yield hit(view, evidence_list(view.goal, p.slogans), 0.85 if share >= 0.25 else 0.75, slogans=evidence_list(view.goal, p.slogans))


@check("goal_standing_duties")
def goal_standing_duties(view, params, ctx):
    """GO03: the goal is the unit's standing duties (正常运转, 履行职能, 工资发放 …)."""
    p = profile(view, ctx)
    if not p.standing or p.counts:
        return
    # 做好 + a concrete task is common in real goals, so it weighs half unless it is the "做好…工作" formula
    weight = sum(0.5 if s == "做好…" else 1.0 for s in p.standing)
    if weight >= params.get("min_hits", 2) or len(p.residual) <= params.get("max_specific_words", 3):
        yield hit(view, evidence_list(view.goal, p.standing), 0.8, duties=evidence_list(view.goal, p.standing))


@check("goal_funding_note")
def goal_funding_note(view, params, ctx):
    """GO04: the goal only states money (budget, allocation, execution) or fund-management process."""
    p = profile(view, ctx)
    if p.counts:
        return
    process_only = len(p.process) >= params.get("min_process_hits", 3)
    money_only = (p.money or p.funding) and not p.actions and len(p.residual) <= params.get("max_specific_words", 4)
    if process_only or money_only:
        ev = evidence_list(view.goal, p.funding + p.process) or short(view.goal)
        yield hit(view, ev, 0.8)


@check("goal_expense_list")
def goal_expense_list(view, params, ctx):
    """GO05: the goal lists what the money may be spent on (用于…、…等支出)."""
    p = profile(view, ctx)
    if p.counts:
        return
    m = _EXPENSE_LIST.search(p.text)
    items = _EXPENSE_ITEMS.findall(p.text)
    body = strip_enumerators(p.text).strip()
    lead = _USE_FOR.match(body)
    if lead and not m:
        if phrase_hits(body[lead.end() :], wl(ctx, "concrete_actions"), gap=0):
            lead = None  # the use is followed by real tasks
        m = lead
    if not m and params.get("spending_sentence", True):
        # a sentence that is itself the name of a spending (……日常维修升级改造费用。)
        m = _SPENDING_SENTENCE.search(p.text)
    if m or len(items) >= params.get("min_expense_items", 2):
        yield hit(view, short(m.group(0) if m else "、".join(items)), 0.8)


@check("goal_abstract")
def goal_abstract(view, params, ctx):
    """GO07: a short goal of abstract aims only (提高…水平, 改善…环境) with no concrete action or count."""
    p = profile(view, ctx)
    if p.counts or p.actions or not p.aims or len(p.core) > params.get("max_chars", 80):
        return
    if len(p.residual) <= params.get("max_specific_words", 6):
        yield hit(view, short(view.goal), 0.7, aims=evidence_list(view.goal, p.aims))


@check("goal_template_text")
def goal_template_text(view, params, ctx):
    """GO08: template instructions or evaluation boilerplate written where the goal belongs."""
    p = profile(view, ctx)
    found = p.templates + p.meta
    if found:
        yield hit(view, evidence_list(view.goal, found), 0.9)


def _document_year(view) -> int | None:
    if getattr(view, "year", None):
        return int(view.year)
    years = _DOC_YEAR.findall(clean(view.project or ""))
    return int(years[-1]) if years else None


@check("goal_year_mismatch")
def goal_year_mismatch(view, params, ctx):
    """GO09: the goal opens with a year that is not the year evaluated (a goal copied from another year)."""
    year = _document_year(view)
    m = _YEAR_LEAD.search(clean(view.goal))
    if year is None or m is None:
        return
    said = int(m.group(1))
    if said != year:
        yield hit(view, original_text(view.goal, m.group(1) + "年"), 0.7, said=said, year=year)


@check("goal_unrelated")
def goal_unrelated(view, params, ctx):
    """GO06: a goal without counts that shares almost nothing with the project name and context."""
    p = profile(view, ctx)
    ref = clean((view.project or "") + "；" + (view.context or ""))
    if p.counts or len(cjk_core(ref)) < params.get("min_context_chars", 20) or len(p.core) < 6:
        return
    overlap = containment(p.text, ref)
    if overlap < params.get("max_overlap", 0.12):
        yield hit(view, short(view.goal), 0.6, overlap=f"{overlap:.0%}")


@check("goal_lacks_specifics")
def goal_lacks_specifics(view, params, ctx):
    """GO10 (info): no count, date or money at all; relevant goals may be fine without, so only a hint."""
    p = profile(view, ctx)
    if not p.core or quantities(PROJECT_COUNT.sub(" ", p.text)) or DEADLINE.search(p.text):
        return
    yield hit(view, short(view.goal), 0.5)


# Two characters before 县/镇 as a place key (栗港镇); descriptors such as 贫困县, 全镇 are not places.
_PLACE = re.compile(r"(?=([\u4e00-\u9fff]{2})(县|镇))")
_NOT_PLACE_CHARS = set("全我本该各外邻每市区州郡省县镇乡城集村个等和及与、")
_NOT_PLACE = set(
    "贫困 示范 重点 试点 先进 文明 卫生 园林 生态 百强 农业 产粮 工业 旅游 民族 革命 边境 山区 国家 特色 小城 建制 "
    "中心 历史 文化 名镇 省级 市级 县级 镇级 辖区 所在 周边 相邻 其他 全国".split()
)


def places(text: str) -> dict[str, set[str]]:
    """County/town keys (2 characters + 县/镇) named in a text, by level."""
    out: dict[str, set[str]] = {"县": set(), "镇": set()}
    for m in _PLACE.finditer(text):
        head, level = m.group(1), m.group(2)
        if head in _NOT_PLACE or set(head) & _NOT_PLACE_CHARS:
            continue
        out[level].add(head + level)
    return out


@check("goal_other_place")
def goal_other_place(view, params, ctx):
    """GO11: the goal names a county/town that the project, unit and context do not, while they name another one."""
    text = clean(view.goal)
    ref = clean("；".join(x for x in (view.project, getattr(view, "unit", None), view.context) if x))
    if not ref:
        return
    said, known = places(text), places(ref)
    for level in ("镇", "县"):
        if said[level] and known[level] and not any(k in ref for k in said[level]):
            other = sorted(said[level])
            yield hit(view, evidence_list(view.goal, other), 0.6, place="、".join(other), own="、".join(sorted(known[level])))
            return
