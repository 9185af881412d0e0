"""Read a `jxcheck batch` output folder for the report and notice drafters.

`documents.jsonl` holds one contract DOCUMENT per line (the source of truth; a later
line for the same file wins, a truncated last line is ignored); `findings.jsonl`
holds every finding with its document's path, including the cross-document ones
(copy detection) that the batch adds after its main pass.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.core.errors import ConfigError
from checker.core.finding import SEVERITY_RANK

# Category order and the wording the bureau's report uses for each problem.
PROBLEM_TITLES = {
    "vague_indicator": "项目绩效目标、指标设置不规范",
    "goal_mismatch": "总体目标不能反映项目",
    "perfunctory_completion": "目标完成情况填报简单",
    "weak_accountability": "部门责任主体绩效意识不强，自评结果与实际不符",
    "inconsistency": "数据填报不准确，前后不一致",
    "structure": "报送材料不完整",
}


@dataclass
class BatchData:
    folder: Path
    documents: list[dict[str, Any]] = field(default_factory=list)  # readable and unreadable
    findings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by document path

    @property
    def readable(self) -> list[dict[str, Any]]:
        return [d for d in self.documents if d.get("status") == "ok"]

    @property
    def reviewed(self) -> list[dict[str, Any]]:
        """Read and one of the four document types: what the unit table and notices cover."""
        return [d for d in self.readable if d.get("doc_type") not in (None, "unknown")]

    @property
    def unreadable(self) -> list[dict[str, Any]]:
        return [d for d in self.documents if d.get("status") != "ok"]

    @classmethod
    def from_documents(cls, documents: list[dict[str, Any]]) -> BatchData:
        """A batch made of contract DOCUMENT dicts held in memory (the web app's archive),
        kept in their given order so ties in the unit table break as the app shows them."""
        docs = list(documents)
        return cls(Path("."), docs, {d["path"]: list(d.get("findings") or []) for d in docs})

    def findings_of(self, doc: dict[str, Any], min_severity: str = "warning") -> list[dict[str, Any]]:
        floor = SEVERITY_RANK[min_severity]
        return [f for f in self.findings.get(doc["path"], []) if SEVERITY_RANK.get(f.get("severity"), 0) >= floor]

    def units(self) -> list[str]:
        """Unit names in first-seen order (unnamed units as 未识别单位)."""
        seen: dict[str, None] = {}
        for d in self.reviewed:
            seen.setdefault(unit_name(d), None)
        return list(seen)

    def type_counts(self) -> Counter:
        return Counter(d.get("doc_type") or "unknown" for d in self.readable)

    def unit_rows(self) -> list[dict[str, Any]]:
        """Per-document rows for the unit table: unit, doc_type, score."""
        return [
            {"unit": unit_name(d), "doc_type": d.get("doc_type"), "score": d.get("score")}
            for d in self.readable
            if d.get("score") is not None and d.get("doc_type") not in (None, "unknown")
        ]


def unit_name(doc: dict[str, Any]) -> str:
    return doc.get("unit") or "未识别单位"


def doc_label(doc: dict[str, Any]) -> str:
    """单位《项目》材料类型 (see checker.publishing.wording)."""
    from checker.publishing.wording import doc_label as label

    return label(doc)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    if not path.is_file():
        return rows
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a batch killed mid-write leaves at most one partial line
    return rows


def load_batch(folder: str | Path) -> BatchData:
    folder = Path(folder)
    docs_file = folder / "documents.jsonl"
    if not docs_file.is_file():
        raise ConfigError(f"{folder} 不是 jxcheck batch 的输出文件夹（缺少 documents.jsonl）。请先运行 jxcheck batch。")
    by_key: dict[str, dict[str, Any]] = {}
    for d in _read_jsonl(docs_file):
        by_key[d.get("path") or d.get("sha256")] = d
    documents = sorted(by_key.values(), key=lambda d: str(d.get("path")))
    findings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    f_rows = _read_jsonl(folder / "findings.jsonl")
    if f_rows:
        for f in f_rows:
            findings[f.get("path")].append(f)
    else:  # older folders: findings only inside the document results
        for d in documents:
            findings[d["path"]].extend(d.get("findings") or [])
    return BatchData(folder, documents, dict(findings))


def location_text(loc: dict[str, Any] | None) -> str:
    """A finding's position in words (see checker.publishing.wording)."""
    from checker.publishing.wording import location_words

    return location_words(loc)
