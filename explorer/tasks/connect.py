"""The shortest citation paths between two papers (Inciteful's Literature Connector).

Citations are followed in both directions. The search is a bidirectional breadth-first search
that grows, a whole level at a time, the side whose frontier is cheaper to fetch, through the
store and Semantic Scholar: for a frontier of N papers, one batch request per 500 papers
brings their references and another their citers (S2 embeds up to 1,000 of them; papers
known to have more get pages of 1,000 instead). Whatever the store holds completely costs
nothing, so a second search makes no request.

When both searches reach a common paper after whole levels, every shortest path has been
seen: :func:`connect` returns them all (up to ``max_paths``). When the request budget runs out
mid-level, the paths found are still shortest, but some may be missing. "No path" within
``max_hops`` or the budget is an answer, not an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import product

import networkx as nx

from explorer.errors import BadInputError, NotFoundError, OfflineMissingError, worded
from explorer.graph import links_known, neighbours
from explorer.models import MAX_HOPS, Connection, Hop, Paper, name_of
from explorer.sources.s2 import PAGE_SIZE, S2Client
from explorer.store import Store
from explorer.tasks.explore import parse_seeds
from explorer.walk import Walker

__all__ = ["Connection", "Hop", "connect", "hops", "shortest_paths"]

MAX_PATHS = 20


def hops(path: Sequence[str], cites: set[tuple[str, str]] | nx.DiGraph) -> list[Hop]:
    """The hops of a path, each with its citing direction.

    Examples
    --------
    >>> hops(["a", "b", "c"], {("b", "a"), ("b", "c")})
    [Hop(source='a', target='b', cites=False), Hop(source='b', target='c', cites=True)]
    """
    return [Hop(u, v, (u, v) in cites if isinstance(cites, set) else cites.has_edge(u, v))
            for u, v in zip(path, path[1:], strict=False)]


def shortest_paths(
    parents_a: dict[str, set[str]], parents_b: dict[str, set[str]], middles: Iterable[str],
    limit: int = MAX_PATHS,
) -> list[list[str]]:
    """Every path through ``middles``: from the start of search A, along the BFS parents, to
    the middle and back along search B's parents to its start (at most ``limit``, sorted).

    Examples
    --------
    >>> shortest_paths({"a": set(), "m": {"a"}}, {"b": set(), "m": {"b"}}, ["m"])
    [['a', 'm', 'b']]
    """
    out: list[list[str]] = []
    for m in sorted(middles):
        for left, right in product(_to_root(parents_a, m), _to_root(parents_b, m)):
            out.append(left[::-1] + right[1:])
    out.sort()
    return out[:limit]


def _to_root(parents: dict[str, set[str]], node: str) -> list[list[str]]:
    if not parents[node]:
        return [[node]]
    return [[node, *rest] for p in sorted(parents[node]) for rest in _to_root(parents, p)]


class _Search:
    """One side of the bidirectional search: distances and BFS parents from one paper."""

    def __init__(self, start: str) -> None:
        self.parents: dict[str, set[str]] = {start: set()}
        self.dist: dict[str, int] = {start: 0}
        self.frontier: list[str] = [start]
        self.level = 0

    def grow(self, store: Store) -> None:
        nxt: dict[str, set[str]] = {}
        for u in self.frontier:
            for v in neighbours(store, u, "both"):
                if v not in self.dist:
                    nxt.setdefault(v, set()).add(u)
        self.level += 1
        for v, ps in nxt.items():
            self.dist[v] = self.level
            self.parents[v] = ps
        self.frontier = sorted(nxt)


def _expanded(store: Store, pid: str) -> bool:
    return links_known(store, pid, "references") and links_known(store, pid, "citations")


def _cost(store: Store, frontier: Sequence[str]) -> int:
    return sum(1 for pid in frontier if not _expanded(store, pid))


def _fetch(walker: Walker, store: Store, frontier: Sequence[str]) -> None:
    """Fetch the links of the frontier papers the store lacks (references first: cheapest)."""
    todo = [pid for pid in frontier if not _expanded(store, pid)]
    if not todo:
        return
    papers = store.papers(todo)
    many = {p for p in todo if ((papers.get(p) or Paper(p)).citation_count or 0) > PAGE_SIZE}
    walker.embedded(todo, "references")
    if not walker.report.partial:
        walker.embedded([p for p in todo if p not in many], "citations")
    if not walker.report.partial and many:
        walker.walk(sorted(many), 1, "citations")


def connect(
    source: str,
    target: str,
    *,
    store: Store,
    client: S2Client | None = None,
    max_hops: int = MAX_HOPS,
    max_paths: int = MAX_PATHS,
) -> Connection:
    """The shortest citation paths between two papers, citations taken both ways.

    Parameters
    ----------
    source, target : str
        Papers as a user names them (arXiv id, DOI, S2 id or URL, title).
    store : Store
        Read first; everything fetched is kept.
    client : S2Client, optional
        ``None`` searches the store alone. Its ``max_requests`` is the budget.
    max_hops : int
        Longest path looked for.
    max_paths : int
        Paths returned at most.

    Returns
    -------
    Connection
        ``paths`` (lists of paper ids from source to target, all of the same, shortest,
        length) with their ``steps``; ``hops`` is None when none was found; ``complete`` is
        False when the budget or a failure cut the search short.
    """
    if max_hops < 1:
        raise BadInputError("{max_hops} must be at least 1", parameter="max_hops",
                            value=max_hops, bound=1)
    seeds = parse_seeds([source, target])
    walker = Walker(store, client)
    ids = walker.resolve(seeds)  # one batch for both; an unknown one is a warning here
    if len(ids) < 2 and walker.report.warnings:
        missing = OfflineMissingError if client is None else NotFoundError
        raise missing("; ".join(walker.report.warnings))
    a, b = ids[0], ids[-1]
    result = Connection(a, b, [], None, True, max_hops=max_hops, report=walker.report)
    if a == b:
        result.paths, result.hops = [[a]], 0
        return _finish(result, store)
    sides = (_Search(a), _Search(b))
    while sides[0].frontier and sides[1].frontier and sum(s.level for s in sides) < max_hops:
        side = min(sides, key=lambda s: (_cost(store, s.frontier), len(s.frontier)))
        if client is not None and not walker.report.partial:
            _fetch(walker, store, side.frontier)
        if _cost(store, side.frontier):
            result.complete = False  # the store lacks links of some frontier papers
        side.grow(store)
        other = sides[1] if side is sides[0] else sides[0]
        middles = [n for n in side.frontier if n in other.dist]
        if middles:
            length = min(side.level + other.dist[m] for m in middles)
            middles = [m for m in middles if side.level + other.dist[m] == length]
            pa, pb = (side, other) if side is sides[0] else (other, side)
            result.paths = shortest_paths(pa.parents, pb.parents, middles, max_paths)
            result.hops = length
            break
    result.explored = (len(sides[0].dist), len(sides[1].dist))
    return _finish(result, store)


def _finish(result: Connection, store: Store) -> Connection:
    on_paths = {n for path in result.paths for n in path} | {result.source, result.target}
    result.papers = {pid: store.paper(pid) or Paper(pid) for pid in sorted(on_paths)}
    cites = {(e.citing, e.cited) for e in store.edges_touching(on_paths)}
    result.steps = [hops(path, cites) for path in result.paths]
    return result


CUT_SHORT = ("the store lacked some links and the request budget ran out or no request was "
             "allowed")
"""Why a search may have missed paths, in :func:`describe`."""


def describe(result: Connection, names: Mapping[str, str] | None = None) -> str:
    """The paths as text, one paper a line, each hop's citing direction before the paper.

    ``names`` says how to call the parameters ``max_hops`` and ``max_requests`` in the advice
    after a search that found nothing (default: those names)."""
    a, b = (name_of(result.papers[p]) for p in (result.source, result.target))
    if not result.found:
        explored = result.explored[0] + result.explored[1]
        why = "" if result.complete else f"; {CUT_SHORT}"
        advice = worded("raise {max_hops} or {max_requests} to search further", names or {})
        return (f"no path of at most {result.max_hops} hops between {a} and {b} "
                f"({explored} papers explored{why}); {advice}")
    lines = []
    n = len(result.paths)
    plural = "path" if n == 1 else "paths"
    note = "" if result.complete else f" ({CUT_SHORT}: shorter or other paths may exist)"
    lines.append(f"{n} shortest {plural} of {result.hops} hops{note}:")
    for k, (path, steps) in enumerate(zip(result.paths, result.steps, strict=True), start=1):
        lines.append(f"\npath {k}:")
        lines.append(f"  {name_of(result.papers[path[0]])}")
        for hop in steps:
            arrow = "—cites→" if hop.cites else "←cited by—"
            lines.append(f"    {arrow} {name_of(result.papers[hop.target])}")
    return "\n".join(lines)
