"""Text signals shared by the goal (GO) and completion (CP) checks.

Goals and completion texts are free Chinese prose, so the checks look at a few
robust signals rather than grammar: quantities (number + measure word, not money,
years or list numbering), phrase hits from bureau-editable word lists (an entry may
hold "…" for a short gap, e.g. 履行…职能), character-bigram similarity, and what is
left of a text once generic phrases are taken out. Traditional characters are mapped
to simplified for the common ones so word lists match mirrored documents too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from checker.core.textutil import normalize

# Common traditional → simplified pairs seen in budget documents (not a full converter:
# rare characters stay as they are, which only costs a missed word-list match).
_TRAD = (
    "資资撥拨圓圆滿满務务項项達达實实際际數数據据績绩標标對对應应況况與与預预範范圍围"
    "進进運运營营體体劃划區区縣县鄉乡鎮镇組组織织導导關关開开發发費费總总額额準准舉举辦办"
    "會会經经濟济員员幣币質质覽览廣广場场設设備备建建場场幹干補补貼贴戶户獲获產产業业"
    "護护衛卫醫医療疗藥药療疗學学師师職职責责強强專专擴扩點点線线鐵铁電电網网圖图書书館馆"
    "檔档歷历壓压違违規规監监審审計计劃划價价盡尽與与為为這这個个們们從从來来後后時时間间"
    "無无並并將将當当於于還还過过給给讓让說说動动現现傳传農农貧贫幫帮遷迁寬宽層层條条"
    "種种訓训練练宣宣講讲諾诺邊边環环態态綠绿養养園园橋桥層层餘余樣样響响維维穩稳彙汇"
    "驗验收收齊齐評评議议證证權权稅税優优勢势參参選选擇择轉转連连續续紀纪錄录確确認认"
    "蓋盖簽签貨货購购買买賣卖價价處处務务況况準准嚴严勵励獎奖懲惩衝冲擊击攜携帶带"
    "億亿萬万兩两幾几減减遞递興兴衆众眾众爭争習习鬥斗歲岁齡龄婦妇兒儿孤孤殘残傷伤"
    "災灾險险預预警警測测報报氣气溫温濕湿檢检驗验療疗健健長长門门戰战遠远達达邁迈"
    "巾巾幗帼畫画劇剧圖图際际順顺圓圆滿满體体驗验態态殯殡葬葬區区級级紅红藍蓝黃黄"
    "鄰邻裡里鍵键標标誌志識识讀读寫写詞词語语話话論论調调查查訪访貸贷債债幹干織织"
)
_TRAD_MORE = (
    "採采 陳陈 劉刘 張张 楊杨 黨党 僅仅 啟启 團团 夠够 屬属 帳账 換换 損损 擁拥 撫抚 斷断 棄弃 東东 極极 樓楼 樂乐 "
    "機机 歸归 溝沟 滅灭 漢汉 熱热 獨独 畢毕 礎础 禮礼 稱称 積积 窮穷 築筑 簡简 糧粮 約约 細细 終终 結结 絡络 統统 "
    "綜综 緊紧 編编 繳缴 罰罚 聯联 聽听 脫脱 臺台 舊旧 藝艺 蘭兰 號号 蟲虫 術术 製制 複复 視视 覺觉 觀观 訊讯 許许 "
    "診诊 試试 詢询 該该 誤误 請请 諮咨 賠赔 趕赶 跡迹 車车 軍军 輔辅 輛辆 適适 釋释 閒闲 閱阅 闊阔 隊队 陽阳 雜杂 "
    "難难 靈灵 頁页 須须 領领 頭头 題题 類类 顧顾 風风 飛飞 飯饭 飲饮 鬆松 魚鱼 鳥鸟 麥麦 衛卫 惠惠 圍围 築筑 "
    "員员 壩坝 渠渠 堤堤 護护 捨舍 廢废 廠厂 廳厅 當当 獻献 現现 産产 畝亩 瑣琐 療疗 癥症 碼码 線线 績绩 繫系 罷罢"
)
_TRAD_MAP = str.maketrans(
    {**{_TRAD[i]: _TRAD[i + 1] for i in range(0, len(_TRAD) - 1, 2)}, **{p[0]: p[1] for p in _TRAD_MORE.split()}}
)

_PUNCT = re.compile(r"[\s，,。．\.、；;：:！!？?“”\"'‘’（）()\[\]【】《》<>〈〉—\-_/\\|·…~～*＊#]+")
# List numbering that is not a quantity: 目标1: 1. 1、 (1) （一） 一是 第一
_ENUM = re.compile(
    r"(?:目标|任务|指标)?[（(]?\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]\s*"
    r"|(?:^|(?<=[。；;：:，,\s]))(?:目标|任务)?\s*\d{1,2}\s*(?:[\.．、:：](?!\d))"
    r"|(?:目标|任务)\s*\d{1,2}"
    r"|[一二三四五六七八九十]是"
    r"|第[一二三四五六七八九十]"
)
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*(?:年|—|-|－|/|\.\d)")
_DATE = re.compile(r"\d{1,2}\s*月(?:份|底|末|初)?(?:\s*\d{1,2}\s*[日号])?|(?<![\d.])\d{1,2}\s*[日号](?:前|之前|起)")
_DOCNO = re.compile(r"[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d*\s*号?|\d+\s*号")
# Number (Arabic or Chinese) + optional 万/亿 + the text right after it.
_NUM = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*(万|亿|千)?\s*([%‰％]|[A-Za-z²³㎡㎞]+|[\u4e00-\u9fff]{1,3})?")
MONEY_UNITS = ("元", "万元", "亿元", "千元")
# Measure words that count outputs, beneficiaries or physical work.
COUNT_UNITS = frozenset(
    "个 人 名 户 次 人次 户次 场 场次 期 批 批次 项 件 套 台 台套 辆 架 艘 座 间 栋 幢 处 所 家 条 根 株 棵 亩 公顷 公里 千米 米 "
    "平方米 平方公里 立方米 方 吨 公斤 千克 斤 册 本 部 篇 份 张 篇次 宗 起 例 对 只 头 匹 羽 尾 盏 块 组 支 路 口 眼 片 段 "
    "所次 班 课时 学时 小时 天 周 个月 km m m2 m² m3 ㎡ ㎞ kg t hm2 hm 床 张床 床位 卷 盒 瓶 剂 人份 剂次 针 人年 "
    "万人 个次 门 村 乡镇 校 所学校 家次 类 种 样 份次 单 件次 车次 趟 班次 次数".split()
)
_UNIT_PREFIXES = sorted(COUNT_UNITS, key=len, reverse=True)


def to_simplified(text: str) -> str:
    """Map the common traditional characters to simplified ones."""
    return text.translate(_TRAD_MAP)


def clean(text: object) -> str:
    """Normalised, simplified text; any non-text value becomes empty."""
    if not isinstance(text, str):
        return ""
    return to_simplified(normalize(text))


def strip_enumerators(text: str) -> str:
    return _ENUM.sub(" ", text)


def quantities(text: str) -> list[tuple[str, str]]:
    """(number, kind) pairs in `text`: kind is count, money, percent or other.

    Years, document numbers (〔2022〕12号) and list numbering are not quantities.
    """
    t = strip_enumerators(_DATE.sub(" ", _DOCNO.sub(" ", _YEAR.sub(" ", clean(text)))))
    out = []
    for m in _NUM.finditer(t):
        num, mult, after = m.group(1), m.group(2) or "", m.group(3) or ""
        if not re.search(r"\d", num) and (not after or set(num) <= set("百千")):
            continue  # 千家万户, 百姓: a bare 百/千 is prose
        if after in ("%", "‰", "％") or after.startswith(("百分", "个百分")):
            out.append((num, "percent"))
        elif (mult + after).startswith(MONEY_UNITS) or after.startswith(("元", "万元")):
            out.append((num, "money"))
        elif any(after.startswith(u) for u in _UNIT_PREFIXES):
            # 一个/一村/一次 are usually prose ("一个中心", "一村一品"); 一座/一间/一处 still count
            if num == "一" and not after.startswith(("座", "间", "栋", "幢", "处", "所", "条", "台", "辆", "架", "艘", "套", "家", "宗", "公里", "千米")):
                continue
            out.append((num, "count"))
        elif re.search(r"\d", num):
            out.append((num, "other"))
    return out


def count_quantities(text: str) -> list[str]:
    return [n for n, k in quantities(text) if k == "count"]


def count_phrases(text: str) -> list[str]:
    """Counted quantities with their measure word, for messages: 230人, 1.2万亩."""
    t = strip_enumerators(_DATE.sub(" ", _DOCNO.sub(" ", _YEAR.sub(" ", clean(text)))))
    counted = set(count_quantities(text))
    out = []
    for m in _NUM.finditer(t):
        after = m.group(3) or ""
        unit = next((u for u in _UNIT_PREFIXES if after.startswith(u)), None)
        if unit and m.group(1) in counted:
            out.append(f"{m.group(1)}{m.group(2) or ''}{unit}")
    return list(dict.fromkeys(out))


@lru_cache(maxsize=512)
def _phrase_regex(phrases: tuple[str, ...], gap: int) -> re.Pattern[str] | None:
    parts = []
    # split on the gap mark before cleaning: NFKC turns "…" into "..."
    for p in sorted({tuple(clean(x) for x in p.split("…")) for p in phrases if p.strip()}, key=lambda t: -sum(map(len, t))):
        parts.append(f".{{0,{gap}}}?".join(re.escape(x) for x in p if x))
    return re.compile("|".join(parts)) if parts else None


def phrase_hits(text: str, phrases: list[str] | tuple[str, ...], gap: int = 12) -> list[str]:
    """Non-overlapping matches of word-list entries in `text` (longest entries first)."""
    rx = _phrase_regex(tuple(phrases), gap)
    if rx is None:
        return []
    return [m.group(0) for m in rx.finditer(clean(text)) if m.group(0)]


def remove_phrases(text: str, phrases: list[str] | tuple[str, ...], gap: int = 12) -> str:
    rx = _phrase_regex(tuple(phrases), gap)
    t = clean(text)
    return rx.sub(" ", t) if rx is not None else t


def cjk_core(text: str) -> str:
    """Text without punctuation, numbering or spaces: what is left to compare."""
    return _PUNCT.sub("", strip_enumerators(clean(text)))


# Words that change a goal into a report of it without adding content.
_TENSE = re.compile(r"[了已均]|完成|实现|达到|已经|顺利|全面|基本|情况|目标|实际")


def bigrams(text: str) -> set[str]:
    core = _TENSE.sub("", cjk_core(text))
    return {core[i : i + 2] for i in range(len(core) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams, after tense words (了/已/完成 …) are dropped."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def containment(a: str, b: str) -> float:
    """Share of `a`'s bigrams found in `b`."""
    x, y = bigrams(a), bigrams(b)
    return len(x & y) / len(x) if x else 0.0


def short(text: str, limit: int = 60) -> str:
    """Evidence excerpt: the text as written (outer whitespace trimmed), cut to `limit` characters."""
    t = text.strip() if isinstance(text, str) else ""
    return t if len(t) <= limit else t[: limit - 1] + "…"


def original_text(original: object, found: str) -> str:
    """The span of `original` that `found` (a match in the cleaned text) came from.

    Cleaning maps characters one by one (NFKC, traditional → simplified, spaces dropped),
    so a per-character index map recovers the text exactly as the document wrote it.
    """
    if not isinstance(original, str) or not found:
        return found
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(original):
        for c in clean(ch):
            chars.append(c)
            index.append(i)
    pos = "".join(chars).find(found)
    if pos < 0:
        return found
    return original[index[pos] : index[pos + len(found) - 1] + 1]


def evidence_list(original: object, found: list[str]) -> str:
    """Distinct matches, each as written in the original, joined with 、."""
    return "、".join(dict.fromkeys(original_text(original, f) for f in found))
