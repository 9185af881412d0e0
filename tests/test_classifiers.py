"""Trained classifiers: shipped artifacts, training end to end, degradation to rules only."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from checker.judging.classifiers import policy
from training import fit
from checker.judging.classifiers.base import KINDS, MODEL_CODE, record_from_request
from checker.core.config import DEFAULTS, Config

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"

pytestmark = pytest.mark.ml


def _config(**models) -> Config:
    data = copy.deepcopy(DEFAULTS)
    data["models"] = {"enabled": True, **models}
    return Config(data)


@pytest.fixture(autouse=True)
def _fresh_cache():
    policy.clear_cache()
    yield
    policy.clear_cache()


# ---- shipped pipelines --------------------------------------------------------------------

CLEAR = {
    "indicator": (
        [
            {"level1": "效益指标", "level2": "社会效益指标", "name": "群众生活水平", "target": "明显提升"},
            {"level1": "效益指标", "level2": "可持续影响指标", "name": "可持续影响", "target": "长期"},
            {"level1": "效益指标", "level2": "社会效益指标", "name": "社会效益", "target": "显著"},
        ],
        [
            {"level1": "产出指标", "level2": "数量指标", "name": "新建农村公路里程", "target": "≥120公里"},
            {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "受益群众满意度", "target": "≥90%"},
            {"level1": "产出指标", "level2": "时效指标", "name": "资金拨付时间", "target": "2024年6月30日前"},
        ],
    ),
    "goal": (
        [
            {"project": "农村饮水安全巩固提升工程", "goal": "深入贯彻落实党中央决策部署，推动各项事业高质量发展，不断增强人民群众获得感幸福感安全感。"},
            {"project": "困难残疾人生活补贴", "goal": "保障单位正常运转，确保各项日常工作顺利开展。"},
        ],
        [
            {"project": "农村饮水安全巩固提升工程", "goal": "2024年新建和改造农村集中供水工程12处，解决3500名农村人口饮水安全问题，水质达标率不低于95%。"},
            {"project": "困难残疾人生活补贴", "goal": "全年按月向全县1260名困难残疾人发放生活补贴，发放准确率100%，12月底前资金全部兑付到人。"},
        ],
    ),
    "completion": (
        [
            {"project": "高标准农田建设项目", "goal": "2023年建设高标准农田2万亩", "completion": "项目已顺利实施，取得良好成效。"},
            {"project": "困难残疾人生活补贴", "goal": "", "completion": "已完成。"},
        ],
        [
            {"project": "高标准农田建设项目", "goal": "2023年建设高标准农田2万亩",
             "completion": "2023年建成高标准农田2.1万亩，完成年度目标的105%，12月通过县级验收，受益农户3200户。"},
            {"project": "困难残疾人生活补贴", "goal": "",
             "completion": "全年共向1248名困难残疾人发放生活补贴149.8万元，发放准确率100%，资金于每月10日前打卡到人。"},
        ],
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_model_loads_and_separates_clear_cases(kind):
    clf = policy.load(kind)
    card = json.loads((MODELS / kind / "card.json").read_text(encoding="utf-8"))
    assert hashlib.sha256((MODELS / kind / "model.joblib").read_bytes()).hexdigest() == card["sha256"]
    bad, good = CLEAR[kind]
    pb = clf.proba([record_from_request(kind, r) for r in bad])
    pg = clf.proba([record_from_request(kind, r) for r in good])
    assert all(0.0 <= p <= 1.0 for p in pb + pg)
    assert min(pb) > 0.5, pb
    assert max(pg) < 0.5, pg
    labels = [label for label, _ in clf.predict([record_from_request(kind, r) for r in bad + good])]
    assert labels[: len(bad)] == [clf.labels[1]] * len(bad)


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_model_fits_the_corpus(kind, corpus_dir):
    """In-sample sanity on the real corpus rows (the honest grouped-CV figures are in the model card)."""
    rows = [r for r in fit.load_corpus(kind, corpus_dir) if not r.unsure]
    proba = policy.load(kind).proba([r.record for r in rows])
    acc = sum((p >= 0.5) == bool(r.y) for p, r in zip(proba, rows, strict=True)) / len(rows)
    assert acc >= 0.85, acc


def test_artifacts_are_small():
    size = sum(p.stat().st_size for p in MODELS.rglob("*.joblib"))
    assert 0 < size <= 20 * 1024 * 1024


# ---- training end to end on a tiny fixture ------------------------------------------------

TINY_VAGUE = ["明显提升", "有效改善", "逐步提高", "进一步加强", "显著增强", "得到保障", "较好", "持续改善"]
TINY_OK = ["≥95%", "≥500人次", "=100%", "≥12个", "2024年12月底前", "验收合格", "≤30万元", "≥1200户"]
TINY_NAMES = ["群众满意度", "培训人次", "覆盖率", "建设数量", "完成时间", "工程质量", "项目成本", "受益户数"]


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    corpus, data = root / "corpus", root / "data"
    corpus.mkdir()
    data.mkdir()
    rows = []
    for n, (name, bad, good) in enumerate(zip(TINY_NAMES, TINY_VAGUE, TINY_OK, strict=True)):
        src = f"https://example.org/doc{n % 6}"
        rows.append({"source_url": src, "project": "示例项目", "level1": "产出指标", "level2": "数量指标", "name": name,
                     "target": bad, "actual": None, "label": "vague", "why": "fixture"})
        rows.append({"source_url": src, "project": "示例项目", "level1": "产出指标", "level2": "数量指标", "name": name,
                     "target": good, "actual": None, "label": "ok", "why": "fixture"})
    (corpus / "indicators.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    extra = [{"source": "written", "family": "tiny-a", "name": "社会效益", "target": "良好", "label": "vague"},
             {"source": "written", "family": "tiny-b", "name": "受益人数", "target": "≥800人", "label": "ok"}]
    (data / "indicator_extra.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in extra), encoding="utf-8")
    # the shipped model rule specs are found through checker.rules / checker.models, not this folder
    return corpus, data, root


def test_training_on_tiny_fixture_end_to_end(tiny_corpus, tmp_path):
    corpus, data, _ = tiny_corpus
    out1, out2 = tmp_path / "m1", tmp_path / "m2"
    card = fit.train_kind("indicator", corpus, data, out1, use_rules=False)
    fit.train_kind("indicator", corpus, data, out2, use_rules=False)
    assert card["training_rows"] == {"corpus": 16, "written": 2}
    assert set(card["cv"]) >= {"rows", "positives", "model@0.5"}
    # deterministic: the same data gives a byte-identical artifact
    assert (out1 / "indicator" / "model.joblib").read_bytes() == (out2 / "indicator" / "model.joblib").read_bytes()
    clf = policy.load("indicator", _config(dir=str(out1)))
    p_bad, p_good = clf.proba([{"name": "群众满意度", "target": "明显提升"}, {"name": "群众满意度", "target": "≥95%"}])
    assert p_bad > p_good


def test_train_script_on_tiny_fixture(tiny_corpus, tmp_path, capsys):
    import importlib.util

    corpus, data, _ = tiny_corpus
    spec = importlib.util.spec_from_file_location("train_script", ROOT / "scripts" / "train.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "out"
    assert mod.main(["--corpus", str(corpus), "--data", str(data), "--out", str(out), "--kinds", "indicator", "--no-rules"]) == 0
    card = json.loads((out / "indicator" / "card.json").read_text(encoding="utf-8"))
    assert card["kept"] is False and card["code"] == "IN90" and "indicator:" in capsys.readouterr().out
    assert mod.main(["--corpus", str(tmp_path / "nowhere"), "--out", str(out)]) == 2


def test_grouped_folds_keep_a_source_together(tiny_corpus):
    corpus, _, _ = tiny_corpus
    rows = fit.load_corpus("indicator", corpus)
    from sklearn.model_selection import GroupKFold

    groups = [r.group for r in rows]
    for train_idx, test_idx in GroupKFold(n_splits=5).split(rows, groups=groups):
        assert not {groups[i] for i in train_idx} & {groups[i] for i in test_idx}


def test_choose_threshold_keeps_precision_and_drops_useless_model():
    import numpy as np

    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    rules = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], dtype=bool)
    helpful = np.array([0.9, 0.9, 0.85, 0.8, 0.55, 0.3, 0.2, 0.1, 0.1, 0.1])
    t, info = fit.choose_threshold(y, helpful, rules)
    assert t is not None and t > 0.55
    assert info["combined"]["precision"] >= 0.9 and info["combined"]["f1"] > info["rules"]["f1"]
    noisy = np.array([0.1, 0.1, 0.2, 0.2, 0.9, 0.9, 0.95, 0.1, 0.1, 0.1])
    t2, _ = fit.choose_threshold(y, noisy, rules)
    assert t2 is None


def test_decide_on_holdout_needs_a_dev_gain_and_corpus_precision():
    import numpy as np

    y = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    rules = np.array([1, 1, 0, 0, 0, 0, 0, 0], dtype=bool)
    p = np.array([0.95, 0.9, 0.92, 0.85, 0.2, 0.1, 0.3, 0.1])
    clean_corpus = {"y": y, "rules": rules, "p": p}
    t, info = fit.decide_on_holdout(clean_corpus, {"_arrays": (y, rules, p)})
    assert t == 0.85 and info["combined"]["f1"] == 1.0  # highest threshold reaching the best F1
    noisy_corpus = {"y": y, "rules": rules, "p": np.array([0.1, 0.1, 0.1, 0.1, 0.99, 0.99, 0.99, 0.99])}
    assert fit.decide_on_holdout(noisy_corpus, {"_arrays": (y, rules, p)})[0] is None
    perfect_rules = y.astype(bool)
    assert fit.decide_on_holdout(clean_corpus, {"_arrays": (y, perfect_rules, p)})[0] is None


# ---- the policy inside the engine ---------------------------------------------------------


def _snippet(req, config):
    from checker.judging.engine import check_snippet

    return check_snippet(req, config)


VAGUE_REQ = {"id": "x", "kind": "indicator", "level1": "效益指标", "level2": "社会效益指标", "name": "群众生活水平", "target": "明显提升"}


def _switched_on(kind: str, cfg: Config | None = None) -> Config:
    """Config with the kind's model findings on at its card threshold, the kind's rules off
    (so the model-only path is what is measured)."""
    cfg = cfg or _config()
    card = json.loads((MODELS / kind / "card.json").read_text(encoding="utf-8"))
    cfg.data["models"]["thresholds"] = {MODEL_CODE[kind]: card["threshold"]}
    cfg.data["ignore"] = [MODEL_CODE[kind][:2] + str(d) for d in range(9)]  # every rule of the family but XX90
    return cfg


def test_model_finding_in_snippet_answer():
    cfg = _switched_on("indicator")
    ans = _snippet(VAGUE_REQ, cfg)
    assert [(f["code"], f["source"], f["severity"]) for f in ans["findings"]] == [("IN90", "model", "warning")]
    f = ans["findings"][0]
    assert f["confidence"] >= 0.5 and "群众生活水平" in f["message"] and f["location"]["field"] == "indicator.target"
    assert ans["flagged"] is True and ans["probability"] >= f["confidence"]
    assert ans == _snippet(VAGUE_REQ, cfg)  # same input, same answer
    ok = _snippet({**VAGUE_REQ, "name": "新建农村公路里程", "target": "≥120公里"}, cfg)
    assert ok["findings"] == [] and ok["flagged"] is False and ok["probability"] < 0.5


def test_probability_combines_rule_verdict_and_model():
    from checker.core.finding import Finding
    from checker.judging.views import snippet_views

    view = snippet_views(VAGUE_REQ)
    hit = Finding("IN01", "vague_indicator", "warning", "m", "明显提升", "s")
    p_none, _ = policy.combine("indicator", view, [], _config())
    p_rule, extra = policy.combine("indicator", view, [hit], _config())
    assert p_rule > p_none > 0.5 and extra == []
    ok = snippet_views({**VAGUE_REQ, "name": "新建农村公路里程", "target": "≥120公里"})
    p_ok, _ = policy.combine("indicator", ok, [], _config())
    assert p_ok < 0.5


def test_ignore_and_severity_apply_to_model_rules():
    from checker.judging.classifiers.base import CATEGORY
    from checker.judging.views import snippet_views

    view = snippet_views(VAGUE_REQ)
    cfg = _switched_on("indicator")
    cfg.data["ignore"] = ["IN90"]
    prob, extra = policy.combine("indicator", view, [], cfg)
    assert extra == [] and prob > 0.5
    cfg = _switched_on("indicator")
    cfg.data["severity"] = {"IN90": "info"}
    _, extra = policy.combine("indicator", view, [], cfg)
    assert [(f.code, f.severity, f.category, f.source) for f in extra] == [("IN90", "info", CATEGORY["indicator"], "model")]


@pytest.mark.parametrize("kind", KINDS)
def test_model_rule_examples(kind):
    """Bad examples of IN90/GO90/CP90 raise them with models on (and no rule hit); good ones do not.
    A model not kept at training is switched on here with its card's suggested threshold."""
    import yaml

    from checker.judging.views import snippet_views

    code = MODEL_CODE[kind]
    files = list(ROOT.glob(f"rules/*/{code}-*.yaml"))
    assert files, code
    spec = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    assert spec["kind"] == "classifier" and spec["scope"] == kind
    cfg = _switched_on(kind)
    for ex in spec["examples"]["bad"]:
        _, extra = policy.combine(kind, snippet_views({"kind": kind, **ex}), [], cfg)
        assert [f.code for f in extra] == [code], ex
    for ex in spec["examples"]["good"]:
        _, extra = policy.combine(kind, snippet_views({"kind": kind, **ex}), [], cfg)
        assert extra == [], ex


