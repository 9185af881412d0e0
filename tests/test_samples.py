"""Extraction against truth: every file in samples/ read by checker.api.read_document and
compared, field by field, with its .truth.json (written by samples/generate.py from the same
data the document was rendered from). Also checks the generator is deterministic and the
sample set is internally consistent.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from checker.core.finding import CATEGORIES
from conftest import SAMPLES, needs_soffice

TRUTH_FILES = sorted(SAMPLES.glob("s[0-9][0-9]_*.truth.json"))
ASPECTS = ("meta", "budget", "goals", "indicators", "sections")
TOL = 0.01


def _load(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


TRUTHS = {p.name.split("_")[0]: _load(p) for p in TRUTH_FILES}


def _marks(truth: dict):
    # .doc is read through LibreOffice (.xls goes through xlrd first)
    return [needs_soffice, pytest.mark.libreoffice] if truth["format"] == "doc" else []


CASES = [
    pytest.param(sid, aspect, id=f"{sid}-{aspect}", marks=_marks(truth))
    for sid, truth in TRUTHS.items()
    for aspect in ASPECTS
]


# ---- helpers ----------------------------------------------------------------------------


def norm(text) -> str | None:
    """Whitespace-free text; empty and None both mean 'missing'."""
    if text is None:
        return None
    s = re.sub(r"\s+", "", str(text))
    return s or None


_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．])")


def heading(text: str) -> tuple[int, str]:
    """('（一）项目概况' → (2, '项目概况')); level 2 for bracketed numerals."""
    t = norm(text) or ""
    level = 2 if t[:1] in "（(" else 1
    return level, _NUMBERING.sub("", t)


class Diff:
    """Collects field mismatches so one failure lists them all."""

    def __init__(self, sid: str):
        self.sid, self.errors = sid, []

    def text(self, field: str, got, want):
        if norm(got) != norm(want):
            self.errors.append(f"{field}: 读出 {got!r}，应为 {want!r}")

    def num(self, field: str, got, want):
        if want is None and got is None:
            return
        if want is None or got is None or abs(float(got) - float(want)) > TOL:
            self.errors.append(f"{field}: 读出 {got!r}，应为 {want!r}")

    def eq(self, field: str, got, want):
        if got != want:
            self.errors.append(f"{field}: 读出 {got!r}，应为 {want!r}")

    def check(self):
        if self.errors:
            pytest.fail(f"{self.sid} 与真值不符（{len(self.errors)} 处）：\n  " + "\n  ".join(self.errors))


@pytest.fixture(scope="session")
def read_sample():
    """Read each sample once per session; a ReadError fails the sample's tests with its code."""
    from checker.api import read_document
    from checker.core.errors import ReadError

    cache: dict[str, object] = {}

    def get(sid: str):
        if sid not in cache:
            truth = TRUTHS[sid]
            path = SAMPLES / truth["file"]
            try:
                cache[sid] = read_document(path.read_bytes(), truth["file"])
            except ReadError as err:
                cache[sid] = err
        doc = cache[sid]
        if isinstance(doc, Exception):
            pytest.fail(f"{sid} 无法读取：{doc}")
        return doc

    return get


# ---- extraction vs truth ------------------------------------------------------------------


