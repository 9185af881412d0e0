"""The files a reviewer opens: the 问题清单 in Excel, layout of the workbooks, the Word
drafts' last page, and the app's 问题清单 downloads. Files are read back with openpyxl and
python-docx (and LibreOffice for page layout)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import needs_soffice

ROOT = Path(__file__).resolve().parent.parent
JX = [sys.executable, "-m", "checker"]
HEADER = ["单位", "材料", "项目", "严重程度", "规则", "问题", "原文", "位置", "修改建议", "依据"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory, samples_dir) -> Path:
    out = tmp_path_factory.mktemp("outputs") / "batch"
    files = sorted(p for p in samples_dir.iterdir() if p.suffix in (".docx", ".xlsx", ".pdf"))
    proc = subprocess.run([*JX, "batch", *map(str, files), "--out", str(out), "--jobs", "2", "--quiet"], capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    return out


def _docs(batch: Path) -> list[dict]:
    return [json.loads(line) for line in (batch / "documents.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def test_summary_has_a_problem_list_one_row_per_finding(batch):
    from checker.core.finding import SEVERITY_LABELS
    from checker.publishing.wording import location_words

    wb = openpyxl.load_workbook(batch / "summary.xlsx")
    ws = wb["问题清单"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert list(rows[0]) == HEADER
    body = [r for r in rows[1:] if any(r)]
    docs = _docs(batch)
    findings = [(d, f) for d in docs for f in d["findings"]]
    assert len(body) == len(findings) > 0
    # errors first within each document, positions in words, no field paths
    by_doc: dict = {}
    for r in body:
        by_doc.setdefault((r[0], r[2]), []).append(r)
    rank = {v: k for k, v in enumerate(SEVERITY_LABELS.values())}
    for rs in by_doc.values():
        sev = [rank[r[3]] for r in rs]
        assert sev == sorted(sev)
    d, f = next((d, f) for d, f in findings if f["location"].get("field", "").startswith("indicators["))
    row = next(r for r in body if r[5] == f["message"])
    assert row[0] == d["unit"] and row[2] == d["project"] and row[4].startswith(f["code"])
    assert row[7] == location_words(f["location"]) and "indicators[" not in row[7]
    assert row[8] == f["suggestion"] and row[6] == f["evidence"]


def test_workbook_columns_align_one_way_and_wrapped_rows_are_tall_enough(batch):
    from checker.publishing.sheets import text_width
    from checker.publishing.workbook import FINDING_LIST_WIDTHS

    wb = openpyxl.load_workbook(batch / "summary.xlsx")
    for ws in wb.worksheets:
        header_row = 2
        for col in ws.iter_cols(min_row=header_row + 1, max_row=ws.max_row):
            aligns = {c.alignment.horizontal for c in col if c.value not in (None, "")}
            assert len(aligns) <= 1, (ws.title, col[0].column_letter, aligns)
    ws = wb["问题清单"]
    for row in ws.iter_rows(min_row=3):
        if not row[0].value:
            continue
        need = max(
            (-(-int(text_width(str(c.value))) // int(w - 1.5)) for c, w in zip(row, FINDING_LIST_WIDTHS, strict=False) if c.value),
            default=1,
        )
        assert ws.row_dimensions[row[0].row].height >= 15 * need, (row[0].row, need)
    units = openpyxl.load_workbook(batch / "units.xlsx").active
    names = [c for c in units["B"][2:] if c.value]
    assert {c.alignment.horizontal for c in names} == {"left"}  # unit names all one way, short or long


def _pdf_pages(docx_path: Path, tmp: Path) -> list[str]:
    import pypdfium2 as pdfium

    profile = tmp / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(docx_path)],
                   capture_output=True, timeout=240, check=False)
    pdf = pdfium.PdfDocument(str(tmp / (docx_path.stem + ".pdf")))
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


@needs_soffice
@pytest.mark.libreoffice
@pytest.mark.parametrize("rows", [5, 9, 13, 17])
def test_opinion_never_ends_on_a_signature_only_page(tmp_path, rows):
    """Whatever the number of findings, the last page holds more than the 复核人 line."""
    from checker.publishing.opinion import render_opinion

    f = {"code": "IN01", "category": "vague_indicator", "severity": "warning", "title": "指标值不可衡量",
         "message": "指标“群众满意度”的指标值“明显提升”含“明显”，没有数字、日期或可核验的标准，无法衡量",
         "evidence": "明显提升", "suggestion": "将“明显提升”改为可量化的指标值，例如“受益群众满意度≥90%”", "location": {"table": 1, "row": 5},
         "basis": "财预〔2021〕101号", "source": "rule", "confidence": 0.9}
    doc = {"path": "a.docx", "status": "ok", "doc_type": "self_eval_table", "doc_type_label": "项目支出绩效自评表", "unit": "某局",
           "project": "某项目", "year": 2023, "score": 80.0, "grade": "良", "self_score": 95.0, "recomputed_self_score": 90.0,
           "score_breakdown": [], "findings": [f] * rows}
    path = tmp_path / "opinion.docx"
    path.write_bytes(render_opinion(doc))
    pages = _pdf_pages(path, tmp_path)
    last = pages[-1].replace("— ", "").strip()
    assert "复核人" in last
    assert len(pages) == 1 or "明显" in last, f"{len(pages)} 页，最后一页只有签名：{last[:80]}"


def _sheet_rows(data: bytes) -> list[tuple]:
    ws = openpyxl.load_workbook(io.BytesIO(data))["问题清单"]
    return [r for r in ws.iter_rows(min_row=3, values_only=True) if any(r)]


def test_app_offers_the_problem_list_in_both_views(samples_dir, media):
    from streamlit.testing.v1 import AppTest

    from checker.publishing.wording import ordered

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300).run()
    at.selectbox(key="sample").set_value("全部样例").run()
    assert not at.exception
    payload = json.loads(media(next(b for b in at.get("download_button") if b.proto.label.startswith("下载检查结果"))))
    docs = payload["documents"]
    button = next(b for b in at.get("download_button") if b.proto.label == "下载问题清单（Excel）" and b.key == "findings_xlsx")
    rows = _sheet_rows(media(button))
    assert len(rows) == sum(len(d["findings"]) for d in docs) > 0
    n = next(i for i, d in enumerate(docs) if d["findings"])
    at.selectbox(key="doc_pick").set_value(n).run()
    single = [b for b in at.get("download_button") if b.proto.label == "下载问题清单（Excel）" and b.key != "findings_xlsx"]
    assert single
    rows = _sheet_rows(media(single[0]))
    assert [r[5] for r in rows] == [f["message"] for f in ordered(docs[n]["findings"])]
