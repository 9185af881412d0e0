"""Trained classifiers beside the rules (issue 4; models/MODEL_CARD.md).

- `policy.combine(kind, view, rule_findings, config) -> (probability, extra_findings)` is what
  the engine calls; it raises `policy.ModelUnavailable` when an artifact cannot be used.
- `base` (protocol + pipelines), `features` (hand-made features, pair similarity).
  Training, augmentation and model-card tables live outside the runtime package, in training/.
  Heavy imports (sklearn, joblib) happen inside functions.
"""
