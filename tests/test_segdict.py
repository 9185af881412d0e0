"""jieba's dictionary split by first character (checker.core.segdict) cuts every text exactly as jieba
with its whole dictionary does: same words, same frequencies, same total."""

from __future__ import annotations

import json
import os

import jieba
import pytest

from checker.core import segdict
from conftest import ROOT, SAMPLES


def _texts() -> list[str]:
    """Every string in the samples' expected results (titles, goals, indicators, findings)."""
    out: list[str] = []

    def walk(x):
        if isinstance(x, str) and len(x) > 1:
            out.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for p in sorted(SAMPLES.glob("*.truth.json")):
        walk(json.loads(p.read_text(encoding="utf-8")))
    return out


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("JXCHECK_CACHE_DIR", str(tmp_path))
    got = segdict.open_store(jieba)
    assert got is not None
    assert os.listdir(tmp_path)  # built into the cache folder
    return got


def test_split_dictionary_cuts_like_the_whole_one(store):
    freq, total = store
    whole = jieba.Tokenizer()
    whole.initialize()
    split = jieba.Tokenizer()
    split.FREQ, split.total, split.initialized = freq, total, True
    assert total == whole.total
    user = ROOT / "rules" / "wordlists" / "domain_dict.txt"
    for t in (whole, split):
        t.load_userdict(str(user))
    texts = _texts()
    assert len(texts) > 500
    for text in texts:
        assert split.lcut(text) == whole.lcut(text), text
        assert split.lcut(text, HMM=False) == whole.lcut(text, HMM=False), text
    assert freq.loaded() < 3000  # loaded by need, not whole


def test_damaged_store_leaves_jieba_as_it_was(tmp_path, monkeypatch):
    monkeypatch.setenv("JXCHECK_CACHE_DIR", str(tmp_path))
    path = segdict.store_path(jieba)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(b"not a dictionary")
    assert segdict.open_store(jieba) is None
