"""Read .docx with python-docx: body paragraphs and tables in reading order.

Tables are walked at the XML level (w:tr / w:tc) so horizontal merges (gridSpan) give
one cell and vertical merges (vMerge) are filled down from the cell above. Nested
tables are read as separate tables, numbered after their parent.
"""

from __future__ import annotations

import io

from checker.config import Config
from checker.errors import ReadError
from checker.model import Location, Paragraph, RawDocument, Table
from checker.parsers.common import check_zip, clean_cell, heading_level

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text_of(p) -> str:
    """Text of a w:p: runs, tabs and breaks; skips deleted text and field codes."""
    out = []
    for el in p.iter():
        tag = el.tag
        if tag == W + "t":
            out.append(el.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
    return "".join(out)


class _Reader:
    def __init__(self, doc):
        self.doc = doc
        self.paragraphs: list[Paragraph] = []
        self.tables: list[Table] = []
        self.style_names: dict[str, str] = {}
        try:
            for st in doc.styles:
                if st.style_id:
                    self.style_names[st.style_id] = st.name or st.style_id
        except Exception:
            pass

    def style_of(self, p) -> str | None:
        ppr = p.find(W + "pPr")
        if ppr is None:
            return None
        ps = ppr.find(W + "pStyle")
        if ps is None:
            return None
        sid = ps.get(W + "val")
        return self.style_names.get(sid, sid)

    def walk(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "p":
                text = clean_cell(_text_of(child))
                if not text:
                    continue
                style = self.style_of(child)
                n = len(self.paragraphs) + 1
                self.paragraphs.append(Paragraph(text, Location(paragraph=n), style, heading_level(text, style)))
            elif tag == W + "tbl":
                self.table(child)
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
                self.walk(child)

    def table(self, tbl) -> None:
        index = len(self.tables) + 1
        placeholder = Table([], Location(table=index))
        self.tables.append(placeholder)  # parent numbered before its nested tables
        rows: list[list[str]] = []
        spans: list[list[int]] = []
        above: dict[int, str] = {}  # grid column -> text of the cell there in the previous row
        nested = []
        for tr in self._rows(tbl):
            row, span_row = [], []
            col = 0
            trpr = tr.find(W + "trPr")
            if trpr is not None:
                gb = trpr.find(W + "gridBefore")
                if gb is not None:
                    col += int(gb.get(W + "val") or 0)
            for tc in self._cells(tr):
                tcpr = tc.find(W + "tcPr")
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(W + "gridSpan")
                    if gs is not None:
                        span = max(1, int(gs.get(W + "val") or 1))
                    vm = tcpr.find(W + "vMerge")
                    if vm is not None:
                        vmerge = vm.get(W + "val") or "continue"
                parts = []
                for el in tc:
                    if el.tag == W + "p":
                        parts.append(_text_of(el))
                    elif el.tag == W + "tbl":
                        nested.append(el)
                    elif el.tag in (W + "sdt", W + "customXml"):
                        for p in el.iter(W + "p"):
                            parts.append(_text_of(p))
                text = clean_cell("\n".join(parts))
                if vmerge == "continue":
                    text = above.get(col, text)
                for c in range(col, col + span):
                    above[c] = text
                row.append(text)
                span_row.append(span)
                col += span
            rows.append(row)
            spans.append(span_row)
        placeholder.rows, placeholder.spans = rows, spans
        for el in nested:
            self.table(el)

    @staticmethod
    def _rows(tbl):
        for el in tbl:
            if el.tag == W + "tr":
                yield el
            elif el.tag in (W + "sdt", W + "customXml"):
                for sub in el.iter(W + "tr"):
                    yield sub

    @staticmethod
    def _cells(tr):
        for el in tr:
            if el.tag == W + "tc":
                yield el
            elif el.tag in (W + "sdt", W + "customXml"):
                for sub in el:
                    if sub.tag == W + "sdtContent":
                        yield from (c for c in sub if c.tag == W + "tc")
                    elif sub.tag == W + "tc":
                        yield sub


def read_docx(data: bytes, config: Config) -> RawDocument:
    check_zip(data, config, required="word/document.xml")
    import docx

    try:
        doc = docx.Document(io.BytesIO(data))
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("corrupt_file", f"Word 文件已损坏或不完整，无法打开（{type(exc).__name__}）。请重新导出后再提交。") from exc
    r = _Reader(doc)
    r.walk(doc.element.body)
    return RawDocument("docx", r.paragraphs, r.tables)
