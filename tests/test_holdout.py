"""The written held-out set (eval/holdout) is well-formed, and scripts/eval_holdout.py reports it by split."""

from __future__ import annotations

import collections
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOLDOUT = ROOT / "eval" / "holdout"
FILES = {
    "indicators.jsonl": ("vague", {"project", "level1", "level2", "name", "target", "actual"}, 120),
    "goals.jsonl": ("mismatch", {"project", "goal", "project_context"}, 60),
    "completions.jsonl": ("perfunctory", {"project", "goal", "completion"}, 60),
}


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (HOLDOUT / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", sorted(FILES))
def test_holdout_rows_are_labelled_and_split(name):
    pos, fields, minimum = FILES[name]
    rows = _rows(name)
    assert len(rows) >= minimum
    for row in rows:
        assert fields <= row.keys(), row
        assert row["label"] in (pos, "ok") and row["why"] and row["origin"] == "written"
        assert row["split"] in ("dev", "test")
    share = sum(r["label"] == pos for r in rows) / len(rows)
    assert 0.3 <= share <= 0.5, share
    # dev and test halves are balanced per label (stratified split)
    by = collections.Counter((r["split"], r["label"]) for r in rows)
    for label in (pos, "ok"):
        assert abs(by[("dev", label)] - by[("test", label)]) <= 1, by


def test_holdout_has_no_duplicate_rows():
    for name in FILES:
        keys = [json.dumps({k: v for k, v in r.items() if k not in ("why", "split", "sector")}, sort_keys=True, ensure_ascii=False) for r in _rows(name)]
        assert len(keys) == len(set(keys)), name


def _load_script():
    spec = importlib.util.spec_from_file_location("eval_holdout", ROOT / "scripts" / "eval_holdout.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_eval_holdout_reports_dev_and_test_and_hides_test_errors(tmp_path, capsys):
    rows = [
        {"project": "农村公路养护", "level1": "效益指标", "level2": "社会效益指标", "name": "群众出行条件", "target": "明显改善", "actual": None, "label": "vague", "split": "dev"},
        {"project": "农村公路养护", "level1": "产出指标", "level2": "数量指标", "name": "养护里程", "target": "≥120公里", "actual": None, "label": "vague", "split": "test"},
        {"project": "农村公路养护", "level1": "产出指标", "level2": "数量指标", "name": "养护里程", "target": "≥120公里", "actual": None, "label": "ok", "split": "dev"},
    ]
    (tmp_path / "indicators.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    mod = _load_script()
    assert mod.main(["--no-models", "--in-process", "--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    dev = next(line for line in out.splitlines() if line.startswith("indicator") and " dev " in line)
    test = next(line for line in out.splitlines() if line.startswith("indicator") and " test " in line)
    assert dev.split()[2:6] == ["2", "1", "0", "0"]  # n TP FP FN: the vague row caught, the ok row left alone
    assert test.split()[2:6] == ["1", "0", "0", "1"]  # the mislabelled test row is a miss …
    assert "养护里程" not in out  # … and is not listed unless --show-test
    assert mod.main(["--no-models", "--in-process", "--data", str(tmp_path), "--show-test"]) == 0
    assert "养护里程" in capsys.readouterr().out
