"""The cache of parsed rule YAML (checker.judging.spec._YamlCache) gives what parsing gives: the
same data for every shipped rule, library and rubric file, fresh objects on each load, and a
parse again when the cache file is missing, damaged or cannot be written."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from checker.judging import spec


def _texts() -> list[tuple[str, str]]:
    out = []
    for folder in sorted(resources.files("checker.rules").iterdir(), key=lambda p: p.name):
        if folder.is_dir():
            out += [(f"{folder.name}/{f.name}", f.read_text(encoding="utf-8")) for f in sorted(folder.iterdir(), key=lambda p: p.name)
                    if f.name.endswith(".yaml")]  # fmt: skip
    return out


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("JXCHECK_CACHE_DIR", str(tmp_path))
    return spec._YamlCache()


def test_cached_data_is_what_parsing_gives_for_every_shipped_yaml(cache):
    texts = _texts()
    assert len(texts) > 90
    first = [cache.load(t) for _, t in texts]
    cache.save()
    again = spec._YamlCache()  # a new process: everything from the file
    for (name, text), a in zip(texts, first, strict=True):
        parsed = spec._parse_yaml(text)
        assert a == parsed, name
        b = again.load(text)
        assert b == parsed and type(b) is type(parsed), name
    assert not again.added  # nothing had to be parsed


def test_each_load_gives_fresh_objects(cache):
    text = "a: [1, 2]\nb: {c: 中文}\n"
    x = cache.load(text)
    x["a"].append(3)
    assert cache.load(text) == {"a": [1, 2], "b": {"c": "中文"}}


def test_data_marshal_cannot_keep_is_parsed_each_time(cache):
    text = "when: 2024-01-31\n"  # a YAML date
    assert cache.load(text) == spec._parse_yaml(text)
    assert not cache.added


def test_a_damaged_or_unwritable_cache_only_means_parsing_again(cache, tmp_path, monkeypatch):
    text = "rule: 规则\nvalues: [1.5, true, null]\n"
    cache.load(text)
    cache.save()
    path = Path(cache.path())
    path.write_bytes(path.read_bytes()[:20])  # cut short
    assert spec._YamlCache().load(text) == spec._parse_yaml(text)
    path.write_bytes(b"not a cache")
    assert spec._YamlCache().load(text) == spec._parse_yaml(text)
    blocked = tmp_path / "file"
    blocked.write_text("x")
    monkeypatch.setenv("JXCHECK_CACHE_DIR", str(blocked / "sub"))  # a folder that cannot be made
    c = spec._YamlCache()
    assert c.load(text) == spec._parse_yaml(text)
    c.save()  # no error
