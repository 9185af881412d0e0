"""Outputs of a rectification check: 整改情况.xlsx and one Word 整改复核意见 per unit."""

from __future__ import annotations

from collections import Counter

from checker.core.finding import SEVERITY_LABELS
from checker.judging.recheck import STATUSES, DocRecheck, unit_summary
from checker.publishing import docxstyle as ds
from checker.publishing.batchdata import location_text

SUMMARY_HEADER = ["序号", "单位名称", "材料数", "原问题数", "已整改", "部分整改", "未整改", "无法判断", "新增问题", "原复核得分", "复查得分", "得分变化"]
DETAIL_HEADER = ["单位名称", "材料", "整改情况", "严重程度", "问题", "位置", "原来的内容", "现在的内容", "说明", "匹配方式"]
SCORE_HEADER = ["单位名称", "材料", "原复核得分", "复查得分", "得分变化", "匹配方式"]


def _delta(a, b):
    return round(b - a, 2) if isinstance(a, int | float) and isinstance(b, int | float) else None


def _short(text, limit: int = 200) -> str:
    t = str(text or "")
    return t if len(t) <= limit else t[: limit - 1] + "…"


def recheck_xlsx(results: list[DocRecheck]) -> bytes:
    """整改情况.xlsx: per unit, per finding, and the score changes."""
    import openpyxl

    from checker.publishing.sheets import add_sheet, xlsx_bytes

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    rows = []
    for n, u in enumerate(unit_summary(results), 1):
        rows.append([n, u["unit"], u["documents"], u["earlier"], *(u[s] for s in STATUSES), u["old_score"], u["new_score"],
                     _delta(u["old_score"], u["new_score"])])  # fmt: skip
    add_sheet(wb, "整改汇总", "整改落实情况汇总", SUMMARY_HEADER, rows, [6, 30, 8, 10, 9, 10, 9, 10, 10, 12, 11, 10])
    detail = []
    for r in results:
        for it in r.items:
            detail.append([r.unit, r.label, it.status, SEVERITY_LABELS.get(it.severity, it.severity), it.message,
                           location_text(it.location), _short(it.old_text), _short(it.new_text), it.note, r.how])  # fmt: skip
    add_sheet(wb, "整改明细", "逐条整改情况", DETAIL_HEADER, detail, [24, 36, 10, 9, 48, 24, 30, 30, 30, 30])
    scores = [[r.unit, r.label, r.old_score, r.new_score, _delta(r.old_score, r.new_score), r.how] for r in results]
    add_sheet(wb, "得分变化", "复核得分变化", SCORE_HEADER, scores, [24, 40, 12, 11, 10, 36], grade_cols=(2, 3))
    return xlsx_bytes(wb)


def render_unit_opinion(unit: str, results: list[DocRecheck]) -> bytes:
    """整改复核意见 for one unit: what was corrected, what was not, what is new."""
    mine = [r for r in results if r.unit == unit]
    total = _status_counts(mine)
    doc = ds.new_document()
    ds.title(doc, "绩效自评整改情况复核意见")
    ds.para(doc, f"{unit}：", indent=False)
    earlier = sum(total[s] for s in STATUSES if s != "新增")
    ds.para(
        doc,
        f"我局对你单位报送的整改后材料进行了复核。上次复核指出的{earlier}处问题中，已整改{total['已整改']}处，"
        f"部分整改{total['部分整改']}处，未整改{total['未整改']}处，无法判断{total['无法判断']}处；"
        f"整改后的材料中新发现问题{total['新增']}处。具体情况如下。",
    )
    for n, r in enumerate(mine, 1):
        change = _delta(r.old_score, r.new_score)
        score = ""
        if r.old_score is not None and r.new_score is not None:
            score = f"，复核得分由{r.old_score:.2f}分变为{r.new_score:.2f}分（{'+' if change >= 0 else ''}{change:.2f}）"
        ds.heading(doc, f"{_cn(n)}、{r.label}{score}")
        if r.how in ("未重新报送", "上次未报送"):
            ds.para(doc, f"说明：{r.how}。")
        todo = [it for it in r.items if it.status != "已整改"]
        done = len(r.items) - len(todo)
        if done:
            ds.para(doc, f"已整改问题{done}处。")
        if not todo:
            ds.para(doc, "上次指出的问题均已整改，未发现新的问题。")
            continue
        rows = [
            [str(i), it.status, SEVERITY_LABELS.get(it.severity, it.severity), location_text(it.location), it.message,
             _short(it.new_text if it.new_text is not None else it.old_text, 80), it.note]
            for i, it in enumerate(todo, 1)
        ]  # fmt: skip
        ds.table(doc, ["序号", "整改情况", "级别", "位置", "问题", "现在的内容", "说明"], rows, widths_mm=[9, 16, 10, 26, 44, 30, 30], size=9)
    ds.para(doc, "请对未整改、部分整改和新增的问题继续整改，并于____年__月__日前重新报送。")
    p = doc.add_paragraph("××××财政局")
    p.alignment = 2
    p = doc.add_paragraph("____年__月__日")
    p.alignment = 2
    return ds.to_bytes(doc)


def _status_counts(results: list[DocRecheck]) -> Counter:
    c: Counter = Counter()
    for r in results:
        c.update(r.counts())
    return c


def _cn(n: int) -> str:
    from checker.publishing.notices import _cn as cn

    return cn(n)
