"""Rectification check (整改复查): an earlier batch result against the resubmitted documents.

Documents are paired by unit, type, year and project (checker.core.history.match_documents), never by
file name. Each earlier finding then gets one status:

- 已整改: the finding is gone and the text it pointed at was changed (or the item removed);
- 部分整改: the text was changed, but the same rule still finds a problem in that item;
- 未整改: the same problem on the same, unchanged text;
- 无法判断: the document was not resubmitted, or the finding is gone though the text did not change
  (e.g. the rules changed between the two checks): a reviewer has to look;

and every finding of a resubmitted document with no earlier counterpart is 新增.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from checker.core.history import describe_document, field_text, item_key, match_documents, resolve, same_text

STATUSES = ("已整改", "部分整改", "未整改", "无法判断", "新增")


@dataclass
class Item:
    status: str
    code: str
    title: str
    severity: str
    category: str
    message: str
    location: dict[str, Any]
    old_text: str | None = None  # the text at the item before (evidence of the earlier finding)
    new_text: str | None = None  # the text at the item now
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class DocRecheck:
    unit: str
    label: str  # 单位《项目》材料类型（年度）
    old_path: str | None
    new_path: str | None
    how: str  # how the two were matched, or why there is no pair
    old_score: float | None
    new_score: float | None
    items: list[Item] = field(default_factory=list)

    def counts(self) -> Counter:
        return Counter(i.status for i in self.items)

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit, "document": self.label, "old_path": self.old_path, "new_path": self.new_path,
            "matched_by": self.how, "old_score": self.old_score, "new_score": self.new_score,
            "counts": {s: self.counts().get(s, 0) for s in STATUSES}, "items": [i.to_dict() for i in self.items],
        }  # fmt: skip


def _key(doc: dict, f: dict) -> tuple[str, str]:
    return f.get("code") or "", item_key(doc, (f.get("location") or {}).get("field"))


def _item(status: str, f: dict, old_text=None, new_text=None, note="", location=None) -> Item:
    return Item(
        status, f.get("code") or "", f.get("title") or "", f.get("severity") or "", f.get("category") or "",
        f.get("message") or "", dict(location or f.get("location") or {}), old_text, new_text, note,
    )  # fmt: skip


def compare_pair(old: dict, new: dict) -> list[Item]:
    """The status of every earlier finding of `old` in `new`, then the new findings."""
    new_by_key: dict[tuple[str, str], list[dict]] = {}
    for f in new.get("findings") or []:
        new_by_key.setdefault(_key(new, f), []).append(f)
    used: set[int] = set()
    items: list[Item] = []
    for f in old.get("findings") or []:
        code, key = _key(old, f)
        old_field = (f.get("location") or {}).get("field")
        old_text = field_text(old, old_field) if old_field else None
        new_field = resolve(new, key) if key else None
        new_text = field_text(new, new_field) if new_field else None
        same_now = new_by_key.get((code, key)) or []
        if same_now:
            g = next((x for x in same_now if same_text(x.get("evidence"), f.get("evidence"))), None)
            if g is not None:
                used.add(id(g))
                items.append(_item("未整改", f, old_text, new_text, location=g.get("location")))
            else:
                g = same_now[0]
                used.add(id(g))
                note = f"修改后仍有问题：{g.get('message') or ''}"
                items.append(_item("部分整改", f, old_text, new_text, note, location=g.get("location")))
            continue
        if key and new_field is None:
            items.append(_item("已整改", f, old_text, None, "该项已删除或改写"))
        elif old_field and old_text is not None and new_text is not None and same_text(old_text, new_text):
            items.append(_item("无法判断", f, old_text, new_text, "原文未修改，但本次未再发现该问题（可能是检查规则或参数调整），请人工核对"))
        else:
            items.append(_item("已整改", f, old_text, new_text))
    for f in new.get("findings") or []:
        if id(f) not in used and _key(new, f) not in {_key(old, g) for g in old.get("findings") or []}:
            items.append(_item("新增", f, None, field_text(new, (f.get("location") or {}).get("field"))))
    return items


def recheck(old_docs: list[dict], new_docs: list[dict]) -> list[DocRecheck]:
    """One DocRecheck per earlier document (matched or not) and per unmatched new document."""
    matches = match_documents(old_docs, new_docs, same_year=True)
    by_old = {m.old: m for m in matches}
    matched_new = {m.new for m in matches}
    out: list[DocRecheck] = []
    for i, old in enumerate(old_docs):
        if old.get("status") != "ok" or (old.get("doc_type") or "unknown") == "unknown":
            continue
        m = by_old.get(i)
        unit = old.get("unit") or "未识别单位"
        if m is None:
            items = [_item("无法判断", f, note="未找到该材料的重新报送版本") for f in old.get("findings") or []]
            out.append(DocRecheck(unit, describe_document(old), old.get("path"), None, "未重新报送", old.get("score"), None, items))
            continue
        new = new_docs[m.new]
        out.append(DocRecheck(unit, describe_document(new), old.get("path"), new.get("path"), m.how, old.get("score"), new.get("score"),
                              compare_pair(old, new)))  # fmt: skip
    for j, new in enumerate(new_docs):
        if j in matched_new or new.get("status") != "ok" or (new.get("doc_type") or "unknown") == "unknown":
            continue
        items = [_item("新增", f, note="上次未报送该材料") for f in new.get("findings") or []]
        out.append(DocRecheck(new.get("unit") or "未识别单位", describe_document(new), None, new.get("path"), "上次未报送", None,
                              new.get("score"), items))  # fmt: skip
    return out


def unit_summary(results: list[DocRecheck]) -> list[dict[str, Any]]:
    """Per unit: documents, earlier findings by status, new findings, mean scores before and after."""
    units: dict[str, dict[str, Any]] = {}
    for r in results:
        u = units.setdefault(r.unit, {"unit": r.unit, "documents": 0, "old_scores": [], "new_scores": [], **dict.fromkeys(STATUSES, 0)})
        u["documents"] += 1
        for s, n in r.counts().items():
            u[s] += n
        if r.old_score is not None:
            u["old_scores"].append(r.old_score)
        if r.new_score is not None:
            u["new_scores"].append(r.new_score)
    rows = []
    for u in units.values():
        old, new = u.pop("old_scores"), u.pop("new_scores")
        u["old_score"] = round(sum(old) / len(old), 2) if old else None
        u["new_score"] = round(sum(new) / len(new), 2) if new else None
        u["earlier"] = sum(u[s] for s in STATUSES if s != "新增")
        rows.append(u)
    return rows
