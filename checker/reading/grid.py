"""The aligned grid: a table's cells by row and column after merges, with label matching on rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from checker.core.document import Location, Table
from checker.reading.labels import BUDGET_ANCHOR, BUDGET_COLS, FOOTER, GOAL_ACTUAL, GOAL_ANCHOR, GOAL_EXPECTED, GOAL_FORECAST, GRADE_LABEL, HEADER_LABELS, IND_COLS, TOTAL_LABEL, nkey

# ---- the aligned grid ----------------------------------------------------------------


@dataclass
class GCell:
    text: str
    key: str
    col: int  # 0-based column in Table.rows (for Location)


class Grid:
    """A table expanded to grid columns, so header and data rows line up."""

    def __init__(self, table: Table):
        self.table = table
        self.rows: list[list[GCell]] = []
        for r, row in enumerate(table.rows):
            spans = table.spans[r] if table.spans and r < len(table.spans) else [1] * len(row)
            out = []
            for c, text in enumerate(row):
                cell = GCell(text, nkey(text), c)
                out.extend([cell] * max(1, spans[c] if c < len(spans) else 1))
            self.rows.append(out)
        self.width = max((len(r) for r in self.rows), default=0)

    def cell(self, r: int, c: int) -> GCell | None:
        row = self.rows[r]
        return row[c] if c < len(row) else None

    def loc(self, r: int, c: int | None = None) -> Location:
        col = None
        if c is not None:
            g = self.cell(r, c)
            col = g.col + 1 if g else None
        return Location(self.table.location.page, self.table.location.table, r + 1, col)

    def distinct(self, r: int, cols=None) -> list[GCell]:
        """Non-empty cells of a row, each merged cell once, left to right."""
        seen, out = set(), []
        row = self.rows[r]
        for c in cols if cols is not None else range(len(row)):
            if c >= len(row):
                continue
            g = row[c]
            if id(g) in seen or not g.text.strip():
                continue
            seen.add(id(g))
            if out and out[-1].text == g.text:  # merged across in xlsx (filled copies)
                continue
            out.append(g)
        return out

    def text_at(self, r: int, cols: list[int]) -> str:
        return "\n".join(g.text for g in self.distinct(r, cols)).strip()


def match_row(grid: Grid, r: int, patterns: dict[str, re.Pattern]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for c, g in enumerate(grid.rows[r]):
        if not g.key:
            continue
        for field, pat in patterns.items():
            if pat.match(g.key):
                found.setdefault(field, []).append(c)
                break
    return found


_LABEL_POOLS = [*BUDGET_COLS.values(), *IND_COLS.values(), *HEADER_LABELS.values(), *FOOTER.values(),
                GOAL_EXPECTED, GOAL_ACTUAL, GOAL_FORECAST, GOAL_ANCHOR, TOTAL_LABEL, GRADE_LABEL]


def label_like(key: str) -> bool:
    if not key or len(key) > 24:  # labels are short; long text is content
        return False
    return any(p.match(key) for p in _LABEL_POOLS) or bool(BUDGET_ANCHOR.match(key)) or key in ("绩效指标", "年度绩效指标")


def is_ind_header(grid: Grid, r: int) -> bool:
    found = match_row(grid, r, IND_COLS)
    return "name" in found and ("target" in found or "level2" in found or "progress" in found)


