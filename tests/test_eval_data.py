"""The labelled-data loader behind `make eval` (checker.classifiers.data): collector parts,
the blind second pass and the dev/test split by source document."""

from __future__ import annotations

import json

from checker.classifiers import data as D


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _goal(rid, url, label, **extra):
    return {"id": rid, "doc_id": "X-D1", "source_url": url, "project": "农村公路养护", "goal": "完成养护420公里",
            "project_context": "农村公路养护；指标：养护里程", "label": label, "why": "w", **extra}


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
