"""The cell values of an .xlsx read straight from its sheet XML (lxml, streamed): shared strings
and number formats once, then each sheet's <c> elements.

It gives what openpyxl's read_only/data_only workbook gives (the same cells, values and number
formats) at a fraction of the cost: openpyxl builds a styled object for every cell, and its
workbook and stylesheet objects for every file. A package this reader does not expect (another
namespace or encoding, a DTD, external links, a sheet openpyxl would refuse) raises `Unusual`,
and the caller reads the file with openpyxl as before.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_M = "{" + MAIN + "}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_SHEET_ML = "application/vnd.openxmlformats-officedocument.spreadsheetml."
_WORKBOOK_TYPES = ("application/vnd.ms-excel.template.macroEnabled.main+xml", _SHEET_ML + "template.main+xml",
                   "application/vnd.ms-excel.sheet.macroEnabled.main+xml", _SHEET_ML + "sheet.main+xml")  # fmt: skip
_SHARED_STRINGS = _SHEET_ML + "sharedStrings+xml"
# UTF-8 without a byte-order mark of UTF-16/32 and no other encoding declared; no DTD
_PLAIN = re.compile(rb"(?:\xef\xbb\xbf)?(?![\x00\xfe\xff])(?:\s*<\?xml(?![^>]*encoding=)[^>]*\?>|\s*<\?xml[^>]*encoding=[\"'](?:utf-8|UTF-8|utf8|UTF8)[\"'][^>]*\?>|(?!\s*<\?xml))")
_STATES = ("visible", "hidden", "veryHidden")


class Unusual(Exception):
    """Not a package this reader handles exactly as openpyxl: read it with openpyxl."""


@dataclass
class Book:
    sheets: list[tuple[str, str, str]]  # (title, state, part name) of each worksheet, in order
    strings: list[str]
    formats: list[str]  # number format of each cell style
    dates: set[int] = field(default_factory=set)  # styles whose format is a date or time
    deltas: set[int] = field(default_factory=set)  # ... a duration ([h]:mm)
    date1904: bool = False


def _xml(parts: dict[str, bytes], name: str):
    from lxml import etree

    data = parts[name]  # KeyError: openpyxl would fail too
    if not _PLAIN.match(data) or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Unusual(name)
    return etree.fromstring(data, parser=_parser())


_PARSER = None


def _parser():
    global _PARSER
    if _PARSER is None:
        from lxml import etree

        _PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)
    return _PARSER


def open_book(parts: dict[str, bytes]) -> Book:
    """The workbook's sheets, shared strings and cell styles; Unusual (or any error) → use openpyxl."""
    types = _xml(parts, "[Content_Types].xml")
    overrides = [(o.get("PartName") or "", o.get("ContentType")) for o in types if o.tag == _CT + "Override"]
    wb_part = next((p for ct in _WORKBOOK_TYPES for p, t in overrides if t == ct), None)
    if wb_part != "/xl/workbook.xml":
        raise Unusual("workbook part")
    wb = _xml(parts, "xl/workbook.xml")
    if wb.tag != _M + "workbook":
        raise Unusual("workbook root")
    for el in wb:
        if el.tag in (_M + "externalReferences", _M + "pivotCaches"):
            raise Unusual(el.tag)
    pr = wb.find(_M + "workbookPr")
    d1904 = pr.get("date1904") if pr is not None else None
    if d1904 not in (None, "0", "1", "true", "false"):
        raise Unusual("date1904")
    rels: dict[str, tuple[str, str]] = {}
    for r in _xml(parts, "xl/_rels/workbook.xml.rels"):
        if r.tag != _PKG_REL + "Relationship":
            continue
        rid, typ, target = r.get("Id"), r.get("Type"), r.get("Target")
        if rid is None or typ is None or target is None:
            raise Unusual("relationship")
        if r.get("TargetMode") == "External":
            rels[rid] = (typ, target)
        elif target.startswith("/"):
            rels[rid] = (typ, target[1:])
        else:
            rels[rid] = (typ, posixpath.normpath(posixpath.join("xl", target)))
    sheets = []
    node = wb.find(_M + "sheets")
    for s in node if node is not None else ():
        if s.tag != _M + "sheet":
            continue
        name, state, rid = s.get("name"), s.get("state", "visible"), s.get(_REL_NS + "id")
        if name is None or state not in _STATES:
            raise Unusual("sheet")
        if not rid:
            continue  # openpyxl drops a sheet without a relationship
        typ, target = rels[rid]
        if target not in parts or "chartsheet" in typ:
            continue
        sheets.append((name, state, target))
    strings: list[str] = []
    ss = next((p for p, t in overrides if t == _SHARED_STRINGS), None)
    if ss is not None:
        for si in _xml(parts, ss[1:]):
            if si.tag == _M + "si":
                strings.append(_text(si).replace("x005F_", ""))
    book = Book(sheets, strings, [], date1904=d1904 in ("1", "true"))
    _styles(parts, book)
    return book


def _text(node) -> str:
    """A string item's text as openpyxl gives it: its <t>, then each run's <t> (phonetic runs not)."""
    plain, runs = None, []
    for el in node:
        tag = el.tag.rpartition("}")[2]
        if tag == "t":
            plain = el.text
        elif tag == "r":
            t = None
            for k in el:
                if k.tag.rpartition("}")[2] == "t":
                    t = k.text
            if t is not None:
                runs.append(t)
    return "".join(([plain] if plain is not None else []) + runs)


