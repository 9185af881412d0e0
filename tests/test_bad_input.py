"""Bad input: every case gives a ReadError with a stable code and a Chinese message, and
`check_bytes` reports status "error" instead of raising."""

from __future__ import annotations

import io
import os
import random
import re
import zipfile

import docx
import openpyxl
import pytest
from reportlab.pdfgen import canvas

from checker.api import check_bytes, read_document
from checker.core.config import load_config
from checker.core.errors import ReadError
from checker.reading.ocr import available as ocr_available
from checker.reading.parsers.sniff import OLE_MAGIC, sniff_format
from conftest import needs_soffice
from hostile import assemble_pdf

CJK = re.compile(r"[\u4e00-\u9fff]")


def _docx_bytes(text: str = "项目支出绩效自评表") -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "项目名称", "测试项目"
    t.cell(1, 0).text, t.cell(1, 1).text = "实施单位", "测试局"
    b = io.BytesIO()
    d.save(b)
    return b.getvalue()


def _xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(30):
        ws.append(["项目名称", f"测试项目{i}", "实施单位", "测试局"])
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def _pdf_bytes(pages: int = 1, encrypt: str | None = None, text: bool = True) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    b = io.BytesIO()
    c = canvas.Canvas(b, encrypt=encrypt, invariant=1)
    for n in range(pages):
        if text:
            c.setFont("STSong-Light", 12)
            c.drawString(72, 760, f"第{n + 1}部分 项目绩效评价报告正文，预算执行率98.5%。")
        else:  # drawn shapes only, like a scanned page: nothing to extract
            c.setFillGray(0.3)
            c.rect(72, 300, 400, 400, fill=1)
            c.line(72, 200, 500, 220)
        c.showPage()
    c.save()
    return b.getvalue()


def _garbled_pdf() -> bytes:
    """A PDF whose CID font has no ToUnicode map: extractors only see (cid:N) glyph numbers."""
    text = "".join(f"{0x0100 + i * 37 % 900:04X}" for i in range(60)).encode()
    content = b"BT /F1 12 Tf 50 800 Td <" + text + b"> Tj ET\nBT /F1 12 Tf 50 780 Td <" + text + b"> Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /FakeSong /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /FakeSong /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity)"
        b" /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /FakeSong /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880"
        b" /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    return assemble_pdf(objs)


def _zip_bomb(member_mb: int, member: str = "customXml/item9.xml") -> bytes:
    """A well-formed docx plus one XML member that inflates to member_mb MB of spaces."""
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            zf.writestr(item, src.read(item.filename))
        with zf.open(member, "w", force_zip64=True) as fh:
            chunk = b" " * (1024 * 1024)
            for _ in range(member_mb):
                fh.write(chunk)
    return b.getvalue()


def _encrypted_docx() -> bytes:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_docx_bytes())).encrypt("密码123", out)
    assert msoffcrypto  # the real library built the file
    return out.getvalue()