def test_model_not_kept_adds_no_findings_by_default():
    from checker.judging.views import snippet_views

    for kind in KINDS:
        card = json.loads((MODELS / kind / "card.json").read_text(encoding="utf-8"))
        if card["kept"]:
            continue
        bad = json.loads(json.dumps(CLEAR[kind][0][0]))
        prob, extra = policy.combine(kind, snippet_views({"kind": kind, **bad}), [], _config())
        assert extra == [] and prob > 0.5


# ---- degradation ----------------------------------------------------------------------------


def _broken_dir(tmp_path: Path, how: str) -> Path:
    root = tmp_path / how
    shutil.copytree(MODELS, root, ignore=shutil.ignore_patterns("data", "*.md", "__pycache__", "__init__.py"))
    model, card_file = root / "indicator" / "model.joblib", root / "indicator" / "card.json"
    card = json.loads(card_file.read_text(encoding="utf-8"))
    if how == "missing":
        model.unlink()
    elif how == "corrupt":
        data = b"not a pickle" + model.read_bytes()[:100]
        model.write_bytes(data)
        card["sha256"] = hashlib.sha256(data).hexdigest()  # passes the checksum, fails to unpickle
        card_file.write_text(json.dumps(card), encoding="utf-8")
    elif how == "checksum":
        model.write_bytes(model.read_bytes()[:-10])
    elif how == "version":
        card["sklearn_version"] = "0.0.1"
        card_file.write_text(json.dumps(card), encoding="utf-8")
    elif how == "card":
        card_file.write_text("{not json", encoding="utf-8")
    return root


