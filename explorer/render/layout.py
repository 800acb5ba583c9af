"""Where each paper of an exploration sits on the graph, computed once in Python.

The graph page draws the papers at these places with the physics off, so a filter that hides
some papers leaves the others where they were, and a large graph is drawn without the browser
simulating forces first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import numpy as np

__all__ = ["MAX_LAID", "MAX_PLACED", "SPREAD", "graph_layout"]

MAX_LAID = 1000
"""At most this many nodes, the best first, are laid out by forces: the dense layout holds
n x n matrices, 8 MB each at 1,000 nodes."""

MAX_PLACED = 20000
"""At most this many nodes are placed: those after the first :data:`MAX_LAID` go next to the
nodes they cite or are cited by, which costs one pass over their links."""

GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))

SPREAD = 90.0
"""Page units between neighbours, about: the layout's unit square is scaled by it."""


def graph_layout(g: nx.DiGraph, order: Sequence[str] | None = None, seed: int = 7
                 ) -> dict[str, tuple[float, float]]:
    """A force-directed place for every node of ``g``, the same for the same graph.

    Parameters
    ----------
    g : networkx.DiGraph
        The citation graph of an exploration (its direction is ignored).
    order : Sequence[str], optional
        The nodes to place, best first (default: the graph's): the first :data:`MAX_LAID`
        are laid out by forces, the next ones up to :data:`MAX_PLACED` beside their
        neighbours already placed (or on a ring around the picture when they have none).
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
    wanted = list(dict.fromkeys(v for v in (g.nodes if order is None else order) if v in g))
    wanted = wanted[:MAX_PLACED]
    nodes = wanted[:MAX_LAID]
    n = len(nodes)
    if n == 0:
        return {}
    placed = {str(nodes[0]): (0.0, 0.0)} if n == 1 else _laid(g, nodes, seed)
    return _beside_neighbours(g, wanted[MAX_LAID:], placed, seed)


def _laid(g: nx.DiGraph, nodes: Sequence[str], seed: int = 7) -> dict[str, tuple[float, float]]:
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    adjacency = np.zeros((n, n))
    for u in nodes:  # their own citations, not every citation of the graph
        for v in g.succ[u]:
            if v in index and u != v:
                adjacency[index[u], index[v]] = adjacency[index[v], index[u]] = 1.0
    pos = _fruchterman_reingold(adjacency, 100 if n <= 300 else 50, seed)
    scale = SPREAD * math.sqrt(n)
    return {str(v): (float(pos[i, 0]) * scale, float(pos[i, 1]) * scale)
            for i, v in enumerate(nodes)}


def _beside_neighbours(g: nx.DiGraph, rest: Sequence[str], placed: dict[str, tuple[float, float]],
                       seed: int) -> dict[str, tuple[float, float]]:
    """``placed`` with every node of ``rest`` added, in order, on a sunflower around the mean of
    its placed neighbours (so the many citers of one paper do not pile up); a node none of whose
    neighbours is placed yet waits for one more pass, then goes on a sunflower around the
    picture."""
    turn = float(np.random.default_rng(seed).random()) * 2 * math.pi
    around: dict[tuple[int, int], int] = {}
    pending: list[str] = []
    for attempt in (0, 1):
        for v in rest if attempt == 0 else pending:
            near = [placed[str(u)] for u in (*g.pred[v], *g.succ[v]) if str(u) in placed]
            if not near:
                if attempt == 0:
                    pending.append(v)
                continue
            cx, cy = sum(p[0] for p in near) / len(near), sum(p[1] for p in near) / len(near)
            k = around[(round(cx), round(cy))] = around.get((round(cx), round(cy)), 0) + 1
            r, angle = SPREAD * 0.35 * math.sqrt(k + 1), turn + k * GOLDEN_ANGLE
            placed[str(v)] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
    lonely = [v for v in pending if str(v) not in placed]
    if lonely:
        reach = max((math.hypot(x, y) for x, y in placed.values()), default=0.0) + SPREAD
        for i, v in enumerate(lonely):
            r = reach + SPREAD * 0.35 * math.sqrt(i + 1)
            placed[str(v)] = (r * math.cos(i * GOLDEN_ANGLE), r * math.sin(i * GOLDEN_ANGLE))
    return placed


def _fruchterman_reingold(adjacency: np.ndarray, iterations: int, seed: int) -> np.ndarray:
    """Fruchterman and Reingold's force-directed layout on a dense adjacency matrix (as in
    networkx's own dense version, vectorised with numpy), scaled into [-1, 1]."""
    n = adjacency.shape[0]
    pos = np.random.default_rng(seed).random((n, 2)).astype(np.float32)
    k = 1.0 / math.sqrt(n)
    step = 0.1
    cool = step / (iterations + 1)
    # x and y apart, every n x n step into a buffer of its own, in single precision (a picture
    # needs no more): an n x n x 2 difference in double precision, its norm and an einsum took
    # five times as long at 1,000 nodes.
    pull = (adjacency / k).astype(np.float32)
    dx, dy, dist, force = (np.empty((n, n), np.float32) for _ in range(4))
    disp = np.empty((n, 2), np.float32)
    for _ in range(iterations):
        np.subtract(pos[:, None, 0], pos[None, :, 0], out=dx)
        np.subtract(pos[:, None, 1], pos[None, :, 1], out=dy)
        np.hypot(dx, dy, out=dist)
        np.maximum(dist, 0.01, out=dist)
        np.multiply(pull, dist, out=force)  # attraction along the links
        np.square(dist, out=dist)
        np.divide(np.float32(k * k), dist, out=dist)  # repulsion between every pair
        np.subtract(dist, force, out=force)
        np.multiply(dx, force, out=dx)
        np.multiply(dy, force, out=dy)
        dx.sum(axis=1, out=disp[:, 0])
        dy.sum(axis=1, out=disp[:, 1])
        length = np.hypot(disp[:, 0], disp[:, 1])
        length = np.where(length < 0.01, 0.1, length)
        pos += disp * (step / length)[:, None]
        step -= cool
    out = pos.astype(np.float64)
    out -= out.mean(axis=0)
    extent = float(np.abs(out).max()) or 1.0
    return out / extent
