"""The review cycle across submissions: rectification check (recheck), year over year (IN60),
dismissed findings (baseline). Documents are real .docx files rendered from the samples'
definitions with python-docx, changed the way a unit changes them when it resubmits."""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest

from checker.api import check_file
from checker.core.config import load_config
from checker.core.dismiss import entry_for, load_baseline, to_toml
from checker.core.history import match_documents, name_similarity
from checker.judging.spec import load_rules
from checker.judging.yoy import detect_findings

ROOT = Path(__file__).resolve().parent.parent
JX = [sys.executable, "-m", "checker"]


def _generate():
    spec = importlib.util.spec_from_file_location("jx_samples_gen", ROOT / "samples" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("jx_samples_gen", mod)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def gen():
    return _generate()


@pytest.fixture(scope="module")
def samples(gen):
    return {s.sid: s for s in gen.build_samples()}


def render(gen, s, path: Path) -> Path:
    gen.render_table_docx(s, path)
    return path


def jx(*args, timeout=300, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*JX, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


# ---- IN60: the rule's own examples ------------------------------------------------------


@pytest.mark.parametrize("code", ["IN60", "IN61"])
@pytest.mark.parametrize("verdict", ["bad", "good"])
def test_year_over_year_examples(code, verdict):
    (spec,) = [r for r in load_rules() if r.code == code]
    assert spec.scope == "batch"
    for ex in spec.examples[verdict]:
        found = detect_findings(ex["documents"])
        if verdict == "bad":
            assert found and all(f["code"] == code for fs in found.values() for f in fs), ex
        else:
            assert found == {}, ex


def _doc(year, target, actual, name="举办全民健身赛事活动场次", level2="数量指标", project=None, unit="甲区文旅局"):
    return {
        "status": "ok", "unit": unit, "doc_type": "self_eval_table", "year": year,
        "project": project or f"{year}年全民健身活动经费",
        "indicators": [{"level2": level2, "name": name, "target": target, "actual": actual, "location": {"table": 1, "row": 9}}],
    }  # fmt: skip


def test_in60_names_both_figures_and_reads_direction():
    found = detect_findings([_doc(2022, "≥10场", "14场"), _doc(2023, "≥12场", "15场")])
    (f,) = found[1]
    assert f["code"] == "IN60" and f["severity"] == "warning"
    assert "“≥12场”低于上年（2022年）实际完成值“14场”" in f["message"]
    assert f["location"] == {"table": 1, "row": 9, "field": "indicators[1].target"}
    # less is better: a cost cap above last year's actual spending is no constraint
    cost = [_doc(2022, "≤120元", "110元", name="人均体检费用", level2="成本指标"), _doc(2023, "≤125元", "", name="人均体检费用", level2="成本指标")]
    assert [f["code"] for f in detect_findings(cost)[1]] == ["IN60"]
    # raised target, other units, other projects, a percentage at its ceiling, and '=' are left alone
    assert detect_findings([_doc(2022, "≥10场", "14场"), _doc(2023, "≥15场", "15场")]) == {}
    assert detect_findings([_doc(2022, "≥10场", "14场"), _doc(2023, "≥12场", "15场", unit="乙区文旅局")]) == {}
    assert detect_findings([_doc(2022, "≥10场", "14场"), _doc(2023, "≥12场", "15场", project="老年人健康体检")]) == {}
    pct = [_doc(2022, "≥95%", "100%", name="验收合格率", level2="质量指标"), _doc(2023, "=100%", "100%", name="验收合格率", level2="质量指标")]
    assert detect_findings(pct) == {}
    # only last year counts, not two years back
    assert detect_findings([_doc(2021, "≥10场", "14场"), _doc(2023, "≥12场", "15场")]) == {}


def test_in60_picks_last_years_document_as_a_scan_of_every_document_would():
    """The pass looks only at last year's documents of the same unit (not at every document, which
    was quadratic in the archive's size); it must pick what a scan of all of them picks: the first
    of the most similar project names, units written in full or short, across doc types and statuses."""
    import random

    from checker.core.history import same_unit
    from checker.judging import yoy

    def scan(doc, pool, p):
        best, best_sim = None, 0.0
        for o in pool:
            if o.get("year") != doc["year"] - 1 or o.get("doc_type") not in yoy.ACTUAL_TYPES or not same_unit(o.get("unit"), doc.get("unit")):
                continue
            sim = name_similarity(o.get("project"), doc.get("project"))
            if sim >= p["project_similarity"] and sim > best_sim:
                best, best_sim = o, sim
        return best

    rng = random.Random(3)
    units = ["金凤区教育局", "教育局", "金凤区民政局", "民政", "区民政局", ""]
    works = ["老旧小区改造", "老旧小区改造项目", "校舍维修", "中小学校舍维修（二期）", "养老服务补贴发放", "养老服务补贴"]
    docs = [{"path": str(i), "status": rng.choice(["ok", "ok", "error"]), "year": rng.choice([2021, 2022, 2023]), "unit": rng.choice(units),
             "project": rng.choice(works), "doc_type": rng.choice(["self_eval_table", "project_report", "monitor_table"])}
            for i in range(300)]  # fmt: skip
    ok = [d for d in docs if d["status"] == "ok"]
    pool, p = yoy._Pool(ok), dict(yoy.DEFAULTS)
    picked = [(yoy._previous_for(d, pool, p) or {}).get("path") for d in ok]
    assert picked == [(scan(d, ok, p) or {}).get("path") for d in ok]
    assert sum(x is not None for x in picked) > 50  # the archive has pairs to find


def test_in60_in_batch_with_previous_results(gen, samples, tmp_path):
    """Last year's batch result passed with --previous; this year's target equals last year's actual."""
    s22 = copy.deepcopy(samples["s01"])
    s22.year, s22.project = 2022, "2022年农村义务教育学生营养改善计划"
    s23 = copy.deepcopy(samples["s01"])
    s23.indicators[0] = copy.deepcopy(s23.indicators[0])
    s23.indicators[0].tv = "6852"  # = 2022's actual 6852 人
    (tmp_path / "y2022").mkdir()
    (tmp_path / "y2023").mkdir()
    render(gen, s22, tmp_path / "y2022" / "营养改善_2022.docx")
    render(gen, s23, tmp_path / "y2023" / "营养改善_2023.docx")
    r = jx("batch", tmp_path / "y2022", "--out", tmp_path / "out2022", "--jobs", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    r = jx("batch", tmp_path / "y2023", "--out", tmp_path / "out2023", "--jobs", "1", "--quiet", "--previous", tmp_path / "out2022")
    assert r.returncode == 0, r.stderr
    (doc,) = read_jsonl(tmp_path / "out2023" / "documents.jsonl")
    # the same table a year on: 受益学生人数 set at last year's 6852 (IN61, a tie), 学生家长满意度
    # ≥90% below last year's 93.6% and 贫血检出率 ≤6.5% above last year's 5.9% (IN60); 供餐天数
    # ≥200 above last year's 198, the '=' rates and the 5元 standard at its own level are not flagged
    hits = {f["location"]["field"]: f for f in doc["findings"] if f["code"] in ("IN60", "IN61")}
    assert hits["indicators[1].target"]["code"] == "IN61" and "“≥6852人”等于上年（2022年）实际完成值“6852" in hits["indicators[1].target"]["message"]
    assert hits["indicators[8].target"]["code"] == "IN60" and "93.6" in hits["indicators[8].target"]["message"]
    assert hits["indicators[6].target"]["code"] == "IN60" and "高于上年" in hits["indicators[6].target"]["message"]
    assert "indicators[2].target" not in hits and "indicators[5].target" not in hits
    # the cross-year finding costs what the rubric says: the score is below the single-file check
    alone = check_file(tmp_path / "y2023" / "营养改善_2023.docx")
    assert doc["score"] < alone.score
    # without --previous there is nothing to compare with
    r = jx("batch", tmp_path / "y2023", "--out", tmp_path / "alone", "--jobs", "1", "--quiet")
    (doc,) = read_jsonl(tmp_path / "alone" / "documents.jsonl")
    assert not [f for f in doc["findings"] if f["code"] in ("IN60", "IN61")]
    r = jx("batch", tmp_path / "y2023", "--out", tmp_path / "x", "--quiet", "--previous", tmp_path / "nowhere")
    assert r.returncode == 2 and "找不到往年或上次的检查结果" in r.stderr


# ---- matching documents across submissions -----------------------------------------------


def test_project_names_match_despite_year_and_wording():
    assert name_similarity("2023年农村公路养护工程", "农村公路养护工程项目") == 1.0
    assert name_similarity("老年人健康体检项目", "全民健身活动经费") < 0.3
    old = [{"status": "ok", "unit": "甲局", "doc_type": "self_eval_table", "year": 2023, "project": p} for p in ("农村公路养护工程", "校舍维修")]
    new = [{"status": "ok", "unit": "甲局", "doc_type": "self_eval_table", "year": 2023, "project": p} for p in ("校舍维修改造", "2023年农村公路养护工程项目")]
    pairs = {(m.old, m.new) for m in match_documents(old, new)}
    assert pairs == {(0, 1), (1, 0)}
    # a renamed project: the only document of that unit, type and year on both sides
    m = match_documents(old[:1], [{**new[0], "project": "道路管护"}])
    assert len(m) == 1 and "项目名称已改变" in m[0].how


# ---- recheck: the rectification check ---------------------------------------------------


def resubmitted_s02(s):
    """s02 corrected in part: completion rewritten (fixed), vague target reworded (still vague),
    all-full-marks and the satisfaction name untouched, and a new problem: a ≥0 target."""
    r = copy.deepcopy(s)
    r.goals = [(r.goals[0][0], "全年为13862名65岁及以上老年人完成免费健康体检，体检率72.9%，异常结果全部告知，同步更新电子健康档案13862份。")]
    r.indicators[5].target_text = "有所提升"
    r.indicators[5].actual_text = "有所提升"
    r.indicators[1].tv = "0"  # 体检项目种类 ≥0项: any result passes
    return r


def test_recheck_counts_corrected_unchanged_partial_and_new(gen, samples, tmp_path):
    s = samples["s02"]
    old_dir, new_dir = tmp_path / "第一次报送", tmp_path / "整改后"
    old_dir.mkdir()
    new_dir.mkdir()
    render(gen, s, old_dir / "老年人健康体检_自评表.docx")
    render(gen, resubmitted_s02(s), new_dir / "老年人体检自评表（修改稿）.docx")  # another file name
    r = jx("batch", old_dir, "--out", tmp_path / "上次结果", "--jobs", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    before = {f["code"]: f for f in read_jsonl(tmp_path / "上次结果" / "findings.jsonl")}
    assert {"CP01", "IN01", "AC03"} <= set(before)
    r = jx("recheck", tmp_path / "上次结果", new_dir, "--out", tmp_path / "复查", "--jobs", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "复查" / "recheck.json").read_text(encoding="utf-8"))
    (doc,) = data["documents"]
    assert doc["matched_by"].startswith("单位、材料类型、年度和项目名称一致")
    status = {(i["code"], i["status"]) for i in doc["items"]}
    assert ("CP01", "已整改") in status
    assert ("IN01", "部分整改") in status
    assert ("AC03", "未整改") in status
    assert ("IN09", "新增") in status
    counts = doc["counts"]
    assert counts["已整改"] == 1 and counts["部分整改"] == 1 and counts["无法判断"] == 0
    assert counts["未整改"] == len(before) - 2  # every other earlier finding stays
    assert counts["新增"] == len([i for i in doc["items"] if i["status"] == "新增"]) >= 1
    # the Excel table and the Word opinion say the same
    wb = openpyxl.load_workbook(tmp_path / "复查" / "整改情况.xlsx")
    assert wb.sheetnames == ["整改汇总", "整改明细", "得分变化"]
    row = [c.value for c in wb["整改汇总"][3]]
    assert row[1] == "示范区卫生健康局" and row[4:9] == [counts[k] for k in ("已整改", "部分整改", "未整改", "无法判断", "新增")]
    (opinion,) = (tmp_path / "复查" / "整改复核意见").iterdir()
    text = "\n".join(p.text for p in docx.Document(opinion).paragraphs)
    assert f"已整改{counts['已整改']}处" in text and f"新发现问题{counts['新增']}处" in text
    assert "示范区卫生健康局" in text and ".docx" not in text


def test_recheck_document_not_resubmitted_is_undecided(gen, samples, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    render(gen, samples["s02"], tmp_path / "a" / "体检.docx")
    render(gen, samples["s17"], tmp_path / "b" / "残联.docx")  # another unit's document only
    jx("batch", tmp_path / "a", "--out", tmp_path / "old", "--jobs", "1", "--quiet")
    r = jx("recheck", tmp_path / "old", tmp_path / "b", "--out", tmp_path / "re", "--jobs", "1", "--quiet")
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "re" / "recheck.json").read_text(encoding="utf-8"))
    by_how = {d["matched_by"]: d for d in data["documents"]}
    assert set(by_how) == {"未重新报送", "上次未报送"}
    assert all(i["status"] == "无法判断" for i in by_how["未重新报送"]["items"])
    assert all(i["status"] == "新增" for i in by_how["上次未报送"]["items"])


def test_recheck_usage_errors(tmp_path):
    r = jx("recheck", tmp_path, tmp_path, "--out", tmp_path / "o")
    assert r.returncode == 2 and "不是 jxcheck batch 的输出文件夹" in r.stderr


# ---- dismissals ---------------------------------------------------------------------------


def test_dismissed_finding_stays_dismissed_until_its_text_changes(gen, samples, tmp_path):
    s = samples["s02"]
    path = render(gen, s, tmp_path / "体检.docx")
    first = check_file(path)
    target = next(f for f in first.findings if f.code == "IN01")
    doc = first.to_dict()
    entry = entry_for(doc, target.to_dict(), reason="该单位附有分档评分标准", by="张三", date="2026-12-02")
    baseline = tmp_path / "jxcheck-baseline.toml"
    baseline.write_text(to_toml([entry]), encoding="utf-8")
    assert load_baseline(baseline)[0]["indicator"] == "老年人健康管理水平"

    again = check_file(path, config=load_config(baseline=baseline))
    assert "IN01" not in {f.code for f in again.findings}
    assert [d["code"] for d in again.dismissed] == ["IN01"]
    assert again.dismissed[0]["dismissal"] == {"reason": "该单位附有分档评分标准", "by": "张三", "date": "2026-12-02"}
    assert again.score > first.score  # no longer scored
    # picked up from the working folder, as a reviewer would keep it beside the archive
    r = jx("check", path, "--format", "json", cwd=tmp_path)
    (d,) = json.loads(r.stdout)["documents"]
    assert "IN01" not in {f["code"] for f in d["findings"]} and d["dismissed"][0]["dismissal"]["by"] == "张三"

    # the unit moved the row down and kept the text: still dismissed (matched by indicator name)
    moved = copy.deepcopy(s)
    moved.indicators[5], moved.indicators[6] = moved.indicators[6], moved.indicators[5]
    p2 = render(gen, moved, tmp_path / "体检_调整行序.docx")
    r2 = check_file(p2, config=load_config(baseline=baseline))
    assert "IN01" not in {f.code for f in r2.findings} and r2.dismissed

    # the text changed: the finding comes back
    edited = copy.deepcopy(s)
    edited.indicators[5].target_text = "逐步提升"
    p3 = render(gen, edited, tmp_path / "体检_改写.docx")
    r3 = check_file(p3, config=load_config(baseline=baseline))
    assert "IN01" in {f.code for f in r3.findings} and not r3.dismissed


def test_batch_lists_dismissals_with_who_why_when(gen, samples, tmp_path):
    s = samples["s02"]
    (tmp_path / "in").mkdir()
    path = render(gen, s, tmp_path / "in" / "体检.docx")
    first = check_file(path).to_dict()
    cp01 = next(f for f in first["findings"] if f["code"] == "CP01")
    baseline = tmp_path / "忽略清单.json"
    baseline.write_text(json.dumps({"dismiss": [entry_for(first, cp01, "已另附完成情况说明", "李四", "2026-12-01")]}, ensure_ascii=False), encoding="utf-8")
    r = jx("batch", tmp_path / "in", "--out", tmp_path / "out", "--jobs", "1", "--quiet", "--baseline", baseline)
    assert r.returncode == 0, r.stderr
    (row,) = read_jsonl(tmp_path / "out" / "dismissed.jsonl")
    assert row["code"] == "CP01" and row["dismissal"] == {"reason": "已另附完成情况说明", "by": "李四", "date": "2026-12-01"}
    assert row["unit"] == "示范区卫生健康局"
    assert "CP01" not in {f["code"] for f in read_jsonl(tmp_path / "out" / "findings.jsonl")}


def test_bad_baseline_is_a_config_error(tmp_path):
    bad = tmp_path / "b.toml"
    bad.write_text('[[dismiss]]\nreason = "x"\n', encoding="utf-8")
    r = jx("check", ROOT / "samples", "--baseline", bad)
    assert r.returncode == 2 and "缺少" in r.stderr


# ---- cross-document findings in every multi-document input --------------------------------


def test_check_folder_reports_copies_and_scores_them(gen, samples, tmp_path):
    """`jxcheck check FOLDER` runs AC90 like batch does, and the copy costs its rubric points."""
    s = samples["s01"]
    other = copy.deepcopy(s)
    other.unit = other.dept = "示范区民政局"
    other.project = "2023年困难群众救助项目"
    render(gen, s, tmp_path / "教育局.docx")
    render(gen, other, tmp_path / "民政局.docx")
    alone = check_file(tmp_path / "教育局.docx")
    r = jx("check", tmp_path, "--format", "json")
    docs = {d["unit"]: d for d in json.loads(r.stdout)["documents"]}
    d = docs["示范区教育局"]
    copies = [f for f in d["findings"] if f["code"] == "AC90"]
    assert copies and "示范区民政局" in copies[0]["message"]
    # what the rubric says one AC90 costs: its severity's points × its weight ÷ the reference weight
    from checker.scoring.review_score import load_rubric

    rubric, ac90 = load_rubric(), next(s for s in load_rules() if s.code == "AC90")
    cost = rubric["severity_points"][ac90.severity] * (ac90.weight or 2) / rubric["reference_weight"]
    assert cost > 0
    items = [i for b in d["score_breakdown"] for i in b["items"] if i["code"] == "AC90"]
    assert len(items) == len(copies) and all(i["points"] == cost for i in items)
    assert d["score"] == alone.score - cost * len(copies)
    # the batch gives the same findings and score for the same files
    jx("batch", tmp_path, "--out", tmp_path / "out", "--jobs", "1", "--quiet")
    b = next(x for x in read_jsonl(tmp_path / "out" / "documents.jsonl") if x["unit"] == "示范区教育局")
    assert b["score"] == d["score"] and [f["code"] for f in b["findings"]] == [f["code"] for f in d["findings"]]


# ---- every planted table sample resubmitted: some problems corrected, some not, one new -----

def _good_completion(s) -> str:
    parts = [f"{i.name}{i.av}{i.unit}" for i in s.indicators if i.av is not None][:4]
    return "全年完成" + "，".join(parts) + "，各项任务均按期完成。"


def _good_goal(s) -> str:
    parts = [f"{i.name}{i.sign or ''}{i.tv}{i.unit}" for i in s.indicators if i.tv is not None][:4]
    return f"{s.year}年完成" + "，".join(parts) + "。"


def _fix(s, field):
    """Correct one planted problem the way a unit would."""
    if field == "goals[1].actual":
        s.goals = [(s.goals[0][0], _good_completion(s), *s.goals[0][2:])]
    elif field == "goals[1].expected":
        s.goals = [(_good_goal(s), *s.goals[0][1:])]
    elif field.endswith(".deviation"):
        i = int(field.split("[")[1].split("]")[0]) - 1
        s.indicators[i].dev = "受雨季影响6公里延期至次年一季度实施，已调整施工计划并签订补充协议。"
    elif field.endswith(".target"):
        i = int(field.split("[")[1].split("]")[0]) - 1
        ind = s.indicators[i]
        ind.target_text, ind.actual_text = "≥95%", "96%"
    else:
        raise AssertionError(field)


# sample: (fields corrected, fields left as they were); the rest of its planted fields follow one of them
RESUBMISSIONS = {
    "s02": (["goals[1].actual"], ["indicators[6].target"]),
    "s03": (["indicators[2].deviation"], ["indicators[2].score", "self_score"]),
    "s05": (["goals[1].expected"], ["budget.execution_rate"]),
    "s07": (["goals[1].actual", "indicators[7].target"], ["indicators[6].target"]),
    "s17": (["goals[1].expected"], ["goals[1].actual"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("sid", sorted(RESUBMISSIONS))
def test_recheck_each_planted_sample(gen, samples, tmp_path, sid):
    s = samples[sid]
    fixed, kept = RESUBMISSIONS[sid]
    r = copy.deepcopy(s)
    for f in fixed:
        _fix(r, f)
    first = next(i for i in r.indicators if i.sign == "≥" and i.tv not in (None, "0"))
    first.tv = "0"  # the new problem: a ≥0 target that any result meets
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    render(gen, s, tmp_path / "old" / f"{sid}.docx")
    render(gen, r, tmp_path / "new" / f"{sid}_修改稿.docx")
    assert jx("batch", tmp_path / "old", "--out", tmp_path / "before", "--jobs", "1", "--quiet").returncode in (0, 1)  # 1: errors found
    out = jx("recheck", tmp_path / "before", tmp_path / "new", "--out", tmp_path / "re", "--jobs", "1", "--quiet")
    assert out.returncode == 0, out.stderr
    (doc,) = json.loads((tmp_path / "re" / "recheck.json").read_text(encoding="utf-8"))["documents"]
    status: dict[str, set[str]] = {}
    for it in doc["items"]:
        status.setdefault(it["location"].get("field") or "", set()).add(it["status"])
    for f in fixed:
        assert status.get(f) == {"已整改"}, (f, status)
    for f in kept:
        assert status.get(f) == {"未整改"}, (f, status)
    new = [it for it in doc["items"] if it["status"] == "新增"]
    n = r.indicators.index(first) + 1
    assert any(it["code"] == "IN09" for it in new)
    assert all(it["location"]["field"].startswith(f"indicators[{n}]") for it in new), new  # nothing else is new
    assert doc["counts"]["无法判断"] == 0
