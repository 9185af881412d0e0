"""Findings that need more than one document: copies (AC90) and targets against last year's
actuals (IN60, IN61). One entry point for every multi-document input — `check FOLDER`, `batch`,
`recheck` and the app — so the same archive gets the same findings however it is checked, and
the review score counts them like any other finding."""

from __future__ import annotations

from typing import Any

from checker.judging import copydetect, yoy


def codes() -> set[str]:
    return {copydetect.CODE, *yoy.CODES}


SLIM_KEYS = ("path", "sha256", "unit", "project", "year", "doc_type", "status")
SLIM_GOAL = ("expected", "actual", "location")
SLIM_INDICATOR = ("name", "level2", "target", "actual", "location")


def slim(doc: dict) -> dict:
    """Only what `find` reads of a DOCUMENT dict (copy detection and year over year), so a batch's
    final pass can hold every document of a large archive at a fraction of its full size."""
    out = {k: doc.get(k) for k in SLIM_KEYS}
    out["goals"] = [{k: g.get(k) for k in SLIM_GOAL} for g in doc.get("goals") or []]
    out["indicators"] = [{k: i.get(k) for k in SLIM_INDICATOR} for i in doc.get("indicators") or []]
    return out


def find(docs: list[dict], config: Any = None, previous: list[dict] | None = None) -> dict[int, list[dict]]:
    """Cross-document FINDING dicts per index of `docs`; `previous` documents (earlier batches) are
    compared against but get no findings of their own."""
    out = _copies(docs, config, previous)  # its fingerprints are freed before the next pass builds its own
    for i, fs in yoy.detect_findings(docs, previous, config).items():
        out.setdefault(i, []).extend(fs)
    return out


def _copies(docs: list[dict], config: Any = None, previous: list[dict] | None = None) -> dict[int, list[dict]]:
    """AC90 findings per index of `docs`."""
    out: dict[int, list[dict]] = {}
    spec = copydetect.ac90_spec(config)
    if spec is not None and len(docs) + len(previous or []) > 1:
        col = copydetect.Collector(spec.params, copydetect.generic_names(config))
        for d in [*docs, *(previous or [])]:  # earlier documents after: their indices are dropped
            col.add(d)
        for i, recs in col.detect().items():
            if i < len(docs):
                out.setdefault(i, []).extend(copydetect.to_finding(r, spec) for r in recs)
    return out


def merge(doc: dict, cross: list[dict], config: Any = None) -> dict:
    """`doc` with its cross-document findings replaced by `cross` (after dismissals), re-scored.
    Idempotent: a resumed batch recomputes them from scratch."""
    own = codes()
    findings = [f for f in doc.get("findings") or [] if f.get("code") not in own]
    dismissed = [d for d in doc.get("dismissed") or [] if d.get("code") not in own]
    entries = config.get("review", "dismissals") if config is not None else None
    if entries and cross:
        from checker.core.dismiss import split

        cross, gone = split(doc, cross, entries)
        dismissed += gone
    had = len(findings) != len(doc.get("findings") or [])
    out = {**doc, "findings": sorted(findings + cross, key=copydetect.finding_sort_key)}
    if dismissed:
        out["dismissed"] = dismissed
    if cross or had:
        from checker.scoring.review_score import rescore

        out["score"], out["grade"], out["score_breakdown"] = rescore(out, out["findings"], config)
    return out


def apply(docs: list[dict], config: Any = None, previous: list[dict] | None = None) -> list[dict]:
    """Every document with its cross-document findings, without mutating `docs`."""
    found = find(docs, config, previous)
    return [merge(d, found.get(i, []), config) if (found.get(i) or _has_cross(d)) else d for i, d in enumerate(docs)]


def _has_cross(doc: dict) -> bool:
    own = codes()
    return any(f.get("code") in own for f in doc.get("findings") or [])


def apply_results(results: list, config: Any = None) -> None:
    """The same for `checker.api.Result` objects (`jxcheck check` over several files), in place."""
    if len(results) < 2:
        return
    from checker.core.finding import Finding

    dicts = [r.to_dict() for r in results]
    found = find(dicts, config)
    for i, r in enumerate(results):
        if not found.get(i):
            continue
        merged = merge(dicts[i], found[i], config)
        r.findings = sorted((Finding.from_dict(f) for f in merged["findings"]), key=Finding.sort_key)
        r.score, r.grade, r.score_breakdown = merged["score"], merged["grade"], merged["score_breakdown"]
        r.dismissed = merged.get("dismissed") or []
