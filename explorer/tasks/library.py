"""The user's library as an input: sync a snapshot into the store, seed from a collection,
flag what an exploration holds of the library, and list what the library is missing.

A sync reads the whole library first (Zotero, or a file), so a refusal or a dead Zotero
stops it before any request to Semantic Scholar and before anything is stored. Its works are
resolved by the one seed resolver (:func:`explorer.seeds.resolve.resolve`): one batch lookup
for every id, one title match for each title the store lacks, at most
:data:`explorer.seeds.bib.MAX_TITLE_LOOKUPS` titles a sync (the rest are looked up by the
next sync, as those already found are store hits). The snapshot then replaces the previous
one in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from explorer.errors import BadInputError, NotFoundError, NothingYetError
from explorer.models import Ranked
from explorer.seeds.bib import MAX_TITLE_LOOKUPS
from explorer.seeds.library import (
    CHILD_TYPES,
    Library,
    LibraryItem,
    collection_key,
    from_zotero,
)
from explorer.seeds.resolve import resolve
from explorer.sources.s2 import S2Client
from explorer.sources.zotero import ZoteroClient
from explorer.store import LibraryRow, Store
from explorer.tasks.explore import Exploration

__all__ = [
    "Synced",
    "citekeys",
    "collection_seeds",
    "in_library",
    "library_label",
    "mark_library",
    "missing_from_library",
    "read_zotero",
    "sync_collection",
    "sync_library",
]


@dataclass
class Synced:
    """What :func:`sync_library` stored: every work with its paper id (or why it has none)."""

    source: str
    rows: list[LibraryRow] = field(default_factory=list)
    requests: int = 0

    @property
    def found(self) -> list[LibraryRow]:
        return [r for r in self.rows if r.paper_id is not None]

    @property
    def not_found(self) -> list[LibraryRow]:
        return [r for r in self.rows if r.paper_id is None]


def read_zotero(zotero: ZoteroClient) -> Library:
    """The whole library Zotero serves: its collections, every item (paged), and the
    citation keys Better BibTeX keeps for them, when it is installed.

    Raises
    ------
    LibraryError
        Zotero's local API is off (403), Zotero is not running, or it sent malformed JSON.
    """
    collections = zotero.collections()
    items = zotero.items()
    works = [str(i["key"]) for i in items
             if (i.get("data") or {}).get("itemType") not in CHILD_TYPES]
    return from_zotero(items, collections, zotero.citekeys(works))


def sync_library(library: Library, store: Store, client: S2Client | None,
                 before_fetch: Callable[[], None] | None = None) -> Synced:
    """Resolve ``library``'s works to papers and store it as the library snapshot.

    Parameters
    ----------
    library : Library
        Read by :func:`read_zotero` or :func:`explorer.seeds.library.read_library_file`.
    store : Store
        Answers first; receives the papers found and the snapshot.
    client : S2Client or None
        ``None`` resolves from the store alone (works it lacks are stored unresolved).
    before_fetch : callable, optional
        Called once before the first request.

    Returns
    -------
    Synced
    """
    seeds = {i.seed.alias: i.seed for i in library.items if i.seed is not None}
    titles = [a for a, s in seeds.items() if s.kind == "title" and store.resolve(a) is None]
    later = set(titles[MAX_TITLE_LOOKUPS:])
    before = client.requests if client is not None else 0
    found = resolve([s for a, s in seeds.items() if a not in later], store, client,
                    before_fetch=before_fetch)
    why = {**found.unknown, **{s.text: "not in the store yet, and no requests were allowed"
                               for s in found.offline}}
    rows = [_row(item, store, why, later) for item in library.items]
    store.put_library(library.source, rows, library.collections)
    return Synced(library.source, rows,
                  (client.requests - before) if client is not None else 0)


def sync_collection(name_or_key: str, store: Store, zotero: ZoteroClient,
                    client: S2Client | None) -> list[str]:
    """Sync the whole library from Zotero, then the paper ids of one of its collections
    (:func:`collection_seeds`): the seeds of an exploration from a Zotero collection."""
    sync_library(read_zotero(zotero), store, client)
    return collection_seeds(store, name_or_key)


def _row(item: LibraryItem, store: Store, why: dict[str, str], later: set[str]) -> LibraryRow:
    pid = store.resolve(item.seed.alias) if item.seed is not None else None
    problem = item.problem
    if item.seed is not None and pid is None:
        problem = (f"only a title, and at most {MAX_TITLE_LOOKUPS} titles are looked up a "
                   "sync: sync again for the next ones" if item.seed.alias in later
                   else why.get(item.seed.text, "not found"))
    return LibraryRow(item.key, pid, item.citekey, item.title, item.collections, problem)


def _rows(store: Store) -> list[LibraryRow]:
    rows = store.library_rows()
    if not rows and store.library_source() is None:
        raise NothingYetError("no library in the store yet", what="library")
    return rows


def in_library(store: Store) -> set[str]:
    """Ids of the papers of the library snapshot (empty before the first sync)."""
    return {r.paper_id for r in store.library_rows() if r.paper_id}


def citekeys(store: Store) -> dict[str, str]:
    """The user's citation keys, by paper id, for exports (paper_id -> citekey).

    Examples
    --------
    >>> from explorer.store import LibraryRow
    >>> store = Store(":memory:")
    >>> store.put_library("zotero", [LibraryRow("K1", "p1", "turing1950", "Computing ...")], {})
    >>> citekeys(store)
    {'p1': 'turing1950'}
    """
    out: dict[str, str] = {}
    for r in store.library_rows():
        if r.paper_id and r.citekey:
            out.setdefault(r.paper_id, r.citekey)
    return out


def library_label(store: Store) -> str:
    """How the reasons name the library: "your Zotero library" or "your library (FILE)"."""
    source = store.library_source()
    if source is None or source[0] == "zotero":
        return "your Zotero library"
    return f"your library ({source[0]})"


def collection_seeds(store: Store, name_or_key: str) -> list[str]:
    """Paper ids of the works of one collection of the snapshot, in item-key order.

    Raises
    ------
    NotFoundError
        No collection has that name or key; the message lists those there are.
    BadInputError
        The collection holds no work that could be found.
    """
    rows = _rows(store)
    names = store.library_collections()
    key = collection_key(names, name_or_key)
    if key is None:
        known = ", ".join(sorted(repr(n) for n in names.values())[:20]) or "none"
        raise NotFoundError(f"no collection named {name_or_key!r} in the library "
                            f"(collections: {known})")
    ids = [r.paper_id for r in rows if key in r.collections and r.paper_id]
    if not ids:
        raise BadInputError(f"the collection {names[key]!r} holds no paper that could be found")
    return list(dict.fromkeys(ids))


def mark_library(ranked: Sequence[Ranked], members: Iterable[str], label: str
                 ) -> list[Ranked]:
    """``ranked`` with the reason "in ``label``" first on each paper of ``members``."""
    ids = set(members)
    reason = f"in {label}"
    return [replace(r, reasons=(reason, *r.reasons)) if r.paper.paper_id in ids else r
            for r in ranked]


def missing_from_library(result: Exploration, members: Iterable[str]) -> list[Ranked]:
    """The ranked papers of ``result`` that the library lacks but its papers cite or are
    cited by, in rank order, each with that reason first ("cited by 4 papers in your
    library", "cites 2 papers in your library")."""
    ids = set(members)
    graph = result.graph
    out = []
    for r in result.ranked:
        pid = r.paper.paper_id
        if pid in ids or pid not in graph:
            continue
        cited_by = sum(1 for p in graph.predecessors(pid) if p in ids)
        cites = sum(1 for p in graph.successors(pid) if p in ids)
        words = [f"{verb} {n} paper{'s' if n != 1 else ''} in your library"
                 for verb, n in (("cited by", cited_by), ("cites", cites)) if n]
        if words:
            out.append(replace(r, reasons=(*words, *r.reasons)))
    return out
