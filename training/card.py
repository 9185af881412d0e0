"""Metric tables for scripts/eval_models.py and the generated part of models/MODEL_CARD.md."""

from __future__ import annotations

from pathlib import Path

BEGIN = "<!-- metrics:begin (written by scripts/train.py) -->"
END = "<!-- metrics:end -->"
LABELS = {"indicator": "vague_indicator", "goal": "goal_mismatch", "completion": "perfunctory_completion"}


def metrics_table(cards: dict[str, dict]) -> str:
    lines = [
        "| problem type | rows (pos) | setting | precision | recall | F1 | TP | FP | FN |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, card in cards.items():
        cv = card["cv"]
        for name, m in cv.items():
            if not isinstance(m, dict) or "f1" not in m:
                continue
            lines.append(
                f"| {LABELS[kind]} | {cv['rows']} ({cv['positives']}) | {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['tp']} | {m['fp']} | {m['fn']} |"
            )
    hold = [(kind, split, name, m) for kind, card in cards.items() for split, hm in (card.get("holdout") or {}).items()
            if isinstance(hm, dict) for name, m in hm.items() if isinstance(m, dict)]
    if hold:
        lines.append("")
        lines.append("Written held-out set (eval/holdout), at each card threshold; reported, not used to decide (`--decide-on holdout` would use the dev half):")
        lines.append("")
        lines.append("| problem type | half | setting | precision | recall | F1 | TP | FP | FN |")
        lines.append("|---|---|---|---|---|---|---|---|---|")
        for kind, split, name, m in hold:
            lines.append(f"| {LABELS[kind]} | {split} | {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['tp']} | {m['fp']} | {m['fn']} |")
    lines.append("")
    lines.append("| problem type | model AUC | threshold | kept | rules available at training | training rows |")
    lines.append("|---|---|---|---|---|---|")
    for kind, card in cards.items():
        rows = ", ".join(f"{k}: {v}" for k, v in card["training_rows"].items())
        lines.append(
            f"| {LABELS[kind]} | {card['cv'].get('model_auc', '—')} | {card['threshold']} | {'yes' if card['kept'] else 'no'} | "
            f"{'yes' if card['rules_available_at_training'] else 'no'} | {rows} |"
        )
    lines.append("")
    lines.append("| problem type | probability | AUC | Brier |")
    lines.append("|---|---|---|---|")
    for kind, card in cards.items():
        for name, q in (card["cv"].get("probability") or {}).items():
            lines.append(f"| {LABELS[kind]} | {name} | {q.get('auc', '—')} | {q['brier']} |")
    return "\n".join(lines)


def families_table(families: dict[str, dict]) -> str:
    lines = ["| problem type | held-out template | label | rows | rules flagged | model flagged (card threshold) |",
             "|---|---|---|---|---|---|"]
    for kind, rows in families.items():
        for origin, v in rows.items():
            lines.append(f"| {LABELS[kind]} | {origin.split(':', 1)[-1]} | {v['label']} | {v['rows']} | {v['rules_flagged']} | {v['model_flagged']} |")
    return "\n".join(lines)


def update_model_card(path: Path, cards: dict[str, dict], families: dict[str, dict] | None = None) -> None:
    """Replace the metrics block of the model card (kept between markers)."""
    import sklearn

    extra = f"\n\nHeld-out wording (one generated template left out of training at a time):\n\n{families_table(families)}" if families else ""
    block = f"{BEGIN}\nscikit-learn {sklearn.__version__}; grouped 5-fold CV by source document over ../shared/corpus + the eval/real dev half, sure rows only.\n\n{metrics_table(cards)}{extra}\n{END}"
    text = path.read_text(encoding="utf-8") if path.is_file() else f"# Model card\n\n{BEGIN}\n{END}\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
