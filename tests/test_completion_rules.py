"""Completion rules (CP01-CP07, CP20): 实际完成情况 and claim-only 实际完成值.

Through the real engine with the shipped rules and word lists: bare claims, goal
repetition (with 了/已 added), counted outputs present or absent, money in place of
outputs, template text, and traditional-character text.
"""

from __future__ import annotations

import pytest

from checker.core.config import Config, load_config
from checker.judging.engine import check_snippet


@pytest.fixture(scope="module")
def cfg() -> Config:
    c = load_config()
    c.data["models"] = {"enabled": False}
    return c


def comp(cfg, completion, goal=None, project=None):
    ans = check_snippet({"id": "c", "kind": "completion", "completion": completion, "goal": goal, "project": project}, cfg, models=False)
    return ans, {f["code"] for f in ans["findings"]}


@pytest.mark.parametrize(
    "text",
    ["已完成", "项目已完成。", "按计划完成", "达到预期目标", "圆满完成各项任务", "绩效自评结果为良。", "已完成100%", "总体绩效目标基本完成。"],
)
def test_bare_claims(cfg, text):
    ans, codes = comp(cfg, text, project="村级运转经费")
    assert "CP01" in codes
    assert ans["flagged"] is True


def test_project_name_plus_claim_is_still_bare(cfg):
    _, codes = comp(cfg, "村干部报酬项目2023年绩效目标已完全实现。", project="村干部报酬项目(某镇,2023年度)")
    assert "CP01" in codes


@pytest.mark.parametrize(
    "goal, completion",
    [
        ("加强两品一械企业监管力度", "加强了两品一械企业监管力度"),
        ("保证学校的正常运转", "已保证了学校的正常运转。"),
        ("确保每一个学生都能享受到国家政策福利，改善学生体质", "确保每一个学生都能享受到国家政策福利，改善学生体质"),
    ],
    ids=["le-added", "yi-le-added", "identical"],
)
def test_goal_repeated_with_tense_change(cfg, goal, completion):
    _, codes = comp(cfg, completion, goal)
    assert "CP02" in codes


def test_quantified_goal_repeated_with_counts_is_accepted(cfg):
    goal = "新建收容所1间200平方米，围栏120米"
    ans, codes = comp(cfg, "完成收容所1间200平方米，围栏120米，10月通过验收。", goal)
    assert not ans["flagged"], codes


def test_different_text_is_not_a_repetition(cfg):
    _, codes = comp(cfg, "全年抽检药品148个批次，检查企业36家", "加强两品一械企业监管力度")
    assert not codes


def test_goal_has_numbers_completion_has_none(cfg):
    goal = "资助精神病患者服药230人，辅具适配200人"
    _, codes = comp(cfg, "康复工作扎实推进，残疾人生活质量明显提高。", goal)
    assert "CP03" in codes
    ans, codes = comp(cfg, "资助服药236人，辅具适配205人。", goal)
    assert not ans["flagged"], codes


def test_rates_years_and_numbering_are_not_outputs(cfg):
    _, codes = comp(cfg, "1.质量指标：验收合格率100%；2.时效指标：2023年12月底前完成。")
    assert "CP07" in codes
    ans, _ = comp(cfg, "1.验收道路3.2公里，合格率100%；2.2023年12月底前完成。")
    assert not ans["flagged"]


def test_money_instead_of_outputs(cfg):
    text = "项目全年预算数2.03万元，执行数为2.03万元，完成预算的100%。通过项目实施，保障了信访工作顺利开展。"
    _, codes = comp(cfg, text)
    assert "CP04" in codes
    ans, _ = comp(cfg, "预算6万元全部执行；全年接待来访群众420人次，办结信访件316件。")
    assert not ans["flagged"]


def test_template_text_left_in_cell(cfg):
    ans, codes = comp(cfg, "对照年度目标，说明相关任务目标的完成情况（100字以内）", "聘用14人开展医保监管")
    assert "CP05" in codes
    assert next(f for f in ans["findings"] if f["code"] == "CP05")["severity"] == "error"


def test_process_only_completion(cfg):
    _, codes = comp(cfg, "严格执行财务制度，专款专用，资金管理规范，程序符合相关要求。")
    assert "CP06" in codes


def test_vague_effects_without_any_count(cfg):
    ans, codes = comp(cfg, "农机化水平得到了进一步提升，农民种田成本进一步降低，取得了良好效果。")
    assert "CP07" in codes
    f = next(f for f in ans["findings"] if f["code"] == "CP07")
    assert "进一步提升" in f["evidence"] or "良好效果" in f["evidence"]


@pytest.mark.parametrize(
    "text, flagged",
    [
        ("資金及時撥付到位，各項任務圓滿完成。", True),
        ("組織開展巾幗宣講活動20場次，受益群眾20000人。", False),
    ],
    ids=["traditional-perfunctory", "traditional-quantified"],
)
def test_traditional_characters(cfg, text, flagged):
    ans, codes = comp(cfg, text)
    assert ans["flagged"] is flagged, codes


def test_non_text_goal_does_not_crash(cfg):
    ans = check_snippet({"id": "c", "kind": "completion", "completion": "完成道路硬化4970平方米", "goal": True}, cfg, models=False)
    assert ans["flagged"] is False


def ind(cfg, target, actual, name="培训人次"):
    req = {"id": "i", "kind": "indicator", "level1": "产出指标", "level2": "数量指标", "name": name, "target": target, "actual": actual}
    return {f["code"] for f in check_snippet(req, cfg, models=False)["findings"]}


@pytest.mark.parametrize("actual", ["完成", "已完成", "达标", "是", "全部完成", "达到目标"])
def test_claim_only_actual_for_quantitative_target(cfg, actual):
    assert "CP20" in ind(cfg, "≥200人次", actual)


@pytest.mark.parametrize(
    "target, actual",
    [("≥200人次", "236人次"), ("符合规范要求", "达标"), ("≥95%", "完成率98%"), ("≥200人次", None)],
    ids=["numeric-actual", "qualitative-target", "number-in-text", "no-actual"],
)
def test_claim_only_actual_not_raised(cfg, target, actual):
    assert "CP20" not in ind(cfg, target, actual)


def test_evidence_quotes_traditional_text_as_written(cfg):
    ans, _ = comp(cfg, "資金及時撥付到位，各項任務圓滿完成。")
    evidence = " ".join(f["evidence"] for f in ans["findings"])
    assert "撥付到位" in evidence


def test_completion_rules_meet_the_quality_bar_on_the_corpus(corpus_dir, cfg):
    """Precision/recall of rules alone on the labelled completions (unsure rows left out)."""
    import json

    tp = fp = fn = 0
    for line in (corpus_dir / "completions.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("unsure"):
            continue
        req = {"id": "r", "kind": "completion", "project": row.get("project"), "goal": row.get("goal"), "completion": row.get("completion")}
        flagged = check_snippet(req, cfg, models=False)["flagged"]
        label = row["label"] == "perfunctory"
        tp += flagged and label
        fp += flagged and not label
        fn += label and not flagged
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    assert precision >= 0.9 and recall >= 0.8, (precision, recall)
