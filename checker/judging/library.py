"""The indicator library (rules/library/*.yaml): the one table of fields of spending. Per field:
the keywords that recognise it, well-formed indicators per 二级指标, and the worked examples a
rule's suggestion shows (`{example}`, `{example_cost}` …).

A field is recognised from keywords in the project name (weighted most), the unit, the goal and
the indicator names, once per document (document_field) or snippet request. The library's
indicators hold no figure: rewrites take their numbers from the document. Only the suggestion
examples (修改示例) carry illustrative figures, shown after “例如”.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# suggestion example kinds → the 修改示例 keys of a library file
EXAMPLE_KEYS = {
    "quantity": "数量指标", "quality": "质量指标", "time": "时效指标", "cost": "成本指标", "benefit": "效益指标",
    "satisfaction": "满意度指标", "goal": "总体目标", "completion": "完成情况",
}  # fmt: skip
KINDS = tuple(EXAMPLE_KEYS)
COMMON = "通用"
# Below this a field is not recognised (one two-character word in a goal is not enough): the
# common field's shapes are safer than another field's indicators.
MIN_FIELD_SCORE = 4.0
# 二级指标 as units write them → the library's keys
CATEGORY_ALIASES = {
    "服务对象满意度指标": "满意度指标",
    "满意度": "满意度指标",
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "成本": "成本指标",
    "经济效益": "经济效益指标",
    "社会效益": "社会效益指标",
    "生态效益": "生态效益指标",
    "可持续影响": "可持续影响指标",
}


@dataclass(frozen=True)
class Entry:
    field: str
    category: str  # 二级指标, library key
    name: str
    sign: str  # ≥ ≤ = or "" for a date
    unit: str
    kind: str  # count | rate | amount | date | ratio
    basis: str = ""


@dataclass(frozen=True)
class Field:
    name: str
    keywords: tuple[str, ...]
    basis: str
    entries: tuple[Entry, ...]
    examples: tuple[tuple[str, str], ...] = ()  # (kind, worked example) for suggestions

    def of(self, category: str) -> list[Entry]:
        return [e for e in self.entries if e.category == category]


def category_key(level2: Any) -> str | None:
    """The library's key for a 二级指标 as written (服务对象满意度指标 → 满意度指标)."""
    t = str(level2 or "").strip().replace("（", "(").split("(")[0]
    if not t:
        return None
    if t in CATEGORY_ALIASES:
        return CATEGORY_ALIASES[t]
    for k, v in CATEGORY_ALIASES.items():
        if t.startswith(k):
            return v
    for k, v in CATEGORY_ALIASES.items():  # 产出数量指标, 项目质量指标 …
        if len(k) >= 2 and k in t and "满意" not in k:
            return v
    return t if t.endswith("指标") else t + "指标"


