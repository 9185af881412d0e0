"""Read text PDFs: pypdfium2 for pages and text, pdfplumber for tables.

Text outside table areas becomes paragraphs (wrapped lines joined back); pdfium puts
spaces between CJK characters and digits, which are removed. Garbled extraction
((cid:N), private-use or control characters) → `garbled_text`; no text at all →
`needs_ocr`; a user password → `encrypted`; pages beyond reader.max_pages are skipped
with a notice.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.document import Location, Paragraph, RawDocument, Table
from checker.reading.parsers.common import heading_level, numbering

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPACE_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}0-9A-Za-z%.,≥≤=<>])|(?<=[{_CJK}0-9A-Za-z%.,≥≤=<>])[ \t\u00a0]+(?=[{_CJK}])")
_SPACE_NUM = re.compile(r"(?<=\d)[ \t]+(?=[.%])|(?<=\.)[ \t]+(?=\d)")
_CID = re.compile(r"\(cid:\d+\)")
_END = ("。", "！", "？", "：", "；", ":", ";", "!", "?")


def fix_spaces(text: str) -> str:
    t = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "").replace("\x02", "")
    t = _SPACE_CJK.sub("", t)
    t = _SPACE_CJK.sub("", t)  # second pass: overlapping runs
    t = _SPACE_NUM.sub("", t)
    return t


def garbled_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(len(m.group()) for m in _CID.finditer(text))
    rest = _CID.sub("", text)
    for ch in rest:
        o = ord(ch)
        if (o < 32 and ch not in "\n\t\r") or 0xE000 <= o <= 0xF8FF or o == 0xFFFD:
            bad += 1
    visible = len(re.sub(r"\s", "", text))
    return bad / max(visible, 1)


def _cell_text(v) -> str:
    if v is None:
        return ""
    t = str(v)
    # pdfplumber keeps a cell's wrapped lines with \n; CJK text wraps without spaces
    t = re.sub(rf"(?<=[{_CJK}])\n|\n(?=[{_CJK}])|(?<=[0-9%.])\n(?=[0-9%.])", "", t)
    t = t.replace("\n", " ")
    return fix_spaces(t).strip()


def _fill_table(table) -> list[list[str]]:
    """pdfplumber gives None where a merged cell covers a grid position: take the text of the
    cell whose box covers that position's centre (fills across and down alike)."""
    rows = table.extract()
    boxes = []  # (bbox, text) of every real cell
    for r, group in enumerate(table.rows):
        for c, bbox in enumerate(group.cells):
            if bbox is not None and r < len(rows) and c < len(rows[r]):
                boxes.append((bbox, _cell_text(rows[r][c])))
    # a column's centre from its narrowest cell (a merged cell widens the column group's box)
    ncols = max((len(g.cells) for g in table.rows), default=0)
    col_x: list[float | None] = []
    for c in range(ncols):
        cells = [g.cells[c] for g in table.rows if c < len(g.cells) and g.cells[c] is not None]
        b = min(cells, key=lambda b: b[2] - b[0]) if cells else None
        col_x.append((b[0] + b[2]) / 2 if b else None)
    out = []
    for r, group in enumerate(table.rows):
        real = [b for b in group.cells if b is not None]
        b = min(real, key=lambda b: b[3] - b[1]) if real else group.bbox
        y = (b[1] + b[3]) / 2
        line = []
        for c in range(len(col_x)):
            v = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
            if v is not None:
                line.append(_cell_text(v))
                continue
            x = col_x[c]
            text = ""
            for (x0, top, x1, bottom), t in boxes:
                if x is not None and x0 <= x <= x1 and top <= y <= bottom:
                    text = t
                    break
            line.append(text)
        out.append(line)
    return out


@dataclass
class _Line:
    page: int
    left: float
    right: float
    top: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return self.top - self.bottom


