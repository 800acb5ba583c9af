"""Who cites a paper according to OpenAlex, stored beside what Semantic Scholar says.

:func:`collect_openalex` looks the paper's work up (free), pages its citers by cursor, 100 a
list call, and stores each page in one transaction: a citer that is the same work as a paper
the store holds (:func:`explorer.same_work.match_works`, or a stored DOI / arXiv / OpenAlex
alias) is recorded under that paper's id and only fills the fields it lacks (an abstract, a
venue); any other citer is stored as a new paper with its OpenAlex id (``W…``). When S2 lists
no references of the paper, OpenAlex's are stored the same way (100 a list call). The links
go to the store's ``source_links`` with source ``"openalex"``, apart from S2's edges.
:func:`coverage` compares the two sources from the store alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from explorer.errors import ExplorerError, NotFoundError
from explorer.models import Paper, Progress
from explorer.same_work import match_works
from explorer.seeds.ids import parse_seed
from explorer.sources.openalex import OpenAlexClient
from explorer.sources.openalex_records import raw_record, short_id
from explorer.store import Store

__all__ = ["SOURCE", "Coverage", "OpenAlexCiters", "collect_openalex", "coverage",
           "lookup_id", "openalex_seed"]

SOURCE = "openalex"
FETCH_KIND = "openalex-citations"


@dataclass(frozen=True)
class Coverage:
    """How many citers each source gives and how they overlap (``both`` is the union)."""

    s2: int
    openalex: int
    both: int
    only_s2: int
    only_openalex: int

    def line(self) -> str:
        """``S2 9,999 · OpenAlex 48,210 · both 49,002 · only in S2 612 · only in OpenAlex …``"""
        return (f"S2 {self.s2:,} · OpenAlex {self.openalex:,} · both {self.both:,} · "
                f"only in S2 {self.only_s2:,} · only in OpenAlex {self.only_openalex:,}")


@dataclass
class OpenAlexCiters:
    """What :func:`collect_openalex` did: the paper's work, its citers (store ids), OpenAlex's
    count of them, the requests and the dollars the answers said they cost (None when no
    answer carried a budget header)."""

    paper_id: str
    work_id: str | None = None
    citer_ids: list[str] = field(default_factory=list)
    count: int | None = None
    requests: int = 0
    pages: int = 0
    cost: Decimal | None = None
    remaining: Decimal | None = None
    from_store: bool = False
    error: ExplorerError | None = None
    references: list[str] = field(default_factory=list)
    """The paper's references OpenAlex filled in, when S2 listed none."""


def coverage(store: Store, paper_id: str) -> Coverage:
    """The two sources' citers of ``paper_id`` as the store holds them."""
    s2 = set(store.citations_of(paper_id))
    oa = set(store.source_citers(paper_id, SOURCE))
    return Coverage(len(s2), len(oa), len(s2 | oa), len(s2 - oa), len(oa - s2))


def lookup_id(raw: Mapping[str, Any]) -> str | None:
    """What OpenAlex can look a stored paper up by: its OpenAlex id, DOI or arXiv id."""
    ext = raw.get("externalIds") or {}
    if short_id(raw.get("paperId")):
        return str(raw["paperId"])
    for key, prefix in (("OpenAlex", ""), ("DOI", "DOI:"), ("ArXiv", "ARXIV:")):
        if ext.get(key):
            return f"{prefix}{ext[key]}"
    return None


def _fill(old: Mapping[str, Any], new: Mapping[str, Any], pid: str) -> dict[str, Any]:
    """The fields of ``new`` that ``old`` lacks, as a record of ``pid`` (S2 values win)."""
    out: dict[str, Any] = {"paperId": pid,
                           "externalIds": {"OpenAlex": new["externalIds"]["OpenAlex"]}}
    for key, value in new.items():
        if key not in ("paperId", "externalIds", "url") and value not in (None, [], "") \
                and old.get(key) in (None, [], ""):
            out[key] = value
    return out


