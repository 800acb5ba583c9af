"""One pipeline for the CLI and the app: seeds -> walk -> store -> graph -> rank."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import networkx as nx

from explorer.analysis.rank import rank
from explorer.analysis.versions import Merge, merge_graph
from explorer.errors import BadInputError
from explorer.graph import build_graph, exploration_graph
from explorer.models import DIRECTIONS, Progress, Ranked, WalkReport
from explorer.seeds.ids import Seed, parse_seed
from explorer.sources.arxiv import ArxivClient
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.search import expand_picks
from explorer.walk import Walker

WEAK_SEED_STATUSES = ("to read", "reading", "read")
"""Reading-list statuses whose papers rank as weak seeds
(:data:`explorer.analysis.rank.WEAK_SEED`)."""


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
    seed_ids = walker.resolve(parsed)
    report = walker.walk(seed_ids, options.depth, options.direction, options.neighbour_citers)
    if record:
        saved = asdict(options) | ({"weights": dict(weights)} if weights else {})
        store.save_exploration(list(seeds), saved)
    return rank_stored(store, seed_ids, options, report, weights)


def rank_stored(
    store: Store,
    seed_ids: list[str],
    options: ExploreOptions,
    report: WalkReport | None = None,
    weights: dict[str, float] | None = None,
) -> Exploration:
    """Rank what the store holds around ``seed_ids``, honouring the reading list.

    The versions of a work are one node (:func:`explorer.analysis.versions.merge_graph`): the
    seeds, the graph and the ranking name the kept record, whose reasons say what was merged.
    """
    with collector_paused():
        graph, merge = merge_graph(exploration_graph(
            store, seed_ids, options.depth, options.direction, options.neighbour_citers))
        seeds = merge.kept_ids(seed_ids)
        dropped = set(merge.kept_ids(store.not_relevant(keep=seed_ids)))
        liked = set(merge.kept_ids(p for p, s in store.statuses().items()
                                   if s in WEAK_SEED_STATUSES)) - set(seeds)
        ranked = explain_merges(rank(graph, seeds, weights=weights, exclude=dropped,
                                     demote=dropped, weak_seeds=liked), merge)
    return Exploration(seeds, graph, ranked, report or WalkReport(seeds=seeds), options)


def explain_merges(ranked: list[Ranked], merge: Merge) -> list[Ranked]:
    """Each kept record of a merged work gets the reason that says which records it stands for."""
    return [replace(r, reasons=(*r.reasons, why)) if (why := merge.reason(r.paper.paper_id))
            else r for r in ranked]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a big graph is built and ranked.

    Loading creates millions of small objects and no garbage cycles; the collector would scan
    the whole growing heap again and again (half the load time at 10k papers, more above).
    Collection resumes, as it was, when the block ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
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
