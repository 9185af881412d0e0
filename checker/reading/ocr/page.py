"""One scanned page → its text lines and tables (checker.reading.ocr.reader puts pages together):
seal removed, straightened and turned upright (image.py), grid found (table.py), text lines
detected and recognised (engine.py) and split at cell borders."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from checker.core.config import Config
from checker.reading.ocr import engine
from checker.reading.ocr.image import normalise_size, remove_seal, rotate, skew_angle, turn
from checker.reading.ocr.table import TableGrid, find_tables
from checker.reading.parsers.pdf import _cell_text, _Line, fix_spaces

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
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
