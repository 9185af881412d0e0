"""Goal texts that are not a year's goal (GO12, GO13, GO14): how targets were set, why the project is needed, its scope, and goals that name no deliverable; deliverable clauses are found here."""

from __future__ import annotations

import re

from checker.core.textutil import content_words, tokenize
from checker.judging.checks import check
from checker.judging.checks.goal import DEADLINE, FILLER, FUND_NAME, PREAMBLE, PROJECT_COUNT, hit, profile, wl
from checker.judging.checks.narrative import cjk_core, clean, containment, count_quantities, original_text, phrase_hits, quantities, remove_phrases, short


# ---- shapes of text that is not a year's goal (issue 10) -----------------------------------------
# These look at the shape of the sentence, not at word lists of slogans or duties: a goal that
# names no deliverable, text about money, how the targets were set, or why the project is needed.

# how the targets were set: 根据/按照……制定/设定 (…目标/指标), or a list of indicator dimensions
_SETTING = re.compile(r"(?:根据|依据|依照|按照|结合|参照|围绕)[^。；;]{0,80}?(?:制定|设定|确定|设置|编制|测算|申报|设立)")
_DIMENSION = re.compile(r"(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|满意度|产出|效益)指标")
# the dimensions named as a bare list: 从数量、质量、时效、成本四个方面
_DIM_WORD = r"(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|满意度)"
_DIMENSION_RUN = re.compile(_DIM_WORD + r"(?:[、和及与,，]" + _DIM_WORD + r")+")
# money talk: the vocabulary of budgets and fund flows (closed class, not topic words)
_MONEY_TALK = re.compile(
    r"财政|资金|经费|预算|结转|结余|拨付|下达|下拨|到位|支出|支付|兑付|执行率|执行数|追加|调剂|统筹|紧张|专项|配套|"
    r"使用|安排|申请|万元|亿元|元|金额|余额|收入|投入|投资|上级|本级|中央|省级|市级|县级|年度|全年|本年|当年|项目|本项目|该项目"
)
# why the project is needed / what the money may be spent on, in place of what it delivers
_NECESSITY = re.compile(
    r"必要性|十分必要|非常必要|很有必要|有必要|亟需|亟待|急需|迫切|势在必行|刻不容缓|迫在眉睫|的需要(?=$|[，,。；;])|"
    r"(?:重要|重大|深远|现实)意义|意义(?:重大|深远)|立项依据|立项背景|项目背景"
)
# the situation that makes the project needed (现有危房1200户, 设施老化): background, not a result
_SITUATION = re.compile(r"现有|现状|目前|当前|尚有|仍有|存在|老化|破损|失修|不足|短缺|薄弱|突出|隐患|滞后|落后|困难|频发")
_SCOPE = re.compile(
    r"可用于|可以用于|用于以下|开支范围|支出范围|使用范围|使用方向|补助范围|支持范围|支出内容|主要支持|重点支持|列支|"
    # 资金主要用于甲、乙、丙 / 资金300万元，主要用于甲、乙: a list of uses
    r"(?:资金|经费|支出|预算)(?:[^，,。；;]{0,6}?|[^，,。；;]{0,10}?元[，,]?)(?:主要|重点)?用于[^。；;]{0,60}?、"
)
_CLAUSE = re.compile(r"[，,。；;：:！!？?\n]|(?<=\S)\s{2,}")
_GENERIC_OBJECT = set(
    "各项 任务 工作 项目 建设 任务工作 项目建设 相关 有关 业务 事项 目标 计划 内容 活动 日常 正常 顺利 有序 保质保量 按时 按期 "
    "及时 圆满 全面 全部 所有 年度 全年 本年 当年 管理 服务 职能 职责 运转 运行 开展 进行 落实 推进 完成 实施 保障 确保 "
    # manner words (积极开展, 扎实推进) say how, not what
    "积极 认真 扎实 切实 大力 深入 持续 不断 努力 着力 进一步 全力 稳步 有效 规范 依法".split()
)


_DO_TO = re.compile(r"对([^，,。；;]{2,30}?)(?:进行|开展|实施|予以|加以)[\u4e00-\u9fff]{2}")


def _actions(ctx) -> list[str]:
    return wl(ctx, "concrete_actions")


