"""The 原表 view of the web app: the document's own tables (项目资金, 总体目标, 绩效指标) with flagged
cells highlighted and each finding beside its row."""

from __future__ import annotations

from typing import Any

from checker.webui.render import badge, esc, finding_html, parse_field, worst

INDICATOR_COLUMNS = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("name", "三级指标"),
    ("target", "年度指标值"),
    ("actual", "实际完成值"),
    ("weight", "分值"),
    ("score", "得分"),
    ("deviation", "偏差原因分析及改进措施"),
)
# Fields that have no column of their own in the grid are shown on the nearest one.
FIELD_ALIASES = {"nature": "target", "unit": "target", "target_value": "target", "actual_value": "actual"}
GOAL_COLUMNS = (("expected", "预期目标"), ("actual", "实际完成情况"))
BUDGET_COLUMNS = (
    ("initial", "年初预算数（万元）"),
    ("annual", "全年预算数（万元）"),
    ("executed", "全年执行数（万元）"),
    ("execution_rate", "执行率（%）"),
    ("weight", "分值"),
    ("score", "得分"),
)
FIELD_WORDS = dict(INDICATOR_COLUMNS) | dict(GOAL_COLUMNS) | dict(BUDGET_COLUMNS)


def attach(doc: dict[str, Any], findings: list[dict[str, Any]]) -> dict[tuple[str, int | None], dict[str, list[dict]]]:
    """Map (list name, 1-based index) → {attribute: [findings]} from `location.field`.

    A finding without a field but on an indicator's own table row is attached to that row.
    """
    out: dict[tuple[str, int | None], dict[str, list[dict]]] = {}
    rows = {}
    for n, ind in enumerate(doc.get("indicators") or [], 1):
        loc = ind.get("location") or {}
        if loc.get("table") and loc.get("row"):
            rows[(loc.get("table"), loc.get("row"))] = n
    for f in findings:
        loc = f.get("location") or {}
        name, n, attr = parse_field(loc.get("field"))
        if name is None and (loc.get("table"), loc.get("row")) in rows:
            name, n, attr = "indicators", rows[(loc["table"], loc["row"])], None
        if name in ("indicators", "goals") and not n:
            continue
        if name not in ("indicators", "goals", "budget"):
            continue
        attr = FIELD_ALIASES.get(attr or "", attr or "")
        out.setdefault((name, n), {}).setdefault(attr, []).append(f)
    return out


def _lines(text: str) -> str:
    return "<br>".join(esc(x) for x in str(text).splitlines())


def grid_rewrites(doc: dict[str, Any], findings: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(where, finding) for each finding with a rewrite, in the 原表 view's order: the whole
    document first, then 项目资金, 总体目标 and 绩效指标 by row."""
    from checker.publishing.wording import ordered

    att = attach(doc, findings)
    placed = {id(f) for notes in att.values() for fs in notes.values() for f in fs}
    out = [("整份文档", f) for f in ordered(findings) if id(f) not in placed and f.get("rewrite")]
    inds = doc.get("indicators") or []
    for (name, n), notes in sorted(att.items(), key=lambda kv: ({"budget": 0, "goals": 1, "indicators": 2}[kv[0][0]], kv[0][1] or 0)):
        if name == "budget":
            where = "项目资金"
        elif name == "goals":
            where = f"总体目标 第{n}条"
        else:
            ind_name = (inds[n - 1].get("name") if 0 < n <= len(inds) else "") or ""
            where = f"绩效指标 第{n}行" + (f"“{ind_name}”" if ind_name else "")
        out += [(where, f) for f in ordered([f for fs in notes.values() for f in fs]) if f.get("rewrite")]
    return out


def grid(headers, rows, notes_by_row, key_of_default, with_notes: bool = True) -> str:
    html = ['<table class="jx-grid"><thead><tr><th>#</th>']
    html += [f"<th>{esc(h)}</th>" for _, h in headers]
    html.append(("<th>发现的问题</th>" if with_notes else "") + "</tr></thead><tbody>")
    for n, (values, notes) in enumerate(zip(rows, notes_by_row, strict=True), 1):
        html.append(f"<tr><td>{n}</td>")
        for key, _ in headers:
            fs = notes.get(key, []) + (notes.get("", []) if key == key_of_default else [])
            cls = f' class="jx-{worst(fs)}" title="{esc(fs[0].get("message"))}"' if fs else ""
            html.append(f"<td{cls}>{esc(values.get(key))}</td>")
        if not with_notes:
            html.append("</tr>")
            continue
        all_fs = [f for fs in notes.values() for f in fs]
        note = "".join(f"<div>{badge(f.get('severity', 'info'))}{esc(f.get('code'))} {esc(f.get('message') or f.get('title'))}"
                       + (f"<br><span class='jx-muted'>建议：{esc(f.get('suggestion'))}</span>" if f.get("suggestion") else "")
                       + (f"<br>修改稿：<span class='jx-rw'>{_lines(f['rewrite'])}</span>" if f.get("rewrite") else "")
                       + "</div>" for f in all_fs)
        html.append(f'<td class="jx-note">{note}</td></tr>')
    html.append("</tbody></table>")
    return "".join(html)


def indicator_grid_html(doc: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    """The indicator grid as the reviewer knows it, flagged cells highlighted."""
    inds = doc.get("indicators") or []
    if not inds:
        return '<p class="jx-muted">未提取到绩效指标表。</p>'
    att = attach(doc, findings)
    notes = [att.get(("indicators", n), {}) for n in range(1, len(inds) + 1)]
    return grid(INDICATOR_COLUMNS, inds, notes, "name")


def goals_html(doc: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    goals = doc.get("goals") or []
    if not goals:
        return ""
    att = attach(doc, findings)
    notes = [att.get(("goals", n), {}) for n in range(1, len(goals) + 1)]
    return grid(GOAL_COLUMNS, goals, notes, "expected")


def budget_html(doc: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    budget = doc.get("budget")
    if not budget:
        return ""
    notes = attach(doc, findings).get(("budget", None), {})
    return grid(BUDGET_COLUMNS, [budget], [notes], "annual")


def document_level_html(doc: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    """Findings that belong to no row of the grids (总分, 全部满分, 缺少章节…), for the 原表 view."""
    from checker.publishing.wording import ordered

    att = attach(doc, findings)
    placed = {id(f) for notes in att.values() for fs in notes.values() for f in fs}
    rest = [f for f in ordered(findings) if id(f) not in placed]
    return "".join(finding_html(f) for f in rest)
