"""Copy detection across a batch (rule AC90): the same goal, completion text or
indicator set reused in another project, unit or year.

Runs after the main pass over the DOCUMENT dicts of documents.jsonl. Texts are
normalised (NFKC, no spaces or punctuation); identical texts match by hash, near
duplicates by MinHash over character 3-gram shingles with LSH banding, the estimate
confirmed on the full signature. Short texts and boilerplate that many documents share
(a text or indicator found in a large share of the archive) are ignored: they are
either perfunctory (other rules catch that) or standard wording, not copying.

Which pairs count: different units; or, within one unit (or where the unit is
unknown), documents of the same type for another year or another project. Documents
of different types about the same project legitimately repeat its goal.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from checker.core.document import DOC_TYPE_LABELS
from checker.core.textutil import normalize

CODE = "AC90"
DEFAULTS = {
    "min_chars": 20,  # shorter texts (已完成, 达到预期目标 …) are left to the CP/GO rules
    "near_jaccard": 0.8,  # estimated shingle Jaccard at or above this = a copy
    "boilerplate_share": 0.3,  # a text in at least this share of documents …
    "boilerplate_min_docs": 5,  # … and in at least this many is standard wording
    "min_indicators": 5,  # shared distinct indicators (name + target) needed for a copied set
    "indicator_jaccard": 0.8,
}
NUM_PERM, BANDS = 128, 16  # 16 bands of 8 rows: a pair at Jaccard 0.8 is a candidate with p ≈ 0.95
ROWS = NUM_PERM // BANDS
SHINGLE = 3
_PRIME = (1 << 31) - 1
_STRIP = re.compile(r"[\W_]+")
_NUM = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d(?=年|\D|$)")
KIND_LABELS = {"goal": "年度总体目标", "completion": "目标实际完成情况", "indicators": "绩效指标设置"}
KIND_FIELDS = {"goal": "goals[{i}].expected", "completion": "goals[{i}].actual", "indicators": "indicators"}


def norm(text: Any) -> str:
    return _STRIP.sub("", normalize(str(text or ""))).lower()


@dataclass
class DocInfo:
    idx: int
    path: str
    sha: str
    unit: str | None
    project: str | None
    year: int | None
    doc_type: str
    unit_key: str = ""
    project_key: str = ""


@dataclass
class Item:
    doc: int
    kind: str  # goal | completion
    index: int  # 1-based goal number
    text: str
    key: str  # hash of the normalised text
    sig: Any = None  # MinHash signature (numpy array)
    nums: frozenset = frozenset()  # the text's figures, years left out
    location: dict = field(default_factory=dict)


def _perms():
    import numpy as np

    rng = np.random.default_rng(20240607)  # fixed: same archive, same findings
    a = rng.integers(1, _PRIME, NUM_PERM, dtype=np.uint64)
    b = rng.integers(0, _PRIME, NUM_PERM, dtype=np.uint64)
    return a[:, None], b[:, None]


def signature(text_norm: str, perms) -> Any:
    """MinHash of the character shingles; 32-bit shingle hashes via blake2b."""
    import numpy as np

    grams = {text_norm[i : i + SHINGLE] for i in range(max(1, len(text_norm) - SHINGLE + 1))}
    x = np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=4).digest(), "little") for g in sorted(grams)),
        dtype=np.uint64,
        count=len(grams),
    )
    a, b = perms
    return ((a * x[None, :] + b) % _PRIME).min(axis=1)  # a < 2^31, x < 2^32: no overflow


class Collector:
    """Feed DOCUMENT dicts one by one (keeps only compact fingerprints), then `detect()`."""

    def __init__(self, params: dict | None = None, generic_names: tuple[str, ...] = ()):
        self.p = {**DEFAULTS, **(params or {})}
        self.docs: list[DocInfo] = []
        self.items: list[Item] = []
        self.indicator_sets: dict[int, frozenset[str]] = {}
        self.generic = {norm(n) for n in generic_names}
        self._perms = None

    def add(self, doc: dict) -> None:
        i = len(self.docs)
        unit = (doc.get("unit") or "").strip() or None
        project = (doc.get("project") or "").strip() or None
        info = DocInfo(i, doc.get("path", ""), doc.get("sha256") or "", unit, project, doc.get("year"), doc.get("doc_type") or "unknown",
                       norm(unit), norm(project))  # fmt: skip
        self.docs.append(info)
        if doc.get("status") != "ok":
            return
        for n, g in enumerate(doc.get("goals") or [], 1):
            for kind, text in (("goal", g.get("expected")), ("completion", g.get("actual"))):
                t = norm(text)
                if len(t) < self.p["min_chars"]:
                    continue
                key = hashlib.sha1(t.encode("utf-8")).hexdigest()
                if self._perms is None:
                    self._perms = _perms()
                loc = dict(g.get("location") or {})
                loc["field"] = KIND_FIELDS[kind].format(i=n)
                self.items.append(Item(i, kind, n, str(text).strip(), key, sig=signature(t, self._perms), nums=figures(text), location=loc))
        keys = set()
        for ind in doc.get("indicators") or []:
            name = norm(ind.get("name"))
            if len(name) < 2 or name in self.generic:
                continue
            keys.add(f"{name}|{norm(ind.get('target'))}")
        if keys:
            self.indicator_sets[i] = frozenset(keys)

    # -- pairs ---------------------------------------------------------------------

    def eligible(self, a: DocInfo, b: DocInfo) -> bool:
        if a.sha and a.sha == b.sha:
            return False  # the same file submitted twice is not a copy of itself
        if a.unit_key and b.unit_key and a.unit_key != b.unit_key:
            return True
        if a.doc_type != b.doc_type:
            return False
        if a.year and b.year and a.year != b.year:
            return True
        return bool(a.project_key and b.project_key and not _same_project(a.project_key, b.project_key))

    def _boilerplate_floor(self) -> int:
        n = sum(1 for _ in self.docs)
        return max(int(self.p["boilerplate_min_docs"]), int(self.p["boilerplate_share"] * n + 0.999999))

    def detect(self) -> dict[int, list[dict]]:
        """Per document index: the copies found, each {kind, index, text, location, other, similarity}."""
        import numpy as np

        floor = self._boilerplate_floor()
        out: dict[int, list[dict]] = defaultdict(list)
        # texts: exact matches and LSH candidates, within one kind
        partners: dict[int, dict[int, float]] = defaultdict(dict)  # item -> {item: similarity}
        by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
        for n, it in enumerate(self.items):
            by_key[(it.kind, it.key)].append(n)
        # A bucket's key is one bytes object (kind, band, the band's values) and a bucket of one item
        # holds the bare index: most buckets hold one text, and a tuple key and a list each cost more
        # than the values (on 10,000 documents, 320,000 buckets).
        kinds: dict[str, int] = {}
        buckets: dict[bytes, int | list[int]] = {}
        ids: dict[bytes, int] = {}  # bucket -> a number, so an item's buckets are a short list of ints
        item_buckets: list[list[int]] = []
        for n, it in enumerate(self.items):
            mine = []
            code = kinds.setdefault(it.kind, len(kinds))
            sig = it.sig.astype(np.uint32).tobytes()  # values below 2^31: the same bands
            width = 4 * ROWS
            for band in range(BANDS):
                key = bytes((code, band)) + sig[band * width : (band + 1) * width]
                group = buckets.get(key)
                if group is None:
                    buckets[key] = n
                elif isinstance(group, int):
                    buckets[key] = [group, n]
                else:
                    group.append(n)
                mine.append(ids.setdefault(key, len(ids)))
            item_buckets.append(mine)
        items = self.items

        def standard(group: list[int]) -> bool:  # a group most of the archive shares: standard wording, and quadratic
            return len({items[n].doc for n in group}) >= floor

        def compare(a: int, b: int) -> None:
            ia, ib = items[a], items[b]
            # Same wording with the unit's own figures filled in is a shared template, not a
            # copy; a copy keeps the figures too (only a year may have been bumped).
            if ia.doc == ib.doc or ia.nums != ib.nums:
                return
            sim = 1.0 if ia.key == ib.key else int(np.count_nonzero(ia.sig == ib.sig)) / NUM_PERM
            if sim >= self.p["near_jaccard"]:
                partners[a][b] = sim
                partners[b][a] = sim

        # Each pair is compared once, where it first meets, without remembering the pairs met
        # (millions in a large templated archive): identical texts in their exact group, others in
        # the first band whose bucket is compared.
        for group in by_key.values():
            if len(group) > 1 and not standard(group):
                for x, a in enumerate(group):
                    for b in group[x + 1 :]:
                        compare(a, b)
        skipped = {ids[key] for key, group in buckets.items() if not isinstance(group, int) and standard(group)}
        for key, group in buckets.items():
            band = key[1]
            if isinstance(group, int) or ids[key] in skipped:
                continue
            for x, a in enumerate(group):
                ka, bands_a = items[a].key, item_buckets[a]
                for b in group[x + 1 :]:
                    if items[b].key == ka:
                        continue  # identical texts: compared in their exact group (or standard wording)
                    bands_b = item_buckets[b]
                    if any(bands_a[j] == bands_b[j] and bands_a[j] not in skipped for j in range(band)):
                        continue  # met in an earlier band's bucket
                    compare(a, b)
        for a, others in partners.items():
            docs_sharing = {self.items[b].doc for b in others} | {self.items[a].doc}
            if len(docs_sharing) >= floor:
                continue  # wording most of the archive shares: standard text, not a copy
            it = self.items[a]
            found = sorted(
                ((self.items[b].doc, sim) for b, sim in others.items() if self.eligible(self.docs[it.doc], self.docs[self.items[b].doc])),
                key=lambda t: (-t[1], self.docs[t[0]].path),
            )
            if found:
                out[it.doc].append(self._record(it.kind, it.index, it.text, it.location, found))
        self._detect_indicator_sets(floor, out)
        for recs in out.values():
            recs.sort(key=lambda r: (r["location"].get("field", ""), r["kind"]))
        return dict(out)

    def _detect_indicator_sets(self, floor: int, out: dict[int, list[dict]]) -> None:
        df: dict[str, int] = defaultdict(int)
        for keys in self.indicator_sets.values():
            for k in keys:
                df[k] += 1
        sets = {d: frozenset(k for k in keys if df[k] < floor) for d, keys in self.indicator_sets.items()}
        sets = {d: s for d, s in sets.items() if len(s) >= self.p["min_indicators"]}
        index: dict[str, list[int]] = defaultdict(list)
        for d in sorted(sets):
            for k in sets[d]:
                index[k].append(d)
        from bisect import bisect_right

        found: dict[int, list[tuple[int, float]]] = defaultdict(list)
        # one document at a time: its shared counts with the later ones, then forgotten (a table of
        # every pair sharing an indicator is millions of entries on a large templated archive)
        for a in sorted(sets):
            shared: dict[int, int] = defaultdict(int)
            for k in sets[a]:
                docs = index[k]
                for b in docs[bisect_right(docs, a) :]:
                    shared[b] += 1
            for b, n in shared.items():
                if n < self.p["min_indicators"]:
                    continue
                jac = n / (len(sets[a]) + len(sets[b]) - n)
                if jac >= self.p["indicator_jaccard"] and self.eligible(self.docs[a], self.docs[b]):
                    found[a].append((b, jac))
                    found[b].append((a, jac))
        for d, pairs in found.items():
            pairs.sort(key=lambda t: (-t[1], self.docs[t[0]].path))
            text = f"{len(sets[d])}项绩效指标（指标名称及指标值）"
            out[d].append(self._record("indicators", 0, text, {"field": "indicators"}, pairs))

    def _record(self, kind: str, index: int, text: str, location: dict, found: list[tuple[int, float]]) -> dict:
        other = self.docs[found[0][0]]
        return {
            "kind": kind,
            "index": index,
            "text": text,
            "location": location,
            "other": other,
            "others": [self.docs[d].path for d, _ in found],
            "similarity": found[0][1],
        }


def figures(text: Any) -> frozenset:
    """Numbers written in a text, years (2022年) left out."""
    t = _YEAR.sub(" ", normalize(str(text or "")))
    return frozenset(_NUM.findall(t))


def _same_project(a: str, b: str) -> bool:
    """Project names written slightly differently (年份, 经费 …) still name one project."""
    x, y = a, b  # already normalised
    if x == y or (x and y and (x in y or y in x)):
        return True
    gx = {x[i : i + 2] for i in range(len(x) - 1)}
    gy = {y[i : i + 2] for i in range(len(y) - 1)}
    return bool(gx and gy) and len(gx & gy) / len(gx | gy) >= 0.6


def describe(info: DocInfo) -> str:
    """《项目》项目支出绩效自评表（单位，2022年） naming the other document."""
    kind = DOC_TYPE_LABELS.get(info.doc_type, "文档")
    head = f"《{info.project}》{kind}" if info.project else kind
    extra = "，".join(x for x in (info.unit, f"{info.year}年" if info.year else None) if x)
    return f"{head}（{extra}）" if extra else head


def finding_dict(spec, values: dict, evidence: str, location: dict, confidence: float = 1.0) -> dict:
    """A contract FINDING of a batch-scope rule, stamped like every other finding
    (checker.judging.stamp), in the dict form batch-scope rules work on."""
    from checker.core.document import Location
    from checker.judging.stamp import stamp

    loc = Location(**{k: v for k, v in (location or {}).items() if k in Location.__dataclass_fields__})
    return stamp(spec, values, evidence=evidence, location=loc, confidence=round(float(confidence), 4)).to_dict()


def to_finding(rec: dict, spec) -> dict:
    """The contract FINDING for one copy record, metadata from rule AC90's YAML."""
    other: DocInfo = rec["other"]
    n_more = len(rec["others"]) - 1
    values = dict(
        kind_label=KIND_LABELS[rec["kind"]],
        other=describe(other),
        other_path=other.path,
        more=f"等{n_more + 1}份文档" if n_more else "",
        similarity=f"{rec['similarity']:.0%}",
        evidence=rec["text"],
    )
    return finding_dict(spec, values, rec["text"], rec["location"], rec["similarity"])


