"""A Word 复核意见 for one document: its facts, score breakdown, findings and fixes."""

from __future__ import annotations

from typing import Any

from checker.core.finding import CATEGORY_LABELS, SEVERITY_LABELS
from checker.publishing import docxstyle as ds
from checker.publishing.wording import basis_words, doc_label, location_words, ordered


def _num(v: Any) -> str:
    return "—" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))


def render_opinion(result: Any) -> bytes:
    """Render the 复核意见 of one result (a checker.api.Result or its contract dict)."""
    d = result.to_dict() if hasattr(result, "to_dict") else result
    doc = ds.new_document()
    ds.title(doc, "绩效自评材料复核意见")
    facts = [
        ["材料", doc_label(d)],
        ["文件", str(d.get("path", "")).replace("\\", "/").split("/")[-1]],
        ["材料类型", d.get("doc_type_label") or d.get("doc_type") or "未识别"],
        ["单位", d.get("unit") or "未识别"],
        ["项目", d.get("project") or "—"],
        ["年度", _num(d.get("year"))],
    ]
    if d.get("status") != "ok":
        err = d.get("error") or {}
        facts.append(["读取结果", f"无法读取（{err.get('code')}）：{err.get('message')}"])
        ds.table(doc, ["项目", "内容"], facts, widths_mm=[35, 121])
        return ds.to_bytes(doc)
    facts += [
        ["复核得分", f"{_num(d.get('score'))}（{d.get('grade') or '—'}）"],
        ["单位自评得分", _num(d.get("self_score"))],
        ["按单位数据重算得分", _num(d.get("recomputed_self_score"))],
    ]
    ds.table(doc, ["项目", "内容"], facts, widths_mm=[35, 121])
    breakdown = [b for b in d.get("score_breakdown") or [] if b.get("deducted")]
    if breakdown:
        ds.heading(doc, "一、扣分情况")
        ds.table(
            doc,
            ["问题类型", "问题数", "扣分"],
            [[b.get("label") or CATEGORY_LABELS.get(b.get("category"), b.get("category")), str(b.get("findings", "")), _num(b.get("deducted"))] for b in breakdown],
            widths_mm=[80, 30, 30],
        )
    ds.heading(doc, "二、发现的问题及整改建议" if breakdown else "一、发现的问题及整改建议")
    findings = ordered(d.get("findings") or [])
    if not findings:
        ds.para(doc, f"经复核，{doc_label(d)}未发现需要整改的问题。")
    else:
        rows = [
            [str(n), SEVERITY_LABELS.get(f["severity"], f["severity"]), location_words(f.get("location")), f["message"],
             f.get("evidence") or "", (f.get("suggestion") or "") + (f"\n修改稿：{f['rewrite']}" if f.get("rewrite") else "")
             + (f"（依据：{basis_words(f.get('basis'))}）" if f.get("basis") else "")]
            for n, f in enumerate(findings, 1)
        ]
        ds.table(doc, ["序号", "级别", "位置", "问题", "原文", "整改建议"], rows, widths_mm=[10, 12, 28, 38, 30, 38], size=9)
    ds.signature(doc, ["复核人：________　　　　复核日期：____年__月__日"], align="left")
    return ds.to_bytes(doc)
