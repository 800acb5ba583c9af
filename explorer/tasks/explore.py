"""One pipeline for the CLI and the app: seeds -> walk -> store -> graph -> rank."""

from __future__ import annotations

import gc
import logging
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import networkx as nx
import numpy as np

from explorer import snapshot
from explorer.analysis.rank import rank
from explorer.analysis.versions import Merge, merge_graph, merge_links
from explorer.errors import BadInputError, ExplorerError
from explorer.graph import build_graph, exploration_records, link_graph, link_nodes
from explorer.models import DIRECTIONS, Progress, Ranked, WalkReport
from explorer.seeds.ids import Seed, parse_seed
from explorer.sources.arxiv import ArxivClient
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.search import expand_picks
from explorer.tasks.similar import ensure_embeddings, recommend_for_seeds, stored_embeddings
from explorer.walk import Walker

log = logging.getLogger(__name__)

RECOMMEND_LIMIT = 100
"""Recommendations asked for each seed when an exploration includes them."""

WEAK_SEED_STATUSES = ("to read", "reading", "read")
"""Reading-list statuses whose papers rank as weak seeds
(:data:`explorer.analysis.rank.WEAK_SEED`)."""


DEPTHS = (1, 2, 3)
"""How far a walk may reach; 3 is for a local graph (from S2 it costs many requests)."""


@dataclass(frozen=True)
class ExploreOptions:
    """How far to walk: one default for the CLI, the Python API and the app.

    The default, depth 2 with the neighbours' citers, finds 91 % of the papers to find in
    ``bench/ranking.py``'s validation half for 9.3 requests with three seeds (depth 1: 48 %,
    7.0 requests; depth 2 without the citers: 85 %, 8.1 requests). No other walk screened by
    ``bench/pool.py`` (fewer citers, trimmed candidates, an adaptive third step) ranks better
    per request."""

    depth: int = 2
    direction: str = "both"
    refresh: bool = False
    offline: bool = False
    neighbour_citers: bool = True
    recommend: bool = False
    """Add S2's recommendations for each seed as candidates (one request per seed)."""
    semantic: bool = False
    """Fetch the SPECTER vectors the store lacks for the graph's papers (one request per
    300 papers, once) for the ``semantic`` ranking component."""

    def __post_init__(self) -> None:
        if self.depth not in DEPTHS:
            raise BadInputError(f"depth must be 1, 2 or 3, not {self.depth}")
        if self.direction not in DIRECTIONS:
            raise BadInputError(
                f"direction must be one of {', '.join(DIRECTIONS)}, not {self.direction!r}"
            )


@dataclass
class Exploration:
    seeds: list[str]
    graph: nx.DiGraph
    ranked: list[Ranked]
    report: WalkReport
    options: ExploreOptions = field(default_factory=ExploreOptions)

    @property
    def partial(self) -> bool:
        return self.report.partial


def parse_seeds(texts: Sequence[str]) -> list[Seed]:
    """Parse every seed; one bad seed is a BadInputError naming it."""
    if not texts:
        raise BadInputError("give at least one seed (an arXiv id, DOI, S2 id or URL, or title)")
    return [parse_seed(t) for t in texts]


def load_graph(store: Store, ids: set[str]) -> nx.DiGraph:
    edges = [e for e in store.edges_from(ids) if e.cited in ids]
    return build_graph(store.papers(ids), edges)


