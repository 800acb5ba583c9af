"""Where a field comes from and where it went: prior works, derivative works, and a timeline.

Prior works are the papers the graph's papers cite most (Connected Papers' foundations;
Local Citation Network's "top cited"); derivative works are the papers citing the most of the
graph's papers (follow-ups; "top citing"). The timeline lays the citation graph out by
publication year, older papers left, so lineages read from left to right.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import partial

import networkx as nx

from explorer.graph import paper_of, relations
from explorer.models import Ranked

__all__ = ["Timeline", "derivative_works", "prior_works", "timeline_layout"]

MIN_LINKS = 2


def prior_works(
    g: nx.DiGraph, members: Collection[str] | None = None, *, seeds: Iterable[str] = (),
    limit: int = 20, min_count: int = MIN_LINKS,
) -> list[Ranked]:
    """Papers cited by the most of ``members`` (default: every paper of ``g``).

    Ranked by that count, then S2's citation count, then id; ``score`` is the share of the
    members citing the paper. The ``seeds`` themselves, and papers cited by fewer than
    ``min_count`` members, are left out.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "x"), ("b", "x"), ("c", "x"), ("a", "y"), ("b", "y")])
    >>> [(r.paper.paper_id, r.reasons[0]) for r in prior_works(g)]
    [('x', 'cited by 3 of 5 papers in the graph'), ('y', 'cited by 2 of 5 papers in the graph')]
    """
    return _ranked(g, members, seeds, limit, min_count, cited=True)


def derivative_works(
    g: nx.DiGraph, members: Collection[str] | None = None, *, seeds: Iterable[str] = (),
    limit: int = 20, min_count: int = MIN_LINKS,
) -> list[Ranked]:
    """Papers citing the most of ``members`` (default: every paper of ``g``); see
    :func:`prior_works`.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "x"), ("a", "y"), ("b", "x")])
    >>> [(r.paper.paper_id, r.reasons) for r in derivative_works(g)]
    [('a', ('cites 2 of 4 papers in the graph',))]
    """
    return _ranked(g, members, seeds, limit, min_count, cited=False)


def _ranked(
    g: nx.DiGraph, members: Collection[str] | None, seeds: Iterable[str], limit: int,
    min_count: int, *, cited: bool,
) -> list[Ranked]:
    pool = set(g) if members is None else {m for m in members if m in g}
    total = max(len(pool), 1)
    seeds = list(seeds)
    counts: list[tuple[int, int, str]] = []
    for node in set(g) - set(seeds):
        links = g.predecessors(node) if cited else g.successors(node)
        k = sum(1 for other in links if other in pool)
        if k >= min_count:
            counts.append((k, paper_of(g, node).citation_count or 0, node))
    counts.sort(key=lambda c: (-c[0], -c[1], c[2]))
    rel = relations(g, seeds)
    verb = "cited by" if cited else "cites"
    return [
        Ranked(
            paper=paper_of(g, node), score=k / total, relation=rel[node],
            reasons=(f"{verb} {k} of {len(pool)} papers in the graph",),
            components={"count": float(k)}, rank=place,
        )
        for place, (k, _, node) in enumerate(counts[:limit], start=1)
    ]


@dataclass(frozen=True)
class Timeline:
    """Positions of a timeline: ``pos[node] = (x, y)``; ``ticks`` holds (year, x) per column,
    with year ``None`` for the column of papers whose year is unknown (leftmost)."""

    pos: dict[str, tuple[float, float]]
    ticks: tuple[tuple[int | None, float], ...]


def timeline_layout(g: nx.DiGraph, *, column: float = 1.0, row: float = 1.0,
                    sweeps: int = 2) -> Timeline:
    """Lay the citation graph out by year: one column per year, older left.

    Within a column, papers are ordered so that they sit near the papers they cite or are cited
    by (a few barycentre sweeps, as in layered graph drawing), starting from most cited on top;
    each column is centred on y = 0. Years without papers take no column.

    Examples
    --------
    >>> from explorer.models import Paper
    >>> g = nx.DiGraph([("b", "a")])
    >>> g.add_node("a", paper=Paper("a", year=1950)); g.add_node("b", paper=Paper("b", year=2023))
    >>> t = timeline_layout(g)
    >>> t.pos["a"][0] < t.pos["b"][0], t.ticks
    (True, ((1950, 0.0), (2023, 1.0)))
    """
    by_year: dict[int | None, list[str]] = {}
    for node in g:
        by_year.setdefault(paper_of(g, node).year, []).append(node)
    years = sorted(by_year, key=lambda y: -1 if y is None else y)
    x_of = {year: k * column for k, year in enumerate(years)}
    order = {
        year: sorted(nodes, key=lambda n: (-(paper_of(g, n).citation_count or 0), n))
        for year, nodes in by_year.items()
    }
    und = g.to_undirected(as_view=True)
    y_of: dict[str, float] = {}

    def place(year: int | None) -> None:
        nodes = order[year]
        for k, node in enumerate(nodes):
            y_of[node] = (k - (len(nodes) - 1) / 2) * row

    for year in years:
        place(year)
    for _ in range(sweeps):
        for year in years:
            order[year] = sorted(order[year], key=partial(_centre, und, y_of, year=year))
            place(year)
    pos = {n: (x_of[paper_of(g, n).year], y_of[n]) for n in g}
    return Timeline(pos, tuple((year, x_of[year]) for year in years))


def _centre(und: nx.Graph, y_of: dict[str, float], node: str, year: int | None
            ) -> tuple[float, float, str]:
    """Sort key: mean height of the node's neighbours in other columns, then its own."""
    near = [y_of[m] for m in und[node] if paper_of(und, m).year != year]
    return (sum(near) / len(near) if near else y_of[node], y_of[node], node)
