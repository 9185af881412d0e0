"""How rules and models combine — the one documented policy (models/MODEL_CARD.md §Policy).

For one indicator / goal / completion view, after its rules ran:

1. Rule findings always stand. `p_rules` = the highest confidence of the kind's-category rule
   findings at warning or above (the unit is *flagged* by rules), else none.
2. The kind's model gives a calibrated probability `p_model` that the unit has the problem.
3. Combined probability = sigmoid(a + b·[rules flagged] + c·logit(p_model)), the three numbers
   fitted at training on out-of-fold model probabilities and the rules' verdicts on the corpus
   (`stack` in card.json); without them, max(p_rules, p_model) when flagged, else p_model.
   Where a model-only finding is added, the probability is at least its confidence.
4. A model-only finding (IN90 / GO90 / CP90, `source: "model"`, confidence = p_model) is added
   only when rules did not flag the unit, the model was *kept* at training, and p_model is at or
   above its threshold (`models/<kind>/card.json`). Kept = on the written held-out dev half,
   rule-or-model beats rules alone in F1 with precision ≥ 0.90, and keeps precision ≥ 0.90 on the
   corpus out-of-fold rows (training.fit.decide_on_holdout). A bureau may switch
   a model on, or change its threshold, with `[models.thresholds] IN90 = 0.8` (or
   `[rules.IN90] threshold = 0.8`); `ignore = ["GO90"]` turns one off. Severity comes from the
   rule YAML (warning) and `[severity]`.

Failure: a missing, corrupt or version-mismatched artifact raises `ModelUnavailable` (a
Chinese message) from `combine`; the engine catches it, adds one notice and keeps the
rules-only probability. Models load lazily, once per process (failures are cached too).
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

from checker.judging.classifiers.base import CATEGORY, KINDS, MODEL_CODE, Classifier, record_from_view
from checker.core.finding import SEVERITY_RANK, Finding
from checker.judging.spec import parse_rule
from checker.judging.stamp import stamp, view_values

LOW_PRIOR = 0.05  # same prior as the engine's rules-only probability
KIND_LABELS = {"indicator": "绩效指标", "goal": "总体目标", "completion": "完成情况"}


class ModelUnavailable(RuntimeError):
    """A model artifact could not be used; `str(exc)` is a Chinese message for the notice."""


_lock = threading.Lock()
_cache: dict[tuple[str, str], Classifier | ModelUnavailable] = {}
_spec_cache: dict[str, dict[str, Any]] = {}


def _models_root(config: Any = None):
    custom = config.get("models", "dir") if config is not None else None
    return Path(custom) if custom else resources.files("checker.models")


# Set in worker processes (checker.runner.process.tune_process): the models see one short text at a time,
# so scikit-learn's per-call input and parameter validation is a fifth of their cost; the
# features (tf-idf, counts) are always finite.
FAST_SKLEARN = False


def _load(kind: str, root) -> Classifier:
    import sklearn

    if FAST_SKLEARN:
        sklearn.set_config(assume_finite=True, skip_parameter_validation=True)

    kdir = root / kind
    label = KIND_LABELS[kind]
    card_file, model_file = kdir / "card.json", kdir / "model.joblib"
    if not card_file.is_file() or not model_file.is_file():
        raise ModelUnavailable(f"未找到{label}模型文件（models/{kind}/）")
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise ModelUnavailable(f"{label}模型说明文件（card.json）已损坏") from exc
    if card.get("sklearn_version") != sklearn.__version__:
        raise ModelUnavailable(
            f"{label}模型由 scikit-learn {card.get('sklearn_version')} 训练，与本机 {sklearn.__version__} 不一致，请运行 make train 重新训练"
        )
    data = model_file.read_bytes()
    if card.get("sha256") and hashlib.sha256(data).hexdigest() != card["sha256"]:
        raise ModelUnavailable(f"{label}模型文件校验失败（可能已损坏）")
    try:
        import io

        import joblib

        from sklearn.exceptions import InconsistentVersionWarning

        with warnings.catch_warnings():
            warnings.simplefilter("error", InconsistentVersionWarning)  # pickled by another sklearn: do not trust
            pipe = joblib.load(io.BytesIO(data))
    except Exception as exc:
        raise ModelUnavailable(f"{label}模型文件无法加载（{type(exc).__name__}）") from exc
    if not hasattr(pipe, "predict_proba"):
        raise ModelUnavailable(f"{label}模型文件内容无效")
    return Classifier(kind, pipe, card)


def load(kind: str, config: Any = None) -> Classifier:
    """The kind's classifier, loaded once per process; raises ModelUnavailable."""
    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r}")
    root = _models_root(config)
    key = (kind, str(root))
    with _lock:
        if key not in _cache:
            try:
                _cache[key] = _load(kind, root)
            except ModelUnavailable as exc:
                _cache[key] = exc
        got = _cache[key]
    if isinstance(got, ModelUnavailable):
        raise ModelUnavailable(str(got))
    return got