def _page_lines(tp, page_no: int, height: float, boxes: list[tuple]) -> list[_Line]:
    """Text segments (pdfium rects) outside tables, grouped into lines top to bottom."""
    segs = []
    for i in range(tp.count_rects()):
        left, bottom, right, top = tp.get_rect(i)
        cy = (top + bottom) / 2
        if any(x0 - 1 <= (left + right) / 2 <= x1 + 1 and height - b1 - 1 <= cy <= height - t0 + 1 for x0, t0, x1, b1 in boxes):
            continue  # inside a table read by pdfplumber
        text = tp.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
        if text.strip():
            segs.append((left, bottom, right, top, text))
    groups: list[list[tuple]] = []
    for seg in segs:
        cy = (seg[1] + seg[3]) / 2
        for g in groups[-3:]:  # a line's segments may come out of order (fallback-font glyphs)
            top, bottom = max(x[3] for x in g), min(x[1] for x in g)
            if bottom - 1 <= cy <= top + 1:
                g.append(seg)
                break
        else:
            groups.append([seg])
    lines: list[_Line] = []
    for g in groups:
        g.sort(key=lambda x: x[0])
        text = fix_spaces("".join(x[4] for x in g)).strip()
        lines.append(_Line(page_no, g[0][0], max(x[2] for x in g), max(x[3] for x in g), min(x[1] for x in g), text))
    return [ln for ln in lines if ln.text]


def _paragraphs(lines: list[_Line]) -> list[tuple[int, str]]:
    """Join wrapped lines back into paragraphs using the page margins.

    A line continues the previous one when that one ran to the right margin and this one
    is neither indented (first-line indent starts a paragraph) nor numbered.
    """
    if not lines:
        return []
    min_left = min(ln.left for ln in lines)
    max_right = max(ln.right for ln in lines)
    centre = (min_left + max_right) / 2
    out: list[tuple[int, str]] = []
    prev: _Line | None = None
    for ln in lines:
        s = ln.text
        if re.fullmatch(r"[-—\s]*\d+[-—\s]*|第\s*\d+\s*页[，,\s]*(共\s*\d+\s*页)?|\d+\s*/\s*\d+|-\s*\d+\s*-", s):  # page numbers
            continue
        h = max(ln.height, 6)
        join = False
        if prev is not None and out:
            full = prev.right >= max_right - 2 * h
            same_size = abs(prev.height - ln.height) <= 2
            indented = ln.left > min_left + 1.2 * h
            centred = abs((ln.left + ln.right) / 2 - centre) < 2 * h and indented
            ended = out[-1][1].endswith(_END)
            gap = prev.bottom - ln.top if prev.page == ln.page else 0
            if gap > 1.0 * h:  # a blank line's worth of space separates paragraphs
                full = False
            if full and same_size and not ended and not numbering(s) and (not indented or centred and prev.height > 12):
                join = True
        if join:
            out[-1] = (out[-1][0], out[-1][1] + s)
        else:
            out.append((ln.page, s))
        prev = ln
    return out


def read_pdf(data: bytes, config: Config) -> RawDocument:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg or "security" in msg:
            raise ReadError("encrypted", "PDF 文件设有打开密码，无法读取。请去除密码后重新提交。") from exc
        raise ReadError("corrupt_file", "PDF 文件已损坏或不完整，无法打开。请重新导出后再提交。") from exc
    notices: list[str] = []
    try:
        n_pages = len(pdf)
        from checker.core.limits import limits_of

        max_pages = limits_of(config).max_pages
        if n_pages > max_pages:
            notices.append(f"文件共 {n_pages} 页，超过上限 {max_pages} 页，仅读取前 {max_pages} 页。")
        use = min(n_pages, max_pages)
        stats: dict[str, int] = {}
        page_tables = _tables(data, use, stats)
        paragraphs: list[Paragraph] = []
        tables: list[Table] = []
        all_text = []
        lines: list[_Line] = []
        # sizes without loading the pages (a load parses the page's content; each is loaded once, below)
        moved = _join_split_tables(page_tables, [pdf.get_page_size(i)[1] for i in range(use)])
        for i in range(use):
            page = pdf[i]
            tp = page.get_textpage()
            _width, height = page.get_size()
            boxes = [bbox for bbox, _ in page_tables.get(i, [])] + moved.get(i, [])
            lines.extend(_page_lines(tp, i + 1, height, boxes))
            all_text.append(tp.get_text_range())
            tp.close()
            page.close()
            for _bbox, rows in page_tables.get(i, []):
                tables.append(Table(rows, Location(page=i + 1, table=len(tables) + 1)))
        for page_no, para in _paragraphs(lines):
            n = len(paragraphs) + 1
            paragraphs.append(Paragraph(para, Location(page=page_no, paragraph=n), None, heading_level(para)))
    finally:
        pdf.close()
    joined = "".join(all_text)
    visible = re.sub(r"\s", "", joined)
    if not visible and not tables:
        raise ReadError("needs_ocr")
    # pdfium maps unmapped glyphs to arbitrary code points; pdfminer marks them (cid:N)
    if garbled_share(joined) > 0.05 or stats.get("cid", 0) > max(5, 0.05 * stats.get("chars", 0)):
        raise ReadError("garbled_text")
    if len(visible) < 20 and n_pages > 0 and not tables:
        raise ReadError("needs_ocr", "PDF 中几乎没有可提取的文字（可能是扫描件或图片），需要先进行文字识别（OCR）或提交可编辑的原文件。")
    blank = [n for n, t in enumerate(all_text, 1) if len(re.sub(r"\s", "", t)) < 5]
    if blank and len(blank) < len(all_text):
        notices.append(f"第{_ranges(blank)}页没有可提取的文字（可能是扫描页或图片），这些页未能读取。")
    if not tables and re.search(r"三级指标|一级指标|年度指标值|全年预算数", joined.replace(" ", "")):
        notices.append("PDF 中的表格没有可识别的框线，未能按表格读取指标和资金；建议提交 Word/Excel 原文件。")
    return RawDocument("pdf", paragraphs, tables, pages=n_pages, notices=notices, image_pages=blank)


