"""Check types: generic ones driven by rule parameters, and registered Python checks.

A check is `fn(view, params, ctx) -> Iterable[Hit]`, where `view` is one of the
views in checker/judging/views.py (chosen by the rule's `scope`), `params` the rule's
parameters after config overrides, and `ctx` a `CheckContext` (word lists, config,
the whole document when there is one). Register with `@check("name")`; a rule
points at it with `kind: python:name` (registered checks) or `kind: name`
(generic check types: lexicon, pattern, required, conditional, formula, similarity).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from checker.core.finding import Hit

CheckFn = Callable[[Any, dict[str, Any], "CheckContext"], Iterable[Hit]]

REGISTRY: dict[str, CheckFn] = {}

# Modules that register checks; imported once, on first lookup.
CHECK_MODULES = (
    "checker.judging.checks.generic",
    "checker.judging.checks.indicator",
    "checker.judging.checks.indicator_floors",
    "checker.judging.checks.indicator_names",
    "checker.judging.checks.goal",
    "checker.judging.checks.goal_shapes",
    "checker.judging.checks.completion",
    "checker.judging.checks.document",
    "checker.judging.checks.docnumbers",
)
_loaded = False


class RuleParams(dict):
    """A rule's `params` as its check sees them. Every key a check reads is declared in the
    rule's YAML with its default, so a bureau can see and change it there; a read of a key the
    YAML does not declare is remembered in `UNDECLARED` (tests/test_rule_params.py fails on it)
    and otherwise answers as a plain dict would. Keys starting with `_` are the engine's own."""

    def __init__(self, code: str, values: dict[str, Any]):
        super().__init__(values)
        self.code = code

    def _miss(self, key: Any) -> None:
        if isinstance(key, str) and not key.startswith("_"):
            UNDECLARED.add((self.code, key))

    def get(self, key: Any, default: Any = None) -> Any:
        if key not in self.keys():
            self._miss(key)
        return super().get(key, default)

    def __getitem__(self, key: Any) -> Any:
        if key not in self.keys():
            self._miss(key)
        return super().__getitem__(key)

    def __contains__(self, key: Any) -> bool:
        found = super().__contains__(key)
        if not found:
            self._miss(key)
        return found


# (rule code, parameter) pairs a check read that the rule's YAML does not declare.
UNDECLARED: set[tuple[str, str]] = set()


@dataclass
class CheckContext:
    wordlists: Any  # checker.judging.wordlists.WordLists
    config: Any  # checker.core.config.Config
    document: Any = None  # checker.judging.views.DocumentView when checking a whole document
    cache: dict[str, Any] = field(default_factory=dict)  # per-run memo (tokenised texts …)


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check function under `name`."""

    def deco(fn: CheckFn) -> CheckFn:
        if name in REGISTRY and REGISTRY[name] is not fn:
            raise ValueError(f"check {name!r} registered twice")
        REGISTRY[name] = fn
        return fn

    return deco


def get_check(name: str) -> CheckFn:
    global _loaded
    if not _loaded:
        for mod in CHECK_MODULES:
            importlib.import_module(mod)
        _loaded = True
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"no check registered as {name!r}") from None
