"""Word lists: rules/wordlists/<name>.txt, one entry per line, `#` starts a comment.

A bureau extends a list without touching the package: in jxcheck.toml,
`[wordlists] vague_words = ["…"]` appends to the shipped list, and
`[wordlists.replace] vague_words = ["…"]` replaces it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from checker.core.errors import ConfigError


def parse_wordlist(text: str) -> tuple[str, ...]:
    """Entries of a word-list file: stripped, comments and blanks dropped, order kept, no duplicates."""
    out: dict[str, None] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.setdefault(line, None)
    return tuple(out)


@lru_cache(maxsize=8)
def _shipped(rules_dir: str | None) -> dict[str, tuple[str, ...]]:
    lists: dict[str, tuple[str, ...]] = {}
    if rules_dir is None:
        folder = resources.files("checker.rules").joinpath("wordlists")
        files = [(f.name, f) for f in folder.iterdir()] if folder.is_dir() else []
    else:
        folder = Path(rules_dir) / "wordlists"
        files = [(f.name, f) for f in folder.iterdir()] if folder.is_dir() else []
    for name, f in sorted(files, key=lambda x: x[0]):
        if name.endswith(".txt"):
            lists[name[:-4]] = parse_wordlist(f.read_text(encoding="utf-8"))
    return lists


class WordLists:
    """Named word lists after config; `get(name)` returns a list (empty if unknown)."""

    def __init__(self, lists: dict[str, tuple[str, ...]]):
        self._lists = lists
        self._derived: dict[str, Any] = {}

    def derived(self, key: str, build):
        """A structure built from the lists (a cleaned set, a compiled pattern), built once
        per WordLists so checks do not redo it for every indicator."""
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    def get(self, name: str, default: list[str] | None = None) -> list[str]:
        if name in self._lists:
            return list(self._lists[name])
        return list(default or [])

    def names(self) -> list[str]:
        return sorted(self._lists)

    def __contains__(self, name: str) -> bool:
        return name in self._lists


def _as_words(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[wordlists] {name} 必须是字符串列表")
    return tuple(v.strip() for v in value if v.strip())


def load_wordlists(config: Any = None, rules_dir: str | Path | None = None) -> WordLists:
    """Shipped lists, then config appends ([wordlists] name = [...]) and replacements."""
    lists = dict(_shipped(str(rules_dir) if rules_dir is not None else None))
    section = dict(config.section("wordlists")) if config is not None else {}
    replace = section.pop("replace", {}) or {}
    for name, words in sorted(replace.items()):
        lists[name] = _as_words(name, words)
    for name, words in sorted(section.items()):
        merged = dict.fromkeys(lists.get(name, ()))
        merged.update(dict.fromkeys(_as_words(name, words)))
        lists[name] = tuple(merged)
    return WordLists(lists)
