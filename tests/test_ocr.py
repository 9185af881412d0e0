"""Scanned submissions: image-only PDFs, page images and mixed PDFs read by OCR.

Scans are made here from the samples (pdftoppm render, tilt, turn, red seal, noise, dust;
image-only PDF with Pillow), and what OCR reads is held against the sample's own truth.
The tests that run the recogniser are marked `ocr` and `slow` and read five pages in all;
the rest (sniffing, grids, seal removal, straightening, confidence policy, no OCR stack)
run without the models.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest

from checker.api import check_bytes, read_document
from checker.core.config import load_config
from checker.core.errors import ReadError
from checker.reading.ocr import available
from checker.reading.parsers.sniff import sniff_format
from tests import scans

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
needs_ocr_stack = pytest.mark.skipif(not available(), reason="OCR 组件（rapidocr/onnxruntime/opencv）未安装")
needs_poppler = pytest.mark.skipif(not scans.have_tools(), reason="需要 pdftoppm（poppler-utils）")


def _sample(sid: str) -> tuple[Path, dict]:
    truth_path = next(SAMPLES.glob(f"{sid}_*.truth.json"))
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    return SAMPLES / truth["file"], truth


@pytest.fixture(scope="module")
def s02_page():
    path, truth = _sample("s02")
    return scans.render(path)[0], truth


# ---- without the recogniser ----------------------------------------------------------------


@needs_poppler
def test_page_images_sniffed_by_content(s02_page):
    page, _ = s02_page
    for fmt, kw, want in (("PNG", {}, "png"), ("JPEG", {"quality": 80}, "jpg"), ("TIFF", {}, "tif"), ("BMP", {}, "bmp")):
        assert sniff_format(scans.encode(page, fmt, **kw)) == want
    assert sniff_format(scans.image_pdf([page])) == "pdf"


def test_broken_image_is_a_coded_error():
    config = load_config()
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    with pytest.raises(ReadError) as info:
        read_document(data, "scan.png", config)
    assert info.value.code == ("corrupt_file" if available() else "needs_ocr")


@needs_poppler
def test_without_ocr_image_only_files_keep_needs_ocr(s02_page):
    page, _ = s02_page
    config = load_config()
    config.data["ocr"]["enabled"] = False
    for data, name in ((scans.image_pdf([page]), "scan.pdf"), (scans.encode(page), "scan.png")):
        result = check_bytes(data, name, config)
        assert result.status == "error" and result.error.code == "needs_ocr", name
        assert "识别" in result.error.message


@needs_ocr_stack
@needs_poppler
def test_ruling_lines_give_grid_with_merged_cells(s02_page):
    from checker.reading.ocr import engine
    from checker.reading.ocr.image import remove_seal
    from checker.reading.ocr.table import find_tables

    page, _ = s02_page
    grey, _ = remove_seal(np.asarray(page)[..., ::-1].copy())
    # detected text lines keep character strokes from passing for vertical rules
    tables, _ = find_tables(grey, engine.detect(load_config(), grey))
    assert len(tables) == 1
    t = tables[0]
    assert len(t.xs) - 1 == 8  # 一级指标 … 偏差原因分析及改进措施
    assert len(t.ys) - 1 == 19
    owner = t.owner
    # 项目资金（万元） spans the header row and the four money rows of column 1
    assert len({owner[r][0] for r in range(2, 7)}) == 1
    # 项目名称's value spans columns 2-8; 总分 spans columns 1-5
    assert len(set(owner[0][1:])) == 1 and owner[0][0] != owner[0][1]
    assert len(set(owner[18][:5])) == 1 and len(set(owner[18][5:])) == 3
    # the indicator rows are not merged across columns
    assert len(set(owner[10])) == 8


@needs_ocr_stack
@needs_poppler
def test_red_seal_removed_by_colour_keeps_text_under_it(s02_page):
    from checker.reading.ocr.image import binarise, red_mask, remove_seal

    page, _ = s02_page
    centre = scans.seal_spot(page)
    stamped = np.asarray(scans.red_seal(page, centre))[..., ::-1].copy()
    clean = np.asarray(page)[..., ::-1].copy()
    assert red_mask(stamped).mean() > 0.002
    grey, share = remove_seal(stamped)
    assert share > 0.002
    r = int(page.width * 0.085)
    box = (slice(centre[1] - r, centre[1] + r), slice(centre[0] - r, centre[0] + r))
    ink_after = binarise(grey)[box] > 0
    ink_plain = binarise(remove_seal(clean)[0])[box] > 0
    # the printed text and lines under the seal survive; the seal's own ink is gone
    kept = (ink_after & ink_plain).sum() / max(ink_plain.sum(), 1)
    extra = (ink_after & ~ink_plain).sum() / max(ink_plain.sum(), 1)
    assert kept > 0.85, kept
    assert extra < 0.15, extra


@needs_ocr_stack
@needs_poppler
@pytest.mark.parametrize("tilt", [-2.5, 0.8, 4.0])
def test_tilt_is_measured(s02_page, tilt):
    from checker.reading.ocr.image import skew_angle

    page, _ = s02_page
    tilted = np.asarray(scans.degrade(page, tilt=tilt, seed=1).convert("L"))
    assert abs(skew_angle(tilted) + tilt) <= 0.25  # the correction undoes the tilt


def test_reading_doubts_and_low_confidence_cells():
    """The policy on real findings: s05's budget rate does not match its figures (NU01).
    Read by OCR, that becomes an info-level reading doubt; a low-confidence cell under a
    finding lowers its confidence and says so."""
    from checker.judging.engine import check_document
    from checker.reading.ocr.findings import adjust

    path, _ = _sample("s05")
    config = load_config()
    doc = read_document(path.read_bytes(), path.name, config)
    findings, _ = check_document(doc, config)
    nu = [f for f in findings if f.code in ("NU01", "NU02", "NU05")]
    assert nu, "s05 has an arithmetic finding on its own text"
    assert adjust(doc, findings, config) == findings  # read from text: unchanged
    doc.read_by = "ocr"
    for t in doc.tables:
        t.confidence = [[1.0] * len(r) for r in t.rows]
    out = {(f.code, f.evidence): f for f in adjust(doc, findings, config)}
    for f in nu:
        g = out[(f.code, f.evidence)]
        assert g.severity == "info" and g.message.startswith("识别存疑") and g.confidence <= 0.5
    other = next(f for f in findings if f.code not in config.get("ocr", "doubt_rules") and f.location.table and f.location.row)
    t = next(t for t in doc.tables if t.location.table == other.location.table)
    t.confidence[other.location.row - 1] = [0.42] * len(t.rows[other.location.row - 1])
    g = next(x for x in adjust(doc, findings, config) if (x.code, x.evidence, x.location) == (other.code, other.evidence, other.location))
    assert "识别置信度 0.42" in g.message and g.confidence <= 0.42 and g.severity == other.severity


@needs_ocr_stack
@needs_poppler
def test_multi_page_tiff_gives_a_page_per_frame_and_a_photo_stands_upright(s02_page):
    from PIL import Image

    from checker.reading.ocr.image import decode_image

    page, _ = s02_page
    small = page.resize((page.width // 4, page.height // 4))
    buf = io.BytesIO()
    small.save(buf, "TIFF", save_all=True, append_images=[small.rotate(180)])
    frames = decode_image(buf.getvalue())
    assert [f.shape[:2] for f in frames] == [(small.height, small.width)] * 2
    # a phone photo saved lying on its side, with the EXIF tag saying so, is turned upright
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise to view
    lying = small.rotate(90, expand=True)
    (upright,) = decode_image(scans.encode(lying, "JPEG", quality=90, exif=exif.tobytes()))
    assert upright.shape[:2] == (small.height, small.width)


@needs_ocr_stack
def test_wide_table_printed_side_by_side_is_joined_by_rows_and_a_long_one_by_columns():
    """Page-joining rules on read pages: the next page's table with the same row lines and
    another column ruling holds the next columns; with the same column ruling, the next rows."""
    from checker.reading.ocr.reader import PageRead, PageTable, _join_pages

    ys = [300, 340, 380, 420, 460]
    left = PageTable((100, 300, 500, 460), [["项目名称", "某项目"], ["一级指标", "二级指标"], ["产出指标", "数量指标"]],
                     [[1.0, 1.0]] * 3, [0, 1, 3], [100, 300, 500], ys)
    # the scanned next page sits 12 px lower; its second grid row holds no text
    right = PageTable((90, 312, 700, 472), [["", "实施单位"], ["指标值", "完成值"], ["≥9套", "9套"]],
                      [[1.0, 0.6]] * 3, [0, 2, 3], [90, 400, 700], [y + 12 for y in ys])
    h = 1754
    (page, rows, conf), = _join_pages([PageRead(1, h, [left]), PageRead(2, h, [right])])
    assert page == 1
    assert rows == [["项目名称", "某项目", "", "实施单位"], ["一级指标", "二级指标", "", ""], ["", "", "指标值", "完成值"],
                    ["产出指标", "数量指标", "≥9套", "9套"]]
    assert conf[0] == [1.0, 1.0, 1.0, 0.6]
    # the same column ruling near the top of the next page: the table's next rows
    below = PageTable((100, 150, 500, 310), [["效益指标", "社会效益指标"]], [[0.9, 0.9]], [0], [100, 300, 500], [150, 190, 230, 270, 310])
    tall = PageTable((100, 900, 500, 1500), [r[:] for r in left.rows], [r[:] for r in left.conf], [0, 1, 3], [100, 300, 500], ys)
    (_, rows, _), = _join_pages([PageRead(1, h, [tall]), PageRead(2, h, [below])])
    assert rows[-1] == ["效益指标", "社会效益指标"] and len(rows) == 4
    # another column ruling but other row lines: two tables
    other = PageTable((100, 300, 500, 700), [["a", "b"]], [[1.0, 1.0]], [0], [100, 250, 500], [300, 400, 500, 600, 700])
    assert len(_join_pages([PageRead(1, h, [left]), PageRead(2, h, [other])])) == 2


@needs_ocr_stack
def test_a_flat_first_character_cut_by_the_detector_box_is_taken_in_but_dust_is_not():
    """一级指标 set in a cell; the detector's box starts inside the flat 一 (it read 级指标):
    the box is widened to take the whole stroke in. A speck of dust beside a number is not."""
    from PIL import Image, ImageDraw

    from checker.reading.ocr.page import _widen

    img = Image.new("L", (300, 40), 255)
    draw = ImageDraw.Draw(img)
    draw.text((20, 6), "一级指标", fill=0, font=scans._cjk_font(22))
    clean = np.asarray(img).copy()
    cols = np.flatnonzero((clean < 128).any(axis=0))
    first = int(cols[0])
    cell = (2, 0, 298, 40)
    widened = _widen(clean, (first + 8, 4, int(cols[-1]) + 1, 34), cell)
    assert widened[0] <= first and widened[2] == int(cols[-1]) + 1
    # "15" with a 2-pixel speck to its left: the box stays as it was
    img = Image.new("L", (300, 40), 255)
    draw = ImageDraw.Draw(img)
    draw.text((60, 6), "15", fill=0, font=scans._cjk_font(22))
    draw.rectangle((48, 20, 49, 21), fill=0)
    clean = np.asarray(img).copy()
    digits = np.flatnonzero((clean[:, 55:] < 128).any(axis=0)) + 55
    box = (int(digits[0]), 4, int(digits[-1]) + 1, 34)
    assert _widen(clean, box, cell) == box


def test_zip_and_folder_inputs_take_page_images(tmp_path):
    import zipfile

    from checker.runner.inputs import iter_inputs

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "扫描件.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 64)
    with zipfile.ZipFile(tmp_path / "a" / "报送.zip", "w") as zf:
        zf.writestr("第1页.png", png)
        zf.writestr("说明.txt", "x")
    paths = [f.path for f in iter_inputs([str(tmp_path / "a")])]
    assert any(p.endswith("扫描件.jpg") for p in paths)
    assert any(p.endswith("报送.zip!第1页.png") for p in paths)
    assert not any(p.endswith("说明.txt") for p in paths)


# ---- with the recogniser (a few pages in all) ------------------------------------------------


@pytest.mark.ocr
@pytest.mark.slow
@needs_ocr_stack
@needs_poppler
def test_stamped_tilted_scan_pdf_reads_like_the_text_pdf(s02_page):
    page, truth = s02_page
    data = scans.image_pdf(scans.scan([page], seal=True, tilt=1.5, seed=5))
    assert sniff_format(data) == "pdf"
    result = check_bytes(data, "自评表扫描件.pdf", load_config())
    assert result.status == "ok", result.error
    d = result.to_dict()
    assert d["read_by"] == "ocr" and d["format"] == "pdf"
    assert any("文字识别" in n for n in d["notices"]) and any("印章" in n for n in d["notices"])
    right, total, misses = scans.field_accuracy(result.document, truth)
    assert right / total >= 0.95, misses
    # the same findings as the text PDF, rule for rule
    text = check_bytes(next(SAMPLES.glob("s02_*.pdf")).read_bytes(), "s02.pdf", load_config())
    assert {f.code for f in result.findings} == {f.code for f in text.findings}
    # every table cell carries its recognition confidence
    for t in result.document.tables:
        assert t.confidence is not None and len(t.confidence) == len(t.rows)
        assert all(0.0 <= c <= 1.0 for row in t.confidence for c in row)


@pytest.mark.ocr
@pytest.mark.slow
@needs_ocr_stack
@needs_poppler
def test_photo_turned_on_its_side_jpeg():
    path, truth = _sample("s16")
    page = scans.render(path)[0]
    photo = scans.scan([page], seal=True, tilt=-0.8, quarter_turns=1, seed=7)[0]
    data = scans.encode(photo, "JPEG", quality=85)
    result = check_bytes(data, "监控表.jpg", load_config())
    assert result.status == "ok", result.error
    d = result.to_dict()
    assert d["format"] == "jpg" and d["read_by"] == "ocr"
    assert any("旋转" in n for n in d["notices"])
    right, total, misses = scans.field_accuracy(result.document, truth)
    assert right / total >= 0.9, misses
    assert result.document.layout == "monitoring_2019"


@pytest.mark.ocr
@pytest.mark.slow
@needs_ocr_stack
@needs_poppler
def test_mixed_pdf_reads_text_pages_and_scanned_pages():
    """s10's first page keeps its text layer; pages 2-3 (with the embedded table) are scans
    turned upside down. Checked in a bounded worker, as `check` and the app do: the worker
    reports each scanned page to its parent as it is read."""
    import pypdfium2 as pdfium

    from checker.runner.inputs import InputFile
    from checker.runner.isolate import run_inputs, shared_pool

    path, truth = _sample("s10")
    pages = scans.render(path, first=2, last=3)
    scanned = pdfium.PdfDocument(scans.image_pdf(scans.scan(pages, tilt=0.7, quarter_turns=2, seed=9)))
    mixed = pdfium.PdfDocument(path.read_bytes())
    for _ in range(len(mixed) - 1):
        mixed.del_page(1)
    mixed.import_pages(scanned)
    buf = io.BytesIO()
    mixed.save(buf)
    data = buf.getvalue()
    pages = []
    with shared_pool(load_config(), on_page=lambda _job, done, total: pages.append((done, total))) as pool:
        ((_job, (result,)),) = run_inputs(pool, [InputFile("评价报告.pdf", data=data)])
    assert result.status == "ok", (result.error.code, result.error.message)
    assert pages == [(0, 2), (1, 2), (2, 2)]  # only the two scanned pages go through OCR
    d = result.to_dict()
    assert d["read_by"] == "ocr"
    assert any("第2-3页" in n and "文字识别" in n for n in d["notices"]), d["notices"]
    assert not any("未能读取" in n for n in d["notices"])
    doc = result.document
    assert doc.doc_type == truth["doc_type"]
    # text page first, then the OCR pages, numbered in page order
    assert [p.location.paragraph for p in doc.paragraphs] == list(range(1, len(doc.paragraphs) + 1))
    assert doc.paragraphs[0].location.page == 1
    assert [t.location.table for t in doc.tables] == list(range(1, len(doc.tables) + 1))
    right, total, misses = scans.field_accuracy(doc, truth)
    assert right / total >= 0.9, misses


@pytest.mark.ocr
@pytest.mark.slow
@needs_ocr_stack
@needs_poppler
def test_batch_reads_a_page_image_inside_a_zip_in_a_folder(tmp_path, s02_page):
    import zipfile

    from checker.runner.batch import run_batch

    page, truth = s02_page
    folder = tmp_path / "报送材料"
    folder.mkdir()
    with zipfile.ZipFile(folder / "卫生健康局.zip", "w") as zf:
        zf.writestr("卫生健康局自评表.tif", scans.encode(scans.scan([page], tilt=-0.5, seed=3)[0], "TIFF", compression="tiff_lzw"))
    out = tmp_path / "out"
    log = io.StringIO()
    stats = run_batch([str(folder)], out, load_config(), jobs=1, progress=True, stream=log)
    docs = [json.loads(x) for x in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    assert stats.errors == 0 and len(docs) == 1
    # the batch's progress shows the page being read by its worker, before the file is done
    lines = log.getvalue().splitlines()
    shown = "正在识别扫描件 卫生健康局.zip!卫生健康局自评表.tif 第 1/1 页"
    assert shown in lines, lines
    assert lines.index(shown) < next(i for i, x in enumerate(lines) if x.startswith("进度 1/1"))
    assert docs[0]["format"] == "tif" and docs[0]["read_by"] == "ocr" and docs[0]["unit"] == truth["unit"] and docs[0]["self_score"] == truth["self_score"]


@pytest.mark.ocr
@pytest.mark.slow
@needs_ocr_stack
@needs_poppler
def test_app_upload_of_a_page_photo_is_read_with_a_badge(s02_page, media):
    """The app checks an uploaded page image in its worker, following the pages with its
    progress bar, and marks the result as read by OCR."""
    from streamlit.testing.v1 import AppTest

    page, truth = s02_page
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240).run()
    at.file_uploader(key="uploads").upload("自评表.png", scans.encode(scans.scan([page], tilt=0.4, seed=11)[0]))
    at.run()
    assert not at.exception, at.exception
    assert "扫描件·文字识别" in "\n".join(h.proto.body for h in at.html)
    button = next(b for b in at.get("download_button") if b.proto.label.startswith("下载检查结果"))
    (doc,) = json.loads(media(button))["documents"]
    assert doc["read_by"] == "ocr" and doc["unit"] == truth["unit"] and doc["self_score"] == truth["self_score"]


def test_app_shows_an_ocr_badge_only_for_scans():
    from checker.webui.render import facts_html

    base = {"doc_type_label": "项目支出绩效自评表", "unit": "示范区卫生健康局", "findings": []}
    assert "扫描件·文字识别" in facts_html({**base, "read_by": "ocr"})
    assert "扫描件·文字识别" not in facts_html({**base, "read_by": "text"})
