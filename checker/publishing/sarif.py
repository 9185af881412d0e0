"""SARIF 2.1.0 output, for code-review tools that show findings inline."""

from __future__ import annotations

import json

LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(results) -> str:
    from checker.core.version import __version__

    sarif_results = []
    for r in results:
        for f in r.findings:
            loc = f.location.to_dict()
            sarif_results.append(
                {
                    "ruleId": f.code,
                    "level": LEVEL[f.severity],
                    "message": {"text": f"{f.message} 建议：{f.suggestion}"},
                    "locations": [
                        {
                            "physicalLocation": {"artifactLocation": {"uri": r.path}},
                            "logicalLocations": [{"name": loc.get("field", ""), "kind": "member"}],
                        }
                    ],
                    "properties": {"category": f.category, "evidence": f.evidence, "location": loc, "confidence": f.confidence},
                }
            )
        if r.status != "ok" and r.error is not None:
            sarif_results.append(
                {
                    "ruleId": f"READ.{r.error.code}",
                    "level": "error",
                    "message": {"text": r.error.message},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": r.path}}}],
                }
            )
    doc = {
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{"tool": {"driver": {"name": "jxcheck", "version": __version__}}, "results": sarif_results}],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
