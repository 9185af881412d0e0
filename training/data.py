"""Labelled data sets for measuring and deciding: the real corpus (eval/real), the shared
corpus (../shared/corpus) and the written held-out set (eval/holdout).

Every row becomes a `Labelled`: the snippet request exactly as the contract gives it
(indicator: project, level1, level2, name, target, actual; goal: project, goal, context;
completion: project, goal, completion), the label as a bool, `unsure`, the document `group`
it belongs to and its `split`.

eval/real is read from whatever collector parts exist (`eval/real/parts/X-<kind>.jsonl`),
with the blind second pass (`X-pass2.jsonl`: id, label, settled?) applied: the final label is
`settled` when present, else the pass-1 label; a row whose two passes disagree and were not
settled counts as unsure. Real rows are split into `dev` (rules and models are tuned here) and
`test` (reported only) by a hash of their source document, so every row of a document lands
in the same half and the split does not move when more parts arrive.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.judging.classifiers.base import FIELDS as REQUEST_FIELDS
from checker.judging.classifiers.base import KINDS, POSITIVE

FILES = {"indicator": "indicators", "goal": "goals", "completion": "completions"}
SPLIT_SALT = "jxcheck-real-v1"


@dataclass(frozen=True)
class Labelled:
    kind: str
    source: str  # real | corpus | holdout
    id: str
    group: str  # the source document: rows of one group stay together in any split or fold
    split: str  # dev | test for real and holdout rows, "corpus" for the shared corpus
    request: dict[str, Any]
    positive: bool
    unsure: bool
    row: dict[str, Any] = field(repr=False, compare=False, hash=False)

    @property
    def text(self) -> str:
        r = self.request
        if self.kind == "indicator":
            return f"[{r.get('level2') or r.get('level1') or ''}] {r.get('name')} ｜ {r.get('target')} ｜ {r.get('actual')}"
        return str(r.get(self.kind))


def _jsonl(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            out.append(json.loads(line))
    return out


def request_of(kind: str, row: dict[str, Any], rid: str) -> dict[str, Any]:
    """The contract's snippet request for a labelled row (only the contract's fields)."""
    req: dict[str, Any] = {"id": rid, "kind": kind}
    for f in REQUEST_FIELDS[kind]:
        v = row.get(f)
        if kind == "goal" and f == "context" and v is None:
            v = row.get("project_context")
        req[f] = v
    if kind == "indicator" and req.get("target") is None:
        req["target"] = ""
    return req


def doc_key(row: dict[str, Any]) -> str:
    """The source document of a row: its URL without scheme, query noise or trailing slash,
    else its doc_id."""
    url = str(row.get("source_url") or "").strip()
    if url:
        url = re.sub(r"^https?://", "", url).rstrip("/").lower()
        return "url:" + url
    return "doc:" + str(row.get("doc_id") or "")


def split_of(group: str) -> str:
    """dev or test, from a hash of the document key: stable, about half and half by document."""
    h = hashlib.sha256((SPLIT_SALT + "|" + group).encode("utf-8")).digest()
    return "dev" if h[0] % 2 == 0 else "test"


def default_real_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "eval" / "real"


def default_holdout_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "eval" / "holdout"


def default_corpus_dir() -> Path:
    """../shared/corpus next to the repository, or next to any parent (git worktrees)."""
    here = Path(__file__).resolve().parents[1]
    for parent in (here, *here.parents):
        cand = parent.parent / "shared" / "corpus"
        if cand.is_dir():
            return cand
    return here.parent / "shared" / "corpus"


def _pass2(parts: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(parts.glob("*-pass2.jsonl")):
        for row in _jsonl(path):
            if row.get("id"):
                out[str(row["id"])] = row
    return out


def load_real(kind: str, real_dir: Path | None = None) -> list[Labelled]:
    """All labelled real rows of one kind from eval/real/parts (plus eval/real/<kind>s.jsonl
    if a merged file exists), second pass applied, in a stable order."""
    real_dir = Path(real_dir) if real_dir else default_real_dir()
    files: list[Path] = []
    parts = real_dir / "parts"
    if parts.is_dir():
        files += sorted(parts.glob(f"*-{FILES[kind]}.jsonl"))
    merged = real_dir / f"{FILES[kind]}.jsonl"
    if merged.is_file():
        files.append(merged)
    second = _pass2(parts) if parts.is_dir() else {}
    seen: set[str] = set()
    out = []
    for path in files:
        for n, row in enumerate(_jsonl(path), 1):
            rid = str(row.get("id") or f"{path.stem}:{n}")
            if rid in seen or row.get("label") not in (POSITIVE[kind], "ok"):
                continue
            seen.add(rid)
            label, unsure = row["label"], bool(row.get("unsure"))
            p2 = second.get(rid)
            if p2 is not None:
                if p2.get("settled") in (POSITIVE[kind], "ok"):
                    label = p2["settled"]
                elif p2.get("label") in (POSITIVE[kind], "ok") and p2["label"] != row["label"]:
                    unsure = True  # the two passes disagree and nobody settled it
            group = doc_key(row)
            out.append(Labelled(kind, "real", rid, group, split_of(group), request_of(kind, row, rid),
                                label == POSITIVE[kind], unsure, row))
    return out


def load_corpus(kind: str, corpus_dir: Path | None = None) -> list[Labelled]:
    corpus_dir = Path(corpus_dir) if corpus_dir else default_corpus_dir()
    path = corpus_dir / f"{FILES[kind]}.jsonl"
    if not path.is_file():
        return []
    out = []
    for n, row in enumerate(_jsonl(path), 1):
        rid = f"corpus-{kind}-{n}"
        out.append(Labelled(kind, "corpus", rid, doc_key(row), "corpus", request_of(kind, row, rid),
                            row.get("label") == POSITIVE[kind], bool(row.get("unsure")), row))
    return out


def load_holdout(kind: str, holdout_dir: Path | None = None) -> list[Labelled]:
    holdout_dir = Path(holdout_dir) if holdout_dir else default_holdout_dir()
    path = holdout_dir / f"{FILES[kind]}.jsonl"
    if not path.is_file():
        return []
    out = []
    for n, row in enumerate(_jsonl(path), 1):
        rid = f"holdout-{kind}-{n}"
        # written rows have no document; each row is its own group
        out.append(Labelled(kind, "holdout", rid, rid, str(row.get("split") or "dev"), request_of(kind, row, rid),
                            row.get("label") == POSITIVE[kind], bool(row.get("unsure")), row))
    return out


def real_documents(real_dir: Path | None = None) -> list[dict[str, Any]]:
    """The collectors' document records (eval/real/parts/X-documents.jsonl)."""
    real_dir = Path(real_dir) if real_dir else default_real_dir()
    parts = real_dir / "parts"
    out: list[dict[str, Any]] = []
    if parts.is_dir():
        for path in sorted(parts.glob("*-documents.jsonl")):
            out.extend(_jsonl(path))
    return out
