"""Tests for explorer.graph on tiny hand-built graphs."""

from __future__ import annotations

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from explorer.graph import (
    build_graph,
    exploration_graph,
    links_known,
    neighbourhood,
    neighbours,
    paper_of,
    relations,
    seeds_in,
    subgraph_for,
)
from explorer.models import RELATIONS, Edge, Paper
from explorer.store import Store


def test_build_graph_nodes_carry_papers_and_missing_endpoints_get_bare_papers() -> None:
    a = Paper("a", title="A", year=2020)
    g = build_graph({"a": a, "lonely": Paper("lonely")}, [Edge("a", "b"), Edge("c", "a")])
    assert set(g) == {"a", "b", "c", "lonely"}
    assert g.nodes["a"]["paper"] is a
    assert g.nodes["b"]["paper"] == Paper(paper_id="b")
    assert g.nodes["c"]["paper"] == Paper(paper_id="c")
    assert sorted(g.edges) == [("a", "b"), ("c", "a")]  # direction: citing -> cited


def test_build_graph_edge_attributes() -> None:
    e = Edge("a", "b", is_influential=True, contexts=("as shown in [3]",), intents=("result",))
    g = build_graph({}, [e])
    assert g.edges["a", "b"] == {
        "is_influential": True,
        "contexts": ("as shown in [3]",),
        "intents": ("result",),
    }


def test_build_graph_deduplicates_and_merges() -> None:
    edges = [
        Edge("a", "b", is_influential=None, contexts=("x",), intents=("method",)),
        Edge("a", "b", is_influential=False, contexts=("y", "x")),
        Edge("a", "b", is_influential=True, intents=("method", "background")),
        Edge("a", "c", is_influential=None),
        Edge("a", "c", is_influential=False),
        Edge("a", "d"),
        Edge("a", "d"),
    ]
    g = build_graph({}, edges)
    assert g.number_of_edges() == 3
    assert g.edges["a", "b"] == {
        "is_influential": True,  # any True wins
        "contexts": ("x", "y"),  # union, first-seen order
        "intents": ("method", "background"),
    }
    assert g.edges["a", "c"]["is_influential"] is False  # False beats unknown
    assert g.edges["a", "d"]["is_influential"] is None


def test_build_graph_drops_self_citations() -> None:
    g = build_graph({}, [Edge("a", "a"), Edge("a", "b")])
    assert list(g.edges) == [("a", "b")]
    assert not list(nx.selfloop_edges(g))


def test_build_graph_empty() -> None:
    g = build_graph({}, [])
    assert g.number_of_nodes() == 0


def _example() -> nx.DiGraph:
    # s1, s2 seeds. s1 -> r (reference); c -> s2 (citation); b <-> s1 both ways
    # (reference+citation); x -> c and r -> y are second-order; z is isolated.
    return build_graph(
        {"z": Paper("z")},
        [
            Edge("s1", "r"),
            Edge("c", "s2"),
            Edge("s1", "b"),
            Edge("b", "s1"),
            Edge("x", "c"),
            Edge("r", "y"),
            Edge("s1", "s2"),
        ],
    )


def test_relations_hand_example() -> None:
    assert relations(_example(), ["s1", "s2"]) == {
        "s1": "seed",
        "s2": "seed",  # a seed cited by a seed stays a seed
        "r": "reference",
        "c": "citation",
        "b": "reference+citation",
        "x": "second-order",
        "y": "second-order",
        "z": "second-order",
    }


def test_relations_ignores_unknown_and_duplicate_seeds() -> None:
    g = _example()
    assert relations(g, ["s1", "nowhere", "s1"]) == {
        "s1": "seed",
        "s2": "reference",
        "r": "reference",
        "c": "second-order",
        "b": "reference+citation",
        "x": "second-order",
        "y": "second-order",
        "z": "second-order",
    }
    assert seeds_in(g, ["s2", "nowhere", "s1", "s2"]) == ["s2", "s1"]


