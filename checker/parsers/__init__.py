"""Parsers: bytes → RawDocument. `read_bytes` is the one entry point.

The format comes from the bytes (`sniff.sniff_format`); the name only breaks ties
(.wps/.et are OLE files like .doc/.xls). Any unexpected failure inside a parser
becomes ReadError('corrupt_file') with a Chinese message, never a traceback.
"""

from __future__ import annotations

from pathlib import PurePath

from checker.config import Config
from checker.errors import ReadError
from checker.model import RawDocument
from checker.parsers.sniff import is_encrypted_ole, sniff_format

__all__ = ["read_bytes", "sniff_format"]


def _suffix(name: str | None) -> str:
    if not name:
        return ""
    return PurePath(name.split("!")[-1]).suffix.lower().lstrip(".")


def read_bytes(data: bytes, name: str | None, config: Config) -> RawDocument:
    if not data:
        raise ReadError("empty_file")
    if is_encrypted_ole(data):
        raise ReadError("encrypted", "文件设有打开密码（加密的 Office 文件），无法读取。请去除密码后重新提交。")
    fmt = sniff_format(data)
    suffix = _suffix(name)
    try:
        raw = _dispatch(data, fmt, suffix, config)
    except ReadError:
        raise
    except MemoryError as exc:
        raise ReadError("too_large", "文件过大，读取时内存不足，已拒绝读取。") from exc
    except Exception as exc:  # a malformed file must not surface as a traceback
        raise ReadError("corrupt_file", f"文件已损坏或格式异常，无法读取（{type(exc).__name__}）。请重新导出后再提交。") from exc
    raw.file_name = name
    if not raw.paragraphs and not any(any(c.strip() for c in row) for t in raw.tables for row in t.rows):
        raise ReadError("no_content")
    return raw


def _dispatch(data: bytes, fmt: str, suffix: str, config: Config) -> RawDocument:
    if fmt == "docx":
        from checker.parsers.docx import read_docx

        return read_docx(data, config)
    if fmt == "xlsx":
        from checker.parsers.xlsx import read_xlsx

        return read_xlsx(data, config)
    if fmt == "pdf":
        from checker.parsers.pdf import read_pdf

        return read_pdf(data, config)
    if fmt == "xls":
        from checker.parsers.xlsx import read_xls

        try:
            raw = read_xls(data, config)
        except ReadError as err:
            if err.code == "encrypted":
                raise
            raw = None  # xlrd could not read it: let LibreOffice try
        if raw is not None:
            if suffix == "et":
                raw.format = "et"
            return raw
        from checker.parsers.legacy import convert_and_read

        return convert_and_read(data, "et" if suffix == "et" else "xls", config)
    if fmt == "html":  # an HTML table saved as .xls/.doc by a finance system
        from checker.parsers.html import read_html

        return read_html(data)
    if fmt in ("doc", "odt", "ods", "rtf"):
        from checker.parsers.legacy import convert_and_read

        src = "wps" if fmt == "doc" and suffix in ("wps", "wpt") else fmt
        return convert_and_read(data, src, config)
    raise ReadError("unsupported_format")
