"""The citation graph: papers as nodes, "citing cites cited" as directed edges.

Built from what the store holds (papers and edges) by a pure function; the ranking in
:mod:`explorer.analysis.rank` and the rendering read it and never change it.

Node attribute ``paper`` holds the :class:`~explorer.models.Paper`. Edge attributes, from the
:class:`~explorer.models.Edge` records: ``is_influential`` (``bool | None``), ``contexts`` and
``intents`` (tuples of strings).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

import networkx as nx

from explorer.models import EMBEDDED_STATE, Edge, Paper
from explorer.sources.s2 import NESTED_REFERENCE_FIELDS, PAPER_FIELDS, SEED_FIELDS
from explorer.store import Store

__all__ = [
    "Link", "build_graph", "exploration_graph", "exploration_records", "link_graph", "link_nodes",
    "links_known", "neighbourhood", "neighbours", "paper_of", "relations", "seeds_in",
    "subgraph_for", "walk_edges",
]

EMBEDDED_FIELDS = tuple(f.split(".", 1)[1] for f in NESTED_REFERENCE_FIELDS)
"""The fields of a paper that a batch lookup carries when it embeds a neighbour's references."""


def build_graph(papers: Mapping[str, Paper], edges: Iterable[Edge]) -> nx.DiGraph:
    """Build the directed citation graph, one edge from each citing paper to the cited one.

    Parameters
    ----------
    papers : Mapping[str, Paper]
        Papers by id. Each becomes a node whose ``paper`` attribute is the Paper.
    edges : Iterable[Edge]
        Citations. An endpoint missing from ``papers`` still gets a node, with a bare
        ``Paper(paper_id=id)``. Self citations are dropped.

    Returns
    -------
    networkx.DiGraph
        Deduplicated: when one citation is given several times, the records are merged:
        ``is_influential`` is True if any record says True, else False if any says False,
        else None; ``contexts`` and ``intents`` are the union in first-seen order.

    Examples
    --------
    >>> from explorer.models import EMBEDDED_STATE, Edge, Paper
    >>> g = build_graph({"a": Paper("a")}, [Edge("a", "b"), Edge("a", "b"), Edge("b", "b")])
    >>> sorted(g.edges), g.nodes["b"]["paper"]
    ([('a', 'b')], Paper(paper_id='b', ...))
    """
    return _assemble(papers, ((e.citing, e.cited, e.is_influential, e.contexts, e.intents)
                              for e in edges))


Link = tuple[str, str, bool | None, tuple[str, ...], tuple[str, ...]]
"""An edge as a plain tuple: (citing, cited, is_influential, contexts, intents)."""
BARE: tuple[None, tuple[()], tuple[()]] = (None, (), ())


def link_graph(papers: Mapping[str, Paper], links: Iterable[Link]) -> nx.DiGraph:
    """:func:`build_graph` from plain :data:`Link` tuples, without an Edge record per
    citation (the same graph, in less time and memory for hundreds of thousands of links).

    Examples
    --------
    >>> g = link_graph({}, [("a", "b", True, ("ctx",), ()), ("a", "b", None, (), ("result",))])
    >>> g.edges["a", "b"]
    {'is_influential': True, 'contexts': ('ctx',), 'intents': ('result',)}
    """
    return _assemble(papers, links)


def link_nodes(papers: Mapping[str, Paper], links: Iterable[Link]) -> list[str]:
    """The nodes of ``link_graph(papers, links)``, in its order, without building it: the
    papers, then the ends of links missing from them as they come (self citations aside).

    >>> link_nodes({"b": Paper("b")}, [("a", "a", None, (), ()), ("b", "c", None, (), ())])
    ['b', 'c']
    """
    nodes = dict.fromkeys(papers)
    links = links if isinstance(links, Sequence) else list(links)
    ends = set(map(itemgetter(0), links))
    ends.update(map(itemgetter(1), links))
    if nodes.keys() >= ends:  # every end is a paper, as in a walk's store: checked in C
        return list(nodes)
    for u, v, _, _, _ in links:
        if u != v and (u not in nodes or v not in nodes):  # most links join two papers
            nodes.setdefault(u)
            nodes.setdefault(v)
    return list(nodes)


