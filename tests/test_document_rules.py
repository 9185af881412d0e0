"""Document-scope rules: their own examples, edge cases that must stay silent, robustness."""

from __future__ import annotations

import copy

import pytest

from checker.core.config import DEFAULTS, Config
from checker.reading.docbuild import document_from_dict
from checker.judging.engine import RuleSet, run_rule
from checker.core.document import Document
from checker.judging.spec import all_rules
from checker.judging.views import DocumentView

DOC_RULES = [s for s in all_rules() if s.scope == "document" and s.code[:2] in ("IN", "CP", "GO", "AC", "NU", "ST") and s.check_name.startswith("doc_")]
RULESET = RuleSet.build(Config(copy.deepcopy(DEFAULTS)))
BY_CODE = {s.code: s for s in RULESET.rules}


def run(code: str, d: dict | Document):
    doc = d if isinstance(d, Document) else document_from_dict(d)
    view = DocumentView(doc)
    notices: list[str] = []
    out = run_rule(BY_CODE[code], view, RULESET.context(view), notices)
    assert not notices, notices  # a check that raises is a bug, not a silent pass
    return out


def _cases():
    for s in DOC_RULES:
        for kind in ("bad", "good"):
            for n, ex in enumerate(s.examples.get(kind, []), 1):
                yield pytest.param(s.code, kind, ex, id=f"{s.code}-{kind}-{n}")


def test_document_rules_are_all_there():
    codes = {s.code for s in DOC_RULES}
    for family, first in (("IN", 50), ("CP", 50)):
        assert any(c.startswith(family) and int(c[2:]) >= first for c in codes)
    assert {c[:2] for c in codes} >= {"IN", "CP", "AC", "NU", "ST"}


@pytest.mark.parametrize("code,kind,example", list(_cases()))
def test_rule_examples(code, kind, example):
    found = run(code, example)
    if kind == "bad":
        assert found, f"{code} should flag {example}"
        for f in found:
            assert "{" not in f.message and f.message.strip() and f.suggestion.strip()
            assert f.location.field, "document findings must name the field"
    else:
        assert not found, [f.message for f in found]


@pytest.mark.parametrize("spec", DOC_RULES, ids=lambda s: s.code)
def test_each_rule_has_examples_and_a_policy_basis(spec):
    assert spec.examples.get("bad") and spec.examples.get("good")
    assert spec.basis and spec.title and spec.rationale


@pytest.mark.parametrize("spec", DOC_RULES, ids=lambda s: s.code)
def test_rules_stay_silent_on_an_empty_document(spec):
    # nothing is known: only the structure rules may speak (and they need a known doc type)
    empty = Document(format="docx")
    assert run(spec.code, empty) == []


def test_messages_name_the_numbers():
    f = run("AC01", BY_CODE["AC01"].examples["bad"][0])[0]
    assert "100" in f.message and "83" in f.message and "改造供水管网长度" in f.message
    f = run("NU01", BY_CODE["NU01"].examples["bad"][0])[0]
    assert "100%" in f.message and "80%" in f.message and "年初预算" in f.message


# ---- edge cases: what a reviewer would NOT call a fault --------------------------------


def ind(name, target, actual, weight=None, score=None, deviation=None, level1="产出指标", level2="数量指标"):
    return {"level1": level1, "level2": level2, "name": name, "target": target, "actual": actual,
            "weight": weight, "score": score, "deviation": deviation}


def test_rate_written_as_a_fraction_is_not_a_mismatch():
    assert run("NU01", {"budget": {"annual": 100, "executed": 95, "execution_rate": 0.95}}) == []


def test_overall_report_budget_split_twice_is_not_a_sum_error():
    d = {"doc_type": "overall_report", "budget": {"annual": 100, "rows": [
        {"label": "财政拨款", "annual": 90}, {"label": "其他资金", "annual": 10},
        {"label": "基本支出", "annual": 70}, {"label": "项目支出", "annual": 30}]}}
    assert run("NU02", d) == []
    d["doc_type"] = "self_eval_table"
    assert run("NU02", d)


def test_no_deviation_column_means_no_missing_reason():
    d = {"indicators": [ind("道路里程", "≥20公里", "16公里")]}
    assert run("CP50", d) == []
    d["indicators"][0]["deviation"] = "暂无"
    assert run("CP50", d)


def test_reverse_indicator_below_target_is_met():
    d = {"indicators": [ind("单位成本", "≤300元", "280元", 10, 10, "")]}
    assert run("CP50", d) == [] and run("AC02", d) == []


