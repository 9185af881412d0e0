"""Words a reviewer reads, shared by every output (CLI text, app, Word, Excel).

- `location_words`: a finding's position as 第2页 表1 第5行 第3条指标的年度指标值, never a
  field path such as `indicators[3].target`;
- `doc_label`: a document named as 单位《项目》材料类型, never by its file name;
- `ordered`: findings errors first, then warnings, then hints, each in document order;
- `basis_words`: the 依据 line as the reviewer sees it.
"""

from __future__ import annotations

import re
from typing import Any

from checker.core.finding import SEVERITY_RANK

ATTR_WORDS = {
    # indicators
    "level1": "一级指标", "level2": "二级指标", "name": "指标名称", "target": "年度指标值", "actual": "实际完成值",
    "weight": "分值", "score": "得分", "deviation": "偏差原因分析", "nature": "指标性质", "unit": "度量单位",
    "target_value": "年度指标值", "actual_value": "实际完成值", "likelihood": "完成目标可能性", "forecast": "全年预计完成情况",
    # goals
    "expected": "预期目标",
    # budget
    "initial": "年初预算数", "annual": "全年预算数", "executed": "全年执行数", "execution_rate": "执行率", "reason": "原因",
}
GOAL_ATTR_WORDS = {"actual": "实际完成情况"}
TOP_WORDS = {
    "indicators": "绩效指标表", "goals": "年度总体目标", "budget": "项目资金", "self_score": "自评总分", "self_grade": "自评等级",
    "conclusion": "评价结论", "problems": "存在问题", "measures": "改进措施", "content": "项目概况", "unit": "单位名称",
    "project": "项目名称", "year": "年度", "sections": "报告结构",
    # quick checks (no document): the snippet itself
    "indicator": "本条指标", "goal": "总体目标", "completion": "完成情况",
}
_SEGMENT = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def field_words(field: str | None) -> str:
    """`indicators[3].target` → 第3条指标的年度指标值; unknown names are left out, not shown in English."""
    if not field:
        return ""
    segs = [_SEGMENT.fullmatch(s) for s in str(field).split(".")]
    if not segs or any(m is None for m in segs):
        return ""
    head, n = segs[0].group(1), segs[0].group(2)
    if head == "indicators" and n:
        words = f"第{n}条指标"
    elif head == "goals" and n:
        words = f"第{n}条目标"
    elif head == "budget":
        words = "项目资金"
        if len(segs) > 1 and segs[1].group(1) == "rows" and segs[1].group(2):
            words += f"“其中”第{segs[1].group(2)}行"
            segs = segs[1:]
    else:
        words = TOP_WORDS.get(head, "")
        if not words:
            return ""
    attr = segs[-1].group(1) if len(segs) > 1 else None
    if attr:
        sub = (GOAL_ATTR_WORDS.get(attr) if head in ("goals", "goal", "completion") else None) or ATTR_WORDS.get(attr) or TOP_WORDS.get(attr)
        if sub and sub != words:
            words = f"{words}的{sub}"
    return words


def position_words(loc: dict[str, Any] | None) -> str:
    """第2页 表1 第5行 第4列 / 第3段 (only the keys present)."""
    loc = loc or {}
    parts = []
    for key, fmt in (("page", "第{}页"), ("table", "表{}"), ("row", "第{}行"), ("column", "第{}列"), ("paragraph", "第{}段")):
        if loc.get(key):
            parts.append(fmt.format(loc[key]))
    return " ".join(parts)


def location_words(loc: dict[str, Any] | None, empty: str = "全文") -> str:
    """第2页 表1 第5行 第3条指标的年度指标值; `empty` when nothing is known."""
    loc = loc or {}
    text = " ".join(p for p in (position_words(loc), field_words(loc.get("field"))) if p)
    return text or empty


def doc_kind(doc: dict[str, Any]) -> str:
    from checker.core.document import DOC_TYPE_LABELS

    t = doc.get("doc_type") or "unknown"
    return "材料" if t == "unknown" else DOC_TYPE_LABELS.get(t, "材料")


def doc_label(doc: dict[str, Any], with_unit: bool = True) -> str:
    """单位《项目》材料类型, e.g. 县民政局《城乡低保补助资金》项目支出绩效自评表."""
    unit = (doc.get("unit") or "").strip() if with_unit else ""
    project = (doc.get("project") or "").strip()
    kind = doc_kind(doc)
    return f"{unit}《{project}》{kind}" if project else f"{unit}{'报送的' if unit else ''}{kind}"


def severity_key(f: dict[str, Any]) -> tuple:
    """Errors first, then warnings, then hints; inside each, document order."""
    loc = f.get("location") or {}
    return (
        -SEVERITY_RANK.get(f.get("severity"), 0),
        loc.get("page") or 0, loc.get("table") or 0, loc.get("row") or 0, loc.get("column") or 0, loc.get("paragraph") or 0,
        _field_order(loc.get("field")), f.get("code") or "",
    )


def _field_order(field: str | None) -> tuple:
    """Document order for findings without a table position: goals, then indicators by number."""
    m = re.match(r"([a-z_]+)(?:\[(\d+)\])?", field or "")
    if not m:
        return (9, 0, "")
    rank = {"unit": 0, "project": 0, "budget": 1, "goals": 2, "goal": 2, "completion": 2, "indicators": 3, "indicator": 3,
            "self_score": 4, "self_grade": 4}.get(m.group(1), 5)
    return (rank, int(m.group(2) or 0), field or "")


def ordered(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(findings, key=severity_key)


def basis_words(basis: str | None) -> str:
    """The 依据 as shown; an empty or legacy internal value reads as review practice."""
    text = (basis or "").strip()
    if not text or text.lower().startswith("heuristic"):
        return "复核实践"
    return text


def severity_counts_line(findings: list[dict[str, Any]]) -> str:
    """共 N 个问题：错误 a，警告 b，提示 c"""
    c = {s: 0 for s in ("error", "warning", "info")}
    for f in findings:
        if f.get("severity") in c:
            c[f["severity"]] += 1
    return f"共 {sum(c.values())} 个问题：错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}"