def explore(
    seeds: Sequence[str],
    options: ExploreOptions,
    *,
    store: Store,
    client: S2Client | None = None,
    arxiv: ArxivClient | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    weights: dict[str, float] | None = None,
    record: bool = True,
) -> Exploration:
    """Resolve the seeds, walk their neighbourhood into the store and rank it.

    ``client=None`` or ``options.offline`` answers from the store alone. A failure mid-walk
    returns what was fetched, with ``report.partial`` set and ``report.error`` holding why.
    ``record`` saves the seeds, options and weights as the last exploration, so that
    :func:`explorer.tasks.export.last_exploration` can replay it (a replay records nothing).
    A seed ``@N`` is paper N of the last list shown (:func:`explorer.tasks.search.expand_picks`).
    """
    seeds = expand_picks(seeds, store)
    parsed = parse_seeds(seeds)
    walker = Walker(
        store, None if options.offline else client, None if options.offline else arxiv,
        refresh=options.refresh, progress=progress, cancel=cancel,
    )
    seed_ids = walker.resolve(parsed, first=DIRECTIONS[options.direction][0])
    report = walker.walk(seed_ids, options.depth, options.direction, options.neighbour_citers)
    if record:
        saved = asdict(options) | ({"weights": dict(weights)} if weights else {})
        store.save_exploration(list(seeds), saved)
    online = None if options.offline else client
    recommended = (_recommended(store, online, seed_ids, report, options.refresh)
                   if options.recommend else None)
    fetch = None
    if options.semantic and online is not None and report.error is None:
        def fetch(ids: Iterable[str]) -> None:
            _counted(report, online, lambda: ensure_embeddings(store, online, ids),
                     "SPECTER vectors")
    return rank_stored(store, seed_ids, options, report, weights, recommended=recommended,
                       fetch_embeddings=fetch)


def _counted(report: WalkReport, client: S2Client, work: Callable[[], object],
             what: str) -> None:
    """Run ``work``, adding its requests to the report; a failure becomes a warning, so the
    walk's results stand."""
    before = client.requests
    try:
        work()
    except ExplorerError as exc:
        report.warnings.append(f"{what} not fetched: {exc}")
        report.partial = True
    finally:
        report.requests += client.requests - before


def _recommended(store: Store, client: S2Client | None, seed_ids: list[str],
                 report: WalkReport, refresh: bool = False) -> dict[str, int]:
    """S2's recommendations for the seeds: paper id -> how many seeds. Answers kept in the
    store are used; offline (``client=None``) only those."""
    votes: dict[str, int] = {}
    online = client if report.error is None else None

    def ask() -> None:
        for rec in recommend_for_seeds(seed_ids, store, online, limit=RECOMMEND_LIMIT,
                                       refresh=refresh):
            votes[rec.paper.paper_id] = rec.votes

    if online is None:
        ask()
    else:
        _counted(report, online, ask, "recommendations")
    return votes


def rank_stored(
    store: Store,
    seed_ids: list[str],
    options: ExploreOptions,
    report: WalkReport | None = None,
    weights: dict[str, float] | None = None,
    *,
    recommended: Mapping[str, int] | None = None,
    fetch_embeddings: Callable[[Iterable[str]], None] | None = None,
) -> Exploration:
    """Rank what the store holds around ``seed_ids``, honouring the reading list.

    ``recommended`` (paper id -> how many seeds S2 recommended it for) adds those papers as
    candidates; ``fetch_embeddings`` is called with the graph's papers before the stored
    SPECTER vectors are read for the ``semantic`` component. The versions of a work are one
    node (:func:`explorer.analysis.versions.merge_graph`): the seeds, the graph and the ranking
    name the kept record, whose reasons say what was merged.

    An offline ranking without recommendations or fetched vectors is kept in the store
    (:mod:`explorer.snapshot`) and reopened from there while the store's contents stay the
    same: the same seeds, graph and ranking as computing it again.
    """
    key = (snapshot.snapshot_key(seed_ids, asdict(options), weights)
           if options.offline and recommended is None and fetch_embeddings is None else None)
    with collector_paused():
        kept = _reopen(store, key) if key else None
        if kept is not None:
            seeds, graph, ranked = kept
            return Exploration(seeds, graph, ranked, report or WalkReport(seeds=seeds), options)
        changes = store.changes()
        papers, links = exploration_records(store, seed_ids, options.depth, options.direction,
                                            options.neighbour_citers)
        if recommended:
            graph = link_graph(papers, links)
            add_papers(store, graph, recommended)
            nodes = list(graph)
        else:
            nodes = link_nodes(papers, links)
        if fetch_embeddings is not None:
            fetch_embeddings(nodes)
        vectors = stored_embeddings(store, nodes)
        graph, merge = merge_graph(graph) if recommended else merge_links(papers, links, nodes)
        del papers, links  # freed now, not scanned by the collection that resumes after the block
        seeds = merge.kept_ids(seed_ids)
        dropped = set(merge.kept_ids(store.not_relevant(keep=seed_ids)))
        liked = set(merge.kept_ids(p for p, s in store.statuses().items()
                                   if s in WEAK_SEED_STATUSES)) - set(seeds)
        votes: dict[str, int] = {}
        for pid, n in (recommended or {}).items():
            votes[merge.kept(pid)] = max(votes.get(merge.kept(pid), 0), n)
        own: dict[str, np.ndarray] = {}
        for pid, vector in vectors.items():  # a work's own record's vector, else a version's
            if merge.kept(pid) == pid or merge.kept(pid) not in own:
                own[merge.kept(pid)] = vector
        ranked = explain_merges(rank(graph, seeds, weights=weights, exclude=dropped,
                                     demote=dropped, weak_seeds=liked, embeddings=own,
                                     recommended=votes or recommended, text_cache=store),
                                merge)
        if key:
            _keep(store, key, changes, seeds, graph, ranked)
    return Exploration(seeds, graph, ranked, report or WalkReport(seeds=seeds), options)


