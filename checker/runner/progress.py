"""Progress of a batch (checker.runner.batch): a rich bar on a terminal, otherwise a plain line
every few seconds on stderr, with the pages of scanned documents being read."""

from __future__ import annotations

import os
import sys
import time
import zipfile
from pathlib import Path

from checker.core.safetext import safe_text
from checker.runner.inputs import READABLE_SUFFIXES


def estimate_total(paths: list[str]) -> int:
    """Number of input files, counted without reading them (for the progress bar only)."""
    n = 0
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for root, _dirs, files in os.walk(p):
                for f in files:
                    if f.startswith(("~$", ".")):
                        continue
                    suffix = Path(f).suffix.lower()
                    if suffix == ".zip":
                        n += zip_count(Path(root) / f)
                    elif suffix in READABLE_SUFFIXES:
                        n += 1
        elif p.suffix.lower() == ".zip":
            n += zip_count(p)
        else:
            n += 1
    return n


def zip_count(p: Path) -> int:
    try:
        with zipfile.ZipFile(p) as zf:
            return sum(1 for i in zf.infolist() if not i.is_dir() and Path(i.filename).suffix.lower() in READABLE_SUFFIXES)
    except (zipfile.BadZipFile, OSError):
        return 1


class Progress:
    """A rich progress bar on a terminal; otherwise a plain line every few seconds (stderr)."""

    def __init__(self, total: int, stream=None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.total, self.done, self.skipped = total, 0, 0
        self.start = time.monotonic()
        self.last_line = 0.0
        self.enabled = enabled
        self.bar = None
        self.scans: dict[str, tuple[int, int]] = {}  # scanned documents being read: path -> (pages done, pages)
        self.last_page_line = 0.0
        if enabled and self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self.bar = RichProgress(
                TextColumn("[bold]检查中"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} 个/秒"),
                TextColumn("剩余"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[scan]}", markup=False),  # file names are not markup
                console=Console(file=self.stream),
                transient=False,
            )
            self.task = self.bar.add_task("batch", total=total, rate="—", scan="")
            self.bar.start()

    def rate(self) -> float:
        elapsed = time.monotonic() - self.start
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, n: int = 1, skipped: int = 0) -> None:
        self.done += n
        self.skipped += skipped
        if self.done + self.skipped > self.total:
            self.total = self.done + self.skipped
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done + self.skipped, total=self.total, rate=f"{self.rate():.1f}")
        elif self.enabled:
            now = time.monotonic()
            if now - self.last_line >= 2.0 or self.done + self.skipped == self.total:
                self.last_line = now
                self._line()

    def page(self, path: str, done: int, total: int) -> None:
        """A worker read page `done` of a scanned document's `total` (0 = starting): shown as
        识别 第 i/n 页, so a long scan does not look hung."""
        if done >= total:
            self.scans.pop(path, None)
        else:
            self.scans[path] = (done, total)
        text = "；".join(f"识别扫描件 {safe_text(Path(p).name)} 第 {d + 1}/{n} 页" for p, (d, n) in list(self.scans.items())[:2])
        if self.bar is not None:
            self.bar.update(self.task, scan=text)
        elif self.enabled and text:
            now = time.monotonic()
            if done == 0 or now - self.last_page_line >= 2.0:
                self.last_page_line = now
                print(f"正在{text}", file=self.stream, flush=True)

    def _line(self) -> None:
        n = self.done + self.skipped
        rate = self.rate()
        left = (self.total - n) / rate if rate > 0 else 0
        pct = 100 * n / self.total if self.total else 100
        skipped = f"（其中跳过已有结果 {self.skipped} 个）" if self.skipped else ""
        print(f"进度 {n}/{self.total}（{pct:.0f}%）{skipped}，{rate:.1f} 个/秒，预计剩余 {left:.0f} 秒", file=self.stream, flush=True)

    def note(self, text: str) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.console.print(text)
        else:
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
