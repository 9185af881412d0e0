"""Scanned pages → RawDocument, the same shape the text-PDF reader gives.

`read_image_file` reads .png/.jpg/.tif/.bmp bytes (every TIFF frame is a page);
`read_scanned_pdf` reads every page of an image-only PDF; `add_scanned_pages` fills the
pages of a mixed PDF that had no text layer. Tables carry `confidence` (each cell's lowest
line-recognition score) and the document `read_by = "ocr"`.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2

from checker.core.config import Config
from checker.core.document import Location, Paragraph, RawDocument, Table
from checker.core.errors import ReadError
from checker.reading.ocr import PAGE_PROGRESS
from checker.reading.ocr.image import decode_image
from checker.reading.ocr.page import PageRead, PageTable, read_page
from checker.reading.parsers.common import heading_level
from checker.reading.parsers.pdf import _paragraphs, _ranges

Progress = Callable[[int, int], None]  # (pages done, pages in all)


# ---- pages → RawDocument -----------------------------------------------------------------


def _side_by_side(left: PageTable, right: PageTable, height: int) -> bool:
    """A table printed wider than the paper goes on, same rows, on the next page (a
    spreadsheet printed without fit-to-width): the next page's table starts about as high and
    has the same row lines (measured from its top: a scanned page sits a little higher or
    lower), and another column ruling."""
    tol = max(4, height // 250)
    if abs(left.ys[0] - right.ys[0]) > 0.03 * height or len(left.ys) != len(right.ys) or len(left.ys) < 4:
        return False
    rel = [x - left.xs[0] for x in left.xs]
    if len(left.xs) == len(right.xs) and all(abs(a - (b - right.xs[0])) <= 2 * tol for a, b in zip(rel, right.xs, strict=True)):
        return False  # the same column ruling: the same table's next rows, not its next columns
    return all(abs((a - left.ys[0]) - (b - right.ys[0])) <= tol for a, b in zip(left.ys, right.ys, strict=True))


def _append_columns(left: PageTable, right: PageTable) -> PageTable:
    """Rows matched by their grid row; a row that is empty on one side gets empty cells there."""
    lw, rw = len(left.rows[0]), len(right.rows[0])
    ids = sorted(set(left.row_ids) | set(right.row_ids))
    rows, conf = [], []
    for i in ids:
        li = left.row_ids.index(i) if i in left.row_ids else None
        ri = right.row_ids.index(i) if i in right.row_ids else None
        rows.append((left.rows[li] if li is not None else [""] * lw) + (right.rows[ri] if ri is not None else [""] * rw))
        conf.append((left.conf[li] if li is not None else [1.0] * lw) + (right.conf[ri] if ri is not None else [1.0] * rw))
    return PageTable(left.bbox, rows, conf, ids, right.xs, left.ys)


def _join_pages(pages: list[PageRead]) -> list[tuple[int, list[list[str]], list[list[float]]]]:
    """Tables in page order. A table running over a page break goes on in the next page's
    first table: below (same column count, near the bottom / top: its rows are appended, as
    the text-PDF reader does) or beside (the same rows, the next columns: a wide sheet printed
    without fitting it to the page width)."""
    out: list[tuple[int, PageTable]] = []
    ends: list[int] = []  # the page each table in `out` ends on
    prev_page: PageRead | None = None
    for p in pages:
        for k, t in enumerate(p.tables):
            goes_on = k == 0 and out and prev_page is not None and prev_page.page == p.page - 1 and ends[-1] == prev_page.page
            last = out[-1][1] if goes_on else None
            if (last is not None and last.xs and len(prev_page.tables) == 1 and len(p.tables) == 1
                    and _side_by_side(last, t, p.height)):
                out[-1], ends[-1] = (out[-1][0], _append_columns(last, t)), p.page
                continue
            if (k == 0 and last is not None and prev_page.tables and len(last.rows[0]) == len(t.rows[0])
                    and prev_page.tables[-1].bbox[3] > prev_page.height * 0.7 and t.bbox[1] < p.height * 0.25):
                rows, conf = t.rows, t.conf
                first = rows[0]
                if first and not first[0].strip() and any(c.strip() for c in first):
                    lrow = last.rows[-1]
                    last.rows[-1] = [a + b if b.strip() and a.strip() and a != b else (a or b) for a, b in zip(lrow, first, strict=True)]
                    last.conf[-1] = [min(x, y) for x, y in zip(last.conf[-1], conf[0], strict=True)]
                    rows, conf = rows[1:], conf[1:]
                last.rows.extend(rows)
                last.conf.extend(conf)
                last.xs = []  # rows from two pages: no longer one page's grid
                ends[-1] = p.page
                continue
            out.append((p.page, t))
            ends.append(p.page)
        prev_page = p
    return [(page, t.rows, t.conf) for page, t in out]


def build_raw(pages: list[PageRead], fmt: str, n_pages: int) -> RawDocument:
    tables = [Table(rows, Location(page=page, table=i), confidence=conf) for i, (page, rows, conf) in enumerate(_join_pages(pages), 1)]
    lines = [ln for p in pages for ln in p.lines]
    paragraphs = []
    for page_no, text in _paragraphs(lines):
        n = len(paragraphs) + 1
        paragraphs.append(Paragraph(text, Location(page=page_no, paragraph=n), None, heading_level(text)))
    raw = RawDocument(fmt, paragraphs, tables, pages=n_pages, read_by="ocr")
    raw.notices.extend(_notices(pages, n_pages))
    return raw


def _notices(pages: list[PageRead], n_pages: int) -> list[str]:
    out = []
    nums = [p.page for p in pages]
    if nums:
        which = "全部页面" if len(nums) == n_pages else f"第{_ranges(nums)}页"
        out.append(f"{which}为扫描件或图片，已用文字识别（OCR）读取，数字和文字可能有识别误差，请对照原件核实。")
    turned = [p.page for p in pages if p.turned]
    if turned:
        out.append(f"第{_ranges(turned)}页方向不正，已自动旋转后识别。")
    sealed = [p.page for p in pages if p.seal]
    if sealed:
        out.append(f"第{_ranges(sealed)}页有红色印章，识别前已按颜色去除。")
    return out


def _raise_if_empty(pages: list[PageRead]) -> None:
    if not any(p.tables or p.lines for p in pages):
        raise ReadError("needs_ocr", "扫描件或图片中没有识别出文字（可能过于模糊、过暗或不是文档页面）。请重新扫描（建议 200 dpi 以上）或提交可编辑的原文件。")


def _read_images(config: Config, images, n_pages: int, page_numbers: list[int], progress: Progress | None) -> list[PageRead]:
    progress = progress or PAGE_PROGRESS.get()
    pages = []
    n = len(page_numbers)
    if progress is not None and n:
        progress(0, n)  # "page 1 of n" shows while the first page is read, not after
    for k, (img, page_no) in enumerate(zip(images, page_numbers, strict=True)):
        pages.append(read_page(config, img, page_no))
        if progress is not None:
            progress(k + 1, n)
    return pages


def _ocr_limit(config: Config) -> int:
    """Pages read by OCR in one file (seconds each): [ocr] max_pages, within [reader] max_pages."""
    # 30 pages at 2-3 s each stay inside the per-file time limit ([limits] timeout_s, 120 s)
    return max(1, min(int(config.get("ocr", "max_pages", 30) or 30), int(config.get("reader", "max_pages", 200) or 200)))


def _limit_notice(n_pages: int, limit: int) -> str:
    return f"扫描件共 {n_pages} 页，文字识别只读取前 {limit} 页（上限可在配置文件中调整）。"


def read_image_file(data: bytes, fmt: str, config: Config, progress: Progress | None = None) -> RawDocument:
    limit = _ocr_limit(config)
    frames = decode_image(data, limit + 1)
    extra = len(frames) > limit
    frames = frames[:limit]
    pages = _read_images(config, frames, len(frames), list(range(1, len(frames) + 1)), progress)
    _raise_if_empty(pages)
    raw = build_raw(pages, fmt, len(frames))
    if extra:
        raw.notices.insert(0, f"多页图片超过 {limit} 页，文字识别只读取前 {limit} 页（上限可在配置文件中调整）。")
    return raw


def render_pages(data: bytes, page_numbers: list[int], dpi: int):
    """Yield BGR images of the given 1-based pages of a PDF."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for n in page_numbers:
            page = pdf[n - 1]
            w, h = page.get_size()
            # render at `dpi` for an A4-sized page; larger pages are scaled to the same pixel budget
            scale = min(dpi / 72, A4_PIXELS(dpi) / max(w, h, 1))
            bitmap = page.render(scale=scale)
            arr = bitmap.to_numpy()
            img = arr[..., :3].copy() if bitmap.format in (pdfium.raw.FPDFBitmap_BGR, pdfium.raw.FPDFBitmap_BGRx, pdfium.raw.FPDFBitmap_BGRA) else arr
            if img.ndim == 2:
                img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
            page.close()
            yield img
    finally:
        pdf.close()


