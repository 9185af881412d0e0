"""Scanned pages → RawDocument, the same shape the text-PDF reader gives.

`read_image_file` reads .png/.jpg/.tif/.bmp bytes (every TIFF frame is a page);
`read_scanned_pdf` reads every page of an image-only PDF; `add_scanned_pages` fills the
pages of a mixed PDF that had no text layer. Tables carry `confidence` (each cell's lowest
line-recognition score) and the document `read_by = "ocr"`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

from checker.core.config import Config
from checker.core.errors import ReadError
from checker.core.document import Location, Paragraph, RawDocument, Table
from checker.reading.ocr import PAGE_PROGRESS, engine
from checker.reading.ocr.image import decode_image, normalise_size, remove_seal, rotate, skew_angle, turn
from checker.reading.ocr.table import TableGrid, find_tables
from checker.reading.parsers.common import heading_level
from checker.reading.parsers.pdf import _cell_text, _Line, _paragraphs, _ranges, fix_spaces

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
Progress = Callable[[int, int], None]  # (pages done, pages in all)
MIN_SCORE = 0.5  # RapidOCR's own default text_score
_WORDY = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass
class PageTable:
    bbox: tuple[int, int, int, int]  # pixels on the straightened page
    rows: list[list[str]]
    conf: list[list[float]]
    row_ids: list[int]  # the grid row of each row kept (rows with no text are dropped)
    xs: list[int]  # the grid's column lines
    ys: list[int]  # the grid's row lines


@dataclass
class PageRead:
    page: int  # 1-based
    height: int
    tables: list[PageTable] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)
    line_scores: list[float] = field(default_factory=list)
    turned: int = 0  # quarter turns applied
    skew: float = 0.0
    seal: bool = False
    seconds: float = 0.0


# ---- one page --------------------------------------------------------------------------


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    if _CJK.match(a[-1]) or _CJK.match(b[0]):
        return a + b
    return a + " " + b


def _orient(config: Config, grey: np.ndarray, boxes: list) -> int:
    """Quarter turns that stand the page upright, judged from the detected text lines:
    lines taller than wide mean the page lies on its side; the 0°/180° line classifier
    says whether it is upside down."""
    tall = sum(1 for x0, y0, x1, y1 in boxes if (y1 - y0) > 2 * (x1 - x0) and (y1 - y0) > 40)
    wide = sum(1 for x0, y0, x1, y1 in boxes if (x1 - x0) > 2 * (y1 - y0) and (x1 - x0) > 40)
    turns = 0
    if tall > wide and tall >= 3:
        turns = 3  # try clockwise; the 180° check corrects a page lying the other way
        grey = turn(grey, turns)
        boxes = engine.detect(config, grey)
    widest = sorted(boxes, key=lambda b: b[2] - b[0], reverse=True)[:12]
    crops = [grey[y0:y1, x0:x1] for x0, y0, x1, y1 in widest if x1 - x0 > 3 * (y1 - y0) and y1 - y0 > 6]
    if crops and engine.upside_down_share(config, crops) >= 0.6:
        turns += 2
    return turns % 4


def read_page(config: Config, img: np.ndarray, page_no: int) -> PageRead:
    t0 = time.perf_counter()
    dpi = int(config.get("ocr", "dpi", 150) or 150)
    img = normalise_size(img, dpi)
    grey, red_share = remove_seal(img)
    angle = skew_angle(grey)  # found modulo 90°, so before the page is turned upright
    grey = rotate(grey, angle)
    boxes = engine.detect(config, grey)
    turns = _orient(config, grey, boxes)
    if turns:
        grey = turn(grey, turns)
        boxes = engine.detect(config, grey)
    tables, lines_mask = find_tables(grey, boxes)
    clean = grey.copy()
    clean[cv2.dilate(lines_mask, np.ones((3, 3), np.uint8)) > 0] = 255  # ruling lines off before recognition
    page = PageRead(page_no, grey.shape[0], turned=turns, skew=angle, seal=red_share > 0.001)

    # split each detected line at the cell borders it crosses, then recognise all pieces at once
    pieces: list[tuple[int, int | None, tuple[int, int, int, int]]] = []  # (table, cell, box)
    h, w = clean.shape
    for box in boxes:
        x0, y0, x1, y1 = box
        cy = (y0 + y1) / 2
        placed = False
        for ti, t in enumerate(tables):
            tx0, ty0, tx1, ty1 = t.bbox
            if not (tx0 - 2 <= (x0 + x1) / 2 <= tx1 + 2 and ty0 - 2 <= cy <= ty1 + 2):
                continue
            for ci, piece in t.pieces(box):
                pieces.append((ti, ci, piece))
            placed = True
            break
        if not placed:
            pieces.append((-1, None, box))
    pieces = [(ti, ci, _widen(clean, box, _room(tables[ti].boxes[ci], box, [b for t2, c2, b in pieces if (t2, c2) == (ti, ci) and b != box]))
               if ti >= 0 and ci is not None else box) for ti, ci, box in pieces]
    crops = []
    for _ti, _ci, (x0, y0, x1, y1) in pieces:
        pad = 2
        crops.append(clean[max(0, y0 - pad):min(h, y1 + pad), max(0, x0 - pad):min(w, x1 + pad)])
    texts = engine.recognise(config, crops)

    cell_parts: dict[tuple[int, int], list[tuple[tuple[int, int, int, int], str, float]]] = {}
    free: list[tuple[tuple[int, int, int, int], str, float]] = []
    for (ti, ci, box), (text, score) in zip(pieces, texts, strict=True):
        text = text.strip()
        if not text or score < MIN_SCORE:  # what the recogniser itself doubts this much is noise
            continue
        if ti < 0:
            if _WORDY.search(text):  # a stamp, a rule or a filled box reads as a lone symbol
                free.append((box, text, score))
        else:
            cell_parts.setdefault((ti, ci), []).append((box, text, score))
    for ti, t in enumerate(tables):
        rows, conf, kept = _fill(t, ti, cell_parts)
        if len(rows) >= 2 or (rows and len(rows[0]) >= 2):
            page.tables.append(PageTable(t.bbox, rows, conf, kept, list(t.xs), list(t.ys)))
    for group in _text_lines(free):
        left = min(b[0] for b, _, _ in group)
        right = max(b[2] for b, _, _ in group)
        top = min(b[1] for b, _, _ in group)
        bottom = max(b[3] for b, _, _ in group)
        text = ""
        for _b, s, _sc in group:
            text = _join(text, s)
        # the glyphs' own extent: a detected box around one character is padded more than
        # one around a long line, and the joiner compares line heights
        inked = np.flatnonzero((clean[top:bottom, left:right] < 128).any(axis=1))
        if inked.size >= 4:
            top, bottom = top + int(inked[0]), top + int(inked[-1]) + 1
        # PDF points, y upwards, so the text-PDF paragraph joiner and its tolerances apply unchanged
        pt = 72.0 / dpi
        page.lines.append(_Line(page_no, left * pt, right * pt, (page.height - top) * pt, (page.height - bottom) * pt, fix_spaces(text).strip()))
        page.line_scores.append(min(sc for _, _, sc in group))
    _even_heights(page.lines)
    page.seconds = time.perf_counter() - t0
    return page


def _room(cell: tuple[int, int, int, int], box: tuple[int, int, int, int], others: list) -> tuple[int, int, int, int]:
    """The part of a cell a piece may widen into: up to the cell's borders, short of the other
    pieces beside it on the same line (never read the same characters twice)."""
    x0, y0, x1, y1 = box
    left, right = cell[0], cell[2]
    for a0, b0, a1, b1 in others:
        if min(y1, b1) - max(y0, b0) <= 0:
            continue  # another line of the cell
        if a1 <= x0:
            left = max(left, a1)
        elif a0 >= x1:
            right = min(right, a0)
    return left, cell[1], right, cell[3]


def _widen(clean: np.ndarray, box: tuple[int, int, int, int], cell: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The detector's box can stop short of a flat first or last character (the 一 of 一级指标,
    a dash): take in, within the cell and up to a character's width on each side, ink marks
    big enough to be a stroke. Specks of dust stay out (they read as a point or a dash)."""
    x0, y0, x1, y1 = box
    lh = y1 - y0
    reach = int(0.9 * lh)
    big = max(4, int(0.4 * lh))

    def strokes(a: int, b: int) -> list[tuple[int, int]]:
        """Marks (x from, x to) in columns a..b whose width or height makes a stroke."""
        if b - a < 2:
            return []
        ink = (clean[y0:y1, a:b] < 128).astype(np.uint8)
        n, _lab, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        return [(a + int(st[0]), a + int(st[0] + st[2])) for st in stats[1:n] if max(st[2], st[3]) >= big]

    # a mark the box cuts through counts whole: look half a character inside the box as well
    left = [m for m in strokes(max(cell[0] + 3, x0 - reach), min(x1, x0 + lh // 2)) if m[0] < x0]
    right = [m for m in strokes(max(x0, x1 - lh // 2), min(cell[2] - 3, x1 + reach)) if m[1] > x1]
    if left:
        x0 = min(a for a, _ in left) - 1
    if right:
        x1 = max(b for _, b in right) + 1
    return x0, y0, x1, y1


def _even_heights(lines: list[_Line]) -> None:
    """Detected boxes of one font size differ by a few pixels in height (a lone 告 is shorter
    than a full line); the paragraph joiner compares heights, so lines of about the same
    height (within 25%, sorted) get their group's median."""
    if not lines:
        return
    order = sorted(lines, key=lambda ln: ln.height)
    groups: list[list[_Line]] = [[order[0]]]
    for ln in order[1:]:
        if ln.height <= groups[-1][0].height * 1.25:
            groups[-1].append(ln)
        else:
            groups.append([ln])
    for g in groups:
        med = g[len(g) // 2].height
        for ln in g:
            ln.bottom = ln.top - med


def _text_lines(parts: list[tuple[tuple[int, int, int, int], str, float]]) -> list[list]:
    """Group pieces into lines (vertical overlap), top to bottom, each left to right."""
    lines: list[list] = []
    for p in sorted(parts, key=lambda p: ((p[0][1] + p[0][3]) / 2, p[0][0])):
        (x0, y0, x1, y1) = p[0]
        cy = (y0 + y1) / 2
        for ln in lines[-3:]:
            ly0 = min(q[0][1] for q in ln)
            ly1 = max(q[0][3] for q in ln)
            if ly0 <= cy <= ly1 and min(y1, ly1) - max(y0, ly0) > 0.4 * min(y1 - y0, ly1 - ly0):
                ln.append(p)
                break
        else:
            lines.append([p])
    for ln in lines:
        ln.sort(key=lambda q: q[0][0])
    lines.sort(key=lambda ln: min(q[0][1] for q in ln))
    return lines


_STRAY_DOT = re.compile(r"(?<=\d)[.·](?=[^\d.]|$)")


def _ocr_fix(text: str) -> str:
    """A speck of dust after a number reads as a point: 13862.人 → 13862人, 12. → 12.
    Only in short cells (values), so a numbered line such as "1.项目概况……" keeps its point."""
    return _STRAY_DOT.sub("", text) if len(text) <= 12 else text


def _fill(t: TableGrid, ti: int, parts: dict) -> tuple[list[list[str]], list[list[float]], list[int]]:
    texts: dict[int, tuple[str, float]] = {}
    for ci in range(len(t.boxes)):
        got = parts.get((ti, ci), [])
        if not got:
            texts[ci] = ("", 1.0)
            continue
        lines = []
        for group in _text_lines(got):
            s, last = "", None
            for b, piece, _sc in group:
                # two boxes over the same characters (widened into each other): read them once
                if last is not None and min(b[2], last[2]) - max(b[0], last[0]) > 0.5 * min(b[2] - b[0], last[2] - last[0]):
                    continue
                s, last = _join(s, piece), b
            lines.append(s)
        texts[ci] = (_ocr_fix(_cell_text("\n".join(lines))), round(min(sc for _, _, sc in got), 4))
    rows = [[texts[ci][0] for ci in r] for r in t.owner]
    conf = [[texts[ci][1] for ci in r] for r in t.owner]
    # a row or column with no text at all is an artefact of a double line, not content
    keep_r = [i for i, r in enumerate(rows) if any(c for c in r)]
    rows = [rows[i] for i in keep_r]
    conf = [conf[i] for i in keep_r]
    if rows:
        keep_c = [j for j in range(len(rows[0])) if any(r[j] for r in rows)]
        rows = [[r[j] for j in keep_c] for r in rows]
        conf = [[r[j] for j in keep_c] for r in conf]
    # a merged cell spanning columns repeats its text; the text reader drops nothing either,
    # but drop a column that only ever repeats its left neighbour (a line broken by the scan)
    if rows and len(rows[0]) > 1:
        dup = [j for j in range(1, len(rows[0])) if all(r[j] == r[j - 1] for r in rows)]
        if dup:
            rows = [[c for j, c in enumerate(r) if j not in dup] for r in rows]
            conf = [[c for j, c in enumerate(r) if j not in dup] for r in conf]
    return rows, conf, keep_r


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
