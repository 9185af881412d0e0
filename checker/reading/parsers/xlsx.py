"""Read .xlsx (openpyxl, cached formula values) and .xls (xlrd): one table per visible sheet.

Merged ranges are filled across and down, and the grid keeps Excel's columns (so
第4列 is column D); empty trailing rows and columns are trimmed.
"""

from __future__ import annotations

import datetime as dt
import io
import re

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.document import Location, RawDocument, Table
from checker.core.limits import Limits, limits_of, too_large
from checker.reading.parsers.common import clean_cell, inflate_package, package_of


def render(value, number_format: str | None = None) -> str:
    """A cell value as the sheet shows it: 0.985 with a % format → '98.5%', 12.0 → '12'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        v = float(value)
        if number_format and "%" in number_format:
            return _num(v * 100) + "%"
        return _num(v)
    return clean_cell(str(value))


def _num(v: float) -> str:
    import math

    if not math.isfinite(v):
        return ""  # inf/NaN written into the XML: no number a person typed
    if abs(v) >= 1e15:
        return repr(v)  # shown as written; values.bounded() keeps it out of the arithmetic
    v = round(v, 8)
    if v == int(v):
        return str(int(v))
    return f"{v:.8f}".rstrip("0").rstrip(".")


def _trim(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, c in enumerate(r) if c.strip()), default=0) for r in rows), default=0)
    return [r[:width] + [""] * (width - len(r[:width])) for r in rows]


def _fill_merged(rows: list[list[str]], ranges, budget: int | None = None) -> None:
    """ranges: (min_row, min_col, max_row, max_col) 0-based inclusive. `budget` bounds the
    cells written in all (overlapping merges could each cover the whole grid)."""
    budget = budget if budget is not None else Limits().max_cells * 2
    for r0, c0, r1, c1 in ranges:
        if r0 >= len(rows) or r0 < 0 or c0 < 0:
            continue
        budget -= max(0, min(r1, len(rows) - 1) - r0 + 1) * max(0, min(c1, len(rows[r0]) - 1) - c0 + 1)
        if budget < 0:
            raise too_large("工作表中的合并单元格过多或相互重叠")
        top = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                rows[r][c] = top


def read_xlsx(data: bytes, config: Config) -> RawDocument:
    parts = inflate_package(data, config, required="xl/workbook.xml")
    lim = limits_of(config)
    from checker.reading.parsers import xlsx_fast

    try:
        book = xlsx_fast.open_book(parts)
    except Exception:  # not a package the direct reader handles
        book = None
    if book is not None:
        try:
            return _raw(*_read_direct(parts, book, lim))
        except ReadError as err:
            if err.code == "too_large":
                raise
        except Exception:
            pass
    # openpyxl reads what the direct reader does not (and reports a broken file as before)
    return _raw(*_read_openpyxl(parts, lim))


def read_xlsx_with_openpyxl(data: bytes, config: Config) -> RawDocument:
    """The openpyxl reading alone (what read_xlsx gives where the direct reader is not used)."""
    return _raw(*_read_openpyxl(inflate_package(data, config, required="xl/workbook.xml"), limits_of(config)))


def _raw(tables: list[Table], holes: int) -> RawDocument:
    notices = []
    if holes:
        notices.append(f"表中有 {holes} 个公式单元格没有保存计算结果（文件可能由程序生成，或保存前未重新计算），"
                       "这些单元格按空白读取，相关数据、得分和检查结果可能不完整。请在 Excel 中打开并保存后重新提交。")
    return RawDocument("xlsx", [], tables, notices=notices)


def _read_direct(parts: dict[str, bytes], book, lim: Limits) -> tuple[list[Table], int]:
    """The sheets read straight from their XML (xlsx_fast): what _read_openpyxl gives, faster."""
    from checker.reading.parsers.xlsx_fast import sheet_cells

    formulas, uncached = _formulas(parts, lim)
    tables, holes = [], 0
    for title, state, part in book.sheets:
        if state != "visible":
            continue
        lits = formulas.get(title, {})
        rows = _grid(_cells(sheet_cells(book, parts[part]), title, lim), lits, _merges(parts[part]), title, lim)
        holes += sum(1 for coord in uncached.get(part, ()) if coord not in lits)
        if rows:
            tables.append(Table(rows, Location(table=len(tables) + 1), sheet=title))
    return tables, holes


def _formulas(parts: dict[str, bytes], lim: Limits) -> tuple[dict, dict]:
    """Literal formulas (=100%) by sheet title, and uncached formula cells by sheet part."""
    if not _has_formulas(parts):
        return {}, {}
    formulas = _literal_formulas(package_of(parts), lim) if _may_have_literal_formulas(parts, lim) else {}
    return formulas, _uncached_formulas(parts)


def _read_openpyxl(parts: dict[str, bytes], lim: Limits) -> tuple[list[Table], int]:
    import openpyxl

    # read_only: openpyxl's full mode styles every merged cell on load, which cost 3-5x
    # the whole parse; merged ranges are read from the sheet XML instead.
    try:
        wb = openpyxl.load_workbook(io.BytesIO(package_of(parts)), data_only=True, read_only=True)
    except Exception as exc:
        raise ReadError("corrupt_file", f"Excel 文件已损坏或不完整，无法打开（{type(exc).__name__}）。请重新导出后再提交。") from exc
    try:
        formulas, uncached = _formulas(parts, lim)
        tables = []
        holes = 0
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            rows = _sheet_rows(ws, formulas.get(ws.title, {}), lim)
            lits = formulas.get(ws.title, {})
            holes += sum(1 for coord in uncached.get(getattr(ws, "_worksheet_path", ""), ()) if coord not in lits)
            if rows:
                tables.append(Table(rows, Location(table=len(tables) + 1), sheet=ws.title))
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("corrupt_file", f"Excel 文件已损坏或不完整，无法读取（{type(exc).__name__}）。请重新导出后再提交。") from exc
    finally:
        wb.close()
    return tables, holes


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+\d+):([A-Z]+\d+)"')


def _merges(xml: bytes) -> list[tuple[int, int, int, int]]:
    """Merged ranges (1-based min_row, min_col, max_row, max_col) from the sheet XML."""
    from checker.reading.parsers.xlsx_fast import _coord

    out = []
    for a, b in _MERGE.findall(xml):
        r0, c0 = _coord(a.decode())
        r1, c1 = _coord(b.decode())
        out.append((r0, c0, r1, c1))
    return out


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    with ws.parent._archive.open(ws._worksheet_path) as fh:
        return _merges(fh.read())


def _sheet_rows(ws, lits: dict[str, str], lim: Limits | None = None) -> list[list[str]]:
    lim = lim or Limits()
    ws.reset_dimensions()  # a stretched <dimension> would make every row 16,384 cells wide
    values = ((c.row, c.column, c.value, c.number_format) for row in ws.iter_rows() for c in row if getattr(c, "value", None) is not None)
    cells = _cells(values, _name(ws), lim)
    if not cells and not lits:
        return []
    return _grid(cells, lits, _merged_ranges(ws), _name(ws), lim)


def _cells(values, title: str, lim: Limits) -> dict[tuple[int, int], str]:
    """(row, column) → text shown, from (row, column, value, number format) of non-empty cells."""
    cells: dict[tuple[int, int], str] = {}
    chars = 0
    for r, c, value, fmt in values:
        text = render(value, fmt)
        cells[(r, c)] = text
        chars += len(text)
        if len(cells) > lim.max_cells:
            raise too_large(f"工作表“{str(title)[:40]}”有超过 {lim.max_cells} 个非空单元格")
        if chars > lim.max_chars:
            raise too_large(f"工作表“{str(title)[:40]}”的文字超过 {lim.max_chars} 个字符")
    return cells


def _grid(cells: dict[tuple[int, int], str], lits: dict[str, str], merged: list, title: str, lim: Limits) -> list[list[str]]:
    """The sheet's grid: values, literal formulas over them, merged ranges filled, trimmed."""
    from checker.reading.parsers.xlsx_fast import _coord

    for coord, text in lits.items():
        cells[_coord(coord)] = text
    if not cells:
        return []
    # bound by cells that hold values (formatting alone can stretch a sheet); a merged
    # value covers its whole range
    bound = list(cells) + [(r1, c1) for r0, c0, r1, c1 in merged if (r0, c0) in cells]
    max_row = max(r for r, _ in bound)
    max_col = max(c for _, c in bound)
    # decided before the grid is built: one value at XFD1048576, or a merge over the whole
    # sheet, would otherwise allocate 17 billion cells
    if max_row * max_col > lim.max_cells:
        raise too_large(f"工作表“{str(title)[:40]}”的数据范围为 {max_row} 行 × {max_col} 列（上限 {lim.max_cells} 个单元格）")
    rows = [[cells.get((r, c), "") for c in range(1, max_col + 1)] for r in range(1, max_row + 1)]
    _fill_merged(rows, [(r0 - 1, c0 - 1, r1 - 1, c1 - 1) for r0, c0, r1, c1 in merged], lim.max_cells * 2)
    return _trim(rows)


