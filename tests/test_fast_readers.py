"""The direct .docx reader (checker.reading.parsers.opc + docx) gives exactly what the python-docx reader
gives: the same paragraphs, styles, numbering and tables on every sample, on real documents made
by python-docx and LibreOffice, on the hostile shapes, and on packages python-docx reads its own
way (no styles part, broken parts, odd relationships) — where it falls back to python-docx.
The direct .xlsx reader (checker.reading.parsers.xlsx_fast) likewise gives what openpyxl gives."""

from __future__ import annotations

import io
import zipfile

import docx
import hostile
import pytest

from checker.core.config import load_config
from checker.core.errors import ReadError
from checker.reading.parsers.docx import read_docx, read_docx_with_python_docx
from checker.reading.parsers.common import inflate_package
from checker.reading.parsers.opc import NotPlain, open_docx
from conftest import SAMPLES, needs_soffice
from test_read_helpers import to_docx

CFG = load_config()


def outcome(read, data: bytes):
    try:
        raw = read(data, CFG)
    except ReadError as err:
        return ("error", err.code, err.message)
    except Exception as exc:  # read_bytes turns these into corrupt_file with the type's name
        return ("raised", type(exc).__name__)
    return (
        [(p.text, p.location, p.style, p.level) for p in raw.paragraphs],
        [(t.rows, t.spans, t.location) for t in raw.tables],
        raw.notices,
    )


def same(data: bytes) -> None:
    assert outcome(read_docx, data) == outcome(read_docx_with_python_docx, data)


def direct(data: bytes) -> bool:
    """True when the direct reader reads the package itself (no fallback)."""
    try:
        open_docx(inflate_package(data, CFG))
    except NotPlain:
        return False
    return True


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.docx")), ids=lambda p: p.name[:3])
def test_samples_read_the_same(path):
    data = path.read_bytes()
    assert direct(data)
    same(data)


def _listed() -> bytes:
    """Headings, Word's own list numbering (styles that carry numbering) and merged cells."""
    d = docx.Document()
    d.add_heading("项目支出绩效评价报告", 0)
    d.add_heading("一、基本情况", 1)
    for style in ("List Number", "List Number", "List Bullet", "List Number 2", "List Number"):
        d.add_paragraph(f"{style} 条目", style=style)
    d.add_paragraph("（一）项目概况", style="Heading 2")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "合并标题"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "纵向合并"
    t.cell(1, 1).text, t.cell(2, 2).text = "甲", "乙"
    b = io.BytesIO()
    d.save(b)
    return b.getvalue()


