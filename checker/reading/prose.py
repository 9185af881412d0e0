"""Prose reports (项目绩效评价报告, 部门整体支出绩效自评报告): sections, goals, budget sentences,
self-score, problems and measures, and the unit and project wherever units write them.

Sections are bounded by their numbering (一、 （一） 1. （1）) and by known heading words written
on a line of their own, numbered or not, so （一）总体目标完成情况 and a bare 绩效指标完成情况
both end the text before them.
"""

from __future__ import annotations

import re
import unicodedata

from checker.core.document import Budget, BudgetRow, Document, Goal, Paragraph, RawDocument, Section
from checker.reading.parsers.common import numbering, style_level

# ---- headings ---------------------------------------------------------------------------

# Heading words a unit may write as a line of their own, with or without a number.
_HEADING_WORD = re.compile(
    r"^(?:"
    r"(?:年度|项目|部门整体支出|整体支出|部门)?(?:年度)?总体(?:绩效)?目标(?:完成情况|实现情况)?(?:分析)?"
    r"|(?:项目|部门整体支出|年度)?绩效目标(?:完成情况|实现情况)?(?:分析)?"
    r"|(?:各项)?绩效指标(?:完成情况)?(?:分析)?"
    r"|(?:产出|效益|满意度)指标完成情况(?:分析)?"
    r"|存在的?问题(?:及原因(?:分析)?)?|(?:下一步)?(?:拟)?改进措施(?:及(?:有关)?建议)?|有关建议|改进建议|意见建议"
    r"|(?:自评|评价|综合评价)结论|项目概况|(?:项目)?基本情况|预算执行情况(?:分析)?|资金(?:投入|使用)情况(?:分析)?"
    r")$"
)