def _name(ws) -> str:
    return str(getattr(ws, "title", ""))[:40]


_REF_OR_CALL = re.compile(r"[A-Za-z]{1,3}\$?\d+|[A-Za-z_][A-Za-z0-9_.]*\s*\(|!")


def _has_formulas(parts: dict[str, bytes]) -> bool:
    return any(b"<f" in xml for name, xml in parts.items() if name.startswith("xl/worksheets/") and name.endswith(".xml"))


_F_TEXT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f\b[^>]*?(?:/>|>([^<]*)<)")
_C_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b")
_LITERAL_MARK = re.compile(r"[%‰\u4e00-\u9fff≥≤&]")
# UTF-8 (no byte-order mark of UTF-16/32, no other encoding declared)
_UTF8 = re.compile(rb"(?:\xef\xbb\xbf)?(?![\x00\xfe\xff])(?:\s*<\?xml(?![^>]*encoding=)[^>]*\?>|\s*<\?xml[^>]*encoding=[\"'](?:utf-8|UTF-8|utf8|UTF8)[\"'][^>]*\?>|(?!\s*<\?xml))")


def _may_have_literal_formulas(parts: dict[str, bytes], lim: Limits) -> bool:
    """False only when `_literal_formulas` is sure to find nothing a cell does not already show:
    no formula text holds a character a literal needs (% ‰ ≥ ≤ or Chinese; & for an escaped one),
    no CDATA hides one, and no sheet has so many cells that its count would be refused there.
    Spares the second reading of the workbook that `_literal_formulas` makes."""
    for name, xml in parts.items():
        if not name.endswith(".xml"):  # every part: a sheet need not sit in xl/worksheets/
            continue
        if not _UTF8.match(xml) or b"\x00" in xml or b"<![CDATA[" in xml or len(_C_TAG.findall(xml)) > lim.max_cells:
            return True  # another encoding, hidden text or a huge sheet: let _literal_formulas look
        for m in _F_TEXT.finditer(xml):
            if m.group(1) and _LITERAL_MARK.search(m.group(1).decode("utf-8", "replace")):
                return True
    return False


