"""Blind second pass helpers for eval/real (labelling aid, not part of the checker).

`list`    writes the rows that have a single label (no `*-pass2.jsonl` entry yet) without
          their label, why and unsure, one row per block, for a labeller to read.
`compare` joins a pass-2 file with the first labels and prints agreement and Cohen's kappa
          per kind, and the disagreements to settle.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

PARTS = Path(__file__).resolve().parent / "parts"
KINDS = {"indicators": "vague", "goals": "mismatch", "completions": "perfunctory"}
SHOWN = {
    "indicators": ("project", "level1", "level2", "name", "target", "actual",
                   "progress", "forecast", "likelihood", "deviation"),
    "goals": ("project", "goal", "project_context"),
    "completions": ("project", "goal", "completion"),
}


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _second_labelled() -> set[str]:
    done: set[str] = set()
    for path in PARTS.glob("*-pass2.jsonl"):
        done |= {r["id"] for r in _rows(path)}
    return done


def listing(out: Path) -> None:
    done = _second_labelled()
    lines = []
    for kind in KINDS:
        for path in sorted(PARTS.glob(f"*-{kind}.jsonl")):
            for row in _rows(path):
                if row["id"] in done:
                    continue
                head = f"## {row['id']} [{row.get('doc_type')}] {row.get('title')} ({row.get('region')} {row.get('year')})"
                body = [f"  {k}: {row[k]}" for k in SHOWN[kind] if row.get(k) not in (None, "")]
                lines.append("\n".join([head, *body]))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} rows -> {out}")


def kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def compare(pass2: Path) -> None:
    second = {r["id"]: r for r in _rows(pass2)}
    pooled: list[tuple[str, str]] = []
    for kind in KINDS:
        first = {r["id"]: r for p in sorted(PARTS.glob(f"*-{kind}.jsonl")) for r in _rows(p)}
        ids = [i for i in second if i in first]
        pairs = [(first[i]["label"], second[i]["label"]) for i in ids]
        if not pairs:
            continue
        pooled += [(a != "ok", b != "ok") for a, b in pairs]
        agree = sum(a == b for a, b in pairs)
        sure = [(first[i]["label"], second[i]["label"]) for i in ids
                if not first[i].get("unsure") and not second[i].get("unsure")]
        sure_agree = sum(a == b for a, b in sure)
        settled = [i for i in ids if second[i].get("settled")]
        toward_first = sum(second[i]["settled"] == first[i]["label"] for i in settled)
        print(f"{kind}: {len(pairs)} rows, agree {agree} ({agree / len(pairs):.2f}), kappa {kappa(pairs):.2f}; "
              f"both sure {len(sure)}, agree {sure_agree}"
              + (f", kappa {kappa(sure):.2f}" if sure else "")
              + f"; settled {len(settled)}, toward first {toward_first}")
        for i in ids:
            a, b = first[i]["label"], second[i]["label"]
            if a != b:
                print(f"  {i}: first {a}{' (unsure)' if first[i].get('unsure') else ''} / "
                      f"second {b}{' (unsure)' if second[i].get('unsure') else ''}"
                      + (f" -> settled {second[i]['settled']}" if second[i].get("settled") else ""))
    if pooled:
        agree = sum(a == b for a, b in pooled)
        print(f"all kinds: {len(pooled)} rows, agree {agree}, kappa {kappa(pooled):.2f}")


if __name__ == "__main__":
    if sys.argv[1] == "list":
        listing(Path(sys.argv[2]))
    else:
        compare(Path(sys.argv[2]))
