"""Rebuild the three classifiers: `make train`.

Writes models/<kind>/model.joblib and card.json (threshold, grouped-CV metrics, sklearn
version, checksum) and refreshes the metrics table in models/MODEL_CARD.md. Deterministic:
fixed seeds and sorted inputs, so a rerun gives the same predictions.

    python scripts/train.py [--corpus ../shared/corpus] [--kinds indicator,goal] [--regen-extra] [--no-rules]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from training.data import default_corpus_dir  # noqa: E402  (finds ../shared from a worktree too)


def main(argv: list[str] | None = None) -> int:
    from training import augment, fit
    from checker.judging.classifiers.base import KINDS
    from training.card import update_model_card

    ap = argparse.ArgumentParser(description="训练三个分类器（指标不规范、目标不符、完成情况敷衍）")
    ap.add_argument("--corpus", default=str(default_corpus_dir()), help="标注语料目录")
    ap.add_argument("--data", default=str(ROOT / "models" / "data"), help="补充训练数据目录")
    ap.add_argument("--out", default=str(ROOT / "models"), help="模型输出目录")
    ap.add_argument("--kinds", default=",".join(KINDS), help="只训练这些类型，逗号分隔")
    ap.add_argument("--real", default=str(ROOT / "eval" / "real"), help="真实语料目录（只用开发半训练和决定；空字符串＝不用）")
    ap.add_argument("--holdout", default=str(ROOT / "eval" / "holdout"), help="留出集目录：开发半与测试半的结果写入模型说明")
    ap.add_argument("--decide-on", choices=["cv", "holdout"], default="cv",
                    help="决定是否启用模型发现及阈值的依据：cv＝语料按来源分组嵌套交叉验证（默认）；holdout＝留出集开发半")
    ap.add_argument("--regen-extra", action="store_true", help="重新生成补充训练数据（models/data/*_extra.jsonl）")
    ap.add_argument("--no-rules", action="store_true", help="不取规则预测（阈值只按模型单独的精确率选择）")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"找不到标注语料目录：{corpus}", file=sys.stderr)
        return 2
    data = Path(args.data)
    if args.regen_extra or not any(data.glob("*_extra.jsonl")):
        print("补充训练数据：", augment.write(data))
    kinds = [k for k in args.kinds.split(",") if k]
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        print(f"未知类型：{'、'.join(bad)}", file=sys.stderr)
        return 2
    cards = {}
    for kind in kinds:
        holdout = Path(args.holdout) if args.holdout and Path(args.holdout).is_dir() else None
        card = fit.train_kind(kind, corpus, data, Path(args.out), use_rules=not args.no_rules, holdout_dir=holdout,
                                   decide_on=args.decide_on, real_dir=Path(args.real) if args.real else None)
        cards[kind] = card
        m = card["cv"]
        print(f"{kind}: threshold={card['threshold']} kept={card['kept']} " + " ".join(
            f"{k}=P{v['precision']:.2f}/R{v['recall']:.2f}/F{v['f1']:.2f}" for k, v in m.items() if isinstance(v, dict) and "f1" in v))
        for split, hm in card.get("holdout", {}).items():
            if isinstance(hm, dict):
                print(f"  holdout {split}: " + " ".join(
                    f"{k}=P{v['precision']:.2f}/R{v['recall']:.2f}/F{v['f1']:.2f}" for k, v in hm.items() if isinstance(v, dict)))
    if Path(args.out).resolve() == (ROOT / "models").resolve() and set(kinds) == set(KINDS):
        families = {} if args.no_rules else {k: fit.held_out_families(k, corpus, data, cards[k]["threshold"]) for k in kinds}
        update_model_card(ROOT / "models" / "MODEL_CARD.md", cards, families)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
