"""Field-level reading accuracy on real report texts (eval/reading/reports.json), per document type.

Each report is laid out as .docx and as PDF and read by checker.api.read_document; every field
(doc_type, unit, project, year, budget block, goals expected/actual, self-score, problems,
measures) is compared with the hand-written truth. `--verbose` lists every wrong field.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reportset import FIELDS, build, load_cases, score  # noqa: E402

from checker.api import read_document  # noqa: E402


def measure(which: str = "dev", formats=("docx", "pdf")):
    rows = []
    for case in load_cases(which):
        for fmt in formats:
            data, name = build(case, fmt)
            doc = read_document(data, name)
            rows.append((case, fmt, score(case, doc)))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--set", choices=("dev", "holdout", "both"), default="both")
    args = ap.parse_args(argv)
    for which in (("dev", "holdout") if args.set == "both" else (args.set,)):
        report(which, measure(which), args.verbose)
    return 0


def report(which: str, rows, verbose: bool) -> None:
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_field: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case, fmt, res in rows:
        for f, (ok, have, want) in res.items():
            for key, table in ((case["doc_type"], by_type), ("all", by_type), (f, by_field)):
                table[key][0] += ok
                table[key][1] += 1
            if not ok and verbose:
                print(f"  {case['id']} {fmt} {f}: read {have!r}, truth {want!r}")
    n_docs = len({c["id"] for c, _, _ in rows})
    print(f"Reading accuracy, {which} set: {n_docs} real reports x {len(rows) // max(n_docs, 1)} formats (fields right / scored)")
    for key in ("project_report", "overall_report", "all"):
        ok, n = by_type[key]
        print(f"  {key:16s} {ok:4d}/{n:<4d} {ok / n:.3f}" if n else f"  {key:16s} -")
    print("  by field: " + ", ".join(f"{f} {by_field[f][0] / by_field[f][1]:.2f}" for f in FIELDS if by_field[f][1]))


if __name__ == "__main__":
    sys.exit(main())
