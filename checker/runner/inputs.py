"""Expand command-line paths into input files: files, folders (recursive) and .zip archives.

Members of a .zip are named `archive.zip!inner/path.docx` (nested archives add another
`!`). A member whose path would escape the archive (absolute, or with `..`) is reported as
an error, never read.

Nothing is read ahead: an `InputFile` names where its bytes are (`source`), and they are
read when the document is checked, one at a time, within `[limits] max_file_mb`. Folders
are walked without following a symlink out of the tree or around a loop; FIFOs, devices
and unreadable files get a coded error at once instead of blocking the run. Any byte
sequence as a file name is shown with the bytes that are not UTF-8 escaped (`\\xd7`), and
control characters escaped, so a name never breaks an output.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from checker.core.errors import ReadError
from checker.core.limits import Limits, limits_of, mb, too_large
from checker.runner.bounded import display_name, file_error, hash_file, hash_member_chain, open_archive, read_file_bounded, read_member_chain

# Files we try to read; anything else inside a folder is skipped silently
# (a folder of submissions often holds scans, notes and thumbs.db).
READABLE_SUFFIXES = {".docx", ".doc", ".wps", ".wpt", ".xlsx", ".xlsm", ".xls", ".et", ".pdf", ".odt", ".ods", ".rtf", ".html", ".htm",
                     ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}  # page images: scans and photos (OCR)
MAX_MEMBER_BYTES = 200 * 1024 * 1024  # kept for callers; the limit in force is [limits] max_file_mb

@dataclass(frozen=True)
class Source:
    """Where a document's bytes are: in memory, a file, or a member of (nested) archives.

    kind "bytes": data; "file": path; "zip": path (or data for an in-memory archive) and
    members, the chain of member names from the outer archive inwards.
    """

    kind: str
    path: str | None = None
    data: bytes | None = None
    members: tuple[str, ...] = ()

    def load(self, limits: Limits) -> bytes:
        """The document's bytes, read within max_file_mb; ReadError otherwise."""
        if self.kind == "bytes":
            return self.data or b""
        if self.kind == "file":
            return read_file_bounded(self.path or "", limits)
        return read_member_chain(self.data if self.data is not None else self.path, self.members, limits)

    def sha256(self, limits: Limits) -> str:
        """Hash of the bytes, streamed (never held whole) where the source allows."""
        if self.kind == "bytes":
            return hashlib.sha256(self.data or b"").hexdigest()
        if self.kind == "file":
            return hash_file(self.path or "", limits)
        return hash_member_chain(self.data if self.data is not None else self.path, self.members, limits)


class InputFile:
    """One input: its display path and either its bytes, where they are, or an error.

    `data` reads the source on each access (never cached, so a list of inputs holds no
    documents); a read that fails sets `error` and gives None.
    """

    def __init__(self, path: str, data: bytes | None = None, error: ReadError | None = None, source=None, limits: Limits | None = None):
        self.path = path
        self._data = data
        self.error = error
        self._source = source
        self.limits = limits or Limits()

    @property
    def source(self):
        if self._source is not None:
            return self._source
        return Source("bytes", data=self._data or b"")

    @property
    def data(self) -> bytes | None:
        if self._data is not None or self._source is None or self.error is not None:
            return self._data
        try:
            return self._source.load(self.limits)
        except ReadError as err:
            self.error = err
            return None

    @data.setter
    def data(self, value: bytes | None) -> None:
        self._data = value

    def __repr__(self) -> str:
        return f"InputFile({self.path!r}, error={self.error.code if self.error else None})"


# ---- archives -------------------------------------------------------------------------


def decode_member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its maker meant it: UTF-8 (flag set, or the bytes are valid UTF-8),
    else the Info-ZIP Unicode Path extra field (0x7075), else GB18030 (Chinese Windows), else cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")  # zipfile decoded the stored bytes as cp437
    except UnicodeEncodeError:
        return info.filename
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    unicode_path = _unicode_path_field(info.extra, raw)
    if unicode_path is not None:
        return unicode_path
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return info.filename