def collect_openalex(
    paper_id: str,
    *,
    store: Store,
    client: OpenAlexClient | None,
    work: Mapping[str, Any] | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> OpenAlexCiters:
    """Store every citer OpenAlex gives of the stored paper ``paper_id``.

    Costs one free lookup of the work (none when ``work`` is given) and ⌈C/100⌉ list calls
    for C citers; a second call answers from the store. ``client=None`` answers from the
    store alone. A failure part way keeps the pages stored so far and is returned in
    ``error``.

    Raises
    ------
    KeyMissingError
        The client has no key (before any request).
    NotFoundError
        The paper is not in the store. (That OpenAlex cannot look it up, or knows no such
        work, is returned in ``error``: what S2 gave stays usable.)
    """
    out = OpenAlexCiters(paper_id)
    if client is not None:
        client.require_key()
    raw = store.raw(paper_id)
    if raw is None:
        raise NotFoundError(f"{paper_id} is not in the store")
    if client is None or store.done(paper_id, FETCH_KIND):
        out.citer_ids = store.source_citers(paper_id, SOURCE)
        out.from_store = True
        return out
    ident = lookup_id(raw)
    before = client.requests
    try:
        if ident is None and work is None:
            raise NotFoundError(f"OpenAlex cannot look up {name(raw)}: it has no DOI or arXiv "
                                "id")
        _fetch(out, raw, work or client.work(str(ident)), store, client, progress)
        store.set_fetch_state(paper_id, FETCH_KIND, len(out.citer_ids), True)
    except ExplorerError as exc:
        out.error = exc
    out.requests = client.requests - before
    out.cost = client.cost if client.requester.priced else None
    out.remaining = client.requester.remaining
    out.citer_ids = store.source_citers(paper_id, SOURCE)
    return out


def name(raw: Mapping[str, Any]) -> str:
    return repr((raw.get("title") or raw.get("paperId") or "?")[:60])


def _fetch(out: OpenAlexCiters, raw: Mapping[str, Any], work: Mapping[str, Any],
           store: Store, client: OpenAlexClient,
           progress: Callable[[Progress], None] | None) -> None:
    pid = out.paper_id
    seed = raw_record(work)
    assert seed is not None  # client.work checks the id
    out.work_id = seed["paperId"]
    with store.transaction() as db:
        if seed["paperId"] != pid:
            store.put_papers([_fill(raw, seed, pid)], db)
            store.put_alias(f"OPENALEX:{seed['paperId']}", pid, db)
    known = [p for p in store.papers(store.citations_of(pid)).values()]
    seen = 0
    for page in client.cited_by(seed["paperId"]):
        out.pages += 1
        out.count = page.count
        _store_page(pid, page.works, known, store)
        seen += len(page.works)
        if progress is not None:
            progress(Progress(seen, client.requests, out.pages,
                              f"OpenAlex citers: {seen:,} of {page.count or seen:,}"))
    refs = [r for r in map(short_id, work.get("referenced_works") or ()) if r]
    if refs and not store.references_of(pid):
        # S2 lists none: OpenAlex's fill the gap, 100 a list call.
        with store.transaction() as db:
            out.references = _store_works(client.works(refs), [], store, db)
            for target in out.references:
                store.add_source_links(SOURCE, target, [pid], db)


def _store_page(pid: str, works: list[dict[str, Any]], known: list[Paper], store: Store) -> None:
    """One page of citers into the store, all or nothing."""
    with store.transaction() as db:
        store.add_source_links(SOURCE, pid, _store_works(works, known, store, db), db)


def _store_works(works: list[dict[str, Any]], known: list[Paper], store: Store,
                 db: sqlite3.Connection) -> list[str]:
    """Store OpenAlex works: onto the paper of ``known`` (or the store) that is the same work,
    filling only what it lacks, else as a paper of their own. Returns the store ids."""
    records = [r for r in map(raw_record, works) if r is not None]
    papers = [Paper.from_s2(r) for r in records]
    matched = match_works(known, papers)
    ids = []
    for record, paper in zip(records, papers, strict=True):
        target = matched.get(paper.paper_id) or _alias_match(store, paper)
        if target is None:
            store.put_papers([record], db)
            ids.append(paper.paper_id)
            continue
        old = store.raw(target) or {}
        store.put_papers([_fill(old, record, target)], db)
        store.put_alias(f"OPENALEX:{paper.paper_id}", target, db)
        ids.append(target)
    return ids


def _alias_match(store: Store, paper: Paper) -> str | None:
    """A stored paper that is this work by an id alias (never the OpenAlex record itself)."""
    aliases = [f"OPENALEX:{paper.paper_id}"]
    aliases += [f"DOI:{paper.doi.lower()}"] if paper.doi else []
    aliases += [f"ARXIV:{paper.arxiv_id}"] if paper.arxiv_id else []
    for alias in aliases:
        found = store.resolve(alias)
        if found and found != paper.paper_id:
            return found
    return None


def openalex_seed(seed: str, store: Store, client: OpenAlexClient | None
                  ) -> tuple[str, dict[str, Any] | None]:
    """The stored paper a seed names for OpenAlex alone, and its work when it was looked up.

    A seed the store knows (by any alias) is that paper; else an OpenAlex id, DOI or arXiv id
    is looked up (free) and the work stored under its OpenAlex id.

    Raises
    ------
    NotFoundError
        OpenAlex cannot look the seed up (a title or an S2 id the store lacks), or without
        a client the store lacks it.
    """
    wid = short_id(seed)
    parsed = None if wid else parse_seed(seed)
    alias = f"OPENALEX:{wid}" if wid else parsed.value if parsed and parsed.kind == "id" else None
    found = store.resolve(alias) if alias else None
    if found:
        return found, None
    ident = wid or (alias if alias and alias.split(":", 1)[0] in ("DOI", "ARXIV") else None)
    if ident is None:
        raise NotFoundError(f"OpenAlex alone cannot find {seed.strip()[:60]!r}: give a DOI, an "
                            "arXiv id or an OpenAlex id, or ask Semantic Scholar too")
    if client is None:
        raise NotFoundError(f"{seed.strip()[:60]!r} is not in the store")
    client.require_key()
    work = client.work(ident)
    record = raw_record(work)
    assert record is not None  # client.work checks the id
    store.put_papers([record])
    return record["paperId"], work
