"""Draw a fixed random sample of findings from eval/real for judging rewrites by reading.

Every indicator, goal and completion row of eval/real is checked as `jxcheck snippet --jsonl`
checks it (the row's project name picks the field; a goal row's project_context is its context;
rules and models, as the command runs). All their findings form the pool, with or without a
rewrite: a finding without one counts against the bar when judged. A fixed seed draws n of them.

    python scripts/sample_rewrites.py --seed 20261202 --out eval/rewrites/round1.jsonl

Verdicts (accept / accept_with_number / reject) and a one-line reason are then written by hand
into eval/rewrites/judged.jsonl (see eval/rewrites/README.md).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.judging.engine import check_snippet  # noqa: E402

KEYS = {"indicators": ("project", "level1", "level2", "name", "target", "actual"), "goals": ("project", "goal"),
        "completions": ("project", "goal", "completion")}  # fmt: skip


def requests(folder: Path):
    for kind, keys in KEYS.items():
        for f in sorted(folder.glob(f"*-{kind}.jsonl")):
            for line in f.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    req = {"id": row["id"], "kind": kind[:-1], **{k: row[k] for k in keys if row.get(k)}}
                    if kind == "goals" and row.get("project_context"):
                        req["context"] = row["project_context"]
                    yield req


def pool(folder: Path) -> list[dict]:
    out = []
    for req in requests(folder):
        for f in check_snippet(req).get("findings") or []:
            out.append({"id": req["id"], "kind": req["kind"], "code": f["code"], "severity": f["severity"],
                        "message": f["message"], "request": req, "rewrite": f.get("rewrite")})  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=20261202)
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--out", type=Path, default=ROOT / "eval" / "rewrites" / "sample.jsonl")
    args = ap.parse_args(argv)
    items = pool(ROOT / "eval" / "real" / "parts")
    with_rw = sum(1 for x in items if x["rewrite"])
    drawn = random.Random(args.seed).sample(items, min(args.n, len(items)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for n, item in enumerate(drawn, 1):
            fh.write(json.dumps({"n": n, **item, "verdict": None, "why": None}, ensure_ascii=False) + "\n")
    kinds = Counter(x["kind"] for x in drawn)
    print(f"{len(items)} findings on eval/real rows, {with_rw} with a rewrite ({with_rw / max(len(items), 1):.0%}); "
          f"{len(drawn)} drawn with seed {args.seed} into {args.out} ({dict(kinds)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
