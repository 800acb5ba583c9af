"""Scoring papers of a citation graph against a set of seeds: graph in, scores and reasons out.

Every function here is pure: it reads the graph built by :func:`explorer.graph.build_graph`
(edge = citing -> cited) and returns a new dict or list. ``C(x)`` is the set of in-graph papers
citing ``x``, ``R(x)`` the set of in-graph papers ``x`` cites.

:func:`rank` scores each paper with a logistic model over the evidence that ties it to the
seeds: ``score = 1 / (1 + exp(-(INTERCEPT + sum of weight * component)))``, times
:data:`DEMOTION` next to a paper marked not relevant. The components (:data:`DEFAULT_WEIGHTS`
holds their weights):

================  ====================================================================
component         value
================  ====================================================================
cited_by          ``log1p``: seeds citing p (Local Citation Network's first count)
cites             ``log1p``: seeds p cites (its second)
cocitation        ``log1p``: papers citing p with a seed, summed over seeds (CoCites)
cocitation_aa     ``log1p``: the same, each co-citing paper weighing ``1/log(2 + refs)``
cocitation_share  the co-citation count over ``sqrt`` of p's citation count
siblings          ``log1p``: votes of p's citers, growing with the cube of the number of
                  seeds each cites (:mod:`explorer.analysis.evidence`)
votes             ``log1p(votes) / log1p(top votes among the candidates)``: co-citation
                  votes with each seed's weight shared by its citers and a citer's vote
                  growing with the square of the seeds it cites
                  (:mod:`explorer.analysis.evidence`); a share, so it reads the same on
                  graphs of any density
seeds_cocited     how many seeds p is co-cited with
coupling          ``log1p``: references p shares with a seed, summed (Kessler's coupling)
coupling_aa       ``log1p``: the same, each shared reference weighing ``1/log(2 + citers)``
pagerank          ``log1p(n * PageRank)``, personalised on the seeds, undirected
citations         ``log1p``: total citation count (S2's; in-graph in-degree when unknown)
in_graph          ``log1p``: citations from papers of the graph
era               ``exp(-|year - median seed year| / 5)``; 0 when the year is unknown
recency           ``2 ** (-(current_year - year) / 5)``
similarity        TF-IDF cosine of title and abstract with the seeds'
                  (:mod:`explorer.analysis.textsim`)
influence         ``log1p``: citations between p and the seeds S2 flags influential, both ways
intents           ``log1p``: citations between p and the seeds with a methodology or result
                  intent, both ways
reading_list      ``log1p``: citations between p and papers marked read or to read, both ways
semantic          cosine of p's SPECTER vector with the mean of the seeds' (unit) vectors,
                  less the candidates' mean; 0 (neutral) when p or every seed has none
                  (:func:`semantic_similarity`)
recommended       share of the seeds S2's recommender proposed p for
================  ====================================================================

The weights are fitted, not chosen: ``bench/fit_ranking.py`` runs the default walk for the
tuning half of ``bench/ranking.py``'s hide-a-paper queries and fits a logistic regression
(papers the hidden paper cites against the other candidates) on the components, which is the
model :func:`rank` computes. ``influence`` and ``intents`` are priors, not fitted: the
development corpus carries neither flags nor intents. Papers on the reading list marked read or
to read are weak seeds: they count :data:`WEAK_SEED` of a seed in the shared evidence
(co-citation, coupling, siblings) and the PageRank restart, and a direct link to one is the
``reading_list`` component, a prior like ``influence``: ``cited_by`` and ``cites`` count the
seeds alone, since their fitted weights are negative and would turn a read mark against the
papers it links to. The reasons (:mod:`explorer.analysis.reasons`) word the components
with a positive weight, largest contribution first.

Everything is computed with sparse matrices against the seeds only (never all pairs), so a graph
of 100,000 citations ranks in well under a second.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain, compress
from operator import itemgetter, methodcaller
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import scipy.sparse as sp

from explorer.analysis.evidence import between_seeds, link_evidence, seeds_cocited
from explorer.analysis.reasons import Explainer, central_tops
from explorer.errors import BadInputError
from explorer.graph import relations, seeds_in
from explorer.models import ComponentRow, Paper, Ranked

if TYPE_CHECKING:
    from explorer.analysis.textsim import VectorCache

__all__ = [
    "DEFAULT_WEIGHTS",
    "DEMOTION",
    "ERA_SCALE",
    "INTERCEPT",
    "RECENCY_HALF_LIFE",
    "WEAK_SEED",
    "citation_score",
    "cocitation",
    "coupling",
    "influence",
    "personalized_pagerank",
    "rank",
    "recency",
    "salton",
    "seed_counts",
    "semantic_similarity",
]

DEFAULT_WEIGHTS: dict[str, float] = {
    "cited_by": -0.363,
    "cites": -0.694,
    "cocitation": 0.853,
    "cocitation_aa": -0.921,
    "cocitation_share": 0.255,
    "siblings": -0.484,
    "votes": 1.885,
    "seeds_cocited": 0.506,
    "coupling": 0.001,
    "coupling_aa": 0.74,
    "pagerank": 1.449,
    "citations": 0.37,
    "in_graph": -0.48,
    "era": 1.521,
    "recency": 0.0,
    "similarity": 6.719,
    "influence": 0.5,
    "intents": 0.5,
    "semantic": 0.5,
    "recommended": 3.0,
    "reading_list": 0.5,
}
"""Weight of each component in :func:`rank`'s logistic score (see the module docstring).

