"""Draft one 整改通知 (.docx) per unit from a batch output folder."""

from __future__ import annotations

import re
from pathlib import Path

from checker.core.finding import SEVERITY_LABELS
from checker.publishing import docxstyle as ds
from checker.publishing.batchdata import BatchData, unit_name
from checker.publishing.wording import doc_label, location_words, ordered


def safe_file_name(name: str) -> str:
    """A file name safe on Windows and Linux (units' names may hold slashes or colons)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._") or "未识别单位"


def units_with_problems(batch: BatchData) -> list[str]:
    """Units with at least one 错误 or 警告: only these get a 整改通知 (提示 alone needs no rectification)."""
    return [u for u in batch.units() if any(batch.findings_of(d) for d in batch.readable if unit_name(d) == u)]


def render_notice(batch: BatchData, unit: str) -> bytes:
    docs = [d for d in batch.reviewed if unit_name(d) == unit]
    doc = ds.new_document()
    ds.title(doc, "绩效自评复核问题整改通知")
    ds.centered(doc, "×财绩〔　　〕　号")
    ds.para(doc, f"{unit}：", indent=False)
    problems = sum(len(batch.findings_of(d)) for d in docs)
    hints = sum(len(batch.findings_of(d, "info")) for d in docs) - problems
    hint_txt = f"，另有需要关注的提示{hints}处" if hints else ""
    ds.para(
        doc,
        f"我局对你单位报送的{len(docs)}份绩效自评材料进行了抽查复核，共发现需要整改的问题{problems}处{hint_txt}，具体如下。"
        "请对照逐项整改，于____年__月__日前将整改情况及修改后的材料报送我局。",
    )
    for n_heading, d in enumerate(docs, 1):
        findings = ordered(batch.findings_of(d, "info"))
        score = d.get("score")
        score_txt = f"，复核得分{score:.2f}分（{d.get('grade')}）" if isinstance(score, int | float) else ""
        ds.heading(doc, f"{_cn(n_heading)}、{doc_label(d, with_unit=False)}{score_txt}")
        if not findings:
            ds.para(doc, "未发现需要整改的问题。")
            continue
        rows = [
            [str(i), SEVERITY_LABELS[f["severity"]], location_words(f.get("location")), f["message"], f.get("evidence") or "", (f.get("suggestion") or "") + (f"\n修改稿：{f['rewrite']}" if f.get("rewrite") else "")]
            for i, f in enumerate(findings, 1)
        ]
        ds.table(doc, ["序号", "级别", "位置", "问题", "原文", "整改要求"], rows, widths_mm=[10, 12, 28, 38, 30, 38], size=9)
    ds.signature(doc, ["××××财政局", "____年__月__日"])
    return ds.to_bytes(doc)


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def write_notices(batch: BatchData, out_dir: str | Path) -> list[Path]:
    """Write one notice per unit with problems into out_dir; returns the written paths in unit order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for unit in units_with_problems(batch):
        path = out / f"整改通知_{safe_file_name(unit)}.docx"
        tmp = path.with_suffix(".docx.tmp")
        tmp.write_bytes(render_notice(batch, unit))
        tmp.replace(path)
        written.append(path)
    return written
