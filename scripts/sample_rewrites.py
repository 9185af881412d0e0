"""Draw a fixed random sample of findings with rewrites from eval/real, for judging by reading.

Rows of one published document are put back together (its indicators, goals and completion
texts), each row is checked as the snippet API checks it, and the first warning of each flagged
row gets the rewrite the whole-document check would give it (checker.judging.rewrite with the document's
own figures). Writes eval/rewrites/sample.jsonl; verdicts are added by hand (verdict, why).
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.judging.engine import check_snippet  # noqa: E402
from checker.judging.rewrite import Context, Ind, rewrite_for  # noqa: E402

KINDS = {"indicators": "indicator", "goals": "goal", "completions": "completion"}


def load() -> dict[str, dict[str, list[dict]]]:
    docs: dict[str, dict[str, list[dict]]] = defaultdict(lambda: {k: [] for k in KINDS})
    for kind_file in KINDS:
        for f in sorted((ROOT / "eval" / "real" / "parts").glob(f"*-{kind_file}.jsonl")):
            for line in f.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    docs[row.get("doc_id") or row["id"]][kind_file].append(row)
    return docs


def main(n: int = 50, seed: int = 20261202) -> int:
    pool = []
    for _did, parts in sorted(load().items()):
        rows = parts["indicators"] + parts["goals"] + parts["completions"]
        if not rows:
            continue
        year = next((r.get("year") for r in rows if r.get("year")), None)
        ctx = Context(
            project=next((r.get("project") for r in rows if r.get("project")), "") or "",
            year=year if isinstance(year, int) else None,
            goals=[r.get("goal") or "" for r in parts["goals"]],
            actuals=[r.get("completion") or "" for r in parts["completions"]],
            indicators=[Ind(r.get("level1") or "", r.get("level2") or "", r.get("name") or "", r.get("target") or "", r.get("actual") or "")
                        for r in parts["indicators"]],
        )  # fmt: skip
        for kind_file, kind in KINDS.items():
            for i, row in enumerate(parts[kind_file], 1):
                keys = {"indicator": ("project", "level1", "level2", "name", "target", "actual"), "goal": ("project", "goal"),
                        "completion": ("project", "goal", "completion")}[kind]  # fmt: skip
                req = {"id": row["id"], "kind": kind, **{k: row[k] for k in keys if row.get(k)}}
                if kind == "goal" and row.get("project_context"):
                    req["context"] = row["project_context"]
                ans = check_snippet(req)
                f = next((x for x in ans.get("findings") or [] if x["severity"] != "info"), None)
                if f is None:
                    continue
                attr = (f.get("location") or {}).get("field", "").rpartition(".")[2]
                path = f"indicators[{i}].{attr or 'target'}" if kind == "indicator" else f"goals[{i}].{'actual' if kind == 'completion' else 'expected'}"
                text = rewrite_for(f["code"], path, ctx)
                if text:
                    pool.append({"id": row["id"], "kind": kind, "code": f["code"], "request": req, "rewrite": text})
    random.Random(seed).shuffle(pool)
    out = ROOT / "eval" / "rewrites" / "sample.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for item in pool[:n]:
            fh.write(json.dumps({**item, "verdict": None, "why": None}, ensure_ascii=False) + "\n")
    print(f"{len(pool)} flagged rows with a rewrite; {min(n, len(pool))} drawn into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
