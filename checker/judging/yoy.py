"""Year over year (rule IN60): this year's target no higher than last year's actual.

Runs over a batch's DOCUMENT dicts after the main pass, like copy detection: a unit's project
in year Y is paired with the same unit's project in year Y-1 (same matching as a resubmission:
checker.core.history), and each indicator with a quantitative target is compared with the same
indicator's 实际完成值 of the year before. Where more is better (≥, >), a target at or below last
year's actual was met before the year began; where less is better (≤, <: costs, durations,
incidents) a cap at or above last year's actual is no constraint either. A target strictly worse
than last year's actual is IN60; one exactly equal to it is IN61, kept apart because equality is
also what full coverage of a fixed population looks like (all 12 schools, every eligible household).
"""

from __future__ import annotations

from typing import Any

from checker.judging.copydetect import finding_dict
from checker.core.history import PROJECT_SIMILARITY, clean_name, same_unit_clean, similarity_clean
from checker.core.textutil import normalize

CODE = "IN60"  # target below last year's actual (more is better) or above it (less is better)
EQUAL_CODE = "IN61"  # target exactly at last year's actual
CODES = (CODE, EQUAL_CODE)
DEFAULTS = {
    "project_similarity": PROJECT_SIMILARITY,  # two project names at least this similar are one project
    "percent_ceiling": 100,  # a percentage target at or above this cannot be raised further
    "unsigned_as_floor": True,  # a number without a sign under 数量指标 reads as a floor (≥)
}
# Types whose 实际完成值 is the year's outcome; a monitoring table's figures are mid-year.
ACTUAL_TYPES = ("self_eval_table", "project_report", "overall_report")


def _unit_of(v) -> str:
    return normalize(v.unit or "").replace("百分比", "%")


def _direction(target, level2: str, p: dict) -> str | None:
    if target.sign in ("≥", ">"):
        return "up"
    if target.sign in ("≤", "<"):
        return "down"
    if target.sign is None and p["unsigned_as_floor"] and "数量" in (level2 or ""):
        return "up"
    return None


def _fmt(x: float) -> str:
    return f"{x:g}"


class _Pool:
    """The documents a target can be compared with, by year and cleaned unit name, so that finding
    last year's document of a project looks at that year's units, not at every document of the
    archive (which made the pass quadratic in the archive's size). Gives what a scan of the whole
    pool in order gives: the first of the most similar project names."""

    def __init__(self, docs: list[dict]):
        self.by_year: dict[Any, dict[str, list[tuple[int, dict, str]]]] = {}
        for k, o in enumerate(docs):
            if o.get("doc_type") not in ACTUAL_TYPES:
                continue
            units = self.by_year.setdefault(o.get("year"), {})
            units.setdefault(clean_name(o.get("unit")), []).append((k, o, clean_name(o.get("project"))))
        self._matches: dict[tuple[Any, str], list[tuple[int, dict, str]]] = {}

    def candidates(self, year: Any, unit: str) -> list[tuple[int, dict, str]]:
        """(pool index, document, cleaned project) of `year`'s documents of the same unit, in pool order."""
        key = (year, unit)
        found = self._matches.get(key)
        if found is None:
            units = self.by_year.get(year) or {}
            # sorted by pool index: the order a scan of the pool meets them in
            found = sorted((x for u, docs in units.items() if same_unit_clean(u, unit) for x in docs), key=lambda x: x[0]) if unit else []
            self._matches[key] = found
        return found


def _previous_for(doc: dict, pool: _Pool, p: dict) -> dict | None:
    best, best_sim = None, 0.0
    project = clean_name(doc.get("project"))
    for _k, o, other in pool.candidates(doc["year"] - 1, clean_name(doc.get("unit"))):
        sim = similarity_clean(other, project)
        if sim >= p["project_similarity"] and sim > best_sim:
            best, best_sim = o, sim
    return best


def detect(docs: list[dict], previous: list[dict] | None = None, params: dict | None = None) -> dict[int, list[dict[str, Any]]]:
    """Hit records per index of `docs`; `previous` documents are only compared against."""
    from checker.reading.values import parse_value

    p = {**DEFAULTS, **(params or {})}
    pool = _Pool([d for d in [*docs, *(previous or [])] if d.get("status") == "ok" and d.get("year")])
    out: dict[int, list[dict[str, Any]]] = {}
    for i, doc in enumerate(docs):
        if doc.get("status") != "ok" or not doc.get("year") or not doc.get("indicators"):
            continue
        prev = _previous_for(doc, pool, p)
        if prev is None:
            continue
        actuals: dict[str, tuple[str, Any, Any]] = {}
        for ind in prev.get("indicators") or []:
            name = clean_name(ind.get("name"))
            a = parse_value(ind.get("actual"))
            if name and a.kind == "quantitative" and a.number is not None:
                actuals[name] = (str(ind.get("actual")), a, parse_value(ind.get("target")))
        for n, ind in enumerate(doc["indicators"], 1):
            name = clean_name(ind.get("name"))
            if name not in actuals:
                continue
            t = parse_value(ind.get("target"))
            if t.kind != "quantitative" or t.number is None or t.sign == "=":
                continue
            direction = _direction(t, ind.get("level2") or "", p)
            if direction is None:
                continue
            raw_actual, a, prev_target = actuals[name]
            unit_t = _unit_of(t)
            unit_a = _unit_of(a) or _unit_of(prev_target)
            if unit_t != unit_a:
                continue  # different units: not comparable without a conversion
            if unit_t == "%" and direction == "up" and t.number >= p["percent_ceiling"]:
                continue
            # a tie on a cap (cost, duration) is a standard kept, not a missed increase
            equal = direction == "up" and abs(t.number - a.number) < 1e-9
            low = t.number < a.number if direction == "up" else t.number > a.number
            if not (low or equal):
                continue
            loc = dict(ind.get("location") or {})
            loc["field"] = f"indicators[{n}].target"
            out.setdefault(i, []).append({
                "name": str(ind.get("name")),
                "target": str(ind.get("target")),
                "prev_actual": raw_actual,
                "prev_year": prev["year"],
                "direction": ("等于" if equal else "低于") if direction == "up" else ("等于" if equal else "高于"),
                "equal": equal,
                "location": loc,
                "evidence": str(ind.get("target")),
            })  # fmt: skip
    return out


def to_finding(rec: dict, spec) -> dict[str, Any]:
    """`spec`: the rule for this record (IN61 when `rec["equal"]`, else IN60); see `specs_for`."""
    if isinstance(spec, dict):
        spec = spec[EQUAL_CODE if rec.get("equal") else CODE]
    return finding_dict(spec, rec, rec["evidence"], rec["location"])


def specs_for(config=None) -> dict[str, Any]:
    """The enabled rules of this module after config, by code ({} when both are ignored)."""
    from checker.judging.spec import load_rules

    return {s.code: s for s in load_rules(config) if s.code in CODES}


def detect_findings(docs: list[dict], previous: list[dict] | None = None, config=None) -> dict[int, list[dict]]:
    """IN60/IN61 FINDING dicts per document index (tests and the batch's final pass)."""
    specs = specs_for(config)
    if not specs:
        return {}
    params = (specs.get(CODE) or specs.get(EQUAL_CODE)).params
    out: dict[int, list[dict]] = {}
    for i, recs in detect(docs, previous, params).items():
        found = [to_finding(r, specs) for r in recs if (EQUAL_CODE if r["equal"] else CODE) in specs]
        if found:
            out[i] = found
    return out
