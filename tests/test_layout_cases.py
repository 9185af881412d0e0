"""One driver for the layout cases in tests/layout_cases.py: build each as a real file, read it,
compare every expected field."""

from __future__ import annotations

import re

import pytest
from layout_cases import CASES
from test_read_helpers import to_docx, to_xls, to_xlsx

from checker.api import read_document
from checker.core.layouts import CAPABILITIES, LAYOUTS


def _build(case: dict) -> bytes:
    rows = case.get("rows") or []
    if case["format"] == "docx":
        return to_docx(rows, before=case.get("before", []), after=case.get("after", []))
    return {"xlsx": to_xlsx, "xls": to_xls}[case["format"]](rows)


def _get(doc, path: str):
    if path == "indicator_names":
        return [i.name for i in doc.indicators]
    if path.startswith("can."):
        return doc.can(path[4:])
    if path == "notice~":
        return doc.notices
    m = re.fullmatch(r"len\((\w+)\)", path)
    if m:
        return len(getattr(doc, m.group(1)))
    obj = doc
    for part in path.split("."):
        m = re.fullmatch(r"(\w+)\[(\d+)\]", part)
        if m:
            seq = getattr(obj, m.group(1))
            obj = seq[int(m.group(2)) - 1] if len(seq) >= int(m.group(2)) else None
        elif part == "budget" and obj is doc:
            obj = doc.budget.total if doc.budget else None
        else:
            obj = getattr(obj, part, None) if obj is not None else None
    return obj


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_layout_case(case):
    doc = read_document(_build(case), case["name"])
    wrong = []
    for path, want in case["expect"].items():
        got = _get(doc, path)
        if path == "notice~":
            ok = any(want in n for n in got)
        elif isinstance(want, float | int) and not isinstance(want, bool) and got is not None and not isinstance(got, bool):
            ok = abs(float(got) - want) < 0.005
        else:
            ok = got == want
        if not ok:
            wrong.append(f"{path}: read {got!r}, expected {want!r}")
    assert not wrong, "\n".join(wrong)


def test_every_layout_has_a_case():
    covered = {c["expect"].get("layout") for c in CASES}
    assert {lay.name for lay in LAYOUTS} <= covered


def test_capabilities_are_known_and_rules_never_name_a_layout():
    from pathlib import Path

    for lay in LAYOUTS:
        assert lay.capabilities <= set(CAPABILITIES)
    root = Path(__file__).resolve().parents[1]
    names = "|".join(lay.name for lay in LAYOUTS)
    for p in list((root / "checker" / "judging" / "checks").glob("*.py")) + [root / "checker" / "judging" / "views.py"]:
        assert not re.search(rf"""["']({names})["']""", p.read_text(encoding="utf-8")), p.name