def finding_sort_key(f: dict) -> tuple:
    """Same order as checker.core.finding.Finding.sort_key, on the dict form."""
    loc = f.get("location") or {}
    return (
        loc.get("page") or 0,
        loc.get("table") or 0,
        loc.get("row") or 0,
        loc.get("column") or 0,
        loc.get("paragraph") or 0,
        loc.get("field") or "",
        f.get("code") or "",
        f.get("evidence") or "",
    )


def ac90_spec(config=None):
    """Rule AC90 after config (None when the config ignores it)."""
    from checker.judging.spec import load_rules

    for s in load_rules(config):
        if s.code == CODE:
            return s
    return None


def generic_names(config=None) -> tuple[str, ...]:
    try:
        from checker.judging.wordlists import load_wordlists

        return tuple(load_wordlists(config).get("generic_indicator_names") or ())
    except Exception:  # the word list is an optional refinement
        return ()


def detect_documents(docs: list[dict], config=None) -> dict[int, list[dict]]:
    """Convenience for tests and small runs: AC90 FINDING dicts per document index."""
    spec = ac90_spec(config)
    if spec is None:
        return {}
    col = Collector(spec.params, generic_names(config))
    for d in docs:
        col.add(d)
    return {i: [to_finding(r, spec) for r in recs] for i, recs in col.detect().items()}