@pytest.mark.parametrize("sid,aspect", CASES)
def test_sample_matches_truth(sid, aspect, read_sample):
    truth = TRUTHS[sid]
    doc = read_sample(sid)
    d = Diff(f"{truth['file']} [{aspect}]")
    is_table = truth["doc_type"] in ("self_eval_table", "monitoring_table")
    mon = truth["doc_type"] == "monitoring_table"

    if aspect == "meta":
        d.eq("format", doc.format, truth["format"])
        d.eq("doc_type", doc.doc_type, truth["doc_type"])
        d.text("unit", doc.unit, truth["unit"])
        d.text("project", doc.project, truth["project"])
        d.eq("year", doc.year, truth["year"])
        d.num("self_score", doc.self_score, truth["self_score"])
        d.eq("layout", doc.layout, truth["layout"])
        if is_table:
            d.text("department", doc.department, truth["department"])
        if truth["layout"] == "sichuan":
            for key in ("conclusion", "problems", "measures"):
                d.text(key, getattr(doc, key), truth[key])

    elif aspect == "budget":
        want = truth["budget"]
        if doc.budget is None or doc.budget.total is None:
            pytest.fail(f"{truth['file']}: 未读出项目资金（budget）")
        got = doc.budget.total
        for key in ("initial", "annual", "executed", "execution_rate", "weight", "score"):
            d.num(f"budget.{key}", getattr(got, key), want[key])
        if mon:
            d.num("budget.forecast", got.forecast, want["forecast"])

    elif aspect == "goals":
        want = truth["goals"]
        d.eq("len(goals)", len(doc.goals), len(want))
        for n, (g, w) in enumerate(zip(doc.goals, want), 1):
            d.text(f"goals[{n}].expected", g.expected, w["expected"])
            d.text(f"goals[{n}].actual", g.actual, w["actual"])
            if mon:
                d.text(f"goals[{n}].forecast", g.forecast, w["forecast"])

    elif aspect == "indicators":
        want = truth["indicators"]
        d.eq("len(indicators)", len(doc.indicators), len(want))
        for n, (i, w) in enumerate(zip(doc.indicators, want), 1):
            f = f"indicators[{n}]"
            for key in ("level1", "level2", "name", "target", "actual", "deviation"):
                d.text(f"{f}.{key}", getattr(i, key), w[key])
            for key in ("weight", "score"):
                d.num(f"{f}.{key}", getattr(i, key), w[key])
            if "nature" in w:
                d.text(f"{f}.nature", i.nature, w["nature"])
                d.text(f"{f}.unit", i.unit, w["unit"])
            if "level1_weight" in w:
                d.num(f"{f}.level1_weight", i.level1_weight, w["level1_weight"])
            if mon:
                wm, im = w["monitoring"], i.monitoring
                if im is None:
                    d.errors.append(f"{f}.monitoring: 未读出监控字段")
                    continue
                d.text(f"{f}.monitoring.progress", im.progress, wm["progress"])
                d.text(f"{f}.monitoring.forecast", im.forecast, wm["forecast"])
                d.text(f"{f}.monitoring.likelihood", im.likelihood, wm["likelihood"])
                d.text(f"{f}.monitoring.remark", im.remark, wm["remark"])
                got_causes = {k: norm(v) for k, v in (im.causes or {}).items() if norm(v)}
                d.eq(f"{f}.monitoring.causes", got_causes, {k: norm(v) for k, v in wm["causes"].items()})

    elif aspect == "sections":
        if not truth["sections"]:
            if doc.doc_type in ("project_report", "overall_report"):
                d.errors.append("sections: 表格文件不应识别为报告")
            d.check()
            return
        got = [(s.level, heading(s.title)[1]) for s in doc.iter_sections()]
        d.eq("sections", got, [heading(h) for h in truth["sections"]])

    d.check()


# ---- the sample set itself ----------------------------------------------------------------


