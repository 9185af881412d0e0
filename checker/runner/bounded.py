"""Input bytes within the limits: a file or a member of (nested) archives, read or hashed as a
stream, never whole beyond `[limits] max_file_mb`; and names made safe to show."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator

from checker.core.errors import ReadError
from checker.core.limits import Limits, mb, too_large

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def display_name(name: str | bytes) -> str:
    """A file name as shown in results: undecodable bytes and control characters escaped."""
    if isinstance(name, bytes):
        text = name.decode("utf-8", "backslashreplace")
    else:
        try:
            text = os.fsencode(name).decode("utf-8", "backslashreplace") if _has_surrogates(name) else name
        except (UnicodeError, ValueError):
            text = name.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: _escape(m.group()), text)


def _has_surrogates(s: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in s)


def _escape(ch: str) -> str:
    o = ord(ch)
    if 0xDC80 <= o <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{o - 0xDC00:02x}"
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


# ---- reading, bounded ---------------------------------------------------------------

_CHUNK = 1 << 20


def _open_regular(path: str) -> int:
    """Open without blocking on a FIFO and refuse anything that is not a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ReadError("not_a_file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def file_error(exc: OSError, path: str) -> ReadError:
    import errno

    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return ReadError("not_found", f"找不到文件：{display_name(path)}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ReadError("unreadable", f"没有读取该文件的权限：{display_name(path)}")
    if exc.errno == errno.ELOOP:
        return ReadError("symlink_outside")
    return ReadError("unreadable", f"无法读取文件：{display_name(path)}（{exc.strerror or exc}）")


def read_file_bounded(path: str, limits: Limits) -> bytes:
    try:
        fd = _open_regular(path)
    except OSError as exc:
        raise file_error(exc, path) from exc
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limits.file_bytes:
            raise too_large(f"文件大小 {mb(size)}（上限 {mb(limits.file_bytes)}）")
        try:
            data = fh.read(limits.file_bytes + 1)
        except OSError as exc:
            raise file_error(exc, path) from exc
    if len(data) > limits.file_bytes:
        raise too_large(f"文件大小超过 {mb(limits.file_bytes)}")
    return data


def hash_file(path: str, limits: Limits) -> str:
    h = hashlib.sha256()
    try:
        fd = _open_regular(path)
    except OSError as exc:
        raise file_error(exc, path) from exc
    with os.fdopen(fd, "rb") as fh:
        n = 0
        while block := fh.read(_CHUNK):
            n += len(block)
            if n > limits.file_bytes:
                raise too_large(f"文件大小超过 {mb(limits.file_bytes)}")
            h.update(block)
    return h.hexdigest()


def open_archive(src, limits: Limits) -> zipfile.ZipFile:
    from checker.reading.parsers.common import open_zip

    if isinstance(src, bytes | bytearray):
        return open_zip(bytes(src), limits, "压缩包")
    try:
        fd = _open_regular(src)
    except OSError as exc:
        raise file_error(exc, src) from exc
    fh = os.fdopen(fd, "rb")
    try:
        return open_zip(fh, limits, "压缩包")
    except BaseException:
        fh.close()
        raise


def _member_stream(zf: zipfile.ZipFile, name: str, limits: Limits) -> Iterator[bytes]:
    try:
        info = zf.getinfo(name)
    except KeyError as exc:
        raise ReadError("not_found", "压缩包中找不到该文件。") from exc
    if info.file_size > limits.file_bytes:
        raise too_large(f"压缩包中的该文件解压后 {mb(info.file_size)}（上限 {mb(limits.file_bytes)}）")
    n = 0
    try:
        with zf.open(info) as fh:
            while block := fh.read(_CHUNK):
                n += len(block)
                if n > limits.file_bytes:
                    raise too_large(f"压缩包中的该文件解压后超过 {mb(limits.file_bytes)}")
                yield block
    except ReadError:
        raise
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError, zlib.error, ValueError) as exc:
        raise ReadError("corrupt_file", "压缩包中的该文件无法解压（已损坏或已加密）。") from exc


def read_member_chain(src, members: tuple[str, ...], limits: Limits) -> bytes:
    """Bytes of members[-1], inside members[-2] … inside the archive `src` (path or bytes)."""
    data = src
    for name in members:
        with open_archive(data, limits) as zf:
            data = b"".join(_member_stream(zf, name, limits))
    return data if isinstance(data, bytes) else b""


def hash_member_chain(src, members: tuple[str, ...], limits: Limits) -> str:
    outer = read_member_chain(src, members[:-1], limits) if len(members) > 1 else src
    h = hashlib.sha256()
    with open_archive(outer, limits) as zf:
        for block in _member_stream(zf, members[-1], limits):
            h.update(block)
    return h.hexdigest()
