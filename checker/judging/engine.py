"""The rule engine: runs each rule's check on the views of its scope and stamps Findings.

Checks return bare Hits; only the engine turns them into Findings, filling code,
category, severity (after config overrides), title, basis, message and suggestion from
the rule's YAML. So a rule cannot misreport itself, and the same code path serves
`jxcheck check` (whole documents) and `jxcheck snippet` (one indicator, goal or completion).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from checker.judging.checks import CheckContext, RuleParams, get_check
from checker.core.config import Config, load_config
from checker.core.finding import SEVERITY_RANK, Finding, Hit
from checker.judging.library import example_values
from checker.core.document import Location
from checker.judging.spec import MODEL_KINDS, RuleSpec, load_rules, selected
from checker.judging.stamp import default_location, stamp, template_fields, view_values
from checker.judging.views import DocumentView, document_views, snippet_views
from checker.judging.wordlists import WordLists, load_wordlists

KIND_CATEGORY = {"indicator": "vague_indicator", "goal": "goal_mismatch", "completion": "perfunctory_completion"}
SNIPPET_TEXT_FIELDS = {"indicator": ("name", "target"), "goal": ("goal",), "completion": ("completion",)}
# An indicator's target may be present but blank: a blank 年度指标值 is itself a finding (IN17).
MAY_BE_BLANK = {"target"}
LOW_PRIOR = 0.05


@dataclass
class RuleSet:
    """Rules after config, grouped by scope, with word lists and config for the checks."""

    config: Config
    rules: list[RuleSpec]
    wordlists: WordLists
    by_scope: dict[str, list[RuleSpec]] = field(default_factory=dict)

    @classmethod
    def build(cls, config: Config | None = None, rules_dir: Any = None) -> RuleSet:
        config = config or load_config()
        rules = load_rules(config, rules_dir)
        wl = load_wordlists(config, rules_dir)
        by_scope: dict[str, list[RuleSpec]] = {}
        for r in rules:
            if r.kind in MODEL_KINDS:  # applied by the model policy, not run as a check
                continue
            by_scope.setdefault(r.scope, []).append(r)
        return cls(config, rules, wl, by_scope)

    def wants(self, code: str) -> bool:
        """select/ignore applied to a code that may have no YAML (model findings)."""
        data = self.config.data
        return selected(code, [str(p).upper() for p in data.get("select") or []], [str(p).upper() for p in data.get("ignore") or []])

    def context(self, document: Any = None) -> CheckContext:
        return CheckContext(wordlists=self.wordlists, config=self.config, document=document)


def run_rule(spec: RuleSpec, view: Any, ctx: CheckContext, notices: list[str]) -> list[Finding]:
    """Run one rule on one view and stamp its Hits; a crashing check becomes a notice."""
    params = RuleParams(spec.code, spec.params)
    if spec.wordlists:
        params.setdefault("_wordlists", list(spec.wordlists))  # generic checks read the rule's lists here
    try:
        hits = list(get_check(spec.check_name)(view, params, ctx) or ())
    except Exception as exc:  # one broken rule must not stop the others; one notice per rule
        prefix = f"规则 {spec.code} 运行出错，已跳过"
        if not any(n.startswith(prefix) for n in notices):
            notices.append(f"{prefix}：{type(exc).__name__}: {exc}")
        return []
    if not hits:  # most rules find nothing in most items: no message values to work out
        return []
    base = view_values(view, spec.scope)
    # suggestion examples from the document's field and the item's indicator kind (checker.judging.library)
    base.update(example_values(view, spec.scope, template_fields(spec.suggestion) + template_fields(spec.message)))
    out = []
    for hit in hits:
        if not isinstance(hit, Hit):
            continue
        values = {**base, "evidence": hit.evidence, **hit.args}
        loc = hit.location if hit.location != Location() else default_location(view)
        out.append(stamp(spec, values, evidence=hit.evidence, location=loc, confidence=hit.confidence))
    return out


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: dict[tuple, Finding] = {}
    for f in findings:
        key = (f.code, f.location, f.evidence)
        if key not in seen or f.confidence > seen[key].confidence:
            seen[key] = f
    return sorted(seen.values(), key=Finding.sort_key)


def _rules_probability(kind: str, findings: list[Finding]) -> float:
    cat = KIND_CATEGORY[kind]
    conf = [f.confidence for f in findings if f.category == cat and SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]]
    return max(conf) if conf else LOW_PRIOR


_policy_state: dict[str, Any] = {}


def _policy():
    """checker.judging.classifiers.policy, imported on first use (a model that cannot be used
    raises policy.ModelUnavailable there, and the run falls back to rules with a notice)."""
    if "mod" not in _policy_state:
        from checker.judging.classifiers import policy

        _policy_state["mod"] = policy
    return _policy_state["mod"]


def _unit_rule_findings(kind: str, view: Any, ruleset: RuleSet, ctx: CheckContext, notices: list[str]) -> list[Finding]:
    rules = ruleset.by_scope.get(kind, [])
    findings: list[Finding] = []
    for spec in rules:
        findings.extend(run_rule(spec, view, ctx, notices))
    return _dedupe(findings)


def run_units(
    kind: str, views: list[Any], ruleset: RuleSet, ctx: CheckContext, notices: list[str], models: bool = True,
    need_probability: bool = True,
) -> list[tuple[list[Finding], float]]:
    """Run the rules of each indicator/goal/completion view, then the model layer (one
    batched call for all the views) if enabled."""
    found = [_unit_rule_findings(kind, v, ruleset, ctx, notices) for v in views]
    out = [(f, _rules_probability(kind, f)) for f in found]
    enabled = models and bool(ruleset.config.get("models", "enabled", True))
    policy = _policy() if enabled and views else None
    if policy is None:
        return out
    try:
        combined = policy.combine_many(kind, views, found, ruleset.config, need_probability=need_probability)
    except Exception as exc:  # the model layer is optional; fall back to rules
        msg = f"模型判断不可用，已仅用规则检查：{exc}"
        if not any(n.startswith("模型判断不可用") for n in notices):
            notices.append(msg)
        return out
    return [
        (_dedupe(f + [x for x in extra or [] if ruleset.wants(x.code)]), float(prob))
        for f, (prob, extra) in zip(found, combined, strict=True)
    ]


def run_unit(
    kind: str, view: Any, ruleset: RuleSet, ctx: CheckContext, notices: list[str], models: bool = True
) -> tuple[list[Finding], float]:
    """Run the rules of one indicator/goal/completion view, then the model layer if enabled."""
    return run_units(kind, [view], ruleset, ctx, notices, models)[0]


def check_document(
    doc: Any, config: Config | None = None, recomputation: Any = None, context: Any = None, models: bool = True, rules_dir: Any = None
):
    """Run every rule over a Document; returns (sorted findings, Chinese notices).
    Completion rules see each goal's 实际完成情况."""
    ruleset = _ruleset(config, rules_dir)
    notices: list[str] = []
    dview = DocumentView(doc, recomputation, context)
    ctx = ruleset.context(dview)
    inds, goals, comps = document_views(doc)
    findings: list[Finding] = []
    for kind, views in (("indicator", inds), ("goal", goals), ("completion", comps)):
        for unit_findings, _prob in run_units(kind, views, ruleset, ctx, notices, models, need_probability=False):
            findings.extend(unit_findings)
    for spec in ruleset.by_scope.get("document", []):
        findings.extend(run_rule(spec, dview, ctx, notices))
    return _dedupe(findings), notices


