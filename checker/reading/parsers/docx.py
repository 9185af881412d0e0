"""Read .docx with python-docx: body paragraphs and tables in reading order.

Tables are walked at the XML level (w:tr / w:tc) so horizontal merges (gridSpan) give
one cell and vertical merges (vMerge) are filled down from the cell above. Nested
tables are read as separate tables, numbered after their parent.
"""

from __future__ import annotations

import io
from functools import lru_cache

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.document import Location, Paragraph, RawDocument, Table
from checker.core.limits import Limits, limits_of, too_large
from checker.reading.parsers.common import clean_cell, heading_level, safe_package
from checker.reading.parsers.numbering import Numbering, style_numbering

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _text_of(p) -> str:
    """Text of a w:p: runs, tabs and breaks; skips deleted text, field codes and the
    mc:Fallback copy of text boxes (they come twice: Choice and Fallback)."""
    out: list[str] = []

    def walk(el):
        for child in el:
            tag = child.tag
            if tag == MC + "Fallback":
                continue
            if tag == W + "t":
                out.append(child.text or "")
            elif tag == W + "tab":
                out.append("\t")
            elif tag in (W + "br", W + "cr"):
                out.append("\n")
            elif len(child):
                walk(child)

    walk(p)
    return "".join(out)


def _python_docx_numbering(doc):
    try:
        return doc.part.numbering_part.element
    except Exception:  # no numbering part
        return None


def _python_docx_styles(doc) -> dict[str, str]:
    names: dict[str, str] = {}
    try:
        for st in doc.styles:
            if st.style_id:
                names[st.style_id] = st.name or st.style_id
    except Exception:
        pass
    return names


# python-docx's UI names for built-in styles (docx.styles.BabelFish), so style names read
# directly match the ones python-docx gives
_UI_NAMES = {"caption": "Caption", "footer": "Footer", "header": "Header", **{f"heading {i}": f"Heading {i}" for i in range(1, 10)}}


def _style_names(styles) -> dict[str, str]:
    """Style id -> name from the w:styles element, as `_python_docx_styles` gives them: the same
    UI names, and stopping where python-docx raises (a style without a known w:type, a w:name
    without w:val), keeping the names before it."""
    names: dict[str, str] = {}
    for st in styles.findall(W + "style"):
        if st.get(W + "type") not in ("paragraph", "character", "table", "numbering"):
            break  # StyleFactory: KeyError / ValueError
        sid = st.get(W + "styleId")
        if sid:
            name_el = st.find(W + "name")
            if name_el is None:
                name = None
            else:
                name = name_el.get(W + "val")
                if name is None:
                    break  # a required attribute missing: python-docx raises
                name = _UI_NAMES.get(name, name)
            names[sid] = name or sid
    return names


class _Reader:
    def __init__(self, numbering: Numbering, style_names: dict[str, str], limits: Limits | None = None):
        self.limits = limits or Limits()
        self.chars = 0
        self.numbering = numbering
        self.paragraphs: list[Paragraph] = []
        self.tables: list[Table] = []
        self.style_names = style_names

    @staticmethod
    def _style_id(p) -> str | None:
        ps = p.find(f"{W}pPr/{W}pStyle")
        return ps.get(W + "val") if ps is not None else None

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
                label = self.numbering.label(child, self._style_id(child))  # counts empty items too, as Word does
                text = clean_cell(_text_of(child))
                if not text:
                    continue
                self._count(text)
                if label and not text.startswith(label.strip()):
                    text = label.strip() + text
                style = self.style_of(child)
                n = len(self.paragraphs) + 1
                self.paragraphs.append(Paragraph(text, Location(paragraph=n), style, heading_level(text, style)))
            elif tag == W + "tbl":
                self.table(child)
            elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag"):
                self.walk(child)

    def _count(self, text: str) -> None:
        self.chars += len(text)
        if self.chars > self.limits.max_chars:
            raise too_large(f"文件文字超过 {self.limits.max_chars} 个字符")

    def table(self, tbl, depth: int = 1) -> None:
        if depth > self.limits.max_table_depth:
            raise too_large(f"文件中表格嵌套超过 {self.limits.max_table_depth} 层")
        max_cells = self.limits.max_cells
        width = 0
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
                    col += max(0, _int(gb.get(W + "val")))
            for tc in self._cells(tr):
                tcpr = tc.find(W + "tcPr")
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(W + "gridSpan")
                    if gs is not None:
                        span = max(1, _int(gs.get(W + "val"), 1))
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
                self._count(text)
                # decided before the span is walked: a gridSpan of 2,000,000,000 is refused here
                if (col + span) * (len(rows) + 1) > max_cells:
                    raise too_large(f"文件第{index}个表格合并后有 {len(rows) + 1} 行 × {col + span} 列（上限 {max_cells} 个单元格）")
                if vmerge == "continue":
                    text = above.get(col, text)
                for c in range(col, col + span):
                    above[c] = text
                row.append(text)
                span_row.append(span)
                col += span
            rows.append(row)
            spans.append(span_row)
            width = max(width, col)
            if width * len(rows) > max_cells:
                raise too_large(f"文件第{index}个表格合并后有 {len(rows)} 行 × {width} 列（上限 {max_cells} 个单元格）")
        placeholder.rows, placeholder.spans = rows, spans
        for el in nested:
            self.table(el, depth + 1)

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


def _int(v, default: int = 0) -> int:
    try:
        return int(str(v).strip())
    except (TypeError, ValueError):
        return default


def read_docx(data: bytes, config: Config) -> RawDocument:
    """Read the package's parts directly (checker.reading.parsers.opc); a package that is not the plain
    case is opened with python-docx instead, as before."""
    from checker.reading.parsers.common import inflate_package, package_of
    from checker.reading.parsers.opc import NotPlain, open_docx

    parts = inflate_package(data, config, required="word/document.xml")
    try:
        word = open_docx(parts)
        names, style_num = _styles_info(word.styles)
        numbering = Numbering(_numbering_root(word.numbering), style_num=style_num)
    except NotPlain:
        return _read_with_python_docx(package_of(parts), config)
    r = _Reader(numbering, names, limits_of(config))
    r.walk(word.body)
    return RawDocument("docx", r.paragraphs, r.tables)


@lru_cache(maxsize=16)
def _styles_info(xml: bytes) -> tuple[dict[str, str], dict]:
    """(style names, numbering of styles) of a styles part; documents made from one template
    share it byte for byte, so it is parsed once per process. Never to be changed by a caller."""
    from checker.reading.parsers.opc import NotPlain, parse

    root = parse(xml)
    if root.tag != W + "styles":
        raise NotPlain("styles root")
    return _style_names(root), style_numbering(root)


def _numbering_root(xml: bytes | None):
    if xml is None:
        return None
    from checker.reading.parsers.opc import parse

    return parse(xml)


def _read_with_python_docx(package: bytes, config: Config) -> RawDocument:
    import docx

    try:
        doc = docx.Document(io.BytesIO(package))
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("corrupt_file", f"Word 文件已损坏或不完整，无法打开（{type(exc).__name__}）。请重新导出后再提交。") from exc
    r = _Reader(Numbering(_python_docx_numbering(doc), lambda: doc.styles.element), _python_docx_styles(doc), limits_of(config))
    r.walk(doc.element.body)
    return RawDocument("docx", r.paragraphs, r.tables)


def read_docx_with_python_docx(data: bytes, config: Config) -> RawDocument:
    """The reader before the direct one (python-docx opens the package): the fallback, and the
    reference the direct reader is tested against."""
    return _read_with_python_docx(safe_package(data, config, required="word/document.xml"), config)