def test_relations_without_seeds() -> None:
    assert set(relations(_example(), []).values()) == {"second-order"}


def test_subgraph_for_keeps_induced_edges_and_attributes() -> None:
    g = build_graph({}, [Edge("a", "b", is_influential=True), Edge("b", "c"), Edge("a", "c")])
    sub = subgraph_for(g, ["a", "b", "unknown"])
    assert sorted(sub.edges) == [("a", "b")]
    assert sub.edges["a", "b"]["is_influential"] is True
    assert sub.nodes["a"]["paper"] == Paper("a")
    sub.add_edge("x", "y")  # an independent copy, not a view
    assert "x" not in g


def test_paper_of_falls_back_to_bare_paper() -> None:
    g = nx.DiGraph([("a", "b")])
    assert paper_of(g, "a") == Paper("a")


ids = st.sampled_from("abcdefg")
edge_lists = st.lists(st.builds(Edge, ids, ids, st.sampled_from([None, True, False])), max_size=30)


@given(edge_lists, st.lists(ids, max_size=3))
def test_build_graph_properties(edges: list[Edge], seeds: list[str]) -> None:
    g = build_graph({}, edges)
    assert set(g.edges) == {(e.citing, e.cited) for e in edges if e.citing != e.cited}
    for u, v, flag in g.edges(data="is_influential"):
        flags = {e.is_influential for e in edges if (e.citing, e.cited) == (u, v)}
        assert flag is (True if True in flags else False if False in flags else None)
    rel = relations(g, seeds)
    assert set(rel) == set(g)
    assert set(rel.values()) <= set(RELATIONS)
    for node, kind in rel.items():
        assert (kind == "seed") == (node in seeds)
        if kind != "seed":
            cited_by_seed = any(g.has_edge(s, node) for s in seeds if s in g)
            cites_seed = any(g.has_edge(node, s) for s in seeds if s in g)
            assert ("reference" in kind) == cited_by_seed
            assert ("citation" in kind) == cites_seed


texts = st.lists(st.sampled_from(["x", "y", "z"]), max_size=2).map(tuple)
full_edges = st.lists(
    st.builds(Edge, ids, ids, st.sampled_from([None, True, False]), texts, texts), max_size=30
)


@given(st.lists(ids, max_size=4, unique=True), full_edges)
def test_build_graph_is_what_the_public_networkx_calls_give(
    paper_ids: list[str], edges: list[Edge]
) -> None:
    # build_graph fills networkx's dicts directly for speed; it must give exactly the graph
    # that add_nodes_from + add_edges_from would, down to node, successor and predecessor
    # order (which fix the order of rankings and exports), on whatever networkx is installed.
    papers = {p: Paper(p, title=p.upper()) for p in paper_ids}
    merged: dict[tuple[str, str], dict[str, object]] = {}
    for e in edges:
        if e.citing == e.cited:
            continue
        new = {"is_influential": e.is_influential, "contexts": e.contexts, "intents": e.intents}
        old = merged.setdefault((e.citing, e.cited), new)
        if old is not new:  # a repeat: any True wins, else any False; texts unite in order
            flags = (old["is_influential"], e.is_influential)
            old["is_influential"] = True if True in flags else False if False in flags else None
            for key in ("contexts", "intents"):
                old[key] = tuple(dict.fromkeys((*old[key], *new[key])))  # type: ignore[misc]
    want = nx.DiGraph()
    want.add_nodes_from((p, {"paper": paper}) for p, paper in papers.items())
    want.add_edges_from((u, v, d) for (u, v), d in merged.items())
    for node, data in want.nodes(data=True):
        data.setdefault("paper", Paper(paper_id=node))

    got = build_graph(papers, edges)
    assert list(got.nodes(data=True)) == list(want.nodes(data=True))
    assert list(got.edges(data=True)) == list(want.edges(data=True))
    assert [list(got.predecessors(n)) for n in got] == [list(want.predecessors(n)) for n in want]
    assert nx.utils.graphs_equal(got, want)
    for u, v in got.edges:  # one attribute dict, seen from both ends, as networkx keeps it
        assert got.succ[u][v] is got.pred[v][u]
    got.add_edge("new", "edge")  # still an ordinary, growable graph
    assert got.has_edge("new", "edge") and "paper" not in got.nodes["new"]


