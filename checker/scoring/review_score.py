"""The review score (复核得分): 100 minus transparent deductions per finding, as data.

The rubric lives in rules/rubric/default.yaml (see rules/rubric/README.md). A bureau
loads its own with `[rubric] rubric_file = "x.yaml"` or overrides single keys under
`[rubric]`. Each finding costs `severity_points[severity] × rule weight / reference_weight`
(model findings × model_factor); several findings of one category on the same field cost
once (the costliest); a category stops costing at its cap. The breakdown lists
every category and every finding's cost, so the score can be explained line by line.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from checker.core.errors import ConfigError
from checker.core.finding import CATEGORIES, CATEGORY_LABELS, SEVERITIES, Finding
from checker.judging.selfscore import grade_of, q2

RUBRIC_KEYS = ("start", "floor", "severity_points", "reference_weight", "model_factor", "caps", "doc_types", "rules")


@dataclass
class Review:
    score: float | None
    grade: str | None
    breakdown: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "grade": self.grade, "breakdown": self.breakdown}


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read_yaml(text: str, where: str) -> dict[str, Any]:
    from checker.judging.spec import load_yaml, save_yaml_cache

    try:
        data = load_yaml(text) or {}
        save_yaml_cache()
    except Exception as exc:
        import yaml  # only here: a cached rubric is read without PyYAML

        if isinstance(exc, yaml.YAMLError):
            raise ConfigError(f"评分细则 {where} 格式错误：{exc}") from exc
        raise
    if not isinstance(data, dict):
        raise ConfigError(f"评分细则 {where} 必须是键值映射")
    return data


def _validate(r: dict[str, Any], where: str) -> dict[str, Any]:
    unknown = set(r) - set(RUBRIC_KEYS)
    if unknown:
        raise ConfigError(f"评分细则 {where} 含有未知的键：{'、'.join(sorted(unknown))}")
    try:
        for k in ("start", "floor", "reference_weight", "model_factor"):
            r[k] = float(r[k])
        r["severity_points"] = {s: float(r["severity_points"].get(s, 0)) for s in SEVERITIES}
        r["caps"] = {c: float(v) for c, v in (r.get("caps") or {}).items()}
        r["rules"] = {str(c).upper(): float(v) for c, v in (r.get("rules") or {}).items()}
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        raise ConfigError(f"评分细则 {where} 中的分值必须是数字：{exc}") from exc
    bad = set(r["caps"]) - set(CATEGORIES)
    if bad:
        raise ConfigError(f"评分细则 {where} 中的类别无效：{'、'.join(sorted(bad))}")
    if r["reference_weight"] <= 0:
        raise ConfigError(f"评分细则 {where} 中 reference_weight 必须大于 0")
    return r


_CACHE: dict[str, dict[str, Any]] = {}


def load_rubric(config: Any = None) -> dict[str, Any]:
    """The shipped rubric, then `[rubric] rubric_file`, then other `[rubric]` keys (memoised per config)."""
    import json

    key = json.dumps(config.section("rubric") if config is not None else {}, sort_keys=True, default=str)
    if key not in _CACHE:
        _CACHE[key] = _load_rubric(config)
    return copy.deepcopy(_CACHE[key])


def _load_rubric(config: Any) -> dict[str, Any]:
    text = resources.files("checker.rules").joinpath("rubric/default.yaml").read_text(encoding="utf-8")
    rubric = _read_yaml(text, "rules/rubric/default.yaml")
    where = "rules/rubric/default.yaml"
    extra = copy.deepcopy(config.section("rubric")) if config is not None else {}
    path = extra.pop("rubric_file", None)
    if path:
        p = Path(path)
        if not p.is_file():
            raise ConfigError(f"找不到评分细则文件：{p}")
        rubric = _merge(rubric, _read_yaml(p.read_text(encoding="utf-8"), str(p)))
        where = str(p)
    if extra:
        rubric = _merge(rubric, extra)
        where += "（含配置覆盖）"
    return _validate(rubric, where)


def _rule_weights() -> dict[str, float | None]:
    from checker.judging.spec import all_rules

    try:
        return {s.code: (float(s.weight) if s.weight is not None else None) for s in all_rules()}
    except ConfigError:
        return {}


def finding_points(f: Finding, rubric: dict[str, Any], weights: dict[str, float | None]) -> Decimal:
    """Points one finding costs before the category cap."""
    if f.code in rubric["rules"]:
        pts = rubric["rules"][f.code]
    else:
        w = weights.get(f.code)
        factor = (w if w is not None else rubric["reference_weight"]) / rubric["reference_weight"]
        pts = rubric["severity_points"].get(f.severity, 0.0) * factor
    if f.source != "rule":
        pts *= rubric["model_factor"]
    return Decimal(str(pts))


def _nothing_to_review(doc: Any) -> bool:
    """Read, but none of the four document types (决算, 通知, a blank template …): a score would mislead."""
    return getattr(doc, "doc_type", "unknown") == "unknown"


def review_score(doc: Any, findings: list[Finding], config: Any = None) -> Review:
    """Review score 0–100 and its breakdown; no score for a document that could not be read
    or in which no self-evaluation form or report was recognised."""
    if doc is None or _nothing_to_review(doc):
        return Review(None, None, [])
    rubric = load_rubric(config)
    per_type = (rubric.get("doc_types") or {}).get(getattr(doc, "doc_type", None) or "", {}) or {}
    if per_type:
        rubric = _validate(_merge({k: v for k, v in rubric.items() if k != "doc_types"}, per_type) | {"doc_types": {}}, "doc_types")
    weights = _rule_weights()
    items: dict[str, list[dict[str, Any]]] = {c: [] for c in CATEGORIES}
    # One item (an indicator's target, the total …) is one problem however many rules of a
    # category describe it: only the costliest finding per category and field deducts.
    best: dict[tuple[str, str], Decimal] = {}
    for f in findings:
        if f.category in items and f.location.field:
            k = (f.category, f.location.field)
            best[k] = max(best.get(k, Decimal(0)), q2(finding_points(f, rubric, weights)))
    for f in sorted(findings, key=Finding.sort_key):
        if f.category not in items:
            continue
        pts = q2(finding_points(f, rubric, weights))
        k = (f.category, f.location.field or "")
        if f.location.field:
            pts = best.pop(k, Decimal(0)) if best.get(k) == pts else Decimal(0)
        items[f.category].append({"code": f.code, "severity": f.severity, "points": float(pts), "field": f.location.field})
    total = Decimal(0)
    breakdown = []
    for cat in CATEGORIES:
        raw = sum((Decimal(str(i["points"])) for i in items[cat]), Decimal(0))
        cap = rubric["caps"].get(cat)
        deducted = min(raw, Decimal(str(cap))) if cap is not None else raw
        total += deducted
        breakdown.append({
            "category": cat,
            "label": CATEGORY_LABELS[cat],
            "findings": len(items[cat]),
            "deducted": float(q2(deducted)),
            "raw": float(q2(raw)),
            "cap": cap,
            "items": items[cat],
        })
    score = q2(max(Decimal(str(rubric["floor"])), Decimal(str(rubric["start"])) - total))
    return Review(float(score), grade_of(score), breakdown)


def rescore(doc: dict, findings: list[dict], config: Any = None) -> tuple[float | None, str | None, list[dict[str, Any]]]:
    """Review score of a DOCUMENT dict after cross-document findings (AC90, IN60) were added."""
    from types import SimpleNamespace

    if doc.get("status") != "ok" or doc.get("score") is None:
        return doc.get("score"), doc.get("grade"), doc.get("score_breakdown") or []
    objs = [Finding.from_dict(f) for f in findings if f.get("code") and f.get("category") and f.get("severity")]
    shell = SimpleNamespace(doc_type=doc.get("doc_type"), indicators=doc.get("indicators"), goals=doc.get("goals"), sections=True)
    r = review_score(shell, objs, config)
    return r.score, r.grade, r.breakdown
