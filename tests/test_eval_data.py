"""The labelled-data loader behind `make eval` (training.data): collector parts,
the blind second pass and the dev/test split by source document."""

from __future__ import annotations

import json

from training import data as D


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _goal(rid, url, label, **extra):
    row = {"id": rid, "doc_id": "X-D1", "source_url": url, "project": "农村公路养护", "goal": "完成养护420公里",
           "project_context": "农村公路养护；指标：养护里程", "label": label, "why": "w"}
    return {**row, **extra}


def test_parts_pass2_and_split(tmp_path):
    parts = tmp_path / "parts"
    _write(parts / "A-goals.jsonl", [_goal("A-G1", "http://a.gov.cn/1", "ok"), _goal("A-G2", "https://a.gov.cn/1/", "mismatch"),
                                     _goal("A-G3", "http://b.gov.cn/2", "ok", unsure=True)])
    _write(parts / "B-goals.jsonl", [_goal("B-G1", "http://c.gov.cn/3", "mismatch")])
    _write(parts / "B-pass2.jsonl", [{"id": "A-G1", "label": "mismatch", "settled": "mismatch"},
                                     {"id": "B-G1", "label": "ok"}])
    rows = {r.id: r for r in D.load_real("goal", tmp_path)}
    assert set(rows) == {"A-G1", "A-G2", "A-G3", "B-G1"}
    assert rows["A-G1"].positive and not rows["A-G1"].unsure  # settled label wins
    assert rows["B-G1"].positive and rows["B-G1"].unsure  # passes disagree, not settled
    assert rows["A-G3"].unsure
    # one document (scheme and trailing slash ignored): same group, same half
    assert rows["A-G1"].group == rows["A-G2"].group and rows["A-G1"].split == rows["A-G2"].split
    assert rows["A-G1"].request == {"id": "A-G1", "kind": "goal", "project": "农村公路养护", "goal": "完成养护420公里",
                                    "context": "农村公路养护；指标：养护里程"}
    assert D.load_real("indicator", tmp_path) == []


def test_split_is_stable_and_roughly_even():
    groups = [f"url:example.gov.cn/doc/{n}" for n in range(400)]
    halves = [D.split_of(g) for g in groups]
    assert halves == [D.split_of(g) for g in groups]
    assert 160 < halves.count("dev") < 240


def test_eval_real_reports_halves_and_hides_test_rows(tmp_path, capsys):
    """scripts/eval_real.py on a tiny real corpus: figures per half, the decision per rule, and
    wrong rows listed for the dev half only."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("eval_real", root / "scripts" / "eval_real.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)

    # find one document key per half so both halves are populated
    urls = {}
    n = 0
    while len(urls) < 2:
        url = f"http://example.gov.cn/doc/{n}"
        urls.setdefault(D.split_of(D.doc_key({"source_url": url})), url)
        n += 1
    rows = []
    for half, url in sorted(urls.items()):
        rows += [
            _goal(f"A-{half}-1", url, "mismatch", goal="深入贯彻落实党中央决策部署，推动高质量发展，不断增强人民群众获得感幸福感安全感"),
            _goal(f"A-{half}-2", url, "ok", goal="完成县乡道日常养护420公里，维修破损路面1.5万平方米"),
            _goal(f"A-{half}-3", url, "mismatch", goal="完成县乡道日常养护420公里，维修破损路面1.5万平方米"),  # a miss
        ]
    _write(tmp_path / "real" / "parts" / "A-goals.jsonl", rows)
    (tmp_path / "empty").mkdir()
    mod.main(["--in-process", "--kind", "goal", "--json", "--real", str(tmp_path / "real"),
              "--corpus", str(tmp_path / "empty"), "--holdout", str(tmp_path / "empty")])
    res = json.loads(capsys.readouterr().out)["goal"]
    assert res["rows"]["real-dev"]["sure"] == 3 and res["rows"]["real-test"]["sure"] == 3
    for half in ("real-dev", "real-test"):
        m = res[f"shipped {half}"]
        assert (m["tp"], m["fp"], m["fn"]) == (1, 0, 1)
    assert res["per_rule"]["GO02"]["real_dev"] == [1, 0]
    assert [w["id"] for w in res["wrong"]] == ["A-dev-3"]