def deliverable_clauses(
    text: str,
    ctx,
    exclude: frozenset[str] = frozenset(),
    weak: frozenset[str] = frozenset(),
    name: str = "",
) -> list[str]:
    """Clauses that name a concrete action on a specific object (新建…道路, 举办…赛歌会): an
    action word from the concrete_actions list plus at least one content word that is neither
    generic (各项任务, 项目建设) nor the action itself. When the clause's only actions are
    `weak` ones (开展, 推进), words in `exclude` (the project name's) do not count either:
    开展科普工作 under 科普经费 restates the project, while 发放高龄津贴 under 高龄津贴 is a task.
    The project's own `name` inside a clause is a name, not an action (加强农业技术推广服务 under
    农业技术推广经费)."""
    cache = ctx.cache if ctx is not None else {}
    key = ("deliverables", text, exclude, weak, name)
    if key in cache:
        return cache[key]
    acts = _actions(ctx)
    out: list[str] = []
    for clause in _CLAUSE.split(_CITATION.sub(" ", clean(text))):
        body = PREAMBLE.sub(" ", FUND_NAME.sub(" ", clause))
        if name and phrase_hits(name, acts, gap=0):
            body = body.replace(name, " ")  # the action word is part of the name (农业技术推广)
        m = _DO_TO.search(body)
        if m:  # 对……进行改进: an action done to a named object, whatever the verb
            body = m.group(1)
            hits = []
        else:
            hits = [h for h in phrase_hits(body, acts, gap=0) if _starts_a_word(body, h)]
            if not hits:
                continue
        own = exclude if hits and set(hits) <= weak else frozenset()
        rest = remove_phrases(body, acts, gap=0)
        words = {
            w for w in content_words(rest)
            if w not in FILLER and w not in _GENERIC_OBJECT and w not in own and not re.search(r"\d", w)
        }
        if words and not _nominal_action(clause, ctx):
            out.append(clause)
    cache[key] = out
    return out


def _starts_a_word(text: str, action: str) -> bool:
    """The action word begins a jieba word somewhere in the text: 创建成果 holds 建成 only
    across two words (创建|成果), which is no 建成."""
    toks = tokenize(text)
    if "".join(toks) != re.sub(r"\s+", "", text):
        return True  # segmentation changed the text (normalisation): cannot tell, keep it
    flat, starts, pos = "".join(toks), set(), 0
    for t in toks:
        starts.add(pos)
        pos += len(t)
    i = flat.find(action)
    while i >= 0:
        if i in starts:
            return True
        i = flat.find(action, i + 1)
    return False


def _nominal_patterns(ctx, acts: list[str]) -> tuple[re.Pattern[str], ...] | None:
    verbs, heads = wl(ctx, "policy_verbs"), wl(ctx, "abstract_heads")
    if not (acts and verbs and heads):
        return None

    def alt(words: list[str]) -> str:
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    def build():
        a = alt(acts)
        # 加强生态文明建设: the action word ends the clause after a policy verb, so it is a noun
        governed = re.compile(rf"(?:{alt(verbs)})[^、]*?(?:{a})$")
        # 建设现代产业体系: the action's object is a system, plan or capacity, not a thing delivered
        abstract = re.compile(rf"(?:{a})[^、]{{0,12}}?(?:{alt(heads)})$")
        # 完成……项目建设任务: the action's object is the project itself
        project = re.compile(rf"项目(?:{a})(?:任务|工作)?$")
        return governed, abstract, project

    return ctx.wordlists.derived("goal_nominal_action", build) if ctx is not None and ctx.wordlists is not None else build()


def _nominal_action(clause: str, ctx) -> bool:
    """True when the clause's action word is used as a noun (加强生态文明建设) or acts on a
    system or capacity (实施乡村振兴战略): policy talk, whatever its words, not a task."""
    pats = _nominal_patterns(ctx, _actions(ctx))
    if pats is None:
        return False
    c = re.sub(r"[\s。；;，,、”\"'）)]+$", "", clean(clause))
    return any(p.search(c) for p in pats)


# a cited document (《…通知》（皖财教〔2020〕1535号）文件精神) is where the money came from, not a task
_CITATION = re.compile(r"《[^》]{0,80}》|[（(][^）)]{0,30}号[）)]|〔\d{4}〕\d*号?|文件精神|文件要求|有关规定")


# money moving: 下达/结转/拨付……资金, 资金……到位
_MONEY_FLOW = re.compile(
    r"(?:下达|结转|结余|拨付|下拨|划拨|安排|申请|争取|统筹|追加|调剂|支付|使用)[^，,。；;]{0,20}?(?:资金|经费|万元)|"
    r"(?:资金|经费)[^，,。；;]{0,10}?(?:下达|结转|拨付|下拨|到位|紧张|支付|使用)"
)


def _money_share(core: str) -> float:
    return sum(len(m) for m in _MONEY_TALK.findall(core)) / max(len(core), 1)


