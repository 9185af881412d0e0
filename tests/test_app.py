"""The web app: checker.webui helpers on real files, and app.py through streamlit's AppTest.

AppTest drives the real script: the sample picker path, and a real upload through
`file_uploader.upload` (supported by this streamlit version). Download payloads are read
from the media storage the AppTest runtime serves them from.
"""

from __future__ import annotations

import io
import os
import json
import zipfile
from pathlib import Path

import pytest

from checker.api import check_bytes
from checker.webui import downloads, grid, loading, render, rulecard, tables

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


@pytest.fixture(scope="session")
def samples(samples_dir) -> Path:
    """The folder the app lists samples from: JXCHECK_SAMPLES if set (as app.py), else samples/."""
    return Path(os.environ.get("JXCHECK_SAMPLES") or samples_dir)


def _docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="session")
def sample_docx(samples) -> Path:
    docs = [p for p in loading.list_samples(samples) if p.suffix == ".docx"]
    if not docs:
        pytest.fail("samples/ has no .docx sample; run `make samples`")
    # The sample with the most findings shows the most of the UI.
    return max(docs, key=lambda p: (len(check_bytes(p.read_bytes(), p.name).findings), p.name))


@pytest.fixture(scope="session")
def sample_result(sample_docx) -> dict:
    return check_bytes(sample_docx.read_bytes(), sample_docx.name).to_dict()


# ---- helpers -----------------------------------------------------------------------------


def test_list_samples_keeps_known_extensions_sorted(tmp_path):
    for name in ("b.docx", "a.xlsx", "notes.txt", "~$a.docx", "c.zip", ".hidden.pdf"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in loading.list_samples(tmp_path)] == ["a.xlsx", "b.docx", "c.zip"]
    assert loading.list_samples(tmp_path / "missing") == []


