"""The rule engine: config overrides from a real jxcheck.toml, determinism, broken rule files, generic checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.judging.checks import check
from checker.core.config import Config, load_config
from checker.judging.engine import RuleSet, _policy_state, check_document, check_snippet, run_unit
from checker.core.errors import ConfigError
from checker.judging.spec import all_rules, load_rules, selected
from checker.judging.views import snippet_views

VAGUE = {"id": "v", "kind": "indicator", "level1": "效益指标", "level2": "社会效益指标", "name": "群众防灾意识", "target": "明显增强"}
SATISFACTION = {"id": "s", "kind": "indicator", "level1": "满意度指标", "level2": "服务对象满意度指标", "name": "受助群众满意度", "target": "≥88%"}


def _config(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "jxcheck.toml"
    path.write_text(text, encoding="utf-8")
    cfg = load_config(path, cwd=tmp_path)
    cfg.data["models"] = {"enabled": False}
    return cfg


def _codes(answer: dict) -> set[str]:
    return {f["code"] for f in answer["findings"]}


def test_default_config_flags_vague_target():
    answer = check_snippet(VAGUE, Config(), models=False)
    assert answer["flagged"] is True and "IN01" in _codes(answer)
    f = next(f for f in answer["findings"] if f["code"] == "IN01")
    assert f["severity"] == "warning" and f["category"] == "vague_indicator"
    assert "群众防灾意识" in f["message"] and f["evidence"] == "明显"
    assert f["location"] == {"field": "indicator.target"}


def test_severity_override_from_toml(tmp_path):
    cfg = _config(tmp_path, '[severity]\nIN01 = "info"\nIN14 = "info"\n')
    answer = check_snippet(VAGUE, cfg, models=False)
    sev = {f["code"]: f["severity"] for f in answer["findings"]}
    assert sev["IN01"] == "info"
    assert answer["flagged"] is False  # info does not flag a snippet


def test_rule_param_override_from_toml(tmp_path):
    assert "IN07" not in _codes(check_snippet(SATISFACTION, Config(), models=False))
    cfg = _config(tmp_path, "[rules.IN07]\nsatisfaction_floor = 90\n")
    answer = check_snippet(SATISFACTION, cfg, models=False)
    assert "IN07" in _codes(answer)
    assert "90%" in next(f for f in answer["findings"] if f["code"] == "IN07")["message"]


def test_shared_threshold_from_toml(tmp_path):
    cfg = _config(tmp_path, "[thresholds]\nsatisfaction_floor = 90\n")
    assert "IN07" in _codes(check_snippet(SATISFACTION, cfg, models=False))


def test_select_and_ignore_by_prefix(tmp_path):
    cfg = _config(tmp_path, 'ignore = ["IN0"]\n')
    codes = {r.code for r in load_rules(cfg)}
    assert "IN01" not in codes and "IN11" in codes
    assert "IN01" not in _codes(check_snippet(VAGUE, cfg, models=False))
    cfg = _config(tmp_path, 'select = ["IN"]\nignore = ["IN1"]\n')
    codes = {r.code for r in load_rules(cfg)}
    assert codes and all(c.startswith("IN") and not c.startswith("IN1") for c in codes)
    assert {"IN01", "IN50"} <= codes


def test_longest_prefix_wins():
    assert selected("IN01", ["IN01"], ["IN"]) is True
    assert selected("IN02", ["IN01"], ["IN"]) is False
    assert selected("IN02", ["IN"], ["IN0"]) is False
    assert selected("GO01", [], []) is True


def test_wordlist_append_from_toml(tmp_path):
    req = {**VAGUE, "name": "居民生活环境", "target": "尚可"}
    assert "IN01" not in _codes(check_snippet(req, Config(), models=False))
    cfg = _config(tmp_path, '[wordlists]\nvague_words = ["尚可"]\n')
    assert "IN01" in _codes(check_snippet(req, cfg, models=False))


def test_wordlist_replace_from_toml(tmp_path):
    cfg = _config(tmp_path, '[wordlists.replace]\nvague_words = ["尚可"]\n')
    # 明显 is no longer a vague word, so IN01 stays quiet on 明显增强
    assert "IN01" not in _codes(check_snippet(VAGUE, cfg, models=False))


@pytest.mark.parametrize(
    "toml",
    ['[severity]\nXX99 = "info"\n', '[severity]\nIN01 = "fatal"\n', "[rules.ZZ01]\na = 1\n", '[wordlists]\nvague_words = "x"\nother = 3\n'],
    ids=["unknown-code", "bad-severity", "unknown-rule-section", "bad-wordlist"],
)
def test_bad_config_is_a_config_error(tmp_path, toml):
    with pytest.raises(ConfigError):
        cfg = _config(tmp_path, toml)
        check_snippet(VAGUE, cfg, models=False)


def test_snippet_answers_are_deterministic():
    reqs = [VAGUE, SATISFACTION, {"id": "g", "kind": "goal", "goal": "做好各项工作，确保完成全年目标任务"}]
    first = [json.dumps(check_snippet(r, Config(), models=False), ensure_ascii=False, sort_keys=True) for r in reqs]
    second = [json.dumps(check_snippet(r, Config(), models=False), ensure_ascii=False, sort_keys=True) for r in reversed(reqs)]
    assert first == list(reversed(second))


def test_document_findings_sorted_and_located():
    from checker.reading.docbuild import document_from_dict

    doc = document_from_dict(
        {
            "project": "农村公路养护项目",
            "year": 2024,
            "indicators": [
                {"level1": "产出指标", "level2": "数量指标", "name": "养护里程", "target": "≥120公里", "actual": "126公里"},
                {"level1": "效益指标", "level2": "社会效益指标", "name": "群众出行条件", "target": "明显改善", "actual": "达成"},
                {"level1": "产出指标", "level2": "时效指标", "name": "完成时间", "target": "全年", "actual": "全年"},
            ],
        }
    )
    cfg = Config()
    cfg.data["models"] = {"enabled": False}
    a, notices = check_document(doc, cfg, models=False)
    b, _ = check_document(doc, cfg, models=False)
    assert [f.to_dict() for f in a] == [f.to_dict() for f in b]
    assert [f.sort_key() for f in a] == sorted(f.sort_key() for f in a)
    by_code = {f.code: f for f in a}
    assert by_code["IN01"].location.field == "indicators[2].target"
    assert by_code["IN11"].location.field == "indicators[3].target"
    assert not any(f.code.startswith("IN") and f.location.field and f.location.field.startswith("indicators[1]") for f in a)


RULE = """\
code: {code}
name: {name}
category: vague_indicator
severity: warning
title: 测试规则
rationale: 测试
scope: indicator
kind: {kind}
params: {params}
message: "指标“{{name}}”：{{evidence}}"
examples: {{bad: [{{name: a, target: b}}], good: [{{name: a, target: c}}]}}
"""


def _rules_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "rules"
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    (root / "wordlists").mkdir(exist_ok=True)
    (root / "wordlists" / "tw.txt").write_text("# test\n含糊\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "needle"),
    [
        ({"vague_indicator/IN98-x.yaml": "code: IN98\nname: [unclosed\n"}, "IN98-x.yaml"),
        ({"vague_indicator/IN98-wrong-name.yaml": RULE.format(code="IN98", name="other-name", kind="lexicon", params="{}")}, "文件名"),
        ({"goal_mismatch/IN98-x.yaml": RULE.format(code="IN98", name="x", kind="lexicon", params="{}")}, "文件夹"),
        ({"vague_indicator/IN98-x.yaml": RULE.format(code="IN98", name="x", kind="nonsense", params="{}")}, "检查类型"),
        ({"vague_indicator/IN98-x.yaml": RULE.format(code="IN98", name="x", kind="lexicon", params="{}").replace("severity: warning", "severity: loud")}, "严重程度"),
        ({"vague_indicator/IN98-Bad_Name.yaml": RULE.format(code="IN98", name="Bad_Name", kind="lexicon", params="{}")}, "kebab"),
        (
            {
                "vague_indicator/IN98-x.yaml": RULE.format(code="IN98", name="x", kind="lexicon", params="{}"),
                "vague_indicator/IN98-y.yaml": RULE.format(code="IN98", name="y", kind="lexicon", params="{}"),
            },
            "重复",
        ),
    ],
    ids=["bad-yaml", "file-name", "folder", "kind", "severity", "kebab", "duplicate"],
)
def test_broken_rule_file_is_a_config_error(tmp_path, files, needle):
    with pytest.raises(ConfigError) as err:
        all_rules(_rules_dir(tmp_path, files))
    assert needle in str(err.value)


@check("test_engine_boom")
def _boom(view, params, ctx):
    raise RuntimeError("boom")
    yield  # pragma: no cover


def _run(tmp_path, kind: str, params: str, req: dict, wordlists: str = ""):
    text = RULE.format(code="IN97", name="t", kind=kind, params=params)
    if wordlists:
        text += f"wordlists: [{wordlists}]\n"
    extra = RULE.format(code="IN96", name="ok", kind="lexicon", params="{terms: [含糊]}")
    root = _rules_dir(tmp_path, {"vague_indicator/IN97-t.yaml": text, "vague_indicator/IN96-ok.yaml": extra})
    cfg = Config()
    cfg.data["models"] = {"enabled": False}
    rs = RuleSet.build(cfg, root)
    notices: list[str] = []
    findings, prob = run_unit("indicator", snippet_views({"kind": "indicator", **req}), rs, rs.context(), notices, models=False)
    return findings, prob, notices


def test_crashing_check_becomes_notice_and_others_still_run(tmp_path):
    findings, prob, notices = _run(tmp_path, "python:test_engine_boom", "{}", {"name": "x", "target": "含糊"})
    assert [f.code for f in findings] == ["IN96"]
    assert len(notices) == 1 and "IN97" in notices[0]
    assert prob == pytest.approx(0.9)


def test_model_layer_failure_falls_back_to_rules(tmp_path):
    class Broken:
        @staticmethod
        def combine_many(kind, views, findings, config, need_probability=True):
            raise RuntimeError("no model")

    saved = dict(_policy_state)
    _policy_state["mod"] = Broken()
    try:
        cfg = Config()
        rs = RuleSet.build(cfg)
        notices: list[str] = []
        findings, prob = run_unit("indicator", snippet_views(VAGUE), rs, rs.context(), notices, models=True)
    finally:
        _policy_state.clear()
        _policy_state.update(saved)
    assert "IN01" in {f.code for f in findings}
    assert len(notices) == 1 and "模型" in notices[0]
    assert prob >= 0.5


@pytest.mark.parametrize(
    ("kind", "params", "req", "fires"),
    [
        ("lexicon", "{terms: [效果明显]}", {"name": "x", "target": "效果明显"}, True),
        ("lexicon", "{terms: [效果明显], unless_number: true}", {"name": "x", "target": "效果明显，提升5%"}, False),
        ("lexicon", "{unless: ['《']}", {"name": "x", "target": "符合《办法》，含糊"}, False),
        ("pattern", "{pattern: '^按.{1,4}完成$'}", {"name": "x", "target": "按计划完成"}, True),
        ("pattern", "{pattern: '^按.{1,4}完成$'}", {"name": "x", "target": "10月底前完成"}, False),
    ],
)
def test_generic_check_types(tmp_path, kind, params, req, fires):
    findings, _, notices = _run(tmp_path, kind, params, req, wordlists="tw" if kind == "lexicon" else "")
    assert not notices
    assert ("IN97" in {f.code for f in findings}) is fires


def test_model_findings_obey_ignore(tmp_path):
    from checker.core.finding import Finding

    class Fake:
        @staticmethod
        def combine_many(kind, views, findings, config, need_probability=True):
            return [
                (0.95, [Finding("IN90", "vague_indicator", "warning", "模型判断", v.target, "", source="model", confidence=0.95)])
                for v in views
            ]

    saved = dict(_policy_state)
    _policy_state["mod"] = Fake()
    try:
        req = {**VAGUE, "target": "≥20个"}
        with_model = check_snippet(req, Config(), models=True)
        cfg = Config()
        cfg.data["ignore"] = ["IN9"]
        ignored = check_snippet(req, cfg, models=True)
    finally:
        _policy_state.clear()
        _policy_state.update(saved)
    assert "IN90" in _codes(with_model) and with_model["probability"] == 0.95
    assert "IN90" not in _codes(ignored)


def test_crashing_rule_gives_one_notice_per_document(tmp_path):
    from checker.reading.docbuild import document_from_dict

    root = _rules_dir(
        tmp_path,
        {
            "vague_indicator/IN97-t.yaml": RULE.format(code="IN97", name="t", kind="python:test_engine_boom", params="{}"),
            "vague_indicator/IN95-u.yaml": RULE.format(code="IN95", name="u", kind="python:no_such_check", params="{}"),
        },
    )
    inds = [{"level1": "产出指标", "level2": "数量指标", "name": f"指标{i}", "target": "≥5个"} for i in range(3)]
    cfg = Config()
    cfg.data["models"] = {"enabled": False}
    findings, notices = check_document(document_from_dict({"indicators": inds}), cfg, models=False, rules_dir=root)
    assert findings == []
    assert sorted(n[:7] for n in notices) == ["规则 IN95", "规则 IN97"]
