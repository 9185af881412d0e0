"""RawDocument → Document: find the blocks of a self-evaluation table by their labels.

Blocks are located by anchor labels and header synonyms (domain.md §1.3), never by
fixed row numbers, so the same code reads the 2020 national grid, the central (A)/(B)
edition, the Sichuan variant, 转移支付 tables with 分值 before the values, goal-setting
tables, the 2019 monitoring table, department-wide tables and tables embedded in a
prose report. Prose reports give their numbered sections.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from checker.core.document import Budget, BudgetRow, Document, Goal, Indicator, Location, Monitoring, Paragraph, RawDocument, Section, Table
from checker.reading.values import is_missing, parse_money, parse_number, parse_rate, parse_value

# ---- label normalisation -------------------------------------------------------------

_BRACKET = re.compile(r"[（(【\[][^（()）】\]]{0,10}[)）】\]]")
_LEAD_NUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}(?:[、．.](?!\d)))")


def nkey(text: str | None) -> str:
    """Comparable label: NFKC, no spaces, no (A)/(万元)/(10分) brackets, no leading 1. / 一、, no trailing colon."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\s+", "", t)
    t = _LEAD_NUM.sub("", t)
    t = _BRACKET.sub("", t)
    t = t.rstrip(":：")
    return t


def _any(patterns: str) -> re.Pattern:
    return re.compile(rf"^(?:{patterns})$")


_MONTHS = r"(?:1[-—–~～至到]\d{1,2}月|\d{1,2}月(?:底|末)?|截至\d{1,2}月(?:底|末)?|当前月)"

BUDGET_COLS = {
    "initial": _any(r"年初预算数?|年初预算金额|年初预算资金|年初预算安排数?"),
    "annual": _any(r"全年预算数?|调整后预算数?|调整后全年预算数|当年预算数?|预算数|全年预算金额|预算金额|全年预算安排数?"),
    "executed": _any(rf"全年执行数|预算执行数|实际执行数|执行数|全年实际执行数|实际支出数?|全年实际支出数?|{_MONTHS}执行数|{_MONTHS}预算执行数"),
    "execution_rate": _any(rf"执行率|预算执行率|全年执行率|全年预算执行率|{_MONTHS}执行率|{_MONTHS}预算执行率|执行率B/A"),
    "weight": _any(r"分值|权重"),
    "score": _any(r"得分|自评得分"),
    "forecast": _any(r"全年预计执行数|预计全年执行数|全年预计执行金额|全年预计支出数|全年预计支出|预计执行数|全年预计完成数|全年预计执行"),
    "reason": _any(r"原因|偏差原因|原因说明|执行偏差原因|原因分析|未完成原因|偏差原因分析"),
}
BUDGET_CORE = ("initial", "annual", "executed", "forecast")

IND_COLS = {
    "level1": _any(r"一级指标"),
    "level2": _any(r"二级指标"),
    "name": _any(r"三级指标|指标名称|具体指标|三级指标名称|绩效指标名称|指标内容"),
    "target": _any(r"年度指标值|指标值|目标值|年度目标值|预期指标值|年度绩效指标值|计划指标值|预期目标值|年度指标目标值|绩效指标值"),
    "actual": _any(r"实际完成值|完成值|全年实际值|实际值|实际完成指标值|全年实际完成值|实际完成数"),
    "nature": _any(r"指标性质|计算符号|性质|符号|指标方向"),
    "unit": _any(r"度量单位|计量单位|单位"),
    "weight": _any(r"分值|权重|指标分值|指标权重"),
    "score": _any(r"得分|自评得分"),
    "deviation": _any(r"偏差原因分析及改进措施|未完成原因分析|未完成原因分析及改进措施|偏差原因及整改措施|偏差原因分析|原因分析及改进措施"
                      r"|偏差原因|未完成原因及改进措施|偏差原因分析及整改措施|未完成原因分析及整改措施|偏差原因分析及改进措施说明"),
    "progress": _any(rf"{_MONTHS}执行情况|{_MONTHS}完成情况|{_MONTHS}完成值|{_MONTHS}指标完成情况|{_MONTHS}实际完成值|{_MONTHS}实际完成情况|{_MONTHS}实际值|执行情况"),
    "forecast": _any(r"全年预计完成情况|全年预计完成值|预计全年完成情况|全年预计完成|预计全年完成值|全年预计值|预计完成值|全年预计完成数"),
    "cause_经费保障": _any(r"经费保障|经费保障偏差原因"),
    "cause_制度保障": _any(r"制度保障|制度保障偏差原因"),
    "cause_人员保障": _any(r"人员保障|人员保障偏差原因"),
    "cause_硬件条件保障": _any(r"硬件条件保障|硬件保障|硬件条件|硬件保障偏差原因|硬件保障偏差目标"),
    "cause_其他": _any(r"其他|其他偏差原因|其他原因"),
    "likelihood": _any(r"完成目标可能性|完成可能性"),
    "remark": _any(r"备注|偏差原因备注"),
}
CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")

