"""Just enough of the OLE compound file format (MS-CFB) to vet a legacy file before conversion.

LibreOffice turns a truncated or hollow .doc into a document with a few stray characters and
exits 0, which would come back as an empty `ok` result. Reading the header, FAT and
directory tells us first whether the streams are all there. Every count is bounded by the
file's own length, so a hostile header costs nothing.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from checker.core.errors import ReadError

FREE, END, FAT_SECT, DIFAT_SECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
MAX_REGULAR = 0xFFFFFFFA


@dataclass
class Stream:
    name: str
    start: int
    size: int


class CFB:
    def __init__(self, data: bytes):
        if len(data) < 512:
            raise ValueError("short header")
        self.size = len(data)
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError("sector size")
        self.sector = 1 << shift
        self.n_sectors = -(-len(data) // self.sector) - 1  # a last sector may be short
        data = self.data = data + b"\0" * self.sector
        n_fat = struct.unpack_from("<I", data, 0x2C)[0]
        first_dir = struct.unpack_from("<I", data, 0x30)[0]
        self.cutoff = struct.unpack_from("<I", data, 0x38)[0] or 4096
        first_difat, n_difat = struct.unpack_from("<II", data, 0x44)
        fat_secs = [x for x in struct.unpack_from("<109I", data, 0x4C) if x < MAX_REGULAR]
        sec, hops = first_difat, 0
        while sec < MAX_REGULAR and hops < n_difat and hops <= self.n_sectors:
            words = struct.unpack_from(f"<{self.sector // 4}I", data, self._off(sec))
            fat_secs += [x for x in words[:-1] if x < MAX_REGULAR]
            sec, hops = words[-1], hops + 1
        if len(fat_secs) < min(n_fat, 1):
            raise ValueError("no FAT")
        self.fat: list[int] = []
        for fs in fat_secs[: self.n_sectors + 1]:
            self.fat.extend(struct.unpack_from(f"<{self.sector // 4}I", data, self._off(fs)))
        self.streams: dict[str, Stream] = {}
        self.root_start = END
        for sec in self.chain(first_dir):
            base = self._off(sec)
            for off in range(base, base + self.sector, 128):
                entry = data[off:off + 128]
                if len(entry) < 128:
                    break
                kind = entry[0x42]
                name_len = struct.unpack_from("<H", entry, 0x40)[0]
                name = entry[: max(0, min(name_len, 64) - 2)].decode("utf-16-le", "replace")
                start, size = struct.unpack_from("<IQ", entry, 0x74)
                if self.sector == 512:
                    size &= 0xFFFFFFFF
                if kind == 5:
                    self.root_start = start
                elif kind == 2:
                    self.streams.setdefault(name, Stream(name, start, size))

    def _off(self, sec: int) -> int:
        off = (sec + 1) * self.sector
        if sec >= MAX_REGULAR or off >= self.size:
            raise EOFError(f"sector {sec} beyond the end of the file")
        return off

    def chain(self, start: int):
        sec, seen = start, set()
        while sec < MAX_REGULAR:
            if sec in seen or len(seen) > self.n_sectors:
                raise ValueError("FAT loop")
            seen.add(sec)
            yield sec
            if sec >= len(self.fat):
                raise EOFError("chain beyond the FAT")
            sec = self.fat[sec]

    def check_stream(self, st: Stream) -> None:
        """Raise EOFError when a regular stream's sectors are not all inside the file."""
        if st.size < self.cutoff:
            return  # in the mini stream, which lives in the root's chain (checked separately)
        need = -(-st.size // self.sector)
        got = 0
        for sec in self.chain(st.start):
            self._off(sec)
            got += 1
            if got >= need:
                return
        raise EOFError(f"stream {st.name} shorter than declared")


def vet_doc(data: bytes) -> None:
    """Refuse a .doc/.wps whose compound file is cut short or lacks the streams Word needs."""
    try:
        cfb = CFB(data)
        if cfb.root_start < MAX_REGULAR:
            for _ in cfb.chain(cfb.root_start):
                pass
        for st in cfb.streams.values():
            cfb.check_stream(st)
    except EOFError as exc:
        raise ReadError("corrupt_file", "文件不完整（可能下载或复制时被截断），无法读取。请重新导出后再提交。") from exc
    except (ValueError, struct.error, IndexError) as exc:
        raise ReadError("corrupt_file", "旧版 Office 文件结构已损坏，无法读取。请另存为 .docx/.xlsx 后再提交。") from exc
    if "WordDocument" in cfb.streams and not ({"1Table", "0Table"} & set(cfb.streams)):
        raise ReadError("corrupt_file", "Word 文件不完整（缺少正文所需的表格流），无法读取。请重新导出后再提交。")
