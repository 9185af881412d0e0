"""Every setting a check reads is declared in its rule's YAML, with the value the check uses.

A bureau edits rules/<category>/<CODE>-*.yaml, never Python, so a threshold, word pattern or
list that only exists as a default in checker/judging/checks/ is a setting it cannot see.
- Running every rule's examples and every sample through the engine, no check may read a
  parameter its YAML leaves out (checker.judging.checks.RuleParams records such reads).
A fallback left in `params.get(key, fallback)` is then never used by a shipped rule: the
YAML's value is the one that counts (a check shared by two rules gets each rule's own value).
"""

from __future__ import annotations

from pathlib import Path

from checker.api import check_file
from checker.judging import checks

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in {".docx", ".pdf", ".doc", ".xlsx", ".xls"})


def test_no_check_reads_an_undeclared_parameter():
    import test_rule_examples as ex

    checks.UNDECLARED.clear()
    for case in ex._cases():
        spec, _polarity, example = case.values
        ex._codes(spec, example)
    for path in SAMPLES:
        check_file(path)
    found = sorted(checks.UNDECLARED)
    assert not found, "规则参数未在 YAML 中声明（请在 params 中写出默认值）：" + "，".join(f"{c}.{k}" for c, k in found)
