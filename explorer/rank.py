"""Scoring papers of a citation graph against a set of seeds: graph in, scores and reasons out.

Every function here is pure: it reads the graph built by :func:`explorer.graph.build_graph`
(edge = citing -> cited) and returns a new dict or list. ``C(x)`` is the set of in-graph papers
citing ``x``, ``R(x)`` the set of in-graph papers ``x`` cites.

The components of :func:`rank`, and the weights they get by default (:data:`DEFAULT_WEIGHTS`):

============  ======  ========================================================================
component     weight  raw value
============  ======  ========================================================================
seeds         0.30    seeds citing p + seeds p cites (Local Citation Network's two counts)
cocitation    0.15    Salton co-citation with the most similar seed, ``C`` sets
coupling      0.15    Salton bibliographic coupling with the most similar seed, ``R`` sets
pagerank      0.20    personalised PageRank on the undirected graph, restarting on the seeds
citations     0.10    total citation count (S2's; in-graph in-degree when unknown)
influence     0.05    in-graph citations S2 flags as influential
recency       0.05    ``2 ** (-(current_year - year) / 5)``
============  ======  ========================================================================

Each raw value is divided by its maximum over the candidates (the papers that are neither seeds
nor excluded), so each component lies in [0, 1]; citations and PageRank are log-scaled first
(``log1p(x) / log1p(max)``, PageRank taken relative to the uniform ``1/n``), because both are
heavy-tailed. The score is the weighted sum, times 0.8 for papers next to a demoted paper.
The reasons are worded by :mod:`explorer.reasons`.

Everything is computed with sparse matrices against the seeds only (never all pairs), so a graph
of 100,000 citations ranks in well under a second.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import chain
from operator import methodcaller

import networkx as nx
import numpy as np
import scipy.sparse as sp

from explorer.errors import BadInputError
from explorer.graph import relations, seeds_in
from explorer.models import Paper, Ranked
from explorer.reasons import Explainer, central_tops

__all__ = [
    "DEFAULT_WEIGHTS",
    "DEMOTION",
    "RECENCY_HALF_LIFE",
    "citation_score",
    "cocitation",
    "coupling",
    "influence",
    "personalized_pagerank",
    "rank",
    "recency",
    "salton",
    "seed_counts",
]

DEFAULT_WEIGHTS: dict[str, float] = {
    "seeds": 0.30,
    "cocitation": 0.15,
    "coupling": 0.15,
    "pagerank": 0.20,
    "citations": 0.10,
    "influence": 0.05,
    "recency": 0.05,
}
"""Weight of each normalised component in :func:`rank`'s score; they sum to 1."""

DEMOTION = 0.8
"""Factor applied to the score of a neighbour of a demoted ("not relevant") paper."""

RECENCY_HALF_LIFE = 5.0
"""Years after which the recency component halves."""


def salton(a: Collection[object], b: Collection[object]) -> float:
    """Salton's cosine of two sets: ``|a & b| / sqrt(|a| * |b|)``, 0.0 when either is empty.

    Parameters
    ----------
    a, b : Collection
        Two sets (anything convertible to a set).

    Returns
    -------
    float
        In [0, 1]; 1.0 exactly when the sets are equal and non-empty.

    Examples
    --------
    >>> salton({1, 2, 3, 4}, {3, 4, 5})  # 2 / sqrt(4 * 3)
    0.5773502691896258
    >>> salton(set(), {1})
    0.0
    """
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / math.sqrt(len(sa) * len(sb))


# --------------------------------------------------------------------------- sparse internals


@dataclass(frozen=True)
class _Index:
    """The graph as arrays: ``adj[i, j] == 1`` iff ``nodes[i]`` cites ``nodes[j]``."""

    nodes: list[str]
    papers: list[Paper]
    adj: sp.csr_array
    influential: np.ndarray  # per stored entry of adj: the citation is flagged influential
    seeds: np.ndarray  # positions of the seeds in nodes
    is_seed: np.ndarray  # bool per node

    @property
    def n(self) -> int:
        return len(self.nodes)