def _styles(parts: dict[str, bytes], book: Book) -> None:
    if "xl/styles.xml" not in parts:
        raise Unusual("no stylesheet")
    root = _xml(parts, "xl/styles.xml")
    custom: dict[int, str] = {}
    node = root.find(_M + "numFmts")
    for f in node if node is not None else ():
        if f.tag == _M + "numFmt":
            code = f.get("formatCode")
            if code is None:
                raise Unusual("numFmt")
            custom[int(f.get("numFmtId"))] = code
    xfs = root.find(_M + "cellXfs")
    ids = [int(x.get("numFmtId", 0)) for x in (xfs if xfs is not None else ()) if x.tag == _M + "xf"]
    if not ids:
        raise Unusual("no cell styles")  # openpyxl falls back to its own defaults
    for i, n in enumerate(ids):
        fmt = custom[n] if n in custom else BUILTIN_FORMATS.get(n)
        book.formats.append(fmt if fmt is not None else "General")
        if _is_date_format(fmt):
            book.dates.add(i)
        if _is_timedelta_format(fmt):
            book.deltas.add(i)


# ---- openpyxl's own definitions (3.1), so that reading a workbook does not import openpyxl ----

BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)', 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?",
    13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm",
    21: "h:mm:ss", 22: "m/d/yy h:mm", 37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)", 41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)', 44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}  # fmt: skip
_STRIP_RE = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_TIMEDELTA_RE = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_DATE_CHAR = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ALPHA = {ch: i for i, ch in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1)}


def _is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _DATE_CHAR.search(_STRIP_RE.sub("", fmt.split(";")[0])) is not None


def _is_timedelta_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _TIMEDELTA_RE.search(fmt.split(";")[0]) is not None


@lru_cache(maxsize=4096)
def _coord(ref: str) -> tuple[int, int]:
    """openpyxl's coordinate_to_tuple: "B12" → (12, 2)."""
    for idx, ch in enumerate(ref):  # noqa: B007  (idx is used after the loop, as openpyxl does)
        if ch in "0123456789":
            break
    col, row = ref[:idx], ref[idx:]
    if len(col) > 3:
        raise ValueError(col)
    n = 0
    for letter, power in zip(reversed(col.upper()), (1, 26, 676), strict=False):
        n += _ALPHA[letter] * power
    if not 0 < n < 18279:
        raise ValueError(col)
    return int(row), n


def sheet_cells(book: Book, xml: bytes) -> Iterator[tuple[int, int, object, str]]:
    """(row, column, value, number format) of each cell with a value, in the order openpyxl's
    read_only iter_rows gives them (rows out of order or repeated, and cells past a row's last
    cell, are left out there too)."""
    from lxml import etree

    if not _PLAIN.match(xml) or b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise Unusual("sheet encoding")
    row_tag, v_tag, is_tag = _M + "row", _M + "v", _M + "is"
    strings, formats, dates = book.strings, book.formats, book.dates
    counter = 1  # the next row read_only iter_rows expects
    row_no = 0
    for _ev, row in etree.iterparse(BytesIO(xml), events=("end",), tag=row_tag, resolve_entities=False, no_network=True,
                                    remove_comments=True, remove_pis=True):  # fmt: skip
        r = row.get("r")
        if r is not None:
            try:
                row_no = int(r)
            except ValueError:
                val = float(r)
                if not val.is_integer():
                    raise
                row_no = int(val)
        else:
            row_no += 1
        col_no = 0
        cells = []
        for c in row:
            t = c.get("t", "n")
            ref = c.get("r")
            s = c.get("s", 0)
            if s:
                s = int(s)
            value = None if t == "inlineStr" else (c.findtext(v_tag) or None)
            if ref:
                crow, col_no = _coord(ref)
            else:
                col_no += 1
                crow = row_no
            if value is not None:
                if t == "n":
                    value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                    if s in dates:
                        value = _date(value, book, s)
                elif t == "s":
                    value = strings[int(value)]
                elif t == "b":
                    value = bool(int(value))
                elif t == "d":
                    from openpyxl.utils.datetime import from_ISO8601

                    value = from_ISO8601(value)
            elif t == "inlineStr":
                child = c.find(is_tag)
                if child is not None:
                    value = _text(child)
            cells.append((crow, col_no, value, s))  # data_only: a formula's value is its cached <v>
        row.clear()
        if row_no < counter:
            continue  # read_only iter_rows drops a row numbered before the one it expects
        counter = row_no + 1
        if not cells:
            continue
        last = cells[-1][1]
        kept: dict[int, tuple] = {}
        for crow, col, value, s in cells:
            if 1 <= col <= last:
                kept[col] = (crow, col, value, s)
        for col in sorted(kept):
            crow, col, value, s = kept[col]
            if value is not None:
                yield crow, col, value, formats[s]


def _date(value, book: Book, style: int):
    try:
        return _from_excel(value, _MAC_EPOCH if book.date1904 else _WINDOWS_EPOCH, timedelta=style in book.deltas)
    except (OverflowError, ValueError):
        return "#VALUE!"


_WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
_MAC_EPOCH = dt.datetime(1904, 1, 1)


def _from_excel(value, epoch: dt.datetime, timedelta: bool = False):
    """openpyxl's from_excel: an Excel serial number as a datetime, time or duration."""
    if timedelta:
        td = dt.timedelta(days=value)
        if td.microseconds:  # round to millisecond precision
            td = dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, seconds = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return dt.time(hours, mins, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == _WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + diff
