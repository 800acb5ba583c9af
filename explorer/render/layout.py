"""Where each paper of an exploration sits on the graph, computed once in Python.

The graph page draws the papers at these places with the physics off, so a filter that hides
some papers leaves the others where they were, and a large graph is drawn without the browser
simulating forces first.
"""

from __future__ import annotations

import math

import networkx as nx

__all__ = ["SPREAD", "graph_layout"]

SPREAD = 90.0
"""Page units between neighbours, about: the layout's unit square is scaled by it."""


def graph_layout(g: nx.DiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """A force-directed place for every node of ``g``, the same for the same graph.

    Parameters
    ----------
    g : networkx.DiGraph
        The citation graph of an exploration (its direction is ignored).
    seed : int
        Seed of the layout's random start, so the picture is stable from run to run.

    Returns
    -------
    dict
        ``{paper id: (x, y)}`` in page units, spread so that papers keep apart at first fit.

    Examples
    --------
    >>> pos = graph_layout(nx.DiGraph([("a", "b"), ("b", "c")]))
    >>> sorted(pos) == ["a", "b", "c"] and pos == graph_layout(nx.DiGraph([("a", "b"), ("b", "c")]))
    True
    """
    n = g.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(g.nodes)): (0.0, 0.0)}
    iterations = 100 if n <= 2000 else 50
    pos = nx.spring_layout(g.to_undirected(as_view=True), seed=seed, iterations=iterations)
    scale = SPREAD * math.sqrt(n)
    return {str(k): (float(x) * scale, float(y) * scale) for k, (x, y) in pos.items()}
