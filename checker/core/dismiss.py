"""Dismissals: findings a reviewer judged wrong, kept in a plain baseline file.

`jxcheck-baseline.toml` (or `.json`) in the working folder, `[review] baseline = "file"` in
jxcheck.toml, or `--baseline FILE` on the command line. Each entry names the document (unit,
type, project, year), the rule, the item and the text the finding quoted, with who dismissed it,
why and when:

    [[dismiss]]
    unit = "示范区教育局"
    doc_type = "self_eval_table"
    project = "学生资助项目"
    year = 2023
    code = "IN01"
    indicator = "家长满意度"        # for an indicator's finding; else field = "goals[1].expected"
    field = "indicators[3].target"
    evidence = "明显提升"
    reason = "该指标附有评分细则，可以衡量"
    by = "张三"
    date = "2026-12-02"

A dismissed finding is neither reported nor scored for that document and item while the quoted
text is unchanged; once the unit edits the text, the finding (if still there) comes back.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.core.errors import ConfigError
from checker.core.history import clean_name, name_similarity, same_text, same_unit

BASELINE_NAMES = ("jxcheck-baseline.toml", "jxcheck-baseline.json")
REQUIRED = ("code", "evidence")
DOC_TYPE_ALIASES = {
    "项目支出绩效自评表": "self_eval_table",
    "自评表": "self_eval_table",
    "项目绩效评价报告": "project_report",
    "部门整体支出绩效评价报告": "overall_report",
    "整体绩效报告": "overall_report",
    "项目支出绩效监控情况表": "monitoring_table",
    "监控表": "monitoring_table",
}


@dataclass(frozen=True)
class Dismissal:
    code: str
    evidence: str
    unit: str | None = None
    doc_type: str | None = None
    project: str | None = None
    year: int | None = None
    field: str | None = None
    indicator: str | None = None
    reason: str = ""
    by: str = ""
    date: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def find_baseline(cwd: str | Path | None = None) -> Path | None:
    for name in BASELINE_NAMES:
        p = Path(cwd or ".") / name
        if p.is_file():
            return p
    return None


def load_baseline(path: str | Path) -> list[dict[str, Any]]:
    """Entries of a baseline file as plain dicts (so a Config stays picklable for workers)."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"找不到忽略清单文件：{p}")
    try:
        text = p.read_text(encoding="utf-8")
        data = json.loads(text) if p.suffix.lower() == ".json" else tomllib.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"忽略清单 {p} 格式错误：{exc}") from exc
    entries = data.get("dismiss") if isinstance(data, dict) else data
    if entries is None:
        return []
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(f"忽略清单 {p} 应为 [[dismiss]] 条目的列表")
    out = []
    for n, e in enumerate(entries, 1):
        missing = [k for k in REQUIRED if not e.get(k)]
        if missing:
            raise ConfigError(f"忽略清单 {p} 第 {n} 条缺少 {'、'.join(missing)}")
        out.append(_entry(e).to_dict())
    return out


def _entry(e: dict[str, Any]) -> Dismissal:
    doc_type = e.get("doc_type")
    doc_type = DOC_TYPE_ALIASES.get(str(doc_type), doc_type) if doc_type else None
    year = e.get("year")
    try:
        year = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        year = None
    return Dismissal(
        code=str(e["code"]).strip().upper(), evidence=str(e["evidence"]), unit=e.get("unit") or None, doc_type=doc_type,
        project=e.get("project") or None, year=year, field=e.get("field") or None, indicator=e.get("indicator") or None,
        reason=str(e.get("reason") or ""), by=str(e.get("by") or ""), date=str(e.get("date") or ""),
    )  # fmt: skip


def entry_for(doc: dict, finding: dict, reason: str, by: str = "", date: str = "") -> dict[str, Any]:
    """The baseline entry that dismisses `finding` of DOCUMENT dict `doc` (the app and tests use this)."""
    field = (finding.get("location") or {}).get("field")
    indicator = _indicator_name(doc, field)
    return Dismissal(
        code=finding["code"], evidence=finding.get("evidence") or "", unit=doc.get("unit"), doc_type=doc.get("doc_type"),
        project=doc.get("project"), year=doc.get("year"), field=field, indicator=indicator, reason=reason, by=by, date=date,
    ).to_dict()  # fmt: skip


def to_toml(entries: list[dict[str, Any]]) -> str:
    """A baseline file's text (TOML), written by hand-free means: the app's download."""
    lines = ["# jxcheck 忽略清单：复核人员认定不成立的问题。原文修改后，问题会重新出现。", ""]
    for e in entries:
        lines.append("[[dismiss]]")
        for k in ("unit", "doc_type", "project", "year", "code", "indicator", "field", "evidence", "reason", "by", "date"):
            if e.get(k) not in (None, ""):
                v = e[k]
                lines.append(f"{k} = {v}" if isinstance(v, int) else f"{k} = {json.dumps(str(v), ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines)


def _indicator_name(doc: dict, field: str | None) -> str | None:
    from checker.core.history import _FIELD

    m = _FIELD.match(field or "")
    if not m or m.group(1) != "indicators":
        return None
    items = doc.get("indicators") or []
    idx = int(m.group(2))
    return str(items[idx - 1].get("name") or "") or None if 1 <= idx <= len(items) else None


def _same_document(e: dict, doc: dict) -> bool:
    if e.get("unit") and not same_unit(e["unit"], doc.get("unit")):
        return False
    if e.get("doc_type") and e["doc_type"] != doc.get("doc_type"):
        return False
    if e.get("year") and doc.get("year") and int(e["year"]) != int(doc["year"]):
        return False
    if e.get("project") and name_similarity(e["project"], doc.get("project")) < 0.999:
        return False
    return True


def _same_item(e: dict, doc: dict, field: str | None) -> bool:
    if e.get("indicator"):
        name = _indicator_name(doc, field)
        attr = (field or "").rpartition(".")[2] if field and "]." in field else ""
        e_attr = (e.get("field") or "").rpartition(".")[2] if e.get("field") and "]." in e["field"] else ""
        return name is not None and clean_name(name) == clean_name(e["indicator"]) and attr == e_attr
    return (e.get("field") or None) == (field or None)


def split(doc: dict, findings: list[dict], entries: list[dict]) -> tuple[list[dict], list[dict]]:
    """(kept, dismissed) findings of one DOCUMENT dict; each dismissed one carries its entry."""
    if not entries:
        return findings, []
    mine = [e for e in entries if _same_document(e, doc)]
    kept, gone = [], []
    for f in findings:
        field = (f.get("location") or {}).get("field")
        hit = next(
            (e for e in mine if e["code"] == f.get("code") and same_text(e["evidence"], f.get("evidence")) and _same_item(e, doc, field)),
            None,
        )
        if hit is None:
            kept.append(f)
        else:
            gone.append({**f, "dismissal": {k: hit.get(k, "") for k in ("reason", "by", "date")}})
    return kept, gone