_ruleset_cache: dict[str, RuleSet] = {}


def _ruleset(config: Config | None, rules_dir: Any = None) -> RuleSet:
    """RuleSet for a config, memoised on the config's content (snippet batches reuse it)."""
    config = config or load_config()
    key = json.dumps([config.data, str(rules_dir or "")], sort_keys=True, ensure_ascii=False, default=str)
    if key not in _ruleset_cache:
        _ruleset_cache.clear()
        _ruleset_cache[key] = RuleSet.build(config, rules_dir)
    return _ruleset_cache[key]


class SnippetError(ValueError):
    """A snippet request that cannot be checked; `code` is stable, message Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def validate_request(req: Any) -> str:
    """Return the request's kind or raise SnippetError."""
    if not isinstance(req, dict):
        raise SnippetError("bad_request", "请求必须是 JSON 对象")
    kind = req.get("kind")
    if kind not in KIND_CATEGORY:
        raise SnippetError("bad_kind", f"kind 必须是 indicator、goal 或 completion，收到：{kind!r}")
    missing = [
        f for f in SNIPPET_TEXT_FIELDS[kind]
        if req.get(f) is None or (f not in MAY_BE_BLANK and not str(req.get(f)).strip())
    ]
    if missing:
        raise SnippetError("missing_field", f"缺少必填字段：{'、'.join(missing)}")
    return kind


def check_snippet(request: dict, config: Config | None = None, models: bool = True) -> dict:
    """The contract's snippet answer for one request (id, kind, flagged, category, probability, findings).

    An invalid request gives an answer with `error: {code, message}` instead of raising.
    """
    from checker.reading.snippet import RequestError, clean_request, cut_notice, safe_id

    rid = safe_id(request.get("id")) if isinstance(request, dict) else None
    try:
        request = clean_request(request)  # text fields as clean, bounded str; anything else refused
        kind = validate_request(request)
    except (SnippetError, RequestError) as err:
        kind = request.get("kind") if isinstance(request, dict) and isinstance(request.get("kind"), str) else None
        return {"id": rid, "kind": kind, "error": {"code": err.code, "message": err.message}}
    ruleset = _ruleset(config)
    view = snippet_views(request)
    notices: list[str] = []
    findings, prob = run_unit(kind, view, ruleset, ruleset.context(), notices, models)
    cat = KIND_CATEGORY[kind]
    flagged = any(f.category == cat and SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"] for f in findings)
    answer = {
        "id": rid,
        "kind": kind,
        "flagged": flagged,
        "category": cat,
        "probability": round(float(prob), 4),
        "findings": [f.to_dict() for f in findings],
    }
    if cut_notice(request):
        notices.append(cut_notice(request))
    if notices:
        answer["notices"] = notices
    from checker.judging.rewrite import attach_to_snippet

    attach_to_snippet(request, answer)
    return answer
