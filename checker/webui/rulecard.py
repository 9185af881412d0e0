"""A rule's reference card in the web app (规则说明): title, rationale, basis, a worked suggestion and
its bad and good examples, written as a reviewer reads them."""

from __future__ import annotations

from typing import Any

from checker.core.finding import CATEGORY_LABELS
from checker.webui.grid import FIELD_WORDS, GOAL_COLUMNS, INDICATOR_COLUMNS, grid
from checker.webui.render import badge, esc

TOP_FIELDS = {
    "indicators": "绩效指标表", "goals": "总体目标", "self_score": "自评总分", "self_grade": "自评等级",
    "conclusion": "评价结论", "problems": "存在问题", "measures": "改进措施", "content": "项目概况",
    "unit": "单位名称", "project": "项目名称", "year": "年度", "sections": "报告结构",
}
EXAMPLE_WORDS = {
    "project": "项目名称", "goal": "总体目标", "completion": "完成情况", "context": "项目情况",
    "budget": "项目资金", "forecast": "全年预计完成情况", "layout": "表样", "doc_type": "文档类型",
}


def _get(rule: Any, key: str, default: Any = None) -> Any:
    if isinstance(rule, dict):
        return rule.get(key, default)
    return getattr(rule, key, default)


def rule_html(rule: Any) -> str:
    """One rule's reference card: title, rationale, basis, a worked suggestion, examples."""
    from checker.publishing.wording import basis_words

    sev = _get(rule, "severity", "info") or "info"
    html = [f"<h4>{esc(_get(rule, 'code'))} {esc(_get(rule, 'title'))}</h4>",
            f'<p>{badge(sev)}<span class="jx-muted">{esc(CATEGORY_LABELS.get(_get(rule, "category"), ""))}</span></p>']
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
            grids.append(grid(cols, [i if isinstance(i, dict) else {"name": i} for i in v], [{}] * len(v), "", with_notes=False))
        elif k == "goals" and isinstance(v, list):
            rows = [g if isinstance(g, dict) else {"expected": g} for g in v]
            grids.append(grid(GOAL_COLUMNS, rows, [{}] * len(rows), "", with_notes=False))
        elif isinstance(v, dict):
            inner = "，".join(f"{FIELD_WORDS.get(a, a)} {esc(b)}" for a, b in v.items() if b is not None and not isinstance(b, list | dict))
            parts.append(f"{esc(word)}：{inner}")
        elif isinstance(v, list):
            items = ["：".join(str(b) for b in i.values() if b not in (None, "")) if isinstance(i, dict) else str(i) for i in v]
            parts.append(f"{esc(word)}：{esc('；'.join(items))}")
        else:
            parts.append(f"{esc(word)}：{esc(v)}")
    return "；".join(parts) + "".join(grids)
