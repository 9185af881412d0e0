"""Chinese text helpers shared by rules and classifiers: normalisation and jieba tokens.

jieba is loaded lazily, once per process, with the domain dictionary in
rules/wordlists/domain_dict.txt so project terms (绩效指标, 满意度 …) stay whole.
`tokenize` is a module-level function so scikit-learn pipelines that use it pickle.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

_WS = re.compile(r"\s+")
_jieba = None

# Tokens that carry no meaning for overlap/similarity.
STOPWORDS = frozenset(
    "的 了 和 与 及 等 在 对 为 以 将 并 于 中 是 有 把 被 由 从 向 或 其 之 各 该 本 年 年度 全年 项目 工作 开展 进行 "
    "通过 实现 完成 提高 提升 加强 推进 确保 保障 做好 推动 促进 , 。 、 ； ; ： : （ ） ( ) “ ” 《 》 ".split()
)


def normalize(text: str | None) -> str:
    """NFKC (full-width digits/letters to half-width), drop whitespace inside CJK text."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", str(text))
    # NFKC turns ≥ into ≥ already; keep Chinese punctuation as is.
    return _WS.sub("", t)


def _load_jieba():
    global _jieba
    if _jieba is None:
        import logging

        from checker.core.segdict import import_jieba, install

        jieba = import_jieba()
        jieba.setLogLevel(logging.WARNING)
        install(jieba)  # the dictionary by first character, on demand (about 0.5 s less per process)
        dict_file = resources.files("checker.rules").joinpath("wordlists/domain_dict.txt")
        if dict_file.is_file():
            with resources.as_file(dict_file) as p:
                jieba.load_userdict(str(p))
        _jieba = jieba
    return _jieba


@lru_cache(maxsize=20000)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(w for w in _load_jieba().lcut(text) if w.strip())


def tokenize(text: str | None) -> list[str]:
    """jieba tokens of the normalised text (module-level so pipelines pickle)."""
    return list(_cut(normalize(text)))


def content_words(text: str | None) -> set[str]:
    """Tokens worth comparing: no stopwords, no single CJK characters, no pure numbers."""
    out = set()
    for w in tokenize(text):
        if w in STOPWORDS or re.fullmatch(r"[\d.%]+", w):
            continue
        if len(w) == 1 and not w.isascii():
            continue
        out.add(w)
    return out


def has_number(text: str | None) -> bool:
    """True when the text holds an Arabic or Chinese numeral quantity."""
    t = normalize(text)
    return bool(re.search(r"\d", t) or re.search(r"[一二两三四五六七八九十百千万]+(?:个|项|人|次|户|所|家|场|期|条|公里|亩|万元|元|台|套|件|名|批|篇|天|月|年)", t))
