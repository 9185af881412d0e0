"""Tell the file format from its bytes, never from its name."""

from __future__ import annotations

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def ole_streams(data: bytes) -> set[str]:
    """Names of well-known streams present in an OLE compound file.

    Directory entries hold names as UTF-16LE, so a byte search finds them without a
    full compound-file parser.
    """
    found = set()
    for name in ("WordDocument", "Workbook", "Book", "EncryptionInfo", "EncryptedPackage", "PowerPoint Document"):
        if _utf16(name) in data:
            found.add(name)
    return found


def zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.namelist()
    except Exception:
        return None


def _zip_kind(names: list[str], data: bytes) -> str:
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                mt = zf.read("mimetype")[:100]
        except Exception:
            mt = b""
        if b"opendocument.text" in mt:
            return "odt"
        if b"opendocument.spreadsheet" in mt:
            return "ods"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return "unknown"


def sniff_format(data: bytes) -> str:
    """`docx`, `xlsx`, `pdf`, `xls`, `doc`, `odt`, `ods`, `rtf`, `html` or `unknown`; raises nothing.

    WPS/ET files are OLE files like .doc/.xls and sniff as those (the name may say wps/et).
    A password-protected OOXML file is an OLE file with an EncryptionInfo stream: `unknown`
    here, `encrypted` from `read_bytes`.
    """
    try:
        return _sniff(data)
    except Exception:
        return "unknown"


def _sniff(data: bytes) -> str:
    if not data:
        return "unknown"
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        names = zip_names(data)
        if names is not None:
            return _zip_kind(names, data)
        # truncated zip: no central directory; guess from local header names
        if b"word/" in data[:200_000]:
            return "docx"
        if b"xl/" in data[:200_000]:
            return "xlsx"
        if b"opendocument.text" in head:
            return "odt"
        if b"opendocument.spreadsheet" in head:
            return "ods"
        return "unknown"
    if data.startswith(OLE_MAGIC):
        streams = ole_streams(data)
        if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
            return "unknown"
        if "WordDocument" in streams:
            return "doc"
        if "Workbook" in streams or "Book" in streams:
            return "xls"
        return "unknown"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if _looks_html(head):
        return "html"
    return "unknown"


def _looks_html(head: bytes) -> bool:
    """HTML tables saved as .xls/.doc by finance systems and by Word/Excel "save as web page"."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = head.decode("utf-16")
        except UnicodeDecodeError:
            return False
    else:
        text = head.decode("latin-1")
    t = text.lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    return t.startswith(("<!doctype html", "<html", "<table", "<meta")) or ("<html" in t and "<body" in t) or (
        t.startswith("<?xml") and "<html" in t)


def is_encrypted_ole(data: bytes) -> bool:
    if not data.startswith(OLE_MAGIC):
        return False
    streams = ole_streams(data)
    return "EncryptionInfo" in streams or "EncryptedPackage" in streams
