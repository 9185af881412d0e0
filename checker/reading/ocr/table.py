"""Tables from ruling lines: morphology finds the lines, the lines give the grid, missing
line pieces between grid positions give the merged cells.

A cell is a set of grid positions not separated by a drawn line; `TableGrid.owner[r][c]`
names the cell covering grid position (r, c), so a merged cell's text fills every position
it covers, as the text-PDF reader fills merged cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from checker.reading.ocr.image import binarise


# share of a grid edge that must be inked to count as a drawn line: a thin line on a grey
# scan breaks up when binarised, and text never makes long runs (opening removes them)
EDGE_COVER = 0.6
VEDGE_COVER = 0.75


@dataclass
class TableGrid:
    xs: list[int]  # x of each vertical grid line, left to right
    ys: list[int]  # y of each horizontal grid line, top to bottom
    owner: list[list[int]]  # [row][col] -> cell index
    boxes: list[tuple[int, int, int, int]] = field(default_factory=list)  # cell index -> (x0, y0, x1, y1)

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def pieces(self, box: tuple[int, int, int, int]) -> list[tuple[int, tuple[int, int, int, int]]]:
        """A text box cut at the cell borders it crosses, on the grid row of its centre:
        [(cell, piece box)], left to right."""
        x0, y0, x1, y1 = box
        cy = (y0 + y1) / 2
        r = int(np.searchsorted(self.ys, cy, side="right")) - 1
        r = min(max(r, 0), len(self.ys) - 2)
        out: list[tuple[int, tuple[int, int, int, int]]] = []
        top, bottom = max(y0, self.ys[r] + 1), min(y1, self.ys[r + 1] - 1)
        if bottom - top < 4:
            top, bottom = y0, y1
        for c in range(len(self.xs) - 1):
            a, b = max(x0, self.xs[c] + 2), min(x1, self.xs[c + 1] - 2)
            if b - a < 4:
                continue
            cell = self.owner[r][c]
            if out and out[-1][0] == cell:  # the same (merged) cell goes on
                out[-1] = (cell, (out[-1][1][0], top, b, bottom))
            else:
                out.append((cell, (a, top, b, bottom)))
        return [(cell, pb) for cell, pb in out if pb[2] - pb[0] >= 6]

    def cell_at(self, x: float, y: float) -> int | None:
        """Cell index whose box holds the point, or None outside the grid."""
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        c = int(np.searchsorted(self.xs, x, side="right")) - 1
        r = int(np.searchsorted(self.ys, y, side="right")) - 1
        c = min(max(c, 0), len(self.xs) - 2)
        r = min(max(r, 0), len(self.ys) - 2)
        return self.owner[r][c]


def line_masks(grey: np.ndarray, text_boxes=()) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) ruling-line masks, ink = 255.

    `text_boxes` (x0, y0, x1, y1) are detected text lines: their middle band is blanked
    before looking for vertical lines, so a tall character stroke is not taken for one.
    """
    # ink = darker than the local paper white by a margin; unlike a mean threshold this keeps a
    # faint line running past bold text (the mean drops there and the line would fall out)
    paper = cv2.dilate(grey, np.ones((15, 15), np.uint8))
    ink = ((paper.astype(np.int16) - grey) > 60).astype(np.uint8) * 255
    h, w = ink.shape
    # vertical lines from the mean threshold: thinner strokes, so stacked bold characters in
    # tight rows do not join into a column of ink
    vink = binarise(grey)
    # a column inked without a break from the box's middle to well past its top or bottom is
    # a ruling line the box happens to cross (numbers set flush against a border): it stays
    solid = cv2.morphologyEx(vink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    for x0, y0, x1, y1 in text_boxes:
        bh = y1 - y0
        if x1 - x0 <= 8 or bh <= 6:
            continue
        cy, reach = (y0 + y1) // 2, int(0.8 * bh)
        cols = slice(x0 + 3, x1 - 3)
        up = solid[max(0, cy - reach):cy + 1, cols].all(axis=0)
        down = solid[cy:min(h, cy + reach + 1), cols].all(axis=0)
        keep = up | down
        band = vink[y0 + bh // 4:y1 - bh // 4, x0 + 3:x1 - 3]
        band[:, ~keep] = 0
    kh = max(25, w // 35)
    kv = max(12, h // 100)
    # no closing first: it would join the strokes of neighbouring characters into "lines"
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (kh, 1)))
    vert = cv2.morphologyEx(vink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, kv)))
    # a scan leaves small breaks in thin lines: bridge them along the line only
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 9)))
    return horiz, vert


def _groups(profile: np.ndarray, minimum: float, gap: int = 2, merge: int = 8) -> list[int]:
    """Line positions: the peak of each run of positions whose profile reaches `minimum`;
    peaks closer than `merge` (one line drawn in two pieces a few pixels apart) keep the
    stronger."""
    idx = np.flatnonzero(profile >= minimum)
    peaks: list[int] = []
    if idx.size == 0:
        return peaks
    runs, start = [], int(idx[0])
    prev = start
    for i in idx[1:]:
        i = int(i)
        if i - prev > gap:
            runs.append((start, prev))
            start = i
        prev = i
    runs.append((start, prev))
    for a, b in runs:
        peak = a + int(np.argmax(profile[a:b + 1]))
        if peaks and peak - peaks[-1] < merge:
            if profile[peak] > profile[peaks[-1]]:
                peaks[-1] = peak
            continue
        peaks.append(peak)
    return peaks


