"""Measure detection quality on the written held-out set (eval/holdout), dev and test halves apart.

The held-out rows were written independently of the rules and the corpus, so these figures
say how the rules generalise. Rows judged wrong are listed for the dev half only: the test
half is for reporting, not for tuning (pass --show-test once you are done).

    python scripts/eval_holdout.py [--no-models] [--data eval/holdout] [--show-test] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval as corpus_eval  # noqa: E402  (scripts/eval.py: same request mapping and scores)

ROOT = corpus_eval.ROOT
DEFAULT_DATA = ROOT / "eval" / "holdout"
SPLITS = ("dev", "test")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="在独立编写的留出集上评估规则（和模型），开发/测试两半分开")
    ap.add_argument("--no-models", action="store_true", help="只用规则")
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="留出集文件夹")
    ap.add_argument("--in-process", action="store_true", help="不经命令行，直接调用（更快）")
    ap.add_argument("--show-test", action="store_true", help="也列出测试半判错的行（调参结束后再用）")
    ap.add_argument("--quiet", action="store_true", help="不列出判错的行")
    args = ap.parse_args(argv)
    data = Path(args.data)
    if not data.is_dir():
        print(f"找不到留出集文件夹：{data}")
        return 0
    requests, meta = [], []
    for kind, (fname, pos, _cat) in corpus_eval.KINDS.items():
        path = data / fname
        if not path.exists():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                row = json.loads(line)
                requests.append(corpus_eval.to_request(kind, n, row))
                meta.append((kind, n, row, row.get("label") == pos))
    runner = corpus_eval.run_inprocess if args.in_process else corpus_eval.run_cli
    answers = runner(requests, args.no_models)

    mode = "rules only" if args.no_models else "rules + models"
    print(f"\njxcheck holdout eval ({mode}), data {data}\n")
    print(f"{'type':<24}{'split':<6}{'n':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    wrong = []
    for kind in corpus_eval.KINDS:
        for split in SPLITS:
            pairs = []
            for (k, n, row, truth), ans in zip(meta, answers, strict=True):
                if k != kind or row.get("split") != split:
                    continue
                pred = bool(ans.get("flagged"))
                pairs.append((truth, pred))
                if truth != pred and (split == "dev" or args.show_test):
                    codes = sorted({f["code"] for f in ans.get("findings", []) if f["severity"] != "info"})
                    wrong.append((kind, split, "FP" if pred else "FN", n, row, codes))
            if pairs:
                s = corpus_eval.scores(pairs)
                print(f"{kind:<24}{split:<6}{s['n']:>5}{s['tp']:>5}{s['fp']:>5}{s['fn']:>5}"
                      f"{s['precision']:>11.3f}{s['recall']:>8.3f}{s['f1']:>7.3f}")
    if not args.quiet and wrong:
        print("\nRows judged wrong" + ("" if args.show_test else " (dev half only)") + ":")
        for kind, split, what, n, row, codes in wrong:
            print(f"  {what} {kind}#{n} {split} [{','.join(codes) or '-'}] {corpus_eval._text(kind, row)[:110]}")
            print(f"      why: {row.get('why')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