Fitted by ``bench/fit_ranking.py`` on the tuning half of ``bench/ranking.py`` (100 queries of
the ACL Anthology Network; ``.venv/bin/python bench/fit_ranking.py`` prints exactly these
numbers). The fit spreads the weight over correlated components, so a
negative weight (``cocitation_aa``, ``cites``) corrects a neighbour that counts the same
evidence (``cocitation``, ``pagerank``). Not fitted: ``recency`` (0: its values depend on the
year the benchmark runs, and the protocol favours older papers by construction), ``influence``
and ``intents`` (priors of about a direct link's worth: the corpus flags no citation),
``recommended`` (a prior: the corpus has no recommender) and ``semantic``: the corpus has no
SPECTER vectors, so ``bench/ranking.py``'s semantic option gives it stand-in title vectors
(TF-IDF + SVD); 0.5 was the best of 0.5, 1, 2 and 4 on the tuning half (recall@20 1.014x,
p = 0.18) and gives 1.017x on the validation half (8 wins, 3 losses, p = 0.09): a small gain, not a
significant one, and 4 loses (0.93x). Without vectors the component is 0 and the ranking is
the same as without it."""

INTERCEPT = -7.184
"""The fitted model's intercept: the score of a paper with no evidence at all."""

WEAK_SEED = 0.5
"""Weight of a paper marked read or to read in the link evidence, against 1.0 for a seed."""

ERA_SCALE = 5.0
"""Years over which the era component falls by a factor e."""

DEMOTION = 0.8
"""Factor applied to the score of a neighbour of a demoted ("not relevant") paper."""

RECENCY_HALF_LIFE = 5.0
"""Years after which the recency component halves."""

PURPOSES = frozenset({"methodology", "result"})
"""S2 citation intents that say the citing paper uses or compares with the cited one."""


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
    purposeful: np.ndarray  # per stored entry of adj: a methodology or result intent
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
    attrs = list(chain.from_iterable(map(dict.values, succ.values())))
    try:  # read directly: every citation of a graph built from the store has both
        flags = np.fromiter(map(itemgetter("is_influential"), attrs), bool, m)
        intents = list(map(itemgetter("intents"), attrs))
    except KeyError:
        flags = np.fromiter(map(methodcaller("get", "is_influential"), attrs), bool, m)
        intents = list(map(methodcaller("get", "intents"), attrs))
    purposeful = _purposeful(intents)
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
    return _Index(nodes, papers, adj, flags, purposeful, seed_pos, is_seed)


def _purposeful(intents: list[object]) -> np.ndarray:
    """Per citation: do its intents include one of :data:`PURPOSES`? (Most have none.)"""
    out = np.zeros(len(intents), bool)
    for i in compress(range(len(intents)), intents):
        tags = intents[i]
        out[i] = isinstance(tags, tuple | list) and not PURPOSES.isdisjoint(tags)
    return out


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


def _pagerank(ix: _Index, alpha: float, tol: float = 1e-10, max_iter: int = 1000,
              weights: np.ndarray | None = None) -> np.ndarray:
    n = ix.n
    if n == 0:
        return np.zeros(0)
    und = (ix.adj + ix.adj.T).tocsr()
    und.data[:] = 1.0  # a mutual citation is one undirected edge
    degree = np.asarray(und.sum(axis=1)).ravel()
    dangling = degree == 0
    inv_degree = np.divide(1.0, degree, out=np.zeros(n), where=~dangling)
    if weights is not None and weights.sum() > 0:
        restart = weights / weights.sum()
    elif ix.seeds.size:
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


def _log_share_of(values: np.ndarray, mask: np.ndarray,
                  tops: np.ndarray | None = None) -> np.ndarray:
    """:func:`_log_share` against the top of ``tops`` (default ``values``) under ``mask``,
    clipped to [0, 1]."""
    return np.clip(_log_share(values, _top(values if tops is None else tops, mask)), 0.0, 1.0)


def _flag_matrix(ix: _Index, flags: np.ndarray) -> sp.csr_array:
    """The citations carrying a flag, as a matrix shaped like ``ix.adj``."""
    return sp.csr_array((flags.astype(float), ix.adj.indices, ix.adj.indptr), shape=ix.adj.shape)


def _era(years: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    known = years[seeds][years[seeds] > 0]
    if not known.size:
        return np.zeros(years.shape)
    centre = float(np.median(known))
    return np.where(years > 0, np.exp(-np.abs(years - centre) / ERA_SCALE), 0.0)


def semantic_similarity(
    nodes: Sequence[str], seeds: Sequence[int], embeddings: Mapping[str, np.ndarray],
    candidates: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each paper's cosine with the seeds' centroid, centred on the candidates' mean.

    Parameters
    ----------
    nodes : Sequence[str]
        Paper ids.
    seeds : Sequence[int]
        Positions of the seeds in ``nodes``.
    embeddings : Mapping[str, numpy.ndarray]
        A vector per paper id (SPECTER's); papers without one are left out.
    candidates : numpy.ndarray, optional
        Bool per node: the papers whose mean cosine is the neutral point (default all).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        The centred component (0 for a paper without a vector, or everywhere when no seed
        has one) and the raw cosine (0 without a vector).

    Examples
    --------
    >>> e = {"s": np.array([1.0, 0.0]), "a": np.array([1.0, 1.0]), "b": np.array([0.0, 1.0])}
    >>> comp, cos = semantic_similarity(["s", "a", "b", "c"], [0], e)
    >>> [round(float(x), 3) for x in cos], [round(float(x), 3) for x in comp]
    ([1.0, 0.707, 0.0, 0.0], [0.431, 0.138, -0.569, 0.0])
    """
    n = len(nodes)
    comp, cos = np.zeros(n), np.zeros(n)
    seed_vecs = [embeddings[nodes[i]] for i in seeds if nodes[i] in embeddings]
    if not seed_vecs:
        return comp, cos
    dim = seed_vecs[0].shape[0]
    seed_vecs = [v for v in seed_vecs if v.shape[0] == dim]
    rows = [i for i, node in enumerate(nodes)
            if (v := embeddings.get(node)) is not None and v.shape[0] == dim]
    if not rows:
        return comp, cos
    matrix = np.vstack([embeddings[nodes[i]] for i in rows]).astype(np.float64)
    norms = np.linalg.norm(matrix, axis=1)
    matrix /= np.where(norms > 0, norms, 1.0)[:, None]
    centre = np.mean([v / (np.linalg.norm(v) or 1.0) for v in seed_vecs], axis=0)
    centre = centre / (np.linalg.norm(centre) or 1.0)
    cos[rows] = matrix @ centre
    has = np.zeros(n, bool)
    has[rows] = True
    pool = has & (np.ones(n, bool) if candidates is None else candidates)
    neutral = float(cos[pool].mean()) if pool.any() else float(cos[has].mean())
    comp[has] = cos[has] - neutral
    return comp, cos


def _components(
    ix: _Index, weak: np.ndarray, year_now: int,
    embeddings: Mapping[str, np.ndarray] | None = None,
    recommended: Mapping[str, int] | None = None,
    text_cache: VectorCache | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The model's components (keys of DEFAULT_WEIGHTS) and the raw numbers behind them."""
    from explorer.analysis.textsim import paper_text, seed_similarity

    s = ix.is_seed.astype(float) + WEAK_SEED * weak
    ev = link_evidence(ix.adj, s)
    # The top is the seeds' alone, so a paper marked read only ever adds to others' votes.
    top_votes = (link_evidence(ix.adj, ix.is_seed.astype(float))["votes"]
                 if weak.any() else ev["votes"])
    cited_by, cites = _seed_counts(ix)
    co_sim, co_count = _cocitation(ix)
    cp_sim, cp_count = _coupling(ix)
    pr = _pagerank(ix, 0.85, weights=s)
    cites_total = _citation_counts(ix)
    years = _years(ix)
    infl = between_seeds(_flag_matrix(ix, ix.influential), s)
    purposeful = between_seeds(_flag_matrix(ix, ix.purposeful), s)
    similarity = seed_similarity([paper_text(p) for p in ix.papers], ix.seeds.tolist(),
                                 text_cache)
    links_weak = (ix.adj + ix.adj.T) @ weak.astype(float)
    semantic, cosine = semantic_similarity(ix.nodes, ix.seeds.tolist(), embeddings or {},
                                           ~ix.is_seed)
    votes = np.array([(recommended or {}).get(node, 0) for node in ix.nodes], float)
    norm = {
        "cited_by": np.log1p(cited_by),
        "cites": np.log1p(cites),
        "cocitation": np.log1p(ev["cocited"]),
        "cocitation_aa": np.log1p(ev["cocited_aa"]),
        "cocitation_share": ev["cocited"] / np.sqrt(np.maximum(cites_total, 1)),
        "siblings": np.log1p(ev["siblings"]),
        "votes": _log_share_of(ev["votes"], ~ix.is_seed, top_votes),
        "seeds_cocited": seeds_cocited(ix.adj, ix.seeds),
        "coupling": np.log1p(ev["coupled"]),
        "coupling_aa": np.log1p(ev["coupled_aa"]),
        "pagerank": np.log1p(pr * ix.n),
        "citations": np.log1p(cites_total),
        "in_graph": np.log1p(ev["in_graph"]),
        "era": _era(years, ix.seeds),
        "recency": _recency(years, year_now, RECENCY_HALF_LIFE),
        "similarity": similarity,
        "influence": np.log1p(infl),
        "intents": np.log1p(purposeful),
        "semantic": semantic,
        "recommended": votes / max(int(ix.seeds.size), 1),
        "reading_list": np.log1p(links_weak),
    }
    raw = {
        "cited_by_seeds": cited_by,
        "cites_seeds": cites,
        "cocitation_salton": co_sim,
        "cocitation_count": co_count,
        "sibling_count": ev["sibling_count"],
        "votes_raw": ev["votes"],
        "coupling_salton": cp_sim,
        "coupling_count": cp_count,
        "pagerank_raw": pr,
        "citation_count": cites_total,
        "in_graph_citations": ev["in_graph"],
        "influential_links": infl,
        "intent_links": purposeful,
        "reading_list_links": links_weak,
        "year": years,
        "semantic_cosine": cosine,
        "recommended_for": votes,
    }
    return norm, raw


def rank(
    g: nx.DiGraph,
    seeds: Iterable[str],
    *,
    weights: Mapping[str, float] | None = None,
    current_year: int | None = None,
    exclude: Collection[str] = (),
    demote: Collection[str] = (),
    weak_seeds: Collection[str] = (),
    limit: int | None = None,
    seed_noun: str = "seeds",
    embeddings: Mapping[str, np.ndarray] | None = None,
    recommended: Mapping[str, int] | None = None,
    text_cache: VectorCache | None = None,
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
    weak_seeds : Collection[str]
        Ids that count :data:`WEAK_SEED` of a seed in the link evidence and the PageRank
        restart (papers marked read or to read); they are still ranked.
    limit : int, optional
        Return only the first ``limit`` papers (the scores are the same).
    seed_noun : str
        How the reasons name the seeds: one of :data:`explorer.analysis.reasons.SEED_NOUNS`
        (``"references"`` for a survey's references).
    embeddings : Mapping[str, numpy.ndarray], optional
        SPECTER vectors by paper id, for the ``semantic`` component; without them (or
        without a seed among them) it is 0 everywhere and the ranking is as without.
    recommended : Mapping[str, int], optional
        How many seeds S2's recommender proposed each paper for (``recommended``).
    text_cache : VectorCache, optional
        Where the ``similarity`` component's values are kept between runs (the store); the
        ranking is the same with or without.

    Returns
    -------
    list[Ranked]
        Seeds first, then the others; each part by score descending, ties by paper id.
        ``rank`` is 1-based. ``components`` holds the model's components under the keys of
        :data:`DEFAULT_WEIGHTS` and the raw numbers under ``cited_by_seeds``,
        ``cites_seeds``, ``cocitation_salton``, ``cocitation_count``, ``sibling_count``,
        ``votes_raw``, ``coupling_salton``, ``coupling_count``, ``pagerank_raw``,
        ``citation_count``, ``in_graph_citations``, ``influential_links``, ``intent_links``,
        ``reading_list_links``, ``year`` (0 when unknown), ``semantic_cosine``,
        ``recommended_for`` and ``demotion`` (1.0 or the
        demotion factor). ``reasons`` are plain sentences for the components that raise the
        score, largest contribution first (``"seed"`` leads for seeds).

    Raises
    ------
    BadInputError
        When ``weights`` names an unknown component, or ``seed_noun`` is not one of
        :data:`explorer.analysis.reasons.SEED_NOUNS`.

    Examples
    --------
    >>> g = nx.DiGraph([("s", "r"), ("c", "s"), ("c", "r")])
    >>> [(r.paper.paper_id, r.relation, r.reasons) for r in rank(g, ["s"], current_year=2025)]
    [('s', 'seed', ('seed',)), ('r', 'reference', ('co-cited with the seed by 1 paper',)), \
('c', 'citation', ('shares 1 reference with the seed',))]
    """
    w = _check_weights(weights)
    year_now = current_year if current_year is not None else date.today().year
    ix = _index(g, seeds)
    n = ix.n
    if n == 0:
        return []
    excluded = _member(ix, exclude)
    kept = ~excluded
    candidates = kept & ~ix.is_seed
    weak = _member(ix, weak_seeds) & candidates

    norm, raw = _components(ix, weak, year_now, embeddings, recommended, text_cache)
    logit = INTERCEPT + sum((w[name] * values for name, values in norm.items()), np.zeros(n))
    score = 1.0 / (1.0 + np.exp(-logit))

    demotion = np.ones(n)
    if demote:
        near = {nb for d in demote if d in g for nb in nx.all_neighbors(g, d)}
        near_mask = np.fromiter((node in near for node in ix.nodes), bool, n) & ~ix.is_seed
        demotion[near_mask] = DEMOTION
        score = score * demotion
    raw["demotion"] = demotion

    ids = np.array(ix.nodes, dtype=str)
    order = np.lexsort((ids, -score, ~ix.is_seed))
    order = order[kept[order]]
    if limit is not None:
        order = order[: max(limit, 0)]

    columns = {name: values[order].astype(float) for name, values in chain(norm.items(),
                                                                          raw.items())}
    central = central_tops(raw["pagerank_raw"], candidates)
    rel = relations(g, (ix.nodes[i] for i in ix.seeds))
    explain = Explainer(w, int(ix.seeds.size), year_now, seed_noun)
    rows = order.tolist()
    reasons = explain.table(columns, ix.is_seed[order], [central.get(i) for i in rows])
    return [
        Ranked(paper=ix.papers[i], score=total, relation=rel[ix.nodes[i]], reasons=why,
               components=ComponentRow(columns, position - 1), rank=position)
        for position, (i, total, why) in enumerate(
            zip(rows, score[order].tolist(), reasons, strict=True), start=1)
    ]


def _member(ix: _Index, ids: Collection[str]) -> np.ndarray:
    if not ids:
        return np.zeros(ix.n, bool)
    return np.fromiter((node in ids for node in ix.nodes), bool, ix.n)
