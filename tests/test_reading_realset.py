"""Real report texts (eval/reading/*.json), laid out as .docx and PDF, read field by field against
hand-written truth. The bar of issue 11: at least 0.95 of the fields right for each report type."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval" / "reading"))

from reportset import build, load_cases, score  # noqa: E402

from checker.api import read_document  # noqa: E402


@pytest.mark.parametrize("which", ["dev", "holdout"])
def test_real_reports_read_field_by_field(which):
    right: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for case in load_cases(which):
        for fmt in ("docx", "pdf"):
            data, name = build(case, fmt)
            for field, (ok, have, want) in score(case, read_document(data, name)).items():
                right[case["doc_type"]][0] += ok
                right[case["doc_type"]][1] += 1
                if not ok:
                    wrong.append(f"{case['id']} {fmt} {field}: {have!r} != {want!r}")
    for doc_type, (ok, n) in right.items():
        assert ok / n >= 0.95, f"{which} {doc_type}: {ok}/{n}\n" + "\n".join(wrong)


def test_the_set_is_big_enough_and_has_both_report_types():
    cases = load_cases("dev") + load_cases("holdout")
    assert len(cases) >= 12
    assert {c["doc_type"] for c in cases} == {"project_report", "overall_report"}
    assert all(c["source_url"].startswith("http") for c in cases)