def hand_made_store(tmp_path) -> Store:
    """s cites r1, r2; c cites s; r1 cites x; c cites y; and edges other walks learned:
    r1 -> r2 (contexts), x -> y, s -> r1 with contexts, r1's record with an abstract."""
    store = Store(tmp_path / "hand.sqlite")
    store.put_papers([{"paperId": p, "title": p.upper(), "year": 2000}
                      for p in ("s", "r1", "r2", "c", "x", "y")])
    store.put_papers([{"paperId": "x", "abstract": "learned elsewhere", "tldr": None}])
    store.put_papers([{"paperId": "s", "abstract": "the seed's own"}])
    store.put_edges([
        Edge("s", "r1", True, ("as in [1]",), ("method",)), Edge("s", "r2", False),
        Edge("c", "s", False, ("builds on [4]",)), Edge("r1", "x"), Edge("c", "y"),
        Edge("r1", "r2", True, ("see [2]",)), Edge("x", "y", True), Edge("y", "x"),
    ])
    return store


def test_neighbourhood_takes_exactly_the_edges_its_walk_defines(tmp_path) -> None:
    store = hand_made_store(tmp_path)
    one = exploration_graph(store, ["s"], 1, "both")
    assert sorted(one.edges) == [("c", "s"), ("s", "r1"), ("s", "r2")]  # not r1 -> r2
    assert one.edges["s", "r1"]["contexts"] == ("as in [1]",)
    assert neighbourhood(store, ["s"], 1, "both") == {"s", "r1", "r2", "c"}
    two = exploration_graph(store, ["s"], 2, "both")
    # Neighbours' references, at the completeness of a batch lookup; never x -> y or y -> x.
    assert sorted(two.edges) == [("c", "s"), ("c", "y"), ("r1", "r2"), ("r1", "x"),
                                 ("s", "r1"), ("s", "r2")]
    assert two.edges["r1", "r2"] == {"is_influential": None, "contexts": (), "intents": ()}
    assert two.edges["s", "r1"]["is_influential"] is True  # a seed's page keeps its data
    # A second-order paper shows the fields a batch lookup carries, not an abstract from
    # elsewhere; the seed keeps its own record.
    assert two.nodes["x"]["paper"].abstract is None
    assert two.nodes["s"]["paper"].abstract == "the seed's own"
    refs = exploration_graph(store, ["s"], 2, "references")
    assert sorted(refs.edges) == [("r1", "r2"), ("r1", "x"), ("s", "r1"), ("s", "r2")]
    cits = exploration_graph(store, ["s"], 2, "citations")
    assert sorted(cits.edges) == [("c", "s"), ("c", "y")]
    assert set(cits) == neighbourhood(store, ["s"], 2, "citations") == {"s", "c", "y"}


def test_neighbours_by_direction_and_links_known_from_a_page_or_a_batch(tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite")
    store.put_edges([Edge("p", "r1"), Edge("p", "r2"), Edge("c1", "p"), Edge("r1", "x")])
    assert neighbours(store, "p", "references") == {"r1", "r2"}
    assert neighbours(store, "p", "citations") == {"c1"}
    assert neighbours(store, "p", "both") == {"r1", "r2", "c1"}
    store.set_fetch_state("p", "references", 2, True)
    store.set_fetch_state("r1", "embedded-references", 1, True)
    store.set_fetch_state("c1", "citations", 1000, False)
    known = links_known
    assert known(store, "p", "references") and known(store, "r1", "references")
    assert not known(store, "p", "citations") and not known(store, "c1", "citations")