def test_overachievement_on_a_near_100_percent_rate_is_not_flagged():
    assert run("CP51", {"indicators": [ind("合格率", "≥90%", "100%", deviation="")]}) == []


def test_unit_may_score_below_the_formula():
    # 10号 allows cutting the score of a target set too low
    d = {"indicators": [ind("培训期数", "≥5期", "12期", 10, 8, "超额完成，年初指标值偏低，酌情扣2分")]}
    assert run("NU07", d) == []


def test_full_marks_despite_miss_is_reported_once():
    d = {"indicators": [ind("验收合格率", "≥98%", "90%", 10, 10, "")]}
    assert run("AC02", d) and run("NU07", d) == []


def test_exact_completion_without_sign_is_not_copying():
    d = {"indicators": [ind("覆盖率", "100%", "100%"), ind("发放率", "100%", "100%"), ind("及时率", "100%", "100%")]}
    assert run("AC04", d) == []


def test_goal_setting_table_needs_no_actuals_or_reasons():
    d = {"layout": "goal_setting", "indicators": [ind("里程", "≥20公里", None), ind("里程2", "≥20公里", None)]}
    assert run("CP53", d) == [] and run("AC02", d) == []


def test_other_matters_section_with_none_is_not_an_empty_problems_section():
    d = {"doc_type": "project_report", "sections": [
        {"title": "五、存在的问题及原因分析", "text": "部分乡镇配套资金到位晚，两处站点延期。"},
        {"title": "六、有关建议", "text": "建立月度调度机制。"},
        {"title": "七、其他需要说明的问题", "text": "无"}]}
    assert run("CP52", d) == [] and run("ST03", d) == [] and run("ST04", d) == []


def test_report_with_only_other_matters_lacks_a_problems_section():
    d = {"doc_type": "project_report", "sections": ["一、基本情况", "六、有关建议", "七、其他需要说明的问题"]}
    assert run("ST03", d)


def test_table_form_overall_self_evaluation_needs_no_report_sections():
    assert run("ST03", {"doc_type": "overall_report", "indicators": [ind("a", "≥1个", "1个")]}) == []


def test_survey_mentioned_in_the_report_text_satisfies_the_basis():
    d = {"doc_type": "project_report",
         "sections": [{"title": "四、绩效评价指标分析", "text": "通过发放调查问卷420份了解群众满意度。"}],
         "indicators": [ind("群众满意度", "≥90%", "95%", level1="满意度指标", level2="服务对象满意度指标")]}
    assert run("IN52", d) == []


def test_qualitative_score_inside_band_and_unmapped_labels_pass():
    ok = {"indicators": [ind("影响", "明显提升", "部分达成年度指标并具有一定效果", 10, 7.5)]}
    unmapped = {"indicators": [ind("影响", "明显提升", "建成示范点3个，带动周边群众参与", 10, 10)]}
    assert run("AC05", ok) == [] and run("AC05", unmapped) == []


def test_self_score_within_margin_or_alternative_formula_is_not_inflated():
    base = {"budget": {"annual": 100, "executed": 100, "weight": 10, "score": 10},
            "indicators": [ind("成本", "≤50万元", "60万元", 90, 75, "超支10万元：材料涨价")]}
    # linear gives 72, ratio gives 75: the unit used the other published formula
    assert run("AC01", {**base, "self_score": 85}) == []
    assert run("AC01", {**base, "self_score": 86.5})


def test_monitoring_rules_ignore_self_evaluation_tables():
    d = {"indicators": [ind("泊位", "≥500个", "420个", 10, 8.4, "征地延迟")]}
    assert run("AC06", d) == [] and run("AC07", d) == [] and run("ST05", d) == []


def test_sichuan_reason_column_rule_and_text_rule_do_not_overlap():
    d = {"layout": "sichuan", "budget": {"annual": 100, "executed": 70, "weight": 10, "reason": ""}}
    assert run("CP54", d) and run("CP55", d) == []
    d = {"budget": {"annual": 100, "executed": 70, "weight": 10}}
    assert run("CP54", d) == [] and run("CP55", d)


def test_whole_document_through_the_engine_is_sorted_and_stamped():
    from checker.judging.engine import check_document
    from checker.judging.selfscore import recompute

    doc = document_from_dict(BY_CODE["AC01"].examples["bad"][0] | {"unit": "某县水务局", "project": "供水管网改造"})
    config = Config(copy.deepcopy(DEFAULTS))
    findings, notices = check_document(doc, config, recompute(doc, config))
    codes = [f.code for f in findings]
    assert "AC01" in codes and "AC02" in codes
    ac01 = next(f for f in findings if f.code == "AC01")
    assert ac01.category == "weak_accountability" and ac01.basis.startswith("财预")
    assert not [n for n in notices if n.startswith("规则") and "运行出错" in n], notices  # model notices may come and go


