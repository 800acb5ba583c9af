"""Similarity map: scores on hand-worked graphs, pruning, agreement with the definitions,
layout."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from explorer.analysis.clusters import communities
from explorer.analysis.similarity import pair_similarity, similarity_graph, similarity_layout

# a cites x, y; b cites x, y, z; c cites z.
SMALL = nx.DiGraph([("a", "x"), ("a", "y"), ("b", "x"), ("b", "y"), ("b", "z"), ("c", "z")])


def weights(g: nx.Graph) -> dict[tuple[str, str], float]:
    return {tuple(sorted((u, v))): round(w, 4) for u, v, w in g.edges(data="weight")}


def test_coupling_and_cocitation_scores_worked_by_hand():
    sim = similarity_graph(SMALL)
    assert weights(sim) == {
        ("a", "b"): round(2 / math.sqrt(2 * 3), 4),  # share x, y of {x,y} and {x,y,z}
        ("b", "c"): round(1 / math.sqrt(3 * 1), 4),  # share z
        ("x", "y"): 0.25,  # co-cited by a and b: Salton 1, weighted 0.25
        ("x", "z"): round(0.25 * 1 / 2, 4),  # C(x)={a,b}, C(z)={b,c}: 1/sqrt(2*2)
        ("y", "z"): round(0.25 * 1 / 2, 4),
    }
    ab = sim.edges["a", "b"]
    assert (ab["shared_references"], ab["co_cited_by"]) == (2, 0)
    assert sim.edges["x", "y"]["co_cited_by"] == 2
    assert not sim.has_edge("a", "c")  # nothing in common


def test_adamic_adar_weighs_shared_references_by_their_rarity():
    sim = similarity_graph(SMALL, adamic_adar=True)
    # a and b share x and y, each cited by 2 papers: 2 / log 2
    assert sim.edges["a", "b"]["weight"] == pytest.approx(2 / math.log(2))
    assert sim.edges["b", "c"]["adamic_adar"] == pytest.approx(1 / math.log(2))
    assert pair_similarity(SMALL, "a", "b", adamic_adar=True)["score"] == pytest.approx(
        2 / math.log(2))


def test_weak_edges_and_edges_beyond_the_strongest_few_are_pruned():
    # hub h is cited with each of p0..p5 by one paper; p0 is also co-cited with h by 5 more.
    g = nx.DiGraph()
    for i in range(6):
        g.add_edges_from([(f"c{i}", "h"), (f"c{i}", f"p{i}")])
    g.add_edges_from((f"d{k}", t) for k in range(5) for t in ("h", "p0"))
    sim = similarity_graph(g, per_node=2, cocitation_weight=1.0)
    # h keeps its 2 strongest (p0, then the lowest id among ties); p1..p5 each keep h too,
    # so every h-p edge stays: an edge lives while either end keeps it.
    assert {v for v in sim["h"] if v.startswith("p")} == {f"p{i}" for i in range(6)}
    assert sim.edges["h", "p0"]["weight"] > sim.edges["h", "p1"]["weight"]
    fewer = similarity_graph(g, per_node=2, min_score=0.5, cocitation_weight=1.0)
    assert sorted(fewer["h"]) == ["p0"]  # only h-p0 scores above 0.5


def test_sparse_scores_match_the_definitions_on_a_random_graph():
    g = nx.gnp_random_graph(120, 0.05, seed=3, directed=True)
    g = nx.relabel_nodes(g, {n: f"n{n:03d}" for n in g})
    sim = similarity_graph(g, per_node=3)
    for u, v, data in sim.edges(data=True):
        exact = pair_similarity(g, u, v)
        assert data["weight"] == pytest.approx(exact["score"])
        assert data["coupling"] == pytest.approx(exact["coupling"])
        assert data["cocitation"] == pytest.approx(exact["cocitation"])
        assert data["shared_references"] == exact["shared_references"]
    for node in list(g)[:40]:  # every paper keeps its most similar partner
        best = max(pair_similarity(g, node, o)["score"] for o in g if o != node)
        kept = max((d["weight"] for d in sim[node].values()), default=0.0)
        assert kept == pytest.approx(best) if best > 0.01 else kept == 0.0


def test_every_paper_is_on_the_map_even_without_similar_papers():
    g = nx.DiGraph([("a", "b")])
    g.add_node("lonely")
    sim = similarity_graph(g)
    assert set(sim) == {"a", "b", "lonely"} and sim.number_of_edges() == 0
    assert similarity_graph(nx.DiGraph()).number_of_nodes() == 0


def two_topics() -> nx.DiGraph:
    g = nx.DiGraph()
    for topic in ("p", "q"):
        refs = [f"{topic}-ref{i}" for i in range(6)]
        for k in range(12):
            g.add_edges_from((f"{topic}{k}", r) for r in refs[k % 3: k % 3 + 4])
    return g


def mean_distance(pos, group_a, group_b) -> float:
    ds = [math.dist(pos[a], pos[b]) for a in group_a for b in group_b if a != b]
    return sum(ds) / len(ds)


@pytest.mark.parametrize("spring_max", [400, 10])
def test_layout_puts_similar_papers_together_and_is_deterministic(spring_max):
    sim = similarity_graph(two_topics())
    groups = communities(sim)
    pos = similarity_layout(sim, groups, spring_max=spring_max)
    assert set(pos) == set(sim)
    assert pos == similarity_layout(sim, groups, spring_max=spring_max)
    p = [n for n in sim if n.startswith("p")]
    q = [n for n in sim if n.startswith("q")]
    assert mean_distance(pos, p, p) < mean_distance(pos, p, q)
    assert mean_distance(pos, q, q) < mean_distance(pos, p, q)


def test_clusters_given_are_laid_out_apart_without_overlap():
    # papers all sharing references, split into clusters by other evidence (their words): a
    # spring layout of the similarity alone mixes the clusters into one blob
    g = nx.DiGraph()
    for k in range(30):
        g.add_edges_from((f"p{k}", f"ref{i}") for i in range(k % 4, k % 4 + 5))
    sim = similarity_graph(g)
    papers = sorted(n for n in sim if n.startswith("p"))
    groups = [papers[t::3] for t in range(3)]
    pos = similarity_layout(sim, groups)
    discs = []
    for members in groups:
        if not members:
            continue
        cx = sum(pos[n][0] for n in members) / len(members)
        cy = sum(pos[n][1] for n in members) / len(members)
        discs.append(((cx, cy), max(math.dist((cx, cy), pos[n]) for n in members)))
    for i, (a, ra) in enumerate(discs):
        for b, rb in discs[i + 1:]:
            assert math.dist(a, b) > ra + rb  # every cluster clear of every other


def test_a_map_among_some_papers_scores_them_over_the_whole_graph():
    g = nx.gnp_random_graph(150, 0.05, seed=5, directed=True)
    g = nx.relabel_nodes(g, {n: f"n{n:03d}" for n in g})
    shown = sorted(g)[::3]
    sim = similarity_graph(g, among=shown, per_node=3)
    assert sorted(sim) == shown
    assert sim.number_of_edges() > 0
    for u, v, data in sim.edges(data=True):  # references and citers outside count too
        exact = pair_similarity(g, u, v)
        assert data["weight"] == pytest.approx(exact["score"])
        assert data["co_cited_by"] == exact["co_cited_by"]
    aa = similarity_graph(g, among=shown, adamic_adar=True)
    for u, v, data in aa.edges(data=True):
        assert data["weight"] == pytest.approx(pair_similarity(g, u, v, adamic_adar=True)
                                               ["score"])
    every = similarity_graph(g)
    assert weights(similarity_graph(g, among=list(g))) == weights(every)
