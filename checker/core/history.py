"""Documents and findings across submissions: who is the same document, which is the same finding.

A resubmission (整改后重新报送) or next year's submission is a new file with new bytes, often a
new file name, sometimes a slightly different project name. Matching therefore uses what the
document says of itself (unit, type, project, year), never the file name or hash, and a finding
is identified by its rule and the item it points at (an indicator by its name, not its row
number, so an inserted row does not turn every later finding into a "new" one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from checker.core.textutil import normalize

# Words that differ between two names of one project without changing what it is.
_NOISE = re.compile(r"(?:19|20)\d\d年?度?|[（(][^）)]*[）)]|项目|专项|资金|经费|补助|工作|年度|\W|_")
_FIELD = re.compile(r"^(indicators|goals)\[(\d+)\](?:\.(\w+))?$")
PROJECT_SIMILARITY = 0.6  # character-bigram Dice of the cleaned names; below this two names are two projects


def clean_name(text: Any) -> str:
    """A name reduced to what identifies it: no year, brackets, 项目/资金/经费…, punctuation."""
    return _NOISE.sub("", normalize(str(text or ""))).lower()


def name_similarity(a: Any, b: Any) -> float:
    """Dice coefficient of character bigrams of the cleaned names (1.0 when one contains the other)."""
    return similarity_clean(clean_name(a), clean_name(b))


def similarity_clean(x: str, y: str) -> float:
    """name_similarity on names already cleaned (a pool of many names cleans each once)."""
    if not x or not y:
        return 0.0
    if x == y or (min(len(x), len(y)) >= 4 and (x in y or y in x)):
        return 1.0
    gx = {x[i : i + 2] for i in range(len(x) - 1)} or {x}
    gy = {y[i : i + 2] for i in range(len(y) - 1)} or {y}
    return 2 * len(gx & gy) / (len(gx) + len(gy))


def same_unit(a: Any, b: Any) -> bool:
    return same_unit_clean(clean_name(a), clean_name(b))


def same_unit_clean(x: str, y: str) -> bool:
    """same_unit on names already cleaned."""
    return bool(x) and (x == y or (min(len(x), len(y)) >= 3 and (x in y or y in x)))


@dataclass(frozen=True)
class Match:
    old: int  # index into the old documents
    new: int  # index into the new documents
    how: str  # Chinese: which rule matched them
    similarity: float


def match_documents(old: list[dict], new: list[dict], same_year: bool = True) -> list[Match]:
    """Pair documents of the same unit and type (and year, for a resubmission) by project name.

    Order of preference, each document used once:
    1. the same project name after cleaning (年份、括号、“项目”“资金”等字样不计);
    2. the most similar project name, at least PROJECT_SIMILARITY;
    3. the only document of that unit, type and year on both sides (a renamed project).
    """
    def key(d: dict) -> tuple:
        return (d.get("doc_type") or "unknown", d.get("year") if same_year else None)

    usable_old = [i for i, d in enumerate(old) if d.get("status") == "ok" and d.get("doc_type") not in (None, "unknown")]
    usable_new = [j for j, d in enumerate(new) if d.get("status") == "ok" and d.get("doc_type") not in (None, "unknown")]
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    out: list[Match] = []

    def candidates():
        for i in usable_old:
            for j in usable_new:
                a, b = old[i], new[j]
                if key(a) != key(b) or not same_unit(a.get("unit"), b.get("unit")):
                    continue
                yield i, j, name_similarity(a.get("project"), b.get("project"))

    pairs = sorted(candidates(), key=lambda t: (-t[2], t[0], t[1]))
    for i, j, sim in pairs:
        if i in taken_old or j in taken_new:
            continue
        if sim >= 0.999:
            how = "单位、材料类型、年度和项目名称一致"
        elif sim >= PROJECT_SIMILARITY:
            how = f"单位、材料类型、年度一致，项目名称相近（相似度{sim:.0%}）"
        else:
            continue
        taken_old.add(i)
        taken_new.add(j)
        out.append(Match(i, j, how, sim))
    # A renamed project: the only one of its unit, type and year left on each side.
    groups_old: dict[tuple, list[int]] = {}
    groups_new: dict[tuple, list[int]] = {}
    for i in usable_old:
        if i not in taken_old:
            groups_old.setdefault((clean_name(old[i].get("unit")), *key(old[i])), []).append(i)
    for j in usable_new:
        if j not in taken_new:
            groups_new.setdefault((clean_name(new[j].get("unit")), *key(new[j])), []).append(j)
    for g, olds in groups_old.items():
        news = groups_new.get(g) or []
        if len(olds) == 1 and len(news) == 1 and g[0]:
            i, j = olds[0], news[0]
            out.append(Match(i, j, "单位、材料类型、年度一致，且该单位只有这一份同类材料（项目名称已改变）",
                             name_similarity(old[i].get("project"), new[j].get("project"))))  # fmt: skip
    return sorted(out, key=lambda m: (m.old, m.new))


def item_key(doc: dict, field: str | None) -> str:
    """A stable name for the item a finding points at: indicators by their name, goals by number."""
    if not field:
        return ""
    m = _FIELD.match(field)
    if not m:
        return field
    kind, idx, attr = m.group(1), int(m.group(2)), m.group(3) or ""
    if kind == "indicators":
        items = doc.get("indicators") or []
        if 1 <= idx <= len(items):
            ind = items[idx - 1]
            return f"indicator:{clean_name(ind.get('level2'))}|{normalize(str(ind.get('name') or ''))}.{attr}"
    return field


def field_text(doc: dict, field: str | None) -> str | None:
    """The text at a finding's field in a DOCUMENT dict (None when the item is not there)."""
    if not field:
        return None
    m = _FIELD.match(field)
    if m:
        kind, idx, attr = m.group(1), int(m.group(2)), m.group(3)
        items = doc.get(kind) or []
        if not 1 <= idx <= len(items):
            return None
        item = items[idx - 1]
        if attr:
            v = item.get(attr)
            return None if v is None else str(v)
        return "｜".join(str(item.get(k) or "") for k in ("name", "target", "actual", "expected")) if isinstance(item, dict) else str(item)
    if field.startswith("budget."):
        v = (doc.get("budget") or {}).get(field.split(".", 1)[1])
        return None if v is None else str(v)
    v = doc.get(field)
    return None if v is None or isinstance(v, dict | list) else str(v)


def resolve(doc: dict, key: str) -> str | None:
    """The field path in `doc` for an item key from `item_key` (None when the item is gone)."""
    if not key.startswith("indicator:"):
        return key
    body, _, attr = key[len("indicator:") :].rpartition(".")
    for n, ind in enumerate(doc.get("indicators") or [], 1):
        if f"{clean_name(ind.get('level2'))}|{normalize(str(ind.get('name') or ''))}" == body:
            return f"indicators[{n}].{attr}" if attr else f"indicators[{n}]"
    return None


def same_text(a: Any, b: Any) -> bool:
    return normalize(str(a or "")) == normalize(str(b or ""))


def describe_document(doc: dict) -> str:
    """单位《项目》材料类型（年度）, the way a reviewer names a document."""
    from checker.core.document import DOC_TYPE_LABELS

    kind = DOC_TYPE_LABELS.get(doc.get("doc_type") or "unknown", "材料")
    unit = doc.get("unit") or ""
    proj = f"《{doc['project']}》" if doc.get("project") else ""
    year = f"（{doc['year']}年）" if doc.get("year") else ""
    return f"{unit}{proj}{kind}{year}"