CASES = {
    "empty": (lambda: b"", "x.docx", "empty_file"),
    "random_named_docx": (lambda: random.Random(7).randbytes(4096), "自评表.docx", "unsupported_format"),
    "plain_text": (lambda: "这是一个纯文本文件，不是表格。".encode() * 20, "说明.txt", "unsupported_format"),
    # a page image goes to OCR: garbage after the PNG signature is a broken image
    "png": (lambda: b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(2000), "scan.png", "corrupt_file" if ocr_available() else "needs_ocr"),
    "truncated_docx": (lambda: _docx_bytes()[: len(_docx_bytes()) // 2], "t.docx", "corrupt_file"),
    "truncated_xlsx": (lambda: _xlsx_bytes()[: len(_xlsx_bytes()) * 2 // 3], "t.xlsx", "corrupt_file"),
    "truncated_pdf": (lambda: _pdf_bytes(3)[: len(_pdf_bytes(3)) // 2], "t.pdf", "corrupt_file"),
    "docx_without_document": (lambda: _zip_without("word/document.xml"), "x.docx", "corrupt_file"),
    "encrypted_pdf": (lambda: _pdf_bytes(encrypt="secret"), "e.pdf", "encrypted"),
    "encrypted_docx": (_encrypted_docx, "e.docx", "encrypted"),
    "image_only_pdf": (lambda: _pdf_bytes(2, text=False), "scan.pdf", "needs_ocr"),
    "garbled_pdf": (_garbled_pdf, "g.pdf", "garbled_text"),
}


def _zip_without(member: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(_docx_bytes()))
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as zf:
        for item in src.infolist():
            if item.filename != member:
                zf.writestr(item, src.read(item.filename))
    return b.getvalue()


@pytest.fixture(scope="session")
def bad_files():
    return {k: (make(), name, code) for k, (make, name, code) in CASES.items()}


def _assert_error(data: bytes, name: str, code: str, config=None):
    with pytest.raises(ReadError) as info:
        read_document(data, name, config or load_config())
    err = info.value
    assert err.code == code, f"{name}: {err.code} {err.message}"
    assert CJK.search(err.message), err.message
    result = check_bytes(data, name, config or load_config())
    assert result.status == "error"
    assert result.error is not None and result.error.code == code
    assert result.to_dict()["error"]["code"] == code
    return err


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_coded_chinese_error(case, bad_files):
    data, name, code = bad_files[case]
    _assert_error(data, name, code)


def test_zip_bomb_refused_before_parsing():
    cfg = load_config()
    cfg.data["reader"]["max_unzipped_mb"] = 5
    data = _zip_bomb(40)
    assert len(data) < 200_000  # it really is a bomb: tiny on disk
    err = _assert_error(data, "bomb.docx", "too_large", cfg)
    assert "MB" in err.message


def test_media_bomb_is_never_inflated():
    """Images and embedded objects are not read at all: a 40 MB media member costs nothing."""
    cfg = load_config()
    cfg.data["limits"]["max_unzipped_mb"] = 5
    doc = read_document(_zip_bomb(40, "word/media/pad.bin"), "pics.docx", cfg)
    assert doc.format == "docx"


def test_good_docx_passes_the_size_cap():
    cfg = load_config()
    cfg.data["reader"]["max_unzipped_mb"] = 5
    doc = read_document(_docx_bytes(), "ok.docx", cfg)
    assert doc.format == "docx"


def test_long_pdf_reads_only_max_pages_with_notice():
    cfg = load_config()
    cfg.data["reader"]["max_pages"] = 4
    data = _pdf_bytes(11)
    doc = read_document(data, "long.pdf", cfg)
    assert doc.pages == 11
    pages_read = {p.location.page for p in doc.paragraphs}
    assert pages_read == {1, 2, 3, 4}
    assert any("11" in n and "4" in n and CJK.search(n) for n in doc.notices)
    assert any("仅读取前 4 页" in n for n in check_bytes(data, "long.pdf", cfg).to_dict()["notices"])


def test_sniff_ignores_the_name():
    assert sniff_format(_docx_bytes()) == "docx"
    assert sniff_format(_xlsx_bytes()) == "xlsx"
    assert sniff_format(_pdf_bytes()) == "pdf"
    assert sniff_format(b"") == "unknown"
    assert sniff_format(random.Random(1).randbytes(100)) == "unknown"
    assert sniff_format(b"{\\rtf1\\ansi hello}") == "rtf"
    assert sniff_format(OLE_MAGIC + "WordDocument".encode("utf-16-le") + b"\0" * 600) == "doc"
    assert sniff_format(OLE_MAGIC + "Workbook".encode("utf-16-le") + b"\0" * 600) == "xls"
    # a docx named .pdf is still a docx
    doc = read_document(_docx_bytes("项目支出绩效自评表"), "wrong-name.pdf", load_config())
    assert doc.format == "docx"


@needs_soffice
@pytest.mark.libreoffice
def test_junk_legacy_file_fails_conversion():
    from hostile import ole_junk_doc

    _assert_error(ole_junk_doc(), "旧表.doc", "conversion_failed")  # a valid container of noise


def test_broken_ole_container_is_corrupt_before_conversion():
    junk = OLE_MAGIC + b"\0" * 64 + "WordDocument".encode("utf-16-le") + random.Random(5).randbytes(3000)
    _assert_error(junk, "旧表.doc", "corrupt_file")


def test_missing_libreoffice_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH: no soffice to find
    from hostile import ole_junk_doc

    err = _assert_error(ole_junk_doc(), "旧表.wps", "needs_libreoffice")
    assert "LibreOffice" in err.message


def test_parser_never_leaks_a_traceback_on_mangled_zip():
    """Flip bytes inside a valid docx: whatever breaks must come back as a ReadError."""
    data = bytearray(_docx_bytes())
    rnd = random.Random(11)
    for _ in range(20):
        mangled = bytearray(data)
        for _ in range(30):
            i = rnd.randrange(200, len(mangled))
            mangled[i] = rnd.randrange(256)
        result = check_bytes(bytes(mangled), "mangled.docx", load_config())
        if result.status == "error":
            assert result.error.code in ("corrupt_file", "unsupported_format", "no_content"), result.error.message
            assert CJK.search(result.error.message)


def test_nothing_readable_in_table_only_blank_file():
    wb = openpyxl.Workbook()
    b = io.BytesIO()
    wb.save(b)
    _assert_error(b.getvalue(), "blank.xlsx", "no_content")


def test_os_urandom_named_pdf():
    data = b"%PDF-1.7\n" + os.urandom(2048)
    _assert_error(data, "fake.pdf", "corrupt_file")


@needs_soffice
@pytest.mark.libreoffice
def test_password_protected_doc_detected_from_its_fib(tmp_path):
    """A real .doc (written by LibreOffice) with the FIB's fEncrypted flag set is refused as encrypted."""
    import struct
    import subprocess

    d = docx.Document()
    d.add_paragraph("项目支出绩效自评表")
    d.save(tmp_path / "a.docx")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(tmp_path / "a.docx")], check=True, capture_output=True, timeout=120)
    data = bytearray((tmp_path / "a.doc").read_bytes())
    assert read_document(bytes(data), "a.doc").format == "doc"  # readable as written
    i = data.index(b"\xec\xa5")  # wIdent opens the FIB
    while struct.unpack_from("<H", data, i)[0] != 0xA5EC or i % 512:
        i = data.index(b"\xec\xa5", i + 1)
    flags = struct.unpack_from("<H", data, i + 0x0A)[0]
    struct.pack_into("<H", data, i + 0x0A, flags | 0x0100)  # fEncrypted
    _assert_error(bytes(data), "a.doc", "encrypted")


def test_pdf_with_some_scanned_pages_names_them():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    b = io.BytesIO()
    c = canvas.Canvas(b, invariant=1)
    for n in range(5):
        if n in (0, 1):
            c.setFont("STSong-Light", 12)
            c.drawString(72, 760, f"第{n + 1}页 项目绩效评价报告正文，预算执行率98.5%。")
        else:
            c.rect(72, 300, 400, 400, fill=1)
        c.showPage()
    c.save()
    doc = read_document(b.getvalue(), "mixed.pdf")
    assert any("第3-5页没有可提取的文字" in n for n in doc.notices), doc.notices
