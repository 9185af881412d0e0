"""Excel outputs of a batch, as bytes: the unit table (units.xlsx), the summary workbook
(summary.xlsx) and the 问题清单 workbook (the app's download).

All are meant to be printed by the bureau (sheets built by checker.publishing.sheets); 无 for
missing cells. The caller writes the bytes where it wants them (`checker.core.atomic.write_atomic`).
"""

from __future__ import annotations

from checker.core.finding import CATEGORIES
from checker.publishing.sheets import Rows, add_sheet, grade_of, xlsx_bytes
from checker.scoring.units import COLUMNS, TYPE_COLUMNS, UnitRow, as_number


def unit_sheet_rows(table: list[UnitRow]) -> list[list]:
    out = []
    for i, r in enumerate(table, 1):
        out.append([i, r.unit, *(as_number(r.cell(t)) for t, _ in TYPE_COLUMNS), as_number(r.mean)])
    return out


def units_xlsx(table: list[UnitRow], caption: str = "部门得分情况汇总") -> bytes:
    """units.xlsx: the unit table, one sheet."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    widths = [6, 36, 11, 13, 13, 11, 11]
    add_sheet(wb, "部门得分汇总", caption, list(COLUMNS), unit_sheet_rows(table), widths, grade_cols=(6,))
    return xlsx_bytes(wb)


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


def findings_xlsx(docs: list[dict]) -> bytes:
    """A workbook holding only the 问题清单 of `docs` (the app's download)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    add_finding_list(wb, [row for d in docs for row in finding_list_rows(d)])
    return xlsx_bytes(wb)


def summary_xlsx(summary: Summary, table: list[UnitRow]) -> bytes:
    """Counts per problem type across the archive and the units most affected:
    the numbers behind the review report's 存在的问题 section."""
    import openpyxl

    from checker.core.document import DOC_TYPE_LABELS
    from checker.core.finding import CATEGORY_LABELS, SEVERITY_LABELS

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
    return xlsx_bytes(wb)
