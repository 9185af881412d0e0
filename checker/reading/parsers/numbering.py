"""Word's automatic list numbering (numbering.xml) rendered as the text a reader sees: 一、 （一） 1."""

from __future__ import annotations

import re

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_CN = "零一二三四五六七八九"


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:  # beyond Roman numerals (and a start value of 10**9 would loop)
        return str(n)
    out = ""
    for v, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"),
                   (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= v:
            out, n = out + sym, n - v
    return out


def _fmt(n: int, fmt: str) -> str:
    if fmt.startswith("chinese") or fmt in ("japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _cn_number(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


class Numbering:
    """Word's automatic list numbering (numbering.xml), rendered as text: 一、 （一） 1."""

    def __init__(self, root, styles=None, style_num: dict | None = None):
        """root: the w:numbering element (None: no numbering part); styles: a callable giving
        the w:styles element (it may raise, as python-docx does for a broken styles part), or
        style_num: what style_numbering made of it."""
        self.nums: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        if root is None:  # no numbering part
            return
        abstract = {}
        for an in root.findall(W + "abstractNum"):
            levels = {}
            for lvl in an.findall(W + "lvl"):
                fmt_el, text_el, start_el = lvl.find(W + "numFmt"), lvl.find(W + "lvlText"), lvl.find(W + "start")
                levels[int(lvl.get(W + "ilvl") or 0)] = (
                    fmt_el.get(W + "val") if fmt_el is not None else "decimal",
                    text_el.get(W + "val") if text_el is not None else "",
                    int(start_el.get(W + "val")) if start_el is not None else 1,
                )
            abstract[an.get(W + "abstractNumId")] = levels
        for num in root.findall(W + "num"):
            a = num.find(W + "abstractNumId")
            if a is not None:
                self.nums[num.get(W + "numId")] = abstract.get(a.get(W + "val"), {})
        if style_num is not None:
            self.style_num = style_num
        else:
            try:
                style_numbering(styles(), self.style_num)
            except Exception:
                pass

    def label(self, p, style_id: str | None) -> str:
        if not self.nums:
            return ""
        npr = p.find(f"{W}pPr/{W}numPr")
        num_id, ilvl = None, 0
        if npr is not None:
            nid, il = npr.find(W + "numId"), npr.find(W + "ilvl")
            num_id = nid.get(W + "val") if nid is not None else None
            ilvl = int(il.get(W + "val")) if il is not None else 0
        elif style_id in self.style_num:
            num_id, ilvl = self.style_num[style_id]
        levels = self.nums.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        fmt, text, start = levels[ilvl]
        if fmt in ("bullet", "none") or not text:
            return ""
        counters = self.counters.setdefault(num_id, [None] * 9)
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None

        def sub(m):
            k = int(m.group(1)) - 1
            f, _t, st = levels.get(k, ("decimal", "", 1))
            return _fmt(counters[k] if counters[k] is not None else st, f)

        return re.sub(r"%(\d)", sub, text)


def style_numbering(styles, into: dict | None = None) -> dict:
    """Style id -> (numId, ilvl) of styles with list numbering; a bad ilvl stops it, keeping
    what came before (into, when given, holds that part if it raises)."""
    out = {} if into is None else into
    try:
        for st in styles.findall(W + "style"):
            npr = st.find(f"{W}pPr/{W}numPr")
            if npr is not None:
                nid, ilvl = npr.find(W + "numId"), npr.find(W + "ilvl")
                if nid is not None:
                    out[st.get(W + "styleId")] = (nid.get(W + "val"), int(ilvl.get(W + "val")) if ilvl is not None else 0)
    except Exception:
        if into is not None:
            raise
    return out