def _uncached_formulas(parts: dict[str, bytes]) -> dict[str, list[str]]:
    """Per worksheet part: coordinates of formula cells saved without a cached value (<f> but no
    <v>), which read_only/data_only openpyxl gives as empty. Files written by programs do this."""
    from lxml import etree

    out: dict[str, list[str]] = {}
    for name, xml in parts.items():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        for _ev, el in etree.iterparse(io.BytesIO(xml), events=("end",), tag="{*}c", resolve_entities=False, no_network=True):
            kids = {etree.QName(k).localname: k for k in el}
            v = kids.get("v")
            # no <v>, or an empty one on a cell not typed as text (a formula giving "" is t="str")
            if "f" in kids and (v is None or (not (v.text or "") and el.get("t") not in ("str", "inlineStr", "s"))):
                out.setdefault(name, []).append(el.get("r") or "")
            el.clear()
    return out


def _literal_formulas(data: bytes, lim: Limits | None = None) -> dict[str, dict[str, str]]:
    """Cells whose "formula" is a typed value (=100%, ≥ written as =0人): keep the text as typed.

    A unit typing `=100%` into a cell means the target "=100%"; Excel would turn it into 1,
    and a file written by a program has no cached value at all.
    """
    import openpyxl

    out: dict[str, dict[str, str]] = {}
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
    except Exception:
        return out
    lim = lim or Limits()
    for ws in wb.worksheets:
        ws.reset_dimensions()
        for n, c in enumerate(c for row in ws.iter_rows() for c in row if getattr(c, "value", None) is not None):
            if n > lim.max_cells:
                raise too_large(f"工作表“{_name(ws)}”有超过 {lim.max_cells} 个非空单元格")
            v = c.value
            if (isinstance(v, str) and v.startswith("=") and len(v) > 1 and not _REF_OR_CALL.search(v[1:])
                    and re.search(r"[%‰\u4e00-\u9fff≥≤]", v)):
                out.setdefault(ws.title, {})[c.coordinate] = clean_cell(v)
    wb.close()
    return out


