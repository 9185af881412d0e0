"""The batch's final pass (checker.runner.batch), after every document is in: copy detection
across documents, then documents.jsonl rewritten sorted by path with its AC90 findings, and the
derived files (documents.csv, findings.jsonl, dismissed.jsonl, units.xlsx, summary.xlsx) built
from it, each via a temp file and os.replace."""

from __future__ import annotations

import json
import os
from pathlib import Path

from checker.core.config import Config
from checker.core.finding import CATEGORIES, SEVERITY_RANK, exit_code
from checker.runner.batchlog import DISMISSED, DOCUMENTS, iter_log, load_previous
from checker.runner.process import dumps as _dumps
from checker.scoring.units import UNNAMED_UNIT  # same label as the report drafter

CATEGORY_COLUMNS = CATEGORIES
CSV_COLUMNS = (
    "path", "sha256", "format", "doc_type", "unit", "project", "year", "status", "error_code", "error_message",
    "score", "grade", "self_score", "recomputed_self_score",
    "findings_error", "findings_warning", "findings_info",
    *(f"findings_{c}" for c in CATEGORY_COLUMNS),
)  # fmt: skip


# documents.csv is for people (opened in Excel): Chinese headers and labels.
# Scripts read documents.jsonl, which keeps the contract's English keys.
CSV_HEADERS = {
    "path": "文件", "sha256": "SHA256", "format": "格式", "doc_type": "材料类型", "unit": "单位", "project": "项目",
    "year": "年度", "status": "状态", "error_code": "错误代码", "error_message": "无法读取原因", "score": "复核得分",
    "grade": "等级", "self_score": "自评得分", "recomputed_self_score": "按自评数据重算得分",
    "findings_error": "错误", "findings_warning": "警告", "findings_info": "提示",
}


def csv_header() -> list[str]:
    from checker.core.finding import CATEGORY_LABELS

    return [CSV_HEADERS.get(c) or CATEGORY_LABELS[c.removeprefix("findings_")] for c in CSV_COLUMNS]


def ctx_of(doc: dict) -> dict:
    return {k: doc.get(k) for k in ("path", "sha256", "unit", "doc_type", "project")}


def finalize(out: Path, config: Config, fail_on: str, previous: list[str | Path] | None = None) -> tuple[int, int, int]:
    """Copy detection, then documents.jsonl sorted by path with its AC90 findings, then
    documents.csv, findings.jsonl, units.xlsx and summary.xlsx, each written atomically."""
    from checker.core.atomic import write_atomic
    from checker.publishing.workbook import Summary, summary_xlsx, units_xlsx
    from checker.runner import crossdoc
    from checker.scoring.units import build_table, canonical_type, to_decimal

    log_path = out / DOCUMENTS
    latest: dict[str, tuple[int, int]] = {}  # path -> line; a later line for a path wins
    for off, n, doc in iter_log(log_path):
        latest[doc["path"]] = (off, n)
    order = sorted(latest)

    def docs():
        with open(log_path, "rb") as fh:
            for path in order:
                off, n = latest[path]
                fh.seek(off)
                yield json.loads(fh.read(n))

    # earlier batches: compared against, never reported; both only in the fields compared
    earlier = [crossdoc.slim(d) for d in load_previous(previous)]
    cross = crossdoc.find([crossdoc.slim(d) for d in docs()], config, earlier)
    summary = Summary()
    unit_records = []
    max_rank = 0
    tmp = {name: out / f".{name}.tmp" for name in (DOCUMENTS, "findings.jsonl", "documents.csv", DISMISSED)}
    with (
        open(tmp[DISMISSED], "w", encoding="utf-8") as fdis,
        open(tmp[DOCUMENTS], "w", encoding="utf-8") as fdocs,
        open(tmp["findings.jsonl"], "w", encoding="utf-8") as ffind,
        open(tmp["documents.csv"], "w", encoding="utf-8-sig", newline="") as fcsv,
    ):
        import csv

        writer = csv.writer(fcsv)
        writer.writerow(csv_header())
        for i, doc in enumerate(docs()):
            # idempotent: a resumed batch recomputes the cross-document findings from scratch
            doc = crossdoc.merge(doc, cross.get(i, []), config)
            findings = doc["findings"]
            for d in doc.get("dismissed") or []:
                fdis.write(_dumps({**ctx_of(doc), **d}) + "\n")
            fdocs.write(_dumps(doc) + "\n")
            ctx = ctx_of(doc)
            for f in findings:
                ffind.write(_dumps({**ctx, **f}) + "\n")
                max_rank = max(max_rank, SEVERITY_RANK.get(f.get("severity"), 0))
            writer.writerow(_csv_row(doc))
            summary.add(doc)
            if doc.get("status") == "ok" and doc.get("score") is not None and canonical_type(doc.get("doc_type")):
                unit_records.append((doc.get("unit") or UNNAMED_UNIT, canonical_type(doc["doc_type"]), to_decimal(doc["score"])))
        for fh in (fdocs, ffind, fcsv, fdis):
            fh.flush()
            os.fsync(fh.fileno())
    for name, path in tmp.items():
        os.replace(path, out / name)
    table = build_table(unit_records)
    write_atomic(out / "units.xlsx", units_xlsx(table))
    write_atomic(out / "summary.xlsx", summary_xlsx(summary, table))
    return summary.documents, summary.errors, exit_code(summary.errors, max_rank, fail_on)


def _csv_row(doc: dict) -> list:
    sev = {"error": 0, "warning": 0, "info": 0}
    cat = dict.fromkeys(CATEGORY_COLUMNS, 0)
    for f in doc.get("findings") or []:
        if f.get("severity") in sev:
            sev[f["severity"]] += 1
        if f.get("category") in cat:
            cat[f["category"]] += 1
    err = doc.get("error") or {}
    values = {
        **doc,
        "error_code": err.get("code"),
        "error_message": err.get("message"),
        **{f"findings_{k}": v for k, v in sev.items()},
        **{f"findings_{k}": v for k, v in cat.items()},
    }
    from checker.core.document import DOC_TYPE_LABELS

    values["doc_type"] = DOC_TYPE_LABELS.get(doc.get("doc_type") or "unknown", "未识别")
    values["status"] = "正常" if doc.get("status") == "ok" else "无法读取"
    return ["" if values.get(c) is None else values.get(c) for c in CSV_COLUMNS]
