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

from checker.config import Config
from checker.errors import ReadError
from checker.model import Location, Paragraph, RawDocument, Table
from checker.parsers.common import heading_level, numbering

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


def _join_lines(lines: list[str]) -> list[str]:
    """Join wrapped lines into paragraphs: a new one starts at a heading number or after a sentence end."""
    paras: list[str] = []
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if re.fullmatch(r"[-—\s]*\d+[-—\s]*|第\s*\d+\s*页.*", s):  # page numbers
            continue
        if paras and not paras[-1].endswith(_END) and not numbering(s) and len(paras[-1]) >= 20:
            paras[-1] += s
        else:
            paras.append(s)
    return paras


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
        max_pages = int(config.get("reader", "max_pages", 200) or 200)
        if n_pages > max_pages:
            notices.append(f"文件共 {n_pages} 页，超过上限 {max_pages} 页，仅读取前 {max_pages} 页。")
        use = min(n_pages, max_pages)
        page_tables = _tables(data, use)
        paragraphs: list[Paragraph] = []
        tables: list[Table] = []
        all_text = []
        for i in range(use):
            page = pdf[i]
            tp = page.get_textpage()
            width, height = page.get_size()
            bands = _bands(height, [bbox for bbox, _ in page_tables.get(i, [])])
            texts = []
            for top, bottom in bands:  # pdfplumber y grows downward, pdfium y upward
                texts.append(tp.get_text_bounded(left=0, bottom=height - bottom, right=width, top=height - top))
            full = tp.get_text_range()
            all_text.append(full)
            tp.close()
            page.close()
            lines = fix_spaces("\n".join(texts)).split("\n")
            for para in _join_lines(lines):
                n = len(paragraphs) + 1
                paragraphs.append(Paragraph(para, Location(page=i + 1, paragraph=n), None, heading_level(para)))
            for _bbox, rows in page_tables.get(i, []):
                tables.append(Table(rows, Location(page=i + 1, table=len(tables) + 1)))
    finally:
        pdf.close()
    joined = "".join(all_text)
    visible = re.sub(r"\s", "", joined)
    if not visible and not tables:
        raise ReadError("needs_ocr")
    if garbled_share(joined) > 0.05:
        raise ReadError("garbled_text")
    if len(visible) < 20 and n_pages > 0 and not tables:
        raise ReadError("needs_ocr", "PDF 中几乎没有可提取的文字（可能是扫描件或图片），需要先进行文字识别（OCR）或提交可编辑的原文件。")
    return RawDocument("pdf", paragraphs, tables, pages=n_pages, notices=notices)


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


def _tables(data: bytes, pages: int) -> dict[int, list[tuple[tuple, list[list[str]]]]]:
    import pdfplumber

    out: dict[int, list] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for i, page in enumerate(pdf.pages[:pages]):
                found = page.find_tables()
                for t in sorted(found, key=lambda t: (t.bbox[1], t.bbox[0])):
                    rows = _fill_table(t)
                    if len(rows) < 2:
                        continue
                    out.setdefault(i, []).append((t.bbox, rows))
    except Exception:  # tables are a bonus; text is still read
        return out
    return out