def test_zip_upload_is_expanded_in_memory_and_unsafe_members_refused():
    data = _docx_bytes(["项目支出绩效自评表"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("单位甲/自评表.docx", data)
        zf.writestr("../逃逸.docx", data)
        zf.writestr("说明.txt", "skip me")
    items = loading.expand([("档案.zip", buf.getvalue()), ("单独.docx", data)])
    assert [i.path for i in items] == ["档案.zip!../逃逸.docx", "档案.zip!单位甲/自评表.docx", "单独.docx"]
    assert items[0].error.code == "unsafe_path" and items[1].data == data
    docs = loading.check_inputs(items)
    assert docs[0]["status"] == "error" and docs[0]["error"]["code"] == "unsafe_path"
    assert [d["path"] for d in docs] == [i.path for i in items]


def test_result_cache_keeps_the_newest_and_hands_out_copies(samples):
    path = loading.list_samples(samples)[0]
    data = path.read_bytes()
    cache = loading.ResultCache(size=2)
    key = cache.key(path.name, data, "[]")
    assert cache.get(key) is None
    doc = loading.check_inputs([loading.InputFile(path.name, data=data)])[0]
    cache.put(key, doc)
    got = cache.get(key)
    assert got == doc
    got["findings"].clear()  # what a caller changes does not change the cache
    assert cache.get(key) == doc
    assert cache.key(path.name, data, '[{"code": "X"}]') != key  # dismissals are part of the key
    cache.put(("b", "", "[]"), {})
    cache.get(key)  # used: kept over the older ("b") entry
    cache.put(("c", "", "[]"), {})
    assert cache.get(key) == doc and cache.get(("b", "", "[]")) is None


def test_unreadable_upload_gives_chinese_error_not_traceback():
    docs = loading.check_inputs(loading.expand([("坏文件.docx", b"PK\x03\x04 not really a zip")]))
    assert docs[0]["status"] == "error"
    assert docs[0]["error"]["code"] in ("corrupt_file", "unsupported_format")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in docs[0]["error"]["message"])
    payload = json.loads(loading.result_json(docs))
    assert payload["version"] == 1 and payload["documents"][0]["path"] == "坏文件.docx"


def _doc_with_indicators() -> dict:
    ind = {"level1": "产出指标", "level2": "数量指标", "weight": 10.0, "score": 10.0, "deviation": None}
    return {
        "path": "x.docx",
        "status": "ok",
        "indicators": [
            {**ind, "name": "培训人次", "target": "≥500人次", "actual": "620人次", "location": {"table": 1, "row": 9}},
            {**ind, "name": "群众满意度", "target": "明显提升", "actual": "提升", "location": {"table": 1, "row": 10}},
            {**ind, "name": "完成及时率", "target": "100%", "actual": "100%", "location": {"table": 1, "row": 11}},
        ],
        "goals": [{"expected": "完成培训500人次", "actual": "已完成", "location": {"table": 1, "row": 6}}],
    }


def _finding(code, severity, field=None, **loc) -> dict:
    return {"code": code, "category": "vague_indicator", "severity": severity, "message": f"{code}的问题",
            "evidence": "明显提升", "suggestion": f"{code}的建议", "location": ({"field": field} if field else {}) | loc}


def test_indicator_grid_highlights_the_flagged_cell_and_shows_the_finding_beside_it():
    doc = _doc_with_indicators()
    findings = [_finding("IN01", "warning", "indicators[2].target", table=1, row=10, column=4),
                _finding("NU02", "error", table=1, row=11, column=6)]
    html = grid.indicator_grid_html(doc, findings)
    rows = html.split("<tr>")[2:]  # [0] before the table, [1] the header row
    assert len(rows) == 3
    assert "jx-" not in rows[0].split('class="jx-note"')[0]  # the clean row has no highlight
    cells = rows[1].split("<td")
    assert 'class="jx-warning"' in cells[5] and "明显提升" in cells[5]  # cells: "", #, level1, level2, name, target
    assert "IN01的问题" in rows[1] and "IN01的建议" in rows[1]
    # no field, but on indicator 3's own table row: attached to that row, worst severity shown
    assert 'class="jx-error"' in rows[2].split("<td")[4] and "NU02的问题" in rows[2]
    goals = grid.goals_html(doc, [_finding("CP01", "warning", "goals[1].actual")])
    assert 'class="jx-warning"' in goals.split("<td")[3] and "已完成" in goals.split("<td")[3]


def test_self_score_finding_marks_the_self_score_figure():
    doc = {"self_score": 98.0, "recomputed_self_score": 86.5, "score": 80.0, "grade": "良",
           "findings": [_finding("AC01", "warning", "self_score")]}
    facts = render.facts_html(doc)
    assert '<div class="jx-fact jx-warning" title="AC01的问题"><b>单位自评得分</b><span>98.00</span>' in facts
    assert "86.50" in facts and "80.00（良）" in facts
    assert "jx-warning" not in render.facts_html({**doc, "findings": []})


def test_location_text_and_filters():
    assert render.location_text({"page": 2, "table": 1, "row": 5, "field": "indicators[3].target"}) == "第2页 表1 第5行 第3条指标的年度指标值"
    assert render.location_text({"field": "goals[1].actual"}) == "第1条目标的实际完成情况"
    assert render.location_text({}) == "全文"
    assert render.location_text({"field": "indicator.target"}) == "本条指标的年度指标值"  # a quick-check snippet
    fs = [_finding("A", "error"), _finding("B", "info") | {"source": "model", "confidence": 0.62}]
    assert [f["code"] for f in render.filter_findings(fs, ["info"], None)] == ["B"]
    assert [f["code"] for f in render.filter_findings(fs, None, ["vague_indicator"], 0.7)] == ["A"]
    html = render.findings_html(fs)
    assert html.index("A的问题") < html.index("B的问题")  # errors first
    assert html.count("指标设置不规范") == 2  # the problem type on every card
    rule_low = _finding("C", "warning") | {"source": "rule", "confidence": 0.5}
    assert render.filter_findings([rule_low], None, None, 0.9) == [rule_low]  # the slider never hides rule findings
    later_error = _finding("D", "error") | {"location": {"table": 1, "row": 9}}
    early_warning = _finding("E", "warning") | {"location": {"table": 1, "row": 2}}
    early_error = _finding("F", "error") | {"location": {"table": 1, "row": 3}}
    html = render.findings_html([early_warning, later_error, early_error])
    assert html.index("F的问题") < html.index("D的问题") < html.index("E的问题")  # severity, then position


def test_archive_tables_from_document_results():
    docs = [
        {"unit": "甲局", "doc_type": "self_eval_table", "status": "ok", "score": 96.0, "findings": [_finding("X", "error")]},
        {"unit": "甲局", "doc_type": "project_report", "status": "ok", "score": 99.0, "findings": []},
        {"unit": "乙局", "doc_type": "self_eval_table", "status": "ok", "score": 72.5, "findings": [_finding("X", "info")] * 3},
        {"unit": None, "doc_type": "unknown", "status": "error", "score": None, "findings": [], "error": {"code": "x", "message": "坏"}},
    ]
    units = tables.unit_table(docs)
    assert [r["单位名称"] for r in units] == ["甲局", "乙局"]
    assert units[0]["自评表"] == "96.00" and units[0]["监控表"] == "无" and units[0]["平均分"] == "97.50"
    assert tables.score_distribution(docs) == [{"等级": "优（≥90）", "文档数": 2}, {"等级": "良（80–90）", "文档数": 0},
                                               {"等级": "中（60–80）", "文档数": 1}, {"等级": "差（<60）", "文档数": 0}]
    assert tables.problems_per_unit(docs) == [{"单位": "乙局", "问题数": 3}, {"单位": "甲局", "问题数": 1}, {"单位": tables.NO_UNIT, "问题数": 0}]
    assert tables.problems_per_unit(docs, ["error"])[0] == {"单位": "甲局", "问题数": 1}
    assert tables.category_counts(docs)[0] == {"问题类型": "指标设置不规范", "问题数": 4}
    assert len(tables.filter_docs(docs, ["乙局"], None)) == 1 and len(tables.filter_docs(docs, None, ["self_eval_table"])) == 2
    import openpyxl

    books = downloads.workbooks(docs)
    cells = [c.value for row in openpyxl.load_workbook(io.BytesIO(books["units.xlsx"])).active.iter_rows() for c in row]
    assert "甲局" in cells and "乙局" in cells and 97.5 in cells
    summary = openpyxl.load_workbook(io.BytesIO(books["summary.xlsx"]))
    values = [c.value for ws in summary.worksheets for row in ws.iter_rows() for c in row]
    assert "文档总数" in values and "指标设置不规范" in values


def test_real_sample_renders_its_facts_findings_and_tables(sample_result):
    doc = sample_result
    assert doc["status"] == "ok", doc.get("error")
    facts = render.facts_html(doc)
    assert render.fmt_score(doc["score"]) in facts and doc["doc_type_label"] in facts
    html = render.findings_html(doc["findings"])
    for f in doc["findings"]:
        assert render.esc(f["message"]) in html
    table = grid.indicator_grid_html(doc, doc["findings"])
    for ind in doc["indicators"]:
        assert render.esc(ind["name"]) in table
    opinion = downloads.opinion_docx(doc)
    import docx

    text = "\n".join(c.text for t in docx.Document(io.BytesIO(opinion)).tables for r in t.rows for c in r.cells)
    assert all(f["message"] in text for f in doc["findings"])


def test_rule_cards_show_every_example_readably():
    from checker.judging.spec import load_rules

    rules = load_rules()
    assert rules
    for rule in rules:
        html = rulecard.rule_html(rule)
        assert render.esc(rule.title) in html and render.esc(rule.rationale) in html
        assert "{'" not in html  # examples written as data are laid out, not printed as Python
        for ex in rule.examples.get("bad", []) + rule.examples.get("good", []):
            for ind in ex.get("indicators", []) if isinstance(ex, dict) else []:
                assert render.esc(ind.get("name")) in html


# ---- the app through AppTest ------------------------------------------------------------


def _app():
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(APP, default_timeout=120)


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.html)


