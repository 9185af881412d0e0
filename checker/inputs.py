"""Expand command-line paths into input files: files, folders (recursive) and .zip archives.

Members of a .zip are named `archive.zip!inner/path.docx`. A member whose path would
escape the archive (absolute, or with `..`) is reported as an error, never read.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from checker.errors import ReadError

# Files we try to read; anything else inside a folder is skipped silently
# (a folder of submissions often holds scans, notes and thumbs.db).
READABLE_SUFFIXES = {".docx", ".doc", ".wps", ".wpt", ".xlsx", ".xlsm", ".xls", ".et", ".pdf", ".odt", ".ods", ".rtf", ".html", ".htm"}
MAX_MEMBER_BYTES = 200 * 1024 * 1024


@dataclass
class InputFile:
    path: str  # display path as the contract wants it
    data: bytes | None = None
    error: ReadError | None = None


def _is_zip_path(p: Path) -> bool:
    return p.suffix.lower() == ".zip"


def iter_zip(path: Path, display: str | None = None) -> Iterator[InputFile]:
    display = display or str(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        yield InputFile(display, error=ReadError("corrupt_file", "压缩包已损坏，无法打开。"))
        return
    with zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            if info.is_dir():
                continue
            name = _decode_name(info)
            inner = PurePosixPath(name.replace("\\", "/"))
            shown = f"{display}!{name}"
            if inner.is_absolute() or ".." in inner.parts or (inner.parts and ":" in inner.parts[0]):
                yield InputFile(shown, error=ReadError("unsafe_path"))
                continue
            if inner.name.startswith(("~$", ".")) or "__MACOSX" in inner.parts:
                continue
            if inner.suffix.lower() not in READABLE_SUFFIXES:
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                yield InputFile(shown, error=ReadError("too_large"))
                continue
            try:
                yield InputFile(shown, data=zf.read(info))
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                yield InputFile(shown, error=ReadError("corrupt_file", "压缩包中的该文件无法解压（已损坏或已加密）。"))


def _decode_name(info: zipfile.ZipInfo) -> str:
    # Zips made on Chinese Windows store GBK names without the UTF-8 flag.
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def iter_inputs(paths: list[str]) -> Iterator[InputFile]:
    """Yield every input file under `paths`, in a stable order."""
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for f in sorted(files):
                    fp = Path(root) / f
                    if f.startswith(("~$", ".")):
                        continue
                    if _is_zip_path(fp):
                        yield from iter_zip(fp)
                    elif fp.suffix.lower() in READABLE_SUFFIXES:
                        yield _read(fp)
        elif p.is_file():
            if _is_zip_path(p) and zipfile.is_zipfile(p):
                yield from iter_zip(p, given)
            else:
                yield _read(p, given)
        else:
            yield InputFile(given, error=ReadError("not_found", f"找不到文件或文件夹：{given}"))


def _read(p: Path, display: str | None = None) -> InputFile:
    try:
        return InputFile(display or str(p), data=p.read_bytes())
    except OSError as exc:
        return InputFile(display or str(p), error=ReadError("not_found", f"无法读取文件：{p}（{exc.strerror}）"))
