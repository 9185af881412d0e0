"""Indicator-scope checks (vague_indicator, IN01–IN49): is a 三级指标 measurable and well placed?

Each check reads an IndicatorView (name, target, actual, level1/level2) and returns Hits.
Patterns and word lists are parameters so a bureau can tune them in jxcheck.toml.
A qualitative value that names a checkable standard (验收合格, 符合《…》, a date, a unit
cost) is accepted everywhere: `checkable()` is the single place that decides this.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from checker.judging.checks import CheckContext, check
from checker.core.finding import Hit
from checker.core.textutil import has_number
from checker.core.textutil import normalize as _normalize
from checker.judging.checks.narrative import to_simplified


def normalize(text: str | None) -> str:
    """Normalised and simplified: tables copied from traditional-character pages (指標、數量、質量)
    are judged with the same words and patterns as any other."""
    return to_simplified(_normalize(text))

# Sign spellings seen in tables, mapped to one symbol.
_SIGNS = (
    ("大于等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("至少", "≥"), (">=", "≥"), ("≧", "≥"), ("＞＝", "≥"),
    ("小于等于", "≤"), ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"), ("<=", "≤"), ("≦", "≤"), ("＜＝", "≤"),
    ("═", "="), ("＝", "="), ("＞", ">"), ("＜", "<"),
)
_NUM_RE = re.compile(r"^(?P<sign>[≥≤=><])?(?P<num>-?\d+(?:\.\d+)?)(?P<unit>.*)$")
_MONEY = re.compile(r"元|万|亿|￥|¥")
# A value names something a reviewer can check: a published standard, an acceptance, a date.
CHECKABLE = (
    r"《",
    r"(?:GB|DB|JGJ|HJ|CJJ|YY|WS)\s*/?\s*T?\s*\d",
    r"合格",
    r"达标",
    r"通过\S{0,8}?(?:验收|评审|审计|检查|考核|测评|评估|认证|鉴定|复审|复核|审查|审核|评定)",
    r"获评|被评为|认定为|授予",
    r"(?:国家|国标|省级?|市级?|部颁|行业|地方)[^，。；,;]{0,8}(?:标准|规范|规程)",
    # a graded class from a published standard (Ⅲ类水质, 一级A排放)
    r"(?:Ⅰ|Ⅱ|Ⅲ|Ⅳ|Ⅴ|IV|I{1,3}|V)类|一级[AB]|A{2,5}级|[一二三]级[甲乙丙]等|[二三]甲|[一二三四五]星级",
    # the design, the contract, or a standard named in quotes (达到“优质服务基层行”推荐标准)
    r"(?:设计|合同|协议)(?:文件)?(?:的)?(?:要求|标准|约定|规定)",
    r"[“\"][^”\"]{2,20}[”\"][^，。；,;]{0,6}(?:标准|规范)",
    # a zero count is a figure: 零增长, 零投诉, 无重大事故, 不发生数据泄露
    r"^零|零(?:增长|投诉|事故|差错|发生)|(?:无|未发生|不发生)(?:重大|较大|一般)?\S{0,6}(?:事故|投诉|故障|差错|事件|案件|问题|泄露|泄密|纠纷)",
)


def norm(text: str | None) -> str:
    """normalize() plus one spelling per comparison sign."""
    t = normalize(text)
    for a, b in _SIGNS:
        t = t.replace(a, b)
    return t


def parse_num(text: str | None) -> tuple[str | None, float | None, str]:
    """(sign, number, unit) of a value written as one sign/number/unit; (None, None, text) otherwise."""
    t = norm(text)
    m = _NUM_RE.match(t)
    # a date (2024年10月) or a sentence with a number in it is not a sign/number/unit value
    if not m or re.search(r"\d|[，,；;。]", m.group("unit")) or len(m.group("unit")) > 10:
        return None, None, t
    return m.group("sign"), float(m.group("num")), m.group("unit").strip()


def clean_name(name: str | None) -> str:
    """Indicator name without numbering (指标1：), template notes ((≥**%)), stars and punctuation."""
    t = normalize(name)
    t = re.sub(r"^[★☆*]+", "", t)
    t = re.sub(r"^(?:指标)?\d+[:：.、．]", "", t)
    t = re.sub(r"[（(][^）)]*[）)]", "", t)
    return re.sub(r"[，。、；：:,.;\s“”\"'·]", "", t)


def checkable(text: str, params: dict[str, Any] | None = None) -> bool:
    pats = (params or {}).get("checkable") or CHECKABLE
    return any(re.search(p, text) for p in pats)


def loc(view: Any, field: str = "target"):
    return view.field(field)


def _levels(view: Any) -> str:
    return normalize(f"{view.level1 or ''}{view.level2 or ''}")


def _first(words: Iterable[str], text: str) -> str | None:
    """The listed word that occurs earliest in the text (the longest one at that position)."""
    found = [(text.find(w), -len(w), w) for w in {normalize(x) for x in words if x} if w and w in text]
    return min(found)[2] if found else None


@check("indicator_unmeasurable")
def indicator_unmeasurable(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN01: the value is an adjective/trend word with no number, date or checkable standard."""
    t = norm(view.target)
    if not t or has_number(t) or checkable(t, params):
        return
    word = _first(ctx.wordlists.get("vague_words") + list(params.get("extra_words") or []), t)
    if not word and t.strip("。.，,") in set(params.get("exact_words") or ()):
        word = t.strip("。.，,")  # a one-word value such as 完成 / 好 / 到位
    if word:
        yield Hit(word, loc(view), {"match": word}, 0.9)


