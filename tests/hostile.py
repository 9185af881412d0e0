"""Generators for the hostile-input regression corpus (issue 13): every shape is built here
by real libraries or by writing the format by hand, never checked in as a binary.

Each builder returns bytes (or writes into a folder for shapes that are about the file
system). `SHAPES` lists the single-file shapes with the outcome each must end in; the
tests in test_hostile.py run them through the same path `check` uses.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile

import docx
import openpyxl

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ---- small real documents --------------------------------------------------------------


def docx_bytes(text: str = "项目支出绩效自评表", cells: list[list[str]] | None = None) -> bytes:
    d = docx.Document()
    d.add_paragraph(text)
    cells = cells or [["项目名称", "测试项目"], ["实施单位", "测试局"]]
    t = d.add_table(rows=len(cells), cols=len(cells[0]))
    for r, row in enumerate(cells):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    b = io.BytesIO()
    d.save(b)
    return b.getvalue()


def xlsx_bytes(rows: list[list] | None = None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows or [["项目名称", "测试项目"], ["实施单位", "测试局"]]:
        ws.append(r)
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def repack(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
           compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of a zip package with some members replaced or added."""
    replace, add = replace or {}, add or {}
    src = zipfile.ZipFile(io.BytesIO(data))
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compression) as zf:
        for item in src.infolist():
            zf.writestr(item.filename, replace.get(item.filename, src.read(item.filename)))
        for name, body in add.items():
            zf.writestr(name, body)
    return b.getvalue()


