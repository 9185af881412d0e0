"""Parse 指标值 / amounts / rates as written in the tables.

`parse_value(text) -> Value(raw, kind, sign, number, unit)`:
- kind `missing` for "—", "/", "无", "*", empty; `date` for deadlines
  (`2023年12月31日前`: number None, sign ≤ when 前/之前/以前); `quantitative` when a
  number is found; otherwise `qualitative`.
- Signs: ≥ ≤ = > <, full-width and ASCII forms, and words. 不低于/不少于/至少/以上 → ≥;
  不高于/不超过/以内/以下 → ≤; 大于/高于/超过 → >; 小于/低于 → <; 等于 → =.
  达到/达 → ≥: in practice "达到90%" is a floor, not an exact value.
- Numbers: thousands separators, decimals, Chinese numerals (三十五, 一百二十, 两) and
  万/千/亿 multipliers on counts (`3.5万人次` → 35000 人次). Money keeps its unit
  (`1.2万元` → 1.2 万元); `parse_money` converts to 万元.
"""

from __future__ import annotations

import re
import unicodedata

from checker.core.document import Value

MISSING = {"", "—", "——", "-", "--", "－", "/", "／", "无", "*", "＊", "\\", "空", "不适用", "N/A", "n/a", "NA", "null", "None"}

# Longest first so 个月 wins over 个, 万人次 over 人次 …
UNITS = sorted(
    """百分比 百分点 平方公里 平方千米 平方米 立方米 万元 亿元 千元 元 人次 人天 人日 公里 千米 米 ㎡ 亩 公顷 吨 户 人
    个月 个 次 项 天 日 月 年 小时 分钟 周 所 家 台 套 件 场 期 篇 本 册 份 条 座 栋 间 张 辆 头 只 株 棵 批 处 村 校 学时
    课时 床 宗 起 例 对 组 类 把 部 支 门 网点 站 名 位 余人 余个 % ‰ 分 元/人 元/人·月 元/月 元/年 元/亩 kg 千克 公斤 km
    m2 km2 m km² m² MW 千瓦 兆瓦 kW kWh 度 立方 平米 幅 块 段 盏 根 口 眼 处次 人/次 户次 厘米 架 艘 匹 羽 尾 箱 袋 瓶 盒 顶 台套 台次 车次 班次 架次 人月 课 节 首 部 集 册次 所次 批次 单 笔 宗次""".split(),
    key=len,
    reverse=True,
)
_UNIT_ALIASES = {"百分比": "%", "㎡": "平方米", "平米": "平方米", "m²": "平方米", "m2": "平方米", "km2": "平方公里", "km²": "平方公里", "日": "天", "千米": "公里", "km": "公里"}

_SIGN_SYMBOLS = {"≥": "≥", "≧": "≥", "⩾": "≥", ">=": "≥", "=>": "≥", "≤": "≤", "≦": "≤", "⩽": "≤", "<=": "≤", "=<": "≤",
                 ">": ">", "<": "<", "=": "=", "＞": ">", "＜": "<", "＝": "="}
