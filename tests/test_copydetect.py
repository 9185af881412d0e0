"""Copy detection (AC90): rule examples, the detector on document results, and a batch
over real .docx files where one unit copied another unit's goal."""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.judging.copydetect import Collector, ac90_spec, detect_documents

ROOT = Path(__file__).resolve().parent.parent

GOAL = "完成辖区内12所中小学校舍屋面防水和外墙维修，改善师生教学环境，消除校舍安全隐患，维修工程验收合格率达到100%。"
OTHER_GOAL = "为8家社区卫生服务站购置心电图机、全自动生化分析仪等诊疗设备36台，年内完成安装调试并投入使用。"
DONE = "全年完成12所学校屋面防水及外墙维修，经第三方检测验收全部合格，消除D级危房隐患3处，师生满意度96%。"


def doc(unit, project, goal, actual=None, year=2022, doc_type="self_eval_table", path=None, indicators=()):
    return {
        "path": path or f"{unit}/{project}.docx",
        "sha256": f"{unit}{project}{year}{doc_type}",
        "status": "ok",
        "unit": unit,
        "project": project,
        "year": year,
        "doc_type": doc_type,
        "goals": [{"expected": goal, "actual": actual, "location": {"table": 1, "row": 9, "column": 2}}],
        "indicators": [{"name": n, "target": t} for n, t in indicators],
    }


def codes(found: dict, i: int) -> list[str]:
    return [f["location"]["field"] for f in found.get(i, [])]


@pytest.mark.parametrize("verdict", ["bad", "good"])
def test_rule_examples(verdict):
    spec = ac90_spec()
    assert spec.scope == "batch" and spec.category == "weak_accountability"
    examples = spec.examples[verdict]
    assert examples
    for ex in examples:
        found = detect_documents(ex["documents"])
        if verdict == "bad":
            assert found, ex
            assert all(f["code"] == "AC90" for fs in found.values() for f in fs)
        else:
            assert found == {}, ex


def test_goal_copied_across_units_names_the_other_document():
    docs = [doc("甲区教育局", "校舍维修项目", GOAL), doc("乙区卫生健康局", "设备购置项目", GOAL), doc("丙区民政局", "设备购置项目", OTHER_GOAL)]
    found = detect_documents(docs)
    assert set(found) == {0, 1}
    (f,) = found[1]
    assert f["code"] == "AC90" and f["severity"] == "warning" and f["category"] == "weak_accountability"
    assert "甲区教育局" in f["message"] and "《校舍维修项目》" in f["message"]
    assert f["evidence"] == GOAL and f["location"]["field"] == "goals[1].expected" and f["location"]["row"] == 9
    assert "乙区卫生健康局" in found[0][0]["message"]


def test_near_duplicate_with_small_edits_is_found_and_different_goals_are_not():
    edited = GOAL.replace("，", "、").replace("改善", "改进")  # punctuation and a word changed
    found = detect_documents([doc("甲单位", "甲项目", GOAL), doc("乙单位", "乙项目", edited)])
    assert set(found) == {0, 1}
    assert 0.8 <= found[0][0]["confidence"] < 1.0
    assert detect_documents([doc("甲单位", "甲项目", GOAL), doc("乙单位", "乙项目", OTHER_GOAL)]) == {}


def test_same_template_with_own_figures_is_not_a_copy():
    mine = GOAL.replace("12所", "7所").replace("100%", "98%")
    assert detect_documents([doc("甲单位", "甲项目", GOAL), doc("乙单位", "乙项目", mine)]) == {}
    # only the year bumped: last year's goal copied forward
    found = detect_documents([doc("甲单位", "甲项目", "2022年" + GOAL, year=2022), doc("甲单位", "甲项目", "2023年" + GOAL, year=2023)])
    assert set(found) == {0, 1}


def test_completion_text_copied_to_another_year():
    found = detect_documents([doc("甲单位", "甲项目", "甲", DONE, year=2022), doc("甲单位", "甲项目", "乙", DONE, year=2023)])
    assert codes(found, 0) == ["goals[1].actual"]


def test_same_project_in_two_document_types_is_not_a_copy():
    docs = [doc("甲单位", "校舍维修项目", GOAL), doc("甲单位", "2022年校舍维修项目", GOAL, doc_type="project_report")]
    assert detect_documents(docs) == {}