def title_key(text: str) -> str:
    """A heading's words: NFKC, no spaces, no number in front, no trailing 。：."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    num = numbering(t)
    if num:
        t = num[2]
    return t.rstrip("。.：:；;")


def heading_word(text: str) -> bool:
    t = (text or "").strip()
    return 0 < len(t) <= 24 and bool(_HEADING_WORD.match(title_key(t)))


def build_sections(paragraphs: list[Paragraph]) -> list[Section]:
    roots: list[Section] = []
    stack: list[Section] = []
    body: dict[int, list[str]] = {}
    for p in paragraphs:
        num = numbering(p.text) if p.level else None
        if num is None and p.level and p.level > 0 and style_level(p.style) and len(p.text) <= 40:
            num = (p.level, "", p.text)  # a heading style without a typed number
        if p.level and p.level > 0 and num:
            level, number, rest = num
            title, tail = rest, ""
            m = re.match(r"^(.{1,30}?)[：:。](.*)$", rest, re.S)
            if len(rest) > 40 and m:
                title, tail = m.group(1), m.group(2).strip()
            shown = number if level in (1, 3) or not number else f"（{number}）"
        elif heading_word(p.text):
            # an unnumbered heading word: one level below the numbered heading it stands under
            numbered = [s for s in stack if s.number]
            level = numbered[-1].level + 1 if numbered else 1
            number, title, tail, shown = "", p.text.strip().rstrip("。：:"), "", ""
        else:
            if stack:
                body[id(stack[-1])].append(p.text)
            continue
        sec = Section(shown, title.strip(), level, "", p.location)
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(sec)
        stack.append(sec)
        body[id(sec)] = [tail] if tail else []
    for s in _walk(roots):
        s.text = "\n".join(body.get(id(s), []))
    return roots


def _walk(sections: list[Section]):
    for s in sections:
        yield s
        yield from _walk(s.children)


def section_text(s: Section, skip: re.Pattern | None = None) -> str:
    """A section's body with its sub-sections' titles and bodies; `skip` leaves sub-sections out."""
    parts = [s.text] if s.text else []
    for c in s.children:
        if skip is not None and skip.search(title_key(c.title)):
            continue
        sub = section_text(c, skip)
        parts.append(f"{c.title}\n{sub}" if sub else c.title)
    return "\n".join(p for p in parts if p).strip()


# ---- goals, problems, measures ----------------------------------------------------------

_NOT_GOAL = re.compile(r"完成|实现|自评|评价|工作|开展|管理|依据|方法|偏离|调整")
_GOAL_BEST = re.compile(r"^(?:年度|项目|部门整体支出|整体支出|部门)?(?:年度)?总体(?:绩效)?目标$|^年度(?:总体)?(?:绩效)?目标$")
_GOAL_ANY = re.compile(r"绩效目标$|^绩效目标(?:分解下达情况|设定情况)?$|^项目绩效目标|^预期目标$")
_DONE_BEST = re.compile(r"总体(?:绩效)?目标(?:完成|实现)情况")
_DONE_ANY = re.compile(r"(?:绩效)?目标(?:完成|实现)情况|实际完成情况")
# 绩效指标完成情况, 产出指标完成情况分析 …: the indicators, not the goal text
_INDICATOR_SUB = re.compile(r"^(?:各项)?(?:绩效|产出|效益|满意度|成本|数量|质量|时效|经济效益|社会效益|生态效益|可持续影响)?指标(?:完成情况)?(?:分析)?$")
_PROBLEMS = re.compile(r"存在的?问题|问题及原因|主要问题")
_MEASURES = re.compile(r"改进措施|改进建议|有关建议|意见建议|整改措施|下一步(?:工作)?(?:打算|计划|措施|建议)")


def _pick(secs: list[Section], best: re.Pattern, anyp: re.Pattern, exclude: re.Pattern | None = None) -> Section | None:
    keys = [(s, title_key(s.title)) for s in secs]
    for pat in (best, anyp):
        for s, k in keys:
            if pat.search(k) and not (exclude is not None and exclude.search(k)):
                return s
    return None


def goals_from_sections(doc: Document) -> list[Goal]:
    secs = list(doc.iter_sections())
    exp = _pick(secs, _GOAL_BEST, _GOAL_ANY, _NOT_GOAL)
    done = _pick(secs, _DONE_BEST, _DONE_ANY)
    expected = _goal_text(exp) if exp is not None else ""
    actual = _goal_text(done) if done is not None and done is not exp else ""
    if not expected and not actual:
        return []
    where = exp if exp is not None and expected else done
    return [Goal(expected, actual or None, where.location)]


_GOAL_LINE = re.compile(r"^(?:年度|项目|部门整体支出|整体)?(?:总体)?(?:绩效)?目标\s*[:：]\s*(.+)$", re.S)


def _goal_text(sec: Section) -> str:
    """The goal a section states: a labelled line (年度绩效目标：…) where it has one, else its text
    without the indicator sub-sections, else (nothing but indicators) all of it."""
    for line in (sec.text or "").splitlines():
        m = _GOAL_LINE.match(line.strip())
        if m and len(m.group(1).strip()) >= 4:
            return m.group(1).strip()
    return section_text(sec, _INDICATOR_SUB) or section_text(sec)


def narrative_sections(doc: Document) -> dict[str, str]:
    """problems / measures from the sections that hold them (a leaf's text, or the whole section)."""
    out: dict[str, str] = {}
    for s in doc.iter_sections():
        k = title_key(s.title)
        for field, pat in (("problems", _PROBLEMS), ("measures", _MEASURES)):
            if field not in out and pat.search(k) and not (field == "problems" and _MEASURES.search(k) and not s.text):
                text = section_text(s)
                if text:
                    out[field] = text
    return out


# ---- budget sentences ------------------------------------------------------------------

_AMOUNT = r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*万元"
_GAP = r"[^，。；;,\n]{0,%d}?"
_BUDGET_SENTENCES = {  # per field, most specific first; a later pattern is tried only when no earlier one matched anywhere
    "initial": [rf"年初(?:批复)?预算(?:数|资金|金额|安排)?{_GAP % 10}(?:为|是|:|：)?\s*{_AMOUNT}"],
    "annual": [rf"(?:全年|调整后的?|当年)(?:全年)?预算(?:数|资金|金额)?{_GAP % 8}(?:为|是|:|：)?\s*{_AMOUNT}",
               rf"调整(?:预算)?后{_GAP % 10}{_AMOUNT}",
               rf"(?:下达|安排|批复){_GAP % 40}(?:资金|预算|经费){_GAP % 4}{_AMOUNT}",
               rf"(?<!年初)(?<!年初批复)预算(?:资金|金额|数)?(?:为|是|:|：)?\s*{_AMOUNT}",
               rf"(?:计划|总)投资(?:为|是|:|：)?\s*{_AMOUNT}"],
    "executed": [rf"(?:全年)?(?:预算)?执行数{_GAP % 6}(?:为|是|:|：)?\s*{_AMOUNT}",
                 rf"(?:实际支出|实际执行|实际使用|已使用|已支出|累计支出|支出合计)(?:数|资金|金额)?(?:为|是|:|：)?\s*{_AMOUNT}",
                 rf"(?:^|[，。；、：:\s]|\d[、.．])(?:财政拨款)?支出(?:合计|总额)?(?:为|是|:|：)\s*{_AMOUNT}",
                 rf"(?:已完成|已|累计|共)拨付(?:资金)?\s*{_AMOUNT}"],
    "execution_rate": [r"(?:预算|资金)?执行率(?:为|达|达到|是|:|：)?\s*(\d+(?:\.\d+)?)\s*[%％]"],
}
_BUDGET_RE = {k: [re.compile(p) for p in v] for k, v in _BUDGET_SENTENCES.items()}


def budget_from_text(paragraphs: list[Paragraph], limit: int = 120) -> Budget | None:
    """年初预算数为294.84万元，全年预算数为…，全年执行数为…，预算执行率为96.23%: the first of each."""
    texts = [(unicodedata.normalize("NFKC", p.text), p.location) for p in paragraphs[:limit]]
    found: dict[str, float] = {}
    where = None
    for key, pats in _BUDGET_RE.items():
        for pat in pats:
            hit = next(((m, loc) for text, loc in texts for m in [pat.search(text)] if m), None)
            if hit:
                found[key] = float(hit[0].group(1).replace(",", ""))
                where = where or hit[1]
                break
    if not found:
        return None
    row = BudgetRow(label="预算执行情况", initial=found.get("initial"), annual=found.get("annual"),
                    executed=found.get("executed"), execution_rate=found.get("execution_rate"), location=where)
    return Budget(total=row)


# ---- self-score -------------------------------------------------------------------------

SCORE_IN_TEXT = re.compile(r"(?:(?:自评|综合|评价|最终|总|绩效)\s*(?:得分|评分|分数)|总分|(?<!指标)(?<!项)得分(?=为))\s*(?:为|是|：|:)?\s*(\d{1,3}(?:\.\d+)?)\s*分")
GRADE_IN_TEXT = re.compile(r"(?:(?:自评|评价|绩效)?等级\s*(?:为|是|：|:)|自评为|评定为|评价为)\s*[“\"'「『]?(优秀|良好|合格|不合格|优|良|中|差)")


def score_from_text(paragraphs: list[Paragraph]) -> float | None:
    for p in paragraphs:
        m = SCORE_IN_TEXT.search(p.text)
        if m and float(m.group(1)) <= 100:
            return float(m.group(1))
    return None


def grade_from_text(texts: list[str]) -> str | None:
    for text in texts:
        m = GRADE_IN_TEXT.search(text)
        if m:
            return m.group(1)
    return None


# ---- unit and project -------------------------------------------------------------------

UNIT_SUFFIX = (r"(?:委员会|人民政府|管理委员会|办公室|联合会|管理局|管理处|管理所|管理站|指挥中心|服务中心|发展中心|中心|"
               r"人民医院|医院|卫生院|学校|中学|小学|幼儿园|大学|学院|研究院|研究所|政府|街道办事处|街道|管委会|"
               r"分局|支队|大队|局|委|院|所|站|馆|社|队|办|厅|会|处)")
_UNIT_TAIL = re.compile(UNIT_SUFFIX + "$")
_NAME_CHARS = r"[\u4e00-\u9fff（）()]"
_ALIAS = re.compile(rf"({_NAME_CHARS}{{2,30}}?{UNIT_SUFFIX})\s*[（(]以下简称")
_REPORT_ON = re.compile(rf"现将\s*(?:20\d{{2}}\s*年度?)?({_NAME_CHARS}{{4,30}}?{UNIT_SUFFIX})(?:20\d{{2}}\s*年度?)?(?:部门)?(?:整体支出|项目支出|绩效)")
_DATE_LINE = re.compile(r"^\s*(?:20\d{2}|二[〇○零O0]\S{2})\s*年\s*\d{0,2}\s*月?\s*\d{0,2}\s*日?\s*$")
_SEAL = re.compile(r"[（(]\s*(?:盖章|公章|签章)\s*[)）]")
_NOT_UNIT = re.compile(r"^(?:财政部门|部门|单位|我单位|本单位|项目|附件)")


def _clean_name(t: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", t)).replace("(", "（").replace(")", "）")


def unit_from_signature(paragraphs: list[Paragraph]) -> str | None:
    """The unit written at the end, above or below the date: 固始县祖师庙镇人民政府 / 2025年12月30日."""
    tail = [p.text.strip() for p in paragraphs[-6:] if p.text.strip()]
    for i in range(len(tail) - 1, -1, -1):
        t = _SEAL.sub("", _clean_name(tail[i]))
        if 4 <= len(t) <= 30 and re.fullmatch(rf"{_NAME_CHARS}+", t) and _UNIT_TAIL.search(t) and not _NOT_UNIT.match(t):
            near = tail[i + 1:i + 2] + tail[i - 1:i] if i else tail[i + 1:i + 2]
            if any(_DATE_LINE.match(_clean_name(x)) for x in near):
                return t
    return None


def unit_from_title(title: str | None, body: str) -> str | None:
    """保山市卫生健康委员会2022项目绩效自评报告 → 保山市卫生健康委员会 (the unit before the year or project)."""
    if not title:
        return None
    t = _clean_name(title)
    t = re.sub(r"^关于", "", t)
    t = re.sub(r"^20\d{2}年度?", "", t)  # 2022年西平县交通运输局…
    best = None
    for m in re.finditer(UNIT_SUFFIX, t[:32]):
        cand = t[:m.end()]
        if len(cand) < 4 or _NOT_UNIT.match(cand) or t[m.end():m.end() + 1] == "门":
            continue
        rest = t[m.end():]
        if re.match(r"^(?:20\d{2}|关于|（)", rest) or (len(cand) >= 5 and body.count(cand) >= 1):
            best = cand  # the longest such prefix: 委员会 over 委
    return best


def unit_above_title(paragraphs: list[Paragraph], title: str | None) -> str | None:
    """A unit name on the line above the title (示范区水务局 / 2023年度…绩效评价报告)."""
    texts = [p.text.strip() for p in paragraphs[:6]]
    if not title or title not in texts:
        return None
    i = texts.index(title)
    if i == 0:
        return None
    t = _SEAL.sub("", _clean_name(texts[i - 1]))
    if 4 <= len(t) <= 30 and re.fullmatch(rf"{_NAME_CHARS}+", t) and _UNIT_TAIL.search(t) and not _NOT_UNIT.match(t):
        return t
    return None


def unit_from_body(paragraphs: list[Paragraph]) -> str | None:
    """XX局（以下简称…）or 现将2024年度XX镇人民政府整体支出绩效自评情况报告如下 in the opening."""
    for p in paragraphs[:30]:
        text = _clean_name(p.text)
        for pat in (_REPORT_ON, _ALIAS):
            m = pat.search(text)
            if m and not _NOT_UNIT.match(m.group(1)):
                name = m.group(1)
                name = re.sub(r"^(?:单位职能|职能|主要职能|单位名称|概况)", "", name)
                if len(name) >= 4:
                    return name
    return None


_REPORT_WORDS = r"(?:20\d{2}\s*年度?)?(?:项目)?(?:支出)?(?:绩效)?(?:目标)?(?:单位)?(?:自评|评价|监控|运行监控|考评)"


def project_from_title(title: str | None, unit: str | None, subtitles: list[str] = ()) -> str | None:
    """The project a report's title names, once: …配套项目项目绩效自评报告 gives …配套项目."""
    for sub in subtitles:  # （春节慰问经费项目） on the line under the title
        m = re.fullmatch(r"[（(]\s*(.{3,40}?)\s*[)）]", _clean_name(sub))
        if m and re.search(r"项目|资金|经费|工程", m.group(1)) and not re.search(r"年度|20\d{2}", m.group(1)):
            return m.group(1)
    if not title:
        return None
    t = _clean_name(title)
    m = re.search(r"[（(]\s*([^（()）]{3,40}?)\s*[)）]$", t)  # …项目绩效自评报告（驻京干部房租补助经费）
    if m and re.search(r"项目|资金|经费|工程", m.group(1)) and not re.search(r"年度|20\d{2}", m.group(1)):
        return m.group(1)
    t = re.sub(r"^关于", "", t)
    t = re.sub(r"^20\d{2}\s*年度?", "", t)
    if unit and t.startswith(_clean_name(unit)):
        t = t[len(_clean_name(unit)):]
    t = re.sub(r"^20\d{2}\s*年度?", "", t)
    m = re.match(rf"^(.+?)({_REPORT_WORDS})", t)
    if not m:
        return None
    name = m.group(1)
    inner = re.match(r"^[\u4e00-\u9fff]{2,12}?20\d{2}年度?(.{4,})$", name)  # 云南省2022年度中央自然灾害资金
    if inner:
        name = inner.group(1)
    if m.group(2).startswith("项目") and not name.endswith("项目"):
        name += "项目"  # …配套项目绩效目标自评报告: 项目 belongs to the name, once
    if len(name) < 4 or "部门整体" in name or "整体支出" in name or not re.search(r"项目|资金|经费|工程|专项", name):
        return None
    return name


def looks_like_report_title(text: str | None) -> bool:
    return bool(text and re.search(r"绩效(?:自评|评价)?报告|部门整体支出", text))


_OVERALL_SECTION = re.compile(r"^(?:部门|单位|部门（单位）|部门\(单位\))(?:基本)?(?:情况|概况|基本概况)|机构设置|部门职能|单位职能")


def reads_as_overall(doc: Document, title: str) -> bool:
    """A report about a unit as a whole: no project in the title, a 单位基本情况 / 部门概况 section."""
    if "项目" in title:
        return False
    return any(_OVERALL_SECTION.search(title_key(s.title)) for s in doc.iter_sections())
