"""Official self-score recomputation: hand-computed cases, rounding, omission and rescaling."""

from __future__ import annotations

import copy
import json

import pytest

from checker.core.config import DEFAULTS, Config
from checker.reading.docbuild import document_from_dict
from checker.judging.selfscore import grade_label, grade_of, q2, recompute


def cfg(**scoring) -> Config:
    data = copy.deepcopy(DEFAULTS)
    data["scoring"].update(scoring)
    return Config(data)


def ind(name, target, actual, weight, score=None, level1="产出指标", level2="数量指标"):
    return {"level1": level1, "level2": level2, "name": name, "target": target, "actual": actual, "weight": weight, "score": score}


def one(target, actual, weight, score=None, **kw):
    """Recompute a document holding a single indicator; return its row."""
    r = recompute(document_from_dict({"indicators": [ind("指标", target, actual, weight, score)]}), cfg(**kw))
    return r.rows[0], r


@pytest.mark.parametrize(
    "text,expected",
    [(2.675, "2.68"), (2.665, "2.67"), (89.995, "90.00"), (0.005, "0.01"), (1.0049, "1.00")],
    ids=["2.675-up", "2.665-up", "89.995-up", "half-cent", "below-half"],
)
def test_rounding_is_half_up_on_the_written_decimal(text, expected):
    assert str(q2(text)) == expected


@pytest.mark.parametrize(
    "score,grade",
    [(100, "优"), (90, "优"), (89.995, "优"), (89.99, "良"), (80, "良"), (79.994, "中"), (60, "中"), (59.99, "差"), (0, "差")],
)
def test_grade_bands_have_inclusive_lower_bounds_after_rounding(score, grade):
    assert grade_of(score) == grade


def test_budget_score_uses_annual_budget_not_initial():
    doc = document_from_dict({"budget": {"initial": 80, "annual": 100, "executed": 80, "weight": 10, "score": 10}})
    r = recompute(doc, cfg())
    assert r.budget_score == 8.0 and r.budget_rate == 80.0
    # nothing else carries a weight, so the total stays on the budget row's own base of 10
    assert r.total == 8.0 and r.weight_base == 10.0


def test_budget_score_is_capped_at_full_weight_when_overspent():
    doc = document_from_dict({"budget": {"annual": 50, "executed": 56.3, "weight": 10}})
    assert recompute(doc, cfg()).budget_score == 10.0


def test_positive_indicator_met_and_missed():
    assert one("≥100人次", "120人次", 20)[0].score == 20.0
    row, _ = one("≥100人次", "80人次", 20, 20)
    assert row.score == 16.0 and row.misses_target and row.diff == 4.0
    assert row.formula.startswith("正向")


def test_positive_ratio_rounds_half_up():
    # 5.35 / 10 × 5 = 2.675 exactly -> 2.68 (binary floats would give 2.67)
    assert one("≥10个", "5.35个", 5)[0].score == 2.68


def test_reverse_indicator_linear_by_default_with_ratio_as_alternative():
    row, r = one("≤50万元", "60万元", 30, 30)
    assert row.score == 24.0  # (1 - (60-50)/50) × 30
    assert row.alternative == 25.0  # 50/60 × 30
    assert r.reverse_formula == "linear"
    assert r.alternative_total is not None and r.alternative_total > r.total


def test_reverse_indicator_ratio_formula_from_config():
    row, r = one("≤50万元", "60万元", 30, reverse_formula="ratio")
    assert row.score == 25.0 and row.alternative == 24.0 and r.reverse_formula == "ratio"


def test_reverse_indicator_reaches_zero_at_double_the_target():
    assert one("≤50万元", "100万元", 30)[0].score == 0.0
    assert one("≤50万元", "130万元", 30)[0].score == 0.0
    assert one("≤50万元", "45万元", 30)[0].score == 30.0


def test_equal_indicator_with_zero_target():
    assert one("=0起", "0起", 10)[0].score == 10.0
    row, _ = one("=0起", "1起", 10)
    assert row.score == 0.0 and row.misses_target


def test_equal_indicator_with_positive_target_scores_as_positive():
    assert one("=100%", "95%", 10)[0].score == 9.5
    assert one("=100%", "100%", 10)[0].score == 10.0


