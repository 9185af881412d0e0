"""`jxcheck batch`: score a whole archive in parallel, writing results as they come.

Main pass: every input goes through `checker.api.check_bytes` in a bounded worker
(`checker.runner.isolate`: memory ceiling, time limit per document, dies with the batch; a worker
that dies or times out gives its document `resource_limit` or `timeout` and a fresh one
takes over). The parent only names inputs and streams their hashes; each finished
document is appended as one complete JSON line to documents.jsonl and synced
to disk, so a killed batch loses at most the documents in flight and `--resume` picks
up from the content hashes already there. Final pass (after every document is in):
copy detection across documents, then documents.jsonl is rewritten sorted by path and
the derived files (documents.csv, findings.jsonl, units.xlsx, summary.xlsx) are built
from it, each via a temp file and os.replace.
"""

from __future__ import annotations

import json
import os
import sys
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from checker.api import Result, sha256_of
from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.finding import CATEGORIES, SEVERITY_RANK, exit_code
from checker.core.safetext import safe_text
from checker.runner.inputs import READABLE_SUFFIXES, InputFile, iter_inputs
from checker.runner.process import dumps as _dumps

DOCUMENTS = "documents.jsonl"



def error_doc(path: str, err: ReadError, sha: str = "") -> dict:
    r = Result(path=path, sha256=sha)
    r.status, r.error = "error", err
    return r.to_dict()


# ---- the append-only log --------------------------------------------------------------


class Log:
    """documents.jsonl opened for appending; every write is whole lines, flushed and synced."""

    def __init__(self, path: Path, fresh: bool):
        self.path = path
        if fresh or not path.exists():
            self.fh = open(path, "wb")
        else:
            truncate_partial_tail(path)
            self.fh = open(path, "ab")

    def write(self, lines: Iterable[str]) -> None:
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        if data:
            self.fh.write(data)
            self.fh.flush()
            os.fsync(self.fh.fileno())

    def close(self) -> None:
        self.fh.close()


def truncate_partial_tail(path: Path) -> None:
    """Cut a last line left half-written by a killed batch, so appends start clean."""
    size = path.stat().st_size
    if size == 0:
        return
    with open(path, "rb+") as fh:
        fh.seek(max(0, size - 1))
        if fh.read(1) == b"\n":
            return
        # walk back to the previous newline
        pos, step = size, 65536
        while pos > 0:
            start = max(0, pos - step)
            fh.seek(start)
            block = fh.read(pos - start)
            i = block.rfind(b"\n")
            if i >= 0:
                fh.truncate(start + i + 1)
                return
            pos = start
        fh.truncate(0)


def iter_log(path: Path) -> Iterator[tuple[int, int, dict]]:
    """(offset, length, document) of every complete, parseable line."""
    if not path.exists():
        return
    with open(path, "rb") as fh:
        offset = 0
        for raw in fh:
            n = len(raw)
            if raw.endswith(b"\n"):
                try:
                    doc = json.loads(raw)
                except ValueError:
                    doc = None
                if isinstance(doc, dict) and "path" in doc:
                    yield offset, n, doc
            offset += n