def streamed_member(data: bytes, name: str, mb: int, fill: bytes = b" ") -> bytes:
    """`data` (a zip) plus a member that inflates to `mb` MB, written without holding it."""
    src = zipfile.ZipFile(io.BytesIO(data))
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            zf.writestr(item.filename, src.read(item.filename))
        with zf.open(name, "w", force_zip64=True) as fh:
            chunk = fill * (1024 * 1024 // len(fill))
            for _ in range(mb):
                fh.write(chunk)
    return b.getvalue()


def lying_size(data: bytes, member: str, declared: int) -> bytes:
    """Rewrite the uncompressed size a member declares (local header and central directory)."""
    out = bytearray(data)
    name = member.encode()
    i = 0
    while True:
        i = out.find(name, i)
        if i < 0:
            break
        if out[i - 30:i - 26] == b"PK\x03\x04":
            struct.pack_into("<I", out, i - 30 + 22, declared)
        elif out[i - 46:i - 42] == b"PK\x01\x02":
            struct.pack_into("<I", out, i - 46 + 24, declared)
        i += 1
    return bytes(out)


# ---- hostile document shapes -----------------------------------------------------------


def docx_grid_span(span: int = 2_000_000_000) -> bytes:
    body = (f'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p><w:r><w:t>项目名称</w:t></w:r></w:p></w:tc>'
            '<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    return _docx_with_body(body)


def docx_nested_tables(depth: int = 60) -> bytes:
    inner = '<w:p><w:r><w:t>最里层</w:t></w:r></w:p>'
    for _ in range(depth):
        inner = f"<w:tbl><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>"
    return _docx_with_body(inner)


def docx_long_cell(text: str) -> bytes:
    return docx_bytes("项目支出绩效自评表", [["项目名称", text], ["实施单位", "测试局"]])


def docx_control_chars() -> bytes:
    """XML forbids C0 controls, so a .docx carries C1 controls and bidi overrides."""
    return docx_bytes("项目支出绩效自评表\x9b31m", [["项目名称", "测试项目\u202e"], ["实施单位", "测试局\x85\u2066"]])


def html_control_chars() -> bytes:
    """An HTML table (a finance-system export) whose cells carry terminal escapes as character references."""
    return ("<html><body><p>项目支出绩效自评表&#27;[2J</p><table><tr><td>项目名称</td><td>测试&#7;项目&#27;]0;pwned&#7;</td></tr>"
            "<tr><td>实施单位</td><td>测试局&#27;[31m</td></tr></table></body></html>").encode()


def xls_control_chars() -> bytes:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    for r, (a, b) in enumerate([("项目支出绩效自评表\x1b[2J", ""), ("项目名称", "测试\x07项目"), ("实施单位", "测试局\x1b[31m\x00")]):
        ws.write(r, 0, a)
        ws.write(r, 1, b)
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def _docx_with_body(body_xml: str) -> bytes:
    base = docx_bytes()
    doc = zipfile.ZipFile(io.BytesIO(base)).read("word/document.xml").decode()
    start = doc.index("<w:body>") + len("<w:body>")
    end = doc.index("<w:sectPr")
    return repack(base, {"word/document.xml": (doc[:start] + body_xml + doc[end:]).encode()})


def xlsx_far_cell() -> bytes:
    """One value at XFD1048576 besides the normal cells."""
    base = xlsx_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(base)).read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    return repack(base, {"xl/worksheets/sheet1.xml": sheet.encode()})


def xlsx_merge_all() -> bytes:
    base = xlsx_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(base)).read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace("</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    return repack(base, {"xl/worksheets/sheet1.xml": sheet.encode()})


def xlsx_uncached_formulas() -> bytes:
    """Execution rate, scores and total as formulas with no cached values (openpyxl writes none)."""
    rows = [["项目支出绩效自评表"], ["项目名称", "测试项目"], ["年度预算数", 100], ["执行数", 90],
            ["执行率", "=B4/B3"], ["得分", "=B5*10"], ["总分", "=SUM(B6:B6)+90"]]
    return xlsx_bytes(rows)


def xlsx_huge_numbers() -> bytes:
    rows = [["项目支出绩效自评表"], ["项目名称", "测试项目"], ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
            ["产出指标", "数量指标", "培训人数", "1e26", "1e308", 1e26, 1e308], ["效益指标", "满意度", "满意度", "≥90%", "inf", float("1e300"), "9" * 400]]
    return xlsx_bytes(rows)


def xls_used_range(rows: int = 65536, cols: int = 256) -> bytes:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("Sheet1")
    ws.write(0, 0, "项目名称")
    ws.write(0, 1, "测试项目")
    ws.write(rows - 1, cols - 1, "x")
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def html_spans(rowspan: int = 100000, colspan: int = 100000, cells: int = 2000) -> bytes:
    tds = "".join(f'<td rowspan="{rowspan}" colspan="{colspan}">x</td>' for _ in range(cells))
    return f"<html><body><table><tr><td>项目名称</td>{tds}</tr></table></body></html>".encode()


def html_nested(depth: int = 500) -> bytes:
    return ("<html><body>" + "<table><tr><td>" * depth + "项目名称" + "</td></tr></table>" * depth + "</body></html>").encode()


# ---- OLE compound files ---------------------------------------------------------------


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal, valid compound file (512-byte sectors, every stream in the regular FAT)."""
    sec = 512
    names = list(streams)
    datas = [streams[n] + b"\0" * (-len(streams[n]) % sec) for n in names]
    datas = [d if len(d) >= 4096 else d + b"\0" * (4096 - len(d)) for d in datas]
    n_dir = -(-(len(names) + 1) // 4)
    n_data = sum(len(d) // sec for d in datas)
    n_fat = 1
    while n_fat * (sec // 4) < n_fat + n_dir + n_data:
        n_fat += 1
    fat = [0xFFFFFFFD] * n_fat
    fat += [n_fat + i + 1 for i in range(n_dir - 1)] + [0xFFFFFFFE]
    starts, cur = [], n_fat + n_dir
    for d in datas:
        k = len(d) // sec
        starts.append(cur)
        fat += [cur + i + 1 for i in range(k - 1)] + [0xFFFFFFFE]
        cur += k
    fat += [0xFFFFFFFF] * (n_fat * (sec // 4) - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        e = bytearray(128)
        e[: len(raw)] = raw
        struct.pack_into("<H", e, 0x40, len(raw))
        e[0x42], e[0x43] = kind, 1
        struct.pack_into("<III", e, 0x44, 0xFFFFFFFF, right, child)
        struct.pack_into("<IQ", e, 0x74, start, size)
        return bytes(e)

    dirs = [entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1 if names else 0xFFFFFFFF)]
    for i, n in enumerate(names):  # a right-leaning chain is a valid (if unbalanced) red-black tree
        dirs.append(entry(n, 2, starts[i], len(streams[n]), right=i + 2 if i + 1 < len(names) else 0xFFFFFFFF))
    dir_bytes = b"".join(dirs) + bytes(128) * (n_dir * 4 - len(dirs))
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, n_fat)
    struct.pack_into("<I", header, 0x30, n_fat)
    struct.pack_into("<I", header, 0x38, 4096)
    struct.pack_into("<II", header, 0x3C, 0xFFFFFFFE, 0)
    struct.pack_into("<II", header, 0x44, 0xFFFFFFFE, 0)
    difat = list(range(n_fat)) + [0xFFFFFFFF] * (109 - n_fat)
    struct.pack_into("<109I", header, 0x4C, *difat)
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return bytes(header) + fat_bytes + dir_bytes + b"".join(datas)


def ole_word_only() -> bytes:
    return cfb({"WordDocument": random.Random(1).randbytes(6000)})


def ole_junk_doc() -> bytes:
    """Structurally valid .doc container whose streams are noise: LibreOffice cannot convert it."""
    rnd = random.Random(2)
    return cfb({"WordDocument": b"\xec\xa5" + rnd.randbytes(6000), "1Table": rnd.randbytes(5000)})


# ---- archives ---------------------------------------------------------------------------


def zip_of(members: dict[str, bytes], utf8: bool = True, raw_names: dict[str, bytes] | None = None) -> bytes:
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    data = b.getvalue()
    for name, raw in (raw_names or {}).items():
        data = _rename_member(data, name.encode("utf-8"), raw, utf8_flag=False)
    return data


def _rename_member(data: bytes, old: bytes, new: bytes, utf8_flag: bool, extra: bytes = b"") -> bytes:
    """Rewrite one member's stored name bytes (same length or not) and its UTF-8 flag; extra field replaced."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    entries = []
    for info in zf.infolist():
        raw = data[info.header_offset:]
        name_len, extra_len = struct.unpack_from("<HH", raw, 26)
        comp = raw[30 + name_len + extra_len:30 + name_len + extra_len + info.compress_size]
        name = info.filename.encode("utf-8") if info.flag_bits & 0x800 or not _is_ascii(info.filename) else info.filename.encode("ascii")
        ex = b""
        flag = info.flag_bits
        if name == old:
            name, ex = new, extra
            flag = (flag | 0x800) if utf8_flag else (flag & ~0x800)
        offset = out.tell()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flag, info.compress_type, 0, 0, info.CRC, info.compress_size,
                              info.file_size, len(name), len(ex)) + name + ex + comp)
        entries.append((name, ex, flag, info, offset))
    cd = out.tell()
    for name, ex, flag, info, offset in entries:
        out.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flag, info.compress_type, 0, 0, info.CRC,
                              info.compress_size, info.file_size, len(name), len(ex), 0, 0, 0, 0, offset) + name + ex)
    end = out.tell()
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), end - cd, cd, 0))
    return out.getvalue()


