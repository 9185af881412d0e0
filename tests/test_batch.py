"""`jxcheck batch` over real generated files (python-docx/openpyxl): one result per
document, unreadable files reported with exit 3, derived files, kill + resume."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
JX = [sys.executable, "-m", "checker"]


def load_bench():
    spec = importlib.util.spec_from_file_location("jx_bench", ROOT / "scripts" / "bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def bench():
    return load_bench()


@pytest.fixture(scope="session")
def archive(tmp_path_factory, bench) -> Path:
    """8 self-evaluation tables (4 docx, 4 xlsx) plus a damaged and an empty file."""
    folder = tmp_path_factory.mktemp("archive")
    bench.generate(folder, 8, seed=11)
    whole = next((folder / "docx").iterdir()).read_bytes()
    (folder / "损坏的文件.docx").write_bytes(whole[: len(whole) // 2])  # cut off mid-transfer
    (folder / "空文件.xlsx").write_bytes(b"")
    return folder


def run_batch(inputs, out: Path, *extra: str, timeout: int = 300) -> subprocess.CompletedProcess:
    cmd = [*JX, "batch", *map(str, inputs), "--out", str(out), *extra]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def batch_out(archive, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("out")
    return out, run_batch([archive], out, "--jobs", "2")


def inputs_of(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.is_file())


def test_one_result_per_document_and_exit_3(archive, batch_out):
    out, proc = batch_out
    assert proc.returncode == 3, proc.stderr  # two inputs could not be read
    assert "Traceback" not in proc.stderr
    docs = read_jsonl(out / "documents.jsonl")
    assert sorted(d["path"] for d in docs) == inputs_of(archive)  # exactly one each
    by_name = {Path(d["path"]).name: d for d in docs}
    assert by_name["损坏的文件.docx"]["status"] == "error"
    assert by_name["损坏的文件.docx"]["error"]["code"] == "corrupt_file"
    assert by_name["空文件.xlsx"]["error"]["code"] == "empty_file"
    good = [d for d in docs if not d["path"].endswith(("损坏的文件.docx", "空文件.xlsx"))]
    assert len(good) == 8 and all(d["status"] == "ok" for d in good), [d.get("error") for d in good]
    assert all(d["doc_type"] == "self_eval_table" and d["unit"] and d["score"] is not None for d in good)
    assert [d["path"] for d in docs] == sorted(d["path"] for d in docs)  # final file is sorted


def test_documents_csv(batch_out):
    """documents.csv is for people: Chinese headers and labels (documents.jsonl keeps the English keys)."""
    from checker.core.document import DOC_TYPE_LABELS

    out, _ = batch_out
    docs = {d["path"]: d for d in read_jsonl(out / "documents.jsonl")}
    with open(out / "documents.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(docs)
    assert not any(re.search(r"[A-Za-z_]{3,}", h) for h in rows[0] if h != "SHA256"), list(rows[0])
    for r in rows:
        d = docs[r["文件"]]
        assert r["SHA256"] == d["sha256"] and r["状态"] == ("正常" if d["status"] == "ok" else "无法读取")
        if d["status"] == "error":
            assert r["错误代码"] == d["error"]["code"] and r["无法读取原因"]
        else:
            assert float(r["复核得分"]) == d["score"] and r["等级"] == d["grade"] and r["单位"] == d["unit"]
            assert r["材料类型"] == DOC_TYPE_LABELS[d["doc_type"]]
        sev = Counter(f["severity"] for f in d["findings"])
        cat = Counter(f["category"] for f in d["findings"])
        assert int(r["警告"]) == sev["warning"] and int(r["错误"]) == sev["error"]
        assert int(r["指标设置不规范"]) == cat["vague_indicator"]
        assert int(r["绩效意识不强"]) == cat["weak_accountability"]


def test_findings_jsonl_carries_the_document(batch_out):
    out, _ = batch_out
    docs = {d["path"]: d for d in read_jsonl(out / "documents.jsonl")}
    rows = read_jsonl(out / "findings.jsonl")
    assert len(rows) == sum(len(d["findings"]) for d in docs.values())
    for f in rows:
        d = docs[f["path"]]
        assert f["sha256"] == d["sha256"] and f["unit"] == d["unit"] and f["doc_type"] == d["doc_type"] and f["project"] == d["project"]
        assert {"code", "category", "severity", "message", "evidence", "suggestion", "location"} <= set(f)


def test_units_xlsx_is_the_unit_table_of_the_scores(batch_out):
    from checker.scoring.units import unit_table

    out, _ = batch_out
    docs = read_jsonl(out / "documents.jsonl")
    want = unit_table([{"unit": d["unit"], "doc_type": d["doc_type"], "score": d["score"]} for d in docs if d["status"] == "ok"])
    rows = list(openpyxl.load_workbook(out / "units.xlsx").active.iter_rows(values_only=True))
    body = rows[2:]
    assert rows[1][:2] == ("序号", "单位名称")
    assert [r[1] for r in body] == [w["单位名称"] for w in want]
    assert [r[6] for r in body] == [w["平均分"] for w in want]
    assert all(r[3] == "无" for r in body)  # only 自评表 in this archive


def test_summary_workbook(batch_out):
    out, _ = batch_out
    docs = read_jsonl(out / "documents.jsonl")
    findings = read_jsonl(out / "findings.jsonl")
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    ws = wb["问题类型汇总"]
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$1:$2"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    from checker.core.finding import CATEGORY_LABELS

    rows = {r[0]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    for cat, label in CATEGORY_LABELS.items():
        if cat == "reading":
            continue
        problems = [f for f in findings if f["category"] == cat and f["severity"] != "info"]
        assert rows[label][3] == len(problems), label
        assert rows[label][2] == len({f["path"] for f in problems})
        assert rows[label][1] == len({f["unit"] for f in problems})
    assert rows["文件无法读取"][2] == sum(d["status"] == "error" for d in docs) == 2
    overview = {r[0]: r[1] for r in wb["概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["文档总数"] == 10 and overview["无法读取"] == 2
    units = wb["单位问题汇总"]
    totals = [r[-1] for r in units.iter_rows(min_row=3, values_only=True)]
    assert totals == sorted(totals, reverse=True)  # most affected first
    listing = list(wb["文档清单"].iter_rows(min_row=3, values_only=True))
    assert len(listing) == 10
    graded = [r for r in listing if r[7] in ("优", "良", "中", "差")]
    assert graded  # colour by grade on the score cell
    row = next(i for i, r in enumerate(listing, 3) if r[7] in ("优", "良", "中", "差"))
    assert wb["文档清单"].cell(row, 7).fill.fgColor.rgb.endswith(("C6EFCE", "DDEBF7", "FFEB9C", "FFC7CE"))
    assert any(r[6] == "无" for r in listing)  # unreadable documents have no score


def test_same_result_with_one_or_two_workers(archive, batch_out, tmp_path):
    out, _ = batch_out
    proc = run_batch([archive], tmp_path, "--jobs", "1", "--quiet")
    assert proc.returncode == 3
    assert (tmp_path / "documents.jsonl").read_bytes() == (out / "documents.jsonl").read_bytes()
    assert (tmp_path / "findings.jsonl").read_bytes() == (out / "findings.jsonl").read_bytes()


def test_resume_with_everything_done_checks_nothing(archive, batch_out, tmp_path):
    import shutil

    out, _ = batch_out
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    proc = run_batch([archive], copy, "--resume", "--jobs", "2")
    assert proc.returncode == 3
    assert "本次检查 0 个文件" in proc.stderr and "跳过已有结果 10 个" in proc.stderr
    assert (copy / "documents.jsonl").read_bytes() == (out / "documents.jsonl").read_bytes()


@pytest.fixture(scope="session")
def big_archive(tmp_path_factory, bench) -> Path:
    folder = tmp_path_factory.mktemp("big")
    bench.generate(folder, 24, seed=5)
    return folder


def test_killed_batch_resumes_with_one_result_per_document(big_archive, tmp_path):
    out = tmp_path / "out"
    log = out / "documents.jsonl"
    cmd = [*JX, "batch", str(big_archive), "--out", str(out), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            if log.exists() and log.read_bytes().count(b"\n") >= 5:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the batch ended before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)  # the batch and its workers, mid-run
        proc.wait(30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    written = log.read_bytes()
    complete = written.count(b"\n")
    total = len(inputs_of(big_archive))
    assert 5 <= complete < total
    # a kill in the middle of a write leaves a torn last line; make sure there is one
    with open(log, "ab") as fh:
        fh.write(b'{"path": "' + str(big_archive).encode() + b'/docx/half')
    assert not (out / "documents.csv").exists()  # derived files come only at the end

    proc = run_batch([big_archive], out, "--resume", "--jobs", "2")
    assert proc.returncode in (0, 1), proc.stderr
    assert f"跳过已有结果 {complete} 个" in proc.stderr
    assert f"本次检查 {total - complete} 个文件" in proc.stderr
    docs = read_jsonl(log)  # every line parses: the torn line is gone
    assert sorted(d["path"] for d in docs) == inputs_of(big_archive)
    assert all(d["status"] == "ok" for d in docs)
    with open(out / "documents.csv", encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == total


def test_missing_input_fails_at_once(archive, tmp_path):
    """A mistyped path stops the batch before anything is written (exit 2), naming the path."""
    proc = run_batch([archive / "空文件.xlsx", tmp_path / "不存在.docx"], tmp_path / "out", "--jobs", "1")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "找不到文件或文件夹" in proc.stderr and "不存在.docx" in proc.stderr
    assert not (tmp_path / "out" / "summary.xlsx").exists()


def test_units_command_reads_the_batch_documents_csv(batch_out, capsys):
    from checker.cli import main

    out, _ = batch_out
    assert main(["units", str(out / "documents.csv"), "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    rows = list(openpyxl.load_workbook(out / "units.xlsx").active.iter_rows(min_row=3, values_only=True))
    assert [(r["单位名称"], r["平均分"]) for r in got] == [(r[1], r[6]) for r in rows]
