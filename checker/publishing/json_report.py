"""The contract JSON (docs/contract.md): `{"version": SCHEMA_VERSION, "documents": [DOCUMENT, ...]}`.

The one envelope `jxcheck check --format json`, the app's download and `jxcheck recheck` write."""

from __future__ import annotations

import json
from typing import Any

from checker.core.version import SCHEMA_VERSION


def envelope(documents: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """The contract's top level: the schema version, any extra top-level keys, the documents."""
    return {"version": SCHEMA_VERSION, **extra, "documents": documents}


def render(results: list[Any], color: bool = False) -> str:
    """Results (checker.api.Result or their contract dicts) as the contract JSON text."""
    docs = [r if isinstance(r, dict) else r.to_dict() for r in results]
    return json.dumps(envelope(docs), ensure_ascii=False, indent=2)
