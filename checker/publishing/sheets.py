"""Printable Excel sheets, the building block of every workbook jxcheck writes (checker.publishing.workbook,
checker.publishing.rectification): frozen header, column widths, A4 landscape, header rows repeated
on every page, grade colours. A workbook is returned as bytes (`xlsx_bytes`); the caller writes them
(checker.core.atomic.write_atomic)."""

from __future__ import annotations

import tempfile

GRADE_FILLS = {"优": "C6EFCE", "良": "DDEBF7", "中": "FFEB9C", "差": "FFC7CE"}
HEADER_FILL = "D9D9D9"


def grade_of(score: float | None) -> str | None:
    """优/良/中/差 by the 10号 bands (≥90, ≥80, ≥60, below)."""
    if score is None:
        return None
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def xlsx_bytes(wb) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    import io

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _named_styles(wb) -> None:
    """Register the few cell styles once; a cell then takes a style by name, which is far
    cheaper in openpyxl than setting border/alignment/fill objects cell by cell."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    if "jx_center" in wb.named_styles:
        return
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    wb.add_named_style(NamedStyle("jx_title", font=Font(bold=True, size=14), alignment=center))
    wb.add_named_style(NamedStyle("jx_header", font=Font(bold=True), fill=PatternFill("solid", fgColor=HEADER_FILL), border=border, alignment=center))
    wb.add_named_style(NamedStyle("jx_center", border=border, alignment=center))
    wb.add_named_style(NamedStyle("jx_left", border=border, alignment=left))
    wb.add_named_style(NamedStyle("jx_num", border=border, alignment=center, number_format="0.00"))
    for g, colour in GRADE_FILLS.items():
        fill = PatternFill("solid", fgColor=colour)
        wb.add_named_style(NamedStyle(f"jx_grade_{g}", border=border, alignment=center, fill=fill))
        wb.add_named_style(NamedStyle(f"jx_grade_num_{g}", border=border, alignment=center, fill=fill, number_format="0.00"))


def add_sheet(wb, title: str, caption: str | None, header: list[str], rows: list[list], widths: list[float], grade_cols=()):
    """A printable table sheet: caption row, header row, body; returns the sheet.

    `grade_cols`: 0-based columns whose numeric value picks a grade colour, or
    (column, grade_column) pairs where the colour comes from a grade text column.
    """
    from openpyxl.utils import get_column_letter

    if getattr(wb, "write_only", False):
        return _add_sheet_streamed(wb, title, caption, header, rows, widths, grade_cols)
    _named_styles(wb)
    ws = wb.create_sheet(title)
    r0 = 1
    if caption:
        ws.cell(1, 1, caption).style = "jx_title"
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.row_dimensions[1].height = 24
        r0 = 2
    for c, h in enumerate(header, 1):
        ws.cell(r0, c, h).style = "jx_header"
    text_cols = _text_cols(header, rows)
    for i, row in enumerate(rows, r0 + 1):
        for c, (v, style) in enumerate(_styled(row, grade_cols, text_cols)):
            ws.cell(i, c + 1, v).style = style
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    # Excel does not grow a row for wrapped text written by openpyxl: size each row so
    # wrapped cells do not run over the next one
    ws.row_dimensions[r0].height = row_height(header, widths)
    for i, row in enumerate(rows, r0 + 1):
        ws.row_dimensions[i].height = row_height(row, widths)
    ws.freeze_panes = ws.cell(r0 + 1, 1)
    _print_setup(ws, r0, len(header), len(rows))
    return ws


def _text_cols(header: list[str], rows) -> set[int]:
    """One alignment per column: a column of names or sentences reads left-aligned,
    codes, counts and short labels centred (not cell by cell by length)."""
    return {c for c in range(len(header)) if any(isinstance(r[c], str) and len(r[c]) > 6 for r in rows if c < len(r))}


def _styled(row: list, grade_cols, text_cols: set[int]):
    """(value, named style) of each cell of a body row."""
    coloured = {}
    for spec in grade_cols:
        col, gcol = spec if isinstance(spec, tuple) else (spec, None)
        v = row[gcol] if gcol is not None else row[col]
        g = v if gcol is not None else grade_of(v if isinstance(v, int | float) else None)
        if g in GRADE_FILLS:
            coloured[col] = g
    for c, v in enumerate(row):
        num = isinstance(v, float)
        if c in coloured:
            yield v, f"jx_grade_num_{coloured[c]}" if num else f"jx_grade_{coloured[c]}"
        elif num:
            yield v, "jx_num"
        else:
            yield v, "jx_left" if c in text_cols else "jx_center"


def _print_setup(ws, r0: int, ncols: int, nrows: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    ws.print_title_rows = f"1:{r0}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # Worksheet.PAPERSIZE_A4 (not on a write-only sheet)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.print_options.horizontalCentered = True
    if nrows:
        ws.auto_filter.ref = f"A{r0}:{get_column_letter(ncols)}{r0 + nrows}"


def _add_sheet_streamed(wb, title: str, caption: str | None, header: list[str], rows, widths: list[float], grade_cols=()):
    """`add_sheet` for a write-only workbook: the same sheet, written row by row, so a sheet of
    a large archive (a row per finding) never sits in memory whole. `rows` is read twice."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    _named_styles(wb)
    ws = wb.create_sheet(title)
    r0 = 2 if caption else 1
    text_cols = _text_cols(header, rows)  # first pass, before anything is written
    nrows = sum(1 for _ in rows)
    # everything written ahead of the rows (column widths, frozen header) is set first
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = f"A{r0 + 1}"
    _print_setup(ws, r0, len(header), nrows)

    def put(i: int, cells: list, height: float) -> None:
        ws.row_dimensions[i].height = height
        ws.append(cells)
        del ws.row_dimensions[i]  # written: forget it (memory stays flat)

    if caption:
        cell = WriteOnlyCell(ws, caption)
        cell.style = "jx_title"
        ws.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=len(header), max_row=1))
        put(1, [cell], 24)
    head = []
    for h in header:
        cell = WriteOnlyCell(ws, h)
        cell.style = "jx_header"
        head.append(cell)
    put(r0, head, row_height(header, widths))
    for i, row in enumerate(rows, r0 + 1):
        cells = []
        for v, style in _styled(row, grade_cols, text_cols):
            cell = WriteOnlyCell(ws, v)
            cell.style = style
            cells.append(cell)
        put(i, cells, row_height(row, widths))
    return ws


