"""Every rule's bad examples raise it and its good examples do not (ids <CODE>-bad-<n> / <CODE>-good-<n>).

Indicator/goal/completion examples go through `check_snippet` with models off and every
other rule on; document examples through `checker.reading.docbuild.document_from_dict` and
`check_document`. A clean smoke set of good texts must raise nothing at all.
"""

from __future__ import annotations

import pytest

from checker.core.config import Config
from checker.judging.engine import check_document, check_snippet
from checker.judging.selfscore import recompute
from checker.judging.spec import all_rules
from checker.reading.docbuild import document_from_dict

RULES = all_rules()
TEXT_SCOPES = ("indicator", "goal", "completion")


def _config() -> Config:
    cfg = Config()
    cfg.data["models"] = {"enabled": False}
    return cfg


CONFIG = _config()


def _cases():
    for spec in RULES:
        # batch rules: tests/test_copydetect.py; model rules: tests/test_classifiers.py
        if spec.scope == "batch" or spec.kind == "classifier":
            continue
        for polarity in ("bad", "good"):
            for n, example in enumerate(spec.examples.get(polarity) or [], 1):
                yield pytest.param(spec, polarity, example, id=f"{spec.code}-{polarity}-{n}")


def _request(scope: str, example) -> dict:
    if isinstance(example, str):
        example = {"goal": example} if scope == "goal" else {"completion": example} if scope == "completion" else {"target": example}
    req = {"id": "ex", "kind": scope, **example}
    if scope == "indicator":
        req.setdefault("name", "指标")
        req.setdefault("target", "")
    return req


def _codes(spec, example) -> set[str]:
    if spec.scope in TEXT_SCOPES:
        answer = check_snippet(_request(spec.scope, example), CONFIG, models=False)
        assert "error" not in answer, answer
        return {f["code"] for f in answer["findings"]}
    doc = document_from_dict(example)
    findings, _ = check_document(doc, CONFIG, recomputation=_recompute(doc), models=False)
    return {f.code for f in findings}


def _recompute(doc):
    return recompute(doc, CONFIG)


@pytest.mark.parametrize(("spec", "polarity", "example"), list(_cases()))
def test_rule_example(spec, polarity, example):
    codes = _codes(spec, example)
    if polarity == "bad":
        assert spec.code in codes, f"{spec.code} 的反例没有触发该规则：{example}（触发了 {sorted(codes)}）"
    else:
        assert spec.code not in codes, f"{spec.code} 的正例误触发了该规则：{example}"


# Good texts of the kind a careful unit writes; no rule at all may fire on them.
SMOKE = [
    {"kind": "indicator", "level1": "产出指标", "level2": "数量指标", "name": "新建农村公路里程", "target": "≥35公里", "actual": "36.2公里"},
    {"kind": "indicator", "level1": "产出指标", "level2": "质量指标", "name": "工程竣工验收合格率", "target": "=100%", "actual": "100%"},
    {"kind": "indicator", "level1": "产出指标", "level2": "时效指标", "name": "工程完工时间", "target": "2024年10月31日前", "actual": "2024年10月20日"},
    {"kind": "indicator", "level1": "产出指标", "level2": "成本指标", "name": "每公里建设成本", "target": "≤85万元/公里", "actual": "82万元/公里"},
    {"kind": "indicator", "level1": "效益指标", "level2": "社会效益指标", "name": "受益群众人数", "target": "≥1.2万人", "actual": "1.3万人"},
    {"kind": "indicator", "level1": "满意度指标", "level2": "服务对象满意度指标", "name": "沿线群众满意度", "target": "≥90%", "actual": "94%"},
    {"kind": "goal", "project": "2024年农村公路提档升级项目", "goal": "2024年完成12条农村公路提档升级共35公里，10月底前全部完工并通过交工验收，沿线1.2万群众出行条件得到改善。"},
    {"kind": "goal", "project": "城乡居民临时救助项目", "goal": "全年对因灾、因病陷入困境的约600户困难家庭实施临时救助，救助资金当月足额发放到户。"},
    {"kind": "completion", "project": "2024年农村公路提档升级项目", "goal": "完成12条农村公路提档升级共35公里", "completion": "实际完成12条道路提档升级，共36.2公里，10月20日全部完工，交工验收合格率100%；沿线受益群众约1.3万人，问卷满意度94%。"},
    {"kind": "completion", "project": "城乡居民临时救助项目", "goal": "对约600户困难家庭实施临时救助", "completion": "全年实施临时救助632户、1810人次，发放救助金186.4万元，均在审批当月发放到户；抽样回访满意度96%。"},
]


@pytest.mark.parametrize("req", SMOKE, ids=[f"smoke-{r['kind']}-{n}" for n, r in enumerate(SMOKE, 1)])
def test_clean_smoke_set_raises_nothing(req):
    answer = check_snippet({"id": "s", **req}, CONFIG, models=False)
    assert answer["findings"] == [], [f"{f['code']} {f['message']}" for f in answer["findings"]]
    assert answer["flagged"] is False
