"""The document model: the only thing rules, scoring and reporters see.

Parsers turn a file into a `RawDocument` (paragraphs and table grids with
their positions); `checker.reading.extract` turns that into a `Document`. Every item
keeps a `Location` so a finding can point back to where it stands.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DOC_TYPES = (
    "self_eval_table",  # 项目支出绩效自评表
    "project_report",  # 项目/重点项目绩效评价报告
    "overall_report",  # 部门整体支出绩效评价报告 / 部门整体自评表
    "monitoring_table",  # 项目支出绩效监控情况表
    "unknown",
)

DOC_TYPE_LABELS = {
    "self_eval_table": "项目支出绩效自评表",
    "project_report": "项目绩效评价报告",
    "overall_report": "部门整体支出绩效评价报告",
    "monitoring_table": "项目支出绩效监控情况表",
    "unknown": "未识别",
}


@dataclass(frozen=True)
class Location:
    """Where an item stands in the source file; every index is 1-based."""

    page: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    paragraph: int | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def with_field(self, name: str) -> Location:
        return Location(self.page, self.table, self.row, self.column, self.paragraph, name)

    def describe(self) -> str:
        """Chinese description, e.g. 第2页 表1 第5行 第4列."""
        parts = []
        if self.page:
            parts.append(f"第{self.page}页")
        if self.table:
            parts.append(f"表{self.table}")
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"第{self.column}列")
        if self.paragraph:
            parts.append(f"第{self.paragraph}段")
        return " ".join(parts) or "全文"


@dataclass(frozen=True)
class Value:
    """A parsed 指标值: sign, number and unit, plus the text as written.

    `kind` is `quantitative` (a number), `qualitative` (text), or `missing`
    ("—", "/", "无", empty).
    """

    raw: str
    kind: str = "missing"
    sign: str | None = None  # one of ≥ ≤ = > <
    number: float | None = None
    unit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---- raw layer: what parsers produce -------------------------------------------------


@dataclass
class Paragraph:
    text: str
    location: Location
    style: str | None = None  # heading style name where the format has one
    level: int | None = None  # heading level (1 = 一、, 2 = （一）, 3 = 1.) where known


@dataclass
class Cell:
    text: str
    row: int  # 1-based within its table
    column: int  # 1-based within its table, after dropping horizontal merge duplicates


@dataclass
class Table:
    """A grid of cell texts; merged cells already filled (down and across)."""

    rows: list[list[str]]
    location: Location  # page/table index of the table itself
    # grid columns each cell covers (docx gridSpan), parallel to `rows`; None = all 1.
    # Lets extract align header and data rows whose merges differ.
    spans: list[list[int]] | None = None
    sheet: str | None = None  # the worksheet's name, for tables read from a workbook
    # recognition confidence (0-1) of each cell, parallel to `rows`, for tables read by OCR;
    # None = the file's own text.
    confidence: list[list[float]] | None = None

    def cell_location(self, row: int, column: int) -> Location:
        """Location of the cell at 0-based (row, column)."""
        return Location(self.location.page, self.location.table, row + 1, column + 1)


@dataclass
class RawDocument:
    """What a parser read: paragraphs and tables in reading order."""

    format: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: int | None = None
    file_name: str | None = None
    notices: list[str] = field(default_factory=list)  # Chinese reading notices
    read_by: str = "text"  # "text" (the file's own text) or "ocr" (recognised from page images)
    image_pages: list[int] = field(default_factory=list)  # 1-based pages with no text layer (PDF)


# ---- interpreted layer --------------------------------------------------------------


@dataclass
class BudgetRow:
    """One row of the 项目资金 block (年度资金总额 or a 其中 row)."""

    label: str
    initial: float | None = None  # 年初预算数
    annual: float | None = None  # 全年预算数 / 调整后预算数
    executed: float | None = None  # 全年执行数 (or 1-X月执行数 in a monitoring table)
    execution_rate: float | None = None  # percent, 0-100+, as written
    weight: float | None = None  # 分值
    score: float | None = None  # 得分
    forecast: float | None = None  # 全年预计执行数 (monitoring table)
    location: Location = field(default_factory=Location)


@dataclass
class Budget:
    total: BudgetRow | None = None
    rows: list[BudgetRow] = field(default_factory=list)  # the 其中 rows
    reason: str | None = None  # 原因 / 偏差原因 column where a layout has one

    @property
    def initial(self) -> float | None:
        return self.total.initial if self.total else None

    @property
    def annual(self) -> float | None:
        return self.total.annual if self.total else None

    @property
    def executed(self) -> float | None:
        return self.total.executed if self.total else None

    @property
    def execution_rate(self) -> float | None:
        return self.total.execution_rate if self.total else None

    @property
    def weight(self) -> float | None:
        return self.total.weight if self.total else None

    @property
    def score(self) -> float | None:
        return self.total.score if self.total else None

    def to_contract(self) -> dict[str, Any]:
        return {
            "initial": self.initial,
            "annual": self.annual,
            "executed": self.executed,
            "execution_rate": self.execution_rate,
            "weight": self.weight,
            "score": self.score,
        }


@dataclass
class Goal:
    expected: str
    actual: str | None = None
    location: Location = field(default_factory=Location)
    # monitoring tables: 1-X月总体目标完成情况 in `actual`, 全年预计完成情况 here
    forecast: str | None = None


@dataclass
class Monitoring:
    """Monitoring-table fields of one indicator (财预〔2019〕136号)."""

    progress: str | None = None  # 1-X月执行情况
    forecast: str | None = None  # 全年预计完成情况
    forecast_value: Value | None = None
    causes: dict[str, str] = field(default_factory=dict)  # 经费保障/制度保障/人员保障/硬件条件保障/其他
    likelihood: str | None = None  # 确定能 / 有可能 / 完全不可能
    remark: str | None = None


@dataclass
class Indicator:
    level1: str
    level2: str
    name: str
    target: str  # 年度指标值 as written (sign and unit columns folded in where separate)
    actual: str | None = None  # 实际完成值 as written
    weight: float | None = None  # 分值
    score: float | None = None  # 得分
    deviation: str | None = None  # 偏差原因分析及改进措施
    nature: str | None = None  # 指标性质 column where the layout has one
    unit: str | None = None  # 度量单位 column where the layout has one
    target_value: Value = field(default_factory=lambda: Value(""))
    actual_value: Value = field(default_factory=lambda: Value(""))
    level1_weight: float | None = None  # from 产出指标(50分)
    monitoring: Monitoring | None = None
    location: Location = field(default_factory=Location)

    def to_contract(self) -> dict[str, Any]:
        return {
            "level1": self.level1,
            "level2": self.level2,
            "name": self.name,
            "target": self.target,
            "actual": self.actual,
            "weight": self.weight,
            "score": self.score,
            "deviation": self.deviation,
            "location": self.location.to_dict(),
        }


@dataclass
class Section:
    """A numbered section of a prose report (一、 / （一） / 1.)."""

    number: str  # as written: 一 / （一） / 1
    title: str
    level: int
    text: str  # body text, paragraphs joined by newlines
    location: Location = field(default_factory=Location)
    children: list[Section] = field(default_factory=list)


@dataclass
class Document:
    """Everything extracted from one submitted file."""

    format: str
    doc_type: str = "unknown"
    unit: str | None = None  # 实施单位 / 单位名称
    department: str | None = None  # 主管部门
    project: str | None = None
    year: int | None = None
    title: str | None = None
    budget: Budget | None = None
    goals: list[Goal] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    self_score: float | None = None  # 总分 the unit gave itself
    self_grade: str | None = None  # 自评等级 where written
    conclusion: str | None = None  # 评价结论
    problems: str | None = None  # 存在问题
    measures: str | None = None  # 改进措施
    content: str | None = None  # 项目实施内容及过程概述 / 项目概况 where present
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: int | None = None
    notices: list[str] = field(default_factory=list)
    # which table layout was recognised, e.g. standard_2020, central_ab, sichuan,
    # transfer_weight_first, goal_setting, monitoring_2019, embedded
    layout: str | None = None
    read_by: str = "text"  # "text" or "ocr", from RawDocument.read_by

    @property
    def base_layout(self) -> str | None:
        """The table layout without the `+embedded` suffix a report's table carries."""
        return self.layout.split("+", 1)[0] if self.layout else None

    @property
    def embedded(self) -> bool:
        """True when the table was found inside a prose report."""
        return bool(self.layout and (self.layout.endswith("+embedded") or self.layout == "embedded"))

    def can(self, capability: str, default: bool = False) -> bool:
        """Whether the recognised layout has `capability` (checker.core.layouts.CAPABILITIES)."""
        from checker.core.layouts import can

        return can(self.base_layout, capability, default)

    def iter_sections(self):
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            yield s
            stack.extend(reversed(s.children))

    def section_titles(self) -> list[str]:
        return [s.title for s in self.iter_sections()]

    def full_text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)
