"""Parsers on real files: grids, merged cells, nested tables, headings, PDF text and tables, legacy conversion."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import needs_soffice
from test_read_helpers import add_table, to_docx, to_xls, to_xlsx

from checker.api import read_document
from checker.core.config import load_config
from checker.reading.parsers import read_bytes
from checker.reading.parsers.pdf import fix_spaces

CFG = load_config()


# ---- docx -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def docx_raw():
    d = docx.Document()
    d.add_heading("项目支出绩效评价报告", level=0)
    d.add_heading("一、基本情况", level=1)
    d.add_paragraph("（一）项目概况")
    d.add_paragraph("本项目于2023年实施。")
    d.add_paragraph("1.项目立项背景：根据区政府安排，本项目用于改善农村供水条件，覆盖4个乡镇23个行政村，受益人口2万人。")
    d.add_paragraph("1.完成了管网改造、蓄水池新建和智能水表更换等多项工作，全年累计投入资金805万元，受益群众满意度达到92%，各项指标全部完成。")
    t = add_table(d, [
        ["项目名称", "农村供水", "<", "<"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "管网长度", "≥45公里"],
        ["^", "^", "水表数量", "≥2800块"],
        ["^", "质量指标", "合格率", "=100%"],
    ])
    inner = t.cell(0, 3).add_table(rows=2, cols=2)  # a table nested in a cell
    inner.cell(0, 0).text, inner.cell(0, 1).text = "子表", "内容"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "甲", "乙"
    d.add_paragraph("二、绩效评价工作开展情况")
    d.add_table(rows=1, cols=2).cell(0, 0).text = "末表"
    b = io.BytesIO()
    d.save(b)
    return read_bytes(b.getvalue(), "r.docx", CFG)


def test_docx_reading_order_and_locations(docx_raw):
    texts = [p.text for p in docx_raw.paragraphs]
    assert texts[:3] == ["项目支出绩效评价报告", "一、基本情况", "（一）项目概况"]
    assert [p.location.paragraph for p in docx_raw.paragraphs] == list(range(1, len(texts) + 1))
    assert texts[-1] == "二、绩效评价工作开展情况"


def test_docx_heading_levels(docx_raw):
    levels = {p.text[:8]: p.level for p in docx_raw.paragraphs}
    assert levels["一、基本情况"] == 1  # Heading 1 style and 一、
    assert levels["（一）项目概况"] == 2  # numbering only
    assert levels["本项目于2023年实施。"[:8]] is None
    assert levels["1.项目立项背景：根据"[:8]] == 3  # short first clause makes a heading
    assert levels["1.完成了管网改造、蓄水"[:8]] is None  # a long numbered sentence is a list item
    assert docx_raw.paragraphs[1].style == "Heading 1"


def test_docx_merged_cells(docx_raw):
    t = docx_raw.tables[0]
    assert t.location.table == 1
    assert t.rows[0][:2] == ["项目名称", "农村供水"]  # horizontal merge: one cell
    assert t.spans[0][1] == 3
    assert t.rows[3][:3] == ["产出指标", "数量指标", "水表数量"]  # vertical merges filled down
    assert t.rows[4][:2] == ["产出指标", "质量指标"]


def test_docx_nested_table_read_separately(docx_raw):
    assert [t.location.table for t in docx_raw.tables] == [1, 2, 3]
    assert docx_raw.tables[1].rows == [["子表", "内容"], ["甲", "乙"]]
    assert docx_raw.tables[2].rows[0][0] == "末表"
    # the nested table's text is not glued into the parent cell
    assert "子表" not in docx_raw.tables[0].rows[0][-1]


# ---- xlsx / xls ------------------------------------------------------------------------


def test_xlsx_grid_merges_formats_and_hidden_sheets():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws.append(["项目名称", "城市绿化", None, None, None])
    ws.append(["执行率", 0.9858, "日期", None, "=100%"])
    ws.append(["年度指标值", "≥38%", None, None, None])
    ws.append([None, None, None, None, None])
    ws.merge_cells("B1:D1")
    ws.merge_cells("A3:A4")
    ws["B2"].number_format = "0.00%"
    import datetime

    ws["D2"] = datetime.datetime(2024, 3, 15)
    hidden = wb.create_sheet("下拉选项")
    hidden.append(["确定能", "有可能"])
    hidden.sheet_state = "hidden"
    b = io.BytesIO()
    wb.save(b)
    raw = read_bytes(b.getvalue(), "g.xlsx", CFG)
    assert len(raw.tables) == 1
    rows = raw.tables[0].rows
    assert rows[0] == ["项目名称", "城市绿化", "城市绿化", "城市绿化", ""]  # merged across, Excel columns kept
    assert rows[1] == ["执行率", "98.58%", "日期", "2024-03-15", "=100%"]  # % format, date, typed literal
    assert rows[3][0] == "年度指标值"  # merged down
    assert len(rows) == 4 and all(len(r) == 5 for r in rows)


def test_xls_merged_ranges_filled():
    rows = [["项目名称", "农村供水", "<", "<"], ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "管网长度", "≥45公里"],
            ["^", "^", "水表数量", "≥2800块"]]
    raw = read_bytes(to_xls(rows), "t.xls", CFG)
    assert raw.format == "xls"
    assert raw.tables[0].rows[0] == ["项目名称", "农村供水", "农村供水", "农村供水"]
    assert raw.tables[0].rows[3][:3] == ["产出指标", "数量指标", "水表数量"]


def test_xlsx_and_docx_give_the_same_indicators():
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "管网长度", "≥45公里", "46公里", "20", "20"],
            ["^", "^", "水表数量", "≥2800块", "2860块", "20", "20"]]
    a = read_document(to_docx(rows), "a.docx")
    b = read_document(to_xlsx(rows), "b.xlsx")
    assert [i.to_contract() for i in a.indicators] == [i.to_contract() for i in b.indicators]


# ---- pdf -------------------------------------------------------------------------------


def test_fix_spaces():
    assert fix_spaces("年 初 预 算 805.00 万 元 ， 执 行 率 98.53 %") == "年初预算805.00万元，执行率98.53%"
    assert fix_spaces("腹部 B 超") == "腹部B超"
    assert fix_spaces("Word and Excel") == "Word and Excel"


@pytest.fixture(scope="session")
def pdf_doc():
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("b", fontName="STSong-Light", fontSize=11, leading=16, firstLineIndent=22, wordWrap="CJK")
    head = ParagraphStyle("h", fontName="STSong-Light", fontSize=11, leading=16, spaceBefore=8)
    title = ParagraphStyle("t", fontName="STSong-Light", fontSize=16, leading=22, alignment=1)
    long_text = "本项目涉及4个乡镇23个行政村，主要建设内容为老旧供水管网改造、蓄水池新建和智能水表更换，" * 3 + "全年执行793.20万元。"
    story = [
        Paragraph("示范区水务局2023年农村饮水安全工程绩效评价报告", title),
        Spacer(1, 12),
        Paragraph("一、基本情况", head),
        Paragraph("（一）项目概况", head),
        Paragraph(long_text, body),
        Paragraph("（二）项目绩效目标", head),
        Paragraph("改造供水管网45公里，受益人口2万人。", body),
        Spacer(1, 12),
    ]
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "改造供水管网长度", "≥45公里", "46公里", "50", "50"],
            ["", "", "更换智能水表数量", "≥2800块", "2860块", "40", "40"],
            ["总分", "", "", "", "", "100", "99.85"]]
    t = Table(rows)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                           ("SPAN", (0, 1), (0, 2)), ("SPAN", (1, 1), (1, 2)), ("SPAN", (0, 3), (4, 3))]))
    story += [t, Paragraph("二、绩效评价工作开展情况", head), Paragraph("评价组查阅资料并现场查看。", body)]
    b = io.BytesIO()
    SimpleDocTemplate(b, pagesize=A4, invariant=1).build(story)
    return read_document(b.getvalue(), "示范区水务局_2023_项目绩效评价报告.pdf")


def test_pdf_text_paragraphs_without_spaces(pdf_doc):
    texts = [p.text for p in pdf_doc.paragraphs]
    assert texts[0] == "示范区水务局2023年农村饮水安全工程绩效评价报告"
    assert "本项目涉及4个乡镇23个行政村，主要建设内容为老旧供水管网改造" in texts[3]
    assert texts[3].endswith("全年执行793.20万元。")  # wrapped lines joined into one paragraph
    assert all(p.location.page == 1 for p in pdf_doc.paragraphs)
    assert not any("改造供水管网长度" in t for t in texts)  # table text stays in the table


def test_pdf_sections_and_table(pdf_doc):
    assert [(s.level, s.title) for s in pdf_doc.iter_sections()] == [
        (1, "基本情况"), (2, "项目概况"), (2, "项目绩效目标"), (1, "绩效评价工作开展情况")]
    assert pdf_doc.pages == 1
    inds = pdf_doc.indicators
    assert [(i.level1, i.level2, i.name, i.target, i.actual, i.weight) for i in inds] == [
        ("产出指标", "数量指标", "改造供水管网长度", "≥45公里", "46公里", 50),
        ("产出指标", "数量指标", "更换智能水表数量", "≥2800块", "2860块", 40),  # spanned cells filled
    ]
    assert inds[0].location.page == 1 and inds[0].location.table == 1
    assert pdf_doc.self_score == 99.85
    assert pdf_doc.doc_type == "project_report" and pdf_doc.layout == "goal_setting+embedded" or pdf_doc.layout.endswith("+embedded")
    assert pdf_doc.goals[0].expected == "改造供水管网45公里，受益人口2万人。"


# ---- legacy formats through LibreOffice ----------------------------------------------------


@needs_soffice
@pytest.mark.libreoffice
def test_doc_and_wps_via_libreoffice(tmp_path: Path):
    rows = [["项目名称", "农村供水", "<", "<"], ["一级指标", "二级指标", "三级指标", "年度指标值"],
            ["产出指标", "数量指标", "管网长度", "≥45公里"], ["^", "^", "水表数量", "≥2800块"]]
    src = tmp_path / "t.docx"
    # Word always ends a document with a paragraph; LibreOffice drops a table that ends it
    src.write_bytes(to_docx(rows, before=["项目支出绩效目标表"], after=["填报日期：2024年3月1日"]))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=120)
    data = (tmp_path / "t.doc").read_bytes()
    for name, fmt in (("t.doc", "doc"), ("t.wps", "wps")):
        d = read_document(data, name)
        assert d.format == fmt
        assert d.project == "农村供水"
        assert [(i.level1, i.name, i.target) for i in d.indicators] == [("产出指标", "管网长度", "≥45公里"), ("产出指标", "水表数量", "≥2800块")]


def test_docx_automatic_numbering_becomes_text():
    """Headings numbered by Word's list numbering (not typed) still give 一、/（一）/1. sections."""
    from docx.oxml import parse_xml

    d = docx.Document()
    numbering = d.part.numbering_part.element
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.append(parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def item(text, level):
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    item("基本情况", 0)
    item("项目概况", 1)
    d.add_paragraph("本项目覆盖4个乡镇。")
    item("项目绩效目标", 1)
    item("立项依据", 2)
    item("绩效评价工作开展情况", 0)
    item("评价目的", 1)
    b = io.BytesIO()
    d.save(b)
    doc = read_document(b.getvalue(), "auto.docx")
    assert [p.text for p in doc.paragraphs][:3] == ["一、基本情况", "（一）项目概况", "本项目覆盖4个乡镇。"]
    assert [(s.level, s.number, s.title) for s in doc.iter_sections()] == [
        (1, "一", "基本情况"), (2, "（一）", "项目概况"), (2, "（二）", "项目绩效目标"), (3, "1", "立项依据"),
        (1, "二", "绩效评价工作开展情况"), (2, "（一）", "评价目的")]
    assert doc.sections[0].children[0].text == "本项目覆盖4个乡镇。"


def test_heading_styles_without_numbers_make_sections():
    d = docx.Document()
    d.add_heading("项目绩效评价报告", level=0)
    d.add_heading("基本情况", level=1)
    d.add_heading("项目概况", level=2)
    d.add_paragraph("项目覆盖4个乡镇。")
    d.add_heading("存在的问题", level=1)
    d.add_paragraph("资金拨付偏慢。")
    b = io.BytesIO()
    d.save(b)
    doc = read_document(b.getvalue(), "styled.docx")
    assert [(s.level, s.title, s.text) for s in doc.iter_sections()] == [
        (1, "基本情况", ""), (2, "项目概况", "项目覆盖4个乡镇。"), (1, "存在的问题", "资金拨付偏慢。")]


def test_xlsx_formatting_far_away_does_not_stretch_the_grid():
    from openpyxl.styles import PatternFill

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称", "测试项目", "=100%"])
    ws.cell(300000, 60).fill = PatternFill("solid", fgColor="FFFF00")  # formatted, empty
    b = io.BytesIO()
    wb.save(b)
    raw = read_bytes(b.getvalue(), "wide.xlsx", CFG)
    assert raw.tables[0].rows == [["项目名称", "测试项目", "=100%"]]


def test_pdf_table_without_rules_gives_a_notice():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    t = Table([["一级指标", "二级指标", "三级指标", "年度指标值"], ["产出指标", "数量指标", "管网长度", "≥45公里"]])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light")]))  # no GRID: no ruling lines
    b = io.BytesIO()
    SimpleDocTemplate(b, invariant=1).build([t])
    doc = read_document(b.getvalue(), "nolines.pdf")
    assert doc.indicators == []
    assert any("框线" in n for n in doc.notices)


def test_html_table_saved_as_xls_in_gbk():
    """Finance systems often export an HTML table with a .xls name, in GBK."""
    html = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>导出</title></head>
<body><p>项目支出绩效自评表</p><p>（2023年度）</p>
<table border=1>
<tr><td>项目名称</td><td colspan=3>城区道路维护</td></tr>
<tr><td>主管部门</td><td>示范区住建局</td><td>实施单位</td><td>示范区市政所</td></tr>
<tr><td>一级指标</td><td>二级指标</td><td>三级指标</td><td>年度指标值</td></tr>
<tr><td rowspan=2>产出指标</td><td rowspan=2>数量指标</td><td>维护里程</td><td>&ge;30公里</td></tr>
<tr><td>修补面积</td><td>&gt;=5000平方米</td></tr>
</table></body></html>"""
    data = html.encode("gb18030")
    doc = read_document(data, "导出.xls")
    assert doc.format == "html"
    assert doc.project == "城区道路维护" and doc.unit == "示范区市政所" and doc.year == 2023
    assert [(i.level1, i.level2, i.name, i.target) for i in doc.indicators] == [
        ("产出指标", "数量指标", "维护里程", "≥30公里"), ("产出指标", "数量指标", "修补面积", ">=5000平方米")]
    assert doc.indicators[1].target_value.sign == "≥"
    assert doc.layout == "goal_setting" and doc.doc_type == "self_eval_table"


def test_docx_text_box_read_once():
    from docx.oxml import parse_xml

    d = docx.Document()
    p = d.add_paragraph("正文开始")
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')
    p._p.append(parse_xml(
        f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:t>框内文字</w:t></mc:Choice>'
        '<mc:Fallback><w:t>框内文字</w:t></mc:Fallback></mc:AlternateContent></w:r>'))
    b = io.BytesIO()
    d.save(b)
    raw = read_bytes(b.getvalue(), "box.docx", CFG)
    assert raw.paragraphs[0].text == "正文开始框内文字"


@needs_soffice
@pytest.mark.libreoffice
def test_ods_via_libreoffice(tmp_path: Path):
    rows = [["项目名称", "农村供水", "<", "<"], ["一级指标", "二级指标", "三级指标", "年度指标值"],
            ["产出指标", "数量指标", "管网长度", "≥45公里"], ["^", "^", "水表数量", "≥2800块"]]
    src = tmp_path / "t.xlsx"
    src.write_bytes(to_xlsx(rows))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=120)
    d = read_document((tmp_path / "t.ods").read_bytes(), "t.ods")
    assert d.format == "ods"
    assert [(i.level1, i.name, i.target) for i in d.indicators] == [("产出指标", "管网长度", "≥45公里"), ("产出指标", "水表数量", "≥2800块")]