def _index(g: nx.DiGraph, seeds: Iterable[str]) -> _Index:
    # networkx's own algorithms read the plain dicts behind the views (several times faster);
    # graph views (g.subgraph(...)) have filtered mappings there instead, copied here.
    succ: dict[str, dict[str, dict[str, object]]] = g._succ
    node_data: dict[str, dict[str, object]] = g._node
    if type(succ) is not dict or type(node_data) is not dict:
        succ = {u: dict(nbrs) for u, nbrs in g.succ.items()}
        node_data = dict(g.nodes(data=True))
    nodes = list(node_data)
    pos = {node: i for i, node in enumerate(nodes)}
    n, m = len(nodes), sum(map(len, succ.values()))
    indices = np.fromiter(map(pos.__getitem__, chain.from_iterable(succ.values())), np.int64, m)
    attrs = chain.from_iterable(map(dict.values, succ.values()))
    flags = np.fromiter(map(methodcaller("get", "is_influential"), attrs), bool, m)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.fromiter((len(nbrs) for nbrs in succ.values()), np.int64, n), out=indptr[1:])
    adj = sp.csr_array((np.ones(m), indices, indptr), shape=(n, n))
    seed_pos = np.array([pos[s] for s in seeds_in(g, seeds)], np.int64)
    is_seed = np.zeros(n, bool)
    is_seed[seed_pos] = True
    papers = [
        p if isinstance(p := data.get("paper"), Paper) else Paper(paper_id=str(node))
        for node, data in node_data.items()
    ]
    return _Index(nodes, papers, adj, flags, seed_pos, is_seed)


def _seed_counts(ix: _Index) -> tuple[np.ndarray, np.ndarray]:
    s = ix.is_seed.astype(float)
    cited_by = ix.adj.T @ s  # seeds citing p
    cites = ix.adj @ s  # seeds p cites
    return cited_by.round().astype(np.int64), cites.round().astype(np.int64)


def _overlap(sets: sp.csr_array, ix: _Index) -> tuple[np.ndarray, np.ndarray]:
    """Salton similarity with the closest seed, and the union count, for rows of ``sets``.

    Row x of ``sets`` is the indicator of a set attached to x (C(x) or R(x)). Returns, per
    node p, ``max over seeds s != p of |S(p) & S(s)| / sqrt(|S(p)| |S(s)|)`` and the number of
    members of S(p) that are in S(s) for some seed s != p.
    """
    n = ix.n
    best = np.zeros(n)
    if ix.seeds.size == 0 or n == 0:
        return best, np.zeros(n, np.int64)
    size = np.asarray(sets.sum(axis=1)).ravel()
    seed_rows = sets[ix.seeds]  # k x n
    shared = (sets @ seed_rows.T).tocoo()  # n x k: |S(p) & S(s)|
    rows, cols, vals = shared.row, shared.col, shared.data
    seed_of = ix.seeds[cols]
    keep = (rows != seed_of) & (vals > 0)
    rows, seed_of, vals = rows[keep], seed_of[keep], vals[keep]
    if rows.size:
        sim = vals / np.sqrt(size[rows] * size[seed_of])
        np.maximum.at(best, rows, sim)
    # members of S(p) lying in some seed's set: in >= 1 seed set, or >= 2 when p is a seed
    # (p's own set then counts once and must not).
    membership = np.asarray(seed_rows.sum(axis=0)).ravel()
    union_any = sets @ (membership >= 1).astype(float)
    union_other = sets @ (membership >= 2).astype(float)
    union = np.where(ix.is_seed, union_other, union_any)
    return best, union.round().astype(np.int64)


def _cocitation(ix: _Index) -> tuple[np.ndarray, np.ndarray]:
    return _overlap(ix.adj.T.tocsr(), ix)


def _coupling(ix: _Index) -> tuple[np.ndarray, np.ndarray]:
    return _overlap(ix.adj, ix)


