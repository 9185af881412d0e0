"""Excel outputs of a batch: the unit table (units.xlsx) and the summary workbook.

Both are meant to be printed by the bureau: frozen header, column widths, A4
landscape, header rows repeated on every page, grade colours, 无 for missing cells.
Files are written to a temp name and moved into place, so a reader never sees half.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from checker.units import COLUMNS, TYPE_COLUMNS, UnitRow, as_number

GRADE_FILLS = {"优": "C6EFCE", "良": "DDEBF7", "中": "FFEB9C", "差": "FFC7CE"}
HEADER_FILL = "D9D9D9"


def grade_of(score: float | None) -> str | None:
    """优/良/中/差 by the 10号 bands (≥90, ≥80, ≥60, below)."""
    if score is None:
        return None
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def save_atomic(wb, path: str | Path) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="999999")
    return {
        "title": Font(bold=True, size=14),
        "bold": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor=HEADER_FILL),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "fill": lambda colour: PatternFill("solid", fgColor=colour),
    }


def add_sheet(wb, title: str, caption: str | None, header: list[str], rows: list[list], widths: list[float], grade_cols=()):
    """A printable table sheet: caption row, header row, body; returns the sheet.

    `grade_cols`: 0-based columns whose numeric value picks a grade colour, or
    (column, grade_column) pairs where the colour comes from a grade text column.
    """
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    st = _styles()
    ws = wb.create_sheet(title)
    r0 = 1
    if caption:
        ws.cell(1, 1, caption).font = st["title"]
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.cell(1, 1).alignment = st["center"]
        ws.row_dimensions[1].height = 24
        r0 = 2
    for c, h in enumerate(header, 1):
        cell = ws.cell(r0, c, h)
        cell.font, cell.fill, cell.border, cell.alignment = st["bold"], st["header_fill"], st["border"], st["center"]
    for i, row in enumerate(rows, r0 + 1):
        for c, v in enumerate(row, 1):
            cell = ws.cell(i, c, v)
            cell.border = st["border"]
            cell.alignment = st["left"] if isinstance(v, str) and len(v) > 6 else st["center"]
            if isinstance(v, float):
                cell.number_format = "0.00"
        for spec in grade_cols:
            col, gcol = spec if isinstance(spec, tuple) else (spec, None)
            v = row[gcol] if gcol is not None else row[col]
            g = v if gcol is not None else grade_of(v if isinstance(v, int | float) else None)
            if g in GRADE_FILLS:
                ws.cell(i, col + 1).fill = st["fill"](GRADE_FILLS[g])
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = ws.cell(r0 + 1, 1)
    ws.print_title_rows = f"1:{r0}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.print_options.horizontalCentered = True
    if rows:
        ws.auto_filter.ref = f"A{r0}:{get_column_letter(len(header))}{r0 + len(rows)}"
    return ws


def unit_sheet_rows(table: list[UnitRow]) -> list[list]:
    out = []
    for i, r in enumerate(table, 1):
        out.append([i, r.unit, *(as_number(r.cell(t)) for t, _ in TYPE_COLUMNS), as_number(r.mean)])
    return out


def write_units_xlsx(table: list[UnitRow], path: str | Path, caption: str = "部门得分情况汇总") -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    widths = [6, 36, 11, 13, 13, 11, 11]
    add_sheet(wb, "部门得分汇总", caption, list(COLUMNS), unit_sheet_rows(table), widths, grade_cols=(6,))
    save_atomic(wb, path)
