"""`jxcheck batch --scheduler ADDRESS`: the batch's per-document work on a Dask cluster.

The parent (the `jxcheck batch` process) stays what it is for the local pool: it names the
inputs, streams their hashes, writes each finished document to the crash-safe
documents.jsonl, drives the progress bar and runs the final pass. Only the main pass moves:
each document becomes one task on an existing dask.distributed cluster instead of one job
for a local worker.

On a Dask worker a task checks its document exactly as the local pool does, in a bounded
child process (`checker.runner.isolate.Supervisor`: memory ceiling, time limit per document); a
child that crashes or runs over its time gives that document `resource_limit` or `timeout`
and the Dask worker carries on. A Dask worker that dies itself (killed, its machine lost)
has its tasks rescheduled by Dask on the others; a task that has lost several workers
(Dask's `allowed-failures`) gives `resource_limit`. So every document gets exactly one
result, whatever happens to the workers.

Memory: at most a window of tasks (twice the cluster's worker threads) is in flight, so the
parent holds at most that many documents, never the archive. Documents go to the workers
as bytes (read here, within `[limits] max_file_mb`); with `--shared-storage` only their
path goes, and the workers read them from the storage they share with this machine.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.limits import limits_of
from checker.runner.inputs import Source
from checker.runner.isolate import Job, Supervisor, error_result

INSTALL_HINT = "pip install 'jxcheck[cluster]'"
CONNECT_TIMEOUT_S = 30  # reaching the scheduler
NO_WORKERS_S = 300  # a cluster without a single worker this long stops the batch (resumable)
QUIET_LOGGERS = ("distributed", "distributed.batched", "distributed.client", "distributed.comm", "distributed.core", "distributed.utils")
SCATTER_BYTES = 4 * 1024 * 1024  # larger documents go to a worker directly, not through the scheduler


class ClusterError(Exception):
    """The cluster cannot be used (not installed, unreachable, workers unfit): a usage error
    of the batch, not of a document; `code` for scripts, `message` in Chinese."""

    def __init__(self, code: str, message: str):
        self.code, self.message = code, message
        super().__init__(f"{code}: {message}")


def scheduler_address(text: str) -> str:
    """`tcp://HOST:PORT`, `dask://HOST:PORT` or `HOST:PORT` → the address Dask connects to."""
    t = (text or "").strip()
    if t.startswith("dask://"):
        t = "tcp://" + t[len("dask://") :]
    elif "://" not in t:
        t = "tcp://" + t
    scheme, _, rest = t.partition("://")
    host, _, port = rest.rstrip("/").rpartition(":")
    if scheme not in ("tcp", "tls", "inproc", "ws", "wss") or not host or not port.isdigit():
        raise ClusterError("usage", f"调度器地址格式不对：{text}（应为 tcp://主机:端口 或 dask://主机:端口，例如 tcp://10.0.0.5:8786）")
    return f"{scheme}://{host}:{port}"


def require_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise ClusterError(
            "needs_dask",
            f"使用 --scheduler 在 Dask 集群上批量检查，需要先安装 Dask 分布式组件：{INSTALL_HINT}"
            f"（不使用 --scheduler 时在本机检查，不需要安装）。缺少：{exc.name or exc}",
        ) from exc
    return distributed


# ---- both sides: is the worker's checker the same as ours? --------------------------------

_fingerprint: str | None = None


def code_fingerprint() -> str:
    """Hash of the checker's code and rules: a worker running other code or rules would give
    other findings for the same bytes, so the batch refuses such a cluster."""
    global _fingerprint
    if _fingerprint is None:
        import checker

        pkg = Path(checker.__file__).resolve().parent
        # rules/ sits inside the installed package but beside it in a source checkout
        rules = pkg / "rules" if (pkg / "rules").is_dir() else pkg.parent / "rules"
        files = [(p.relative_to(pkg).as_posix(), p) for p in pkg.rglob("*") if p.relative_to(pkg).parts[0] not in ("rules", "models")]
        files += [("rules/" + p.relative_to(rules).as_posix(), p) for p in rules.rglob("*")] if rules.is_dir() else []
        h = hashlib.sha256()
        for rel, p in sorted(files):
            if p.suffix in (".py", ".yaml", ".txt") and "__pycache__" not in rel and p.is_file():
                h.update(rel.encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
        _fingerprint = f"{checker.__version__}:{h.hexdigest()[:16]}"
    return _fingerprint


# ---- worker side ----------------------------------------------------------------------------

_local = threading.local()  # one bounded checker process per Dask worker thread


def _supervisor(config: Config, key: str) -> Supervisor:
    sup = getattr(_local, "sup", None)
    if sup is None or getattr(_local, "key", None) != key:
        if sup is not None:
            sup.close()
        sup = Supervisor(config, 1, mode="line")
        _local.sup, _local.key = sup, key
    return sup


def check_on_worker(path: str, source: Source, sha: str, config: Config, key: str) -> list[str]:
    """One input's documents as JSON lines, checked in this worker's bounded child process:
    the same lines the local pool writes for it."""
    sup = _supervisor(config, key)
    for _job, lines in sup.run([Job(0, path, source, sha)]):
        return lines
    raise RuntimeError("no result")  # Supervisor.run yields once per job


def probe() -> str:
    return code_fingerprint()


# ---- parent side ----------------------------------------------------------------------------


def _config_key(config: Config) -> str:
    import json

    return hashlib.sha256(json.dumps(config.data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


class DaskPool:
    """The local pool's interface (`run(jobs)` yields (job, JSON lines) as inputs finish;
    `close()`) over a Dask cluster."""

    def __init__(self, address: str, config: Config, shared_storage: bool = False,
                 connect_timeout: float = CONNECT_TIMEOUT_S, no_workers_s: float = NO_WORKERS_S):  # fmt: skip
        self.address = scheduler_address(address)
        distributed = require_distributed()
        self.config = config
        self.limits = limits_of(config)
        self.shared = shared_storage
        self.no_workers_s = no_workers_s
        self.key = _config_key(config)
        self.client = None
        # the client logs its reconnection attempts with tracebacks; the batch says it in Chinese
        self._quiet = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL)
        try:
            self.client = distributed.Client(self.address, timeout=f"{connect_timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError("scheduler_unreachable", f"无法连接 Dask 调度器 {self.address}（{connect_timeout:.0f} 秒内没有响应）。"
                               "请确认调度器已启动、地址和端口正确，且本机能访问该端口。") from exc  # fmt: skip
        try:
            self._check_workers(connect_timeout)
            self.config_future = self.client.scatter(config, broadcast=True, hash=False)
        except BaseException:
            self.close()
            raise

    def _check_workers(self, timeout: float) -> None:
        try:
            self.client.wait_for_workers(1, timeout=max(timeout, 1))
        except (TimeoutError, OSError) as exc:
            raise ClusterError("no_workers", f"Dask 调度器 {self.address} 上没有可用的工作节点（等待 {timeout:.0f} 秒）。"
                               "请先启动工作节点（dask worker 调度器地址）。") from exc  # fmt: skip
        try:
            seen = self.client.run(probe)
        except Exception as exc:
            raise ClusterError("worker_setup", "Dask 工作节点无法运行 jxcheck：每个工作节点上都需要安装与本机相同版本的 jxcheck。"
                               f"（{type(exc).__name__}: {exc}）") from exc  # fmt: skip
        ours = code_fingerprint()
        other = sorted(addr for addr, fp in seen.items() if fp != ours)
        if other:
            raise ClusterError("worker_version", f"有 {len(other)} 个 Dask 工作节点上的 jxcheck 与本机版本或规则不同，"
                               "检查结果会不一致。请在所有工作节点上安装与本机相同的版本后再试。")  # fmt: skip

    def window(self) -> int:
        """Tasks in flight: enough to keep every worker thread busy while results travel back."""
        try:
            threads = sum(self.client.nthreads().values())
        except Exception:
            threads = 1
        return max(4, 2 * threads)

    def _source_for(self, job: Job) -> Any:
        """What travels with the task: the document's bytes, or its absolute path (shared storage)."""
        src = job.source
        if self.shared and src.path is not None and src.data is None:
            return dataclasses.replace(src, path=os.path.abspath(src.path))
        data = src.load(self.limits)  # ReadError: the caller writes the document's error
        out = Source("bytes", data=data)
        if len(data) > SCATTER_BYTES:
            try:
                return self.client.scatter(out, hash=False)
            except OSError as exc:
                raise self._lost() from exc
        return out

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, list[str]]]:
        from concurrent.futures import CancelledError

        from distributed import wait

        todo = iter(jobs)
        inflight: dict[Any, Job] = {}
        exhausted = False
        batch = uuid.uuid4().hex[:8]
        n = 0
        width, sized = self.window(), time.monotonic()
        idle_since: float | None = None
        try:
            while True:
                while not exhausted and len(inflight) < width:
                    try:
                        job = next(todo)
                    except StopIteration:
                        exhausted = True
                        break
                    if job.error is not None:  # known bad before any worker
                        yield job, error_result(job, job.error, "line")
                        continue
                    try:
                        src = self._source_for(job)
                    except ReadError as err:  # as the local worker reports a file it cannot load
                        yield job, error_result(dataclasses.replace(job, sha256=""), err, "line")
                        continue
                    n += 1
                    try:
                        fut = self.client.submit(check_on_worker, job.path, src, job.sha256, self.config_future, self.key,
                                                 key=f"jxcheck-{batch}-{n}", pure=False)  # fmt: skip
                    except OSError as exc:
                        raise self._lost() from exc
                    inflight[fut] = job
                if not inflight:
                    return
                try:
                    with self.client.as_current():
                        done, _ = wait(list(inflight), timeout=10, return_when="FIRST_COMPLETED")
                except TimeoutError:  # nothing finished in 10 s: see whether any worker is left
                    done = set()
                except (OSError, CancelledError) as exc:  # the connection itself, or futures it took with it
                    raise self._lost() from exc
                if not done:
                    idle_since = self._watch_workers(idle_since)
                    continue
                idle_since = None
                for fut in done:
                    job = inflight.pop(fut)
                    yield job, self._lines(fut, job)
                    fut.release()
                if not exhausted and time.monotonic() - sized > 5:
                    width, sized = self.window(), time.monotonic()  # workers may have joined or left
        finally:
            if inflight:  # abandoned mid-run: an exception, Ctrl+C, or the caller stopped iterating
                try:
                    self.client.cancel(list(inflight))
                except Exception:
                    pass

    def _lines(self, fut, job: Job) -> list[str]:
        from concurrent.futures import CancelledError

        if fut.cancelled():  # not by us: the scheduler went away or restarted; the file was not checked
            raise self._lost()
        try:
            return fut.result()
        except (OSError, CancelledError) as exc:  # the result did not come back: the connection is gone, the file unchecked
            raise self._lost() from exc
        except Exception as exc:
            from distributed import KilledWorker

            if isinstance(exc, KilledWorker):  # its task lost worker after worker: the file is the likely cause
                return error_result(job, ReadError("resource_limit"), "line")
            err = ReadError("internal_error", f"在 Dask 工作节点上检查时发生内部错误：{type(exc).__name__}: {exc}")
            return error_result(job, err, "line")

    def _lost(self) -> ClusterError:
        return ClusterError("scheduler_lost", f"与 Dask 调度器 {self.address} 的连接中断，批量检查已停止；"
                            "已完成的文档结果已保存，调度器恢复后加 --resume 继续。")  # fmt: skip

    def _watch_workers(self, idle_since: float | None) -> float | None:
        """Stop a batch whose cluster has had no worker for `no_workers_s` (it would wait forever)."""
        try:
            workers = len(self.client.scheduler_info().get("workers") or {})
        except Exception:
            workers = 0
        if workers:
            return None
        now = time.monotonic()
        if idle_since is None:
            return now
        if now - idle_since > self.no_workers_s:
            raise ClusterError("no_workers", f"Dask 集群已有 {self.no_workers_s:.0f} 秒没有可用的工作节点，批量检查已停止；"
                               "已完成的文档结果已保存，工作节点恢复后加 --resume 继续。")  # fmt: skip
        return idle_since

    def close(self) -> None:
        if self.client is not None:
            try:
                self.client.close()
            except Exception:
                pass
            self.client = None
        for name, level in getattr(self, "_quiet", {}).items():
            logging.getLogger(name).setLevel(level)