@dataclass
class Done:
    """What a previous run already wrote: content hashes and the paths seen for each."""

    by_sha: dict[str, tuple[int, int]] = field(default_factory=dict)  # sha -> (offset, length) of one line
    paths: set[tuple[str, str]] = field(default_factory=set)  # (sha, path)
    # sha -> (file path, lines) of a workbook that gave one document per filled form (`sheet` set)
    forms: dict[str, tuple[str, list[tuple[int, int]]]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Done:
        d = cls()
        for off, n, doc in iter_log(path):
            sha = doc.get("sha256") or ""
            d.paths.add((sha, doc["path"]))
            sheet = doc.get("sheet")
            if sha and sheet and doc["path"].endswith("#" + sheet):
                base = doc["path"][: -len(sheet) - 1]
                d.paths.add((sha, base))
                if d.forms.get(sha, (base,))[0] == base:
                    d.forms.setdefault(sha, (base, []))[1].append((off, n))
            if sha and sha not in d.by_sha:
                d.by_sha[sha] = (off, n)
        return d


# ---- inputs and progress -------------------------------------------------------------


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
                        n += _zip_count(Path(root) / f)
                    elif suffix in READABLE_SUFFIXES:
                        n += 1
        elif p.suffix.lower() == ".zip":
            n += _zip_count(p)
        else:
            n += 1
    return n


def _zip_count(p: Path) -> int:
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


# ---- the main pass --------------------------------------------------------------------


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class BatchStats:
    total: int = 0  # documents in DIR after the run
    checked: int = 0  # checked in this run
    skipped: int = 0  # already had a result (--resume)
    errors: int = 0  # documents with status error
    exit_code: int = 0
    seconds: float = 0.0


def run_batch(
    paths: list[str],
    out_dir: str | Path,
    config: Config,
    jobs: int | None = None,
    resume: bool = False,
    fail_on: str = "error",
    progress: bool = True,
    stream=None,
    previous: list[str | Path] | None = None,
    scheduler: str | None = None,
    shared_storage: bool = False,
) -> BatchStats:
    """Check every input under `paths` into `out_dir`; see the module docstring. `scheduler`:
    a Dask scheduler's address, to check the documents on that cluster (checker/runner/dask_pool.py)."""
    t0 = time.monotonic()
    jobs = max(1, jobs or default_jobs())
    sup = pool(config, jobs, scheduler, shared_storage)  # first: a cluster that cannot be used leaves DIR untouched
    if hasattr(sup, "prestart"):
        sup.prestart()  # the workers' warm-up runs while this process loads what the final pass needs
        _prepare_final(config)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    log_path = out / DOCUMENTS
    done = Done.load(log_path) if resume and log_path.exists() else Done()
    log = Log(log_path, fresh=not resume)
    stream = stream or sys.stderr
    bar = Progress(estimate_total(paths), stream=stream, enabled=progress)
    if hasattr(sup, "on_page"):  # the local pool forwards a scan's pages as its workers read them
        sup.on_page = lambda job, done, total: bar.page(job.path, done, total)
    stats = BatchStats()
    try:
        todo = _pending(iter_inputs(paths, config=config), done, log, log_path, bar, stats, config)
        for job, lines in sup.run(todo):
            log.write(lines)  # a workbook holding several filled forms gives one line per form
            stats.checked += 1
            bar.scans.pop(job.path, None)  # a scan stopped early (timeout) leaves no page line behind
            bar.advance(1)
    finally:
        sup.close()
        log.close()
        bar.close()
    if progress:
        bar.note("正在进行跨文档雷同检测并生成汇总表…")
    finalize(out, config, fail_on, stats, previous=previous)
    stats.seconds = time.monotonic() - t0
    return stats


def _prepare_final(config: Config) -> None:
    """Load the final pass's rules and workbook writer now, while the workers start (an optimisation:
    finalize loads whatever is missing)."""
    try:
        from checker.publishing import workbook  # noqa: F401
        from checker.runner import crossdoc

        crossdoc.find([], config)
        import openpyxl  # noqa: F401  (the workbook writer imports it when it writes)
    except Exception:
        pass


def pool(config: Config, jobs: int, scheduler: str | None = None, shared_storage: bool = False):
    """Where the documents are checked: local bounded workers, or a Dask cluster."""
    if scheduler:
        from checker.runner.dask_pool import DaskPool

        return DaskPool(scheduler, config, shared_storage=shared_storage)
    from checker.runner.isolate import Supervisor

    return Supervisor(config, jobs, mode="line")


def _pending(items: Iterable[InputFile], done: Done, log: Log, log_path: Path, bar: Progress, stats: BatchStats, config: Config | None = None):
    """Yield a Job per input still to check; write unreadable inputs and resumed copies directly.

    The content hash is streamed here (nothing held in memory); the worker reads the bytes."""
    from checker.runner.isolate import Job
    from checker.core.limits import limits_of

    lim = limits_of(config)
    for item in items:
        sha = ""
        if item.error is None:
            try:
                sha = item.source.sha256(lim)
            except ReadError as err:
                item.error = err
        if item.error is not None:
            if ("", item.path) in done.paths:
                stats.skipped += 1
                bar.advance(0, skipped=1)
                continue
            log.write([_dumps(error_doc(item.path, item.error))])
            done.paths.add(("", item.path))
            stats.checked += 1
            bar.advance(1)
            continue
        if (sha, item.path) in done.paths:
            stats.skipped += 1
            bar.advance(0, skipped=1)
            continue
        if sha in done.by_sha:
            # Same bytes already checked under another name (moved or duplicated file):
            # reuse that result under this path instead of checking again.
            base, spans = done.forms.get(sha, (None, [done.by_sha[sha]]))
            docs = []
            with open(log_path, "rb") as fh:
                for off, n in spans:
                    fh.seek(off)
                    docs.append(json.loads(fh.read(n)))
            for doc in docs:  # a workbook's forms keep their `#工作表名` under the new name
                doc["path"] = item.path + doc["path"][len(base):] if base is not None else item.path
            log.write([_dumps(doc) for doc in docs])
            done.paths.add((sha, item.path))
            stats.skipped += 1
            bar.advance(0, skipped=1)
            continue
        done.paths.add((sha, item.path))
        yield Job(item.path, item.path, item.source, sha)


# ---- the final pass -------------------------------------------------------------------


CATEGORY_COLUMNS = CATEGORIES
CSV_COLUMNS = (
    "path", "sha256", "format", "doc_type", "unit", "project", "year", "status", "error_code", "error_message",
    "score", "grade", "self_score", "recomputed_self_score",
    "findings_error", "findings_warning", "findings_info",
    *(f"findings_{c}" for c in CATEGORY_COLUMNS),
)  # fmt: skip


# documents.csv is for people (opened in Excel): Chinese headers and labels.
# Scripts read documents.jsonl, which keeps the contract's English keys.
CSV_HEADERS = {
    "path": "文件", "sha256": "SHA256", "format": "格式", "doc_type": "材料类型", "unit": "单位", "project": "项目",
    "year": "年度", "status": "状态", "error_code": "错误代码", "error_message": "无法读取原因", "score": "复核得分",
    "grade": "等级", "self_score": "自评得分", "recomputed_self_score": "按自评数据重算得分",
    "findings_error": "错误", "findings_warning": "警告", "findings_info": "提示",
}


def csv_header() -> list[str]:
    from checker.core.finding import CATEGORY_LABELS

    return [CSV_HEADERS.get(c) or CATEGORY_LABELS[c.removeprefix("findings_")] for c in CSV_COLUMNS]


DISMISSED = "dismissed.jsonl"  # findings a reviewer dismissed, with who, why and when


def ctx_of(doc: dict) -> dict:
    return {k: doc.get(k) for k in ("path", "sha256", "unit", "doc_type", "project")}


def load_previous(dirs: list[str | Path] | None) -> list[dict]:
    """DOCUMENT dicts of earlier batch results (their documents.jsonl), for cross-year checks."""
    out: list[dict] = []
    for d in dirs or []:
        p = Path(d)
        log = p / DOCUMENTS if p.is_dir() else p
        if not log.is_file():
            raise ReadError("not_found", f"找不到往年或上次的检查结果：{d}（应为 jxcheck batch 的输出文件夹）")
        out.extend(doc for _, _, doc in iter_log(log))
    return out


def finalize(out: Path, config: Config, fail_on: str, stats: BatchStats, previous: list[str | Path] | None = None) -> None:
    """Copy detection, then documents.jsonl sorted by path with its AC90 findings, then
    documents.csv, findings.jsonl, units.xlsx and summary.xlsx, each written atomically."""
    from checker.runner import crossdoc
    from checker.publishing.workbook import Summary, write_summary_xlsx, write_units_xlsx
    from checker.scoring.units import build_table, canonical_type, to_decimal

    log_path = out / DOCUMENTS
    latest: dict[str, tuple[int, int]] = {}  # path -> line; a later line for a path wins
    for off, n, doc in iter_log(log_path):
        latest[doc["path"]] = (off, n)
    order = sorted(latest)

    def docs():
        with open(log_path, "rb") as fh:
            for path in order:
                off, n = latest[path]
                fh.seek(off)
                yield json.loads(fh.read(n))

    # earlier batches: compared against, never reported; both only in the fields compared
    earlier = [crossdoc.slim(d) for d in load_previous(previous)]
    cross = crossdoc.find([crossdoc.slim(d) for d in docs()], config, earlier)
    summary = Summary()
    unit_records = []
    max_rank = 0
    tmp = {name: out / f".{name}.tmp" for name in (DOCUMENTS, "findings.jsonl", "documents.csv", DISMISSED)}
    with (
        open(tmp[DISMISSED], "w", encoding="utf-8") as fdis,
        open(tmp[DOCUMENTS], "w", encoding="utf-8") as fdocs,
        open(tmp["findings.jsonl"], "w", encoding="utf-8") as ffind,
        open(tmp["documents.csv"], "w", encoding="utf-8-sig", newline="") as fcsv,
    ):
        import csv

        writer = csv.writer(fcsv)
        writer.writerow(csv_header())
        for i, doc in enumerate(docs()):
            # idempotent: a resumed batch recomputes the cross-document findings from scratch
            doc = crossdoc.merge(doc, cross.get(i, []), config)
            findings = doc["findings"]
            for d in doc.get("dismissed") or []:
                fdis.write(_dumps({**ctx_of(doc), **d}) + "\n")
            fdocs.write(_dumps(doc) + "\n")
            ctx = ctx_of(doc)
            for f in findings:
                ffind.write(_dumps({**ctx, **f}) + "\n")
                max_rank = max(max_rank, SEVERITY_RANK.get(f.get("severity"), 0))
            writer.writerow(_csv_row(doc))
            summary.add(doc)
            if doc.get("status") == "ok" and doc.get("score") is not None and canonical_type(doc.get("doc_type")):
                unit_records.append((doc.get("unit") or UNNAMED_UNIT, canonical_type(doc["doc_type"]), to_decimal(doc["score"])))
        for fh in (fdocs, ffind, fcsv, fdis):
            fh.flush()
            os.fsync(fh.fileno())
    for name, path in tmp.items():
        os.replace(path, out / name)
    table = build_table(unit_records)
    write_units_xlsx(table, out / "units.xlsx")
    write_summary_xlsx(summary, table, out / "summary.xlsx")
    stats.total = summary.documents
    stats.errors = summary.errors
    stats.exit_code = exit_code(summary.errors, max_rank, fail_on)


from checker.scoring.units import UNNAMED_UNIT  # noqa: E402  same label as the report drafter


def _csv_row(doc: dict) -> list:
    sev = {"error": 0, "warning": 0, "info": 0}
    cat = dict.fromkeys(CATEGORY_COLUMNS, 0)
    for f in doc.get("findings") or []:
        if f.get("severity") in sev:
            sev[f["severity"]] += 1
        if f.get("category") in cat:
            cat[f["category"]] += 1
    err = doc.get("error") or {}
    values = {
        **doc,
        "error_code": err.get("code"),
        "error_message": err.get("message"),
        **{f"findings_{k}": v for k, v in sev.items()},
        **{f"findings_{k}": v for k, v in cat.items()},
    }
    from checker.core.document import DOC_TYPE_LABELS

    values["doc_type"] = DOC_TYPE_LABELS.get(doc.get("doc_type") or "unknown", "未识别")
    values["status"] = "正常" if doc.get("status") == "ok" else "无法读取"
    return ["" if values.get(c) is None else values.get(c) for c in CSV_COLUMNS]