@pytest.mark.parametrize("how", ["missing", "corrupt", "checksum", "version", "card"])
def test_broken_model_degrades_to_rules_with_one_notice(tmp_path, how):
    from checker.judging.engine import check_document, check_snippet
    from checker.core.document import Document, Goal, Indicator

    cfg = _config(dir=str(_broken_dir(tmp_path, how)))
    with pytest.raises(policy.ModelUnavailable):
        policy.load("indicator", cfg)
    ans = check_snippet(VAGUE_REQ, cfg)
    rules_only = check_snippet(VAGUE_REQ, cfg, models=False)
    assert len(ans["notices"]) == 1 and "模型" in ans["notices"][0]
    assert [f for f in ans["findings"] if f["source"] == "model"] == []
    assert ans["flagged"] == rules_only["flagged"] and ans["probability"] == rules_only["probability"]
    # a whole document with several indicators: still one notice, other kinds keep their models
    doc = Document(format="docx", project="农村公路养护项目",
                   goals=[Goal("深入贯彻落实党中央决策部署，推动各项事业高质量发展，不断增强人民群众获得感幸福感安全感。", "已完成。")],
                   indicators=[Indicator("效益指标", "社会效益指标", "群众生活水平", "明显提升"),
                               Indicator("效益指标", "社会效益指标", "社会效益", "显著")])
    findings, notices = check_document(doc, cfg)
    # never one notice per indicator; a document check loads a model only when it could add a
    # finding (kept in its card, on an item no rule flagged), so here it may need none at all
    assert len([n for n in notices if "模型" in n]) <= 1
    assert not [f for f in findings if f.source == "model" and f.category == "vague_indicator"]
