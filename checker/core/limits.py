"""Bounds on the work one document may cause, decided before the work is done.

Every limit lives in the `[limits]` section of jxcheck.toml (defaults below). The readers
check a declared size, span or dimension against these numbers *before* allocating
anything in proportion to it, and refuse the file with `too_large` naming what was too
large. The process limits (memory, time) are enforced around each document by
`checker.runner.isolate`, so a reader bug or a native library that ignores the numbers still
cannot take more than one document down.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from checker.core.errors import ReadError

# Defaults pass every real document seen so far (samples and corpus: the largest .docx is a few
# MB with ~40k table cells, the largest sheet ~3k rows x 40 columns); each is far above that.
DEFAULT_LIMITS: dict[str, Any] = {
    "max_file_mb": 200,  # one input file, or one member of an archive, as stored
    "max_unzipped_mb": 200,  # all parts of one .docx/.xlsx/.odt decompressed
    "max_part_mb": 64,  # one XML part decompressed (document.xml, a sheet, sharedStrings)
    "max_members": 10000,  # entries in one zip (document package or archive)
    "max_cells": 2_000_000,  # one table's grid after spans and merges are filled (rows x columns)
    "max_table_depth": 16,  # tables nested inside table cells
    "max_chars": 5_000_000,  # characters of text in one document
    "max_cell_chars": 10_000,  # one cell or paragraph; longer ones are cut there (with a notice) so no rule sees more
    "max_pages": 200,  # PDF pages read (the rest skipped with a notice)
    "max_archive_depth": 5,  # archives inside archives (.zip in .zip in .zip …)
    "memory_mb": 2048,  # address space of the process checking one document
    "timeout_s": 120,  # wall time for one document (reading + checking)
    "conversion_timeout_s": 120,  # LibreOffice conversion of one legacy file
    "conversion_memory_mb": 2048,  # address space of the LibreOffice process
}

# Older configs put three of these under [reader]; they still work there.
_READER_ALIASES = {"max_pages": "max_pages", "max_unzipped_mb": "max_unzipped_mb", "timeout_s": "conversion_timeout_s"}
_READER_DEFAULTS = {"max_pages": 200, "max_unzipped_mb": 200, "timeout_s": 120}

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = DEFAULT_LIMITS["max_file_mb"]
    max_unzipped_mb: float = DEFAULT_LIMITS["max_unzipped_mb"]
    max_part_mb: float = DEFAULT_LIMITS["max_part_mb"]
    max_members: int = DEFAULT_LIMITS["max_members"]
    max_cells: int = DEFAULT_LIMITS["max_cells"]
    max_table_depth: int = DEFAULT_LIMITS["max_table_depth"]
    max_chars: int = DEFAULT_LIMITS["max_chars"]
    max_cell_chars: int = DEFAULT_LIMITS["max_cell_chars"]
    max_pages: int = DEFAULT_LIMITS["max_pages"]
    max_archive_depth: int = DEFAULT_LIMITS["max_archive_depth"]
    memory_mb: float = DEFAULT_LIMITS["memory_mb"]
    timeout_s: float = DEFAULT_LIMITS["timeout_s"]
    conversion_timeout_s: float = DEFAULT_LIMITS["conversion_timeout_s"]
    conversion_memory_mb: float = DEFAULT_LIMITS["conversion_memory_mb"]

    @property
    def file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * MB)

    @property
    def part_bytes(self) -> int:
        return int(self.max_part_mb * MB)


def limits_of(config: Any) -> Limits:
    """The effective limits of a Config (or defaults for None)."""
    if config is None:
        return Limits()
    section = dict(config.section("limits")) if hasattr(config, "section") else {}
    reader = config.section("reader") if hasattr(config, "section") else {}
    for old, new in _READER_ALIASES.items():
        if old in reader and reader[old] != _READER_DEFAULTS[old] and new not in _user_limits(config):
            section[new] = reader[old]
    values = {}
    for f in fields(Limits):
        v = section.get(f.name, DEFAULT_LIMITS[f.name])
        try:
            v = float(v)
        except (TypeError, ValueError):
            v = float(DEFAULT_LIMITS[f.name])
        if not v > 0:  # 0, negative or NaN: keep the default rather than refuse everything
            v = float(DEFAULT_LIMITS[f.name])
        values[f.name] = v if f.name.endswith(("_mb", "_s")) else int(min(v, 2**62))
    return Limits(**values)


def _user_limits(config: Any) -> dict:
    # the [limits] keys a user set explicitly (different from the defaults)
    sec = config.section("limits")
    return {k: v for k, v in sec.items() if DEFAULT_LIMITS.get(k) != v}


def too_large(what: str) -> ReadError:
    """A `too_large` error saying what was over which limit."""
    return ReadError("too_large", f"{what}，超过上限，已拒绝读取（可能是压缩炸弹或异常文件）。如确属正常文件，可在配置文件的 [limits] 中调高上限。")


def mb(n: float) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB"
