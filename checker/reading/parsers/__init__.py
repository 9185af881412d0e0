"""Parsers: bytes → RawDocument. `read_bytes` is the one entry point.

The format comes from the bytes (`sniff.sniff_format`); the name only breaks ties
(.wps/.et are OLE files like .doc/.xls). Any unexpected failure inside a parser
becomes ReadError('corrupt_file') with a Chinese message, never a traceback.
"""

from __future__ import annotations

from pathlib import PurePath

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.limits import limits_of, mb, too_large
from checker.core.safetext import has_unsafe, safe_text
from checker.core.document import RawDocument
from checker.reading.parsers.sniff import is_encrypted_ole, sniff_format

__all__ = ["read_bytes", "sniff_format"]


def _suffix(name: str | None) -> str:
    if not name:
        return ""
    return PurePath(name.split("!")[-1]).suffix.lower().lstrip(".")


def read_bytes(data: bytes, name: str | None, config: Config) -> RawDocument:
    if not data:
        raise ReadError("empty_file")
    lim = limits_of(config)
    if len(data) > lim.file_bytes:
        raise too_large(f"文件大小 {mb(len(data))}（上限 {mb(lim.file_bytes)}）")
    try:
        encrypted = is_encrypted_ole(data)
    except Exception:  # a hostile OLE header: let the reader below report it
        encrypted = False
    if encrypted:
        raise ReadError("encrypted", "文件设有打开密码（加密的 Office 文件），无法读取。请去除密码后重新提交。")
    fmt = sniff_format(data)
    suffix = _suffix(name)
    try:
        raw = _dispatch(data, fmt, suffix, config)
        _check_size(raw, lim)
    except ReadError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise ReadError("too_large", "文件过大或结构嵌套过深，读取时超出内存上限，已拒绝读取。") from exc
    except Exception as exc:  # a malformed file must not surface as a traceback
        raise ReadError("corrupt_file", f"文件已损坏或格式异常，无法读取（{type(exc).__name__}）。请重新导出后再提交。") from exc
    raw.file_name = name
    if not raw.paragraphs and not any(any(c.strip() for c in row) for t in raw.tables for row in t.rows):
        raise ReadError("no_content")
    return raw


def _check_size(raw: RawDocument, lim) -> None:
    """Whatever the format, the text and grids handed to the rules stay within the limits:
    control characters and bidi overrides removed (they break terminals and Excel output),
    a cell or paragraph longer than max_cell_chars cut there with a notice (no text rule
    then sees more, whatever its cost per character), the table grids and total text bounded."""
    chars, cut = 0, 0
    n = lim.max_cell_chars

    def fix(text: str) -> str:
        nonlocal chars, cut
        if has_unsafe(text):
            text = safe_text(text)
        if len(text) > n:
            text, cut = text[:n], cut + 1
        chars += len(text)
        return text

    for p in raw.paragraphs:
        p.text = fix(p.text)
    for t in raw.tables:
        width = max((sum(t.spans[i]) if t.spans and i < len(t.spans) else len(r) for i, r in enumerate(t.rows)), default=0)
        if width * len(t.rows) > lim.max_cells:
            raise too_large(f"文件中的表格有 {len(t.rows)} 行 × {width} 列（上限 {lim.max_cells} 个单元格）")
        t.rows = [[fix(c) for c in r] for r in t.rows]
    if chars > lim.max_chars:
        raise too_large(f"文件文字共 {chars} 个字符（上限 {lim.max_chars} 个）")
    if cut:
        raw.notices.append(f"文件中有 {cut} 处段落或单元格超过 {n} 个字符，只检查了每处的前 {n} 个字符。")


def _ocr(config: Config) -> bool:
    from checker.reading.ocr import enabled

    return enabled(config)


def _dispatch(data: bytes, fmt: str, suffix: str, config: Config) -> RawDocument:
    if fmt == "docx":
        from checker.reading.parsers.docx import read_docx

        return read_docx(data, config)
    if fmt == "xlsx":
        from checker.reading.parsers.xlsx import read_xlsx

        return read_xlsx(data, config)
    if fmt == "pdf":
        from checker.reading.parsers.pdf import read_pdf

        try:
            raw = read_pdf(data, config)
        except ReadError as err:
            if err.code != "needs_ocr" or not _ocr(config):
                raise
            from checker.reading.ocr.reader import read_scanned_pdf

            return read_scanned_pdf(data, config)
        if raw.image_pages and _ocr(config):
            from checker.reading.ocr.reader import add_scanned_pages

            return add_scanned_pages(raw, data, config)
        return raw
    if fmt in ("png", "jpg", "tif", "bmp"):  # a scanned or photographed page
        if not _ocr(config):
            raise ReadError("needs_ocr", "图片文件需要文字识别（OCR）才能读取，本机未安装识别组件。请安装完整版（make run 会自动安装）或提交可编辑的原文件。")
        from checker.reading.ocr.reader import read_image_file

        return read_image_file(data, fmt, config)
    if fmt == "xls":
        from checker.reading.parsers.xlsx import read_xls

        try:
            raw = read_xls(data, config)
        except ReadError as err:
            if err.code in ("encrypted", "too_large"):
                raise
            raw = None  # xlrd could not read it: let LibreOffice try
        if raw is not None:
            if suffix == "et":
                raw.format = "et"
            return raw
        from checker.reading.parsers.legacy import convert_and_read
        from checker.reading.parsers.ole import vet_doc

        vet_doc(data)
        return convert_and_read(data, "et" if suffix == "et" else "xls", config)
    if fmt == "html":  # an HTML table saved as .xls/.doc by a finance system
        from checker.reading.parsers.html import read_html

        from checker.core.limits import limits_of

        return read_html(data, limits=limits_of(config))
    if fmt in ("doc", "odt", "ods", "rtf"):
        from checker.reading.parsers.legacy import convert_and_read

        if fmt == "doc":
            from checker.reading.parsers.ole import vet_doc

            vet_doc(data)  # truncated or hollow: LibreOffice would make an empty document of it

        src = "wps" if fmt == "doc" and suffix in ("wps", "wpt") else fmt
        return convert_and_read(data, src, config)
    raise ReadError("unsupported_format")
