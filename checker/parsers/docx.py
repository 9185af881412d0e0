"""Read .docx with python-docx: body paragraphs and tables in reading order.

Tables are walked at the XML level (w:tr / w:tc) so horizontal merges (gridSpan) give
one cell and vertical merges (vMerge) are filled down from the cell above. Nested
tables are read as separate tables, numbered after their parent.
"""

from __future__ import annotations

import io

from checker.config import Config
from checker.errors import ReadError
from checker.model import Location, Paragraph, RawDocument, Table
from checker.limits import Limits, limits_of, too_large
from checker.parsers.common import clean_cell, heading_level, safe_package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _text_of(p) -> str:
    """Text of a w:p: runs, tabs and breaks; skips deleted text, field codes and the
    mc:Fallback copy of text boxes (they come twice: Choice and Fallback)."""
    out: list[str] = []

    def walk(el):
        for child in el:
            tag = child.tag
            if tag == MC + "Fallback":
                continue
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab":
                out.append("\t")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif len(child):
                walk(child)

    walk(p)
    return "".join(out)


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


class _Numbering:
    """Word's automatic list numbering (numbering.xml), rendered as text: 一、 （一） 1."""

    def __init__(self, doc):
        self.nums: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = doc.part.numbering_part.element
        except Exception:  # no numbering part
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
        try:
            for st in doc.styles.element.findall(W + "style"):
                npr = st.find(f"{W}pPr/{W}numPr")
                if npr is not None:
                    nid, ilvl = npr.find(W + "numId"), npr.find(W + "ilvl")
                    if nid is not None:
                        self.style_num[st.get(W + "styleId")] = (nid.get(W + "val"), int(ilvl.get(W + "val")) if ilvl is not None else 0)
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

        import re

        return re.sub(r"%(\d)", sub, text)


class _Reader:
    def __init__(self, doc, limits: Limits | None = None):
        self.doc = doc
        self.limits = limits or Limits()
        self.chars = 0
        self.numbering = _Numbering(doc)
        self.paragraphs: list[Paragraph] = []
        self.tables: list[Table] = []
        self.style_names: dict[str, str] = {}
        try:
            for st in doc.styles:
                if st.style_id:
                    self.style_names[st.style_id] = st.name or st.style_id
        except Exception:
            pass

    @staticmethod
    def _style_id(p) -> str | None:
        ps = p.find(f"{W}pPr/{W}pStyle")
        return ps.get(W + "val") if ps is not None else None

    def style_of(self, p) -> str | None:
        ppr = p.find(W + "pPr")
        if ppr is None:
            return None
        ps = ppr.find(W + "pStyle")
        if ps is None:
            return None
        sid = ps.get(W + "val")
        return self.style_names.get(sid, sid)

    def walk(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "p":
                label = self.numbering.label(child, self._style_id(child))  # counts empty items too, as Word does
                text = clean_cell(_text_of(child))
                if not text:
                    continue
                self._count(text)
                if label and not text.startswith(label.strip()):
                    text = label.strip() + text
                style = self.style_of(child)
                n = len(self.paragraphs) + 1
                self.paragraphs.append(Paragraph(text, Location(paragraph=n), style, heading_level(text, style)))
            elif tag == W + "tbl":
                self.table(child)
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
                self.walk(child)

    def _count(self, text: str) -> None:
        self.chars += len(text)
        if self.chars > self.limits.max_chars:
            raise too_large(f"文件文字超过 {self.limits.max_chars} 个字符")

    def table(self, tbl, depth: int = 1) -> None:
        if depth > self.limits.max_table_depth:
            raise too_large(f"文件中表格嵌套超过 {self.limits.max_table_depth} 层")
        max_cells = self.limits.max_cells
        width = 0
        index = len(self.tables) + 1
        placeholder = Table([], Location(table=index))
        self.tables.append(placeholder)  # parent numbered before its nested tables
        rows: list[list[str]] = []
        spans: list[list[int]] = []
        above: dict[int, str] = {}  # grid column -> text of the cell there in the previous row
        nested = []
        for tr in self._rows(tbl):
            row, span_row = [], []
            col = 0
            trpr = tr.find(W + "trPr")
            if trpr is not None:
                gb = trpr.find(W + "gridBefore")
                if gb is not None:
                    col += max(0, _int(gb.get(W + "val")))
            for tc in self._cells(tr):
                tcpr = tc.find(W + "tcPr")
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(W + "gridSpan")
                    if gs is not None:
                        span = max(1, _int(gs.get(W + "val"), 1))
                    vm = tcpr.find(W + "vMerge")
                    if vm is not None:
                        vmerge = vm.get(W + "val") or "continue"
                parts = []
                for el in tc:
                    if el.tag == W + "p":
                        parts.append(_text_of(el))
                    elif el.tag == W + "tbl":
                        nested.append(el)
                    elif el.tag in (W + "sdt", W + "customXml"):
                        for p in el.iter(W + "p"):
                            parts.append(_text_of(p))
                text = clean_cell("\n".join(parts))
                self._count(text)
                # decided before the span is walked: a gridSpan of 2,000,000,000 is refused here
                if (col + span) * (len(rows) + 1) > max_cells:
                    raise too_large(f"文件第{index}个表格合并后有 {len(rows) + 1} 行 × {col + span} 列（上限 {max_cells} 个单元格）")
                if vmerge == "continue":
                    text = above.get(col, text)
                for c in range(col, col + span):
                    above[c] = text
                row.append(text)
                span_row.append(span)
                col += span
            rows.append(row)
            spans.append(span_row)
            width = max(width, col)
            if width * len(rows) > max_cells:
                raise too_large(f"文件第{index}个表格合并后有 {len(rows)} 行 × {width} 列（上限 {max_cells} 个单元格）")
        placeholder.rows, placeholder.spans = rows, spans
        for el in nested:
            self.table(el, depth + 1)

    @staticmethod
    def _rows(tbl):
        for el in tbl:
            if el.tag == W + "tr":
                yield el
            elif el.tag in (W + "sdt", W + "customXml"):
                for sub in el.iter(W + "tr"):
                    yield sub

    @staticmethod
    def _cells(tr):
        for el in tr:
            if el.tag == W + "tc":
                yield el
            elif el.tag in (W + "sdt", W + "customXml"):
                for sub in el:
                    if sub.tag == W + "sdtContent":
                        yield from (c for c in sub if c.tag == W + "tc")
                    elif sub.tag == W + "tc":
                        yield sub


def _int(v, default: int = 0) -> int:
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return default


def read_docx(data: bytes, config: Config) -> RawDocument:
    package = safe_package(data, config, required="word/document.xml")
    import docx

    try:
        doc = docx.Document(io.BytesIO(package))
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("corrupt_file", f"Word 文件已损坏或不完整，无法打开（{type(exc).__name__}）。请重新导出后再提交。") from exc
    r = _Reader(doc, limits_of(config))
    r.walk(doc.element.body)
    return RawDocument("docx", r.paragraphs, r.tables)