REAL = {
    "headings_and_lists": _listed,
    "heading_styles": lambda: to_docx([["项目名称", "测试"], ["一级指标", "<"]], before=["一、总体情况", "（一）目标"], heading_styles=True),
    "plain": hostile.docx_bytes,
    "grid_span": hostile.docx_grid_span,
    "nested_60": lambda: hostile.docx_nested_tables(60),
    "nested_3": lambda: hostile.docx_nested_tables(3),
    "long_cell": lambda: hostile.docx_long_cell("1" * 50_000),
    "control_chars": hostile.docx_control_chars,
    "media_ignored": lambda: hostile.streamed_member(hostile.docx_bytes(), "word/media/image9.png", 3, b"\0"),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_documents_read_the_same(name):
    data = REAL[name]()
    assert direct(data)
    same(data)


def _part(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def _without(data: bytes, name: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as zf:
        for item in src.infolist():
            if item.filename != name:
                zf.writestr(item.filename, src.read(item.filename))
    return b.getvalue()


def _edit(name: str, old: str, new: str, count: int = 1):
    def make() -> bytes:
        base = _listed()
        text = _part(base, name)
        assert old in text, (name, old)
        return hostile.repack(base, {name: text.replace(old, new, count).encode()})

    return make


DOC_RELS = "word/_rels/document.xml.rels"


def _drop_rel(data: bytes, kind: str) -> bytes:
    import re

    text = re.sub(r'<Relationship [^>]*relationships/' + kind + r'"[^>]*/>', "", _part(data, DOC_RELS))
    return hostile.repack(data, {DOC_RELS: text.encode()})

ODD = {
    # python-docx makes up default styles when there is no styles part
    "no_styles_part": lambda: _without(_drop_rel(_listed(), "styles"), "word/styles.xml"),
    "no_styles_relationship": _edit(DOC_RELS, "relationships/styles", "relationships/stylesX"),
    "styles_twice": _edit(DOC_RELS, "<Relationship ", '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/'
                          'officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship '),
    "numbering_external": _edit(DOC_RELS, 'Target="numbering.xml"', 'Target="http://example.invalid/n.xml" TargetMode="External"'),
    "no_numbering_part": lambda: _without(_drop_rel(_listed(), "numbering"), "word/numbering.xml"),
    "broken_settings": _edit("word/settings.xml", "</w:settings>", "<w:x>"),
    "broken_core_properties": _edit("docProps/core.xml", "</cp:coreProperties>", ""),
    "no_content_type_for_xml": _edit("[Content_Types].xml", 'Extension="xml"', 'Extension="xmlx"'),
    "missing_target": _edit(DOC_RELS, 'Target="settings.xml"', 'Target="gone.xml"'),
    "style_without_type": _edit("word/styles.xml", 'w:type="paragraph"', "", 3),
    "style_name_without_val": _edit("word/styles.xml", '<w:name w:val="heading 1"/>', "<w:name/>"),
    "bad_ilvl_in_a_style": _edit("word/styles.xml", '<w:numId w:val="', '<w:ilvl w:val="x"/><w:numId w:val="'),
    "bad_ilvl_in_numbering": _edit("word/numbering.xml", 'w:ilvl="0"', 'w:ilvl="z"'),
    "blank_num_id": _edit("word/numbering.xml", '<w:num w:numId="1">', '<w:num w:numId="">'),
    "main_part_not_document": _edit("[Content_Types].xml", "document.main+xml", "template.main+xml"),
    "no_body": _edit("word/document.xml", "<w:body>", "<w:bodyX>"),
    "no_body_end": lambda: _edit("word/document.xml", "</w:body>", "</w:bodyX>")(),
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_packages_get_what_python_docx_gives(name):
    same(ODD[name]())


def test_odd_packages_that_need_python_docx_fall_back():
    for name in ("no_styles_part", "no_styles_relationship", "styles_twice", "broken_settings", "missing_target",
                 "main_part_not_document", "no_body"):
        assert not direct(ODD[name]()), name


@needs_soffice
@pytest.mark.libreoffice
def test_documents_made_by_libreoffice_read_the_same():
    from checker.reading.parsers.legacy import convert

    for src in sorted(SAMPLES.glob("*.doc")):
        data = convert(src.read_bytes(), "doc", "docx", CFG)
        assert direct(data), src.name
        same(data)
    data = convert(next(SAMPLES.glob("s09_*.docx")).read_bytes(), "docx", "docx", CFG)
    same(data)


# ---- .xlsx: the second reading for literal formulas only where one may be -----------------------


def _workbook(cells: dict) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for ref, v in cells.items():
        ws[ref] = v
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def _xlsx_outcome(data: bytes, shortcut: bool, monkeypatch):
    from checker.reading.parsers import xlsx

    if not shortcut:
        monkeypatch.setattr(xlsx, "_may_have_literal_formulas", lambda data, lim: True)
    try:
        raw = xlsx.read_xlsx(data, CFG)
    except ReadError as err:
        return ("error", err.code, err.message)
    finally:
        monkeypatch.undo()
    return [(t.rows, t.sheet, t.location) for t in raw.tables], raw.notices


WORKBOOKS = {
    "literal_percent": lambda: _workbook({"A1": "项目名称", "B1": "测试", "A2": "满意度", "B2": "=100%", "C2": "=SUM(1,2)"}),
    "literal_people": lambda: _workbook({"A1": "项目名称", "B1": "=0人"}),
    "references": lambda: _workbook({"A1": "项目名称", "B1": 1, "B2": "=B1*2", "B3": "=B1>0"}),
    "plain_formulas": lambda: _workbook({"A1": "项目名称", "B1": 3, "B2": "=B1*2", "B3": "=SUM(B1:B2)"}),
    "uncached": hostile.xlsx_uncached_formulas,
    **{p.name[:3]: p.read_bytes for p in sorted(SAMPLES.glob("*.xlsx"))},
}


@pytest.mark.parametrize("name", sorted(WORKBOOKS))
def test_xlsx_literal_formula_shortcut_reads_the_same(name, monkeypatch):
    data = WORKBOOKS[name]()
    assert _xlsx_outcome(data, True, monkeypatch) == _xlsx_outcome(data, False, monkeypatch)


def test_xlsx_shortcut_is_taken_only_without_a_possible_literal():
    from checker.core.limits import limits_of
    from checker.reading.parsers.xlsx import _may_have_literal_formulas

    def may(data: bytes) -> bool:
        return _may_have_literal_formulas(inflate_package(data, CFG), limits_of(CFG))

    assert not may(next(SAMPLES.glob("s06_*.xlsx")).read_bytes())  # formulas, none a literal: one reading
    assert not may(WORKBOOKS["plain_formulas"]())
    assert may(WORKBOOKS["literal_percent"]()) and may(WORKBOOKS["literal_people"]())
    assert may(WORKBOOKS["references"]())  # an escaped character (&gt;) is looked at by the second reading


# ---- .xlsx: the direct reader gives what openpyxl gives -------------------------------------------


def _xlsx_same(data: bytes) -> None:
    from checker.reading.parsers.xlsx import read_xlsx, read_xlsx_with_openpyxl

    def xl(read):
        try:
            raw = read(data, CFG)
        except ReadError as err:
            return ("error", err.code, err.message)
        return [(t.rows, t.sheet, t.location) for t in raw.tables], raw.notices

    assert xl(read_xlsx) == xl(read_xlsx_with_openpyxl)


def _xlsx_direct(data: bytes) -> bool:
    from checker.reading.parsers.xlsx_fast import open_book

    try:
        open_book(inflate_package(data, CFG))
    except Exception:
        return False
    return True


def _styled_workbook() -> bytes:
    """Rich text, dates, times, a duration, percentages, a boolean, big numbers, merges, hidden sheets."""
    import datetime as dt

    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "表一"
    ws["A1"], ws["B1"] = "项目名称", CellRichText(["普通", TextBlock(InlineFont(b=True), "加粗"), "结尾"])
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = dt.datetime(2023, 12, 31), dt.date(2024, 1, 5), dt.time(13, 30), dt.timedelta(hours=30)
    ws["D2"].number_format = "[h]:mm:ss"
    ws["A3"], ws["B3"], ws["C3"], ws["D3"] = 0.985, True, 1e16, 12.0
    ws["A3"].number_format = "0.0%"
    ws["A4"], ws["B4"], ws["C4"], ws["D4"] = "x005F_x000D_文字", 45000, 3, -0.5
    ws["B4"].number_format, ws["C4"].number_format, ws["D4"].number_format = 'yyyy"年"m"月"d"日"', '0.00"%"', "0%;[Red]-0%"
    ws.merge_cells("A5:D5")
    ws["A5"] = "合并"
    for title, state in (("隐藏", "hidden"), ("很隐藏", "veryHidden")):
        h = wb.create_sheet(title)
        h["A1"], h.sheet_state = "藏", state
    wb.create_sheet("空")
    t = wb.create_sheet("三")
    t["C7"], t["A1"] = "远", 1
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def _xlsx_edit(old: str, new: str, part: str = "xl/worksheets/sheet1.xml"):
    def make() -> bytes:
        base = _styled_workbook()
        text = _part(base, part)
        assert old in text, (part, old)
        return hostile.repack(base, {part: text.replace(old, new, 1).encode()})

    return make


_A1 = '<c r="A1" t="inlineStr"><is><t>&#39033;&#30446;&#21517;&#31216;</t></is></c>'
XLSX_SHAPES = {
    "styled": _styled_workbook,
    "shared_string": _xlsx_edit(_A1, '<c r="A1" t="s"><v>0</v></c>'),
    "error_value": _xlsx_edit(_A1, '<c r="A1" t="e"><v>#DIV/0!</v></c>'),
    "iso_date": _xlsx_edit(_A1, '<c r="A1" t="d"><v>2023-05-06T00:00:00</v></c>'),
    "cell_without_ref": _xlsx_edit(_A1, '<c t="inlineStr"><is><t>无坐标</t></is></c>'),
    "cells_backwards": _xlsx_edit(_A1 + '<c r="B1"', _A1.replace('"A1"', '"C1"') + '<c r="B1"'),
    "row_repeated": _xlsx_edit('<row r="2"', '<row r="1"'),
    "row_without_number": _xlsx_edit('<row r="2"', "<row"),
    "empty_value": _xlsx_edit(_A1, '<c r="A1"><v></v></c>'),
    "xml_comment": _xlsx_edit(_A1, "<!-- x -->" + _A1),
    "declared_utf8": _xlsx_edit("<worksheet", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet'),
    # where the direct reader hands over to openpyxl
    "style_out_of_range": _xlsx_edit(_A1, '<c r="A1" s="99" t="inlineStr"><is><t>越界</t></is></c>'),
    "string_out_of_range": _xlsx_edit(_A1, '<c r="A1" t="s"><v>999</v></c>'),
    "declared_gbk": _xlsx_edit("<worksheet", '<?xml version="1.0" encoding="GBK"?><worksheet'),
    "dtd": _xlsx_edit("<worksheet", '<!DOCTYPE worksheet [<!ENTITY e "实体">]><worksheet'),
    "strict_namespace": _xlsx_edit("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main",
                                   "xl/workbook.xml"),
    "unknown_sheet_state": _xlsx_edit('state="hidden"', 'state="secret"', "xl/workbook.xml"),
    "uncached_formulas": hostile.xlsx_uncached_formulas,
    "far_cell": hostile.xlsx_far_cell,
    "merge_all": hostile.xlsx_merge_all,
    "huge_numbers": hostile.xlsx_huge_numbers,
    **{p.name[:3]: p.read_bytes for p in sorted(SAMPLES.glob("*.xlsx"))},
}


@pytest.mark.parametrize("name", sorted(XLSX_SHAPES))
def test_xlsx_direct_reader_gives_what_openpyxl_gives(name):
    _xlsx_same(XLSX_SHAPES[name]())


def test_xlsx_direct_reader_reads_the_usual_workbooks_itself():
    for name in ("styled", "shared_string", "iso_date", "cells_backwards", "row_repeated", "xml_comment", "s04", "s05", "s06", "s14"):
        assert _xlsx_direct(XLSX_SHAPES[name]()), name
    for name in ("strict_namespace", "unknown_sheet_state"):
        assert not _xlsx_direct(XLSX_SHAPES[name]()), name


@needs_soffice
@pytest.mark.libreoffice
def test_xlsx_made_by_libreoffice_reads_the_same():
    from checker.reading.parsers.legacy import convert

    for src in sorted(SAMPLES.glob("*.xls")) + sorted(SAMPLES.glob("*.xlsx")):
        data = convert(src.read_bytes(), src.suffix[1:], "xlsx", CFG)
        assert _xlsx_direct(data), src.name
        _xlsx_same(data)


def test_xlsx_direct_reader_copies_of_openpyxl_definitions_match_openpyxl():
    """The direct reader keeps its own copies of openpyxl's number formats, date tests, coordinates and
    serial dates (so reading a workbook does not import openpyxl): the same as the installed openpyxl's."""
    from openpyxl.styles import numbers
    from openpyxl.utils import datetime as xldate
    from openpyxl.utils.cell import coordinate_to_tuple

    from checker.reading.parsers import xlsx_fast as fast

    assert fast.BUILTIN_FORMATS == numbers.BUILTIN_FORMATS
    formats = [*numbers.BUILTIN_FORMATS.values(), 'yyyy"年"m"月"d"日"', "[h]:mm", "[$-804]0.00", '0.00"%"', '"day"0', r"\d0", "[mm]:ss", None]
    for f in formats:
        assert fast._is_date_format(f) == numbers.is_date_format(f), f
        assert fast._is_timedelta_format(f) == numbers.is_timedelta_format(f), f

    def either(fn, *args):
        try:
            return fn(*args)
        except Exception:
            return "raised"

    for ref in ("A1", "b7", "XFD1048576", "ZZZ3", "AA10", "a01", "AAAA1", "$A$1", "A", "1"):
        assert either(fast._coord, ref) == either(coordinate_to_tuple, ref), ref
    for v in (0, 0.5, 0.999999999, 1, 59, 60, 61, 45291, 45291.75, 2958465.9999, -1, 1e10):
        for delta in (False, True):
            for epoch in (xldate.WINDOWS_EPOCH, xldate.MAC_EPOCH):
                assert either(fast._from_excel, v, epoch, delta) == either(xldate.from_excel, v, epoch, delta), (v, delta, epoch)


def test_reading_a_workbook_does_not_import_openpyxl():
    import subprocess
    import sys

    code = ("import sys; from checker.core.config import load_config; from checker.reading.parsers import read_bytes; "
            f"read_bytes(open({str(next(SAMPLES.glob('s04_*.xlsx')))!r}, 'rb').read(), 's04.xlsx', load_config()); "
            "print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
