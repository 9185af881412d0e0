"""Review score (复核得分): deductions from the data rubric, caps, overrides, realistic spread."""

from __future__ import annotations

import copy

import pytest

from checker.core.config import DEFAULTS, Config
from checker.reading.docbuild import document_from_dict
from checker.core.errors import ConfigError
from checker.core.finding import Finding
from checker.core.document import Location
from checker.scoring.review_score import load_rubric, review_score


def cfg(**rubric) -> Config:
    data = copy.deepcopy(DEFAULTS)
    data["rubric"] = rubric
    return Config(data)


def finding(code, category, severity, field="x", source="rule") -> Finding:
    return Finding(code, category, severity, "m", "e", "s", Location(field=field), source=source)


DOC = document_from_dict({"doc_type": "self_eval_table", "unit": "某局", "project": "某项目"})


def cat(review, name):
    return next(b for b in review.breakdown if b["category"] == name)


def test_no_findings_is_full_marks():
    r = review_score(DOC, [], cfg())
    assert r.score == 100.0 and r.grade == "优"
    assert {b["category"] for b in r.breakdown} == {
        "vague_indicator", "goal_mismatch", "perfunctory_completion", "weak_accountability", "inconsistency", "structure"}


def test_unreadable_document_gets_no_score():
    r = review_score(None, [], cfg())
    assert r.score is None and r.grade is None and r.breakdown == []


def test_unrecognised_document_gets_no_score():
    r = review_score(document_from_dict({"doc_type": "unknown"}), [], cfg())
    assert r.score is None and r.grade is None
    # a 决算 or a notice read as sections and tables is still not one of the four types: no score
    r = review_score(document_from_dict({"doc_type": "unknown", "indicators": [{"name": "a", "target": "≥1个"}]}), [], cfg())
    assert r.score is None and r.grade is None
    r = review_score(document_from_dict({"doc_type": "self_eval_table", "indicators": [{"name": "a", "target": "≥1个"}]}), [], cfg())
    assert r.score == 100.0


def test_deduction_is_severity_points_times_rule_weight():
    # NU05 error weight 2 -> 5; AC01 warning weight 3 -> 4.5; IN52 info -> 0
    fs = [finding("NU05", "inconsistency", "error"), finding("AC01", "weak_accountability", "warning"),
          finding("IN52", "vague_indicator", "info")]
    r = review_score(DOC, fs, cfg())
    assert r.score == 100 - 5 - 4.5
    assert cat(r, "inconsistency")["deducted"] == 5.0
    assert cat(r, "weak_accountability")["items"] == [{"code": "AC01", "severity": "warning", "points": 4.5, "field": "x"}]
    assert cat(r, "vague_indicator")["findings"] == 1 and cat(r, "vague_indicator")["deducted"] == 0.0


def test_unknown_code_uses_reference_weight_and_model_findings_cost_less():
    fs = [finding("ZZ99", "goal_mismatch", "warning"), finding("GO98", "goal_mismatch", "warning", "g", source="model")]
    r = review_score(DOC, fs, cfg())
    assert sorted(i["points"] for i in cat(r, "goal_mismatch")["items"]) == [1.5, 3.0]
    assert r.score == 95.5


def test_one_field_costs_once_per_category():
    fs = [finding("ZZ01", "vague_indicator", "warning", "indicators[2].target"),
          finding("NU05", "vague_indicator", "error", "indicators[2].target"),
          finding("ZZ02", "vague_indicator", "warning", "indicators[3].target"),
          finding("ZZ03", "inconsistency", "warning", "indicators[2].target")]
    r = review_score(DOC, fs, cfg())
    assert sorted(i["points"] for i in cat(r, "vague_indicator")["items"]) == [0.0, 3.0, 5.0]
    assert cat(r, "vague_indicator")["deducted"] == 8.0 and cat(r, "inconsistency")["deducted"] == 3.0


def test_category_cap_stops_deductions():
    fs = [finding("ZZ01", "vague_indicator", "warning", f"indicators[{n}].target") for n in range(1, 21)]
    r = review_score(DOC, fs, cfg())
    b = cat(r, "vague_indicator")
    assert b["raw"] == 60.0 and b["deducted"] == 15.0 and b["cap"] == 15.0
    assert r.score == 85.0 and r.grade == "良"


def test_document_type_override_raises_structure_cap_for_reports():
    fs = [finding("ZZ01", "structure", "error", f"f{n}") for n in range(10)]
    table = review_score(DOC, fs, cfg())
    report = review_score(document_from_dict({"doc_type": "project_report"}), fs, cfg())
    assert cat(table, "structure")["deducted"] == 12.0
    assert cat(report, "structure")["deducted"] == 18.0


def test_config_overrides_single_keys():
    fs = [finding("ZZ01", "goal_mismatch", "warning"), finding("AC01", "weak_accountability", "warning")]
    r = review_score(DOC, fs, cfg(severity_points={"warning": 4}, rules={"AC01": 4}))
    assert cat(r, "goal_mismatch")["deducted"] == 4.0
    assert cat(r, "weak_accountability")["deducted"] == 4.0


