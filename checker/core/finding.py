"""Findings: one immutable record per problem, as the contract fixes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.core.document import Location

CATEGORIES = (
    "vague_indicator",
    "goal_mismatch",
    "perfunctory_completion",
    "weak_accountability",
    "inconsistency",
    "structure",
)

CATEGORY_LABELS = {
    "vague_indicator": "指标设置不规范",
    "goal_mismatch": "总体目标不能反映项目",
    "perfunctory_completion": "完成情况填报简单",
    "weak_accountability": "绩效意识不强",
    "inconsistency": "数据前后不一致",
    "structure": "内容缺失",
    "reading": "读取问题",
}

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def exit_code(errors: int, worst: int, fail_on: str) -> int:
    """The exit status of every command that checks documents: 3 when an input could not be
    checked, 1 when a finding reaches `fail_on` (error/warning/info; `worst` is the highest
    SEVERITY_RANK found, 0 for none), else 0."""
    if errors:
        return 3
    return 1 if worst >= SEVERITY_RANK[fail_on] else 0


@dataclass(frozen=True)
class Hit:
    """What a check returns; the engine turns it into a Finding."""

    evidence: str
    location: Location = field(default_factory=Location)
    args: dict[str, Any] = field(default_factory=dict)  # message/suggestion template arguments
    confidence: float = 1.0


@dataclass(frozen=True)
class Finding:
    code: str
    category: str
    severity: str
    message: str
    evidence: str
    suggestion: str
    location: Location = field(default_factory=Location)
    source: str = "rule"  # "rule" or "model"
    confidence: float = 1.0
    basis: str = "heuristic"
    name: str = ""  # kebab-case rule name
    title: str = ""  # Chinese rule title
    rewrite: str | None = None  # a replacement the unit can paste (checker/judging/rewrite/)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "evidence": self.evidence,
            "suggestion": self.suggestion,
            "location": self.location.to_dict(),
            "source": self.source,
            "confidence": round(float(self.confidence), 4),
            "basis": self.basis,
        } | ({"rewrite": self.rewrite} if self.rewrite else {})

    @classmethod
    def from_dict(cls, f: dict[str, Any]) -> Finding:
        """The inverse of `to_dict` (findings read back from a batch's documents.jsonl)."""
        loc = {k: v for k, v in (f.get("location") or {}).items() if k in Location.__dataclass_fields__}
        return cls(
            code=f["code"], category=f["category"], severity=f["severity"], message=f.get("message", ""),
            evidence=f.get("evidence", ""), suggestion=f.get("suggestion", ""), location=Location(**loc),
            source=f.get("source", "rule"), confidence=float(f.get("confidence", 1.0)), basis=f.get("basis", ""),
            name=f.get("name", ""), title=f.get("title", ""),
        )  # fmt: skip

    def sort_key(self) -> tuple:
        loc = self.location
        return (
            loc.page or 0,
            loc.table or 0,
            loc.row or 0,
            loc.column or 0,
            loc.paragraph or 0,
            loc.field or "",
            self.code,
            self.evidence,
        )
