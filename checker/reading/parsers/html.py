"""HTML saved as .xls/.doc: what many finance systems export. Tables keep rowspan/colspan filled.

Text outside tables (p, div, h1-h6, li, br-separated lines) becomes paragraphs.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from checker.core.limits import Limits, too_large
from checker.core.document import Location, Paragraph, RawDocument, Table
from checker.reading.parsers.common import clean_cell, heading_level

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "title", "tr", "caption"}


def decode(data: bytes) -> str:
    head = data[:4096].decode("ascii", "ignore").lower()
    m = re.search(r"charset\s*=\s*[\"']?([a-z0-9_\-]+)", head)
    names = [m.group(1)] if m else []
    if data.startswith(b"\xef\xbb\xbf"):
        names.insert(0, "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        names.insert(0, "utf-16")
    for enc in names + ["utf-8", "gb18030"]:
        enc = {"gb2312": "gb18030", "gbk": "gb18030"}.get(enc, enc)
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


class _Parser(HTMLParser):
    def __init__(self, limits: Limits | None = None):
        super().__init__(convert_charrefs=True)
        self.limits = limits or Limits()
        self.paragraphs: list[str] = []
        self.tables: list[list[list[tuple[str, int, int]]]] = []  # rows of (text, rowspan, colspan)
        self.stack: list[list] = []  # open tables
        self.cell: list[str] | None = None
        self.cell_span = (1, 1)
        self.buf: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag == "table":
            self._flush()
            if len(self.stack) >= self.limits.max_table_depth:
                raise too_large(f"文件中表格嵌套超过 {self.limits.max_table_depth} 层")
            self.stack.append([])
        elif tag == "tr" and self.stack:
            self.stack[-1].append([])
        elif tag in ("td", "th") and self.stack:
            if not self.stack[-1]:
                self.stack[-1].append([])
            self.cell = []
            self.cell_span = (_int(a.get("rowspan")), _int(a.get("colspan")))
        elif tag == "br":
            (self.cell if self.cell is not None else self.buf).append("\n")
        elif tag in _BLOCK and self.cell is None:
            self._flush()

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cell is not None and self.stack:
            self.stack[-1][-1].append((clean_cell("".join(self.cell)), *self.cell_span))
            self.cell = None
        elif tag == "table" and self.stack:
            if self.cell is not None:
                self.handle_endtag("td")
            self.tables.append(self.stack.pop())
        elif tag in _BLOCK and self.cell is None:
            self._flush()
        elif tag in ("p", "div") and self.cell is not None:
            self.cell.append("\n")

    def handle_data(self, data):
        if self.skip:
            return
        (self.cell if self.cell is not None else self.buf).append(data)

    def _flush(self):
        text = clean_cell(re.sub(r"[ \t\r]+", " ", "".join(self.buf)))
        self.buf = []
        for line in text.split("\n"):
            if line.strip():
                self.paragraphs.append(line.strip())

    def close(self):
        super().close()
        self._flush()


def _int(v) -> int:
    try:
        return max(1, min(int(str(v).strip()), 500))
    except (TypeError, ValueError):
        return 1


def _grid(rows: list[list[tuple[str, int, int]]], max_cells: int | None = None) -> list[list[str]]:
    """Place cells with their spans; covered positions get the spanning cell's text.

    The grid's size is bounded before any span is walked: each cell's rowspan x colspan
    counts against `max_cells`, so huge spans cost nothing but the refusal."""
    max_cells = max_cells or Limits().max_cells
    budget = max_cells
    placed: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            budget -= rs * cs
            if budget < 0:
                raise too_large(f"网页表格展开合并单元格后超过 {max_cells} 个单元格")
            while (r, c) in placed:
                c += 1
            for dr in range(rs):
                for dc in range(cs):
                    placed[(r + dr, c + dc)] = text
            c += cs
    if not placed:
        return []
    height = max(r for r, _ in placed) + 1
    width = max(c for _, c in placed) + 1
    if height * width > max_cells:
        raise too_large(f"网页表格展开合并单元格后有 {height} 行 × {width} 列（上限 {max_cells} 个单元格）")
    return [[placed.get((r, c), "") for c in range(width)] for r in range(height)]


def read_html(data: bytes, fmt: str = "html", limits: Limits | None = None) -> RawDocument:
    limits = limits or Limits()
    text = decode(data)
    if len(text) > limits.max_chars * 4:  # markup included; the text itself is counted below
        raise too_large(f"网页文件有 {len(text)} 个字符")
    p = _Parser(limits)
    p.feed(text)
    p.close()
    chars = sum(len(t) for t in p.paragraphs) + sum(len(c[0]) for t in p.tables for r in t for c in r)
    if chars > limits.max_chars:
        raise too_large(f"文件文字超过 {limits.max_chars} 个字符")
    paragraphs = [Paragraph(t, Location(paragraph=n), None, heading_level(t)) for n, t in enumerate(p.paragraphs, 1)]
    tables = []
    for rows in p.tables:
        grid = _grid(rows, limits.max_cells)
        if grid and any(any(c.strip() for c in r) for r in grid):
            tables.append(Table(grid, Location(table=len(tables) + 1)))
    return RawDocument(fmt, paragraphs, tables)