_SCALE = re.compile(r"^(?:[优良中低差高好坏强弱一般较]{1}[、/,，;；]?){3,}$")
_GRADED = re.compile(r"优\D{0,3}\d+%?.{0,4}良\D{0,3}\d+")


@check("indicator_grade_scale")
def indicator_grade_scale(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN02: the value is a grade scale (优良中低差, 高中低) or a bare 定性 grade with no criteria."""
    t = norm(view.target)
    rest = re.sub(r"^定性[:：]?", "", t)
    if not rest:
        return
    if _SCALE.match(rest) or _GRADED.search(rest):
        yield Hit(view.target.strip(), loc(view), {"match": rest}, 0.9)
        return
    if t.startswith("定性") and not has_number(rest) and not checkable(rest, params) and len(rest) <= int(params.get("max_grade_len", 4)):
        yield Hit(view.target.strip(), loc(view), {"match": rest}, 0.85)


# Names that say what is counted: a rate, a share, a count, an amount, an income …
MEASURE_NOUN = r"率|度|比例|占比|比重|指数|覆盖|百分比|份额|合格|达标|成活|满意|知晓|到位|完成|数|量|面积|长度|里程|收入|产值|增长|增幅|幅度|人均|金额|/"


@check("indicator_slogan_with_number")
def indicator_slogan_with_number(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN04: a percentage attached to a slogan name that names no measurable quantity."""
    t = norm(view.target)
    if not re.search(r"\d", t) or not re.search(r"%|百分比", t):
        return
    name = clean_name(view.name)
    strong = re.search(params.get("trend_words", r"显著|明显|进一步|不断|稳步|大幅|逐步"), name)
    verb = re.search(params.get("slogan_verbs", r"促进|推动|维护|维持|保障|保护|提升|提高|改善|增强|加强|实现|发展|稳定|和谐|齐抓共管|助力|带动"), name)
    measure = re.search(params.get("measure_nouns", MEASURE_NOUN), name)
    if strong or (verb and not measure):
        ev = (strong or verb).group(0)
        yield Hit(view.name.strip(), loc(view, "name"), {"match": ev}, 0.85)


@check("indicator_missing_unit")
def indicator_missing_unit(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN05 (info): a bare number with no unit, neither in the value nor in the name."""
    sign, num, unit = parse_num(view.target)
    if num is None or unit or getattr(view, "unit", None):
        return
    if re.search(r"[（(][^）)]*[\u4e00-\u9fff%][^）)]*[）)]", normalize(view.name)) or re.search(r"率|度|数$", clean_name(view.name)):
        return
    yield Hit(view.target.strip(), loc(view), {"match": view.target.strip()}, 0.6)


@check("indicator_unit_mismatch")
def indicator_unit_mismatch(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN06 (info): the actual's unit differs from the target's (or is dropped)."""
    if not view.actual:
        return
    _, tn, tu = parse_num(view.target)
    _, an, au = parse_num(view.actual)
    if tn is None or an is None or not tu:
        return
    same = {"%": "百分比", "百分比": "%"}
    if au == tu or same.get(tu) == au:
        return
    yield Hit(view.actual.strip(), loc(view, "actual"), {"match": view.actual.strip(), "target_unit": tu, "actual_unit": au or "无单位"}, 0.6)


_FULL_COVERAGE = r"全覆盖|应\S尽\S|全部|全额|足额|无一|100%|(?:惠及|覆盖|受益)(?:全|所有)"
# one-word claims IN01 reports through its exact_words parameter
_ONE_WORD_CLAIMS = {"完成", "已完成", "好", "优", "优秀", "高", "强", "到位", "落实", "满意"}
_EVENTS = r"移交|投入使用|投用|交付|挂牌|纳入|到村|到户|到人|通车|通水|通电|开通|上线|竣工|建成投"


@check("indicator_qualitative_benefit")
def indicator_qualitative_benefit(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN21: a benefit/satisfaction indicator whose value is words only, with no figure or checkable standard.

    Independent of word lists: a 效益/满意度 value can only be judged at year end against a
    number, a date or a named standard, so bare prose there is unmeasurable however it is phrased.
    """
    levels = _levels(view)
    if not re.search(params.get("levels", r"效益|效果|满意"), levels):
        return
    t = norm(view.target)
    bare = re.sub(r"[，。、；：:,.;\s“”\"'·]", "", t)
    if not bare or has_number(t) or checkable(t, params) or re.search(_FULL_COVERAGE, t):
        return
    if _PLACEHOLDER.match(bare) or bare in ("是", "否", "有", "无", "已", "是否"):
        return  # empty values and yes/no answers are IN17 / IN19's business
    if re.search(r"是否|有无|能否", normalize(view.name)):
        return
    # a discrete event (移交村集体, 投入使用, 落实到人) is checked yes/no at year end, unlike a degree
    if re.search(params.get("events", _EVENTS), t):
        return
    # one problem, one finding: values IN01 (vague word), IN02 (grade) or IN14 (restated name)
    # already report are left to them, so the review score does not count them twice
    if _first(ctx.wordlists.get("vague_words"), t) or bare in _ONE_WORD_CLAIMS:
        return
    if any(True for _ in indicator_grade_scale(view, {}, ctx)) or any(True for _ in indicator_value_restates_name(view, {}, ctx)):
        return
    yield Hit(view.target.strip(), loc(view), {"match": view.target.strip()}, float(params.get("confidence", 0.75)))


@check("indicator_trivial_threshold")
def indicator_trivial_threshold(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN09: `≥0` (or ≥0%) is always met, so the indicator measures nothing."""
    sign, num, _ = parse_num(view.target)
    if sign == "≥" and num == 0:
        yield Hit(view.target.strip(), loc(view), {"match": view.target.strip()}, 0.95)


@check("indicator_target_far_below_actual")
def indicator_target_far_below_actual(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN10 (info): the actual is a multiple of the target, so the target was likely set too low."""
    if not view.actual:
        return
    ts, tn, tu = parse_num(view.target)
    _, an, au = parse_num(view.actual)
    if tn is None or an is None or ts in ("≤", "<") or tn <= 0 or tu in ("%", "百分比"):
        return
    if tu and au and tu != au:
        return
    ratio = float(params.get("ratio", 2.0))
    if an >= ratio * tn:
        yield Hit(view.actual.strip(), loc(view, "actual"), {"match": view.actual.strip(), "times": f"{an / tn:.1f}"}, 0.5)


_YEAR_ONLY = re.compile(r"^(?:全年度?|本年度?|当年度?|年内|年度内|本年度内|一年|1-12月|1月-12月|一至十二月|(?:20\d\d)年度?(?:内|全年|1-12月|1月-12月)?)$")


@check("indicator_year_only_deadline")
def indicator_year_only_deadline(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN11: a time indicator whose value is only the year (全年, 2023年) or a bare number with no unit."""
    name = normalize(view.name)
    timely = "时效" in _levels(view) or re.search(params.get("time_names", r"时限|时间|期限|工期|完成时"), name)
    if not timely:
        return
    t = norm(view.target)
    if _YEAR_ONLY.match(t):
        yield Hit(view.target.strip(), loc(view), {"match": t, "what": "只写了年度"}, 0.9)
        return
    sign, num, unit = parse_num(t)
    if num is not None and not unit and not re.search(r"率|数|次|[（(][^）)]*(?:月|天|日|年|小时|周|%)", name):
        yield Hit(view.target.strip(), loc(view), {"match": t, "what": "只有数字，没有日期或时间单位"}, 0.85)


@check("indicator_budget_as_output")
def indicator_budget_as_output(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN12: 预算执行率 or a money amount posing as an output/benefit indicator."""
    levels = _levels(view)
    name = clean_name(view.name)
    if not re.search(r"产出|效益|数量|质量|满意", levels) or "成本" in levels:
        return
    m = re.search(params.get("budget_names", r"预算执行率|资金执行率|预算支出率|支出进度|资金支付进度|资金支出率"), name)
    if m:
        yield Hit(view.name.strip(), loc(view, "name"), {"match": m.group(0)}, 0.9)
        return
    _, num, unit = parse_num(view.target)
    if "数量" in levels and num is not None and _MONEY.search(unit) and re.search(r"资金|经费|预算|支出|金额|投入|拨付|拨款", name):
        yield Hit(view.target.strip(), loc(view), {"match": view.target.strip()}, 0.85)


@check("indicator_generic_name")
def indicator_generic_name(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN13: a name that fits any project (项目完成率, 资金使用效率 …) with a value that does not pin it down."""
    name = clean_name(view.name)
    names = ctx.wordlists.derived(
        "generic_indicator_names:clean", lambda: {clean_name(n) for n in ctx.wordlists.get("generic_indicator_names")}
    )
    if name not in names:
        return
    t = norm(view.target)
    # Only a bare rate/number or a wordless value leaves the name unexplained; a count with
    # a unit, a date or any text with a figure in it (投诉率≤1%) ties it to this project.
    _, num, unit = parse_num(t)
    if num is not None and unit and unit not in ("%", "百分比"):
        return
    if num is None and re.search(r"\d", t):
        return
    yield Hit(view.name.strip(), loc(view, "name"), {"match": name}, 0.85)


@check("indicator_value_restates_name")
def indicator_value_restates_name(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN14: the value repeats the name (按期完工 / 按期完工), so nothing is set."""
    t = re.sub(r"[，。、；：:,.;\s]", "", norm(view.target))
    name = clean_name(view.name)
    if len(t) < 2 or not name or re.search(r"\d", t) or checkable(t, params):
        return
    if t == name or t in name or (len(name) >= 2 and name in t):
        yield Hit(view.target.strip(), loc(view), {"match": t}, 0.9)
        return
    sm = difflib.SequenceMatcher(None, t, name, autojunk=False)
    covered = sum(b.size for b in sm.get_matching_blocks())
    if covered / len(t) >= float(params.get("coverage", 0.8)):
        yield Hit(view.target.strip(), loc(view), {"match": t}, 0.8)


@check("indicator_misplaced")
def indicator_misplaced(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN15: a cost or budget-management measure filed under a benefit category."""
    levels = _levels(view)
    name = clean_name(view.name)
    if "效益" not in levels and "效果" not in levels:
        return
    if "生态" in normalize(view.level2):
        # 节约用水/节能 are ecological benefits, so only money words count here
        m = re.search(params.get("cost_words", r"成本|费用|经费|资金|预算"), name)
        if m:
            yield Hit(view.name.strip(), loc(view, "name"), {"match": m.group(0), "where": view.level2}, 0.85)
            return
    m = re.search(params.get("budget_words", r"结余率|结转率|预算执行率|资金执行率|预算调整|科目调整|支出进度|资金到位率"), name)
    if m:
        yield Hit(view.name.strip(), loc(view, "name"), {"match": m.group(0), "where": view.level2 or view.level1}, 0.8)


@check("indicator_cost_without_amount")
def indicator_cost_without_amount(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN16: a 成本指标 whose value is a count or a percentage of something that is not a cost."""
    levels = _levels(view)
    # 101号 社会成本/生态环境成本 are rightly counted in households, mu, tonnes … not money
    if "成本" not in levels or re.search(r"社会成本|生态|环境成本", levels):
        return
    t = norm(view.target)
    name = clean_name(view.name)
    if not re.search(r"\d", t) or _MONEY.search(t) or _MONEY.search(name):
        return
    if re.search(params.get("cost_words", r"成本|费|资金|投入|预算|标准|价|金额|支出|节约|补助|补贴|开支|造价|概算"), name):
        return
    yield Hit(view.name.strip(), loc(view, "name"), {"match": view.target.strip()}, 0.8)


_PLACEHOLDER = re.compile(r"^(?:[—\-－/／\\…*＊.。、]*|无|暂无|待定|待填|略|xx|XX|×+|定性|定量)$")
# a number with a percent sign or a measure word inside a name: 覆盖达70%, 新建道路5公里
VALUE_IN_NAME = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|个|项|人|人次|次|户|所|家|场|公里|千米|米|平方米|亩|万亩|万人|万元|元|台|套|件|名|批|篇|天|吨|株|份|处|座|辆)")
_ONLY_UNIT = re.compile(r"^[≥≤=><]?(?:%|百分比|个|项|人|人次|次|户|所|家|场|期|条|公里|千米|米|平方米|亩|万亩|万人|万元|元|台|套|件|名|批|篇|天|日|月|年|小时|吨|株|份|处|座|辆)?$")


@check("indicator_empty_target")
def indicator_empty_target(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN17: the value is blank, a placeholder, a template mark (≥**%) or a unit with no number."""
    if not normalize(view.name):
        return  # a row with neither name nor value is an empty category row (document rule IN54)
    raw = (view.target or "").strip()
    t = norm(raw)
    if not t and VALUE_IN_NAME.search(normalize(view.name)):
        return  # the value was written into the name (绿化覆盖达70%): the row is measurable
    measure_name = params.get("measure_name_value")
    if (
        not t
        or _PLACEHOLDER.match(t)
        or "**" in t
        or "＊＊" in t
        or (not re.search(r"\d", t) and _ONLY_UNIT.match(t))
        # the value cell holds a measure's name (知识更新率) instead of a value
        or (measure_name and not re.search(r"\d", t) and re.fullmatch(measure_name, t))
    ):
        yield Hit(raw or "（空）", loc(view), {"match": raw or "（空）"}, 0.95)


@check("indicator_yes_no_value")
def indicator_yes_no_value(view: Any, params: dict[str, Any], ctx: CheckContext) -> Iterable[Hit]:
    """IN19: 是/否/有 as the value of an indicator that is not a yes/no question."""
    t = norm(view.target)
    if t not in ("是", "否", "有", "已", "是否"):
        return
    name = normalize(view.name)
    q = re.search(r"是否|有无|是不是|能否", name)
    if q:
        # a yes/no question about an event (通过验收, 发生事故) is checkable; one that only asks for
        # a judgement (评审程序是否客观公正, 资金使用是否规范) is answered 是 by every unit
        judged = re.sub(r"[，。、；：:,.;\s？?和与及、]", "", name[q.end():])
        words = params.get("judgement_words")
        if not (words and judged and re.fullmatch(f"(?:{words})+", judged)):
            return
    yield Hit(view.target.strip(), loc(view), {"match": t}, 0.85)
