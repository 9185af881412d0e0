"""Excel outputs of a batch: the unit table (units.xlsx) and the summary workbook.

Both are meant to be printed by the bureau: frozen header, column widths, A4
landscape, header rows repeated on every page, grade colours, 无 for missing cells.
Files are written to a temp name and moved into place, so a reader never sees half.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from checker.core.finding import CATEGORIES
from checker.scoring.units import COLUMNS, TYPE_COLUMNS, UnitRow, as_number

GRADE_FILLS = {"优": "C6EFCE", "良": "DDEBF7", "中": "FFEB9C", "差": "FFC7CE"}
HEADER_FILL = "D9D9D9"


def grade_of(score: float | None) -> str | None:
    """优/良/中/差 by the 10号 bands (≥90, ≥80, ≥60, below)."""
    if score is None:
        return None
    return "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"


def save_atomic(wb, path: str | Path) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _named_styles(wb) -> None:
    """Register the few cell styles once; a cell then takes a style by name, which is far
    cheaper in openpyxl than setting border/alignment/fill objects cell by cell."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    if "jx_center" in wb.named_styles:
        return
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    wb.add_named_style(NamedStyle("jx_title", font=Font(bold=True, size=14), alignment=center))
    wb.add_named_style(NamedStyle("jx_header", font=Font(bold=True), fill=PatternFill("solid", fgColor=HEADER_FILL), border=border, alignment=center))
    wb.add_named_style(NamedStyle("jx_center", border=border, alignment=center))
    wb.add_named_style(NamedStyle("jx_left", border=border, alignment=left))
    wb.add_named_style(NamedStyle("jx_num", border=border, alignment=center, number_format="0.00"))
    for g, colour in GRADE_FILLS.items():
        fill = PatternFill("solid", fgColor=colour)
        wb.add_named_style(NamedStyle(f"jx_grade_{g}", border=border, alignment=center, fill=fill))
        wb.add_named_style(NamedStyle(f"jx_grade_num_{g}", border=border, alignment=center, fill=fill, number_format="0.00"))


def add_sheet(wb, title: str, caption: str | None, header: list[str], rows: list[list], widths: list[float], grade_cols=()):
    """A printable table sheet: caption row, header row, body; returns the sheet.

    `grade_cols`: 0-based columns whose numeric value picks a grade colour, or
    (column, grade_column) pairs where the colour comes from a grade text column.
    """
    from openpyxl.utils import get_column_letter

    if getattr(wb, "write_only", False):
        return _add_sheet_streamed(wb, title, caption, header, rows, widths, grade_cols)
    _named_styles(wb)
    ws = wb.create_sheet(title)
    r0 = 1
    if caption:
        ws.cell(1, 1, caption).style = "jx_title"
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.row_dimensions[1].height = 24
        r0 = 2
    for c, h in enumerate(header, 1):
        ws.cell(r0, c, h).style = "jx_header"
    text_cols = _text_cols(header, rows)
    for i, row in enumerate(rows, r0 + 1):
        for c, (v, style) in enumerate(_styled(row, grade_cols, text_cols)):
            ws.cell(i, c + 1, v).style = style
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    # Excel does not grow a row for wrapped text written by openpyxl: size each row so
    # wrapped cells do not run over the next one
    ws.row_dimensions[r0].height = row_height(header, widths)
    for i, row in enumerate(rows, r0 + 1):
        ws.row_dimensions[i].height = row_height(row, widths)
    ws.freeze_panes = ws.cell(r0 + 1, 1)
    _print_setup(ws, r0, len(header), len(rows))
    return ws


def _text_cols(header: list[str], rows) -> set[int]:
    """One alignment per column: a column of names or sentences reads left-aligned,
    codes, counts and short labels centred (not cell by cell by length)."""
    return {c for c in range(len(header)) if any(isinstance(r[c], str) and len(r[c]) > 6 for r in rows if c < len(r))}


def _styled(row: list, grade_cols, text_cols: set[int]):
    """(value, named style) of each cell of a body row."""
    coloured = {}
    for spec in grade_cols:
        col, gcol = spec if isinstance(spec, tuple) else (spec, None)
        v = row[gcol] if gcol is not None else row[col]
        g = v if gcol is not None else grade_of(v if isinstance(v, int | float) else None)
        if g in GRADE_FILLS:
            coloured[col] = g
    for c, v in enumerate(row):
        num = isinstance(v, float)
        if c in coloured:
            yield v, f"jx_grade_num_{coloured[c]}" if num else f"jx_grade_{coloured[c]}"
        elif num:
            yield v, "jx_num"
        else:
            yield v, "jx_left" if c in text_cols else "jx_center"


