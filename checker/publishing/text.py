"""Readable Chinese output for a person at a terminal (`jxcheck check`, `jxcheck snippet`).

Two shapes, as linters have: the full report (document facts, then each finding with its
position in words, the quoted text and the fix) and `concise`, one line per finding that
an editor or grep can use. Both end with 共 N 个问题：错误 a，警告 b，提示 c. Colours are
ANSI and only used when asked (the command decides from the terminal and NO_COLOR).
"""

from __future__ import annotations

from typing import Any

from checker.core.finding import SEVERITY_LABELS
from checker.publishing.wording import basis_words, doc_label, location_words, ordered, severity_counts_line

COLOURS = {"error": "31;1", "warning": "33;1", "info": "36", "dim": "2", "bold": "1"}


class Paint:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, text: str, style: str) -> str:
        if not self.on or style not in COLOURS:
            return text
        return f"\033[{COLOURS[style]}m{text}\033[0m"

    def sev(self, severity: str) -> str:
        return self(SEVERITY_LABELS.get(severity, severity), severity)


def _fmt(x) -> str:
    return "—" if x is None else (f"{x:.2f}" if isinstance(x, float) else str(x))


def _as_dict(r: Any) -> dict:
    return r.to_dict() if hasattr(r, "to_dict") else r


def finding_lines(f: dict, paint: Paint, indent: str = "  ") -> list[str]:
    head = f"{indent}{paint.sev(f.get('severity', 'info'))} {f.get('code', '')} {f.get('title') or ''}".rstrip()
    lines = [head, f"{indent}    位置：{location_words(f.get('location'), empty='全文')}", f"{indent}    问题：{f.get('message', '')}"]
    if f.get("evidence"):
        lines.append(f"{indent}    原文：“{f['evidence']}”")
    if f.get("suggestion"):
        lines.append(f"{indent}    建议：{f['suggestion']}")
    if f.get("rewrite"):
        lines.append(f"{indent}    修改稿：{f['rewrite']}".replace("\n", "\n" + indent + "            "))
    if f.get("basis"):
        lines.append(paint(f"{indent}    依据：{basis_words(f['basis'])}", "dim"))
    return lines


def render_one(r: Any, paint: Paint | None = None) -> str:
    paint = paint or Paint(False)
    d = _as_dict(r)
    if d.get("status") != "ok":
        err = d.get("error") or {}
        return "\n".join([paint(f"■ {d.get('path')}", "bold"), f"  {paint('无法读取', 'error')}（{err.get('code')}）：{err.get('message')}"])
    lines = [paint(f"■ {doc_label(d) if d.get('unit') or d.get('project') else d.get('doc_type_label') or '材料'}", "bold") + f"（{d['path']}）"]
    lines.append(f"  单位：{d.get('unit') or '未识别'}　项目：{d.get('project') or '—'}　年度：{d.get('year') or '—'}")
    lines.append(
        f"  复核得分：{_fmt(d.get('score'))}（{d.get('grade') or '—'}）　单位自评：{_fmt(d.get('self_score'))}"
        f"　按自评数据重算：{_fmt(d.get('recomputed_self_score'))}"
    )
    b = d.get("budget")
    if b:
        lines.append(
            f"  项目资金：年初 {_fmt(b.get('initial'))} 万元，全年 {_fmt(b.get('annual'))} 万元，"
            f"执行 {_fmt(b.get('executed'))} 万元，执行率 {_fmt(b.get('execution_rate'))}%"
        )
    lines.append(f"  目标 {len(d.get('goals') or [])} 条，绩效指标 {len(d.get('indicators') or [])} 个")
    for n in d.get("notices") or []:
        lines.append(f"  说明：{n}")
    findings = ordered(d.get("findings") or [])
    for f in findings:
        lines.extend(finding_lines(f, paint))
    lines.append("  " + severity_counts_line(findings))
    return "\n".join(lines)


def concise_lines(r: Any, paint: Paint | None = None) -> list[str]:
    """path:位置: 级别 代码 问题 — one line per finding (or per unreadable file)."""
    paint = paint or Paint(False)
    d = _as_dict(r)
    if d.get("status") != "ok":
        err = d.get("error") or {}
        return [f"{d.get('path')}: {paint('无法读取', 'error')} {err.get('code')} {err.get('message')}"]
    return [
        f"{d['path']}:{location_words(f.get('location'), empty='全文')}: {paint.sev(f.get('severity', 'info'))} {f.get('code')} {f.get('message')}"
        for f in ordered(d.get("findings") or [])
    ]


def closing_line(results: list[Any]) -> str:
    docs = [_as_dict(r) for r in results]
    findings = [f for d in docs for f in d.get("findings") or []]
    bad = sum(1 for d in docs if d.get("status") != "ok")
    files = f"{len(docs)} 个文件" + (f"（{bad} 个无法读取）" if bad else "")
    return f"{files}，{severity_counts_line(findings)}"


def render(results: list[Any], color: bool = False, concise: bool = False) -> str:
    paint = Paint(color)
    if concise:
        lines = [line for r in results for line in concise_lines(r, paint)]
        return "\n".join(lines + [closing_line(results)])
    return "\n\n".join([render_one(r, paint) for r in results] + [closing_line(results)])


def render_snippet(answer: dict, color: bool = False) -> str:
    """A quick-check answer for a person: verdict, then each finding."""
    from checker.core.finding import CATEGORY_LABELS

    paint = Paint(color)
    if answer.get("error"):
        return f"{paint('无法检查', 'error')}：{answer['error'].get('message')}"
    findings = ordered(answer.get("findings") or [])
    cat = CATEGORY_LABELS.get(answer.get("category"), "")
    if answer.get("flagged"):
        head = f"{paint('有问题', 'error')}：{cat}"
    elif findings:
        head = f"{paint('基本可用', 'info')}：另有 {len(findings)} 条提示"
    else:
        head = paint("未发现问题", "info")
    prob = answer.get("probability")
    if isinstance(prob, int | float):
        head += f"（{probability_words(answer)} {float(prob):.0%}）"
    lines = [head]
    for f in findings:
        lines.extend(finding_lines(f, paint, indent=""))
    lines.append(severity_counts_line(findings))
    return "\n".join(lines)


def probability_words(answer: dict) -> str:
    """Who decided: a rule's verdict, or the model's estimate alone."""
    cat = answer.get("category")
    by_rule = any(f.get("source") == "rule" and f.get("category") == cat and f.get("severity") in ("error", "warning")
                  for f in answer.get("findings") or [])
    return "规则判定，可能性" if by_rule else "模型估计存在该问题的可能性"
