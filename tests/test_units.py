"""The unit table (部门得分情况汇总) and `jxcheck units`, against the bureau's own 2023 table."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from checker.cli import main

ROOT = Path(__file__).resolve().parent.parent

# The score table of review-report.md (银金财发〔2024〕7号), as printed: per unit the
# 自评表, 项目绩效报告, 整体绩效报告 and 监控表 scores, then 平均分.
REPORT_TABLE = """\
金凤区自然资源局	96	99.00	99.00	96.00	97.50
金凤区财政局	98.5	97.80	93.30	89.50	94.78
金凤区国库支付中心	98	97.00	94.10	90.00	94.78
金凤区医疗保障局	96	97.80	94.00	84.00	92.95
金凤区教育局	94	82.00	82.80	93.00	87.95
金凤区黄河东路办事处	88	91.80	89.30	81.00	87.53
金凤区乡村振兴服务中心	90	88.00	80.80	87.50	86.58
金凤区丰登镇卫生院	90.5	81.00	78.50	96.00	86.50
金凤区北京中路办事处	89	84.30	82.50	88.00	85.95
金凤区住房和城乡建设和交通局	93	80.80	82.00	86.00	85.45
银川阅海湾中央商务区管理委员会	86	82.00	80.50	93.00	85.38
金凤区上海西路办事处	87	83.50	78.80	89.00	84.58
金凤区智慧城市运营中心	87	82.00	78.00	89.00	84.00
中国共产党银川市金凤区委员会统一战线工作部	89	83.00	81.50	82.00	83.88
银川火车站广场公园管理所管理所	84	80.50	81.00	88.00	83.38
金凤区综合执法局	84	80.70	75.00	90.00	82.43
金凤区消防救援大队	83	81.80	无	81.00	81.93
金凤区卫生监督所	无	无	81.00	无	81.00
金凤区工商业联合会	83	82.30	72.50	80.00	79.45
金凤区红十字会	无	无	70.00	87.00	78.50
"""
TYPES = ["自评表", "项目绩效报告", "整体绩效报告", "监控表"]
CODES = ["self_eval_table", "project_report", "overall_report", "monitoring_table"]


def report_rows() -> list[list[str]]:
    return [line.split("\t") for line in REPORT_TABLE.strip().splitlines()]


def write_scores(path: Path, records: list[tuple[str, str, str]], header=("unit", "doc_type", "score"), encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(records)
    return path


def report_records(codes_for_odd_rows: bool = True) -> list[tuple[str, str, str]]:
    """One record per document score; odd units use contract codes, even ones Chinese names."""
    out = []
    for i, row in enumerate(report_rows()):
        unit, cells = row[0], row[1:5]
        for name, code, cell in zip(TYPES, CODES, cells, strict=True):
            if cell != "无":
                out.append((unit, code if (codes_for_odd_rows and i % 2) else name, cell))
    return out


def run_units(capsys, *args) -> tuple[int, str, str]:
    rc = main(["units", *map(str, args)])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def test_reproduces_the_bureau_table_exactly(tmp_path, capsys):
    f = write_scores(tmp_path / "scores.csv", report_records())
    rc, out, err = run_units(capsys, f, "--format", "json")
    assert rc == 0, err
    got = json.loads(out)
    want = report_rows()
    assert [r["单位名称"] for r in got] == [r[0] for r in want]  # order, ties included
    assert [r["序号"] for r in got] == list(range(1, 21))
    for g, w in zip(got, want, strict=True):
        assert list(g) == ["序号", "单位名称", *TYPES, "平均分"]
        assert g["平均分"] == float(w[5]), g["单位名称"]
        for name, cell in zip(TYPES, w[1:5], strict=True):
            if cell == "无":
                assert g[name] == "无"
            else:
                assert isinstance(g[name], float) and g[name] == float(cell)


def test_tie_keeps_input_order(tmp_path, capsys):
    # 财政局 and 国库支付中心 both average exactly 94.775: swap them in the input, they swap in the table
    records = report_records()
    a = [r for r in records if r[0] == "金凤区财政局"]
    b = [r for r in records if r[0] == "金凤区国库支付中心"]
    rest = [r for r in records if r[0] not in ("金凤区财政局", "金凤区国库支付中心")]
    f = write_scores(tmp_path / "swapped.csv", b + a + rest)
    rc, out, _ = run_units(capsys, f, "--format", "json")
    got = [r["单位名称"] for r in json.loads(out)]
    assert got[1:3] == ["金凤区国库支付中心", "金凤区财政局"]


def test_sorts_on_the_unrounded_mean(tmp_path, capsys):
    # both round to 94.78; the second in the input has the higher exact mean and goes first
    f = write_scores(tmp_path / "s.csv", [("甲单位", "自评表", "94.776"), ("乙单位", "自评表", "94.784")])
    rc, out, _ = run_units(capsys, f, "--format", "json")
    got = json.loads(out)
    assert [r["单位名称"] for r in got] == ["乙单位", "甲单位"]
    assert [r["平均分"] for r in got] == [94.78, 94.78]


def test_several_documents_of_one_type_are_averaged_first(tmp_path, capsys):
    f = write_scores(tmp_path / "s.csv", [("甲单位", "自评表", "80"), ("甲单位", "监控表", "95"), ("甲单位", "自评表", "90")])
    rc, out, _ = run_units(capsys, f, "--format", "json")
    (row,) = json.loads(out)
    assert row["自评表"] == 85.0 and row["监控表"] == 95.0
    assert row["平均分"] == 90.0  # (85 + 95) / 2, not (80 + 90 + 95) / 3
    assert row["项目绩效报告"] == "无"


def test_text_and_csv_show_two_decimals(tmp_path, capsys):
    f = write_scores(tmp_path / "scores.csv", report_records())
    rc, out, _ = run_units(capsys, f)
    assert rc == 0
    line = next(ln for ln in out.splitlines() if "金凤区自然资源局" in ln)
    assert line.split()[2:] == ["96.00", "99.00", "99.00", "96.00", "97.50"]
    assert "无" in next(ln for ln in out.splitlines() if "金凤区卫生监督所" in ln)
    rc, out, _ = run_units(capsys, f, "--format", "csv")
    rows = list(csv.reader(out.splitlines()))
    assert rows[0] == ["序号", "单位名称", *TYPES, "平均分"]
    assert rows[2] == ["2", "金凤区财政局", "98.50", "97.80", "93.30", "89.50", "94.78"]
    assert rows[17][2:] == ["83.00", "81.80", "无", "81.00", "81.93"]


def test_xlsx_output(tmp_path, capsys):
    f = write_scores(tmp_path / "scores.csv", report_records())
    out = tmp_path / "units.xlsx"
    rc, _, err = run_units(capsys, f, "--format", "xlsx", "--out", out)
    assert rc == 0, err
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "序号")
    assert list(rows[header_at]) == ["序号", "单位名称", *TYPES, "平均分"]
    body = rows[header_at + 1 :]
    assert [r[1] for r in body] == [r[0] for r in report_rows()]
    assert [r[6] for r in body] == [float(r[5]) for r in report_rows()]
    assert body[17][2:6] == ("无", "无", 81.0, "无")
    assert ws.freeze_panes == f"A{header_at + 2}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.cell(header_at + 2, 7).number_format == "0.00"


def test_xlsx_input_with_chinese_headers(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位名称", "文档类型", "得分"])
    for unit, t, s in report_records(codes_for_odd_rows=False):
        ws.append([unit, t, float(s)])
    wb.save(tmp_path / "scores.xlsx")
    rc, out, err = run_units(capsys, tmp_path / "scores.xlsx", "--format", "json")
    assert rc == 0, err
    assert [r["平均分"] for r in json.loads(out)] == [float(r[5]) for r in report_rows()]


def test_gbk_csv_from_excel(tmp_path, capsys):
    f = write_scores(tmp_path / "gbk.csv", [("金凤区财政局", "自评表", "98.5")], encoding="gbk")
    rc, out, _ = run_units(capsys, f, "--format", "json")
    assert json.loads(out)[0]["单位名称"] == "金凤区财政局"


@pytest.mark.parametrize(
    "header, records, code, words",
    [
        (("unit", "score"), [("甲", "90")], 2, "缺少：doc_type"),
        (("unit", "doc_type", "score"), [("甲", "自评表", "九十")], 2, "第2行的得分"),
        (("unit", "doc_type", "score"), [("甲", "年报", "90")], 2, "文档类型“年报”无法识别"),
        (("unit", "doc_type", "score"), [("甲", "自评表", "190")], 2, "不在 0–100 之间"),
    ],
)
def test_bad_scores_file_gives_chinese_error(tmp_path, capsys, header, records, code, words):
    f = write_scores(tmp_path / "bad.csv", records, header=header)
    rc, out, err = run_units(capsys, f, "--format", "json")
    assert rc == code and out == ""
    assert words in err and "错误（" in err


def test_missing_file_through_the_console_script(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "checker", "units", str(tmp_path / "nope.csv")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 3
    assert "找不到得分文件" in proc.stderr and "Traceback" not in proc.stderr