@check("goal_not_a_goal")
def goal_not_a_goal(view, params, ctx):
    """GO12: the text in the goal cell is not a goal: a bare number or word, how the targets were
    set, or a note about money (结转、下达、拨付资金) with nothing delivered."""
    p = profile(view, ctx)
    core = p.core
    if len(re.findall(r"[\u4e00-\u9fff]", core)) < params.get("min_chars", 4):
        yield hit(view, short(view.goal), 0.85, shape="只有数字或几个字")
        return
    dims = set(_DIMENSION.findall(p.text))
    for run in _DIMENSION_RUN.finditer(p.text):
        dims |= set(re.findall(_DIM_WORD, run.group(0)))
    setting = _SETTING.search(p.text)
    if len(dims) >= params.get("min_dimensions", 2) or (setting and re.search(r"目标|指标", p.text)):
        # a figure inside the sentence about how targets were set (第12次常务会议) is no target;
        # a count in another sentence is one
        rest = [x for x in re.split(r"[。；;：:\n]", p.text) if not (_SETTING.search(x) or _DIMENSION.search(x) or _DIMENSION_RUN.search(x))]
        if not count_quantities("。".join(rest)):
            ev = setting.group(0) if setting else "、".join(sorted(dims))
            yield hit(view, short(original_text(view.goal, ev)), 0.85, shape="写的是目标如何设定")
            return
    if p.counts:
        return
    past = _PAST.findall(p.text)
    if len(past) >= params.get("min_past_marks", 2):
        # 建立和完善了……强化了……: what was done, written where this year's target belongs
        yield hit(view, short(original_text(view.goal, past[0])), 0.75, shape="写的是已经做了什么")
        return
    if deliverable_clauses(p.text, ctx):
        return
    plain = _CITATION.sub(" ", p.text)
    if _MONEY_FLOW.search(plain) and _money_share(_TENSE_FREE.sub("", cjk_core(plain))) >= params.get("min_money_share", 0.3):
        yield hit(view, short(view.goal), 0.8, shape="写的是资金安排")


# a verb in the perfective (完善了, 作出了): 为了/除了/了解 are not
_PAST = re.compile(r"[\u4e00-\u9fff]{2}(?<![为除罢])了(?![解如望])")
_TENSE_FREE = re.compile(r"[的了和及与等为对将在是]")


@check("goal_necessity_or_scope")
def goal_necessity_or_scope(view, params, ctx):
    """GO13: the goal says why the project is needed or what the money may be spent on,
    and what is left of it names nothing the project delivers this year (no count, at most
    max_deliverables concrete tasks). A figure in the need (现有危房1200户) does not make it a
    goal; a count among the uses (用于养护420公里) does."""
    p = profile(view, ctx)
    m = _NECESSITY.search(p.text) or _SCOPE.search(p.text)
    if not m:
        return
    # a list of uses runs over commas (用于甲、乙，丙), so uses are cut by sentence, need by clause
    sentences = [x for x in re.split(r"[。；;\n]", p.text) if not _SCOPE.search(x)]
    rest = "。".join(c for x in sentences for c in _CLAUSE.split(x) if not (_NECESSITY.search(c) or _SITUATION.search(c)))
    # a count among the uses (用于养护420公里) is a deliverable; one in the need (现有危房1200户) is not
    uses = "。".join(c for c in _CLAUSE.split(p.text) if not (_NECESSITY.search(c) or _SITUATION.search(c)))
    if count_quantities(PROJECT_COUNT.sub(" ", uses)) or len(deliverable_clauses(rest, ctx)) > params.get("max_deliverables", 1):
        return
    yield hit(view, short(original_text(view.goal, m.group(0))), 0.75)


@check("goal_no_deliverable")
def goal_no_deliverable(view, params, ctx):
    """GO14: no count, amount or date, and no clause naming a concrete action on a specific
    object: the goal does not say what the project delivers this year."""
    p = profile(view, ctx)
    # the budget (资金完成173万元) is no deliverable: only counts, rates and other figures are
    delivered = [k for _, k in quantities(PROJECT_COUNT.sub(" ", p.text)) if k != "money"]
    if not p.core or delivered or DEADLINE.search(p.text):
        return
    weak = frozenset(params.get("weak_actions") or ())
    found = deliverable_clauses(p.text, ctx, frozenset(p.project_words), weak, _name_core(view.project))
    if len(found) >= params.get("min_deliverables", 1):
        return
    yield hit(view, short(view.goal), 0.7)


def _name_core(project: str | None) -> str:
    """The project name without notes, year and fund words (农业技术推广经费 → 农业技术推广);
    empty when too short to stand for the project."""
    n = cjk_core(re.sub(r"[（(【\[].*?[)）】\]]", "", clean(project or "")))
    n = re.sub(r"^(?:19|20)\d{2}年度?", "", n)
    n = re.sub(r"(?:专项|项目|经费|资金|补助|工作|支出|费)+$", "", n)
    return n if len(n) >= 4 else ""


_DUTY_CONTEXT = re.compile(r"职能|职责|主要任务|内设机构")


@check("goal_copies_duties")
def goal_copies_duties(view, params, ctx):
    """GO15: the context lists the unit's functions (职能职责) and the goal is mostly those
    functions copied over, without a count: a standing duty, not this year's result."""
    p = profile(view, ctx)
    context = clean(view.context or "")
    if p.counts or not _DUTY_CONTEXT.search(context) or len(p.core) < params.get("min_chars", 20):
        return
    share = containment(p.text, context)
    if share >= params.get("min_containment", 0.6):
        yield hit(view, short(view.goal), 0.8, share=f"{share:.0%}")