GOAL_EXPECTED = _any(r"预期目标|年初预期目标|项目年度目标|年度目标|绩效目标|总体目标|年初设定目标|年度总体目标值|年度绩效目标|预期绩效目标")
GOAL_ACTUAL = _any(rf"实际完成情况|实际完成目标|目标完成情况|完成情况|目标实际完成情况|年度实际完成情况|年度目标完成情况|总体目标完成情况|{_MONTHS}总体目标完成情况|{_MONTHS}目标完成情况|{_MONTHS}完成情况|实际完成情况说明")
GOAL_FORECAST = _any(r"全年预计完成情况|预计全年完成情况|全年目标预计完成情况")
GOAL_ANCHOR = _any(r"年度总体目标|总体目标|年度目标|项目年度目标|年度总体目标完成情况|项目年度目标完成情况|绩效目标")

HEADER_LABELS = {
    "project": _any(r"项目名称|项目全称"),
    "department": _any(r"主管部门|主管部门及代码|市级主管部门|县级主管部门|主管单位|主管部门名称|部门名称及代码"),
    "unit": _any(r"实施单位|项目实施单位|承担处室|实施单位盖章|单位名称|部门单位名称|部门名称|预算单位|预算单位名称|填报单位|评价单位|单位"),
}
TOTAL_LABEL = _any(r"总分|合计|总计|自评总分|总分得分|总分/得分|综合得分|自评得分|总得分|合计得分|得分合计")
GRADE_LABEL = _any(r"自评等级|评价等级|等级|绩效等级|自评结果")
FOOTER = {
    "conclusion": _any(r"评价结论|自评结论|总体评价|综合评价结论|自评结论及得分|综合评价"),
    "problems": _any(r"存在问题|存在的问题|主要问题|存在问题及原因|存在的问题及原因|存在问题及原因分析|存在的问题及原因分析"),
    "measures": _any(r"改进措施|改进意见|整改措施|下一步改进措施|改进措施及建议|有关建议|改进建议|下一步工作打算"),
    "content": _any(r"项目实施内容及过程概述|项目实施内容|项目概况|项目实施情况|实施内容及过程概述"),
}
BUDGET_TOTAL = _any(r"年度资金总额|资金总额|总额|合计|总计|年度资金总额合计|预算资金总额|项目资金总额")
BUDGET_ANCHOR = re.compile(r"^(项目资金|预算执行情况|部门预算资金情况|年度预算资金情况|资金情况|预算资金情况|部门整体支出情况|预算执行$|部门资金)")
SCORE_IN_TEXT = re.compile(r"(?:自评|综合|评价|最终|总)\s*得分\s*(?:为|是|：|:)?\s*(\d{1,3}(?:\.\d+)?)\s*分")
GRADE_IN_TEXT = re.compile(r"(?:自评|评价|绩效)?等级\s*(?:为|是|：|:)\s*[“\"'「『]?(优秀|良好|合格|不合格|优|良|中|差)")
_L1_WEIGHT = re.compile(r"[（(]\s*(\d{1,6}(?:\.\d{1,6})?)\s*分?\s*[)）]")
_SIGN_CELL = re.compile(r"^(≥|≤|=|>|<|＞|＜|＝|>=|<=|大于等于|小于等于|等于|大于|小于|不低于|不高于|不少于|不超过)$")


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