@pytest.mark.parametrize(
    "label,grade",
    [
        ("达成年度指标", "达成"),
        ("达成预期指标", "达成"),
        ("已完成", "达成"),
        ("效果明显", "达成"),
        ("较好", "达成"),
        ("部分达成年度指标并具有一定效果", "部分达成"),
        ("一般", "部分达成"),
        ("未达成年度指标且效果较差", "未达成"),
        ("未完成", "未达成"),
        ("差", "未达成"),
        ("全年完成培训12期，参训人员考核全部合格，并组织了两次回访", None),
        ("无差错", None),
        ("未按期完成", None),
        ("达成年度指标。", "达成"),
        ("基本达成年度指标", "达成"),
        ("未能达成年度指标", None),
        ("", None),
    ],
)
def test_qualitative_labels_map_to_three_grades(label, grade):
    assert grade_label(label) == grade


def test_qualitative_score_clamped_into_its_band():
    row, _ = one("明显提升", "部分达成年度指标并具有一定效果", 10, 10)
    assert row.kind == "qualitative" and row.grade == "部分达成"
    assert row.band == (6.0, 8.0)
    assert row.score == 7.99  # upper end of the band is exclusive
    assert one("明显提升", "达成年度指标", 10, 7)[0].score == 8.0
    assert one("明显提升", "达成年度指标", 10, 9)[0].score == 9.0


def test_qualitative_full_marks_for_achieved_when_unit_gave_no_score():
    assert one("有效改善", "达成预期指标", 10)[0].score == 10.0


def test_not_applicable_indicators_are_left_out_and_the_rest_rescaled():
    doc = document_from_dict({
        "self_score": 100,
        "budget": {"annual": 100, "executed": 95, "weight": 10, "score": 10},
        "indicators": [
            ind("培训人次", "≥100人次", "80人次", 20, 20),
            ind("成本", "≤50万元", "60万元", 30, 30, level2="成本指标"),
            ind("影响", "有效提升", "部分达成年度指标并具有一定效果", 30, 28, "效益指标", "社会效益指标"),
            ind("满意度", "≥90%", "不适用", 10, 10, "满意度指标", "服务对象满意度指标"),
        ],
    })
    r = recompute(doc, cfg())
    # 9.5 + 16 + 24 + 23.99 = 73.49 on a base of 90, rescaled to 100 -> 81.655... -> 81.66
    assert r.rescaled and r.weight_base == 100.0
    assert r.total == 81.66 and r.grade == "良"
    assert [x.included for x in r.rows] == [True, True, True, False]
    assert r.unit_total == 100


def test_rows_round_before_the_total_is_summed():
    doc = document_from_dict({
        "budget": {"annual": 1000, "executed": 999.5, "weight": 10},  # 9.995 -> 10.00
        "indicators": [ind("里程", "≥10公里", "8.88公里", 90)],  # 79.92
    })
    r = recompute(doc, cfg())
    assert r.budget_score == 10.0 and r.rows[0].score == 79.92
    assert r.total == 89.92 and r.grade == "良"


def test_unit_mismatch_keeps_the_units_own_score():
    row, _ = one("≥50个", "48万元", 10, 9)
    assert row.kind == "unit" and row.score == 9.0


def test_missing_actual_is_left_out():
    doc = document_from_dict({
        "budget": {"annual": 100, "executed": 100, "weight": 10},
        "indicators": [ind("a", "≥50个", "", 45, 45), ind("b", "≥50个", "50个", 45, 45)],
    })
    r = recompute(doc, cfg())
    assert not r.rows[0].included and r.rows[0].score is None
    assert r.total == 100.0 and r.rescaled


def test_no_scorable_table_gives_none():
    assert recompute(document_from_dict({"doc_type": "project_report", "sections": ["一、基本情况"]}), cfg()) is None
    assert recompute(document_from_dict({"indicators": [{"name": "培训人次", "target": "≥100人次", "actual": "120人次"}]}), cfg()) is None


def test_recomputation_serialises_to_json():
    _, r = one("≤50万元", "60万元", 30, 30)
    d = json.loads(json.dumps(r.to_dict(), ensure_ascii=False))
    assert d["rows"][0]["formula"].startswith("反向") and d["total"] == r.total


def test_same_input_same_output():
    doc = {"budget": {"annual": 100, "executed": 95, "weight": 10}, "indicators": [ind("a", "≥3个", "2个", 90, 90)]}
    assert recompute(document_from_dict(doc), cfg()).to_dict() == recompute(document_from_dict(doc), cfg()).to_dict()
