"""Similarity between the papers of a citation graph, and a map that puts similar papers together.

Two papers are similar when they cite the same papers (bibliographic coupling) or are cited
together (co-citation). Over the in-graph sets ``R(x)`` (papers x cites) and ``C(x)`` (papers
citing x), both Salton-normalised (:func:`explorer.analysis.rank.salton`)::

    coupling(a, b)   = |R(a) & R(b)| / sqrt(|R(a)| |R(b)|)
    cocitation(a, b) = |C(a) & C(b)| / sqrt(|C(a)| |C(b)|)
    adamic_adar(a, b) = sum over z in R(a) & R(b) of 1 / log |C(z)|
    score(a, b)      = coupling + 0.25 * cocitation        (Inciteful's similarity map)

With ``adamic_adar=True`` the Adamic–Adar sum over shared references replaces the coupling
term (a shared reference cited by few papers says more than one cited by everybody). An edge is
kept when its score exceeds ``min_score`` (0.01) and it is among the ``per_node`` strongest
edges of one of its two papers, so the map stays readable.

All pairs are found by sparse matrix products (``A @ A.T`` for coupling, ``A.T @ A`` for
co-citation, ``A[i, j] = 1`` when i cites j), a block of rows at a time, so memory stays
bounded and a graph of 10,000 papers takes about a second (``bench/similarity.py``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from explorer.analysis.rank import salton
from explorer.graph import paper_of

__all__ = [
    "COCITATION_WEIGHT",
    "MIN_SCORE",
    "PER_NODE",
    "citation_matrix",
    "pair_similarity",
    "similarity_graph",
    "similarity_layout",
]

COCITATION_WEIGHT = 0.25
"""Weight of co-citation against coupling in the score (Inciteful's)."""

MIN_SCORE = 0.01
"""Edges scoring this or less are dropped."""

PER_NODE = 5
"""Strongest edges kept per paper (an edge stays if either end keeps it)."""

BLOCK = 2048
SPRING_MAX = 400


def citation_matrix(g: nx.DiGraph) -> tuple[list[str], sp.csr_array]:
    """The nodes of ``g`` and its adjacency matrix: ``A[i, j] == 1`` iff node i cites node j.

    Examples
    --------
    >>> nodes, a = citation_matrix(nx.DiGraph([("x", "y")]))
    >>> nodes, a.toarray().tolist()
    (['x', 'y'], [[0.0, 1.0], [0.0, 0.0]])
    """
    nodes = list(g.nodes)
    pos = {node: i for i, node in enumerate(nodes)}
    m = g.number_of_edges()
    rows = np.fromiter((pos[u] for u, _ in g.edges), np.int64, m)
    cols = np.fromiter((pos[v] for _, v in g.edges), np.int64, m)
    adj = sp.csr_array((np.ones(m), (rows, cols)), shape=(len(nodes), len(nodes)))
    adj.sum_duplicates()
    adj.data[:] = 1.0
    return nodes, adj


def pair_similarity(
    g: nx.DiGraph, a: str, b: str, *, cocitation_weight: float = COCITATION_WEIGHT,
    adamic_adar: bool = False,
) -> dict[str, float]:
    """The similarity of two papers, straight from the definitions (one pair; for reasons
    and checks; :func:`similarity_graph` computes all pairs at once).

    Returns
    -------
    dict
        ``coupling``, ``cocitation``, ``adamic_adar``, ``shared_references``, ``co_cited_by``
        and ``score``.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"), ("b", "z")])
    >>> round(pair_similarity(g, "a", "b")["coupling"], 4)  # 2 / sqrt(2 * 3)
    0.8165
    """
    ra, rb = set(g.successors(a)), set(g.successors(b))
    ca, cb = set(g.predecessors(a)), set(g.predecessors(b))
    shared = ra & rb
    aa = sum(1.0 / math.log(d) for z in shared if (d := g.in_degree(z)) > 1)
    coupling, cocitation = salton(ra, rb), salton(ca, cb)
    first = aa if adamic_adar else coupling
    return {
        "coupling": coupling,
        "cocitation": cocitation,
        "adamic_adar": aa,
        "shared_references": float(len(shared)),
        "co_cited_by": float(len(ca & cb)),
        "score": first + cocitation_weight * cocitation,
    }


def _neighbour_rows(g: nx.DiGraph, nodes: list[str]
                    ) -> tuple[sp.csr_array, sp.csr_array, np.ndarray]:
    """Rows of ``nodes`` in the citation matrix of ``g`` and in its transpose, and how many
    papers cite each paper of ``g`` (columns are the papers of ``g`` in its order)."""
    pos = {node: i for i, node in enumerate(g)}
    matrices = []
    for neighbours in (g.successors, g.predecessors):
        rows: list[int] = []
        cols: list[int] = []
        for i, node in enumerate(nodes):
            for other in neighbours(node):
                rows.append(i)
                cols.append(pos[other])
        m = sp.csr_array((np.ones(len(rows)), (np.array(rows, np.int64),
                                                np.array(cols, np.int64))),
                         shape=(len(nodes), len(pos)))
        m.sum_duplicates()  # sorted columns: sums add up in the same order for any ``nodes``
        matrices.append(m)
    cited_by = np.fromiter((d for _, d in g.in_degree), float, len(pos))
    return matrices[0], matrices[1], cited_by


def _scaled_rows(m: sp.csr_array, scale: np.ndarray) -> sp.csr_array:
    """Row i of ``m`` times ``scale[i]``."""
    return (sp.diags_array(scale) @ m).tocsr()


def _pair_dots(m: sp.csr_array, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The dot products of rows ``rows[k]`` and ``cols[k]`` of ``m``, for every k."""
    if rows.size == 0:
        return np.zeros(0)
    return np.asarray(m[rows].multiply(m[cols]).sum(axis=1)).ravel()


def _inv_sqrt(values: np.ndarray) -> np.ndarray:
    return np.divide(1.0, np.sqrt(values), out=np.zeros(values.size), where=values > 0)


def _top_per_row(m: sp.csr_array, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of the ``k`` largest entries of every row (ties: lowest columns first)."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    indptr, indices, data = m.indptr, m.indices, m.data
    for i in np.flatnonzero(np.diff(indptr)).tolist():
        start, stop = indptr[i], indptr[i + 1]
        values, columns = data[start:stop], indices[start:stop]
        if stop - start > k:
            kth = np.partition(values, -k)[-k]
            above = values > kth
            ties = np.flatnonzero(values == kth)[: k - int(above.sum())]
            above[ties] = True
            columns = columns[above]
        rows.append(np.full(columns.size, i))
        cols.append(columns)
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows), np.concatenate(cols).astype(np.int64)


def similarity_graph(
    g: nx.DiGraph,
    *,
    per_node: int = PER_NODE,
    min_score: float = MIN_SCORE,
    cocitation_weight: float = COCITATION_WEIGHT,
    adamic_adar: bool = False,
    among: Iterable[str] | None = None,
) -> nx.Graph:
    """The similarity map of a citation graph: every paper, joined to its most similar ones.

    Parameters
    ----------
    g : networkx.DiGraph
        Citation graph (edge = citing -> cited), from :func:`explorer.graph.build_graph`.
    per_node : int
        Strongest edges kept per paper; an edge stays when either end keeps it.
    min_score : float
        Edges scoring this or less are dropped.
    cocitation_weight : float
        Weight of co-citation in the score.
    adamic_adar : bool
        Use Adamic–Adar over shared references instead of Salton coupling.
    among : iterable of str, optional
        Map only these papers (the ones shown): their scores still count every reference and
        citer in ``g``, but only pairs among them are scored, so a map of 500 papers of a
        60,000-paper graph takes a fraction of a second.

    Returns
    -------
    networkx.Graph
        Every node of ``g`` (or of ``among`` that is in ``g``; attribute ``paper``), and
        undirected edges with ``weight`` (the score), ``coupling``, ``cocitation``,
        ``adamic_adar`` (0.0 unless asked for), ``shared_references`` and ``co_cited_by``
        (counts).

    Examples
    --------
    >>> g = nx.DiGraph([("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"), ("b", "z")])
    >>> s = similarity_graph(g)
    >>> sorted(s.edges), round(s.edges["a", "b"]["weight"], 4)
    ([('a', 'b'), ('x', 'y'), ('x', 'z'), ('y', 'z')], 0.8165)
    """
    wanted = None if among is None else set(among)
    nodes = [node for node in g if wanted is None or node in wanted]
    n = len(nodes)
    out = nx.Graph()
    out.add_nodes_from((node, {"paper": paper_of(g, node)}) for node in nodes)
    if n == 0:
        return out
    adj, adj_t, cited_by = _neighbour_rows(g, nodes)
    n_refs = np.asarray(adj.sum(axis=1)).ravel()
    n_cits = np.asarray(adj_t.sum(axis=1)).ravel()
    # Row i of refs_n is R(i) / sqrt|R(i)|, so refs_n @ refs_n.T is the Salton coupling;
    # likewise cits_n for co-citation. One product of [refs_n, sqrt(w) cits_n] with its
    # transpose gives coupling + w * cocitation for a block of rows at once.
    refs_n = _scaled_rows(adj, _inv_sqrt(n_refs))
    cits_n = _scaled_rows(adj_t, _inv_sqrt(n_cits))
    if adamic_adar:
        inv_log = np.divide(1.0, np.log(np.maximum(cited_by, 1.0)), out=np.zeros(cited_by.size),
                            where=cited_by > 1)
        first = (adj @ sp.diags_array(np.sqrt(inv_log))).tocsr()
    else:
        first = refs_n
    both = sp.hstack([first, math.sqrt(cocitation_weight) * cits_n], format="csr")
    both.eliminate_zeros()
    both_t = both.T.tocsr()

    found_rows: list[np.ndarray] = []
    found_cols: list[np.ndarray] = []
    for start in range(0, n, BLOCK):
        score = (both[start:min(start + BLOCK, n)] @ both_t).tocsr()
        score.data[score.indices == np.repeat(np.arange(start, start + score.shape[0]),
                                              np.diff(score.indptr))] = 0.0
        score.data[score.data <= min_score] = 0.0
        score.eliminate_zeros()
        rows, cols = _top_per_row(score, per_node)
        found_rows.append(rows + start)
        found_cols.append(cols)

    i, j = np.concatenate(found_rows), np.concatenate(found_cols)
    pairs = np.unique(np.minimum(i, j) * n + np.maximum(i, j))
    lo, hi = pairs // n, pairs % n
    coupling, cocitation = _pair_dots(refs_n, lo, hi), _pair_dots(cits_n, lo, hi)
    aa = _pair_dots(first, lo, hi) if adamic_adar else np.zeros(lo.size)
    weight = (aa if adamic_adar else coupling) + cocitation_weight * cocitation
    shared, co_cited = _pair_dots(adj, lo, hi), _pair_dots(adj_t, lo, hi)
    out.add_edges_from(
        (nodes[a], nodes[b], {
            "weight": w, "coupling": c1, "cocitation": c2, "adamic_adar": c3,
            "shared_references": round(k1), "co_cited_by": round(k2),
        })
        for a, b, w, c1, c2, c3, k1, k2 in zip(
            lo.tolist(), hi.tolist(), weight.tolist(), coupling.tolist(),
            cocitation.tolist(), aa.tolist(), shared.tolist(), co_cited.tolist(), strict=True,
        )
    )
    return out


def similarity_layout(
    sim: nx.Graph,
    communities: Iterable[Iterable[str]] | None = None,
    *,
    seed: int = 0,
    spring_max: int = SPRING_MAX,
) -> dict[str, tuple[float, float]]:
    """Positions in about [-1, 1]² that put similar papers close together.

    Given ``communities`` (the clusters), or above ``spring_max`` (400) papers, the
    communities (one per connected component when none are given) are placed by a spring
    layout of the graph between them and pushed apart until their discs do not overlap, and
    each community's papers sit in its disc (a spring layout of its own when small enough), so
    clusters stay apart and large maps take seconds, not minutes. Otherwise a seeded spring
    layout weighted by similarity. Deterministic for a given ``seed``.
    """
    if communities is None and sim.number_of_nodes() <= spring_max:
        return _spring(sim, seed)
    groups = [sorted(set(c) & set(sim)) for c in (communities or nx.connected_components(sim))]
    covered = {node for members in groups for node in members}
    groups = [members for members in groups if members]
    groups += [[node] for node in sorted(set(sim) - covered)]
    groups.sort(key=lambda c: (-len(c), c[0]))
    where = {node: k for k, members in enumerate(groups) for node in members}
    between = nx.Graph()
    between.add_nodes_from(range(len(groups)))
    for u, v, w in sim.edges(data="weight", default=1.0):
        cu, cv = where[u], where[v]
        if cu != cv:
            old = between.get_edge_data(cu, cv, {"weight": 0.0})["weight"]
            between.add_edge(cu, cv, weight=old + w)
    centres = _spring(between, seed) if len(groups) <= spring_max else _disc(range(len(groups)),
                                                                              seed, 1.0)
    total = sim.number_of_nodes()
    radii = [0.5 * math.sqrt(len(members) / total) for members in groups]
    centres = _apart(centres, radii)
    pos: dict[str, tuple[float, float]] = {}
    for k, members in enumerate(groups):
        radius = radii[k]
        inner = (_spring(sim.subgraph(members), seed + k) if len(members) <= spring_max
                 else _disc(members, seed + k, 1.0))
        cx, cy = centres[k]
        for node, (x, y) in inner.items():
            pos[node] = (cx + radius * x, cy + radius * y)
    return pos


def _apart(centres: Mapping[int, tuple[float, float]], radii: list[float], gap: float = 0.25,
           rounds: int = 200) -> dict[int, tuple[float, float]]:
    """``centres`` moved as little as it takes for discs of ``radii`` (and a ``gap`` of their
    radii) around them not to overlap: overlapping pairs push each other apart, a few hundred
    rounds at most."""
    n = len(radii)
    if n < 2:
        return dict(centres)
    xy = np.array([centres[k] for k in range(n)], dtype=float)
    r = np.array(radii) * (1 + gap)
    need = r[:, None] + r[None, :]
    np.fill_diagonal(need, 0.0)
    ring = np.arange(n) * math.pi * (3 - math.sqrt(5))  # where coincident centres part to
    for _ in range(rounds):
        delta = xy[:, None, :] - xy[None, :, :]
        dist = np.linalg.norm(delta, axis=-1)
        overlap = np.maximum(need - dist, 0.0)
        np.fill_diagonal(overlap, 0.0)
        if not overlap.any():
            break
        same = dist < 1e-9
        delta[same] = np.stack([np.cos(ring), np.sin(ring)], axis=-1)[:, None, :].repeat(
            n, axis=1)[same]
        unit = delta / np.maximum(np.linalg.norm(delta, axis=-1), 1e-9)[..., None]
        xy += 0.5 * np.einsum("ij,ijk->ik", overlap, unit)
    return {k: (float(xy[k, 0]), float(xy[k, 1])) for k in range(n)}


def _spring(g: nx.Graph, seed: int) -> dict[Any, tuple[float, float]]:
    if g.number_of_nodes() == 1:
        return {next(iter(g)): (0.0, 0.0)}
    raw: Mapping[Any, np.ndarray] = nx.spring_layout(g, weight="weight", seed=seed)
    return {node: (float(x), float(y)) for node, (x, y) in raw.items()}


def _disc(nodes: Iterable[Any], seed: int, radius: float) -> dict[Any, tuple[float, float]]:
    items = list(nodes)
    rng = np.random.default_rng(seed)
    r = radius * np.sqrt(rng.random(len(items)))
    angle = rng.random(len(items)) * 2 * math.pi
    return {node: (float(x), float(y))
            for node, x, y in zip(items, r * np.cos(angle), r * np.sin(angle), strict=True)}