def _match_row(grid: Grid, r: int, patterns: dict[str, re.Pattern]) -> dict[str, list[int]]:
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


def _label_like(key: str) -> bool:
    if not key or len(key) > 24:  # labels are short; long text is content
        return False
    return any(p.match(key) for p in _LABEL_POOLS) or bool(BUDGET_ANCHOR.match(key)) or key in ("绩效指标", "年度绩效指标")


def _is_ind_header(grid: Grid, r: int) -> bool:
    found = _match_row(grid, r, IND_COLS)
    return "name" in found and ("target" in found or "level2" in found or "progress" in found)


# ---- blocks --------------------------------------------------------------------------


def _header_fields(grid: Grid) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in range(len(grid.rows)):
        cells = grid.distinct(r)
        for i, g in enumerate(cells):
            for field, pat in HEADER_LABELS.items():
                if field in out:
                    continue
                if pat.match(g.key):
                    for nxt in cells[i + 1:]:
                        if _label_like(nxt.key) or is_missing(nxt.text):
                            break
                        out[field] = nxt.text.strip()
                        break
                else:
                    m = re.match(r"^(.{2,12}?)[：:](.+)$", g.text.strip())
                    if m and pat.match(nkey(m.group(1))) and not is_missing(m.group(2)):
                        out[field] = m.group(2).strip()
    return out


@dataclass
class IndHeader:
    row: int
    last_header_row: int
    cols: dict[str, list[int]]
    # 完成目标可能性 split into tick columns: column -> 确定能 / 有可能 / 完全不可能
    choices: dict[int, str] = field(default_factory=dict)


def _find_indicator_header(grid: Grid, start: int = 0) -> IndHeader | None:
    for r in range(start, len(grid.rows)):
        if not _is_ind_header(grid, r):
            continue
        found = _match_row(grid, r, IND_COLS)
        if found:
            cols = dict(found)
            last = r
            # a second header row (monitoring: 偏差原因分析 → 经费保障 | 制度保障 …)
            if r + 1 < len(grid.rows):
                sub = _match_row(grid, r + 1, IND_COLS)
                sub_new = {k: v for k, v in sub.items() if k.startswith("cause_") or k not in cols or k in ("likelihood", "remark")}
                n_causes = sum(k.startswith("cause_") for k in sub)
                if n_causes >= 2 or (sub and len(set(sub) - set(found)) >= 1 and not _row_has_data(grid, r + 1, sub)):
                    for k, v in sub_new.items():
                        for c in v:
                            for kk in list(cols):  # a sub-label takes its column from the parent label
                                if c in cols[kk] and kk != k:
                                    cols[kk] = [x for x in cols[kk] if x != c]
                            cols.setdefault(k, [])
                            if c not in cols[k]:
                                cols[k].append(c)
                    cols = {k: v for k, v in cols.items() if v}
                    last = r + 1
            choices = {}
            if r + 1 < len(grid.rows) and len(cols.get("likelihood", [])) > 1:
                for c in cols["likelihood"]:
                    g = grid.cell(r + 1, c)
                    if g is not None and g.key in LIKELIHOOD:
                        choices[c] = g.key
                if choices:
                    last = max(last, r + 1)
            return IndHeader(r, last, cols, choices)
    return None


def _row_has_data(grid: Grid, r: int, matched: dict[str, list[int]]) -> bool:
    matched_cols = {c for v in matched.values() for c in v}
    return any(g.text.strip() and not _label_like(g.key) for c, g in enumerate(grid.rows[r]) if c not in matched_cols)


LIKELIHOOD = {"确定能": "确定能", "有可能": "有可能", "完全不可能": "完全不可能"}
_LIKELIHOOD_CODES = {"1": "确定能", "2": "有可能", "3": "完全不可能"}  # codes used by the central system


def _likelihood(grid: Grid, r: int, h: IndHeader, text: str) -> str | None:
    if h.choices:  # ticked column wins: √ under 有可能
        for c, label in sorted(h.choices.items()):
            g = grid.cell(r, c)
            if g is not None and g.text.strip() and not is_missing(g.text) and g.text.strip() not in ("否", "×", "0"):
                return label
        return None
    t = (text or "").strip()
    return _LIKELIHOOD_CODES.get(t, t) or None


