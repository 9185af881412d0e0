"""Helpers for the reader tests (no tests here): write a grid with merges to real .docx / .xlsx / .xls files.

A cell is a string, "<" (merged with the cell on its left) or "^" (merged with the cell
above). Merges are runs in one direction, as in the real templates.
"""

from __future__ import annotations

import io


def _merges(rows: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """(r0, c0, r1, c1) inclusive for every anchor with '<' to its right or '^' below."""
    out = []
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v in ("<", "^"):
                continue
            c1 = c
            while c1 + 1 < len(row) and row[c1 + 1] == "<":
                c1 += 1
            r1 = r
            while r1 + 1 < len(rows) and c < len(rows[r1 + 1]) and rows[r1 + 1][c] == "^":
                r1 += 1
            if c1 > c or r1 > r:
                out.append((r, c, r1, c1))
    return out


def _width(rows):
    return max(len(r) for r in rows)


def to_docx(rows: list[list[str]], before: list[str] = (), after: list[str] = (), heading_styles: bool = False) -> bytes:
    import docx

    d = docx.Document()
    for p in before:
        _para(d, p, heading_styles)
    if rows:
        add_table(d, rows)
    for p in after:
        _para(d, p, heading_styles)
    b = io.BytesIO()
    d.save(b)
    return b.getvalue()


def _para(d, text: str, heading_styles: bool):
    import re

    if heading_styles and re.match(r"^[一二三四五六七八九十]+、", text):
        d.add_heading(text, level=1)
    elif heading_styles and re.match(r"^（[一二三四五六七八九十]+）", text):
        d.add_heading(text, level=2)
    else:
        d.add_paragraph(text)


def add_table(d, rows: list[list[str]]):
    width = _width(rows)
    t = d.add_table(rows=len(rows), cols=width)
    t.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v not in ("<", "^"):
                t.cell(r, c).text = v
    for r0, c0, r1, c1 in _merges(rows):
        text = rows[r0][c0]
        m = t.cell(r0, c0).merge(t.cell(r1, c1))
        m.text = text  # merging concatenates the texts; keep the anchor's
    return t


def to_xlsx(rows: list[list], sheet: str = "自评表", percent_cells: dict[str, str] | None = None) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if v not in ("<", "^"):
                ws.cell(r, c, v)
    for r0, c0, r1, c1 in _merges(rows):
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    for ref, fmt in (percent_cells or {}).items():
        ws[ref].number_format = fmt
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def to_xls(rows: list[list]) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("自评表")
    merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in _merges(rows)}
    covered = set()
    for (r0, c0), (r1, c1) in merged.items():
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                covered.add((r, c))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if (r, c) in merged:
                r1, c1 = merged[(r, c)]
                ws.write_merge(r, r1, c, c1, v)
            elif (r, c) not in covered and v not in ("<", "^"):
                ws.write(r, c, v)
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()