def _pagerank(ix: _Index, alpha: float, tol: float = 1e-10, max_iter: int = 1000) -> np.ndarray:
    n = ix.n
    if n == 0:
        return np.zeros(0)
    und = (ix.adj + ix.adj.T).tocsr()
    und.data[:] = 1.0  # a mutual citation is one undirected edge
    degree = np.asarray(und.sum(axis=1)).ravel()
    dangling = degree == 0
    inv_degree = np.divide(1.0, degree, out=np.zeros(n), where=~dangling)
    if ix.seeds.size:
        restart = ix.is_seed / ix.is_seed.sum()
    else:
        restart = np.full(n, 1.0 / n)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        x = alpha * (und @ (x * inv_degree) + x[dangling].sum() * restart) + (1 - alpha) * restart
        if np.abs(x - previous).sum() < tol:
            break
    return x


def _influence(ix: _Index) -> np.ndarray:
    return np.bincount(ix.adj.indices[ix.influential], minlength=ix.n)


def _citation_counts(ix: _Index) -> np.ndarray:
    in_degree = np.asarray(ix.adj.sum(axis=0)).ravel()
    known = np.fromiter(
        (c if (c := p.citation_count) is not None else -1 for p in ix.papers), np.int64, ix.n
    )
    return np.where(known >= 0, known, in_degree).astype(np.int64)


def _years(ix: _Index) -> np.ndarray:
    """Publication year per node, 0 when unknown."""
    return np.fromiter((p.year or 0 for p in ix.papers), np.int64, ix.n)


def _recency(years: np.ndarray, current_year: int, half_life: float) -> np.ndarray:
    age = np.maximum(current_year - years, 0)
    return np.where(years > 0, 2.0 ** (-age / half_life), 0.0)


def _log_share(values: np.ndarray, top: float) -> np.ndarray:
    if top <= 0:
        return np.zeros_like(values, dtype=float)
    return np.log1p(values) / math.log1p(top)


# --------------------------------------------------------------------------- public per-signal


def seed_counts(g: nx.DiGraph, seeds: Iterable[str]) -> dict[str, tuple[int, int]]:
    """How many seeds cite each paper, and how many seeds each paper cites.

    Parameters
    ----------
    g : networkx.DiGraph
        Citation graph, edge = citing -> cited.
    seeds : Iterable[str]
        Seed ids; those not in ``g`` are ignored.

    Returns
    -------
    dict[str, tuple[int, int]]
        For every node, ``(cited by k seeds, cites k seeds)``.

    Examples
    --------
    >>> g = nx.DiGraph([("s1", "p"), ("s2", "p"), ("p", "s2")])
    >>> seed_counts(g, ["s1", "s2"])["p"]
    (2, 1)
    """
    ix = _index(g, seeds)
    cited_by, cites = _seed_counts(ix)
    return {
        node: (a, b) for node, a, b in zip(ix.nodes, cited_by.tolist(), cites.tolist(), strict=True)
    }


def cocitation(g: nx.DiGraph, seeds: Iterable[str]) -> dict[str, tuple[float, int]]:
    """Co-citation of each paper with the seeds.

    Parameters
    ----------
    g : networkx.DiGraph
        Citation graph, edge = citing -> cited.
    seeds : Iterable[str]
        Seed ids; those not in ``g`` are ignored.

    Returns
    -------
    dict[str, tuple[float, int]]
        For every node p, ``(max over seeds s != p of |C(p) & C(s)| / sqrt(|C(p)| |C(s)|),
        number of papers citing p together with at least one seed other than p)``.

    References
    ----------
    H. Small, "Co-citation in the scientific literature", JASIS 24(4), 1973;
    G. Salton and M. McGill, *Introduction to Modern Information Retrieval*, 1983.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "s"), ("a", "p"), ("b", "s"), ("b", "p"), ("c", "p")])
    >>> sim, count = cocitation(g, ["s"])["p"]  # C(p) = {a, b, c}, C(s) = {a, b}
    >>> round(sim, 4), count  # 2 / sqrt(3 * 2); a and b cite p with the seed
    (0.8165, 2)
    """
    ix = _index(g, seeds)
    return _as_pairs(ix, *_cocitation(ix))


