"""Trained classifiers beside the rules (issue 4; models/MODEL_CARD.md).

- `policy.combine(kind, view, rule_findings, config) -> (probability, extra_findings)` is what
  the engine calls; it raises `policy.ModelUnavailable` when an artifact cannot be used.
- `base` (protocol + pipelines), `features` (hand-made features, pair similarity),
  `training` (grouped CV, keep/threshold decision, artifacts), `augment` (paraphrase families),
  `report` (model-card tables). Heavy imports (sklearn, joblib) happen inside functions.
"""
