"""HTML for the web app: key figures, findings grouped by problem type, and the
document's own tables with flagged cells highlighted and the finding beside them.

Plain HTML (not a canvas data grid) so the reviewer can copy text and tests can read it.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from checker.core.finding import CATEGORIES, CATEGORY_LABELS, SEVERITY_LABELS, SEVERITY_RANK

CSS = """<style>
.jx-facts{display:flex;flex-wrap:wrap;gap:.6rem 1.6rem;margin:.3rem 0 .8rem}
.jx-fact{min-width:7rem;padding:0 .3rem}.jx-fact b{display:block;font-size:.8rem;color:#666;font-weight:normal}
.jx-fact span{font-size:1.15rem}.jx-big{font-size:1.8rem!important;font-weight:bold}
.jx-grid{border-collapse:collapse;width:100%;font-size:.85rem;margin-bottom:.8rem}
.jx-grid th,.jx-grid td{border:1px solid #ccc;padding:.25rem .4rem;vertical-align:top;text-align:left}
.jx-grid th{background:#f3f4f6}
.jx-error{background:#fde2e1;outline:2px solid #d93025}.jx-warning{background:#fff4ce;outline:2px solid #e0a800}
.jx-info{background:#e8f0fe;outline:1px solid #4a7bd0}
.jx-note{font-size:.8rem;color:#333;min-width:16rem}.jx-note div{margin-bottom:.3rem}
.jx-badge{display:inline-block;padding:0 .35rem;border-radius:.3rem;font-size:.75rem;color:#fff;margin-right:.3rem}
.jx-b-error{background:#d93025}.jx-b-warning{background:#b58100}.jx-b-info{background:#4a7bd0}
.jx-finding{border-left:4px solid #ccc;padding:.3rem .6rem;margin:.4rem 0;background:#fafafa}
.jx-finding.error{border-color:#d93025}.jx-finding.warning{border-color:#e0a800}.jx-finding.info{border-color:#4a7bd0}
.jx-finding p{margin:.15rem 0}.jx-ev{color:#8a1c14}.jx-rw{color:#0b5d1e;white-space:pre-wrap}.jx-muted{color:#666;font-size:.85rem}
</style>"""

# Less empty space above the content, so the first finding is on a 1366×768 screen.
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"],.block-container{padding-top:2.2rem!important;padding-bottom:2rem!important}
[data-testid="stFileUploaderDropzone"]{padding:.4rem .8rem!important}
.jx-facts{margin:.1rem 0 .3rem}.jx-cat{font-size:.75rem;color:#555;margin-left:.4rem}
</style>"""

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
TOP_FIELDS = {
    "indicators": "绩效指标表", "goals": "总体目标", "self_score": "自评总分", "self_grade": "自评等级",
    "conclusion": "评价结论", "problems": "存在问题", "measures": "改进措施", "content": "项目概况",
    "unit": "单位名称", "project": "项目名称", "year": "年度", "sections": "报告结构",
}
SNIPPET_FIELDS = {"indicator": "本条指标", "goal": "总体目标", "completion": "完成情况"}
EXAMPLE_WORDS = {
    "project": "项目名称", "goal": "总体目标", "completion": "完成情况", "context": "项目情况",
    "budget": "项目资金", "forecast": "全年预计完成情况", "layout": "表样", "doc_type": "文档类型",
}
FIELD_WORDS = dict(INDICATOR_COLUMNS) | dict(GOAL_COLUMNS) | dict(BUDGET_COLUMNS)
_FIELD_RE = re.compile(r"^(?P<list>[a-z_]+)(?:\[(?P<n>\d+)\])?(?:\.(?P<attr>[a-z_]+))?")


def esc(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        value = f"{value:g}"
    return escape(str(value)).replace("\n", "<br>")


def parse_field(field: str | None) -> tuple[str | None, int | None, str | None]:
    """`indicators[3].target` → ("indicators", 3, "target"); 1-based index as written."""
    m = _FIELD_RE.match(field or "")
    if not m:
        return None, None, None
    n = m.group("n")
    return m.group("list"), int(n) if n else None, m.group("attr")


def fmt_score(value: Any) -> str:
    return "—" if value is None else f"{float(value):.2f}"


def location_text(loc: dict[str, Any] | None) -> str:
    """Chinese description: 第2页 表1 第5行 第3条指标的年度指标值 (checker.publishing.wording)."""
    from checker.publishing.wording import location_words

    return location_words(loc)


def filter_findings(findings: list[dict], severities=None, categories=None, min_confidence: float = 0.0) -> list[dict]:
    """Empty `severities`/`categories` mean all; `min_confidence` applies to the model's own
    findings only (rule findings carry a confidence too, but are never hidden by it)."""
    return [
        f for f in findings
        if (not severities or f.get("severity") in severities)
        and (not categories or f.get("category") in categories)
        and (f.get("source") != "model" or float(f.get("confidence", 1.0)) >= min_confidence)
    ]


def _badge(sev: str) -> str:
    return f'<span class="jx-badge jx-b-{esc(sev)}">{esc(SEVERITY_LABELS.get(sev, sev))}</span>'


def facts_html(doc: dict[str, Any]) -> str:
    """Type, unit, project, year, review score and grade, self-score beside the recomputed one."""
    facts = [
        ("文档类型", doc.get("doc_type_label") or "未识别"),
        ("单位", doc.get("unit") or "未识别"),
        ("项目", doc.get("project") or "—"),
        ("年度", doc.get("year") or "—"),
    ]
    html = ['<div class="jx-facts">']
    html += [f'<div class="jx-fact"><b>{k}</b><span>{esc(v)}</span></div>' for k, v in facts]
    if doc.get("read_by") == "ocr":  # scanned pages: the reviewer should check figures against the original
        html.append('<div class="jx-fact" title="此文件为扫描件或图片，内容由文字识别（OCR）读出，数字和文字可能有识别误差">'
                    '<b>读取方式</b><span><span class="jx-badge jx-b-warning">扫描件·文字识别</span></span></div>')
    html.append("</div><div class=\"jx-facts\">")
    score = fmt_score(doc.get("score")) + (f"（{doc['grade']}）" if doc.get("grade") else "")
    html.append(f'<div class="jx-fact jx-score"><b>复核得分</b><span class="jx-big">{esc(score)}</span></div>')
    on_self = [f for f in doc.get("findings", []) if (f.get("location") or {}).get("field") in ("self_score", "self_grade")]
    mark = f' jx-{_worst(on_self)}" title="{esc("；".join(f.get("message", "") for f in on_self))}' if on_self else ""
    html.append(f'<div class="jx-fact{mark}"><b>单位自评得分</b><span>{fmt_score(doc.get("self_score"))}</span></div>')
    html.append(f'<div class="jx-fact"><b>按自评数据重算得分</b><span>{fmt_score(doc.get("recomputed_self_score"))}</span></div>')
    counts = {s: sum(1 for f in doc.get("findings", []) if f.get("severity") == s) for s in SEVERITY_LABELS}
    found = "，".join(f"{SEVERITY_LABELS[s]} {c}" for s, c in counts.items()) or "无"
    html.append(f'<div class="jx-fact"><b>发现问题</b><span>{len(doc.get("findings", []))} 条（{found}）</span></div>')
    html.append("</div>")
    return "".join(html)


BREAKDOWN_COLUMNS = (("label", "问题类型"), ("findings", "问题数"), ("raw", "按条累计扣分"), ("cap", "本类扣分上限"), ("deducted", "实际扣分"))


def breakdown_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """What cost points, one row per problem type, Chinese columns only (the rubric's own
    keys such as raw/cap are never shown)."""
    rows = []
    for item in doc.get("score_breakdown") or []:
        if not isinstance(item, dict):
            continue
        item = {**item, "label": item.get("label") or CATEGORY_LABELS.get(item.get("category"), "其他")}
        rows.append({word: item.get(k) for k, word in BREAKDOWN_COLUMNS if k in item})
    return rows


def finding_html(f: dict[str, Any]) -> str:
    from checker.publishing.wording import basis_words

    sev = f.get("severity", "info")
    title = f.get("title") or f.get("message") or ""
    parts = [
        f'<div class="jx-finding {esc(sev)}">',
        f"<p>{_badge(sev)}<b>{esc(f.get('code'))} {esc(title)}</b>"
        f'<span class="jx-cat">{esc(CATEGORY_LABELS.get(f.get("category"), ""))}</span></p>',
    ]
    if f.get("message") and f.get("message") != title:
        parts.append(f"<p>{esc(f['message'])}</p>")
    if f.get("evidence"):
        parts.append(f'<p>原文：<span class="jx-ev">“{esc(f["evidence"])}”</span></p>')
    parts.append(f'<p class="jx-muted">位置：{esc(location_text(f.get("location")))}'
                 + (f"　来源：模型（置信度 {float(f['confidence']):.2f}）" if f.get("source") == "model" else "") + "</p>")
    if f.get("suggestion"):
        parts.append(f"<p>修改建议：{esc(f['suggestion'])}</p>")
    if f.get("rewrite"):
        parts.append(f'<p>修改稿：<span class="jx-rw">{esc(f["rewrite"])}</span></p>')
    if f.get("basis"):
        parts.append(f'<p class="jx-muted">依据：{esc(basis_words(f["basis"]))}</p>')
    parts.append("</div>")
    return "".join(parts)


def findings_html(findings: list[dict[str, Any]]) -> str:
    """Findings errors first, then warnings and hints, each in document order; the problem
    type is named on every card."""
    from checker.publishing.wording import ordered

    if not findings:
        return '<p class="jx-muted">没有符合筛选条件的问题。</p>'
    return "".join(finding_html(f) for f in ordered(findings))


def doc_title(doc: dict[str, Any]) -> str:
    """单位《项目》材料类型 for a heading; the file name when nothing was read."""
    from checker.publishing.wording import doc_label

    if doc.get("status") != "ok" or not (doc.get("unit") or doc.get("project")):
        return str(doc.get("path", "")).replace("\\", "/").split("/")[-1].split("!")[-1]
    return doc_label(doc)


def doc_choice(doc: dict[str, Any]) -> str:
    """An entry of the 选择文档 list: the document's name, or 无法读取 with the file name."""
    name = str(doc.get("path", "")).replace("\\", "/").split("/")[-1].split("!")[-1]
    if doc.get("status") != "ok":
        return f"无法读取：{name}"
    return f"{doc_title(doc)}（{name}）"


def document_level_html(doc: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    """Findings that belong to no row of the grids (总分, 全部满分, 缺少章节…), for the 原表 view."""
    from checker.publishing.wording import ordered

    att = attach(doc, findings)
    placed = {id(f) for notes in att.values() for fs in notes.values() for f in fs}
    rest = [f for f in ordered(findings) if id(f) not in placed]
    return "".join(finding_html(f) for f in rest)


def split_indicator(name: str | None, target: str | None) -> tuple[str | None, str | None]:
    """“名称：指标值” typed in one box is split as `jxcheck snippet` does."""
    name, target = (name or "").strip(), (target or "").strip()
    for one, other in ((name, target), (target, name)):
        if one and not other:
            parts = re.split(r"[：:]", one, maxsplit=1)
            if len(parts) == 2 and parts[0].strip() and parts[1].strip():
                return parts[0].strip(), parts[1].strip()
    return name, target


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


def _worst(fs: list[dict]) -> str:
    return max((f.get("severity", "info") for f in fs), key=lambda s: SEVERITY_RANK.get(s, 0))


def _grid(headers, rows, notes_by_row, key_of_default, with_notes: bool = True) -> str:
    html = ['<table class="jx-grid"><thead><tr><th>#</th>']
    html += [f"<th>{esc(h)}</th>" for _, h in headers]
    html.append(("<th>发现的问题</th>" if with_notes else "") + "</tr></thead><tbody>")
    for n, (values, notes) in enumerate(zip(rows, notes_by_row, strict=True), 1):
        html.append(f"<tr><td>{n}</td>")
        for key, _ in headers:
            fs = notes.get(key, []) + (notes.get("", []) if key == key_of_default else [])
            cls = f' class="jx-{_worst(fs)}" title="{esc(fs[0].get("message"))}"' if fs else ""
            html.append(f"<td{cls}>{esc(values.get(key))}</td>")
        if not with_notes:
            html.append("</tr>")
            continue
        all_fs = [f for fs in notes.values() for f in fs]
        note = "".join(f"<div>{_badge(f.get('severity', 'info'))}{esc(f.get('code'))} {esc(f.get('message') or f.get('title'))}"
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
    return _grid(INDICATOR_COLUMNS, inds, notes, "name")


def goals_html(doc: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    goals = doc.get("goals") or []
    if not goals:
        return ""
    att = attach(doc, findings)
    notes = [att.get(("goals", n), {}) for n in range(1, len(goals) + 1)]
    return _grid(GOAL_COLUMNS, goals, notes, "expected")


def budget_html(doc: dict[str, Any], findings: list[dict[str, Any]]) -> str:
    budget = doc.get("budget")
    if not budget:
        return ""
    notes = attach(doc, findings).get(("budget", None), {})
    return _grid(BUDGET_COLUMNS, [budget], [notes], "annual")


def snippet_html(answer: dict[str, Any]) -> str:
    """Verdict of a quick check (contract snippet answer)."""
    if answer.get("error"):
        return f'<p><span class="jx-badge jx-b-warning">无法检查</span>{esc(answer["error"].get("message"))}</p>'
    findings = answer.get("findings") or []
    prob = answer.get("probability")
    from checker.publishing.text import probability_words

    prob_text = f"（{probability_words(answer)} {float(prob):.0%}）" if isinstance(prob, int | float) else ""
    if answer.get("flagged"):
        head = f'<p><span class="jx-badge jx-b-error">有问题</span><b>{esc(CATEGORY_LABELS.get(answer.get("category"), ""))}</b>{esc(prob_text)}</p>'
    elif findings:
        head = f'<p><span class="jx-badge jx-b-info">基本可用</span>另有 {len(findings)} 条提示{esc(prob_text)}</p>'
    else:
        head = f'<p><span class="jx-badge jx-b-info">未发现问题</span>{esc(prob_text)}</p>'
    return head + "".join(finding_html(f) for f in findings)


def _get(rule: Any, key: str, default: Any = None) -> Any:
    if isinstance(rule, dict):
        return rule.get(key, default)
    return getattr(rule, key, default)


def rule_html(rule: Any) -> str:
    """One rule's reference card: title, rationale, basis, a worked suggestion, examples."""
    from checker.publishing.wording import basis_words

    sev = _get(rule, "severity", "info") or "info"
    html = [f"<h4>{esc(_get(rule, 'code'))} {esc(_get(rule, 'title'))}</h4>",
            f'<p>{_badge(sev)}<span class="jx-muted">{esc(CATEGORY_LABELS.get(_get(rule, "category"), ""))}</span></p>']
    if _get(rule, "rationale"):
        html.append(f"<p>{esc(_get(rule, 'rationale'))}</p>")
    basis = _get(rule, "basis") or _get(rule, "references")
    if basis:
        basis = "；".join(map(str, basis)) if isinstance(basis, list) else basis
        html.append(f'<p class="jx-muted">依据：{esc(basis_words(basis))}</p>')
    suggestion = rule_suggestion(rule)
    if suggestion:
        html.append(f"<p>修改建议：{esc(suggestion)}</p>")
    examples = _get(rule, "examples") or {}
    for key, word in (("bad", "✗ 不规范示例"), ("good", "✓ 规范示例")):
        items = examples.get(key) if isinstance(examples, dict) else _get(examples, key)
        if items:
            html.append(f"<p><b>{word}</b></p><ul>" + "".join(f"<li>{_example_html(x)}</li>" for x in items) + "</ul>")
    return "".join(html)


# Words for a placeholder the rule page cannot fill from an example.
PLACEHOLDER_WORDS = {
    "name": "该指标", "target": "原指标值", "actual": "实际完成值", "year": "评价年度", "part": "相应部分", "missing": "缺少的指标",
    "floor": "合理下限", "threshold": "阈值", "expected": "应有值", "weight": "分值", "place": "其他地名", "own": "本地地名",
    "doc_type": "报告", "target_unit": "指标值的单位", "evidence": "原文",
}


def rule_suggestion(rule: Any) -> str:
    """The rule's suggestion as a reviewer reads it: worked on the first bad example when
    the rule checks one item, otherwise with its placeholders put into words."""
    from string import Formatter

    template = _get(rule, "suggestion") or ""
    if "{" not in template:
        return template
    scope = _get(rule, "scope")
    bad = ((_get(rule, "examples") or {}).get("bad") or []) if isinstance(_get(rule, "examples"), dict) else []
    if scope in ("indicator", "goal", "completion") and bad:
        try:
            from checker.judging.engine import check_snippet

            ex = bad[0]
            req = {"id": "rule", "kind": scope, **(ex if isinstance(ex, dict) else {"goal" if scope == "goal" else "completion": ex})}
            if scope == "indicator":
                req.setdefault("name", "指标")
                req.setdefault("target", "")
            for f in check_snippet(req, models=False).get("findings") or []:
                if f.get("code") == _get(rule, "code") and f.get("suggestion"):
                    return f["suggestion"]
        except Exception:  # the reference page must show even if one example cannot run
            pass
    from checker.judging.library import example

    out = []
    for text, field, _spec, _conv in Formatter().parse(template):
        out.append(text)
        if field is not None:
            key = field.split(".")[0].split("[")[0]
            if key.startswith("example"):
                out.append(example(key.removeprefix("example_") if key != "example" else "quantity", None))
            else:
                out.append(PLACEHOLDER_WORDS.get(key, "相应内容"))
    return "".join(out)


def _example_html(x: Any) -> str:
    """A rule example: a text, a snippet request, or a small document written as data."""
    if not isinstance(x, dict):
        return esc(x)
    from checker.core.document import DOC_TYPE_LABELS

    if isinstance(x.get("documents"), list):  # a cross-document example (copied text): one line per document
        return "<br>".join(f"材料{n}：{_example_html(d)}" for n, d in enumerate(x["documents"], 1) if isinstance(d, dict))
    parts, grids = [], []
    for k, v in x.items():
        if k in ("id", "kind", "status", "layout", "sha256", "path") or v in (None, "", [], {}):
            continue  # the table layout's internal name and bookkeeping fields say nothing to a reviewer
        if k == "doc_type":
            v = DOC_TYPE_LABELS.get(str(v), "材料")
        word = EXAMPLE_WORDS.get(k) or TOP_FIELDS.get(k) or FIELD_WORDS.get(k)
        if word is None:
            from checker.publishing.wording import ATTR_WORDS

            word = ATTR_WORDS.get(k, "其他")
        if k == "indicators" and isinstance(v, list):
            cols = [c for c in INDICATOR_COLUMNS if any(isinstance(i, dict) and i.get(c[0]) is not None for i in v)]
            grids.append(_grid(cols, [i if isinstance(i, dict) else {"name": i} for i in v], [{}] * len(v), "", with_notes=False))
        elif k == "goals" and isinstance(v, list):
            rows = [g if isinstance(g, dict) else {"expected": g} for g in v]
            grids.append(_grid(GOAL_COLUMNS, rows, [{}] * len(rows), "", with_notes=False))
        elif isinstance(v, dict):
            inner = "，".join(f"{FIELD_WORDS.get(a, a)} {esc(b)}" for a, b in v.items() if b is not None and not isinstance(b, list | dict))
            parts.append(f"{esc(word)}：{inner}")
        elif isinstance(v, list):
            items = ["：".join(str(b) for b in i.values() if b not in (None, "")) if isinstance(i, dict) else str(i) for i in v]
            parts.append(f"{esc(word)}：{esc('；'.join(items))}")
        else:
            parts.append(f"{esc(word)}：{esc(v)}")
    return "；".join(parts) + "".join(grids)