def A4_PIXELS(dpi: int) -> float:  # noqa: N802 - reads as a constant
    return 11.69 * dpi


def read_scanned_pdf(data: bytes, config: Config, progress: Progress | None = None) -> RawDocument:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    n_pages = len(pdf)
    pdf.close()
    limit = _ocr_limit(config)
    use = list(range(1, min(n_pages, limit) + 1))
    dpi = int(config.get("ocr", "dpi", 150) or 150)
    pages = _read_images(config, render_pages(data, use, dpi), n_pages, use, progress)
    _raise_if_empty(pages)
    raw = build_raw(pages, "pdf", n_pages)
    if n_pages > limit:
        raw.notices.insert(0, _limit_notice(n_pages, limit))
    return raw


def add_scanned_pages(raw: RawDocument, data: bytes, config: Config, progress: Progress | None = None) -> RawDocument:
    """A PDF mixing text pages and scanned pages: read the scanned ones by OCR and merge,
    keeping page order for tables and paragraphs (both renumbered)."""
    limit = _ocr_limit(config)
    scanned = list(raw.image_pages)[:limit]
    dpi = int(config.get("ocr", "dpi", 150) or 150)
    pages = _read_images(config, render_pages(data, scanned, dpi), raw.pages or len(scanned), scanned, progress)
    if not any(p.tables or p.lines for p in pages):
        return raw
    ocr = build_raw(pages, raw.format, raw.pages or 0)
    tables = sorted(raw.tables + ocr.tables, key=lambda t: (t.location.page or 0, t.location.table or 0))
    raw.tables = [Table(t.rows, Location(page=t.location.page, table=i), spans=t.spans, sheet=t.sheet, confidence=t.confidence) for i, t in enumerate(tables, 1)]
    paras = sorted(raw.paragraphs + ocr.paragraphs, key=lambda p: (p.location.page or 0, p.location.paragraph or 0))
    raw.paragraphs = [Paragraph(p.text, Location(page=p.location.page, paragraph=i), p.style, p.level) for i, p in enumerate(paras, 1)]
    blank_notice = f"第{_ranges(raw.image_pages)}页没有可提取的文字"
    raw.notices = [n for n in raw.notices if not n.startswith(blank_notice)] + ocr.notices
    if len(raw.image_pages) > limit:
        left = raw.image_pages[limit:]
        raw.notices.append(f"第{_ranges(left)}页也是扫描页，超过文字识别上限 {limit} 页，未能读取（上限可在配置文件中调整）。")
    raw.read_by = "ocr"
    raw.image_pages = []
    return raw
