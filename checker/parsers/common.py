"""Helpers shared by the parsers: zip size cap, heading levels, cell text cleanup."""

from __future__ import annotations

import io
import re
import zipfile

from checker.config import Config
from checker.errors import ReadError

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


def check_zip(data: bytes, config: Config, required: str | None = None) -> None:
    """Refuse zip bombs (total uncompressed size above max_unzipped_mb) and broken zips."""
    limit = float(config.get("reader", "max_unzipped_mb", 200) or 200) * 1024 * 1024
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            if total > limit:
                raise ReadError("too_large", f"文件解压后约 {total / 1024 / 1024:.0f} MB，超过上限 {limit / 1024 / 1024:.0f} MB，已拒绝读取（可能是压缩炸弹或异常文件）。")
            for i in infos:
                # one member that claims an absurd ratio is a bomb even under the cap
                if i.compress_size and i.file_size / max(i.compress_size, 1) > 1000 and i.file_size > 50 * 1024 * 1024:
                    raise ReadError("too_large")
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError("corrupt_file", "文件已损坏或不完整（压缩包结构无法读取），无法打开。请重新导出后再提交。") from exc
    if required and required not in names:
        raise ReadError("corrupt_file", f"文件已损坏或不完整（缺少 {required}），无法打开。请重新导出后再提交。")
