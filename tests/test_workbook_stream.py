"""summary.xlsx is written row by row (a write-only workbook, rows spooled to disk) so a large
archive's 问题清单 never sits in memory whole: the sheet must come out as the in-memory one does."""

from __future__ import annotations

import openpyxl

from checker.publishing.sheets import Rows, add_sheet
from checker.publishing.workbook import FINDING_LIST_HEADER, FINDING_LIST_WIDTHS

ROWS = [
    ["示范区教育局", "项目支出绩效自评表", "校舍维修项目", "警告", "IN01 指标值不可衡量", "指标“群众满意度”的指标值“明显提升”没有数字，无法衡量" * 3,
     "明显提升", "第1页 表1 第16行", "改为“满意度≥90%”", "财预〔2021〕101号"],
    ["示范区卫生健康局", "绩效监控情况表", "", "提示", "CP50 偏差原因", "短", "", "", "", ""],
    ["某局", "项目支出绩效自评表", "项目", "错误", "NU01 合计不符", "合计 100.0 与分项之和 98.5 不符", 98.5, "第2页", "", None],
]  # fmt: skip


def test_rows_spool_past_what_they_keep_and_read_back_in_order():
    rows = Rows(keep=2)
    rows.extend(ROWS)
    rows.append(["尾行", 1, 2.5, None])
    assert len(rows) == 4 and rows.file is not None  # two of them on disk
    assert list(rows) == [*ROWS, ["尾行", 1, 2.5, None]]
    assert list(rows) == list(rows)  # read any number of times
    rows.close()


def _sheet(write_only: bool, tmp_path, grade_cols=()):
    wb = openpyxl.Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    rows = Rows(keep=1)
    rows.extend(ROWS)
    add_sheet(wb, "问题清单", "问题清单（逐条列出，错误在前）", FINDING_LIST_HEADER, rows, FINDING_LIST_WIDTHS, grade_cols=grade_cols)
    path = tmp_path / f"{write_only}.xlsx"
    wb.save(path)
    return openpyxl.load_workbook(path)["问题清单"]


def test_streamed_sheet_equals_the_in_memory_one(tmp_path):
    a, b = _sheet(False, tmp_path), _sheet(True, tmp_path)
    assert (a.max_row, a.max_column) == (b.max_row, b.max_column) == (len(ROWS) + 2, len(FINDING_LIST_HEADER))
    for ra, rb in zip(a.iter_rows(), b.iter_rows(), strict=True):
        for x, y in zip(ra, rb, strict=True):
            if type(x).__name__ == "MergedCell":
                continue
            assert (x.value, x.style, x.alignment.horizontal, x.number_format) == (y.value, y.style, y.alignment.horizontal, y.number_format)
    assert [str(r) for r in a.merged_cells.ranges] == [str(r) for r in b.merged_cells.ranges] == ["A1:J1"]
    assert {k: d.height for k, d in a.row_dimensions.items() if d.height} == {k: d.height for k, d in b.row_dimensions.items() if d.height}
    assert {k: d.width for k, d in a.column_dimensions.items()} == {k: d.width for k, d in b.column_dimensions.items()}
    assert (a.freeze_panes, a.print_title_rows, a.auto_filter.ref) == (b.freeze_panes, b.print_title_rows, b.auto_filter.ref) == ("A3", "$1:$2", "A2:J5")
    assert b.page_setup.orientation == "landscape" and b.page_setup.paperSize == a.page_setup.paperSize
    assert b.row_dimensions[3].height > b.row_dimensions[4].height  # the long message wraps: a taller row
