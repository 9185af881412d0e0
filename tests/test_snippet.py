"""`jxcheck snippet`, `rules` and `explain` run as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def jx(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], input=stdin, capture_output=True, text=True, cwd=str(cwd or ROOT), check=False
    )


REQUESTS = [
    {"id": "a1", "kind": "indicator", "level1": "效益指标", "level2": "社会效益指标", "name": "群众防灾意识", "target": "明显增强"},
    {"id": "a2", "kind": "indicator", "level1": "产出指标", "level2": "数量指标", "name": "新建便民服务点", "target": "≥12个", "actual": "12个"},
    {"id": "b1", "kind": "goal", "project": "农村公路提档升级", "goal": "完成12条农村公路提档升级共35公里，10月底前完工。"},
    {"id": "c1", "kind": "completion", "project": "农村公路提档升级", "completion": "实际完成12条道路共36.2公里，10月20日全部完工，验收合格率100%。"},
]


@pytest.fixture(scope="module")
def jsonl_run(tmp_path_factory):
    lines = [json.dumps(r, ensure_ascii=False) for r in REQUESTS]
    lines.insert(2, "{not json")  # a broken line in the middle
    lines.insert(4, json.dumps({"id": "x1", "kind": "indicator", "target": "≥5个"}, ensure_ascii=False))  # no name
    path = tmp_path_factory.mktemp("snip") / "req.jsonl"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    proc = jx("snippet", "--jsonl", str(path), "--no-models")
    return proc, [json.loads(line) for line in proc.stdout.splitlines()]


def test_jsonl_answers_one_line_per_request_in_order(jsonl_run):
    proc, answers = jsonl_run
    assert proc.returncode == 0, proc.stderr
    assert [a.get("id") for a in answers] == ["a1", "a2", None, "b1", "x1", "c1"]


def test_jsonl_answers_follow_the_contract(jsonl_run):
    _, answers = jsonl_run
    by_id = {a["id"]: a for a in answers if a.get("id")}
    a1 = by_id["a1"]
    assert set(a1) >= {"id", "kind", "flagged", "category", "probability", "findings"}
    assert a1["flagged"] is True and a1["category"] == "vague_indicator"
    assert 0 <= a1["probability"] <= 1
    assert any(f["code"] == "IN01" and f["evidence"] == "明显" for f in a1["findings"])
    for key in ("code", "category", "severity", "message", "evidence", "suggestion", "location", "source", "confidence", "basis"):
        assert key in a1["findings"][0]
    assert by_id["a2"]["flagged"] is False and by_id["a2"]["findings"] == []
    assert by_id["b1"]["category"] == "goal_mismatch"
    assert by_id["c1"]["category"] == "perfunctory_completion"


def test_bad_lines_answered_with_error_codes(jsonl_run):
    _, answers = jsonl_run
    assert answers[2]["error"]["code"] == "bad_json" and "第3行" in answers[2]["error"]["message"]
    assert answers[4]["error"]["code"] == "missing_field" and "name" in answers[4]["error"]["message"]


def test_output_is_utf8_json_not_escaped(jsonl_run):
    proc, _ = jsonl_run
    assert "群众防灾意识" in proc.stdout and "\\u" not in proc.stdout


def test_jsonl_from_stdin():
    proc = jx("snippet", "--jsonl", "-", "--no-models", stdin=json.dumps(REQUESTS[0], ensure_ascii=False) + "\n")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["flagged"] is True


def test_single_indicator_text_with_colon():
    proc = jx("snippet", "群众防灾意识：明显增强", "--no-models")
    answer = json.loads(proc.stdout)
    assert answer["kind"] == "indicator" and answer["flagged"] is True


def test_single_goal_text_and_project_option():
    proc = jx("snippet", "--kind", "goal", "完成12条农村公路提档升级共35公里", "--project", "农村公路提档升级", "--no-models")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["kind"] == "goal"


def test_indicator_text_without_name_is_a_clear_error():
    proc = jx("snippet", "明显增强", "--no-models")
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["error"]["code"] == "missing_field"


def test_missing_request_file_is_a_chinese_error():
    proc = jx("snippet", "--jsonl", "/nonexistent/req.jsonl")
    assert proc.returncode == 2 and "无法读取" in proc.stderr and "Traceback" not in proc.stderr


def test_config_file_applies(tmp_path):
    cfg = tmp_path / "my.toml"
    cfg.write_text('[severity]\nIN01 = "info"\nIN14 = "info"\n', encoding="utf-8")
    proc = jx("snippet", "群众防灾意识：明显增强", "--no-models", "--config", str(cfg))
    assert json.loads(proc.stdout)["flagged"] is False


def test_rules_json_lists_every_rule():
    proc = jx("rules", "--format", "json")
    rows = json.loads(proc.stdout)
    codes = [r["code"] for r in rows]
    assert codes == sorted(codes) and "IN01" in codes
    assert {"code", "category", "severity", "title", "basis"} <= set(rows[0])


def test_rules_text_table():
    proc = jx("rules")
    assert proc.returncode == 0 and "IN01" in proc.stdout and "指标值不可衡量" in proc.stdout


def test_explain_shows_rationale_and_examples():
    proc = jx("explain", "in01")
    assert proc.returncode == 0
    for part in ("IN01", "为什么是问题", "依据", "会被提示的写法", "合格的写法", "明显增强"):
        assert part in proc.stdout


def test_explain_unknown_code():
    proc = jx("explain", "IN00")
    assert proc.returncode == 2 and "IN01" in proc.stderr
