"""The command line for people: text output, concise lines, colours, the count line,
progress, Chinese help and errors with did-you-mean, missing paths, default output names.
Real subprocesses of `python -m checker` on the bundled samples."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JX = [sys.executable, "-m", "checker"]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def jx(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([*JX, *map(str, args)], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def sample(samples_dir) -> tuple[Path, dict]:
    from checker.api import check_bytes

    files = [p for p in sorted(samples_dir.iterdir()) if p.suffix in (".docx", ".pdf", ".xlsx")]
    results = {p: check_bytes(p.read_bytes(), p.name).to_dict() for p in files}
    best = max(files, key=lambda p: (len(results[p]["findings"]), p.name))
    return best, results[best]


def test_text_report_names_positions_in_words_and_ends_with_the_count(sample):
    from checker.publishing.wording import location_words, ordered, severity_counts_line

    path, doc = sample
    proc = jx("check", "--format", "text", path)
    assert proc.returncode in (0, 1), proc.stderr
    out = proc.stdout
    assert "\x1b[" not in out  # not a terminal: no colour codes
    assert "indicators[" not in out and "goals[" not in out
    first = ordered(doc["findings"])[0]
    assert f"位置：{location_words(first['location'])}" in out
    assert out.index(ordered(doc["findings"])[0]["message"]) < out.index(ordered(doc["findings"])[-1]["message"])
    assert severity_counts_line(doc["findings"]) in out
    assert out.rstrip().endswith(f"1 个文件，{severity_counts_line(doc['findings'])}")


def test_concise_is_one_line_per_finding_and_colour_marks_severity(sample):
    path, doc = sample
    proc = jx("check", "--format", "concise", "--color", "always", path)
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == len(doc["findings"]) + 1
    assert all(line.startswith(f"{path}:") for line in lines[:-1])
    assert lines[-1].startswith("1 个文件，共 ")
    warn = next(line for line in lines if "警告" in line)
    assert "\x1b[33;1m警告\x1b[0m" in warn
    plain = jx("check", "--format", "concise", "--color", "auto", path, env={"NO_COLOR": "1"}).stdout
    assert "\x1b[" not in plain and ANSI.sub("", proc.stdout) == plain


def test_json_stays_the_default_when_not_a_terminal(sample):
    path, doc = sample
    proc = jx("check", path)
    assert json.loads(proc.stdout)["documents"][0]["findings"] == doc["findings"]
    snip = jx("snippet", "群众满意度：明显提升")
    assert json.loads(snip.stdout)["flagged"] is True  # the contract's JSON line, for scripts


def test_xlsx_is_the_finding_list_workbook_and_needs_out(sample, tmp_path):
    import openpyxl

    from checker.publishing.workbook import FINDING_LIST_HEADER

    path, doc = sample
    refused = jx("check", "--format", "xlsx", path)
    assert refused.returncode == 2 and "--out" in refused.stderr and not refused.stdout
    out = tmp_path / "问题清单.xlsx"
    proc = jx("check", "--format", "xlsx", "--out", out, path)
    assert proc.returncode in (0, 1), proc.stderr
    ws = openpyxl.load_workbook(out).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]  # caption, header, then a row per finding
    assert [c.value for c in ws[2]] == FINDING_LIST_HEADER
    assert len(rows) == len(doc["findings"]) and len(rows) > 0
    assert sorted(r[5] for r in rows) == sorted(f["message"] for f in doc["findings"])


def test_snippet_text_for_people_names_who_decided():
    proc = jx("snippet", "--format", "text", "群众满意度：明显提升", "--project", "农村饮水安全巩固提升工程")
    assert proc.returncode == 0
    out = proc.stdout
    assert out.startswith("有问题：指标设置不规范（规则判定") and "IN01 指标值不可衡量" in out
    assert "受益群众满意度≥90%" in out  # the example comes from the project's own field (water supply)
    assert out.rstrip().endswith("共 1 个问题：错误 0，警告 1，提示 0")


def test_missing_path_fails_at_once_with_exit_2(tmp_path):
    for cmd in ("check", "batch"):
        extra = ["--out", tmp_path / "out"] if cmd == "batch" else []
        proc = jx(cmd, tmp_path / "没有这个文件夹", *extra)
        assert proc.returncode == 2 and "找不到文件或文件夹" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_help_and_errors_are_chinese_with_a_hint():
    h = jx("-h").stdout
    assert "用法：" in h and "显示本帮助并退出" in h and "show this help" not in h
    assert "选项" in jx("check", "-h").stdout
    proc = jx("chek", "x.docx")
    assert proc.returncode == 2 and "你是不是想输入：check" in proc.stderr and "invalid choice" not in proc.stderr
    proc = jx("check", "--formt", "json", "x.docx")
    assert proc.returncode == 2 and "无法识别的参数：--formt" in proc.stderr and "你是不是想输入：--format" in proc.stderr
    proc = jx("check", "--jobs", "两个", "x.docx")
    assert proc.returncode == 2 and "应为整数" in proc.stderr
    proc = jx("report")
    assert proc.returncode == 2 and "缺少必需的参数" in proc.stderr


def test_progress_is_shown_on_a_terminal_only(sample):
    from checker.commands.check import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        p = Progress(stream, min_items=2)
        for n in range(1, 4):
            p(n, 3, f"材料{n}.docx")
        p.close()
    assert "正在检查 3/3：材料3.docx" in tty.getvalue() and pipe.getvalue() == ""


def test_report_and_notices_pick_default_names(tmp_path, samples_dir):
    files = [p for p in sorted(samples_dir.iterdir()) if p.suffix in (".docx", ".xlsx")][:4]
    out = tmp_path / "复核结果"
    assert jx("batch", *files, "--out", out, "--quiet").returncode in (0, 1)
    proc = jx("report", out)
    assert proc.returncode == 0 and (out / "抽查复核报告.docx").is_file()
    folder = tmp_path / "报告文件夹"
    folder.mkdir()
    assert jx("report", out, "--out", folder).returncode == 0 and (folder / "抽查复核报告.docx").is_file()
    proc = jx("notices", out)
    assert proc.returncode == 0 and (out / "整改通知").is_dir()
    assert "Traceback" not in proc.stderr
