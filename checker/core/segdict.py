"""jieba's dictionary read on demand, so a check that segments two short texts does not load it whole.

jieba keeps its prefix dictionary (about 500,000 words and word prefixes, with their
frequencies) in one dict and loads all of it, from its own cache, before the first cut:
about half a second per process. Every lookup jieba makes is a word or prefix that starts
with the character being segmented, so the same dict split by first character gives the same
answers: `ShardedFreq` loads the part for a character the first time a text contains it.

The split dictionary is built once from jieba's own dictionary file (the same `gen_pfdict`
jieba uses, so the same words, frequencies and total) into the user's cache folder, named by
jieba's version and the dictionary file's size and time; anything that goes wrong (no
writable folder, a damaged file) leaves jieba loading its dictionary the usual way.
"""

from __future__ import annotations

import marshal
import mmap
import os
import struct
import sys
import tempfile

from checker.core.atomic import write_atomic

FORMAT = 1
_HEAD = struct.Struct("<8sQ")  # magic, length of the marshalled index
MAGIC = b"JXSEG001"


def import_jieba():
    """`import jieba` without pkg_resources: jieba's _compat imports it only to find its own
    files (it falls back to the module's folder), and importing it costs about 0.1 s."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
    try:
        import jieba
    finally:
        if blocked and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def cache_dir() -> str:
    """$JXCHECK_CACHE_DIR, else the user's cache folder (XDG), else the temp folder."""
    for d in (os.environ.get("JXCHECK_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME") and os.path.join(os.environ["XDG_CACHE_HOME"], "jxcheck")):
        if d:
            return d
    home = os.path.expanduser("~")
    if home and home != "~" and os.path.isdir(home):
        return os.path.join(home, ".cache", "jxcheck")
    return os.path.join(tempfile.gettempdir(), "jxcheck")


def _dict_path(jieba) -> str:
    return os.path.join(os.path.dirname(os.path.abspath(jieba.__file__)), "dict.txt")


def store_path(jieba) -> str:
    st = os.stat(_dict_path(jieba))
    version = str(getattr(jieba, "__version__", "0")).replace(os.sep, "_")
    return os.path.join(cache_dir(), f"jieba-{version}-{st.st_size}-{st.st_mtime_ns}-v{FORMAT}.seg")


def build(jieba, path: str) -> None:
    """Write jieba's prefix dictionary split by first character: header, index, shards."""
    with open(_dict_path(jieba), "rb") as fh:
        freq, total = jieba.Tokenizer.gen_pfdict(fh)
    shards: dict[str, dict[str, int]] = {}
    for word, n in freq.items():
        shards.setdefault(word[:1], {})[word] = n
    blobs, index, offset = [], {}, 0
    for ch in sorted(shards):
        blob = marshal.dumps(shards[ch])
        index[ch] = (offset, len(blob))
        blobs.append(blob)
        offset += len(blob)
    head = marshal.dumps((FORMAT, total, index))
    write_atomic(path, b"".join([_HEAD.pack(MAGIC, len(head)), head, *blobs]), make_parent=True)


class ShardedFreq:
    """The part of jieba's FREQ mapping that jieba uses (`in`, `[]`, `get`, assignment),
    loading the words that start with a character when a lookup first needs them."""

    __slots__ = ("_mm", "_base", "_index", "_shards")

    def __init__(self, mm: mmap.mmap, base: int, index: dict[str, tuple[int, int]]):
        self._mm, self._base, self._index, self._shards = mm, base, index, {}

    def _shard(self, key: str) -> dict[str, int]:
        ch = key[:1]
        shard = self._shards.get(ch)
        if shard is None:
            span = self._index.get(ch)
            if span is None:
                shard = {}
            else:
                start = self._base + span[0]
                shard = marshal.loads(self._mm[start : start + span[1]])
            self._shards[ch] = shard
        return shard

    def __contains__(self, key) -> bool:
        return key in self._shard(key)

    def __getitem__(self, key) -> int:
        return self._shard(key)[key]

    def __setitem__(self, key, value) -> None:
        self._shard(key)[key] = value

    def get(self, key, default=None):
        return self._shard(key).get(key, default)

    def loaded(self) -> int:
        """Number of first characters loaded so far (for tests and measurements)."""
        return len(self._shards)


def open_store(jieba) -> tuple[ShardedFreq, int] | None:
    """(FREQ, total) from the split dictionary, building it first if missing; None on failure."""
    try:
        path = store_path(jieba)
        if not os.path.isfile(path):
            build(jieba, path)
        with open(path, "rb") as fh:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        magic, n = _HEAD.unpack(mm[: _HEAD.size])
        if magic != MAGIC:
            return None
        fmt, total, index = marshal.loads(mm[_HEAD.size : _HEAD.size + n])
        if fmt != FORMAT:
            return None
        return ShardedFreq(mm, _HEAD.size + n, index), total
    except (OSError, ValueError, EOFError, TypeError, struct.error):
        return None


def install(jieba) -> bool:
    """Give jieba's default tokenizer the split dictionary; False (jieba unchanged) on failure."""
    dt = jieba.dt
    with dt.lock:
        if dt.initialized:
            return isinstance(dt.FREQ, ShardedFreq)
        got = open_store(jieba)
        if got is None:
            return False
        dt.FREQ, dt.total = got
        dt.initialized = True
    return True