# Word signs before the number; longest alternatives first (不低于 before 低于).
_PREFIX_WORDS = [
    ("大于或等于", "≥"), ("大于等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("不得低于", "≥"),
    ("不得少于", "≥"), ("至少", "≥"), ("达到", "≥"), ("达", "≥"), ("小于或等于", "≤"), ("小于等于", "≤"),
    ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"), ("不大于", "≤"), ("不得超过", "≤"), ("不得高于", "≤"),
    ("最多", "≤"), ("至多", "≤"), ("控制在", "≤"), ("大于", ">"), ("高于", ">"), ("多于", ">"), ("超过", ">"),
    ("小于", "<"), ("低于", "<"), ("少于", "<"), ("等于", "="),
]
_SUFFIX_WORDS = [("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("之内", "≤")]

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")
_ARABIC = re.compile(r"(?<![\d.])-?\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")
_NUM_MULT = re.compile(r"^(万|千|亿)(?!元)")

_DATE = re.compile(
    r"(19|20)\d{2}\s*年\s*\d{1,2}\s*月|(19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}\s*月\s*(底|末|份|中旬|上旬|下旬|\d{1,2}\s*[日号])"
    r"|\d{1,2}\s*[-—–~～至到]\s*\d{1,2}\s*月|年底前|年末前|年内|(19|20)\d{2}\s*年\s*(底|末|内|前)|季度末|季度前"
)
_BEFORE = re.compile(r"前|之前|以前|截止|截至")


# A number beyond this is not a budget, rate or count anyone wrote on purpose (1e26, 1e308,
# a run of 400 digits that float() turns into inf): it is read as text, never as a number,
# so scores stay finite and exact.
MAX_NUMBER = 1e15


def bounded(x: float | None) -> float | None:
    """x when it is a finite number within ±MAX_NUMBER, else None."""
    if x is None:
        return None
    try:
        x = float(x)
    except (TypeError, ValueError, OverflowError):
        return None
    return x if abs(x) < MAX_NUMBER else None  # NaN fails the comparison too


def norm(text: str | None) -> str:
    """NFKC, unify signs and strip every kind of whitespace."""
    if text is None:
        return ""
    t = unicodedata.normalize("NFKC", str(text))
    t = re.sub(r"\s+", "", t)
    return t


def is_missing(text: str | None) -> bool:
    t = norm(text)
    return t in MISSING or bool(re.fullmatch(r"[—\-－/／*＊_ ]+", t))


def cn_to_int(s: str) -> int | None:
    """三十五 → 35, 一百二十 → 120, 两 → 2, 一万二千 → 12000; None if not a numeral."""
    if not s or len(s) > 24 or not all(c in _CN_DIGITS or c in _CN_UNITS for c in s):
        return None
    if all(c in _CN_DIGITS for c in s) and len(s) > 1:  # 二〇二三 digit by digit
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        else:
            unit = _CN_UNITS[c]
            if unit >= 10_000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
    return total + section + (digit or 0)


def _find_number(t: str) -> tuple[float, int, int] | None:
    """First number in normalised text: (value, start, end); Chinese numerals only before a unit."""
    best = None
    m = _ARABIC.search(t)
    if m:
        v = bounded(m.group().replace(",", "").replace("，", "")) if len(m.group()) <= 40 else None
        if v is None:
            return None  # an absurd number: the value is not quantitative
        best = (v, m.start(), m.end())
    for cm in _CN_RUN.finditer(t):
        if best and cm.start() >= best[1]:
            break
        run, end = cm.group(), cm.end()
        if run.endswith("万") and t[end:end + 1] == "元":  # 五万元: 5 万元
            run, end = run[:-1], end - 1
        rest = t[end:]
        if not run or not (rest == "" and cm.start() <= 4 or _unit_at(rest)):
            continue
        # lone 一 before a unit is usually an article (一次性, 一个) only when words follow
        u = _unit_at(rest)
        if run == "一" and u and rest[len(u):]:  # 一次性, 一个月内… are words, not counts
            continue
        v = cn_to_int(run)
        if v is None or bounded(v) is None:
            continue
        return float(v), cm.start(), end
    return best


def _unit_at(rest: str) -> str | None:
    """The first unit of UNITS (longest first) that `rest` starts with."""
    for u in _UNITS_BY_FIRST.get(rest[:1], ()):
        if rest.startswith(u):
            return u
    return None


_UNITS_BY_FIRST: dict[str, list[str]] = {}  # UNITS by first character, in UNITS' order
for _u in UNITS:
    if _u:
        _UNITS_BY_FIRST.setdefault(_u[0], []).append(_u)


def parse_value(text: str | None) -> Value:
    raw = "" if text is None else str(text)
    t = norm(raw)
    if is_missing(t):
        return Value(raw, "missing")
    # ═ (box-drawing) is used for = in some exported tables
    for k, v in (("≧", "≥"), ("≦", "≤"), ("⩾", "≥"), ("⩽", "≤"), ("═", "="), (">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤")):
        t = t.replace(k, v)
    if _DATE.search(t):
        return Value(raw, "date", "≤" if _BEFORE.search(t) else None, None, None)
    found = _find_number(t)
    if found is None:
        return Value(raw, "qualitative")
    number, start, end = found
    before, after = t[:start], t[end:]
    sign = None
    sm = re.search(r"[≥≤=><]$", before)
    if sm:
        sign = _SIGN_SYMBOLS[sm.group()]
    else:
        for word, s in _PREFIX_WORDS:
            if before.endswith(word) or (word in before and len(before) - before.rfind(word) - len(word) <= 2):
                sign = s
                break
    mult = _NUM_MULT.match(after)
    if mult:
        factor = {"万": 10_000, "千": 1000, "亿": 100_000_000}[mult.group(1)]
        nxt = after[1:]
        if (_unit_at(nxt) or nxt == "") and bounded(number * factor) is not None:
            number *= factor
            after = nxt
    unit = _unit_at(after)
    rest = after[len(unit):] if unit else after
    if unit and rest[:1] in ("/", "每") and rest[1:2] != "":  # 万元/公里, 元/人·月
        per = _unit_at(rest[1:]) or ("人" if rest[1:2] == "人" else None)
        if per:
            unit = f"{unit}/{per}"
            rest = rest[1 + len(per):]
    if sign is None:
        for word, s in _SUFFIX_WORDS:
            if rest.startswith(word) or rest.startswith("(含)" + word) or (word in rest[:4]):
                sign = s
                break
    if unit:
        unit = _UNIT_ALIASES.get(unit, unit)
    if number == int(number):
        number = float(int(number))
    return Value(raw, "quantitative", sign, number, unit)


def parse_number(text: str | None) -> float | None:
    """The number a cell holds as written: '1,234.50万元' → 1234.5, '98.5%' → 98.5, '三十五' → 35."""
    if text is None:
        return None
    if isinstance(text, int | float):
        return bounded(text)
    t = norm(text)
    if is_missing(t):
        return None
    if len(t) > 200:  # a number is never this long; keeps the matching below cheap
        return None
    m = re.fullmatch(r"[￥¥$]?(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?|-?\.\d+)(万元|元|亿元|千元|%|‰|分)?", t)
    if m:
        return bounded(m.group(1).replace(",", "")) if len(m.group(1)) <= 40 else None
    v = cn_to_int(t.removesuffix("万元").removesuffix("元"))
    if v is not None:
        return bounded(v)
    found = _find_number(t)
    if found is None:
        return None
    # accept only when the number is the cell's substance (e.g. '约 12.5 万元'), not a phrase
    number, start, end = found
    if len(t) - (end - start) > 6:
        return None
    return number


def parse_money(text: str | None, default_unit: str = "万元") -> float | None:
    """Amount in 万元. A unit written in the cell wins ('12,345元' → 1.2345); a bare number
    is in `default_unit`, the unit the table declares (万元, or 元 for `项目资金（元）`)."""
    n = parse_number(text)
    if n is None:
        return None
    t = norm(text) if isinstance(text, str) else ""
    for suffix, factor in (("亿元", 10_000), ("万元", 1), ("千元", 0.1), ("元", 0.0001)):
        if t.endswith(suffix):
            return round(n * factor, 6)
    return round(n / 10_000, 6) if default_unit == "元" else n


def parse_rate(text: str | None) -> float | None:
    """Percent: '98.5%' → 98.5, bare 0.985 → 98.5 (a bare value ≤ 1.5 is read as a fraction), 98.5 → 98.5."""
    if text is None:
        return None
    if isinstance(text, int | float):
        v = bounded(text)
        if v is None:
            return None
        return round(v * 100, 6) if abs(v) <= 1.5 else v
    t = norm(text)
    if is_missing(t):
        return None
    n = parse_number(t)
    if n is None:
        return None
    if "%" in t or "百分" in t:
        return n
    if "‰" in t:
        return n / 10
    return round(n * 100, 6) if abs(n) <= 1.5 else n
