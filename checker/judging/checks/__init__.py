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
    "checker.judging.checks.goal",
    "checker.judging.checks.completion",
    "checker.judging.checks.document",
    "checker.judging.checks.docnumbers",
)
_loaded = False


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
            try:
                importlib.import_module(mod)
            except ModuleNotFoundError as exc:
                if exc.name != mod:
                    raise
        _loaded = True
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"no check registered as {name!r}") from None
