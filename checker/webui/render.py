"""HTML for the web app: key figures, findings grouped by problem type, a quick check's verdict.
The document's own tables are checker/webui/grid.py, a rule's reference card rulecard.py.

Plain HTML (not a canvas data grid) so the reviewer can copy text and tests can read it.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from checker.core.finding import CATEGORY_LABELS, SEVERITY_LABELS, SEVERITY_RANK

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


def badge(sev: str) -> str:
    return f'<span class="jx-badge jx-b-{esc(sev)}">{esc(SEVERITY_LABELS.get(sev, sev))}</span>'


def worst(fs: list[dict]) -> str:
    return max((f.get("severity", "info") for f in fs), key=lambda s: SEVERITY_RANK.get(s, 0))


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
    mark = f' jx-{worst(on_self)}" title="{esc("；".join(f.get("message", "") for f in on_self))}' if on_self else ""
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
        f"<p>{badge(sev)}<b>{esc(f.get('code'))} {esc(title)}</b>"
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


def split_indicator(name: str | None, target: str | None) -> tuple[str | None, str | None]:
    """“名称：指标值” typed in one box is split as `jxcheck snippet` does."""
    name, target = (name or "").strip(), (target or "").strip()
    for one, other in ((name, target), (target, name)):
        if one and not other:
            parts = re.split(r"[：:]", one, maxsplit=1)
            if len(parts) == 2 and parts[0].strip() and parts[1].strip():
                return parts[0].strip(), parts[1].strip()
    return name, target


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