def find_tables(grey: np.ndarray, text_boxes=()) -> tuple[list[TableGrid], np.ndarray]:
    """Tables on a straightened grey page, top to bottom, and the mask of their ruling lines."""
    horiz, vert = line_masks(grey, text_boxes)
    h, w = grey.shape
    both = cv2.dilate(cv2.bitwise_or(horiz, vert), np.ones((5, 5), np.uint8))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    tables: list[TableGrid] = []
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if bw < w * 0.2 or bh < 20:
            continue
        grid = _grid(horiz[y:y + bh, x:x + bw], vert[y:y + bh, x:x + bw], x, y)
        if grid is not None:
            tables.append(grid)
    tables.sort(key=lambda t: (t.ys[0], t.xs[0]))
    # only the grid's own lines are erased before recognition: a character stroke that the
    # vertical mask also holds must stay (erasing it cuts a character in two)
    zone_h = np.zeros_like(horiz)
    zone_v = np.zeros_like(vert)
    for t in tables:
        x0, y0, x1, y1 = t.bbox
        for y in t.ys:
            zone_h[max(0, y - 6):y + 7, max(0, x0 - 6):x1 + 7] = 255
        for x in t.xs:
            zone_v[max(0, y0 - 6):y1 + 7, max(0, x - 6):x + 7] = 255
    lines = cv2.bitwise_or(cv2.bitwise_and(horiz, zone_h), cv2.bitwise_and(vert, zone_v))
    return tables, lines


def _grid(horiz: np.ndarray, vert: np.ndarray, ox: int, oy: int) -> TableGrid | None:
    hh, ww = horiz.shape
    kh = max(25, ww // 35)
    ys = _groups((horiz > 0).sum(axis=1), kh)
    xs = _groups((vert > 0).sum(axis=0), 10)
    if len(ys) < 2 or len(xs) < 2:
        return None
    # outer border missing on a side (open tables): the horizontal lines' ends stand in
    cols_with_ink = np.flatnonzero((horiz > 0).sum(axis=0))
    if cols_with_ink.size:
        left, right = int(cols_with_ink[0]), int(cols_with_ink[-1])
        if xs[0] - left > 15:
            xs.insert(0, left)
        if right - xs[-1] > 15:
            xs.append(right)

    def vedge(x: int, y0: int, y1: int) -> bool:
        a, b = y0 + 2, y1 - 1
        if b - a < 3:
            return True
        strip = vert[a:b, max(0, x - 6):x + 7] > 0
        if strip.size == 0:
            return False
        # one pixel column must carry the line (a union over the window would add up the
        # strokes of neighbouring characters); a drawn line touches the lines above and
        # below, a character stroke does not
        for k in range(strip.shape[1]):
            cov = strip[:, k]
            if cov.mean() >= VEDGE_COVER and cov[:3].any() and cov[-3:].any():
                return True
        return False

    def hedge(y: int, x0: int, x1: int) -> bool:
        a, b = x0 + 2, x1 - 1
        if b - a < 3:
            return True
        strip = horiz[max(0, y - 6):y + 7, a:b]
        if strip.size == 0:
            return False
        return (strip.max(axis=0) > 0).mean() >= EDGE_COVER

    # drop candidate lines that are not a drawn edge anywhere (character strokes, stray marks)
    for _ in range(2):
        xs = [x for k, x in enumerate(xs) if k in (0, len(xs) - 1) or any(vedge(x, ys[r], ys[r + 1]) for r in range(len(ys) - 1))]
        ys = [y for k, y in enumerate(ys) if k in (0, len(ys) - 1) or any(hedge(y, xs[c], xs[c + 1]) for c in range(len(xs) - 1))]
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1 or (nr < 2 and nc < 2):
        return None
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(nr):
        for c in range(nc):
            if c + 1 < nc and not vedge(xs[c + 1], ys[r], ys[r + 1]):
                union(r * nc + c, r * nc + c + 1)
            if r + 1 < nr and not hedge(ys[r + 1], xs[c], xs[c + 1]):
                union(r * nc + c, (r + 1) * nc + c)
    ids: dict[int, int] = {}
    owner = [[0] * nc for _ in range(nr)]
    boxes: list[list[int]] = []
    for r in range(nr):
        for c in range(nc):
            root = find(r * nc + c)
            if root not in ids:
                ids[root] = len(boxes)
                boxes.append([xs[c], ys[r], xs[c + 1], ys[r + 1]])
            k = ids[root]
            owner[r][c] = k
            b = boxes[k]
            b[0], b[1] = min(b[0], xs[c]), min(b[1], ys[r])
            b[2], b[3] = max(b[2], xs[c + 1]), max(b[3], ys[r + 1])
    return TableGrid(
        xs=[x + ox for x in xs],
        ys=[y + oy for y in ys],
        owner=owner,
        boxes=[(b[0] + ox, b[1] + oy, b[2] + ox, b[3] + oy) for b in boxes],
    )