def _assemble(papers: Mapping[str, Paper], links: Iterable[Link]) -> nx.DiGraph:
    # Fills networkx's own dict-of-dicts (the structure its "Subclasses" docs describe)
    # instead of calling add_edges_from, which copies every attribute dict and costs about
    # twice as much at 1M edges. The result is exactly what add_nodes_from + add_edges_from
    # would give: same node order, same successor and predecessor order, one attribute dict
    # shared by both directions. A citation seen before is found in the adjacency itself and
    # merged in place, so the common case (no duplicates) needs no extra lookup table.
    g = nx.DiGraph()
    nodes, succ, pred = g._node, g._succ, g._pred
    for pid, paper in papers.items():
        nodes[pid] = {"paper": paper}
        succ[pid] = {}
        pred[pid] = {}
    for u, v, influential, contexts, intents in links:
        if u == v:
            continue
        out = succ.get(u)
        if out is None:
            nodes[u] = {"paper": Paper(paper_id=u)}
            out = succ[u] = {}
            pred[u] = {}
        into = pred.get(v)
        if into is None:
            nodes[v] = {"paper": Paper(paper_id=v)}
            succ[v] = {}
            into = pred[v] = {}
        data = out.get(v)
        if data is None:
            out[v] = into[u] = {
                "is_influential": influential,
                "contexts": contexts,
                "intents": intents,
            }
        else:
            data["is_influential"] = _merge_flag(data["is_influential"], influential)
            data["contexts"] = _union(data["contexts"], contexts)
            data["intents"] = _union(data["intents"], intents)
    return g


def _merge_flag(a: bool | None, b: bool | None) -> bool | None:
    if a or b:
        return True
    if a is False or b is False:
        return False
    return None


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a + b))


def paper_of(g: nx.DiGraph, node: str) -> Paper:
    """The node's Paper, or a bare ``Paper(paper_id=node)`` when the node has none."""
    paper = g.nodes[node].get("paper")
    return paper if isinstance(paper, Paper) else Paper(paper_id=str(node))


def seeds_in(g: nx.DiGraph, seeds: Iterable[str]) -> list[str]:
    """The seeds that are nodes of ``g``, deduplicated, in the given order."""
    return [s for s in dict.fromkeys(seeds) if s in g]


def relations(g: nx.DiGraph, seeds: Iterable[str]) -> dict[str, str]:
    """How every node relates to the seeds.

    Parameters
    ----------
    g : networkx.DiGraph
        The citation graph (edge = citing -> cited).
    seeds : Iterable[str]
        Seed ids; those not in ``g`` are ignored.

    Returns
    -------
    dict[str, str]
        For every node one of :data:`explorer.models.RELATIONS`: ``"seed"``; ``"reference"``
        (a seed cites it); ``"citation"`` (it cites a seed); ``"reference+citation"`` (both);
        otherwise ``"second-order"``.

    Examples
    --------
    >>> g = nx.DiGraph([("s", "r"), ("c", "s"), ("c", "r"), ("x", "c")])
    >>> relations(g, ["s"])
    {'s': 'seed', 'r': 'reference', 'c': 'citation', 'x': 'second-order'}
    """
    seed_list = seeds_in(g, seeds)
    refs: set[str] = set()
    cits: set[str] = set()
    for s in seed_list:
        refs.update(g.successors(s))
        cits.update(g.predecessors(s))
    seed_set = set(seed_list)
    out: dict[str, str] = {}
    for node in g:
        if node in seed_set:
            out[node] = "seed"
        elif node in refs:
            out[node] = "reference+citation" if node in cits else "reference"
        elif node in cits:
            out[node] = "citation"
        else:
            out[node] = "second-order"
    return out


def subgraph_for(g: nx.DiGraph, ids: Collection[str]) -> nx.DiGraph:
    """An independent copy of the subgraph induced by ``ids`` (unknown ids are skipped).

    Used to show the top N of a ranking: every citation among the chosen papers is kept,
    with its attributes.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    >>> sorted(subgraph_for(g, ["a", "c", "zz"]).edges)
    [('a', 'c')]
    """
    return g.subgraph([i for i in ids if i in g]).copy()


def walk_edges(store: Store, seeds: Sequence[str], depth: int, direction: str,
               neighbour_citers: bool = False) -> list[Edge]:
    """The edges an exploration's own walk defines, at the completeness it fetches them.

    These are the seeds' references (``direction`` "both" or "references") and citations
    ("both" or "citations"), as their pages carry them (contexts, intents, influence), and at
    ``depth`` 2 the references of every first-order neighbour (and, with ``neighbour_citers``,
    its citers), as a batch lookup embeds them: bare links; depth 3 adds those of the
    second-order papers. Whatever else the store holds
    (links among neighbours that other walks fetched, contexts of a neighbour's page) is left
    out, so an exploration gives the same
    graph on a fresh store and on a full one.

    Returns
    -------
    list[Edge]
        Sorted by (citing, cited), one record per link.
    """
    return [Edge(*link) for link in _walk_links(store, seeds, depth, direction, neighbour_citers)]


