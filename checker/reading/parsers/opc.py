"""The package layer of a .docx read directly from its parts, as python-docx would open it.

python-docx builds an object for every part and relationship of the package and parses every
part it knows before the reader sees a paragraph; the reader needs three parts (the document,
its styles and its numbering). `open_docx` walks the package the way python-docx does (the
relationships from the package root, content types, the parts it parses, with the same XML
parser settings) and hands back those three parsed parts, or None where python-docx would have
done anything else (refused the file, made up default styles, met a part it cannot parse): the
caller then opens the file with python-docx, so every file gets exactly the result it got before.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
PR_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
RT_OFFICE_DOCUMENT = _RT + "officeDocument"
RT_STYLES = _RT + "styles"
RT_NUMBERING = _RT + "numbering"
RT_IMAGE = _RT + "image"
CT_DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
# content types python-docx parses on open (docx/__init__.py: PartFactory.part_type_for)
PARSED_TYPES = frozenset({
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
    CT_DOCUMENT_MAIN,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
    CT_STYLES,
})  # fmt: skip
STYLE_TYPES = frozenset({"paragraph", "character", "table", "numbering"})

_parser = None


class NotPlain(Exception):
    """The package is not one the direct reader vouches for: open it with python-docx."""


def parse(xml: bytes):
    """lxml with python-docx's parser settings (blank text removed, no entities)."""
    global _parser
    from lxml import etree

    if _parser is None:
        _parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
    try:
        return etree.fromstring(xml, _parser)
    except Exception as exc:  # python-docx would fail here too: let it report
        raise NotPlain(f"xml: {type(exc).__name__}") from exc


class _NoTree:
    def close(self) -> None:
        return None


@lru_cache(maxsize=64)
def well_formed(xml: bytes) -> bool:
    """Whether python-docx's parser accepts the part, found without building its tree; parts
    repeat from document to document (styles, settings of the same template), so remembered."""
    from lxml import etree

    try:
        etree.fromstring(xml, etree.XMLParser(remove_blank_text=True, resolve_entities=False, target=_NoTree()))
    except Exception:
        return False
    return True


@dataclass
class Rel:
    rel_type: str
    target: str  # absolute part name ("/word/styles.xml"); the reference as written if external
    external: bool = False


def _rels(parts: dict[str, bytes], partname: str) -> list[Rel]:
    """Relationships of a part ("/" for the package), as python-docx resolves them."""
    base, name = posixpath.split(partname)
    member = posixpath.join(base, "_rels", name + ".rels")[1:]
    xml = parts.get(member)
    if xml is None:
        return []  # python-docx: a part without a .rels file has no relationships
    out, ids = [], set()
    for el in parse(xml):
        if el.tag != PR_NS + "Relationship":
            continue
        rid, rel_type, target = el.get("Id"), el.get("Type"), el.get("Target")
        if rid is None or rel_type is None or target is None or rid in ids:
            raise NotPlain("relationship without Id, Type or Target, or an Id twice")
        ids.add(rid)
        if el.get("TargetMode", "Internal") == "External":
            out.append(Rel(rel_type, target, external=True))
            continue
        out.append(Rel(rel_type, posixpath.abspath(posixpath.join(base, target))))
    return out


class _ContentTypes:
    def __init__(self, xml: bytes):
        root = parse(xml)
        self.overrides: dict[str, str] = {}
        self.defaults: dict[str, str] = {}
        for el in root:
            if el.tag == CT_NS + "Override":
                name, ct = el.get("PartName"), el.get("ContentType")
                if name is None or ct is None:
                    raise NotPlain("content type override incomplete")
                self.overrides[name.lower()] = ct
            elif el.tag == CT_NS + "Default":
                ext, ct = el.get("Extension"), el.get("ContentType")
                if ext is None or ct is None:
                    raise NotPlain("content type default incomplete")
                self.defaults[ext.lower()] = ct

    def of(self, partname: str) -> str:
        if partname.lower() in self.overrides:
            return self.overrides[partname.lower()]
        ext = posixpath.splitext(partname)[1]
        ext = ext[1:] if ext.startswith(".") else ext
        if ext.lower() in self.defaults:
            return self.defaults[ext.lower()]
        raise NotPlain(f"no content type for {partname}")


@dataclass
class WordParts:
    body: Any  # the w:body element
    styles: bytes  # the styles part (well formed)
    numbering: bytes | None  # the numbering part (well formed), None where python-docx finds none


def open_docx(parts: dict[str, bytes]) -> WordParts:
    """The document's body, styles and numbering, parsed; NotPlain where python-docx would not
    open the package the plain way."""
    if "[Content_Types].xml" not in parts:
        raise NotPlain("no [Content_Types].xml")
    types = _ContentTypes(parts["[Content_Types].xml"])
    package_rels = _rels(parts, "/")
    rels_of: dict[str, list[Rel]] = {}
    parsed: dict[str, str] = {}  # part name -> content type, for the parts python-docx parses

    def walk(rels: list[Rel]) -> None:  # depth first, each part once, as python-docx does
        for rel in rels:
            if rel.external:
                continue
            name = rel.target
            if name in rels_of:
                continue
            if not name.startswith("/") or name[1:] not in parts:
                raise NotPlain(f"missing part {name}")
            rels_of[name] = _rels(parts, name)
            ct = types.of(name)
            if rel.rel_type != RT_IMAGE and ct in PARSED_TYPES:
                if not well_formed(parts[name[1:]]):
                    raise NotPlain(f"xml: {name}")
                parsed[name] = ct
            walk(rels_of[name])

    walk(package_rels)
    main = [r.target for r in package_rels if r.rel_type == RT_OFFICE_DOCUMENT and not r.external]
    if len([r for r in package_rels if r.rel_type == RT_OFFICE_DOCUMENT]) != 1 or len(main) != 1 or parsed.get(main[0]) != CT_DOCUMENT_MAIN:
        raise NotPlain("main document part")
    doc = parse(parts[main[0][1:]])
    if doc.tag != W + "document":
        raise NotPlain("main part is not w:document")
    body = doc.find(W + "body")
    if body is None:
        raise NotPlain("no w:body")
    styles = _related(main[0], rels_of, parsed, RT_STYLES, CT_STYLES)
    if styles is None:
        raise NotPlain("styles")  # python-docx would make up default styles
    numbering = _related(main[0], rels_of, parsed, RT_NUMBERING)
    return WordParts(body, parts[styles[1:]], parts[numbering[1:]] if numbering else None)


def _related(source: str, rels_of: dict[str, list[Rel]], parsed: dict[str, str], rel_type: str, content_type: str | None = None) -> str | None:
    """The one (parsed) part `source` relates to by `rel_type`; None when there is none or
    several, or the one is external (python-docx: KeyError / ValueError)."""
    rels = [r for r in rels_of.get(source, []) if r.rel_type == rel_type]
    if len(rels) != 1 or rels[0].external:
        return None
    ct = parsed.get(rels[0].target)
    if ct is None or (content_type is not None and ct != content_type):
        raise NotPlain(f"{rel_type} part")  # not the plain case: python-docx's business
    return rels[0].target
