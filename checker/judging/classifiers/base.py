"""The classifier protocol (style.md R8) and the per-kind pipeline definitions.

A `Classifier` wraps one fitted scikit-learn pipeline with its card: `name`, `version`,
`labels`, `threshold`, and `predict(records) -> list[(label, score)]`. Records are the
dicts built by `record_from_view` / `record_from_request`, so a snippet request, a
document's view and a corpus row all reach the model the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("indicator", "goal", "completion")
CATEGORY = {"indicator": "vague_indicator", "goal": "goal_mismatch", "completion": "perfunctory_completion"}
POSITIVE = {"indicator": "vague", "goal": "mismatch", "completion": "perfunctory"}
MODEL_CODE = {"indicator": "IN90", "goal": "GO90", "completion": "CP90"}
FIELDS = {
    "indicator": ("project", "level1", "level2", "name", "target", "actual"),
    "goal": ("project", "goal", "context"),
    "completion": ("project", "goal", "completion"),
}
SEED = 20240601
# Standardised hand features have unit variance while TF-IDF rows are l2-normalised (entries
# ~0.1–0.3); this weight puts the dense block on the same scale so it does not swamp the text.
HAND_WEIGHT = 0.1


def record_from_request(kind: str, req: dict[str, Any]) -> dict[str, str]:
    """A model record from a snippet request / corpus-shaped dict (missing fields → "")."""
    return {k: "" if req.get(k) is None else str(req.get(k)) for k in FIELDS[kind]}


def record_from_view(kind: str, view: Any) -> dict[str, str]:
    """A model record from a checker.judging.views IndicatorView / GoalView / CompletionView."""
    return {k: "" if getattr(view, k, None) is None else str(getattr(view, k)) for k in FIELDS[kind]}


def build_pipeline(kind: str, C: float = 1.0):
    """The untrained pipeline for one kind: jieba-token TF-IDF + char n-grams + hand features,
    logistic regression, sigmoid-calibrated with a fixed stratified split."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    from checker.judging.classifiers import features as F
    from checker.core.textutil import tokenize

    words_fn, chars_fn, hand_fn = {
        "indicator": (F.indicator_words, F.indicator_chars, F.indicator_features),
        "goal": (F.goal_words, F.goal_words, F.goal_features),
        "completion": (F.completion_words, F.completion_words, F.completion_features),
    }[kind]
    union = FeatureUnion(
        [
            (
                "words",
                Pipeline(
                    [
                        ("select", FunctionTransformer(words_fn)),
                        ("tfidf", TfidfVectorizer(tokenizer=tokenize, token_pattern=None, lowercase=False, sublinear_tf=True, min_df=1)),
                    ]
                ),
            ),
            (
                "chars",
                Pipeline(
                    [
                        ("select", FunctionTransformer(chars_fn)),
                        ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2, max_features=20000)),
                    ]
                ),
            ),
            ("hand", Pipeline([("features", FunctionTransformer(hand_fn)), ("scale", StandardScaler())])),
            ("similarity", Pipeline([("cosine", F.PairSimilarity(kind)), ("scale", StandardScaler())])),
        ],
        transformer_weights={"hand": HAND_WEIGHT, "similarity": HAND_WEIGHT},
    )
    lr = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, solver="liblinear", random_state=SEED)
    clf = CalibratedClassifierCV(lr, method="sigmoid", cv=StratifiedKFold(n_splits=4, shuffle=True, random_state=SEED))
    return Pipeline([("features", union), ("clf", clf)])


@dataclass
class Classifier:
    """One loaded model: the fitted pipeline plus its card metadata."""

    kind: str
    pipeline: Any
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.kind}-{POSITIVE[self.kind]}"

    @property
    def version(self) -> str:
        return str(self.card.get("version", "0"))

    @property
    def labels(self) -> tuple[str, str]:
        return ("ok", POSITIVE[self.kind])

    @property
    def threshold(self) -> float | None:
        """Model-only findings at/above this; None when the model was not kept (then `card["threshold"]`
        is only the suggested value a bureau may set as [rules.XX90] threshold)."""
        t = self.card.get("threshold")
        return None if t is None or not self.card.get("kept", False) else float(t)

    def proba(self, records: list[dict[str, str]]) -> list[float]:
        if not records:
            return []
        return [float(p) for p in self.pipeline.predict_proba(records)[:, 1]]

    def predict(self, records: list[dict[str, str]]) -> list[tuple[str, float]]:
        cut = self.threshold if self.threshold is not None else 0.5
        return [(POSITIVE[self.kind] if p >= cut else "ok", p) for p in self.proba(records)]