def _reopen(store: Store, key: str) -> tuple[list[str], nx.DiGraph, list[Ranked]] | None:
    """The exploration kept under ``key``, if it is valid and readable; an unreadable one is
    dropped, to be computed again."""
    try:
        data = store.snapshot(key)
        return None if data is None else snapshot.load(data)
    except (snapshot.SnapshotError, sqlite3.Error) as exc:
        log.warning("a kept exploration could not be read (%s): computing it again",
                    type(exc).__name__)
        store.forget_snapshot(key)
        return None


def _keep(store: Store, key: str, changes: int, seeds: list[str], graph: nx.DiGraph,
          ranked: list[Ranked]) -> None:
    """Keep the exploration just computed from the store at ``changes`` under ``key``, unless
    the store cannot keep it or changed meanwhile (a ranking read across its change)."""
    if store.read_only or store.changes() != changes:
        return
    try:
        data = snapshot.dump(seeds, graph, ranked)
    except (pickle.PicklingError, TypeError, RecursionError, MemoryError) as exc:
        log.warning("an exploration could not be kept (%s)", type(exc).__name__)
        return
    store.keep_snapshot(key, changes, data)


def explain_merges(ranked: list[Ranked], merge: Merge) -> list[Ranked]:
    """Each kept record of a merged work gets the reason that says which records it stands for."""
    return [replace(r, reasons=(*r.reasons, why)) if (why := merge.reason(r.paper.paper_id))
            else r for r in ranked]


def add_papers(store: Store, graph: nx.DiGraph, ids: Iterable[str]) -> None:
    """Add the stored papers ``ids`` to ``graph`` with their citations to and from it."""
    new = [p for p in ids if p not in graph]
    for pid, paper in store.papers(new).items():
        graph.add_node(pid, paper=paper)
    for edge in store.edges_touching(new):
        if edge.citing in graph and edge.cited in graph and edge.citing != edge.cited:
            graph.add_edge(edge.citing, edge.cited, is_influential=edge.is_influential,
                           contexts=edge.contexts, intents=edge.intents)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a big graph is built and ranked.

    Loading creates millions of small objects and no garbage cycles; the collector would scan
    the whole growing heap again and again (half the load time at 10k papers, more above).
    Collection resumes, as it was, when the block ends. What a block that ends normally made
    lives on (the graph, the ranking): it joins the oldest generation, as ``gc.freeze()`` and
    ``gc.unfreeze()`` file it, instead of being scanned by the first young collection after
    the block and again by the next (0.2 s each at 60k papers). Nothing is done so when other
    code keeps objects frozen.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if was_enabled and not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
    finally:
        if was_enabled:
            gc.enable()


def exploration_summary(result: Exploration) -> dict[str, Any]:
    r = result.report
    return {
        "papers": result.graph.number_of_nodes(),
        "edges": result.graph.number_of_edges(),
        "requests": r.requests,
        "pages": r.pages,
        "store_hits": r.store_hits,
        "partial": r.partial,
    }