def read_xls(data: bytes, config: Config) -> RawDocument:
    """Legacy .xls via xlrd; raises ReadError('conversion_failed') style errors to the caller."""
    import xlrd

    lim = limits_of(config)

    quiet = io.StringIO()  # xlrd writes warnings about damaged files to its log; keep them off stdout
    try:
        try:
            # ragged_rows: xlrd would otherwise pad every row to the widest one (65536 x 256 cells)
            book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False, logfile=quiet, ragged_rows=True)
        except NotImplementedError:
            book = xlrd.open_workbook(file_contents=data, on_demand=False, logfile=quiet, ragged_rows=True)
    except Exception as exc:
        if "encrypt" in str(exc).lower():  # xlrd: "Workbook is encrypted" (FILEPASS record)
            raise ReadError("encrypted", "Excel 文件设有打开密码，无法读取。请去除密码后重新提交。") from exc
        raise ReadError("corrupt_file", f"Excel 文件无法打开（{type(exc).__name__}）。") from exc
    tables = []
    for sheet in book.sheets():
        if getattr(sheet, "visibility", 0) != 0:
            continue
        width = max((sheet.row_len(r) for r in range(sheet.nrows)), default=0)
        merges = getattr(sheet, "merged_cells", [])
        if sheet.nrows * width > lim.max_cells or len(merges) > lim.max_cells:
            raise too_large(f"工作表“{str(sheet.name)[:40]}”的数据范围为 {sheet.nrows} 行 × {width} 列（上限 {lim.max_cells} 个单元格）")
        rows = []
        chars = 0
        for r in range(sheet.nrows):
            out = []
            for c in range(width):
                if c >= sheet.row_len(r):
                    out.append("")
                    continue
                cell = sheet.cell(r, c)
                fmt = None
                try:
                    if book.formatting_info:
                        xf = book.xf_list[cell.xf_index]
                        fmt = book.format_map[xf.format_key].format_str
                except Exception:
                    fmt = None
                v = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        v = xlrd.xldate.xldate_as_datetime(v, book.datemode)
                    except Exception:
                        pass
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    v = None
                text = render(v, fmt)
                chars += len(text)
                if chars > lim.max_chars:
                    raise too_large(f"工作表“{str(sheet.name)[:40]}”的文字超过 {lim.max_chars} 个字符")
                out.append(text)
            rows.append(out)
        ranges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in getattr(sheet, "merged_cells", [])]
        _fill_merged(rows, ranges, lim.max_cells * 2)
        rows = _trim(rows)
        if rows:
            tables.append(Table(rows, Location(table=len(tables) + 1), sheet=sheet.name))
    return RawDocument("xls", [], tables)