def test_fraction_actual_against_percent_target_is_not_a_miss():
    d = {"indicators": [ind("合格率", "≥90%", "0.95", 10, 10, "")]}
    assert run("AC02", d) == [] and run("CP50", d) == []


def test_unit_dropped_in_the_actual_is_still_compared():
    d = {"indicators": [ind("委托业务项目数量", "≥50个", "45", 10, 10, "")]}
    assert run("AC02", d) and run("CP50", d)


def test_unscored_table_without_any_actual_is_treated_as_targets_only():
    d = {"indicators": [ind("里程", "≥20公里", None), ind("泵站", "≥2座", None), ind("受益人口", "≥1万人", None)]}
    assert run("CP53", d) == []
    for i in d["indicators"]:
        i.update(weight=10, score=10)
    assert len(run("CP53", d)) == 3


def test_rule_parameters_come_from_config():
    data = copy.deepcopy(DEFAULTS)
    data["rules"] = {"AC01": {"margin": 20}, "IN53": {"minimum": 5}}
    rs = RuleSet.build(Config(data))
    spec = {s.code: s for s in rs.rules}
    bad = document_from_dict(BY_CODE["AC01"].examples["bad"][0])  # 17 points above the recomputation
    view = DocumentView(bad)
    assert run_rule(spec["AC01"], view, rs.context(view), []) == []
    three = document_from_dict(BY_CODE["IN53"].examples["good"][0])
    view = DocumentView(three)
    assert run_rule(spec["IN53"], view, rs.context(view), [])


def test_monitoring_forecast_above_budget_is_flagged():
    d = {"doc_type": "monitoring_table", "budget": {"initial": 640, "annual": 680, "executed": 310.5, "forecast": 700}}
    found = run("NU03", d)
    assert [f.location.field for f in found] == ["budget.forecast"]


# ---- through real files: generator data model -> python-docx/openpyxl -> parsers -> rules ----


