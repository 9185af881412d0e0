"""The unit table (部门得分情况汇总): one row per unit, one column per document type.

A cell is the mean review score of the unit's documents of that type; 平均分 is the
mean of the cells the unit has (a missing type shows 无 and is left out). Rows are
sorted by the unrounded 平均分, high to low, ties keeping the order in which units
first appear in the input — the bureau's own table (review-report.md) lists 财政局
before 国库支付中心 at 94.775 each. Arithmetic is in Decimal so exact ties stay ties
and 94.775 shows as 94.78 (half up, as a person rounds), never 94.77.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

# (contract doc_type code, column title) in table order
TYPE_COLUMNS = (
    ("self_eval_table", "自评表"),
    ("project_report", "项目绩效报告"),
    ("overall_report", "整体绩效报告"),
    ("monitoring_table", "监控表"),
)
COLUMNS = ("序号", "单位名称", *(t for _, t in TYPE_COLUMNS), "平均分")
MISSING = "无"
UNNAMED_UNIT = "未识别单位"
UNKNOWN_TYPES = ("unknown", "未识别")
TWO = Decimal("0.01")

# Accepted spellings of a document type in an input file -> contract code.
_TYPE_ALIASES = {
    "self_eval_table": "self_eval_table",
    "自评表": "self_eval_table",
    "项目支出绩效自评表": "self_eval_table",
    "project_report": "project_report",
    "项目绩效报告": "project_report",
    "项目绩效评价报告": "project_report",
    "重点项目绩效评价报告": "project_report",
    "overall_report": "overall_report",
    "整体绩效报告": "overall_report",
    "部门整体支出绩效评价报告": "overall_report",
    "部门整体绩效报告": "overall_report",
    "monitoring_table": "monitoring_table",
    "监控表": "monitoring_table",
    "项目支出绩效监控情况表": "monitoring_table",
    "绩效监控表": "monitoring_table",
}
# Accepted header names -> canonical column key.
_HEADER_ALIASES = {
    "unit": "unit",
    "单位": "unit",
    "单位名称": "unit",
    "doc_type": "doc_type",
    "type": "doc_type",
    "文档类型": "doc_type",
    "材料类型": "doc_type",
    "类型": "doc_type",
    "score": "score",
    "得分": "score",
    "分数": "score",
    "复核得分": "score",
}


class UnitsInputError(Exception):
    """A scores file that cannot be used; `code` for scripts, message in Chinese."""

    def __init__(self, code: str, message: str):
        self.code = code
        self.message = message
        super().__init__(f"{code}: {message}")


@dataclass
class UnitRow:
    unit: str
    order: int  # first appearance in the input; breaks ties
    scores: dict[str, list[Decimal]] = field(default_factory=dict)  # doc_type -> document scores

    def cell(self, doc_type: str) -> Decimal | None:
        vals = self.scores.get(doc_type)
        return sum(vals, Decimal(0)) / len(vals) if vals else None

    @property
    def mean(self) -> Decimal | None:
        cells = [c for c in (self.cell(t) for t, _ in TYPE_COLUMNS) if c is not None]
        return sum(cells, Decimal(0)) / len(cells) if cells else None


def to_decimal(value) -> Decimal | None:
    """A score from CSV text or a spreadsheet number; None for 无/blank."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, int | float):
        return Decimal(repr(float(value)))  # shortest repr: 98.5, not 98.4999…
    text = str(value).strip()
    if text in ("", MISSING, "—", "-", "/", "null", "None"):
        return None
    return Decimal(text)


def canonical_type(value: str | None) -> str | None:
    if value is None:
        return None
    return _TYPE_ALIASES.get(str(value).strip())


def build_table(records) -> list[UnitRow]:
    """`records`: iterable of (unit, doc_type code, score Decimal|None) in input order."""
    rows: dict[str, UnitRow] = {}
    for unit, doc_type, score in records:
        row = rows.get(unit)
        if row is None:
            row = rows[unit] = UnitRow(unit, len(rows))
        if score is not None:
            row.scores.setdefault(doc_type, []).append(score)
    kept = [r for r in rows.values() if r.mean is not None]
    # Sort on the exact mean, then input order (Python's sort is stable; key makes it explicit).
    return sorted(kept, key=lambda r: (-r.mean, r.order))


def fmt(d: Decimal | None) -> str:
    return MISSING if d is None else str(d.quantize(TWO, rounding=ROUND_HALF_UP))


def as_number(d: Decimal | None):
    return MISSING if d is None else float(d.quantize(TWO, rounding=ROUND_HALF_UP))


