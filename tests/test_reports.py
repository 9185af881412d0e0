"""The drafted 抽查复核报告, 整改通知 and 复核意见, checked against a real batch over samples/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as read_docx

from tests.conftest import SAMPLES, needs_soffice

JX = [sys.executable, "-m", "checker"]


def _docx_text(path: Path) -> str:
    d = read_docx(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory) -> Path:
    if not any(SAMPLES.glob("*.docx")):
        pytest.skip("samples/ 中没有样例文件")
    out = tmp_path_factory.mktemp("batch")
    proc = subprocess.run([*JX, "batch", str(SAMPLES), "--out", str(out), "--jobs", "2"], capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1, 3), proc.stderr
    assert (out / "documents.jsonl").is_file()
    return out


@pytest.fixture(scope="module")
def report_file(batch_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "复核报告.docx"
    proc = subprocess.run([*JX, "report", str(batch_dir), "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return out


def test_report_unit_table_matches_batch_scores(batch_dir, report_file):
    from checker.publishing.batchdata import load_batch
    from checker.scoring.units import unit_table

    batch = load_batch(batch_dir)
    expected = unit_table(batch.unit_rows())
    assert expected, "batch produced no scored documents"
    d = read_docx(str(report_file))
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "序号")
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(body) == len(expected)
    for got, want in zip(body, expected, strict=True):
        assert got[1] == want["单位名称"]
        for col, cell in zip(["自评表", "项目绩效报告", "整体绩效报告", "监控表", "平均分"], got[2:], strict=True):
            w = want[col]
            assert cell == (w if isinstance(w, str) else f"{w:.2f}"), (want["单位名称"], col)


def test_report_counts_and_quotes_come_from_the_findings(batch_dir, report_file):
    from checker.publishing.batchdata import PROBLEM_TITLES, load_batch
    from checker.publishing.review_report import problem_stats

    batch = load_batch(batch_dir)
    text = _docx_text(report_file)
    stats = problem_stats(batch)
    assert stats, "samples carry planted problems, so the report must list some"
    for s in stats:
        assert PROBLEM_TITLES[s.category] in text
        assert f"{s.units}个单位的{s.documents}份材料存在此类问题，共{s.findings}处" in text
        # the counts are those of the findings file, recomputed independently here
        docs = {f["path"] for fs in batch.findings.values() for f in fs if f["category"] == s.category and f["severity"] != "info"}
        assert s.documents == len(docs)
        for ex in s.examples:
            # named as 单位《项目》材料类型, the message quoting the item itself
            assert f"如{ex['document']}中，{ex['message'].rstrip('。')}" in text.replace("\n", " ")
            assert ex["document"].startswith(ex["unit"])
    assert f"选取{len(batch.units())}个预算单位报送的{len(batch.readable)}份材料" in text
    clean = [u for u in batch.units() if not any(batch.findings_of(d) for d in batch.readable if (d.get("unit") or "未识别单位") == u)]
    assert clean and f"{'、'.join(clean[:6])}" in text and "不再下发整改通知" in text
    assert "〔　　〕" in text and "____年__月__日" in text  # placeholders left for the reviewer


def test_notices_one_per_unit_with_each_finding(batch_dir, tmp_path):
    from checker.publishing.batchdata import load_batch
    from checker.publishing.notices import safe_file_name

    out = tmp_path / "notices"
    proc = subprocess.run([*JX, "notices", str(batch_dir), "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    batch = load_batch(batch_dir)
    files = sorted(out.glob("*.docx"))
    with_problems = [u for u in batch.units() if any(batch.findings_of(d) for d in batch.readable if (d.get("unit") or "未识别单位") == u)]
    assert 0 < len(files) == len(with_problems) < len(batch.units())  # no notice for a unit without problems
    assert f"{len(batch.units()) - len(with_problems)} 个单位未发现需要整改的问题" in proc.stderr
    for unit in with_problems:
        path = out / f"整改通知_{safe_file_name(unit)}.docx"
        text = _docx_text(path)
        assert unit in text
        for d in batch.readable:
            if (d.get("unit") or "未识别单位") != unit:
                continue
            for f in batch.findings_of(d, "info"):
                assert f["message"] in text
                assert (f.get("suggestion") or "") in text


def test_opinion_lists_findings_of_one_document(batch_dir):
    from checker.publishing.opinion import render_opinion

    rows = [json.loads(line) for line in (batch_dir / "documents.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    doc = next(r for r in rows if r["status"] == "ok" and r["findings"])
    data = render_opinion(doc)
    path = batch_dir / "opinion.docx"
    path.write_bytes(data)
    text = _docx_text(path)
    assert f"{doc['score']:.2f}" in text
    for f in doc["findings"]:
        assert f["message"] in text


def test_report_on_a_folder_that_is_not_a_batch_is_a_clear_error(tmp_path):
    proc = subprocess.run([*JX, "report", str(tmp_path), "--out", str(tmp_path / "r.docx")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "documents.jsonl" in proc.stderr and "Traceback" not in proc.stderr


@needs_soffice
def test_report_renders_to_a_readable_pdf(report_file, tmp_path):
    import pypdfium2 as pdfium

    profile = tmp_path / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(report_file)],
        capture_output=True, timeout=180, check=False,
    )
    pdf = tmp_path / (report_file.stem + ".pdf")
    assert pdf.is_file() and pdf.stat().st_size > 1000
    doc = pdfium.PdfDocument(str(pdf))
    assert len(doc) >= 1
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    compact = "".join(text.split())
    assert "存在的问题" in compact and "整改建议" in compact