def _strip_l1(label: str) -> tuple[str, float | None]:
    m = _L1_WEIGHT.search(label)
    if not m:
        return label.strip(), None
    return _L1_WEIGHT.sub("", label).strip(), float(m.group(1))


def _fold(value: str, nature: str | None, unit: str | None) -> str:
    """sign + value + unit as DEVELOPERS.md says (`≥` `50` `个` → `≥50个`)."""
    v = value.strip()
    if not v or is_missing(v):
        return v
    sign = nature.strip() if nature and _SIGN_CELL.match(nkey(nature)) else ""
    if sign and not re.match(r"^[≥≤=><＞＜＝]|^(不低于|不高于|不少于|不超过|大于|小于|等于)", v):
        v = {">=": "≥", "<=": "≤", "大于等于": "≥", "小于等于": "≤", "等于": "=", "大于": ">", "小于": "<",
             "不低于": "≥", "不少于": "≥", "不高于": "≤", "不超过": "≤"}.get(sign, sign) + v
    u = (unit or "").strip()
    if u and not is_missing(u) and re.search(r"\d\s*$", v):
        v = v + u
    return v


def _indicators(grid: Grid, h: IndHeader, doc: Document, carry: Indicator | None = None) -> tuple[list[Indicator], int]:
    """Indicator rows under header `h`; `carry` is the last indicator of a table this one continues."""
    cols = h.cols
    inds: list[Indicator] = []
    level1, level2 = (carry.level1, carry.level2) if carry else ("", "")
    l1_weight = carry.level1_weight if carry else None
    r = h.last_header_row + 1
    end = r
    for r in range(h.last_header_row + 1, len(grid.rows)):
        cells = grid.distinct(r)
        if not cells:
            continue
        first = cells[0].key
        if TOTAL_LABEL.match(first) or any(TOTAL_LABEL.match(g.key) for g in cells[:2]):
            _self_score(grid, r, cols, doc)
            end = r
            break
        if _is_ind_header(grid, r):
            if _match_row(grid, r, IND_COLS) == _match_row(grid, h.row, IND_COLS):
                continue  # the header repeated after a page break
            end = r - 1
            break
        if any(p.match(first) for p in FOOTER.values()) or GRADE_LABEL.match(first) or BUDGET_ANCHOR.match(first):
            end = r - 1
            break

        def get(field: str) -> str:
            return grid.text_at(r, cols[field]) if field in cols else ""

        name = get("name")
        l1 = get("level1")
        l2 = get("level2")
        if l1:
            lab, w = _strip_l1(l1)
            if lab != level1:
                l1_weight = w
            elif w is not None:
                l1_weight = w
            level1 = lab
        if l2:
            level2 = _strip_l1(l2)[0]
        if not name or IND_COLS["name"].match(nkey(name)):
            end = r
            continue
        nature = get("nature") or None
        unit = get("unit") or None
        target_raw = get("target")
        actual_raw = get("actual") if "actual" in cols else None
        target = _fold(target_raw, nature, unit)
        actual = _fold(actual_raw, None, unit) if actual_raw is not None else None
        mon = None
        if any(k in cols for k in ("progress", "forecast", "likelihood")) or any(k.startswith("cause_") for k in cols):
            causes = {c: get("cause_" + c) for c in CAUSES if get("cause_" + c) and not is_missing(get("cause_" + c))}
            forecast = get("forecast") or None
            mon = Monitoring(
                progress=get("progress") or None,
                forecast=forecast,
                forecast_value=parse_value(forecast) if forecast else None,
                causes=causes,
                likelihood=_likelihood(grid, r, h, get("likelihood")),
                remark=get("remark") or None,
            )
        deviation = get("deviation") or None
        if mon is not None and actual is None:
            actual = mon.progress  # monitoring: 1-X月执行情况 is the value reached so far
        name_col = min(cols["name"])
        inds.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=name,
                target=target,
                actual=actual,
                weight=parse_number(get("weight")) if "weight" in cols else None,
                score=parse_number(get("score")) if "score" in cols else None,
                deviation=deviation if deviation is not None else None,
                nature=nature,
                unit=unit,
                target_value=parse_value(target),
                actual_value=parse_value(actual) if actual is not None else parse_value(""),
                level1_weight=l1_weight,
                monitoring=mon,
                location=grid.loc(r, name_col),
            )
        )
        end = r
    return inds, end