def _button(at, label_start: str):
    return next(b for b in at.get("download_button") if b.proto.label.startswith(label_start))


def test_app_fresh_start_checks_a_sample_with_no_upload(samples, media):
    at = _app().run()
    assert not at.exception
    first = loading.list_samples(samples)[0].name
    assert at.selectbox(key="sample").value == first
    expected = check_bytes((samples / first).read_bytes(), first).to_dict()
    if expected["status"] == "ok":
        assert "复核得分" in _html(at) and render.fmt_score(expected["score"]) in _html(at)
    payload = json.loads(media(_button(at, "下载检查结果")))
    assert [d["path"] for d in payload["documents"]] == [first]
    assert payload["documents"][0]["findings"] == expected["findings"]


def test_app_sample_picker_shows_score_findings_grid_and_downloads(sample_docx, sample_result, media):
    at = _app().run()
    at.selectbox(key="sample").set_value(sample_docx.name).run()
    assert not at.exception
    page = _html(at)
    assert f"{render.fmt_score(sample_result['score'])}（{sample_result['grade']}）" in page
    assert sample_result["findings"], "the chosen sample should have findings"
    for f in sample_result["findings"]:
        assert render.esc(f["message"]) in page
    assert "jx-grid" in page and "年度指标值" in page
    # filter to errors only: warnings vanish from the findings list
    at.multiselect(key=f"sev0-{sample_result['sha256'][:12]}").set_value(["error"]).run()
    shown = render.findings_html(render.filter_findings(sample_result["findings"], ["error"]))
    assert shown in _html(at)
    for f in sample_result["findings"]:
        assert (render.esc(f["message"]) in _html(at)) == (f["severity"] == "error")
    docx_bytes = media(_button(at, "下载复核意见"))
    assert docx_bytes[:2] == b"PK"