def _print_setup(ws, r0: int, ncols: int, nrows: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    ws.print_title_rows = f"1:{r0}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # Worksheet.PAPERSIZE_A4 (not on a write-only sheet)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.print_options.horizontalCentered = True
    if nrows:
        ws.auto_filter.ref = f"A{r0}:{get_column_letter(ncols)}{r0 + nrows}"


def _add_sheet_streamed(wb, title: str, caption: str | None, header: list[str], rows, widths: list[float], grade_cols=()):
    """`add_sheet` for a write-only workbook: the same sheet, written row by row, so a sheet of
    a large archive (a row per finding) never sits in memory whole. `rows` is read twice."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    _named_styles(wb)
    ws = wb.create_sheet(title)
    r0 = 2 if caption else 1
    text_cols = _text_cols(header, rows)  # first pass, before anything is written
    nrows = sum(1 for _ in rows)
    # everything written ahead of the rows (column widths, frozen header) is set first
    for c, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = f"A{r0 + 1}"
    _print_setup(ws, r0, len(header), nrows)

    def put(i: int, cells: list, height: float) -> None:
        ws.row_dimensions[i].height = height
        ws.append(cells)
        del ws.row_dimensions[i]  # written: forget it (memory stays flat)

    if caption:
        cell = WriteOnlyCell(ws, caption)
        cell.style = "jx_title"
        ws.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=len(header), max_row=1))
        put(1, [cell], 24)
    head = []
    for h in header:
        cell = WriteOnlyCell(ws, h)
        cell.style = "jx_header"
        head.append(cell)
    put(r0, head, row_height(header, widths))
    for i, row in enumerate(rows, r0 + 1):
        cells = []
        for v, style in _styled(row, grade_cols, text_cols):
            cell = WriteOnlyCell(ws, v)
            cell.style = style
            cells.append(cell)
        put(i, cells, row_height(row, widths))
    return ws


class Rows:
    """Rows of a sheet that may be very long (one per finding of an archive): kept in memory up
    to `keep`, then spooled to a temporary file; iterable any number of times, in order."""

    def __init__(self, keep: int = 2000):
        self.keep = keep
        self.head: list[list] = []
        self.file = None
        self.n = 0

    def append(self, row: list) -> None:
        import json

        self.n += 1
        if self.file is None and len(self.head) < self.keep:
            self.head.append(row)
            return
        if self.file is None:
            self.file = tempfile.TemporaryFile("w+", encoding="utf-8")
        self.file.write(json.dumps(row, ensure_ascii=False) + "\n")

    def extend(self, rows) -> None:
        for r in rows:
            self.append(r)

    def __len__(self) -> int:
        return self.n

    def __iter__(self):
        import json

        yield from self.head
        if self.file is not None:
            self.file.flush()
            self.file.seek(0)
            for line in self.file:
                yield json.loads(line)
            self.file.seek(0, 2)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


LINE_PT = 15  # one line of 11 pt text


def text_width(text: str) -> float:
    """Width in Excel column units: a CJK character takes about two."""
    import unicodedata

    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in text)


def row_height(row: list, widths: list[float]) -> float:
    lines = 1
    for v, w in zip(row, widths, strict=False):
        if v is None or isinstance(v, int | float):
            continue
        usable = max(1.0, w - 1.5)  # cell padding
        n = sum(max(1, -(-int(text_width(part)) // int(usable))) for part in str(v).split("\n"))
        lines = max(lines, n)
    return min(409.0, LINE_PT * lines + 3)


def unit_sheet_rows(table: list[UnitRow]) -> list[list]:
    out = []
    for i, r in enumerate(table, 1):
        out.append([i, r.unit, *(as_number(r.cell(t)) for t, _ in TYPE_COLUMNS), as_number(r.mean)])
    return out


def write_units_xlsx(table: list[UnitRow], path: str | Path, caption: str = "部门得分情况汇总") -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    widths = [6, 36, 11, 13, 13, 11, 11]
    add_sheet(wb, "部门得分汇总", caption, list(COLUMNS), unit_sheet_rows(table), widths, grade_cols=(6,))
    save_atomic(wb, path)


# ---- the summary workbook -------------------------------------------------------------

CATEGORY_ORDER = CATEGORIES
PROBLEM_FLOOR = ("error", "warning")  # 提示 (info) is advice, not counted as a problem


class Summary:
    """Counts gathered document by document (constant memory per document)."""

    def __init__(self):
        from collections import Counter, defaultdict

        self.documents = 0
        self.errors = 0
        self.types = Counter()
        self.cat_docs = Counter()  # category -> documents with a problem of it
        self.cat_findings = Counter()  # category -> problems (error + warning)
        self.cat_severity = defaultdict(Counter)  # category -> severity -> findings (all)
        self.cat_units = defaultdict(Counter)  # category -> unit -> problems
        self.codes = {}  # code -> [title, category, severity, findings, docs, set(units)]
        self.units = defaultdict(lambda: {"docs": 0, "unreadable": 0, "cats": Counter()})
        self.doc_rows = Rows()  # the 文档清单 sheet, one row per document
        self.finding_rows = Rows()  # the 问题清单 sheet, one row per finding

    def add(self, doc: dict) -> None:
        from checker.core.document import DOC_TYPE_LABELS

        unit = doc.get("unit") or "未识别单位"
        self.documents += 1
        u = self.units[unit]
        u["docs"] += 1
        ok = doc.get("status") == "ok"
        if not ok:
            self.errors += 1
            u["unreadable"] += 1
        self.types[doc.get("doc_type") or "unknown"] += 1
        findings = doc.get("findings") or []
        seen_cats, seen_codes = set(), set()
        sev_count = {"error": 0, "warning": 0, "info": 0}
        for f in findings:
            cat, sev, code = f.get("category"), f.get("severity"), f.get("code")
            sev_count[sev] = sev_count.get(sev, 0) + 1
            self.cat_severity[cat][sev] += 1
            entry = self.codes.setdefault(code, [f.get("title") or "", cat, sev, 0, 0, set()])
            entry[3] += 1
            entry[5].add(unit)
            if code not in seen_codes:
                entry[4] += 1
                seen_codes.add(code)
            if sev in PROBLEM_FLOOR:
                self.cat_findings[cat] += 1
                self.cat_units[cat][unit] += 1
                u["cats"][cat] += 1
                if cat not in seen_cats:
                    self.cat_docs[cat] += 1
                    seen_cats.add(cat)
        self.finding_rows.extend(finding_list_rows(doc))
        err = (doc.get("error") or {}).get("message")
        score = doc.get("score")
        self.doc_rows.append(
            [
                doc.get("path"),
                unit,
                DOC_TYPE_LABELS.get(doc.get("doc_type") or "unknown", "未识别"),
                doc.get("project") or "",
                doc.get("year") or "",
                "正常" if ok else "无法读取",
                float(score) if isinstance(score, int | float) else "无",
                doc.get("grade") or "无",
                float(doc["self_score"]) if isinstance(doc.get("self_score"), int | float) else "无",
                sev_count["error"],
                sev_count["warning"],
                sev_count["info"],
                err or "",
            ]
        )


FINDING_LIST_HEADER = ["单位", "材料", "项目", "严重程度", "规则", "问题", "原文", "位置", "修改建议", "依据"]
FINDING_LIST_WIDTHS = [20, 16, 24, 8, 20, 40, 24, 22, 40, 30]


def finding_list_rows(doc: dict) -> list[list]:
    """问题清单 rows of one document: errors first, then warnings and hints, in document order."""
    from checker.core.finding import SEVERITY_LABELS
    from checker.publishing.wording import basis_words, doc_kind, location_words, ordered

    unit = doc.get("unit") or "未识别单位"
    kind, project = doc_kind(doc), doc.get("project") or ""
    return [
        [unit, kind, project, SEVERITY_LABELS.get(f.get("severity"), ""), f"{f.get('code', '')} {f.get('title') or ''}".strip(),
         f.get("message") or "", f.get("evidence") or "", location_words(f.get("location")), f.get("suggestion") or "",
         basis_words(f.get("basis"))]
        for f in ordered(doc.get("findings") or [])
    ]


def add_finding_list(wb, rows: list[list]) -> None:
    ws = add_sheet(wb, "问题清单", "问题清单（逐条列出，错误在前）", FINDING_LIST_HEADER, rows, FINDING_LIST_WIDTHS)
    ws.page_setup.fitToWidth = 1


def write_findings_xlsx(docs: list[dict], path: str | Path | None = None) -> bytes | None:
    """A workbook holding only the 问题清单 of `docs` (the app's download); bytes when no path."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    add_finding_list(wb, [row for d in docs for row in finding_list_rows(d)])
    if path is not None:
        save_atomic(wb, path)
        return None
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_summary_xlsx(summary: Summary, table: list[UnitRow], path: str | Path) -> None:
    """Counts per problem type across the archive and the units most affected:
    the numbers behind the review report's 存在的问题 section."""
    import openpyxl

    from checker.core.finding import CATEGORY_LABELS, SEVERITY_LABELS
    from checker.core.document import DOC_TYPE_LABELS

    wb = openpyxl.Workbook(write_only=True)  # the lists grow with the archive: streamed, not held

    # 1. overview
    rows = [["文档总数", summary.documents], ["可读取", summary.documents - summary.errors], ["无法读取", summary.errors]]
    rows += [[f"其中：{DOC_TYPE_LABELS.get(t, t)}", n] for t, n in sorted(summary.types.items())]
    rows += [["涉及单位数", len(summary.units)]]
    add_sheet(wb, "概况", "批量复核概况", ["项目", "数量"], rows, [34, 12])
    add_finding_list(wb, summary.finding_rows)

    # 2. per problem type
    rows = []
    for cat in CATEGORY_ORDER:
        top = sorted(summary.cat_units[cat].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        sev = summary.cat_severity[cat]
        rows.append(
            [
                CATEGORY_LABELS[cat],
                len(summary.cat_units[cat]),
                summary.cat_docs[cat],
                summary.cat_findings[cat],
                sev["error"],
                sev["warning"],
                sev["info"],
                "、".join(f"{u}（{n}处）" for u, n in top) or "无",
            ]
        )
    rows.append(["文件无法读取", sum(1 for u in summary.units.values() if u["unreadable"]), summary.errors, summary.errors, summary.errors, 0, 0,
                 "、".join(f"{u}（{v['unreadable']}份）" for u, v in sorted(summary.units.items(), key=lambda kv: (-kv[1]["unreadable"], kv[0])) if v["unreadable"])[:200] or "无"])  # fmt: skip
    header = ["问题类型", "涉及单位数", "涉及文档数", "问题数（错误+警告）", "错误", "警告", "提示", "问题较多的单位"]
    add_sheet(wb, "问题类型汇总", "存在的问题：按问题类型统计", header, rows, [24, 11, 11, 14, 8, 8, 8, 60])

    # 3. per rule
    rows = [
        [code, v[0], CATEGORY_LABELS.get(v[1], v[1] or ""), SEVERITY_LABELS.get(v[2], v[2] or ""), v[3], v[4], len(v[5])]
        for code, v in sorted(summary.codes.items(), key=lambda kv: (-kv[1][3], kv[0] or ""))
    ]
    header = ["规则代码", "问题", "问题类型", "严重程度", "问题条数", "涉及文档数", "涉及单位数"]
    add_sheet(wb, "按规则统计", "存在的问题：按检查规则统计", header, rows, [10, 40, 22, 10, 10, 11, 11])

    # 4. per unit, most affected first
    cells = {r.unit: r for r in table}
    rows = []
    for unit, u in summary.units.items():
        r = cells.get(unit)
        scores = [as_number(r.cell(t)) if r else "无" for t, _ in TYPE_COLUMNS]
        mean = as_number(r.mean) if r else "无"
        total = sum(u["cats"].values())
        rows.append([unit, u["docs"], u["unreadable"], *scores, mean, grade_of(mean if isinstance(mean, float) else None) or "无",
                     *(u["cats"][c] for c in CATEGORY_ORDER), total])  # fmt: skip
    rows.sort(key=lambda row: (-row[-1], row[0]))
    header = ["单位名称", "文档数", "无法读取", *(t for _, t in TYPE_COLUMNS), "平均分", "等级",
              *(CATEGORY_LABELS[c] for c in CATEGORY_ORDER), "问题合计"]  # fmt: skip
    widths = [30, 8, 8, 9, 11, 11, 9, 9, 7, *([12] * len(CATEGORY_ORDER)), 9]
    add_sheet(wb, "单位问题汇总", "问题较多的单位（按问题数从多到少）", header, rows, widths, grade_cols=((7, 8), (8, 8)))

    # 5. documents
    header = ["文件", "单位", "材料类型", "项目名称", "年度", "状态", "复核得分", "等级", "自评得分", "错误", "警告", "提示", "无法读取原因"]
    add_sheet(wb, "文档清单", "各文档复核得分", header, summary.doc_rows, [40, 24, 20, 30, 7, 9, 9, 6, 9, 6, 6, 6, 40],
              grade_cols=((6, 7), (7, 7)))  # fmt: skip
    save_atomic(wb, path)