def coupling(g: nx.DiGraph, seeds: Iterable[str]) -> dict[str, tuple[float, int]]:
    """Bibliographic coupling of each paper with the seeds.

    Parameters
    ----------
    g : networkx.DiGraph
        Citation graph, edge = citing -> cited.
    seeds : Iterable[str]
        Seed ids; those not in ``g`` are ignored.

    Returns
    -------
    dict[str, tuple[float, int]]
        For every node p, ``(max over seeds s != p of |R(p) & R(s)| / sqrt(|R(p)| |R(s)|),
        number of p's references also cited by at least one seed other than p)``.

    References
    ----------
    M. M. Kessler, "Bibliographic coupling between scientific papers", American Documentation
    14(1), 1963.

    Examples
    --------
    >>> g = nx.DiGraph([("s", "x"), ("s", "y"), ("p", "x"), ("p", "y"), ("p", "z")])
    >>> sim, count = coupling(g, ["s"])["p"]  # R(p) = {x, y, z}, R(s) = {x, y}
    >>> round(sim, 4), count  # 2 / sqrt(3 * 2); x and y are shared
    (0.8165, 2)
    """
    ix = _index(g, seeds)
    return _as_pairs(ix, *_coupling(ix))


def _as_pairs(ix: _Index, sim: np.ndarray, count: np.ndarray) -> dict[str, tuple[float, int]]:
    return {node: (s, c) for node, s, c in zip(ix.nodes, sim.tolist(), count.tolist(), strict=True)}


