"""Workbooks with several sheets, written by openpyxl as the central and provincial systems
export them: each sheet that holds a form is read on its own, a cover / instruction / unfilled
sheet never lends a field, and several filled forms give one document each (`file#工作表名`)."""

from __future__ import annotations

import io
import json

import openpyxl
from test_layouts import MONITORING, STANDARD
from test_read_helpers import _merges

from checker.api import check_bytes_all, read_document


def _sheet(wb, title, rows):
    ws = wb.create_sheet(title)
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if v not in ("<", "^"):
                ws.cell(r, c, v)
    for r0, c0, r1, c1 in _merges(rows):
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)


COVER = [["2021年度项目支出绩效自评"], ["填报单位：别的局"], ["年度总体目标", "这是封面上别的项目的目标"], ["项目资金（万元）", "全年预算数", "全年执行数"], ["年度资金总额", "", ""]]
NOTES = [["填表说明"], ["1.本表金额单位为万元。"], ["2.1-X月执行数按系统数据填写。"]]
UNFILLED = [["项目支出绩效自评表"], ["项目名称", ""], ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]]


def _book(*sheets) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        _sheet(wb, title, rows)
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def test_one_filled_form_among_cover_and_unfilled_sheets_reads_alone():
    data = _book(("封面", COVER), ("填表说明", NOTES), ("监控表", MONITORING), ("自评表", UNFILLED))
    results = check_bytes_all(data, "中央项目库导出.xlsx")
    assert len(results) == 1 and results[0].path == "中央项目库导出.xlsx"
    d = results[0].document
    assert d.doc_type == "monitoring_table"
    assert d.year == 2024 and d.unit == "示范区环卫站"  # not 2021 / 别的局 from the cover
    assert d.goals[0].expected == "清运垃圾10.5万吨。"
    assert (d.budget.initial, d.budget.executed, d.budget.execution_rate, d.budget.total.forecast) == (1560, 880.4, 56.44, 1548)
    assert any("封面" in n and "填表说明" in n for n in d.notices)
    assert read_document(data, "中央项目库导出.xlsx").year == 2024  # the single-document entry agrees


def test_two_filled_forms_give_two_documents():
    data = _book(("封面", COVER), ("监控表", MONITORING), ("自评表", STANDARD))
    results = check_bytes_all(data, "导出.xlsx")
    assert [r.path for r in results] == ["导出.xlsx#监控表", "导出.xlsx#自评表"]
    assert [r.document.doc_type for r in results] == ["monitoring_table", "self_eval_table"]
    assert all(r.score is not None for r in results)
    assert len(results[1].document.indicators) == 5 and results[1].document.unit == "示范区第一中学"


def test_cli_and_batch_count_each_form(tmp_path):
    from checker.cli import main

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "导出.xlsx").write_bytes(_book(("监控表", MONITORING), ("自评表", STANDARD)))
    out = tmp_path / "check.json"
    main(["check", str(tmp_path / "in"), "--format", "json", "--out", str(out)])
    paths = [d["path"] for d in json.loads(out.read_text(encoding="utf-8"))["documents"]]
    assert [p.split("#")[1] for p in paths] == ["监控表", "自评表"]
    main(["batch", str(tmp_path / "in"), "--out", str(tmp_path / "b")])
    lines = (tmp_path / "b" / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(x)["path"].split("#")[1] for x in lines) == ["监控表", "自评表"]


def test_folder_check_reads_html(tmp_path):
    from checker.cli import main

    html = "<html><body><table><tr><td>项目支出绩效自评表</td></tr></table></body></html>"
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    out = tmp_path / "r.json"
    main(["check", str(tmp_path), "--format", "json", "--out", str(out)])
    assert [d["path"].rsplit("/", 1)[-1] for d in json.loads(out.read_text(encoding="utf-8"))["documents"]] == ["a.html"]


def test_check_bytes_all_is_check_bytes_for_single_documents(samples_dir):
    from checker.api import check_bytes

    for p in sorted(samples_dir.glob("s*_*.*")):
        if p.suffix in (".json", ".doc"):
            continue
        single = check_bytes(p.read_bytes(), p.name).to_dict()
        assert [r.to_dict() for r in check_bytes_all(p.read_bytes(), p.name)] == [single], p.name


def test_batch_resume_reuses_every_form_of_a_moved_workbook(tmp_path):
    from checker.cli import main

    book = _book(("监控表", MONITORING), ("自评表", STANDARD))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xlsx").write_bytes(book)
    main(["batch", str(tmp_path / "in"), "--out", str(tmp_path / "b")])
    (tmp_path / "in" / "a.xlsx").rename(tmp_path / "in" / "moved.xlsx")
    main(["batch", str(tmp_path / "in"), "--out", str(tmp_path / "b"), "--resume"])
    lines = [json.loads(x) for x in (tmp_path / "b" / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    paths = sorted(d["path"].rsplit("/", 1)[-1] for d in lines)
    assert paths == ["a.xlsx#监控表", "a.xlsx#自评表", "moved.xlsx#监控表", "moved.xlsx#自评表"]
    assert {d["sheet"] for d in lines} == {"监控表", "自评表"}
