"""One pipeline for the CLI and the app: seeds -> walk -> store -> graph -> rank."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from explorer.errors import BadInputError
from explorer.graph import build_graph
from explorer.ids import Seed, parse_seed
from explorer.models import Ranked
from explorer.rank import rank
from explorer.sources.arxiv import ArxivClient
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.walk import DIRECTIONS, Progress, Walker, WalkReport, first_order, neighbours

WEAK_SEED_STATUSES = ("to read", "reading", "read")
"""Reading-list statuses whose papers rank as weak seeds (:data:`explorer.rank.WEAK_SEED`)."""


@dataclass(frozen=True)
class ExploreOptions:
    """How far to walk. The default, depth 2 with the neighbours' citers, finds 89 % of the
    papers to find in ``bench/ranking.py`` for about 9 requests (depth 1: 45 %, 7 requests;
    depth 2 without the citers: 83 %, 8 requests)."""

    depth: int = 2
    direction: str = "both"
    refresh: bool = False
    offline: bool = False
    neighbour_citers: bool = True

    def __post_init__(self) -> None:
        if self.depth not in (1, 2):
            raise BadInputError(f"depth must be 1 or 2, not {self.depth}")
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


def neighbourhood(store: Store, seeds: Sequence[str], depth: int, direction: str,
                  neighbour_citers: bool = False) -> set[str]:
    """Ids of the seeds, their neighbours and, at depth 2, the neighbours' references (and,
    with ``neighbour_citers``, their citers)."""
    first: set[str] = set()
    for pid in seeds:
        first |= neighbours(store, pid, direction)
    ids = set(seeds) | first
    if depth >= 2:
        for pid in first - set(seeds):
            ids.update(store.references_of(pid))
    if depth >= 2 and neighbour_citers:
        for pid in first_order(store, seeds, direction):
            ids.update(store.citations_of(pid))
    return ids


def load_graph(store: Store, ids: set[str]) -> nx.DiGraph:
    edges = [e for e in store.edges_touching(ids) if e.citing in ids and e.cited in ids]
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
) -> Exploration:
    """Resolve the seeds, walk their neighbourhood into the store and rank it.

    ``client=None`` or ``options.offline`` answers from the store alone. A failure mid-walk
    returns what was fetched, with ``report.partial`` set and ``report.error`` holding why.
    """
    parsed = parse_seeds(seeds)
    walker = Walker(
        store, None if options.offline else client, None if options.offline else arxiv,
        refresh=options.refresh, progress=progress, cancel=cancel,
    )
    seed_ids = walker.resolve(parsed)
    report = walker.walk(seed_ids, options.depth, options.direction, options.neighbour_citers)
    store.save_exploration(list(seeds), asdict(options))
    return rank_stored(store, seed_ids, options, report, weights)


def rank_stored(
    store: Store,
    seed_ids: list[str],
    options: ExploreOptions,
    report: WalkReport | None = None,
    weights: dict[str, float] | None = None,
) -> Exploration:
    """Rank what the store holds around ``seed_ids``, honouring the reading list."""
    graph = load_graph(store, neighbourhood(store, seed_ids, options.depth, options.direction,
                                            options.neighbour_citers))
    statuses = store.statuses()
    dropped = {p for p, s in statuses.items() if s == "not relevant"} - set(seed_ids)
    liked = {p for p, s in statuses.items() if s in WEAK_SEED_STATUSES} - set(seed_ids)
    ranked = rank(graph, seed_ids, weights=weights, exclude=dropped, demote=dropped,
                  weak_seeds=liked)
    return Exploration(seed_ids, graph, ranked, report or WalkReport(seeds=seed_ids), options)


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
