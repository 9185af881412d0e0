"""The table of named layouts: how each is recognised and what it has.

Rules never compare layout names; they ask `Document.can(capability)` (a deviation column,
a 原因 column for the budget, scores, actual values, the default 10/50/30/10 weights …), and
the answer comes from this table. A new layout is one entry here and one case in
tests/layout_cases.py.

`detect(cols, header_text)` picks the layout of an indicator grid from the columns its header
row was matched to (keys of checker.reading.extract.IND_COLS) and the header row's text; the first
entry whose detector accepts wins, so the order below is the order of precedence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

CAPABILITIES = {
    "actual_values": "年度实际完成值（或监控表的 1-X月执行情况）有单独一列",
    "scored": "有分值、得分列，单位按官方方法给自己打分",
    "deviation_column": "有偏差原因分析（未完成原因分析）列",
    "budget_reason_column": "项目资金块有“原因”列，执行率偏低时应在其中说明",
    "default_weights": "一级指标默认权重 预算执行率10/产出50/效益30/满意度10 适用",
    "monitoring": "1-X月执行情况、全年预计完成情况、偏差原因、完成目标可能性（监控表）",
}


@dataclass(frozen=True)
class Layout:
    name: str
    label: str  # Chinese, for README and explanations
    detect: Callable[[dict, str], bool]
    capabilities: frozenset[str]


def _ab(cols: dict, header: str) -> bool:
    return bool(re.search(r"[（(]\s*[AB]\s*[)）]", header))


_EVALUATED = frozenset({"actual_values", "scored", "deviation_column", "default_weights"})

LAYOUTS: tuple[Layout, ...] = (
    Layout("monitoring_2019", "财预〔2019〕136号 项目支出绩效目标执行监控表",
           lambda c, h: any(k in c for k in ("progress", "forecast", "likelihood")),
           frozenset({"actual_values", "deviation_column", "default_weights", "monitoring"})),
    Layout("goal_setting", "绩效目标申报表（没有实际完成值、得分列）",
           lambda c, h: "actual" not in c and "score" not in c,
           frozenset({"default_weights"})),
    Layout("sichuan", "四川版部门预算项目支出绩效自评表（指标性质、度量单位单列，预算执行情况10分、绩效指标90分）",
           lambda c, h: "nature" in c or "unit" in c,
           frozenset({"actual_values", "scored", "deviation_column", "budget_reason_column"})),
    Layout("transfer_weight_first", "转移支付自评表（分值列在指标值之前）",
           lambda c, h: "weight" in c and "target" in c and min(c["weight"]) < min(c["target"]),
           _EVALUATED),
    Layout("central_ab", "中央部门版自评表（表头带 (A)/(B)）", _ab, _EVALUATED),
    Layout("standard_2020", "财预〔2020〕10号 项目支出绩效自评表", lambda c, h: True, _EVALUATED),
    # not an indicator grid: a report's text; its rules read sections, not columns
    Layout("prose", "评价报告正文（编号章节）", lambda c, h: False,
           frozenset({"actual_values", "deviation_column", "default_weights"})),
)
BY_NAME = {lay.name: lay for lay in LAYOUTS}


def detect(cols: dict, header_text: str) -> str:
    for lay in LAYOUTS:
        if lay.detect(cols, header_text):
            return lay.name
    return "standard_2020"


def can(layout: str | None, capability: str, default: bool = False) -> bool:
    """Whether the layout (a Document.base_layout) has `capability`; `default` when no layout was read."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown layout capability {capability!r}")
    lay = BY_NAME.get(layout or "")
    return default if lay is None else capability in lay.capabilities