def _generator():
    spec = importlib.util.spec_from_file_location("samples_generate", SAMPLES / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the class is built
    spec.loader.exec_module(mod)
    return mod


def test_generator_truth_is_deterministic_and_checked_in(tmp_path):
    """Regenerating the truth gives exactly the checked-in JSON, and every document exists."""
    _generator().main(["--truth-only", "--out", str(tmp_path)])
    fresh = sorted(p.name for p in tmp_path.glob("*.truth.json"))
    assert fresh == [p.name for p in TRUTH_FILES], "生成器产出的样例集合与仓库中的 truth 文件不一致，请运行 make samples"
    for name in fresh:
        assert _load(tmp_path / name) == _load(SAMPLES / name), f"{name}: 重新生成的真值与仓库中的不同，请运行 make samples"
        assert (SAMPLES / _load(SAMPLES / name)["file"]).is_file(), f"{name}: 缺少样例文档"


def test_checked_in_documents_match_the_generator(tmp_path):
    """docx/xlsx/xls rendered without LibreOffice are byte-identical to the checked-in files."""
    _generator().main(["--no-convert", "--out", str(tmp_path)])
    docs = sorted(p for p in tmp_path.glob("s[0-9][0-9]_*") if not p.name.endswith(".truth.json"))
    assert len(docs) >= 6, "直接渲染的样例太少"
    for p in docs:
        assert p.read_bytes() == (SAMPLES / p.name).read_bytes(), f"{p.name}: 与仓库中的文件不同，请运行 make samples"
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == readme, "samples/README.md 已过期，请运行 make samples"


def _resolve(truth: dict, field: str):
    """Follow a planted `field` path such as indicators[3].target (1-based) in the truth."""
    obj = truth
    for part in field.split("."):
        m = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", part)
        assert m, f"字段写法不对：{field}"
        name, idx = m.group(1), m.group(2)
        if isinstance(obj, dict) and name in obj:
            obj = obj[name]
        elif name in ("likelihood", "forecast", "progress") and isinstance(obj, dict):
            obj = obj["monitoring"][name]
        else:
            raise AssertionError(f"{field}: 真值中没有 {name}")
        if idx is not None:
            assert 1 <= int(idx) <= len(obj), f"{field}: 下标越界（从 1 开始）"
            obj = obj[int(idx) - 1]
    return obj


def test_planted_problems_are_well_formed():
    for sid, truth in TRUTHS.items():
        assert truth["clean"] == (not truth["planted"]), f"{sid}: clean 与 planted 不一致"
        for p in truth["planted"]:
            assert p["category"] in CATEGORIES, f"{sid}: 未知类别 {p['category']}"
            assert p["what"], f"{sid}: planted 缺少说明"
            _resolve(truth, p["field"])
            if "consequence_of" in p:
                assert p["consequence_of"] in {q["field"] for q in truth["planted"]}, f"{sid}: consequence_of 指向未埋设的字段"


def test_sample_set_covers_types_formats_and_problems():
    types = {t["doc_type"] for t in TRUTHS.values()}
    assert types == {"self_eval_table", "project_report", "overall_report", "monitoring_table"}
    formats = [t["format"] for t in TRUTHS.values()]
    for f in ("xlsx", "pdf", "xls", "doc"):
        assert formats.count(f) >= 2, f"{f} 格式样例少于 2 个"
    layouts = {t["layout"] for t in TRUTHS.values()}
    assert {"standard_2020", "central_ab", "sichuan", "monitoring_2019"} <= layouts
    fields = {(p["category"], p["field"].split(".")[-1]) for t in TRUTHS.values() for p in t["planted"]}
    for want in [("vague_indicator", "target"), ("goal_mismatch", "expected"), ("perfunctory_completion", "actual"),
                 ("weak_accountability", "self_score"), ("perfunctory_completion", "deviation"),
                 ("inconsistency", "execution_rate"), ("structure", "problems"), ("weak_accountability", "likelihood")]:
        assert want in fields, f"没有样例埋设 {want}"
    assert sum(t["clean"] for t in TRUTHS.values()) >= 5


def test_truth_figures_add_up():
    """Clean samples: official recomputation equals the self-score; rates and scores as stated."""
    for sid, truth in TRUTHS.items():
        b = truth["budget"]
        planted = {p["field"] for p in truth["planted"]}
        if "budget.execution_rate" not in planted:
            assert abs(b["executed"] / b["annual"] * 100 - b["execution_rate"]) <= TOL, f"{sid}: 执行率"
        if truth["doc_type"] == "monitoring_table":
            assert truth["self_score"] is None
            continue
        if truth["conclusion"]:
            assert f"{truth['self_score']:.2f}" in truth["conclusion"], f"{sid}: 评价结论中的得分与总分不符"
        total = b["score"] + sum(i["score"] for i in truth["indicators"])
        assert abs(total - truth["self_score"]) <= TOL, f"{sid}: 总分应等于各项得分之和"
        assert abs(b["weight"] + sum(i["weight"] for i in truth["indicators"]) - 100) <= TOL, f"{sid}: 分值合计应为100"
        if "self_score" in planted:
            rec = truth["recomputed_self_score"]
            assert rec is None or rec < truth["self_score"] - 0.1, f"{sid}: 埋设了虚高总分，重算值却不低"
        elif truth["clean"]:
            assert truth["recomputed_self_score"] is not None, f"{sid}: 干净样例应可重算"
            assert abs(truth["recomputed_self_score"] - truth["self_score"]) <= 0.1, f"{sid}: 干净样例自评分与重算不符"
            for n, i in enumerate(truth["indicators"], 1):
                if i["score"] < i["weight"]:
                    assert i["deviation"], f"{sid}: indicators[{n}] 未满分却无偏差原因"