def _continues(grid: Grid, prev: Grid, h: IndHeader) -> bool:
    """A header-less table as wide as the indicator grid before it, whose rows carry names and values."""
    if grid.width != prev.width or not grid.rows:
        return False
    if _budget(grid)[0] is not None or _goals(grid):
        return False
    name_cols, target_cols = h.cols.get("name", []), h.cols.get("target", []) or h.cols.get("weight", [])
    rows = [r for r in range(len(grid.rows)) if grid.distinct(r)]
    filled = [r for r in rows if grid.text_at(r, name_cols) and grid.text_at(r, target_cols)]
    return len(filled) >= max(1, len(rows) // 2)


def _self_score(grid: Grid, r: int, cols: dict[str, list[int]], doc: Document) -> None:
    score = None
    if "score" in cols:
        score = parse_number(grid.text_at(r, cols["score"]))
    if score is None:
        nums = [parse_number(g.text) for g in grid.distinct(r)[1:]]
        nums = [n for n in nums if n is not None]
        if len(nums) >= 2:  # 总分 | 100 | 92.5: the weight first, the score last
            score = nums[-1]
        elif len(nums) == 1 and nums[0] != 100:
            score = nums[0]
        elif len(nums) == 1 and "weight" not in cols:
            score = nums[0]
    if score is not None and doc.self_score is None:
        doc.self_score = score
    _grade_in_row(grid, r, doc)


def _grade_in_row(grid: Grid, r: int, doc: Document) -> None:
    cells = grid.distinct(r)
    for i, g in enumerate(cells):
        if GRADE_LABEL.match(g.key) and i + 1 < len(cells) and doc.self_grade is None:
            val = cells[i + 1].text.strip()
            if val and not is_missing(val) and len(val) <= 6:
                doc.self_grade = val


def _budget(grid: Grid) -> tuple[Budget | None, dict[str, list[int]] | None, int]:
    for r in range(len(grid.rows)):
        found = _match_row(grid, r, BUDGET_COLS)
        core = [k for k in BUDGET_CORE if k in found]
        if not core or len(found) < 2:
            continue
        if _match_row(grid, r, {"name": IND_COLS["name"]}):
            continue
        first_col = min(c for v in found.values() for c in v)
        money_unit = _money_unit(grid, r)
        budget = Budget()
        rr = r + 1
        for rr in range(r + 1, len(grid.rows)):
            label_cells = [g for g in grid.distinct(rr, range(first_col)) if not BUDGET_ANCHOR.match(g.key)]
            label = label_cells[-1].text.strip() if label_cells else ""
            lkey = nkey(label)
            values = {k: grid.text_at(rr, v) for k, v in found.items()}
            nums = {k: v for k, v in values.items() if k != "reason"}
            has_number = any(parse_number(v) is not None for v in nums.values())
            if not label and not has_number:
                break
            if label and not has_number and _label_like(lkey) and not BUDGET_TOTAL.match(lkey):
                break  # the next block (评价结论, 总分 …) begins
            if label and (GOAL_ANCHOR.match(lkey) or IND_COLS["level1"].match(lkey) or lkey in ("绩效指标", "年度绩效指标")
                          or GOAL_EXPECTED.match(lkey) or _match_row(grid, rr, IND_COLS).get("name")):
                break
            row = BudgetRow(
                label=re.sub(r"^其中\s*[:：]?\s*", "", label),
                initial=parse_money(values.get("initial"), money_unit),
                annual=parse_money(values.get("annual"), money_unit),
                executed=parse_money(values.get("executed"), money_unit),
                execution_rate=parse_rate(values.get("execution_rate")) if values.get("execution_rate") else None,
                weight=parse_number(values.get("weight")),
                score=parse_number(values.get("score")),
                forecast=parse_money(values.get("forecast"), money_unit),
                location=grid.loc(rr),
            )
            if label_cells:
                row.location = Location(grid.table.location.page, grid.table.location.table, rr + 1, label_cells[-1].col + 1)
            if budget.total is None and (BUDGET_TOTAL.match(lkey) or not budget.rows and not lkey.startswith("其中")):
                budget.total = row
                if values.get("reason") and not is_missing(values.get("reason")):
                    budget.reason = values["reason"]
            else:
                budget.rows.append(row)
        if budget.total is not None:
            return budget, found, rr
    return None, None, 0


_YUAN = re.compile(r"[（(]\s*元\s*[)）]|单位\s*[:：]\s*元(?!/)|金额单位\s*[:：]?\s*元")


def _money_unit(grid: Grid, header_row: int) -> str:
    """元 when the block or the table says its amounts are in 元 (项目资金（元）, 单位：元); else 万元."""
    for r in range(max(0, header_row - 4), min(header_row + 2, len(grid.rows))):
        for g in grid.distinct(r):
            t = unicodedata.normalize("NFKC", g.text).replace(" ", "")
            if _YUAN.search(t.replace("(", "（").replace(")", "）")) or _YUAN.search(t):
                return "元"
    return "万元"


def _goals(grid: Grid) -> list[Goal]:
    goals: list[Goal] = []
    for r in range(len(grid.rows)):
        exp = [c for c, g in enumerate(grid.rows[r]) if g.key and GOAL_EXPECTED.match(g.key)]
        act = [c for c, g in enumerate(grid.rows[r]) if g.key and GOAL_ACTUAL.match(g.key)]
        fc = [c for c, g in enumerate(grid.rows[r]) if g.key and GOAL_FORECAST.match(g.key)]
        # 总体目标 | 预期目标 | 实际完成情况: the block label is not the expected-goal column
        proper = [c for c in exp if not GOAL_ANCHOR.match(grid.rows[r][c].key)]
        if proper and len(proper) < len(exp) and any(GOAL_ANCHOR.match(grid.rows[r][c].key) for c in exp[:1]):
            exp = proper
        if exp and (act or fc):
            # the header row; goal texts follow in the same columns
            for rr in range(r + 1, min(r + 12, len(grid.rows))):
                e = grid.text_at(rr, exp)
                first_exp = grid.distinct(rr, exp)
                if not e or _label_like(first_exp[0].key) or any(p.match(first_exp[0].key) for p in FOOTER.values()):
                    break
                if _is_ind_header(grid, rr):
                    break
                first = grid.distinct(rr)[0].key if grid.distinct(rr) else ""
                if IND_COLS["level1"].match(first) or first in ("绩效指标", "年度绩效指标") or BUDGET_ANCHOR.match(first):
                    break
                a = grid.text_at(rr, act) if act else None
                f = grid.text_at(rr, fc) if fc else None
                goals.append(Goal(e, a if a else (None if not act else ""), grid.loc(rr, exp[0]), f or None))
            if goals:
                return goals
    # no header row: 年度总体目标 | 预期 text | 实际 text
    for r in range(len(grid.rows)):
        cells = grid.distinct(r)
        if len(cells) >= 2 and GOAL_ANCHOR.match(cells[0].key):
            texts = [g for g in cells[1:] if not _label_like(g.key)]
            if texts:
                c0 = next(c for c, g in enumerate(grid.rows[r]) if g is texts[0])
                goals.append(Goal(texts[0].text, texts[1].text if len(texts) > 1 else None, grid.loc(r, c0),
                                  texts[2].text if len(texts) > 2 else None))
                return goals
    return goals


def _footer(grid: Grid, doc: Document, start: int = 0) -> None:
    for r in range(start, len(grid.rows)):
        cells = grid.distinct(r)
        for i, g in enumerate(cells):
            for field, pat in FOOTER.items():
                if getattr(doc, field) is not None or not pat.match(g.key):
                    continue
                val = None
                rest = [x for x in cells[i + 1:] if not _label_like(x.key)]
                if rest:
                    val = rest[0].text
                elif i == len(cells) - 1 and r + 1 < len(grid.rows):
                    gcol = next(c for c, x in enumerate(grid.rows[r]) if x is g)
                    below = grid.distinct(r + 1, range(gcol, grid.width))  # not the block label on the left
                    if below and not _label_like(below[0].key) and not any(p.match(below[0].key) for p in FOOTER.values()):
                        val = "\n".join(x.text for x in below)
                if val is None:
                    m = re.match(r"^.{2,16}?[：:](.+)$", g.text.strip(), re.S)
                    if m:
                        val = m.group(1).strip()
                if val is not None and not is_missing(val):
                    setattr(doc, field, val.strip())
        for g in cells:  # footer text written into one cell: 评价结论：……
            m = re.match(r"^(.{2,14}?)[：:](.+)$", g.text.strip(), re.S)
            if m:
                for field, pat in FOOTER.items():
                    if getattr(doc, field) is None and pat.match(nkey(m.group(1))) and not is_missing(m.group(2)):
                        setattr(doc, field, m.group(2).strip())
        _grade_in_row(grid, r, doc)


# ---- prose ---------------------------------------------------------------------------

from checker.reading.prose import build_sections  # noqa: E402  (re-exported: reading code lives in checker.reading)


def _prose(doc: Document) -> None:
    from checker.reading import prose

    if not doc.goals:
        doc.goals = prose.goals_from_sections(doc)
    mapping = {"content": re.compile(r"项目概况|项目基本情况|项目实施内容|部门（单位）概况|部门概况")}
    for field, pat in mapping.items():
        if getattr(doc, field) is None:
            s = next((s for s in doc.iter_sections() if pat.search(s.title)), None)
            if s is not None and prose.section_text(s):
                setattr(doc, field, prose.section_text(s))
    if doc.self_score is None:
        doc.self_score = prose.score_from_text(doc.paragraphs)
    if doc.self_grade is None:  # 评价结论：…自评等级为优
        doc.self_grade = prose.grade_from_text([doc.conclusion or ""] + [p.text for p in doc.paragraphs])


def _report_text(doc: Document) -> None:
    """What only a report's text says: budget sentences, 存在的问题 and 改进措施 sections."""
    from checker.reading import prose

    said = prose.budget_from_text(doc.paragraphs)
    if doc.budget is None or doc.budget.total is None:
        doc.budget = said
    elif said is not None:  # a 预算执行率 row gave the rate; the sentences give the amounts
        for key in ("initial", "annual", "executed", "execution_rate"):
            if getattr(doc.budget.total, key) is None:
                setattr(doc.budget.total, key, getattr(said.total, key))
    for field, text in prose.narrative_sections(doc).items():
        if getattr(doc, field) is None:
            setattr(doc, field, text)


# ---- entry ---------------------------------------------------------------------------


def build_documents(raw: RawDocument, file_name: str | None) -> list[tuple[str | None, Document]]:
    """One document per filled form: a workbook holding several gives (工作表名, Document) for
    each; anything else gives [(None, build_document(raw))]."""
    forms = _sheet_forms(raw, file_name)
    if len(forms) >= 2:
        return forms
    return [(None, build_document(raw, file_name))]


def _sheet_forms(raw: RawDocument, file_name: str | None) -> list[tuple[str | None, Document]]:
    """Each sheet read on its own; only sheets that hold a filled form (indicators or budget
    figures) count, so a cover, an instruction or an empty sheet never lends a field."""
    sheets = [t for t in raw.tables if t.sheet is not None]
    if len(sheets) < 2 or len({t.sheet for t in sheets}) < 2 or raw.paragraphs:
        return []
    out, skipped = [], []
    for t in sheets:
        sub = RawDocument(raw.format, [], [Table(t.rows, Location(table=1), t.spans, t.sheet)], raw.pages, raw.file_name, list(raw.notices))
        doc = _build_one(sub, file_name)
        b = doc.budget.total if doc.budget is not None else None
        if doc.indicators or (b is not None and any(v is not None for v in (b.annual, b.executed, b.initial))):
            out.append((t.sheet, doc))
        else:
            skipped.append(t.sheet)
    if skipped:
        for _, doc in out:
            doc.notices.append(f"工作簿中的其他工作表（{'、'.join(skipped)}）是封面、说明、未填写的表或空表，未读取其中内容。")
    return out


def build_document(raw: RawDocument, file_name: str | None) -> Document:
    """RawDocument → Document. A workbook's filled form is read from its own sheet alone; where a
    workbook holds several, this gives the first (build_documents gives each of them)."""
    forms = _sheet_forms(raw, file_name)
    if forms:
        doc = forms[0][1]
        if len(forms) > 1:
            others = "、".join(name for name, _ in forms[1:])
            doc.notices.append(f"该工作簿另有{len(forms) - 1}张已填写的表（{others}），不在本结果中。")
        return doc
    return _build_one(raw, file_name)


def _build_one(raw: RawDocument, file_name: str | None) -> Document:
    from checker.reading.doctype import describe

    doc = Document(format=raw.format, paragraphs=list(raw.paragraphs), tables=list(raw.tables), pages=raw.pages,
                   notices=list(raw.notices))
    header: dict[str, str] = {}
    layout = None
    flags: set[str] = set()
    last_ind: tuple[Grid, IndHeader] | None = None
    for table in raw.tables:
        grid = Grid(table)
        if not grid.rows:
            continue
        for k, v in _header_fields(grid).items():
            header.setdefault(k, v)
        if doc.budget is None:
            budget, bcols, _ = _budget(grid)
            if budget is not None:
                doc.budget = budget
                if bcols and "forecast" in bcols:
                    flags.add("monitoring")
        if not doc.goals:
            doc.goals = _goals(grid)
        h = _find_indicator_header(grid)
        if h is None and doc.indicators and last_ind is not None and _continues(grid, *last_ind):
            # the indicator grid goes on in a table of its own (split by the author or a page break)
            more, _ = _indicators(grid, IndHeader(-1, -1, last_ind[1].cols), doc, carry=doc.indicators[-1])
            doc.indicators.extend(more)
        if h is not None and not doc.indicators:
            doc.indicators, _ = _indicators(grid, h, doc)
            last_ind = (grid, h)
            cols = h.cols
            from checker.core.layouts import detect

            layout = detect(cols, " ".join(g.text for g in grid.rows[h.row]))
        if doc.self_score is None:
            for r in range(len(grid.rows)):
                cells = grid.distinct(r)
                # without an indicator grid, 合计 is more likely a budget total than the score
                if cells and TOTAL_LABEL.match(cells[0].key) and (r > h.row if h is not None else "分" in cells[0].key):
                    _self_score(grid, r, h.cols if h else {}, doc)
                    break
        _footer(grid, doc)
    doc.sections = build_sections(raw.paragraphs)
    prose_sections = len(list(doc.iter_sections()))
    if layout is None and "monitoring" in flags:
        layout = "monitoring_2019"
    if layout is None and not doc.budget and not doc.goals and raw.paragraphs:
        layout = "prose"
    elif layout is None and (doc.budget or doc.goals):
        layout = "standard_2020"
    doc.layout = layout
    doc.project = header.get("project")
    doc.department = header.get("department")
    doc.unit = header.get("unit")
    _prose(doc)
    describe(doc, raw, file_name)
    # a table inside a report; notes under a table ("1.填报说明") do not make it a report
    if layout and layout != "prose" and prose_sections >= 2 and doc.doc_type in ("project_report", "overall_report"):
        doc.layout = layout + "+embedded"
    _rate_row_to_budget(doc, doc.doc_type in ("project_report", "overall_report"))
    if doc.doc_type in ("project_report", "overall_report"):
        _report_text(doc)
    return doc


_RATE_ROW = re.compile(r"^(?:项目)?(?:预算|资金)执行率$")
_BUDGET_L1 = re.compile(r"预算执行|资金执行|项目资金|预算资金|执行率")


def _rate_row_to_budget(doc: Document, in_report: bool) -> None:
    """预算执行率 written as a row of the indicator grid (a report's table, or a 预算执行情况
    level-1 row) is the budget block, not an indicator."""
    if doc.budget is not None and doc.budget.total is not None:
        return
    for n, ind in enumerate(doc.indicators):
        if _RATE_ROW.match(nkey(ind.name)) and (in_report or not ind.level1.strip() or _BUDGET_L1.search(nkey(ind.level1))):
            doc.budget = Budget(total=BudgetRow(label=ind.name, execution_rate=parse_rate(ind.actual) if ind.actual else None,
                                                weight=ind.weight, score=ind.score, location=ind.location))
            del doc.indicators[n]
            return