class Rows:
    """Rows of a sheet that may be very long (one per finding of an archive): kept in memory up
    to `keep`, then spooled to a temporary file; iterable any number of times, in order."""

    def __init__(self, keep: int = 2000):
        self.keep = keep
        self.head: list[list] = []
        self.file = None
        self.n = 0

    def append(self, row: list) -> None:
        import json

        self.n += 1
        if self.file is None and len(self.head) < self.keep:
            self.head.append(row)
            return
        if self.file is None:
            self.file = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.file.write(json.dumps(row, ensure_ascii=False) + "\n")

    def extend(self, rows) -> None:
        for r in rows:
            self.append(r)

    def __len__(self) -> int:
        return self.n

    def __iter__(self):
        import json

        yield from self.head
        if self.file is not None:
            self.file.flush()
            self.file.seek(0)
            for line in self.file:
                yield json.loads(line)
            self.file.seek(0, 2)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


LINE_PT = 15  # one line of 11 pt text


def text_width(text: str) -> float:
    """Width in Excel column units: a CJK character takes about two."""
    import unicodedata

    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def row_height(row: list, widths: list[float]) -> float:
    lines = 1
    for v, w in zip(row, widths, strict=False):
        if v is None or isinstance(v, int | float):
            continue
        usable = max(1.0, w - 1.5)  # cell padding
        n = sum(max(1, -(-int(text_width(part)) // int(usable))) for part in str(v).split("\n"))
        lines = max(lines, n)
    return min(409.0, LINE_PT * lines + 3)
