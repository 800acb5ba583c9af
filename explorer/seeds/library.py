"""The user's library (Zotero, a Better BibTeX CSL-JSON or BibLaTeX file) -> items with seeds.

Pure functions of what :class:`explorer.sources.zotero.ZoteroClient` returned or of a file's
text. Each work becomes a :class:`LibraryItem`: its seed (an id from its DOI, an arXiv id from
its URL, its ``extra`` field or an arXiv DOI ``10.48550/arXiv.*``, else its title, through
:func:`explorer.seeds.bib.entry_of`, the one reading of a record's fields) and its Better
BibTeX citation key (``Citation Key:`` in ``extra``, Zotero's ``citationKey``, CSL-JSON's
``citation-key`` or ``id``, a BibLaTeX entry key), which exports may use. Child notes,
attachments and annotations are not works and are left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.seeds.bib import (
    MAX_BIBLIOGRAPHY_BYTES,
    BadBibliographyError,
    Entry,
    entry_of,
    parse_bibliography,
)
from explorer.seeds.ids import Seed

__all__ = [
    "CHILD_TYPES",
    "Library",
    "LibraryItem",
    "from_bibliography",
    "from_csl_json",
    "from_zotero",
    "parse_library_file",
    "read_library_file",
]

CHILD_TYPES = ("note", "attachment", "annotation")
_EXTRA_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z \-]*?)\s*:\s*(.+?)\s*$")
_ARXIV_ID = re.compile(r"(?:arxiv:\s*)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})",
                       re.IGNORECASE)


@dataclass(frozen=True)
class LibraryItem:
    """One work of the library.

    Attributes
    ----------
    key : str
        Zotero's item key, or the file's entry key or CSL ``id``.
    title : str or None
    seed : Seed or None
        What to look it up by; ``None`` when it has no id and no usable title.
    citekey : str or None
        The user's Better BibTeX citation key, when there is one.
    collections : tuple of str
        Keys of the Zotero collections holding it.
    problem : str or None
        Why it gives no seed.
    """

    key: str
    title: str | None
    seed: Seed | None
    citekey: str | None = None
    collections: tuple[str, ...] = ()
    problem: str | None = None


@dataclass(frozen=True)
class Library:
    """A snapshot of the user's library: where it came from, its works and its collections
    (name by key)."""

    source: str
    items: tuple[LibraryItem, ...]
    collections: Mapping[str, str] = field(default_factory=dict)

    def collection_key(self, name_or_key: str) -> str | None:
        """The key of the collection named (case folded) or keyed ``name_or_key``."""
        return collection_key(self.collections, name_or_key)


def collection_key(collections: Mapping[str, str], name_or_key: str) -> str | None:
    """The key of the collection named (case folded) or keyed ``name_or_key``, or None."""
    if name_or_key in collections:
        return name_or_key
    wanted = " ".join(name_or_key.split()).casefold()
    found = [k for k, name in collections.items() if " ".join(name.split()).casefold() == wanted]
    return found[0] if found else None


def extra_fields(extra: str) -> dict[str, str]:
    """``Key: value`` lines of Zotero's ``extra`` field (or CSL's ``note``), keys lower-cased.

    Examples
    --------
    >>> extra_fields("arXiv: 2201.11903\\nCitation Key: wei2022chain")
    {'arxiv': '2201.11903', 'citation key': 'wei2022chain'}
    """
    out: dict[str, str] = {}
    for line in (extra or "").splitlines():
        m = _EXTRA_LINE.match(line)
        if m:
            out.setdefault(m.group(1).strip().lower(), m.group(2))
    return out


def _item(key: str, fields: Mapping[str, Any], citekey: str | None,
          collections: Iterable[str] = ()) -> LibraryItem:
    entry = entry_of(key, 0, fields)
    return LibraryItem(key, entry.title, entry.seed, citekey or None, tuple(collections),
                       entry.problem)


def _arxiv_of(*texts: str) -> str | None:
    for text in texts:
        m = _ARXIV_ID.fullmatch(text.strip()) if text else None
        if m:
            return m.group(1)
    return None


def zotero_item(raw: Mapping[str, Any], citekey: str | None = None) -> LibraryItem | None:
    """One web API v3 item as a library work, or None for a child note or attachment;
    ``citekey`` (Better BibTeX's) wins over the one the item holds."""
    data = raw.get("data") or {}
    if data.get("itemType") in CHILD_TYPES:
        return None
    extra = extra_fields(str(data.get("extra") or ""))
    arxiv = _arxiv_of(extra.get("arxiv", ""), str(data.get("archiveID") or ""))
    fields = {"doi": data.get("DOI") or extra.get("doi") or "", "url": data.get("url") or "",
              "arxiv": arxiv or "", "title": data.get("title") or ""}
    citekey = citekey or str(data.get("citationKey") or "") or extra.get("citation key")
    return _item(str(raw.get("key") or data.get("key")), fields, citekey,
                 [str(c) for c in data.get("collections") or []])


def from_zotero(items: Iterable[Mapping[str, Any]],
                collections: Iterable[Mapping[str, Any]] = (),
                citekeys: Mapping[str, str] | None = None) -> Library:
    """The library that Zotero's ``/items`` and ``/collections`` answers describe, with
    Better BibTeX's ``citekeys`` (by item key) when it gave them."""
    keys = citekeys or {}
    works = [w for w in (zotero_item(i, keys.get(str(i.get("key")))) for i in items)
             if w is not None]
    names = {str(c["key"]): str((c.get("data") or {}).get("name") or c["key"])
             for c in collections}
    return Library("zotero", tuple(works), names)


def from_csl_json(text: str, name: str = "library.json") -> Library:
    """A Better BibTeX CSL-JSON export (a list of CSL items) as a library.

    Raises
    ------
    BadBibliographyError
        When the text is not JSON, or not a list of CSL items with an ``id``.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadBibliographyError(f"{name} line {exc.lineno}: not JSON ({exc.msg})") from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise BadBibliographyError(f"{name}: not a CSL-JSON list of items")
    works = []
    for i, csl in enumerate(data, 1):
        if not isinstance(csl, dict) or not csl.get("id"):
            raise BadBibliographyError(f"{name}: item {i} is no CSL item with an id")
        note = extra_fields(str(csl.get("note") or ""))
        fields = {"doi": csl.get("DOI") or note.get("doi") or "", "url": csl.get("URL") or "",
                  "arxiv": _arxiv_of(note.get("arxiv", ""), str(csl.get("number") or "")) or "",
                  "title": csl.get("title") or ""}
        citekey = str(csl.get("citation-key") or note.get("citation key") or csl["id"])
        works.append(_item(str(csl["id"]), fields, citekey))
    if not works:
        raise BadBibliographyError(f"{name}: no CSL items")
    return Library(name, tuple(works))


def from_bibliography(entries: Sequence[Entry], name: str) -> Library:
    """Parsed BibTeX/BibLaTeX or RIS entries as a library; entry keys are the citekeys."""
    return Library(name, tuple(LibraryItem(e.key, e.title, e.seed, e.key, (), e.problem)
                               for e in entries))


def parse_library_file(data: bytes, name: str) -> Library:
    """A library file's bytes: CSL-JSON (``.json``), BibTeX/BibLaTeX (``.bib``) or RIS."""
    if len(data) > MAX_BIBLIOGRAPHY_BYTES:
        raise BadBibliographyError(
            f"{name}: larger than {MAX_BIBLIOGRAPHY_BYTES // 2**20} MB; export one collection")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadBibliographyError(f"{name}: not UTF-8 text") from None
    kind = Path(name).suffix.lower().lstrip(".")
    if kind == "json":
        return from_csl_json(text, name)
    if kind in ("bib", "ris"):
        return from_bibliography(parse_bibliography(text, kind, name), name)
    raise BadBibliographyError(
        f"{name}: a library file is CSL-JSON (.json), BibTeX/BibLaTeX (.bib) or RIS (.ris)")


def read_library_file(path: str | Path) -> Library:
    """Read :func:`parse_library_file` from ``path`` with a bounded read."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            data = f.read(MAX_BIBLIOGRAPHY_BYTES + 1)
    except OSError as exc:
        raise BadBibliographyError(f"cannot read {p}: {exc.strerror or exc}") from None
    return parse_library_file(data, p.name)