def card_says_not_kept(kind: str, config: Any = None) -> bool:
    """True when the kind's model card (plain JSON) says the model is not kept for findings; False
    when it is kept or the card cannot be read (then loading reports what is wrong)."""
    try:
        card = json.loads((_models_root(config) / kind / "card.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return not (card.get("kept", False) and card.get("threshold") is not None)


def clear_cache() -> None:
    with _lock:
        _cache.clear()
        _spec_cache.clear()


def _spec(kind: str) -> dict[str, Any]:
    """The model rule's YAML (rules/<category>/<CODE>-*.yaml) as a dict."""
    code = MODEL_CODE[kind]
    if code not in _spec_cache:
        folder = resources.files("checker.rules") / CATEGORY[kind]
        files = []
        if folder.is_dir():
            files = sorted((f for f in folder.iterdir() if f.name.startswith(code + "-") and f.name.endswith(".yaml")), key=lambda f: f.name)
        if not files:
            raise ModelUnavailable(f"未找到模型规则 {code} 的定义文件")
        from checker.judging.spec import load_yaml

        _spec_cache[code] = load_yaml(files[0].read_text(encoding="utf-8"))
    return _spec_cache[code]


def _rule_settings(kind: str, config: Any) -> tuple[dict[str, Any] | None, str, dict[str, Any]]:
    """(spec or None when the code is deselected, severity after overrides, params after overrides)."""
    spec = _spec(kind)
    code = spec["code"]
    severity, params = spec.get("severity", "warning"), dict(spec.get("params") or {})
    if config is not None:
        from checker.judging.spec import selected

        select = [str(p).upper() for p in config.data.get("select") or []]
        ignore = [str(p).upper() for p in config.data.get("ignore") or []]
        if not selected(code, select, ignore):
            return None, severity, params
        sev = {str(k).upper(): v for k, v in config.section("severity").items()}
        severity = sev.get(code, severity)
        over = {str(k).upper(): v for k, v in config.section("rules").items()}.get(code)
        if isinstance(over, dict):
            params.update(over)
        # [models.thresholds] IN90 = 0.8 works even where the rule loader does not list IN90
        mt = {str(k).upper(): v for k, v in (config.get("models", "thresholds") or {}).items()}
        if code in mt:
            params["threshold"] = mt[code]
    return spec, severity, params


def rules_probability(kind: str, rule_findings: list[Finding]) -> tuple[bool, float]:
    cat = CATEGORY[kind]
    conf = [f.confidence for f in rule_findings if f.category == cat and SEVERITY_RANK.get(f.severity, 0) >= SEVERITY_RANK["warning"]]
    return bool(conf), (max(conf) if conf else LOW_PRIOR)


_EVIDENCE = {"indicator": ("target", "name"), "goal": ("goal",), "completion": ("completion",)}
_LOC_FIELD = {"indicator": "target", "goal": "expected", "completion": "actual"}


def _model_finding(kind: str, view: Any, p: float, spec: dict[str, Any], severity: str) -> Finding:
    evidence = next((str(getattr(view, f)) for f in _EVIDENCE[kind] if str(getattr(view, f, "") or "").strip()), "")
    values = {**view_values(view, kind), "evidence": evidence, "confidence": f"{p:.0%}"}
    rule = parse_rule(spec, str(spec["code"]))
    return stamp(rule, values, evidence=evidence, location=view.field(_LOC_FIELD[kind]), confidence=round(p, 4),
                 source="model", severity=severity)


def combine(kind: str, view: Any, rule_findings: list[Finding], config: Any = None) -> tuple[float, list[Finding]]:
    """Combined probability and model-only findings for one view (see the module docstring)."""
    return combine_many(kind, [view], [rule_findings], config)[0]


def combine_many(
    kind: str, views: list[Any], rule_findings: list[list[Finding]], config: Any = None, need_probability: bool = True
) -> list[tuple[float, list[Finding]]]:
    """`combine` for all views of one kind in a document: one predict call, not one per view
    (scikit-learn's per-call overhead was most of a document's checking time).

    With `need_probability=False` (whole documents, where only findings are reported) a
    model whose findings are switched off is not run at all.
    """
    rules = [rules_probability(kind, f) for f in rule_findings]
    out: list[tuple[float, list[Finding]]] = [(p_rules, []) for _flagged, p_rules in rules]
    todo = list(range(len(views)))
    if not todo:
        return out
    spec, severity, params = _rule_settings(kind, config)
    if not need_probability:
        # Decide from the rule file and the model card (plain JSON) whether the model can add a
        # finding at all, before loading it: loading imports scikit-learn (about a second).
        if spec is None or ("threshold" not in params and card_says_not_kept(kind, config)):
            return out
        todo = [i for i in todo if not rules[i][0]]  # a model finding is only added where no rule fired
        if not todo:
            return out
    clf = load(kind, config)
    threshold = params.get("threshold", clf.threshold) if clf.threshold is not None else params.get("threshold")
    if not need_probability and threshold is None:
        return out
    probs = clf.proba([record_from_view(kind, views[i]) for i in todo])
    stack = clf.card.get("stack")
    for i, p in zip(todo, probs, strict=True):
        flagged, p_rules = rules[i]
        if stack:
            pc = min(max(p, 1e-4), 1 - 1e-4)
            z = stack["intercept"] + stack["rule"] * float(flagged) + stack["model"] * math.log(pc / (1 - pc))
            prob = 1.0 / (1.0 + math.exp(-z))
        else:
            prob = max(p_rules, p) if flagged else p
        extra: list[Finding] = []
        if spec is not None and threshold is not None and not flagged and p >= float(threshold):
            extra.append(_model_finding(kind, views[i], p, spec, severity))
            prob = max(prob, p)
        out[i] = (float(prob), extra)
    return out
