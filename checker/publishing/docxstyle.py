"""Formal Chinese government document style for the Word files jxcheck drafts.

Follows the usual 党政机关公文格式 (GB/T 9704) where python-docx can: A4, 3号仿宋 body,
黑体/楷体 headings, a 小标宋/黑体 title, page numbers as “— 1 —” centred in the footer.
Font names are written for East Asian text too, so Word and LibreOffice pick them
when installed and substitute a CJK font otherwise.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

BODY_FONT = "仿宋"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体"
TITLE_FONT = "方正小标宋简体"
BODY_PT = 16  # 三号
TABLE_PT = 10.5  # 五号


def _set_font(run, name: str, size: float | None = None, bold: bool | None = None, color: RGBColor | None = None) -> None:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def new_document(landscape: bool = False):
    """A blank A4 document with official margins, body style and page numbers."""
    doc = new_docx()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(297), Mm(210)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28)
    _add_page_number(sec)
    return doc


def _add_page_number(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run("— "), "宋体", 14)
    run = p.add_run()
    _set_font(run, "宋体", 14)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _set_font(p.add_run(" —"), "宋体", 14)


def title(doc, text: str, size: float = 22) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(12)
    _set_font(p.add_run(text), TITLE_FONT, size, bold=False)


def red_header(doc, text: str) -> None:
    """The red 发文机关标志 line of an official document."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run(text), TITLE_FONT, 26, color=RGBColor(0xC0, 0x00, 0x00))


def centered(doc, text: str, size: float = BODY_PT) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run(text), BODY_FONT, size)


def heading(doc, text: str, level: int = 1) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    _set_font(p.add_run(text), HEADING1_FONT if level == 1 else HEADING2_FONT, BODY_PT)


def para(doc, text: str, indent: bool = True, bold_lead: str | None = None) -> None:
    """A body paragraph with a two-character first-line indent; optional bold lead-in."""
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    if bold_lead:
        _set_font(p.add_run(bold_lead), BODY_FONT, BODY_PT, bold=True)
    _set_font(p.add_run(text), BODY_FONT, BODY_PT)


def table(doc, header: list[str], rows: list[list[str]], widths_mm: list[float] | None = None, size: float = TABLE_PT):
    """A bordered table with a bold, repeated header row."""
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        cell.text = ""
        hp = cell.paragraphs[0]
        hp.paragraph_format.line_spacing = 1.0
        _set_font(hp.add_run(text), HEADING1_FONT, size)
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    trpr = t.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for values in rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            cp = cell.paragraphs[0]
            cp.paragraph_format.line_spacing = 1.0
            cp.paragraph_format.first_line_indent = None
            _set_font(cp.add_run(str(text)), BODY_FONT, size)
    if widths_mm:
        # Word and LibreOffice honour column widths only with autofit off and the
        # grid set as well as each cell.
        t.autofit = False
        for col, w in zip(t.columns, widths_mm, strict=False):
            col.width = Mm(w)
        for row in t.rows:
            for cell, w in zip(row.cells, widths_mm, strict=False):
                cell.width = Mm(w)
    return t


def keep_with_next(doc) -> None:
    """Keep the last block (paragraph, or every row of the last table) on the page of what
    follows, so a signature never stands alone on the last page."""
    from docx.table import Table

    body = doc.element.body
    blocks = [el for el in body.iterchildren() if el.tag in (qn("w:p"), qn("w:tbl"))]
    if not blocks:
        return
    last = blocks[-1]
    if last.tag == qn("w:tbl"):
        rows = Table(last, doc).rows
        for row in list(rows)[-2:]:  # the header repeats; the last rows travel with the signature
            trpr = row._tr.get_or_add_trPr()
            if trpr.find(qn("w:cantSplit")) is None:
                trpr.append(OxmlElement("w:cantSplit"))
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True
    else:
        from docx.text.paragraph import Paragraph

        Paragraph(last, doc).paragraph_format.keep_with_next = True


def signature(doc, lines: list[str], align: str = "right", space_before: float = BODY_PT * 2) -> None:
    """Signature block (机关署名, date, or 复核人) kept together and with the text above it."""
    keep_with_next(doc)
    for n, text in enumerate(lines):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
        if n == 0:
            p.paragraph_format.space_before = Pt(space_before)
        if n < len(lines) - 1:
            p.paragraph_format.keep_with_next = True
        _set_font(p.add_run(text), BODY_FONT, BODY_PT)


def to_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