def _unicode_path_field(extra: bytes, raw: bytes) -> str | None:
    i = 0
    while i + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, i)
        body = extra[i + 4:i + 4 + size]
        if tag == 0x7075 and len(body) >= 5 and body[0] == 1:
            crc = struct.unpack_from("<I", body, 1)[0]
            if crc == zlib.crc32(raw) & 0xFFFFFFFF:  # the field describes this very name
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
        i += 4 + size
    return None


# kept for callers of the old name
_decode_name = decode_member_name


def _is_document_package(zf: zipfile.ZipFile) -> bool:
    """A .docx/.xlsx/.odt (a zip itself) rather than an archive of documents."""
    names = set(zf.namelist()[:5000])
    return "word/document.xml" in names or "xl/workbook.xml" in names or "mimetype" in names or "[Content_Types].xml" in names


def iter_zip(path, display: str | None = None, limits: Limits | None = None, depth: int = 1, members: tuple[str, ...] = (), root=None) -> Iterator[InputFile]:
    """Members of an archive (a file path, or a BytesIO/bytes in memory), nested archives
    expanded up to `max_archive_depth`."""
    limits = limits or Limits()
    if isinstance(path, io.BytesIO):
        path = path.getvalue()
    display = display or (display_name(str(path)) if not isinstance(path, bytes) else "upload.zip")
    root = path if root is None else root
    try:
        zf = open_archive(path if not members else read_member_chain(root, members, limits), limits)
    except ReadError as err:
        if err.code == "corrupt_file":
            err = ReadError("corrupt_file", "压缩包已损坏，无法打开。")
        yield InputFile(display, error=err)
        return
    if members and _is_document_package(zf):  # a .docx inside named .zip: a document
        zf.close()
        yield InputFile(display, source=_zip_source(root, members), limits=limits)
        return
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        named = sorted(((decode_member_name(i), i) for i in infos), key=lambda p: (p[0], p[1].filename))
        for name, info in named:
            inner = PurePosixPath(name.replace("\\", "/"))
            shown = f"{display}!{display_name(name)}"
            if inner.is_absolute() or ".." in inner.parts or (inner.parts and ":" in inner.parts[0]):
                yield InputFile(shown, error=ReadError("unsafe_path"))
                continue
            if inner.name.startswith(("~$", ".")) or "__MACOSX" in inner.parts:
                continue
            suffix = inner.suffix.lower()
            if suffix == ".zip":
                if depth >= limits.max_archive_depth:
                    yield InputFile(shown, error=too_large(f"压缩包嵌套超过 {limits.max_archive_depth} 层"))
                    continue
                if info.file_size > limits.file_bytes:
                    yield InputFile(shown, error=too_large(f"压缩包中的该文件解压后 {mb(info.file_size)}（上限 {mb(limits.file_bytes)}）"))
                    continue
                yield from iter_zip(path, shown, limits, depth + 1, (*members, info.filename), root)
                continue
            if suffix not in READABLE_SUFFIXES:
                continue
            if info.file_size > limits.file_bytes:
                yield InputFile(shown, error=too_large(f"压缩包中的该文件解压后 {mb(info.file_size)}（上限 {mb(limits.file_bytes)}）"))
                continue
            if info.flag_bits & 0x1:
                yield InputFile(shown, error=ReadError("encrypted", "压缩包中的该文件已加密，无法读取。请解除加密后重新提交。"))
                continue
            yield InputFile(shown, source=_zip_source(root, (*members, info.filename)), limits=limits)


def _zip_source(root, members: tuple[str, ...]):

    if isinstance(root, bytes | bytearray):
        return Source("zip", data=bytes(root), members=members)
    return Source("zip", path=str(root), members=members)


def _looks_like_archive(p: Path, limits: Limits) -> bool:
    """A .zip that is an archive of documents, not a document package with the wrong name."""
    try:
        with open_archive(str(p), limits) as zf:
            return not _is_document_package(zf)
    except ReadError:
        return True  # let iter_zip report it


