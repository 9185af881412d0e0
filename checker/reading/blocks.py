"""Block finders: the header fields, indicator table, budget table, goals and footer of a form."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from checker.core.document import Budget, BudgetRow, Document, Goal, Indicator, Location, Monitoring
from checker.reading.grid import Grid, is_ind_header, label_like, match_row
from checker.reading.labels import BUDGET_ANCHOR, BUDGET_COLS, BUDGET_CORE, BUDGET_TOTAL, CAUSES, FOOTER, GOAL_ACTUAL, GOAL_ANCHOR, GOAL_EXPECTED, GOAL_FORECAST, GRADE_LABEL, HEADER_LABELS, IND_COLS, TOTAL_LABEL, L1_WEIGHT, SIGN_CELL, nkey
from checker.reading.values import is_missing, parse_money, parse_number, parse_rate, parse_value

# ---- blocks --------------------------------------------------------------------------


def header_fields(grid: Grid) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in range(len(grid.rows)):
        cells = grid.distinct(r)
        for i, g in enumerate(cells):
            for field, pat in HEADER_LABELS.items():
                if field in out:
                    continue
                if pat.match(g.key):
                    for nxt in cells[i + 1:]:
                        if label_like(nxt.key) or is_missing(nxt.text):
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


def find_indicator_header(grid: Grid, start: int = 0) -> IndHeader | None:
    for r in range(start, len(grid.rows)):
        if not is_ind_header(grid, r):
            continue
        found = match_row(grid, r, IND_COLS)
        if found:
            cols = dict(found)
            last = r
            # a second header row (monitoring: 偏差原因分析 → 经费保障 | 制度保障 …)
            if r + 1 < len(grid.rows):
                sub = match_row(grid, r + 1, IND_COLS)
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
    return any(g.text.strip() and not label_like(g.key) for c, g in enumerate(grid.rows[r]) if c not in matched_cols)


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
    m = L1_WEIGHT.search(label)
    if not m:
        return label.strip(), None
    return L1_WEIGHT.sub("", label).strip(), float(m.group(1))


def _fold(value: str, nature: str | None, unit: str | None) -> str:
    """sign + value + unit as DEVELOPERS.md says (`≥` `50` `个` → `≥50个`)."""
    v = value.strip()
    if not v or is_missing(v):
        return v
    sign = nature.strip() if nature and SIGN_CELL.match(nkey(nature)) else ""
    if sign and not re.match(r"^[≥≤=><＞＜＝]|^(不低于|不高于|不少于|不超过|大于|小于|等于)", v):
        v = {">=": "≥", "<=": "≤", "大于等于": "≥", "小于等于": "≤", "等于": "=", "大于": ">", "小于": "<",
             "不低于": "≥", "不少于": "≥", "不高于": "≤", "不超过": "≤"}.get(sign, sign) + v
    u = (unit or "").strip()
    if u and not is_missing(u) and re.search(r"\d\s*$", v):
        v = v + u
    return v


def read_indicators(grid: Grid, h: IndHeader, doc: Document, carry: Indicator | None = None) -> tuple[list[Indicator], int]:
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
            read_self_score(grid, r, cols, doc)
            end = r
            break
        if is_ind_header(grid, r):
            if match_row(grid, r, IND_COLS) == match_row(grid, h.row, IND_COLS):
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


def continues_table(grid: Grid, prev: Grid, h: IndHeader) -> bool:
    """A header-less table as wide as the indicator grid before it, whose rows carry names and values."""
    if grid.width != prev.width or not grid.rows:
        return False
    if read_budget(grid)[0] is not None or read_goals(grid):
        return False
    name_cols, target_cols = h.cols.get("name", []), h.cols.get("target", []) or h.cols.get("weight", [])
    rows = [r for r in range(len(grid.rows)) if grid.distinct(r)]
    filled = [r for r in rows if grid.text_at(r, name_cols) and grid.text_at(r, target_cols)]
    return len(filled) >= max(1, len(rows) // 2)


def read_self_score(grid: Grid, r: int, cols: dict[str, list[int]], doc: Document) -> None:
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


def read_budget(grid: Grid) -> tuple[Budget | None, dict[str, list[int]] | None, int]:
    for r in range(len(grid.rows)):
        found = match_row(grid, r, BUDGET_COLS)
        core = [k for k in BUDGET_CORE if k in found]
        if not core or len(found) < 2:
            continue
        if match_row(grid, r, {"name": IND_COLS["name"]}):
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
            if label and not has_number and label_like(lkey) and not BUDGET_TOTAL.match(lkey):
                break  # the next block (评价结论, 总分 …) begins
            if label and (GOAL_ANCHOR.match(lkey) or IND_COLS["level1"].match(lkey) or lkey in ("绩效指标", "年度绩效指标")
                          or GOAL_EXPECTED.match(lkey) or match_row(grid, rr, IND_COLS).get("name")):
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


def read_goals(grid: Grid) -> list[Goal]:
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
                if not e or label_like(first_exp[0].key) or any(p.match(first_exp[0].key) for p in FOOTER.values()):
                    break
                if is_ind_header(grid, rr):
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
            texts = [g for g in cells[1:] if not label_like(g.key)]
            if texts:
                c0 = next(c for c, g in enumerate(grid.rows[r]) if g is texts[0])
                goals.append(Goal(texts[0].text, texts[1].text if len(texts) > 1 else None, grid.loc(r, c0),
                                  texts[2].text if len(texts) > 2 else None))
                return goals
    return goals


def read_footer(grid: Grid, doc: Document, start: int = 0) -> None:
    for r in range(start, len(grid.rows)):
        cells = grid.distinct(r)
        for i, g in enumerate(cells):
            for field, pat in FOOTER.items():
                if getattr(doc, field) is not None or not pat.match(g.key):
                    continue
                val = None
                rest = [x for x in cells[i + 1:] if not label_like(x.key)]
                if rest:
                    val = rest[0].text
                elif i == len(cells) - 1 and r + 1 < len(grid.rows):
                    gcol = next(c for c, x in enumerate(grid.rows[r]) if x is g)
                    below = grid.distinct(r + 1, range(gcol, grid.width))  # not the block label on the left
                    if below and not label_like(below[0].key) and not any(p.match(below[0].key) for p in FOOTER.values()):
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