def _is_ascii(s: str) -> bool:
    return all(ord(c) < 128 for c in s)


def zip_named(name: str, encoding: str, body: bytes) -> bytes:
    """A zip whose one member is called `name`, stored the way a given tool stores it:
    utf8-flag (modern), utf8-noflag (valid UTF-8 without the flag), gbk (Chinese Windows),
    cp437 (DOS), or unicode-extra (undecodable stored bytes plus an Info-ZIP Unicode Path
    extra field, 0x7075, naming it in UTF-8)."""
    import zlib

    placeholder = "placeholder.docx"
    data = zip_of({placeholder: body})
    if encoding in ("utf8-flag", "utf8-noflag"):
        return _rename_member(data, placeholder.encode(), name.encode("utf-8"), utf8_flag=encoding == "utf8-flag")
    if encoding == "unicode-extra":
        raw = b"\xff\xfe\xff.docx"  # neither UTF-8 nor GB18030: only the extra field can name it
        u = name.encode("utf-8")
        field = b"\x01" + struct.pack("<I", zlib.crc32(raw) & 0xFFFFFFFF) + u
        extra = struct.pack("<HH", 0x7075, len(field)) + field
        return _rename_member(data, placeholder.encode(), raw, utf8_flag=False, extra=extra)
    return _rename_member(data, placeholder.encode(), name.encode(encoding), utf8_flag=False)


def zip_of_bombs(n: int = 20, mb: int = 199) -> bytes:
    """n members of `mb` MB each (spaces, so each deflates to ~200 KB)."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(n):
            with zf.open(f"第{i + 1}份.docx", "w", force_zip64=True) as fh:
                chunk = b" " * (1024 * 1024)
                for _ in range(mb):
                    fh.write(chunk)
    return b.getvalue()


def nested_zip(doc: bytes, levels: int) -> bytes:
    data, name = doc, "自评表.docx"
    for i in range(levels):
        data, name = zip_of({name: data}), f"第{i + 1}层.zip"
    return data


def assemble_pdf(objs: list[bytes]) -> bytes:
    """A PDF file from its numbered objects (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def pdf_inflating_stream(mb: int = 1024) -> bytes:
    """A one-page PDF whose content stream inflates to `mb` MB (spaces: valid, empty drawing)."""
    import zlib

    comp = zlib.compressobj(9)
    chunks = [comp.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n")]
    block = b" " * (1024 * 1024)
    for _ in range(mb):
        chunks.append(comp.compress(block))
    chunks.append(comp.flush())
    stream = b"".join(chunks)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return assemble_pdf(objs)