def test_rubric_file_replaces_the_defaults(tmp_path):
    p = tmp_path / "my.yaml"
    p.write_text("start: 100\nfloor: 60\nseverity_points: {error: 10, warning: 5, info: 1}\ncaps: {}\n", encoding="utf-8")
    fs = [finding("ZZ01", "inconsistency", "error", f"f{n}") for n in range(6)]
    r = review_score(DOC, fs, cfg(rubric_file=str(p)))
    assert cat(r, "inconsistency")["deducted"] == 12.0  # default cap for inconsistency still applies
    assert load_rubric(cfg(rubric_file=str(p)))["floor"] == 60.0


@pytest.mark.parametrize(
    "content,word",
    [("start: [1\n", "格式错误"), ("bogus: 1\n", "未知的键"), ("severity_points: {warning: abc}\n", "数字"), ("caps: {nope: 3}\n", "类别")],
    ids=["bad-yaml", "unknown-key", "non-numeric", "unknown-category"],
)
def test_bad_rubric_file_is_a_clear_config_error(tmp_path, content, word):
    p = tmp_path / "bad.yaml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=word):
        review_score(DOC, [], cfg(rubric_file=str(p)))


def test_missing_rubric_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="找不到评分细则"):
        load_rubric(cfg(rubric_file=str(tmp_path / "none.yaml")))


def test_floor_is_zero():
    fs = [finding("ZZ01", c, "error", f"f{n}") for c in ("vague_indicator", "goal_mismatch", "perfunctory_completion",
                                                           "weak_accountability", "inconsistency", "structure") for n in range(10)]
    caps = {c: 1000 for c in ("vague_indicator", "goal_mismatch", "perfunctory_completion", "weak_accountability", "inconsistency", "structure")}
    assert review_score(DOC, fs, cfg(caps=caps)).score == 0.0


# ---- realistic spread through the real engine -----------------------------------------

CLEAN = {
    "doc_type": "self_eval_table", "layout": "standard_2020", "year": 2023,
    "unit": "示范区水务局", "project": "2023年农村供水管网改造项目",
    "budget": {"initial": 500, "annual": 520, "executed": 508.6, "execution_rate": 97.81, "weight": 10, "score": 9.78,
               "rows": [{"label": "当年财政拨款", "initial": 500, "annual": 500, "executed": 488.6},
                        {"label": "上年结转资金", "initial": 0, "annual": 20, "executed": 20}]},
    "goals": [{"expected": "改造农村供水管网36公里，新建加压泵站2座，解决6个行政村1.2万人饮水压力不足问题。",
               "actual": "完成管网改造36.8公里、新建加压泵站2座并通过验收，6个村1.23万人供水压力达标，水质抽检合格率100%。"}],
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "改造供水管网长度", "target": "≥36公里", "actual": "36.8公里", "weight": 20, "score": 20, "deviation": ""},
        {"level1": "产出指标", "level2": "数量指标", "name": "新建加压泵站数量", "target": "≥2座", "actual": "2座", "weight": 10, "score": 10, "deviation": ""},
        {"level1": "产出指标", "level2": "质量指标", "name": "工程竣工验收合格率", "target": "=100%", "actual": "100%", "weight": 10, "score": 10, "deviation": ""},
        {"level1": "产出指标", "level2": "时效指标", "name": "工程完工时间", "target": "≤11月30日", "actual": "11月25日", "weight": 5, "score": 5, "deviation": ""},
        {"level1": "产出指标", "level2": "成本指标", "name": "每公里管网改造成本", "target": "≤13万元", "actual": "12.6万元", "weight": 5, "score": 5, "deviation": ""},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "受益人口", "target": "≥1.2万人", "actual": "1.23万人", "weight": 15, "score": 15, "deviation": ""},
        {"level1": "效益指标", "level2": "可持续影响指标", "name": "供水水质抽检合格率", "target": "≥95%", "actual": "100%", "weight": 15, "score": 15, "deviation": ""},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "用水户满意度", "target": "≥90%", "actual": "94.5%", "weight": 10, "score": 10,
         "deviation": "入户问卷调查300份，有效问卷291份"},
    ],
    "self_score": 99.78, "self_grade": "优",
}


def _flawed() -> dict:
    """The review report's problems: vague targets, a perfunctory completion, inflated scores."""
    d = copy.deepcopy(CLEAN)
    d["goals"] = [{"expected": d["goals"][0]["expected"], "actual": "已完成。"}]
    inds = d["indicators"]
    inds[1].update(actual="1座")  # missed, still full marks, no reason
    inds[5].update(target="明显提升", actual="明显提升")
    inds[6].update(target="有效改善", actual="达成预期指标")
    return d


def _review(d):
    from checker.judging.engine import check_document
    from checker.judging.selfscore import recompute

    doc = document_from_dict(d)
    config = cfg()
    findings, _ = check_document(doc, config, recompute(doc, config))
    return review_score(doc, findings, config), findings


def test_clean_document_scores_95_or_more():
    r, findings = _review(CLEAN)
    assert r.score >= 95, [(f.code, f.message) for f in findings]


def test_document_with_the_reviews_problems_scores_75_to_88():
    r, findings = _review(_flawed())
    codes = {f.code for f in findings}
    assert {"AC02", "CP50"} <= codes
    assert 75 <= r.score <= 88, (r.score, [(f.code, f.severity, f.message) for f in findings])
