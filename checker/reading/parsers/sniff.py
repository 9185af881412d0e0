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
    """`docx`, `xlsx`, `pdf`, `xls`, `doc`, `odt`, `ods`, `rtf`, `html`, a page image
    (`png`, `jpg`, `tif`, `bmp`) or `unknown`; raises nothing.

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
    image = _image_kind(head)
    if image:
        return image
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if _looks_html(head):
        return "html"
    return "unknown"


def _image_kind(head: bytes) -> str | None:
    """A page image (scan or photo): `png`, `jpg`, `tif` or `bmp`."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tif"
    if head.startswith(b"BM") and len(head) >= 26 and head[14:15] in (b"\x0c", b"\x28", b"\x40", b"\x6c", b"\x7c"):
        return "bmp"  # BITMAPINFOHEADER size (12/40/64/108/124) right after the file header
    return None


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
    """Password-protected OOXML (EncryptionInfo stream) or a .doc whose FIB says fEncrypted."""
    if not data.startswith(OLE_MAGIC):
        return False
    streams = ole_streams(data)
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        return True
    return "WordDocument" in streams and _doc_fib_encrypted(data)


def _doc_fib_encrypted(data: bytes) -> bool:
    """Read the FIB at the start of the WordDocument stream: flag fEncrypted (0x0100 at offset 0x0A).

    The directory is followed through the FAT (header DIFAT only: enough for files up to
    ~7 MB per FAT sector listed); the stream is large, so its first regular sector holds the FIB.
    """
    import struct

    try:
        sector = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        difat = [x for x in struct.unpack_from("<109I", data, 0x4C) if x < 0xFFFFFFFA]
        fat: list[int] = []
        for fs in difat:
            off = (fs + 1) * sector
            fat.extend(struct.unpack_from(f"<{sector // 4}I", data, off))
        def chain(start: int):
            sec, seen = start, set()
            while sec < 0xFFFFFFFA and sec not in seen and len(seen) < 100_000:
                seen.add(sec)
                yield sec
                sec = fat[sec] if sec < len(fat) else 0xFFFFFFFE

        name = "WordDocument".encode("utf-16-le")
        cutoff = struct.unpack_from("<I", data, 0x38)[0] or 4096
        root_start = None
        for sec in chain(struct.unpack_from("<I", data, 0x30)[0]):
            base = (sec + 1) * sector
            for off in range(base, min(base + sector, len(data)), 128):
                entry = data[off:off + 128]
                if entry[0x42:0x43] == b"\x05":
                    root_start = struct.unpack_from("<I", entry, 0x74)[0]
                if entry[:len(name)] == name and entry[0x42] == 2:  # a stream object
                    first, size = struct.unpack_from("<II", entry, 0x74)
                    if size >= cutoff:
                        fib = (first + 1) * sector
                    else:  # a small stream lives in the mini stream (64-byte sectors in the root's chain)
                        pos = first * 64
                        secs = list(chain(root_start if root_start is not None else 0xFFFFFFFE))
                        fib = (secs[pos // sector] + 1) * sector + pos % sector
                    if struct.unpack_from("<H", data, fib)[0] != 0xA5EC:  # wIdent of a Word FIB
                        return False
                    return bool(struct.unpack_from("<H", data, fib + 0x0A)[0] & 0x0100)
    except (struct.error, IndexError):
        return False
    return False