def _walk_links(store: Store, seeds: Sequence[str], depth: int, direction: str,
                neighbour_citers: bool = False) -> list[Link]:
    """:func:`walk_edges` as plain tuples: the bare links of a depth-2 walk, most of them,
    are read as (citing, cited) pairs and never become records."""
    seed_list = list(dict.fromkeys(seeds))
    own: list[Edge] = []
    if direction in ("both", "references"):
        own += store.edges_from(seed_list)
    if direction in ("both", "citations"):
        own += store.edges_to(seed_list)
    links: dict[tuple[str, str], tuple[bool | None, tuple[str, ...], tuple[str, ...]]] = {
        (e.citing, e.cited): (e.is_influential, e.contexts, e.intents) for e in own}
    ring_ids = {end for e in own for end in (e.citing, e.cited)} - set(seed_list)
    inside = set(seed_list)
    for step in range(2, depth + 1):
        pairs = _ring_links(store, ring_ids, neighbour_citers)
        for pair in pairs:
            links.setdefault(pair, BARE)
        if step < depth:  # the next ring, when there is one to walk
            inside |= ring_ids
            ring_ids = {end for pair in pairs for end in pair} - inside
    return [pair + links[pair] for pair in sorted(links)]


def _ring_links(store: Store, ids: set[str], citers: bool) -> list[tuple[str, str]]:
    """The references of ``ids`` (and, with ``citers``, their citers) as bare links."""
    pairs = store.links_from(sorted(ids))
    return pairs + store.links_to(sorted(ids)) if citers else pairs


def ring(store: Store, ids: set[str], citers: bool) -> set[str]:
    """``ids`` and the papers one link from them: their references (and, with ``citers``,
    their citers), as a walk one level deeper reaches them."""
    return ids | {end for pair in _ring_links(store, ids, citers) for end in pair}


def neighbours(store: Store, paper_id: str, direction: str) -> set[str]:
    """Ids the store links to ``paper_id``: its references, its citers, or both
    (``direction`` as in :data:`explorer.models.DIRECTIONS`)."""
    out: set[str] = set()
    if direction in ("both", "references"):
        out.update(store.references_of(paper_id))
    if direction in ("both", "citations"):
        out.update(store.citations_of(paper_id))
    return out


def links_known(store: Store, paper_id: str, kind: str) -> bool:
    """Whether the store holds all of a paper's ``kind`` links, from a page or a batch lookup."""
    return store.done(paper_id, kind) or store.done(paper_id, EMBEDDED_STATE[kind])


def neighbourhood(store: Store, seeds: Sequence[str], depth: int, direction: str,
                  neighbour_citers: bool = False) -> set[str]:
    """Ids of the seeds, their neighbours and, at depth 2, the neighbours' references (and,
    with ``neighbour_citers``, their citers)."""
    links = _walk_links(store, seeds, depth, direction, neighbour_citers)
    return set(seeds) | {end for link in links for end in link[:2]}


def exploration_graph(store: Store, seeds: Sequence[str], depth: int, direction: str,
                      neighbour_citers: bool = False) -> nx.DiGraph:
    """The graph of one exploration, the same whatever else the store holds.

    Edges are :func:`walk_edges`. Each paper shows the fields its own walk fetches for it: a
    seed its full record, a first-order neighbour the fields of a page, a second-order paper
    the fields of a batch lookup (no abstract), even when another walk stored more.

    Examples
    --------
    >>> from explorer.store import Store
    >>> store = Store(":memory:")
    >>> store.put_edges([Edge("s", "r"), Edge("r", "x"), Edge("x", "y")])
    >>> sorted(exploration_graph(store, ["s"], 2, "both").edges)
    [('r', 'x'), ('s', 'r')]
    """
    return _assemble(*exploration_records(store, seeds, depth, direction, neighbour_citers))


def exploration_records(store: Store, seeds: Sequence[str], depth: int, direction: str,
                        neighbour_citers: bool = False) -> tuple[dict[str, Paper], list[Link]]:
    """What :func:`exploration_graph` is made of, ``link_graph(*exploration_records(...))``:
    the stored papers by id and the links, sorted."""
    links = _walk_links(store, seeds, depth, direction, neighbour_citers)
    seed_set = set(seeds)
    first = {link[1] if link[0] in seed_set else link[0] for link in links
             if link[0] in seed_set or link[1] in seed_set} - seed_set
    ids = sorted(seed_set.union(map(itemgetter(0), links), map(itemgetter(1), links)))
    raws = store.raws(ids)
    seed_fields, page_fields, embedded_fields = (
        frozenset(f) | {"paperId"} for f in (SEED_FIELDS, PAPER_FIELDS, EMBEDDED_FIELDS))
    papers = {
        pid: Paper.from_s2(_fields(raws[pid], seed_fields if pid in seed_set else
                                   page_fields if pid in first else embedded_fields))
        for pid in ids if pid in raws
    }
    return papers, links


def _fields(raw: Mapping[str, Any], fields: frozenset[str]) -> Mapping[str, Any]:
    if raw.keys() <= fields:  # most records hold no more than their walk fetched
        return raw
    return {k: v for k, v in raw.items() if k in fields}