def test_short_texts_and_boilerplate_are_ignored():
    assert detect_documents([doc("甲单位", "甲项目", "已完成", "已完成"), doc("乙单位", "乙项目", "已完成", "已完成")]) == {}
    shared = "严格执行预算绩效管理相关规定，加强项目资金管理，确保资金使用安全规范有效。"
    docs = [doc(f"第{i}单位", f"第{i}项目", shared) for i in range(6)]
    assert detect_documents(docs) == {}  # in every document: standard wording
    docs = [doc(f"第{i}单位", f"第{i}项目", shared if i < 2 else f"{OTHER_GOAL}{i}") for i in range(8)]
    assert set(detect_documents(docs)) == {0, 1}  # in two of eight: a copy


def test_indicator_set_copied_across_units():
    own = [("校舍维修面积", "≥12000平方米"), ("维修学校数量", "=12所"), ("工程验收合格率", "=100%"), ("维修完成时间", "2022年10月底前"),
           ("单位面积维修成本", "≤260元/平方米"), ("校舍安全隐患消除率", "=100%")]  # fmt: skip
    generic = [("服务对象满意度", "≥90%")]
    a = doc("甲单位", "甲项目", "甲", indicators=own + generic)
    b = doc("乙单位", "乙项目", "乙", indicators=own + generic)
    found = detect_documents([a, b])
    assert codes(found, 0) == ["indicators"] and codes(found, 1) == ["indicators"]
    c = doc("乙单位", "乙项目", "乙", indicators=own[:3] + [("设备购置数量", "=36台"), ("设备到货验收合格率", "=100%"), ("安装调试完成时间", "2022年6月底前")])
    assert detect_documents([a, c]) == {}


def test_detection_is_deterministic_and_independent_of_unrelated_documents():
    base = [doc("甲单位", "甲项目", GOAL), doc("乙单位", "乙项目", GOAL)]
    first = detect_documents(copy.deepcopy(base))
    assert first == detect_documents(copy.deepcopy(base))
    noise = [doc(f"第{i}单位", f"第{i}项目", f"{OTHER_GOAL}第{i}批") for i in range(3)]
    with_noise = detect_documents(copy.deepcopy(base) + noise)
    assert with_noise[0] == first[0] and with_noise[1] == first[1]


def test_collector_ignores_unreadable_documents():
    col = Collector()
    col.add({"path": "x.docx", "status": "error", "sha256": ""})
    col.add(doc("乙单位", "乙项目", GOAL))
    assert col.detect() == {}


# ---- through a real batch --------------------------------------------------------------


@pytest.fixture(scope="session")
def copied_archive(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("jx_bench_cd", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    import random

    folder = tmp_path_factory.mktemp("copied")
    rng = random.Random(3)
    a, b, c = (bench.make_spec(rng, i) for i in range(3))
    a["unit"], b["unit"], c["unit"] = "金凤区教育局", "金凤区民政局", "金凤区科学技术局"
    a["goal"], b["goal"], c["goal"] = GOAL, GOAL, OTHER_GOAL  # 民政局 copied 教育局's goal
    for name, s in (("a", a), ("b", b), ("c", c)):
        bench.write_docx(s, folder / f"{name}.docx")
    return folder


def test_batch_reports_the_copied_goal(copied_archive, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "checker", "batch", str(copied_archive), "--out", str(out), "--jobs", "1", "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    rows = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    ac = [f for f in rows if f["code"] == "AC90"]
    assert sorted(Path(f["path"]).name for f in ac) == ["a.docx", "b.docx"]
    by = {Path(f["path"]).name: f for f in ac}
    assert "金凤区民政局" in by["a.docx"]["message"] and "金凤区教育局" in by["b.docx"]["message"]
    assert by["a.docx"]["evidence"] == GOAL and by["a.docx"]["location"]["field"] == "goals[1].expected"
    docs = {Path(d["path"]).name: d for d in map(json.loads, (out / "documents.jsonl").read_text(encoding="utf-8").splitlines())}
    assert [f["code"] for f in docs["a.docx"]["findings"]].count("AC90") == 1  # in the document's result too
    assert "AC90" not in [f["code"] for f in docs["c.docx"]["findings"]]
    # a resumed run recomputes the cross-document findings instead of adding them twice
    proc = subprocess.run([*cmd, "--resume"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    again = [json.loads(x) for x in (out / "findings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [f for f in again if f["code"] == "AC90"] == ac