def test_app_real_upload_of_several_files_shows_the_archive(sample_docx, samples, media):
    others = [p for p in loading.list_samples(samples) if p != sample_docx and p.suffix != ".zip"][:2]
    at = _app().run()
    for p in [sample_docx, *others]:
        at.file_uploader(key="uploads").upload(p.name, p.read_bytes())
    at.run()
    assert not at.exception
    names = [sample_docx.name, *(p.name for p in others)]
    payload = json.loads(media(_button(at, "下载检查结果")))
    assert [d["path"] for d in payload["documents"]] == names
    if len(names) > 1:
        assert at.tabs[0].label == "档案汇总"
        frames = [d.value for d in at.dataframe]
        listing = next(f for f in frames if "文件" in f.columns and "复核得分" in f.columns)
        assert list(listing["文件"]) == names
        assert len(at.get("vega_lite_chart")) == 3  # problem types, score bands, problems per unit
        import openpyxl

        units = openpyxl.load_workbook(io.BytesIO(media(_button(at, "下载部门得分汇总表")))).active
        table = tables.unit_table(payload["documents"])
        assert [r[1].value for r in units.iter_rows(min_row=3) if r[1].value] == [r["单位名称"] for r in table]
        import zipfile

        from docx import Document as read_docx

        report = read_docx(io.BytesIO(media(_button(at, "下载抽查复核报告"))))
        unit_cells = [row.cells[1].text for t in report.tables if t.rows[0].cells[0].text == "序号" for row in t.rows[1:]]
        assert unit_cells == [r["单位名称"] for r in table]
        with zipfile.ZipFile(io.BytesIO(media(_button(at, "下载各单位整改通知")))) as zf:
            # one notice per unit with a 错误 or 警告; a unit without problems gets none
            with_problems = {d["unit"] for d in payload["documents"] if any(f["severity"] != "info" for f in d["findings"])}
            assert sorted(zf.namelist()) == sorted(f"整改通知_{u}.docx" for u in with_problems)


