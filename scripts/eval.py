"""Measure detection quality on the labelled corpus (../shared/corpus) through `jxcheck snippet --jsonl`.

Prints precision, recall, F1 and TP/FP/FN per problem type (rows marked `unsure` are
measured separately), then lists the rows it gets wrong with the codes that fired and
the corpus `why`. Always exits 0: this is a report, not a gate.

    python scripts/eval.py [--no-models] [--kind indicator|goal|completion] [--corpus DIR] [--in-process]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from training.data import default_corpus_dir  # noqa: E402

DEFAULT_CORPUS = default_corpus_dir()

KINDS = {
    # kind: (file, positive label, category)
    "indicator": ("indicators.jsonl", "vague", "vague_indicator"),
    "goal": ("goals.jsonl", "mismatch", "goal_mismatch"),
    "completion": ("completions.jsonl", "perfunctory", "perfunctory_completion"),
}


def to_request(kind: str, n: int, row: dict) -> dict:
    """Corpus row → snippet request, as the task fixes the mapping."""
    req = {"id": f"{kind}-{n}", "kind": kind, "project": row.get("project")}
    if kind == "indicator":
        for k in ("level1", "level2", "name", "target", "actual"):
            req[k] = row.get(k)
        if req["target"] is None:
            req["target"] = ""
    elif kind == "goal":
        req.update(goal=row.get("goal"), context=row.get("project_context"))
    else:
        req.update(goal=row.get("goal"), completion=row.get("completion"))
    return req


def run_cli(requests: list[dict], no_models: bool) -> list[dict]:
    """Answer requests through the real CLI (`jxcheck snippet --jsonl -`)."""
    exe = ROOT / ".venv" / "bin" / "jxcheck"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "checker"]
    cmd += ["snippet", "--jsonl", "-"] + (["--no-models"] if no_models else [])
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
    proc = subprocess.run(cmd, input=data, capture_output=True, text=True, cwd=str(ROOT), check=False)
    if proc.returncode != 0:
        print(proc.stderr, file=sys.stderr)
    answers = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    if len(answers) != len(requests):
        raise SystemExit(f"snippet answered {len(answers)} of {len(requests)} requests:\n{proc.stderr[-2000:]}")
    return answers


def run_inprocess(requests: list[dict], no_models: bool) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from checker.core.config import load_config
    from checker.judging.engine import check_snippet

    config = load_config()
    return [check_snippet(r, config, models=not no_models) for r in requests]


def scores(pairs: list[tuple[bool, bool]]) -> dict:
    tp = sum(1 for t, p in pairs if t and p)
    fp = sum(1 for t, p in pairs if not t and p)
    fn = sum(1 for t, p in pairs if t and not p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"n": len(pairs), "tp": tp, "fp": fp, "fn": fn, "precision": prec, "recall": rec, "f1": f1}


def _text(kind: str, row: dict) -> str:
    if kind == "indicator":
        return f"[{row.get('level2') or row.get('level1') or ''}] {row.get('name')} ｜ {row.get('target')} ｜ {row.get('actual')}"
    return str(row.get("goal") if kind == "goal" else row.get("completion"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="在标注语料上评估规则（和模型）的查准率、查全率")
    ap.add_argument("--no-models", action="store_true", help="只用规则")
    ap.add_argument("--kind", choices=list(KINDS), action="append", help="只评估某一类（可重复）")
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="语料文件夹")
    ap.add_argument("--in-process", action="store_true", help="不经命令行，直接调用（更快）")
    ap.add_argument("--quiet", action="store_true", help="不列出判错的行")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"找不到语料文件夹：{corpus}")
        return 0
    kinds = args.kind or list(KINDS)
    requests, meta = [], []
    for kind in kinds:
        fname, pos, cat = KINDS[kind]
        for n, line in enumerate((corpus / fname).read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                requests.append(to_request(kind, n, row))
                meta.append((kind, n, row, row.get("label") == pos))
    runner = run_inprocess if args.in_process else run_cli
    answers = runner(requests, args.no_models)

    table, wrong = [], []
    for kind in kinds:
        for unsure in (False, True):
            pairs = []
            for (k, n, row, truth), ans in zip(meta, answers, strict=True):
                if k != kind or bool(row.get("unsure")) != unsure:
                    continue
                pred = bool(ans.get("flagged"))
                pairs.append((truth, pred))
                if not unsure and truth != pred:
                    codes = sorted({f["code"] for f in ans.get("findings", []) if f["severity"] != "info"})
                    wrong.append((kind, "FP" if pred else "FN", n, row, codes, ans.get("error")))
            table.append((kind + (" (unsure)" if unsure else ""), scores(pairs)))

    # per-code hits on sure rows: which rules carry the recall and which cause the false alarms
    per_code: dict[str, list[int]] = {}
    for (_k, _n, row, truth), ans in zip(meta, answers, strict=True):
        if row.get("unsure"):
            continue
        for code in sorted({f["code"] for f in ans.get("findings", []) if f["severity"] != "info"}):
            per_code.setdefault(code, [0, 0])[0 if truth else 1] += 1

    mode = "rules only" if args.no_models else "rules + models"
    print(f"\njxcheck eval ({mode}), corpus {corpus}\n")
    print(f"{'type':<24}{'n':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    for name, s in table:
        print(f"{name:<24}{s['n']:>5}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}{s['precision']:>11.3f}{s['recall']:>8.3f}{s['f1']:>7.3f}")
    if per_code:
        print("\nFindings (warning+) per code on sure rows: code on-positive on-negative")
        print("  " + "  ".join(f"{c} {tp}/{fp}" for c, (tp, fp) in sorted(per_code.items())))
    if not args.quiet and wrong:
        print("\nRows judged wrong (unsure rows left out):")
        for kind, what, n, row, codes, err in wrong:
            fired = ",".join(codes) or "-"
            extra = f" error={err['code']}" if err else ""
            print(f"  {what} {kind}#{n} [{fired}]{extra} {_text(kind, row)[:110]}")
            print(f"      why: {row.get('why')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