def _ranges(pages: list[int]) -> str:
    """[1, 3, 4, 5] → '1、3-5'."""
    out, start, prev = [], pages[0], pages[0]
    for p in pages[1:] + [None]:
        if p is not None and p == prev + 1:
            prev = p
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if p is not None:
            start = prev = p
    return "、".join(out)


def _bands(height: float, boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float]]:
    """Vertical bands (top, bottom) of a page that are not covered by a table."""
    spans = sorted((b[1], b[3]) for b in boxes)
    out, y = [], 0.0
    for top, bottom in spans:
        if top > y:
            out.append((y, top))
        y = max(y, bottom)
    if y < height:
        out.append((y, height))
    return out


def _join_split_tables(page_tables: dict[int, list], heights: list[float]) -> dict[int, list[tuple]]:
    """A table that runs over a page break continues on the next page: append its rows.

    A row split by the break (label cells empty on the new page) is joined to the last row.
    """
    moved: dict[int, list[tuple]] = {}  # page -> boxes of continuations moved to an earlier table
    for i in sorted(page_tables):
        if i + 1 not in page_tables or not page_tables[i] or not page_tables[i + 1]:
            continue
        (b0, rows0), (b1, rows1) = page_tables[i][-1], page_tables[i + 1][0]
        if not rows0 or not rows1 or len(rows0[0]) != len(rows1[0]):
            continue
        if b0[3] < heights[i] * 0.7 or b1[1] > heights[i + 1] * 0.25:
            continue
        first = rows1[0]
        last = rows0[-1]
        if first and not first[0].strip() and any(c.strip() for c in first):
            joined = []
            for a, b in zip(last, first):
                joined.append(a + b if b.strip() and a.strip() and a != b else (a or b))
            # a merged cell repeated across columns: keep the copies identical
            rows0[-1] = joined
            rows1 = rows1[1:]
        rows0.extend(rows1)
        page_tables[i + 1] = page_tables[i + 1][1:]
        moved.setdefault(i + 1, []).append(b1)
    return moved


def _tables(data: bytes, pages: int, stats: dict[str, int] | None = None) -> dict[int, list[tuple[tuple, list[list[str]]]]]:
    """Tables per page (0-based); `stats` gets char counts: all and unmapped (cid:N) glyphs."""
    import logging

    import pdfplumber

    # pdfminer logs every odd operator of a damaged file; the user sees our error instead
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    out: dict[int, list] = {}
    stats = stats if stats is not None else {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for i, page in enumerate(pdf.pages[:pages]):
                chars = page.chars
                stats["chars"] = stats.get("chars", 0) + len(chars)
                stats["cid"] = stats.get("cid", 0) + sum(1 for ch in chars if ch.get("text", "").startswith("(cid:"))
                found = page.find_tables()
                for t in sorted(found, key=lambda t: (t.bbox[1], t.bbox[0])):
                    rows = _fill_table(t)
                    if len(rows) < 2:
                        continue
                    out.setdefault(i, []).append((t.bbox, rows))
    except Exception:  # tables are a bonus; text is still read
        return out
    return out
