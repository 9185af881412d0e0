"""Tables and chart data for the archive view (many documents), as plain rows.

Rows are lists of dicts; `frame(rows)` turns them into a pandas DataFrame for
st.dataframe / st.bar_chart (pandas imported lazily).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from checker.core.finding import CATEGORIES, CATEGORY_LABELS, SEVERITY_LABELS
from checker.core.document import DOC_TYPE_LABELS

NO_UNIT = UNNAMED_UNIT = "未识别单位"  # the label checker.runner.batch and the report drafter use
GRADE_BINS = (("优（≥90）", 90), ("良（80–90）", 80), ("中（60–80）", 60), ("差（<60）", float("-inf")))


def frame(rows: list[dict[str, Any]], columns: list[str] | None = None):
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


def unit_of(doc: dict[str, Any]) -> str:
    return doc.get("unit") or NO_UNIT


def filter_docs(docs: list[dict], units=None, doc_types=None) -> list[dict]:
    return [
        d for d in docs
        if (not units or unit_of(d) in units) and (not doc_types or d.get("doc_type", "unknown") in doc_types)
    ]


def documents_rows(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per document, as in the batch's documents.csv but with Chinese headers."""
    rows = []
    for d in docs:
        sev = Counter(f.get("severity") for f in d.get("findings") or [])
        rows.append({
            "文件": d.get("path"),
            "类型": d.get("doc_type_label") or DOC_TYPE_LABELS.get(d.get("doc_type", "unknown"), "未识别"),
            "单位": d.get("unit") or "",
            "项目": d.get("project") or "",
            "年度": d.get("year"),
            "复核得分": d.get("score"),
            "等级": d.get("grade") or "",
            "自评得分": d.get("self_score"),
            "重算得分": d.get("recomputed_self_score"),
            **{SEVERITY_LABELS[s]: sev.get(s, 0) for s in SEVERITY_LABELS},
            "状态": "正常" if d.get("status") == "ok" else (d.get("error") or {}).get("message", "读取失败"),
        })
    return rows


def findings_rows(docs: list[dict[str, Any]], severities=None) -> list[dict[str, Any]]:
    """The 问题清单 rows (same columns as the sheet in summary.xlsx), errors first in each document."""
    from checker.publishing.workbook import FINDING_LIST_HEADER, finding_list_rows

    rows = []
    for d in docs:
        kept = [f for f in d.get("findings") or [] if not severities or f.get("severity") in severities]
        rows += [dict(zip(FINDING_LIST_HEADER, r, strict=True)) for r in finding_list_rows({**d, "findings": kept})]
    return rows


def category_counts(docs: list[dict[str, Any]], severities=None) -> list[dict[str, Any]]:
    """Problems per problem type (every category listed, zeros included, fixed order)."""
    c = Counter(f.get("category") for d in docs for f in d.get("findings") or [] if not severities or f.get("severity") in severities)
    cats = list(CATEGORIES) + sorted(k for k in c if k not in CATEGORIES and k)
    return [{"问题类型": CATEGORY_LABELS.get(k, k), "问题数": c.get(k, 0)} for k in cats]


def score_distribution(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Documents per grade band of the review score (unreadable documents left out)."""
    c: Counter[str] = Counter()
    for d in docs:
        s = d.get("score")
        if s is None:
            continue
        c[next(label for label, floor in GRADE_BINS if s >= floor)] += 1
    return [{"等级": label, "文档数": c.get(label, 0)} for label, _ in GRADE_BINS]


def problems_per_unit(docs: list[dict[str, Any]], severities=None) -> list[dict[str, Any]]:
    c: Counter[str] = Counter()
    for d in docs:
        c[unit_of(d)] += sum(1 for f in d.get("findings") or [] if not severities or f.get("severity") in severities)
    return [{"单位": u, "问题数": n} for u, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]


def unit_table(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bureau's 部门得分情况汇总 rows (contract columns), built by `checker.scoring.units`."""
    from checker.scoring.units import build_table, table_rows

    return table_rows(build_table(unit_records(docs)))


def unit_records(docs: list[dict[str, Any]]) -> list[tuple[str, str, Any]]:
    """(unit, doc_type, score) of every read document with a score, in input order."""
    from checker.scoring.units import canonical_type, to_decimal

    # same selection as `jxcheck batch` (checker.runner.finalpass.finalize), so units.xlsx matches
    return [
        (d.get("unit") or UNNAMED_UNIT, canonical_type(d["doc_type"]), to_decimal(d["score"]))
        for d in docs
        if d.get("status") == "ok" and d.get("score") is not None and canonical_type(d.get("doc_type"))
    ]