@lru_cache(maxsize=1)
def load_library() -> dict[str, Field]:
    from checker.judging.spec import load_yaml, save_yaml_cache

    out: dict[str, Field] = {}
    root = resources.files("checker.rules").joinpath("library")
    for item in sorted(root.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        data = load_yaml(item.read_text(encoding="utf-8")) or {}
        name = str(data.get("field") or item.name[:-5])
        basis = str(data.get("basis") or "")
        entries = []
        for cat, rows in (data.get("indicators") or {}).items():
            for row in rows or []:
                n, sign, unit, kind = (list(row) + ["", "", "", ""])[:4]
                entries.append(Entry(name, str(cat), str(n), str(sign or ""), str(unit or ""), str(kind or "count"), basis))
        shown = data.get("修改示例") or {}
        examples = tuple((kind, str(shown[key])) for kind, key in EXAMPLE_KEYS.items() if shown.get(key))
        out[name] = Field(name, tuple(str(k) for k in data.get("keywords") or ()), basis, tuple(entries), examples)
    save_yaml_cache()
    return out


@dataclass(frozen=True)
class Measure:
    """How an effect written as words is measured (效果量化 in _common.yaml)."""

    pattern: str  # regex of effect words in the indicator's name or value
    category: str  # 二级指标 it applies to, "" for any
    name: str  # the measurable indicator, with {对象} and {人群} to fill from the row
    sign: str
    unit: str


@lru_cache(maxsize=2)
def load_measures(key: str = "效果量化") -> tuple[Measure, ...]:
    """Rows of _common.yaml's 效果量化 (an effect → its measure) or 任务量化 (a task → its own indicator)."""
    from checker.judging.spec import load_yaml, save_yaml_cache

    item = resources.files("checker.rules").joinpath("library").joinpath("_common.yaml")
    rows = (load_yaml(item.read_text(encoding="utf-8")) or {}).get(key) or []
    save_yaml_cache()
    return tuple(Measure(*(str(x or "") for x in (list(r) + ["", "", "", "", ""])[:5])) for r in rows)


def detect_field(project: Any = None, goal: Any = None, indicator_names: list[str] | None = None, unit: Any = None) -> str:
    """The field of spending a project belongs to (the common field when no keyword is found)."""
    names = "；".join(str(n or "") for n in indicator_names or [])
    return _detect(str(project or ""), str(goal or ""), names, str(unit or ""))


# Where a keyword is found weighs how much it says (× the keyword's length). Chosen on the dev half
# of eval/real (scripts/eval_fields.py); the test half is reported, not tuned on.
WHERE_WEIGHTS = (("project", 3.0), ("unit", 2.0), ("goal", 1.0), ("names", 0.5))
_BRACKETED = re.compile(r"[（(]([^（()）]*)[)）]")


def _normalise(project: str, goal: str, names: str, unit: str) -> dict[str, str]:
    """Simplified characters; a unit written in brackets after a project name counts as the unit
    (党建工作项目(某某水务局) is a 党建 project); 人民政府 is not 民政."""
    from checker.judging.checks.narrative import to_simplified

    texts = {"project": project, "unit": unit, "goal": goal, "names": names}
    texts = {k: to_simplified(v).replace("人民政府", "政府") for k, v in texts.items()}
    inner = " ".join(_BRACKETED.findall(texts["project"]))
    if inner:
        texts["project"] = _BRACKETED.sub(" ", texts["project"])
        texts["unit"] = f"{texts['unit']} {inner}"
    return texts


@lru_cache(maxsize=4096)
def _detect(project: str, goal: str, names: str, unit: str) -> str:
    lib = load_library()
    texts = _normalise(project, goal, names, unit)
    best, best_score = COMMON, MIN_FIELD_SCORE - 0.001
    for f in lib.values():
        if f.name == COMMON:
            continue
        score = 0.0
        for k in f.keywords:  # a longer keyword is the more specific one (饮水 over 农村)
            score += sum(w * (k in texts[where]) for where, w in WHERE_WEIGHTS) * len(k)
        if score > best_score:
            best, best_score = f.name, score
    return best


def document_field(doc: Any) -> str:
    """The field of a Document, from its project, unit, goals and indicator names (computed once
    per document by the caller, and memoised on these texts)."""
    goal = " ".join(str(g.expected or "") for g in getattr(doc, "goals", None) or [])
    names = [i.name for i in getattr(doc, "indicators", None) or []]
    return detect_field(getattr(doc, "project", None), goal, names, getattr(doc, "unit", None))


def request_field(req: dict) -> str:
    """The field of a snippet request: its project name first, then its goal, context and name."""
    def s(k: str) -> str:
        v = req.get(k)
        return v if isinstance(v, str) else ""

    return detect_field(s("project"), f"{s('goal')} {s('context')}".strip(), [s("name")] if s("name") else [], s("unit"))


# ---- suggestion examples ({example} in a rule's suggestion) -----------------------------------

_LEVEL2_KIND = (("满意", "satisfaction"), ("数量", "quantity"), ("质量", "quality"), ("时效", "time"), ("进度", "time"),
                ("成本", "cost"), ("效益", "benefit"), ("影响", "benefit"))


def indicator_kind(level2: str | None = None, name: str | None = None, level1: str | None = None) -> str:
    """The example kind of an indicator: from its 二级 (or 一级) heading, else its name."""
    for text in (level2, level1):
        for word, kind in _LEVEL2_KIND:
            if text and word in text:
                return kind
    if name and "满意" in name:
        return "satisfaction"
    if name and re.search(r"时间|时限|及时|按期|完成时", name):
        return "time"
    return "quantity"


def example(kind: str, field: str | None) -> str:
    """The field's worked example of this kind, else the common one."""
    lib = load_library()
    for name in (field, COMMON):
        if name in lib:
            hit = dict(lib[name].examples).get(kind)
            if hit:
                return hit
    return ""


def view_field(view: Any) -> str:
    """The field a view belongs to: the one its document or request was given (views carry it,
    set once), else recognised from the view's own texts."""
    got = getattr(view, "sector", None)
    if got:
        return got
    doc = getattr(view, "document", None)
    if doc is not None:
        return document_field(doc)
    names = [getattr(view, "name", None) or ""]
    return detect_field(getattr(view, "project", None), getattr(view, "goal", None), names, getattr(view, "unit", None))


def example_values(view: Any, scope: str, fields: list[str]) -> dict[str, str]:
    """Values for the `example*` placeholders a template uses, from the view being checked."""
    wanted = [f for f in fields if f == "example" or f.startswith("example_")]
    if not wanted:
        return {}
    field = view_field(view)
    out = {}
    for f in wanted:
        if f == "example":
            kind = scope if scope in ("goal", "completion") else indicator_kind(
                getattr(view, "level2", None), getattr(view, "name", None), getattr(view, "level1", None))
        else:
            kind = f.removeprefix("example_")
        out[f] = example(kind if kind in KINDS else "quantity", field)
    return out


_FILLER = {"数量", "人数", "完成", "指标", "项目", "工作", "建设", "服务", "资金", "率", "情况"}


def _bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if a and b else 0.0


def entries_for(field: str, category: str | None) -> list[Entry]:
    """The field's entries of a category, then the common ones not already there."""
    lib = load_library()
    own = lib[field].of(category) if field in lib and category else []
    common = lib[COMMON].of(category) if COMMON in lib and category else []
    names = {e.name for e in own}
    return own + [e for e in common if e.name not in names]


def closest(field: str, category: str | None, name: str, floor: float = 0.0) -> Entry | None:
    """The library entry of this category most like `name`; None when none reaches `floor`
    (with floor 0, the first of the field when none is alike)."""
    cands = entries_for(field, category)
    if not cands:
        return None
    best = max(cands, key=lambda e: similarity(name, e.name))
    return best if similarity(name, best.name) >= floor else None


def ranked(field: str, category: str, text: str, n: int) -> list[Entry]:
    """Up to n entries of the category that share words with `text` (the project and its goal),
    most alike first; none when nothing is shared."""
    grams = _bigrams(text) if text else set()
    scored = []
    for i, e in enumerate(entries_for(field, category)):
        own = _bigrams(e.name) - _FILLER
        share = len(own & grams) / len(own) if own else 0.0
        scored.append((share, i, e))
    hits = [(s, i, e) for s, i, e in scored if s >= 0.3]
    return [e for _s, _i, e in sorted(hits, key=lambda t: (-t[0], t[1]))[:n]]
