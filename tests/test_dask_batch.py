"""`jxcheck batch --scheduler`: the same batch on a Dask cluster (a LocalCluster of 2 worker
processes here), over real files (the shipped samples, tables made by python-docx/openpyxl,
a PDF that inflates past the memory ceiling): the same outputs as the local pool, one result
per document when a worker is killed mid-run, resume after the batch itself is killed."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

ROOT = Path(__file__).resolve().parent.parent
JX = [sys.executable, "-m", "checker"]
sys.path.insert(0, str(ROOT / "tests"))
import hostile  # noqa: E402

SAMPLES = ("s01", "s02", "s04", "s05", "s11", "s13")  # docx, text PDF, xlsx, report, monitoring table


def load_bench():
    spec = importlib.util.spec_from_file_location("jx_bench_dask", ROOT / "scripts" / "bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def new_cluster() -> LocalCluster:
    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40)


@pytest.fixture(scope="module")
def cluster():
    c = new_cluster()
    try:
        yield c
    finally:
        c.close(timeout=30)


@pytest.fixture(scope="module")
def archive(tmp_path_factory, samples_dir) -> tuple[Path, Path]:
    """Samples of every format, two of them inside a .zip, a damaged file, and a PDF whose stream
    inflates to 1 GB (it must end at the worker's memory ceiling, as in the local pool)."""
    folder = tmp_path_factory.mktemp("dask-archive")
    files = sorted(p for p in samples_dir.iterdir() if p.name[:3] in SAMPLES and not p.name.endswith(".json"))
    assert len(files) == len(SAMPLES)
    for p in files[:-2]:
        shutil.copy(p, folder / p.name)
    with zipfile.ZipFile(folder / "报送材料.zip", "w") as zf:
        for p in files[-2:]:
            zf.write(p, p.name)
    whole = files[0].read_bytes()
    (folder / "损坏的文件.docx").write_bytes(whole[: len(whole) // 2])
    (folder / "inflate.pdf").write_bytes(hostile.pdf_inflating_stream(1024))
    cfg = tmp_path_factory.mktemp("dask-cfg") / "jxcheck.toml"
    cfg.write_text("[limits]\nmemory_mb = 1400\n", encoding="utf-8")
    return folder, cfg


def batch(inputs, out: Path, *extra: str, timeout: int = 180) -> subprocess.CompletedProcess:
    cmd = [*JX, "batch", *map(str, inputs), "--out", str(out), *extra]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def local_out(archive, tmp_path_factory) -> Path:
    folder, cfg = archive
    out = tmp_path_factory.mktemp("local-out")
    proc = batch([folder], out, "--jobs", "2", "--quiet", "--config", str(cfg))
    assert proc.returncode == 3, proc.stderr  # the damaged file and the inflating PDF
    return out


@pytest.mark.slow
def test_cluster_gives_the_same_outputs_as_the_local_pool(archive, cluster, local_out, tmp_path):
    folder, cfg = archive
    out = tmp_path / "out"
    host_port = cluster.scheduler_address.removeprefix("tcp://")
    proc = batch([folder], out, "--scheduler", f"dask://{host_port}", "--config", str(cfg))
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr and "进度" in proc.stderr and "完成：本次检查 8 个文件" in proc.stderr
    for name in ("documents.jsonl", "findings.jsonl", "documents.csv", "dismissed.jsonl"):
        assert (out / name).read_bytes() == (local_out / name).read_bytes(), name
    docs = {d["path"]: d for d in read_jsonl(out / "documents.jsonl")}
    assert len(docs) == 8  # 4 files, 2 inside the .zip, the damaged one, the inflating PDF: one result each
    assert docs[str(folder / "inflate.pdf")]["error"]["code"] == "resource_limit"  # the worker's ceiling held
    assert docs[str(folder / "损坏的文件.docx")]["error"]["code"] == "corrupt_file"
    assert sum(d["status"] == "ok" for d in docs.values()) == 6


@pytest.mark.slow
def test_shared_storage_reads_by_path_on_the_workers(archive, cluster, local_out, tmp_path):
    folder, cfg = archive
    sub = tmp_path / "in"
    sub.mkdir()
    for p in folder.iterdir():
        if p.suffix in (".zip", ".xlsx"):  # a file and archive members, by path
            shutil.copy(p, sub / p.name)
    out = tmp_path / "out"
    proc = batch([sub], out, "--scheduler", cluster.scheduler_address, "--shared-storage", "--quiet", "--config", str(cfg))
    assert proc.returncode in (0, 1), proc.stderr
    ref = {d["path"].replace(str(folder), str(sub)): d for d in read_jsonl(local_out / "documents.jsonl")}
    got = {d["path"]: d for d in read_jsonl(out / "documents.jsonl")}
    assert len(got) == 4 and set(got) <= set(ref)
    from checker.runner.crossdoc import codes

    def own(d: dict) -> dict:  # without what depends on the other documents of the batch (AC90, IN60/61)
        findings = [f for f in d["findings"] if f["code"] not in codes()]
        return {**{k: v for k, v in d.items() if k not in ("score", "grade", "score_breakdown")}, "findings": findings}

    for path, d in got.items():
        assert own(d) == own({**ref[path], "path": path}), path


@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Path:
    """16 distinct self-evaluation tables (python-docx, openpyxl): enough work to interrupt."""
    folder = tmp_path_factory.mktemp("dask-tables")
    load_bench().generate(folder, 16, seed=23)
    return folder


def inputs_of(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.is_file())


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_a_worker_killed_mid_run_still_gives_one_result_per_document(tables, tmp_path):
    import psutil

    from checker.runner.batch import run_batch
    from checker.core.config import load_config

    c = new_cluster()  # its own: this test kills one of its workers
    out = tmp_path / "out"
    log = out / "documents.jsonl"
    result: dict = {}

    def go():
        try:
            result["stats"] = run_batch([str(tables)], out, load_config(), scheduler=c.scheduler_address, progress=False)
        except BaseException as exc:  # re-raised in the test's thread below
            result["error"] = exc

    th = threading.Thread(target=go)
    try:
        with Client(c.scheduler_address, set_as_default=False) as client:
            th.start()
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and th.is_alive():
                if log.exists() and log.read_bytes().count(b"\n") >= 1 and any(client.processing().values()):
                    break
                time.sleep(0.05)
            busy = [addr for addr, tasks in client.processing().items() if tasks]
            assert busy and th.is_alive(), "the batch ended before a worker could be killed"
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            checkers = [p.pid for p in psutil.Process(pid).children(recursive=True)]  # its bounded checker processes
            written = log.read_bytes().count(b"\n")
            os.kill(pid, signal.SIGKILL)  # the Dask worker, mid-document
            th.join(180)
            assert not th.is_alive(), "the batch did not finish after losing a worker"
    finally:
        c.close(timeout=30)
    if "error" in result:
        raise result["error"]
    assert written < len(inputs_of(tables))  # the kill came while documents were still out
    docs = read_jsonl(log)
    assert sorted(d["path"] for d in docs) == inputs_of(tables)  # every document exactly once
    assert all(d["status"] == "ok" for d in docs)  # the lost task ran again on the other worker
    assert result["stats"].total == len(docs) and result["stats"].errors == 0
    assert checkers and not any(_alive(p) for p in checkers), "a checker process outlived its Dask worker"


@pytest.mark.slow
def test_killed_cluster_batch_resumes(tables, cluster, tmp_path):
    out = tmp_path / "out"
    log = out / "documents.jsonl"
    cmd = [*JX, "batch", str(tables), "--out", str(out), "--scheduler", cluster.scheduler_address, "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if log.exists() and log.read_bytes().count(b"\n") >= 3:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the batch ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    complete = log.read_bytes().count(b"\n")
    total = len(inputs_of(tables))
    assert 3 <= complete < total
    assert not (out / "documents.csv").exists()
    done = batch([tables], out, "--resume", "--scheduler", cluster.scheduler_address)
    assert done.returncode in (0, 1), done.stderr
    assert f"跳过已有结果 {complete} 个" in done.stderr and f"本次检查 {total - complete} 个文件" in done.stderr
    docs = read_jsonl(log)
    assert sorted(d["path"] for d in docs) == inputs_of(tables)


@pytest.mark.slow
def test_a_lost_scheduler_stops_the_batch_without_marking_documents(tables, tmp_path):
    """Documents out on the cluster when the scheduler goes away were not checked: the batch stops
    with a coded error and writes nothing for them, so --resume checks them later."""
    sched_file = tmp_path / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "cwd": ROOT}
    sched = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--scheduler-file", str(sched_file),
                              "--port", "0", "--no-dashboard", "--host", "127.0.0.1"], **quiet)  # fmt: skip
    worker = proc = None
    try:
        deadline = time.monotonic() + 60
        while not sched_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # the file is written whole
        address = json.loads(sched_file.read_text())["address"]
        worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-dashboard"], **quiet)
        out = tmp_path / "out"
        log = out / "documents.jsonl"
        proc = subprocess.Popen([*JX, "batch", str(tables), "--out", str(out), "--scheduler", address, "--quiet"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if log.exists() and log.read_bytes().count(b"\n") >= 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the batch ended before the scheduler could be stopped"
        sched.kill()
        written = log.read_bytes().count(b"\n")
        _, err = proc.communicate(timeout=120)
    finally:
        for p in (proc, worker, sched):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait(30)
    assert proc.returncode == 2 and "Traceback" not in err, err
    assert "错误（scheduler_lost）" in err and "--resume" in err
    docs = read_jsonl(log)
    assert written <= len(docs) < len(inputs_of(tables))
    assert all(d["status"] == "ok" for d in docs)  # none of the documents in flight became an error


# ---- usage errors: clear, coded, nothing written ------------------------------------------


def test_bad_scheduler_address_is_a_usage_error(tmp_path, samples_dir):
    proc = batch([samples_dir], tmp_path / "out", "--scheduler", "tcp://没有端口")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "错误（usage）" in proc.stderr and "调度器地址" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_scheduler_nobody_listens_on(tmp_path):
    import socket

    from checker.core.config import load_config
    from checker.runner.dask_pool import ClusterError, DaskPool

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    t0 = time.monotonic()
    with pytest.raises(ClusterError) as exc:
        DaskPool(f"dask://127.0.0.1:{port}", load_config(), connect_timeout=2)
    assert exc.value.code == "scheduler_unreachable" and "无法连接" in exc.value.message
    assert time.monotonic() - t0 < 30


def test_without_dask_installed_the_option_says_what_to_install(tmp_path, samples_dir):
    code = (
        "import sys; sys.modules['distributed'] = None\n"  # as if dask[distributed] were not installed
        "from checker.cli import main\n"
        f"sys.exit(main(['batch', {str(samples_dir)!r}, '--out', {str(tmp_path / 'out')!r}, '--scheduler', 'tcp://127.0.0.1:8786']))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "错误（needs_dask）" in proc.stderr and "jxcheck[cluster]" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_jobs_and_shared_storage_need_the_right_partner(tmp_path, samples_dir):
    proc = batch([samples_dir], tmp_path / "a", "--scheduler", "tcp://127.0.0.1:8786", "--jobs", "2")
    assert proc.returncode == 2 and "错误（usage）" in proc.stderr and "--jobs" in proc.stderr
    proc = batch([samples_dir], tmp_path / "b", "--shared-storage")
    assert proc.returncode == 2 and "错误（usage）" in proc.stderr and "--scheduler" in proc.stderr