@pytest.fixture(scope="session")
def real_files(tmp_path_factory):
    """Variants of the shipped samples written with python-docx/openpyxl, each with one fault."""
    import dataclasses
    import importlib.util
    import sys

    from conftest import SAMPLES

    spec = importlib.util.spec_from_file_location("jx_samples_generate", SAMPLES / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen  # dataclasses look their module up while the file runs
    spec.loader.exec_module(gen)
    by_id = {s.sid: s for s in gen.build_samples()}
    out = tmp_path_factory.mktemp("docrules")
    files = {}

    def docx(name, s):
        files[name] = out / f"{name}.docx"
        gen.render_table_docx(s, files[name])

    def xlsx(name, s):
        files[name] = out / f"{name}.xlsx"
        gen.render_xlsx(s, files[name])

    clean = by_id["s01"]
    # the total written 3 points above the sum of the scores (NU05) — and so above the recomputation
    docx("total", dataclasses.replace(clean, total_override=round(clean.self_score + 3, 2)))
    # Sichuan table: 86% executed and the 原因 column left empty (CP54)
    sichuan = by_id["s05"]
    xlsx("sichuan", dataclasses.replace(sichuan, rate_base="annual", reason=""))
    # monitoring: 有可能 with no cause ticked (AC07)
    mon = by_id["s14"]
    inds = list(mon.indicators)
    inds[0] = dataclasses.replace(inds[0], likelihood="有可能", causes={}, remark=None)
    docx("monitoring", dataclasses.replace(mon, indicators=inds))
    return files


def _check(path):
    from checker.api import check_file

    r = check_file(path, config=Config(copy.deepcopy(DEFAULTS)))
    assert r.ok, r.error and r.error.to_dict()
    return r


def test_real_docx_total_not_sum(real_files):
    r = _check(real_files["total"])
    nu05 = [f for f in r.findings if f.code == "NU05"]
    assert nu05 and nu05[0].location.field == "self_score"
    assert any(f.code == "AC01" for f in r.findings)
    assert r.score < 95


def test_real_sichuan_xlsx_low_rate_without_reason(real_files):
    r = _check(real_files["sichuan"])
    codes = {f.code for f in r.findings}
    assert "CP54" in codes and "NU01" not in codes


def test_real_monitoring_docx_doubt_without_cause(real_files):
    r = _check(real_files["monitoring"])
    ac07 = [f for f in r.findings if f.code == "AC07"]
    assert [f.location.field for f in ac07] == ["indicators[1].likelihood"]


def test_rules_never_crash_on_odd_figures():
    """Fixed-seed random documents with zeros, negatives, blanks and odd labels: no check may raise."""
    import random

    from checker.judging.selfscore import recompute

    rng = random.Random(20240315)
    nums = [None, 0, -5, 0.5, 1, 10, 99.995, 100, 1e6]
    texts = [None, "", "无", "—", "≥", "≥0", "≤0", "=0", "100%", "0.95", "明显提升", "达成年度指标", "不适用", "≥1.2万人", "12000人",
             "≤11月30日", "部分达成年度指标并具有一定效果", "有可能", "确定能", "完全不可能"]
    labels = ["产出指标", "效益指标(30分)", "满意度指标", "", "成本指标", "履职效能"]
    for _ in range(150):
        d = {
            "doc_type": rng.choice(["self_eval_table", "project_report", "overall_report", "monitoring_table", "unknown"]),
            "layout": rng.choice([None, "sichuan", "goal_setting", "standard_2020+embedded"]),
            "self_score": rng.choice(nums), "self_grade": rng.choice([None, "优", "良", "中等", "差"]),
            "budget": {k: rng.choice(nums) for k in ("initial", "annual", "executed", "execution_rate", "weight", "score", "forecast")}
            | {"reason": rng.choice(texts), "rows": [{"annual": rng.choice(nums), "executed": rng.choice(nums)} for _ in range(rng.randint(0, 3))]},
            "problems": rng.choice(texts), "measures": rng.choice(texts),
            "sections": rng.choice([[], ["一、存在的问题"], [{"title": "五、存在的问题", "text": rng.choice(texts) or ""}]]),
            "indicators": [{"level1": rng.choice(labels), "level2": rng.choice(["数量指标", "", "社会效益指标"]),
                            "name": rng.choice(["", "指标", "满意度"]), "target": rng.choice(texts), "actual": rng.choice(texts),
                            "weight": rng.choice(nums), "score": rng.choice(nums), "deviation": rng.choice(texts),
                            "monitoring": rng.choice([None, {"forecast": rng.choice(texts), "likelihood": rng.choice(texts), "causes": {}}])}
                           for _ in range(rng.randint(0, 6))],
        }
        doc = document_from_dict(d)
        config = Config(copy.deepcopy(DEFAULTS))
        view = DocumentView(doc, recompute(doc, config))
        for spec in DOC_RULES:
            notices: list[str] = []
            run_rule(BY_CODE[spec.code], view, RULESET.context(view), notices)
            assert not notices, (spec.code, d, notices)


# ---- monitoring tables written by rote (AC08–AC10), through real files -------------------------


@pytest.fixture(scope="session")
def monitoring_files(tmp_path_factory):
    """The shipped monitoring tables (s13 docx, s14 xlsx) written again with python-docx/openpyxl,
    each with one rote pattern, plus the s01 self-evaluation table with a copied deviation line."""
    import dataclasses
    import importlib.util
    import sys

    import docx as python_docx
    import openpyxl

    from conftest import SAMPLES

    spec = importlib.util.spec_from_file_location("jx_samples_generate_mon", SAMPLES / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = gen
    spec.loader.exec_module(gen)
    by_id = {s.sid: s for s in gen.build_samples()}
    out = tmp_path_factory.mktemp("monitoring")
    files = {}

    def write(name, s):
        files[name] = out / f"{name}.{s.fmt}"
        (gen.render_table_docx if s.fmt == "docx" else gen.render_xlsx)(s, files[name])
        return files[name]

    s13, s14 = by_id["s13"], by_id["s14"]
    certain = lambda inds, **kw: [dataclasses.replace(i, likelihood="确定能", causes={}, remark=None, **kw) for i in inds]  # noqa: E731
    # nothing spent by the monitoring date, nothing done, every row 确定能
    write("zero_budget", dataclasses.replace(s13, funds=[dataclasses.replace(f, executed=0.0) for f in s13.funds],
                                             indicators=certain(s13.indicators, progress="0")))
    # money spent, but every 1-X月执行情况 is 0 and every row 确定能
    write("zero_progress", dataclasses.replace(s14, indicators=certain(s14.indicators, progress="0")))
    # money spent and progress made, every row 确定能: the normal case
    write("certain_on_track", dataclasses.replace(s14, indicators=certain(s14.indicators)))
    # the same sentence in every row's 偏差原因/备注
    write("copied_remark", dataclasses.replace(s14, indicators=[dataclasses.replace(i, remark="项目按计划有序推进，预计年底前完成")
                                                                for i in s14.indicators]))
    # 1-X月执行情况 of the first two rows overwritten with grade words, as a unit would type them
    path = write("grade_words", s13)
    d = python_docx.Document(str(path))
    wanted = {f"{s13.indicators[0].progress}{s13.indicators[0].unit}": "一般",
              f"{s13.indicators[1].progress}{s13.indicators[1].unit}": "良好"}
    for table in d.tables:
        for row in table.rows:
            for cell in row.cells:
                if cell.text.strip() in wanted:
                    para = cell.paragraphs[0]
                    para.runs[0].text = wanted.pop(cell.text.strip())
                    for extra in para.runs[1:]:
                        extra.text = ""
    assert not wanted, wanted  # both cells were found in the rendered table
    d.save(str(path))
    # the same xlsx with one progress cell changed by openpyxl
    path = write("grade_word_xlsx", s14)
    wb = openpyxl.load_workbook(path)
    hit = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if str(c.value or "").strip() == "2860人次"]
    assert len(hit) == 1
    hit[0].value = "一般"
    wb.save(path)
    # self-evaluation table: "无偏差" copied onto every row, all targets met / one short of its target
    s01 = by_id["s01"]
    met = [dataclasses.replace(i, av=i.tv if i.name == "年度供餐天数" else i.av, dev="已按计划完成，无偏差") for i in s01.indicators]
    write("selfeval_copied_all_met", dataclasses.replace(s01, indicators=met))
    short = [dataclasses.replace(i, dev="已按计划完成，无偏差") for i in s01.indicators]  # 供餐198天 < 200天
    write("selfeval_copied_short", dataclasses.replace(s01, indicators=short))
    return files


def _codes(path, codes=("AC08", "AC09", "AC10")):
    r = _check(path)
    return [(f.code, f.location.field, f.severity) for f in r.findings if f.code in codes], r


def test_real_monitoring_all_certain_with_nothing_spent(monitoring_files):
    found, r = _codes(monitoring_files["zero_budget"])
    assert r.document.doc_type == "monitoring_table" and r.document.budget.total.executed == 0
    assert [c for c, _, _ in found] == ["AC08"]
    ac08 = next(f for f in r.findings if f.code == "AC08")
    assert "预算执行为0" in ac08.message and "7" in ac08.message


def test_real_monitoring_all_certain_with_zero_progress(monitoring_files):
    found, r = _codes(monitoring_files["zero_progress"])
    assert r.document.budget.total.executed > 0
    assert [c for c, _, _ in found] == ["AC08"]
    assert "执行情况均为0" in next(f for f in r.findings if f.code == "AC08").message


def test_real_monitoring_certain_with_progress_is_not_rote(monitoring_files):
    found, _ = _codes(monitoring_files["certain_on_track"])
    assert found == []


def test_real_monitoring_copied_deviation_sentence(monitoring_files):
    found, r = _codes(monitoring_files["copied_remark"])
    assert [c for c, _, _ in found] == ["AC09"]
    ac09 = next(f for f in r.findings if f.code == "AC09")
    assert "项目按计划有序推进" in ac09.message and f"{len(r.document.indicators)}项" in ac09.message


def test_real_monitoring_grade_word_progress_docx_and_xlsx(monitoring_files):
    found, _ = _codes(monitoring_files["grade_words"])
    assert [(c, f) for c, f, _ in found] == [("AC10", "indicators[1].progress"), ("AC10", "indicators[2].progress")]
    found, _ = _codes(monitoring_files["grade_word_xlsx"])
    assert [(c, f) for c, f, _ in found] == [("AC10", "indicators[1].progress")]


def test_real_shipped_monitoring_tables_are_not_rote(samples_dir):
    for name in ("s13_示范区城市管理局_2024_监控表_clean.docx", "s14_示范区人力资源和社会保障局_2024_监控表_likelihood.xlsx"):
        found, _ = _codes(samples_dir / name)
        assert found == [], (name, found)


def test_real_self_evaluation_copied_no_deviation_line(monitoring_files):
    found, _ = _codes(monitoring_files["selfeval_copied_all_met"])
    assert found == []  # every target met: "无偏差" on every row is simply true
    found, _ = _codes(monitoring_files["selfeval_copied_short"])
    assert [c for c, _, _ in found] == ["AC09"]  # 198 of 200 days, yet "无偏差"
