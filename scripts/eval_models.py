"""Rules-only, model-only and combined precision / recall / F1 per problem type (`make eval`).

Model probabilities are out-of-fold from grouped cross-validation (folds by source_url, the
paraphrase families always on the training side); the model-only threshold is the one shipped
in models/<kind>/card.json; rules-only is `jxcheck snippet` with models disabled; combined is
the shipped policy (a rule hit, or a model-only hit at/above the threshold). Rows marked
`unsure` are left out.

    python scripts/eval_models.py [--corpus ../shared/corpus] [--kinds indicator,goal,completion] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from training.data import default_corpus_dir  # noqa: E402  (finds ../shared from a worktree too)


def main(argv: list[str] | None = None) -> int:
    import numpy as np

    from training import fit
    from checker.judging.classifiers.base import KINDS
    from training.card import LABELS

    ap = argparse.ArgumentParser(description="评估规则、模型及二者结合的精确率、召回率和 F1")
    ap.add_argument("--corpus", default=str(default_corpus_dir()))
    ap.add_argument("--data", default=str(ROOT / "models" / "data"))
    ap.add_argument("--models", default=str(ROOT / "models"))
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--json", action="store_true", help="输出 JSON")
    ap.add_argument("--real", default=str(ROOT / "eval" / "real"), help="真实语料目录（只用开发半；空字符串＝不用）")
    ap.add_argument("--holdout", default=str(ROOT / "eval" / "holdout"), help="独立编写的留出集目录（用已发布的模型评估）")
    ap.add_argument("--families", action="store_true", help="另外按生成模板留出评估（规则与模型都未见过的措辞）")
    args = ap.parse_args(argv)
    corpus_dir = Path(args.corpus)
    if not corpus_dir.is_dir():
        print(f"找不到标注语料目录：{corpus_dir}", file=sys.stderr)
        return 2
    results = {}
    for kind in [k for k in args.kinds.split(",") if k]:
        card_file = Path(args.models) / kind / "card.json"
        card = json.loads(card_file.read_text(encoding="utf-8")) if card_file.is_file() else {}
        kept = bool(card.get("kept"))
        card_t = card.get("threshold")
        threshold = card_t if kept else None
        corpus = fit.load_corpus(kind, corpus_dir) + fit.load_real_dev(kind, Path(args.real) if args.real else None)
        extra = fit.load_extra(kind, Path(args.data))
        proba = fit.oof_proba(kind, corpus, extra)
        got = fit.rules_predictions(kind, corpus)
        keep = np.array([not r.unsure for r in corpus])
        y = np.array([r.y for r in corpus])[keep]
        p = proba[keep]
        res = {"rows": int(keep.sum()), "positives": int(y.sum()), "threshold": card_t, "kept": kept}
        if got is not None:
            rl = np.array(got[0])[keep]
            res["rules-only"] = fit.prf(y, rl)
        res["model-only@0.5"] = fit.prf(y, p >= 0.5)
        if card_t is not None:
            res[f"model-only@{card_t}"] = fit.prf(y, p >= card_t)
        if got is not None:
            # the shipped policy: a rule hit, or a model-only hit when the model is kept
            res["combined"] = fit.prf(y, rl | (p >= threshold)) if threshold is not None else dict(res["rules-only"])
            # what switching the model on would give, its threshold chosen without the test fold
            res["combined-nested"] = fit.nested_combined(y, p, rl, fit.fold_ids(corpus)[keep])
            rp = np.array(got[1])[keep]
            # the shipped stacked probability, its three coefficients fitted without the test fold
            stacked = fit.nested_stacked(y, rl, p, fit.fold_ids(corpus)[keep])
            res["probability"] = {"rules-only": fit.probability_quality(y, rp),
                                  "combined": fit.probability_quality(y, stacked)}
        results[kind] = res
    holdout_dir = Path(args.holdout)
    if holdout_dir.is_dir():
        from checker.judging.classifiers import policy

        for kind in results:
            try:
                clf = policy.load(kind)
            except policy.ModelUnavailable as exc:
                print(f"{kind}: {exc}", file=sys.stderr)
                continue
            t = results[kind]["threshold"] if results[kind]["kept"] else None
            for split in ("dev", "test"):
                m = fit.holdout_metrics(kind, clf.pipeline, fit.load_holdout(kind, holdout_dir, split), results[kind]["threshold"])
                if m is None:
                    continue
                y, rl, p = m.pop("_arrays")
                m["combined (shipped)"] = fit.prf(y, rl | (p >= t)) if t is not None else dict(m["rules"])
                results[kind][f"holdout-{split}"] = m
    if args.families:
        for kind in results:
            t = results[kind]["threshold"] or 0.5
            results[kind]["held_out_families"] = fit.held_out_families(kind, corpus_dir, Path(args.data), t)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2, sort_keys=True))
        return 0
    print("模型评估（共享语料＋真实语料开发半，按来源文档分组 5 折交叉验证，不含 unsure 行）")
    print(f"{'problem type':<24}{'setting':<20}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}")
    for kind, res in results.items():
        for name, m in res.items():
            if isinstance(m, dict) and "f1" in m:
                print(f"{LABELS[kind]:<24}{name:<20}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}")
        note = "" if res["kept"] else "（模型未保留：开启后 F1 不高于规则，默认只提供概率）"
        print(f"{'':<24}rows={res['rows']} positives={res['positives']} threshold={res['threshold']}{note}")
        for split in ("dev", "test"):
            hm = res.get(f"holdout-{split}")
            if hm:
                for name, m in hm.items():
                    if isinstance(m, dict):
                        print(f"{'':<24}{'留出集' + split + ' ' + name:<26}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{m['tp']:>5}{m['fp']:>5}{m['fn']:>5}")
        if "probability" in res:
            q = res["probability"]
            print(f"{'':<24}probability AUC/Brier: rules-only {q['rules-only'].get('auc', '—')}/{q['rules-only']['brier']}"
                  f"  combined {q['combined'].get('auc', '—')}/{q['combined']['brier']}")
    if args.families:
        print("\n按生成模板留出（模型用其余模板和语料训练；阈值同上）：模板 / 标签 / 行数 / 规则命中 / 模型命中")
        for kind, res in results.items():
            for origin, v in res["held_out_families"].items():
                print(f"  {LABELS[kind]:<24}{origin:<34}{v['label']:<12}{v['rows']:>4}{v['rules_flagged']!s:>5}{v['model_flagged']:>5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
