"""Helpers shared by the parsers: zip size cap, heading levels, cell text cleanup."""

from __future__ import annotations

import io
import re
import zipfile

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.limits import Limits, limits_of, mb, too_large

CN_NUM = "一二三四五六七八九十"
HEADING_PATTERNS = [
    (1, re.compile(rf"^\s*([{CN_NUM}]{{1,3}})\s*[、.．]\s*(.*)$")),
    (2, re.compile(rf"^\s*[（(]\s*([{CN_NUM}]{{1,3}})\s*[)）]\s*[、.．]?\s*(.*)$")),
    (3, re.compile(r"^\s*(\d{1,2})\s*(?:[、．]|\.(?!\d))\s*(.*)$")),
    (4, re.compile(r"^\s*[（(]\s*(\d{1,2})\s*[)）]\s*[、.．]?\s*(.*)$")),
]
_STYLE_LEVEL = re.compile(r"(?:heading|标题)\s*(\d)", re.I)


def numbering(text: str) -> tuple[int, str, str] | None:
    """(level, number as written, rest) when text starts with 一、 / （一） / 1. / （1）."""
    for level, pat in HEADING_PATTERNS:
        m = pat.match(text)
        if m:
            return level, m.group(1), m.group(2).strip()
    return None


def style_level(style: str | None) -> int | None:
    if not style:
        return None
    m = _STYLE_LEVEL.search(style)
    if m:
        return int(m.group(1))
    if style.strip().lower() in ("title", "标题"):
        return 0
    return None


def heading_level(text: str, style: str | None = None) -> int | None:
    """Heading level from the style name, else from the numbering of a short line."""
    lvl = style_level(style)
    if lvl:
        num = numbering(text)
        return num[0] if num else lvl
    num = numbering(text)
    if num is None:
        return None
    rest = num[2]
    # A long sentence that starts with "1." is a list item, not a heading, unless its
    # first clause is short (1.项目立项背景：……).
    if len(rest) <= 40 and not rest.endswith(("。", "；", ";")):
        return num[0]
    head = re.split(r"[：:。]", rest, maxsplit=1)[0]
    if 0 < len(head) <= 30 and re.search(r"[：:。]", rest):
        return num[0]
    return None


def clean_cell(text: str) -> str:
    t = text.replace("\r", "\n").replace("\xa0", " ").replace("\u3000", " ")
    t = re.sub(r"[ \t]+", " ", t)
    t = re.sub(r"\n\s*\n+", "\n", t)
    lines = t.split("\n")
    if len(lines) > 1:  # merging cells in Word stacks copies of the same text
        lines = [ln for i, ln in enumerate(lines) if i == 0 or ln.strip() != lines[i - 1].strip()]
        t = "\n".join(lines)
    return t.strip()


def zip_entry_count(fp) -> int | None:
    """Entries the end-of-central-directory record declares, read before ZipFile builds its
    list (one object per entry: a directory of millions would use gigabytes)."""
    try:
        rec = zipfile._EndRecData(fp)  # stable private helper since Python 2
    except Exception:
        return None
    if not rec:
        return None
    return int(rec[zipfile._ECD_ENTRIES_TOTAL])


def open_zip(data_or_file, limits: Limits, what: str = "文件") -> zipfile.ZipFile:
    """ZipFile over bytes or a file, after checking the entry count; ReadError on failure."""
    fp = io.BytesIO(data_or_file) if isinstance(data_or_file, bytes | bytearray) else data_or_file
    n = zip_entry_count(fp)
    if n is not None and n > limits.max_members:
        raise too_large(f"{what}中有 {n} 个压缩条目（上限 {limits.max_members} 个）")
    try:
        fp.seek(0)
        return zipfile.ZipFile(fp)
    except Exception as exc:
        raise ReadError("corrupt_file", "文件已损坏或不完整（压缩包结构无法读取），无法打开。请重新导出后再提交。") from exc


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, what: str) -> bytes:
    """Inflate one member, stopping as soon as it passes `limit` bytes: the declared size may lie."""
    if info.file_size > limit:
        raise too_large(f"{what}解压后 {mb(info.file_size)}（上限 {mb(limit)}）")
    out = bytearray()
    with zf.open(info) as fh:
        while True:
            block = fh.read(min(1 << 20, limit + 1 - len(out)))
            if not block:
                break
            out += block
            if len(out) > limit:
                raise too_large(f"{what}解压后超过 {mb(limit)}")
    return bytes(out)


# Parts a reader parses: XML and relationships. Everything else in a package (images, fonts,
# embedded objects, macros) is never inflated: it is kept as an empty member so the package's
# relationships still resolve.
_PARSED_SUFFIXES = (".xml", ".rels", ".vml")


def safe_package(data: bytes, config: Config, required: str | None = None) -> bytes:
    """Check a .docx/.xlsx package by inflating its XML parts under the limits, and return a
    copy holding only those parts (stored, not compressed) for python-docx/openpyxl.

    Declared sizes are only a first filter: each part is inflated with a running count, so a
    part whose header lies is stopped at the limit too.
    """
    return package_of(inflate_package(data, config, required))


def package_of(parts: dict[str, bytes]) -> bytes:
    """The parts from inflate_package as a stored zip, for python-docx/openpyxl."""
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
            for name, part in parts.items():
                dst.writestr(name, part)
    except MemoryError as exc:
        raise too_large("文件解压后过大，读取时内存不足") from exc
    except Exception as exc:
        raise ReadError("corrupt_file", "文件已损坏或不完整（压缩包结构无法读取），无法打开。请重新导出后再提交。") from exc
    return out.getvalue()


def inflate_package(data: bytes, config: Config, required: str | None = None) -> dict[str, bytes]:
    """A .docx/.xlsx package's members by name, in order (the first of duplicate names): XML
    parts inflated under the limits, every other member empty (never inflated). ReadError
    for a broken or oversized package, as safe_package."""
    lim = limits_of(config)
    total = 0
    parts: dict[str, bytes] = {}
    try:
        with open_zip(data, lim) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if required and required not in names:
                raise ReadError("corrupt_file", f"文件已损坏或不完整（缺少 {required}），无法打开。请重新导出后再提交。")
            declared = sum(i.file_size for i in infos if i.filename.lower().endswith(_PARSED_SUFFIXES) or i.filename == "[Content_Types].xml")
            if declared > lim.unzipped_bytes:
                raise too_large(f"文件解压后约 {mb(declared)}（上限 {mb(lim.unzipped_bytes)}）")
            for info in infos:
                if info.filename in parts or info.is_dir():
                    continue
                if info.filename.lower().endswith(_PARSED_SUFFIXES) or info.filename == "mimetype":
                    part = read_member(zf, info, lim.part_bytes, f"文件中的部件 {info.filename[:60]}")
                    total += len(part)
                    if total > lim.unzipped_bytes:
                        raise too_large(f"文件解压后超过 {mb(lim.unzipped_bytes)}")
                    parts[info.filename] = part
                else:
                    parts[info.filename] = b""
    except ReadError:
        raise
    except MemoryError as exc:
        raise too_large("文件解压后过大，读取时内存不足") from exc
    except Exception as exc:
        raise ReadError("corrupt_file", "文件已损坏或不完整（压缩包结构无法读取），无法打开。请重新导出后再提交。") from exc
    return parts


def check_zip(data: bytes, config: Config, required: str | None = None) -> None:
    """Refuse zip bombs and broken zips (kept for callers that only need the check)."""
    safe_package(data, config, required)