def table_rows(table: list[UnitRow], numbers: bool = False) -> list[dict]:
    """Rows keyed by the Chinese column names; scores as text (two decimals) or numbers."""
    conv = as_number if numbers else fmt
    out = []
    for i, r in enumerate(table, 1):
        row = {"序号": i, "单位名称": r.unit}
        for t, title in TYPE_COLUMNS:
            row[title] = conv(r.cell(t))
        row["平均分"] = conv(r.mean)
        out.append(row)
    return out


def unit_table(rows) -> list[dict]:
    """The table from dicts {unit, doc_type, score} (batch results, web app): rows keyed by
    the Chinese column names, scores as numbers rounded to two decimals, 无 for a missing type.
    Rows whose doc_type is not one of the four table types, or without a score, are left out."""
    records = []
    for r in rows:
        doc_type = canonical_type(r.get("doc_type"))
        unit = str(r.get("unit") or "").strip()
        if doc_type is None or not unit:
            continue
        score = to_decimal(r.get("score"))
        if score is not None:
            records.append((unit, doc_type, score))
    return table_rows(build_table(records), numbers=True)


# ---- reading a scores file -----------------------------------------------------------


def read_scores(path: str | Path) -> list[tuple[str, str, Decimal | None]]:
    """Read a CSV/XLSX with columns unit, doc_type, score (or their Chinese names)."""
    p = Path(path)
    if not p.is_file():
        raise UnitsInputError("not_found", f"找不到得分文件：{p}")
    data = p.read_bytes()
    if not data:
        raise UnitsInputError("empty_file", f"得分文件为空：{p}")
    if data[:4] == b"PK\x03\x04":
        grid = _xlsx_grid(data, p)
    else:
        grid = _csv_grid(data, p)
    return _records(grid, p)


def _csv_grid(data: bytes, p: Path) -> list[list]:
    for enc in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnitsInputError("unsupported_format", f"无法识别得分文件的编码（应为 UTF-8 或 GBK 的 CSV）：{p}")
    return [row for row in csv.reader(io.StringIO(text))]


def _xlsx_grid(data: bytes, p: Path) -> list[list]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnitsInputError("corrupt_file", f"得分文件无法作为 Excel 打开（{type(exc).__name__}）：{p}") from exc
    try:
        ws = wb.worksheets[0]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def _records(grid: list[list], p: Path) -> list[tuple[str, str, Decimal | None]]:
    rows = [r for r in grid if any(c not in (None, "") for c in r)]
    if not rows:
        raise UnitsInputError("no_content", f"得分文件中没有数据：{p}")
    header = [_HEADER_ALIASES.get(str(c).strip().lower() if c is not None else "", None) for c in rows[0]]
    missing = [k for k in ("unit", "doc_type", "score") if k not in header]
    if missing:
        raise UnitsInputError(
            "bad_columns", f"得分文件第1行应为列名 unit、doc_type、score（或 单位名称、文档类型、得分），缺少：{'、'.join(missing)}"
        )
    idx = {k: header.index(k) for k in ("unit", "doc_type", "score")}
    out = []
    for n, r in enumerate(rows[1:], 2):
        def get(k, r=r):
            return r[idx[k]] if idx[k] < len(r) else None

        try:
            score = to_decimal(get("score"))
        except (InvalidOperation, ValueError):
            raise UnitsInputError("bad_value", f"得分文件第{n}行的得分“{get('score')}”不是数字") from None
        if score is None:
            continue  # no score (无, or an unreadable file in a batch's documents.csv): nothing to add
        raw_type = str(get("doc_type") or "").strip()
        if raw_type in UNKNOWN_TYPES:
            continue  # a document whose type was not recognised has no column in the table
        doc_type = canonical_type(raw_type)
        if doc_type is None:
            names = "、".join(t for _, t in TYPE_COLUMNS)
            raise UnitsInputError("bad_value", f"得分文件第{n}行的文档类型“{get('doc_type')}”无法识别，应为 {names} 之一")
        # same label the batch and the report drafter use for a document without a unit name
        unit = str(get("unit") or "").strip() or UNNAMED_UNIT
        if score is not None and not (0 <= score <= 100):
            raise UnitsInputError("bad_value", f"得分文件第{n}行的得分 {score} 不在 0–100 之间")
        out.append((unit, doc_type, score))
    return out


# ---- text and CSV renderings ---------------------------------------------------------


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def render_text(table: list[UnitRow]) -> str:
    rows = [list(COLUMNS)] + [[str(v) for v in r.values()] for r in table_rows(table)]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["部门得分情况汇总"]
    for r in rows:
        cells = []
        for i, v in enumerate(r):
            pad = " " * (widths[i] - _width(v))
            cells.append(v + pad if i == 1 else pad + v)
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def render_csv(table: list[UnitRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in table_rows(table):
        w.writerow([r[c] for c in COLUMNS])
    return buf.getvalue()