def iter_inputs(paths: list[str], limits: Limits | None = None, config=None) -> Iterator[InputFile]:
    """Yield every input file under `paths`, in a stable order."""
    limits = limits or limits_of(config)
    for given in paths:
        shown = display_name(given)
        try:
            st = os.stat(given)
        except OSError as exc:
            if os.path.islink(given):
                yield InputFile(shown, error=ReadError("symlink_outside", "该链接指向的文件不存在或形成循环，未跟随。"))
            elif isinstance(exc, FileNotFoundError | NotADirectoryError):
                yield InputFile(shown, error=ReadError("not_found", f"找不到文件或文件夹：{shown}"))
            else:
                yield InputFile(shown, error=file_error(exc, given))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(Path(given), limits)
        elif stat.S_ISREG(st.st_mode):
            yield from _one_file(Path(given), shown, limits, explicit=True)
        else:
            yield InputFile(shown, error=ReadError("not_a_file"))


def _one_file(p: Path, shown: str, limits: Limits, explicit: bool = False) -> Iterator[InputFile]:

    if p.suffix.lower() == ".zip" and _looks_like_archive(p, limits):
        yield from iter_zip(p, shown, limits)
    elif explicit or p.suffix.lower() in READABLE_SUFFIXES or p.suffix.lower() == ".zip":
        yield InputFile(shown, source=Source("file", path=str(p)), limits=limits)


def _walk(top: Path, limits: Limits) -> Iterator[InputFile]:
    """Files under `top`, sorted; symlinks followed only while they stay inside `top` and do
    not lead back to a folder already being walked."""
    root = os.path.realpath(top)
    yield from _walk_dir(str(top), root, {root}, limits, {root})


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _walk_dir(folder: str, root: str, active: set[str], limits: Limits, visited: set[str]) -> Iterator[InputFile]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        yield InputFile(display_name(folder), error=file_error(exc, folder))
        return
    for e in entries:
        name = e.name
        full = os.path.join(folder, name)
        shown = display_name(full)
        if name.startswith(("~$", ".")):
            continue
        try:
            is_link = e.is_symlink()
            st = os.stat(full) if is_link else e.stat(follow_symlinks=False)
        except OSError as exc:
            if e.is_symlink():
                if Path(name).suffix.lower() in READABLE_SUFFIXES | {".zip"}:
                    yield InputFile(shown, error=ReadError("symlink_outside", "该链接指向的文件不存在或形成循环，未跟随。"))
                continue
            yield InputFile(shown, error=file_error(exc, full))
            continue
        if is_link:
            real = os.path.realpath(full)
            if not _inside(real, root):
                if stat.S_ISDIR(st.st_mode) or Path(name).suffix.lower() in READABLE_SUFFIXES | {".zip"}:
                    yield InputFile(shown, error=ReadError("symlink_outside"))
                continue
        if stat.S_ISDIR(st.st_mode):
            real = os.path.realpath(full)
            if real in active:  # a link back up the tree: walking it would never end
                yield InputFile(shown, error=ReadError("symlink_outside"))
                continue
            if real in visited:  # reached again through another link: its files are already in
                continue
            visited.add(real)
            yield from _walk_dir(full, root, active | {real}, limits, visited)
        elif stat.S_ISREG(st.st_mode):
            yield from _one_file(Path(full), shown, limits)
        elif Path(name).suffix.lower() in READABLE_SUFFIXES | {".zip"} or stat.S_ISFIFO(st.st_mode):
            yield InputFile(shown, error=ReadError("not_a_file"))


def _read(p: Path, display: str | None = None) -> InputFile:
    """Read one file now (callers that want the bytes in hand)."""
    lim = Limits()
    try:
        return InputFile(display or display_name(str(p)), data=read_file_bounded(str(p), lim))
    except ReadError as err:
        return InputFile(display or display_name(str(p)), error=err)