def test_app_zip_upload_is_checked_member_by_member(samples, media):
    members = [p for p in loading.list_samples(samples) if p.suffix in (".docx", ".xlsx")][:2]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for p in members:
            zf.writestr(f"报送材料/{p.name}", p.read_bytes())
    at = _app().run()
    at.file_uploader(key="uploads").upload("档案.zip", buf.getvalue(), "application/zip")
    at.run()
    assert not at.exception
    payload = json.loads(media(_button(at, "下载检查结果")))
    assert [d["path"] for d in payload["documents"]] == [f"档案.zip!报送材料/{p.name}" for p in members]
    assert [d["sha256"] for d in payload["documents"]] == [check_bytes(p.read_bytes(), p.name).sha256 for p in members]


def test_app_bad_upload_shows_a_chinese_error_with_its_code():
    at = _app().run()
    at.file_uploader(key="uploads").upload("坏文件.docx", b"\x00\x01 this is not a document")
    at.run()
    assert not at.exception
    expected = check_bytes(b"\x00\x01 this is not a document", "坏文件.docx").error
    assert [e.value for e in at.error] == [f"无法读取：{expected.message}（错误代码 {expected.code}）"]


def test_app_quick_check_and_rule_pages():
    at = _app().run()
    at.sidebar.radio[0].set_value("单条检查").run()
    at.radio(key="sn_kind").set_value("completion").run()
    at.text_area(key="sn_completion").input("已完成")  # inside a form: sent with the submit
    at.button(key="sn_go").click().run()
    assert not at.exception
    from checker.judging.engine import check_snippet

    answer = check_snippet({"id": "web", "kind": "completion", "project": "", "goal": "", "completion": "已完成"})
    assert render.snippet_html(answer) in _html(at)
    # “名称：指标值” typed in one box is split as the CLI does; the project picks the examples' field
    at.radio(key="sn_kind").set_value("indicator").run()
    at.text_input(key="sn_project").input("残疾人康复救助项目")
    at.text_input(key="sn_name").input("群众满意度：明显提升")
    at.button(key="sn_go").click().run()
    answer = check_snippet({"id": "web", "kind": "indicator", "project": "残疾人康复救助项目", "name": "群众满意度", "target": "明显提升", "actual": None})
    assert answer["flagged"] and render.snippet_html(answer) in _html(at)
    assert "残疾人" in answer["findings"][0]["suggestion"] and "规则判定" in _html(at)
    at.sidebar.radio[0].set_value("规则说明").run()
    assert not at.exception
    from checker.judging.spec import load_rules

    page = _html(at)
    for rule in load_rules():
        assert f"{rule.code} {render.esc(rule.title)}" in page


def test_table_view_lists_document_level_findings_above_the_grids():
    """总分 (AC01), 全部满分 (AC03), missing sections (ST03) belong to no row; the 原表 view shows them."""
    doc = _doc_with_indicators()
    row_level = _finding("IN01", "warning", "indicators[2].target", table=1, row=10)
    whole = [_finding("AC01", "warning", "self_score"), _finding("AC03", "info", "indicators"), _finding("ST03", "warning", "problems")]
    html = grid.document_level_html(doc, [row_level, *whole])
    for f in whole:
        assert f"{f['code']}的问题" in html
    assert "IN01的问题" not in html  # shown beside its own row in the grid instead
    assert html.index("AC01的问题") < html.index("ST03的问题") < html.index("AC03的问题")  # warnings before hints
    assert "IN01的问题" in grid.indicator_grid_html(doc, [row_level, *whole])


def test_app_rejected_file_type_gets_our_chinese_error_and_no_old_result():
    at = _app().run()
    assert "复核得分" in _html(at)  # the first sample's result
    at.file_uploader(key="uploads").upload("说明.txt", "这不是报送材料".encode())
    at.run()
    assert not at.exception
    assert at.error and at.error[0].value.startswith("无法读取：") and "错误代码" in at.error[0].value
    assert "复核得分" not in _html(at)
