"""The one seed resolver: what the user typed -> paper ids, the store first.

Every seed is looked up in the store by its alias (:attr:`explorer.seeds.ids.Seed.alias`); the
ids the store lacks cost one batch lookup for all of them (500 a request), each title the store
lacks costs one title-match request, and one search request more when the match's title is not
the seed's (:mod:`explorer.seeds.titles`): a title that matches several papers closely is
ambiguous: nothing is stored for it, its candidates are kept as the store's list to pick from
(:meth:`explorer.store.Store.save_picks`) and :class:`AmbiguousSeedError` says so, once the
other seeds are resolved and stored. What comes back is stored with its alias and marked as a
full record in one transaction, so the next resolve of the same seed is a store hit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from explorer.errors import AmbiguousSeedError, ExplorerError, NotFoundError, ServiceError
from explorer.seeds.ids import Seed, arxiv_id_of
from explorer.seeds.titles import other_matches
from explorer.sources.arxiv import ArxivClient
from explorer.sources.s2 import SEED_FIELDS, S2Client
from explorer.store import Store

log = logging.getLogger(__name__)

__all__ = ["Resolved", "resolve"]


@dataclass
class Resolved:
    """What :func:`resolve` found.

    Attributes
    ----------
    ids : list of str
        Paper ids of the resolved seeds, in seed order, without repeats.
    offline : list of Seed
        Seeds the store lacks while there is no client to ask.
    unknown : dict
        Seeds no one knows, by what the user typed, each with a sentence saying why.
    fetched : list of str
        Ids whose records were fetched by this call (the others were store hits).
    store_hits : int
        Seeds answered by the store.
    """

    ids: list[str] = field(default_factory=list)
    offline: list[Seed] = field(default_factory=list)
    unknown: dict[str, str] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)
    store_hits: int = 0


def resolve(
    seeds: Sequence[Seed],
    store: Store,
    client: S2Client | None,
    *,
    arxiv: ArxivClient | None = None,
    enough: Callable[[str], bool] | None = None,
    before_fetch: Callable[[], None] | None = None,
) -> Resolved:
    """Resolve ``seeds`` to paper ids: store hit by any alias, then a batch lookup, then titles.

    Parameters
    ----------
    seeds : sequence of Seed
        Parsed seeds, in the user's order.
    store : Store
        Answers first; receives what is fetched.
    client : S2Client or None
        ``None`` answers from the store alone; what it lacks goes to ``offline``.
    arxiv : ArxivClient, optional
        When given, says why an arXiv id is unknown to S2, and fills the title, authors or
        abstract S2 lacks for an arXiv seed.
    enough : callable, optional
        ``enough(paper_id)`` says whether a store hit will do when a client is at hand
        (``False`` fetches the record again). By default every store hit will do.
    before_fetch : callable, optional
        Called once before the first request (progress, cancel checks).

    Returns
    -------
    Resolved

    Raises
    ------
    AmbiguousSeedError
        When a title seed matches several papers closely (the others are resolved and stored).
    """
    out = Resolved()
    ambiguous: dict[str, list[dict[str, Any]]] = {}
    found: dict[int, str] = {}
    to_fetch: list[int] = []
    for i, seed in enumerate(seeds):
        pid = store.resolve(seed.alias)
        if pid and (client is None or enough is None or enough(pid)):
            found[i] = pid
            out.store_hits += 1
        else:
            to_fetch.append(i)
    if client is None:
        out.offline = [seeds[i] for i in to_fetch]
    elif to_fetch:
        if before_fetch is not None:
            before_fetch()
        ids = [i for i in to_fetch if seeds[i].kind == "id"]
        raws = client.papers([seeds[i].value for i in ids], SEED_FIELDS) if ids else []
        for i, raw in zip(ids, raws, strict=True):
            if raw is None:
                out.unknown[seeds[i].text] = _why_unknown(seeds[i], arxiv)
            else:
                found[i] = _keep(store, seeds[i].alias, raw, out)
        for i in to_fetch:
            if seeds[i].kind == "title":
                try:
                    raw = client.match_title(seeds[i].value)
                except NotFoundError as exc:
                    out.unknown[seeds[i].text] = str(exc)
                    continue
                others = other_matches(client, seeds[i].value, raw)
                if others:
                    ambiguous[seeds[i].text] = [raw, *others]
                    continue
                found[i] = _keep(store, seeds[i].alias, raw, out)
    if ambiguous:
        store.save_picks("matches of " + ", ".join(repr(t) for t in ambiguous),
                         [p for candidates in ambiguous.values() for p in candidates])
        raise AmbiguousSeedError(ambiguous)
    out.ids = list(dict.fromkeys(found[i] for i in sorted(found)))
    out.fetched = list(dict.fromkeys(out.fetched))
    if arxiv is not None:
        for pid in out.ids:
            _enrich_from_arxiv(store, arxiv, pid)
    return out


def _keep(store: Store, alias: str, raw: dict[str, Any], out: Resolved) -> str:
    pid = str(raw["paperId"])
    with store.transaction() as db:
        store.put_papers([raw], db)
        store.put_alias(alias, pid, db)
        store.set_fetch_state(pid, "paper", 0, True, db)
    out.fetched.append(pid)
    return pid


def _why_unknown(seed: Seed, arxiv: ArxivClient | None) -> str:
    arxiv_id = arxiv_id_of(seed.value)
    if arxiv_id and arxiv is not None:
        try:
            record = arxiv.lookup(arxiv_id)
        except NotFoundError:
            return f"no such arXiv paper: {arxiv_id}"
        except ServiceError:
            pass
        else:
            return (f"arXiv:{arxiv_id} ({record.title[:60]}) is on arXiv but not on "
                    "Semantic Scholar yet; try again in a few days")
    return f"unknown paper: {seed.text}"


def _enrich_from_arxiv(store: Store, arxiv: ArxivClient, paper_id: str) -> None:
    """Fill what S2 lacks for an arXiv seed (title, authors, abstract) from arXiv."""
    raw = store.raw(paper_id) or {}
    arxiv_id = (raw.get("externalIds") or {}).get("ArXiv")
    if not arxiv_id:
        return
    if raw.get("abstract") and raw.get("authors") and raw.get("title"):
        return
    record = store.arxiv(arxiv_id)
    if record is None:
        try:
            record = arxiv.lookup(arxiv_id).as_s2()
        except ExplorerError as exc:
            log.info("arXiv lookup failed: %s", exc)
            return
        store.put_arxiv(arxiv_id, record)
    gaps = {k: v for k, v in record.items() if not raw.get(k) and v}
    if gaps:
        store.put_papers([{"paperId": paper_id, **gaps}])