def personalized_pagerank(
    g: nx.DiGraph,
    seeds: Iterable[str],
    alpha: float = 0.85,
    *,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> dict[str, float]:
    """PageRank on the undirected citation graph, restarting uniformly on the seeds.

    Parameters
    ----------
    g : networkx.DiGraph
        Citation graph; direction is ignored and a mutual citation counts as one edge.
    seeds : Iterable[str]
        Seed ids; those not in ``g`` are ignored. Without any, the restart is uniform (plain
        PageRank).
    alpha : float
        Probability of following an edge rather than restarting.
    tol : float
        Stop when the L1 change of an iteration falls below this.
    max_iter : int
        Upper bound on power iterations.

    Returns
    -------
    dict[str, float]
        Stationary probability per node; the values sum to 1. Isolated nodes jump to the
        seeds, as in :func:`networkx.pagerank` with ``dangling=None``.

    References
    ----------
    T. Haveliwala, "Topic-sensitive PageRank", WWW 2002. The same fixed point as
    ``nx.pagerank(g.to_undirected(), alpha, personalization={s: 1 for s in seeds})``,
    computed by scipy sparse power iteration.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "s"), ("s", "b")])
    >>> pr = personalized_pagerank(g, ["s"])
    >>> round(pr["s"], 4), round(pr["a"], 4)
    (0.5405, 0.2297)
    """
    ix = _index(g, seeds)
    return dict(zip(ix.nodes, _pagerank(ix, alpha, tol, max_iter).tolist(), strict=True))


def influence(g: nx.DiGraph) -> dict[str, int]:
    """Number of in-graph citations of each paper that S2 flags as influential.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "p", is_influential=True)
    >>> g.add_edge("b", "p", is_influential=None)
    >>> influence(g)
    {'a': 0, 'p': 1, 'b': 0}
    """
    ix = _index(g, ())
    return dict(zip(ix.nodes, _influence(ix).tolist(), strict=True))


def citation_score(g: nx.DiGraph) -> dict[str, float]:
    """Citation count, log-scaled: ``log1p(count) / log1p(max count in g)``.

    The count is the paper's ``citation_count`` (S2's total), or its in-graph in-degree when
    that is unknown.

    Examples
    --------
    >>> from explorer.models import Paper
    >>> g = nx.DiGraph()
    >>> g.add_node("a", paper=Paper("a", citation_count=99))
    >>> g.add_node("b", paper=Paper("b", citation_count=9))
    >>> citation_score(g)  # log(10) / log(100)
    {'a': 1.0, 'b': 0.5}
    """
    ix = _index(g, ())
    counts = _citation_counts(ix)
    top = float(counts.max()) if ix.n else 0.0
    return dict(zip(ix.nodes, _log_share(counts, top).tolist(), strict=True))


def recency(
    g: nx.DiGraph, current_year: int | None = None, half_life: float = RECENCY_HALF_LIFE
) -> dict[str, float]:
    """``2 ** (-(current_year - year) / half_life)`` per paper; 0.0 when the year is unknown.

    Papers dated after ``current_year`` (default: this year) count as this year's.

    Examples
    --------
    >>> from explorer.models import Paper
    >>> g = nx.DiGraph()
    >>> g.add_node("a", paper=Paper("a", year=2015))
    >>> g.add_node("b", paper=Paper("b"))
    >>> recency(g, current_year=2025)
    {'a': 0.25, 'b': 0.0}
    """
    ix = _index(g, ())
    year_now = current_year if current_year is not None else date.today().year
    values = _recency(_years(ix), year_now, half_life)
    return dict(zip(ix.nodes, values.tolist(), strict=True))


# --------------------------------------------------------------------------- rank


def _check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    if weights is None:
        return dict(DEFAULT_WEIGHTS)
    unknown = sorted(set(weights) - set(DEFAULT_WEIGHTS))
    if unknown:
        raise BadInputError(
            f"unknown ranking weight(s) {', '.join(unknown)}: use {', '.join(DEFAULT_WEIGHTS)}"
        )
    return {name: float(weights.get(name, 0.0)) for name in DEFAULT_WEIGHTS}


def _top(values: np.ndarray, mask: np.ndarray) -> float:
    """The largest of ``values`` under ``mask``, 0.0 when the mask is empty."""
    return float(values[mask].max()) if mask.any() else 0.0


def _share(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    top = _top(values, mask)
    if top <= 0:
        return np.zeros(values.shape)
    return np.clip(values / top, 0.0, 1.0)


def _log_share_of(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """:func:`_log_share` against the top under ``mask``, clipped to [0, 1]."""
    return np.clip(_log_share(values, _top(values, mask)), 0.0, 1.0)


def rank(
    g: nx.DiGraph,
    seeds: Iterable[str],
    *,
    weights: Mapping[str, float] | None = None,
    current_year: int | None = None,
    exclude: Collection[str] = (),
    demote: Collection[str] = (),
    limit: int | None = None,
) -> list[Ranked]:
    """Rank every paper of the graph by relevance to the seeds, with reasons.

    Parameters
    ----------
    g : networkx.DiGraph
        Citation graph from :func:`explorer.graph.build_graph`.
    seeds : Iterable[str]
        Seed ids; those not in ``g`` are ignored.
    weights : Mapping[str, float], optional
        Weight per component (keys of :data:`DEFAULT_WEIGHTS`; a missing key weighs 0).
        Default :data:`DEFAULT_WEIGHTS`.
    current_year : int, optional
        Year the recency is measured from; default this year.
    exclude : Collection[str]
        Ids left out of the result (papers marked not relevant). They still shape the
        graph signals of the others.
    demote : Collection[str]
        Ids whose neighbours (citing or cited, seeds aside) get their score times
        :data:`DEMOTION`.
    limit : int, optional
        Return only the first ``limit`` papers (the scores are the same).

    Returns
    -------
    list[Ranked]
        Seeds first, then the others; each part by score descending, ties by paper id.
        ``rank`` is 1-based. ``components`` holds the normalised components under the keys of
        :data:`DEFAULT_WEIGHTS` and the raw values under ``cited_by_seeds``,
        ``cites_seeds``, ``cocitation_salton``, ``cocitation_count``, ``coupling_salton``,
        ``coupling_count``, ``pagerank_raw``, ``citation_count``, ``influential_citations``,
        ``year`` (0 when unknown) and ``demotion`` (1.0 or the demotion factor).
        ``reasons`` are plain sentences for the non-trivial components, largest contribution
        first (``"seed"`` leads for seeds).

    Raises
    ------
    BadInputError
        When ``weights`` names an unknown component.

    Examples
    --------
    >>> g = nx.DiGraph([("s", "r"), ("c", "s"), ("c", "r")])
    >>> [(r.paper.paper_id, r.relation, r.reasons[0]) for r in rank(g, ["s"], current_year=2025)]
    [('s', 'seed', 'seed'), ('r', 'reference', 'cited by the seed'), ('c', 'citation', \
'cites the seed')]
    """
    w = _check_weights(weights)
    year_now = current_year if current_year is not None else date.today().year
    ix = _index(g, seeds)
    n = ix.n
    if n == 0:
        return []
    excluded = (
        np.fromiter((node in exclude for node in ix.nodes), bool, n)
        if exclude
        else (np.zeros(n, bool))
    )
    kept = ~excluded
    candidates = kept & ~ix.is_seed
    mask = candidates if candidates.any() else kept

    cited_by, cites = _seed_counts(ix)
    co_sim, co_count = _cocitation(ix)
    cp_sim, cp_count = _coupling(ix)
    pr = _pagerank(ix, 0.85)
    infl = _influence(ix)
    cites_total = _citation_counts(ix)
    years = _years(ix)

    pr_rel = pr * n  # relative to uniform, so log1p is scale-free
    norm = {
        "seeds": _share((cited_by + cites).astype(float), mask),
        "cocitation": _share(co_sim, mask),
        "coupling": _share(cp_sim, mask),
        "pagerank": _log_share_of(pr_rel, mask),
        "citations": _log_share_of(cites_total, mask),
        "influence": _share(infl.astype(float), mask),
        "recency": _share(_recency(years, year_now, RECENCY_HALF_LIFE), mask),
    }
    score = sum((w[name] * values for name, values in norm.items()), np.zeros(n))

    demotion = np.ones(n)
    if demote:
        near = {nb for d in demote if d in g for nb in nx.all_neighbors(g, d)}
        near_mask = np.fromiter((node in near for node in ix.nodes), bool, n) & ~ix.is_seed
        demotion[near_mask] = DEMOTION
        score = score * demotion

    ids = np.array(ix.nodes, dtype=str)
    order = np.lexsort((ids, -score, ~ix.is_seed))
    order = order[kept[order]]
    if limit is not None:
        order = order[: max(limit, 0)]

    raw = {
        "cited_by_seeds": cited_by,
        "cites_seeds": cites,
        "cocitation_salton": co_sim,
        "cocitation_count": co_count,
        "coupling_salton": cp_sim,
        "coupling_count": cp_count,
        "pagerank_raw": pr,
        "citation_count": cites_total,
        "influential_citations": infl,
        "year": years,
        "demotion": demotion,
    }
    keys = [*norm, *raw]
    columns = [values[order].astype(float).tolist() for values in (*norm.values(), *raw.values())]
    central = central_tops(pr, candidates)
    rel = relations(g, (ix.nodes[i] for i in ix.seeds))
    explain = Explainer(w, int(ix.seeds.size), year_now)

    out: list[Ranked] = []
    for position, (i, total, row) in enumerate(
        zip(order.tolist(), score[order].tolist(), zip(*columns, strict=True), strict=True), start=1
    ):
        comps = dict(zip(keys, row, strict=True))
        is_seed = bool(ix.is_seed[i])
        out.append(
            Ranked(
                paper=ix.papers[i],
                score=total,
                relation=rel[ix.nodes[i]],
                reasons=explain(comps, is_seed, central.get(i)),
                components=comps,
                rank=position,
            )
        )
    return out
