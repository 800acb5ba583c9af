"""Prior and derivative works, and the timeline layout, on hand-worked graphs."""

from __future__ import annotations

import networkx as nx

from explorer.analysis.lineage import derivative_works, prior_works, timeline_layout
from explorer.models import Paper


def graph() -> nx.DiGraph:
    # the graph's papers s1, s2, s3; f is cited by all three, g by two, h by one;
    # d cites all three, e cites two.
    g = nx.DiGraph([("s1", "f"), ("s2", "f"), ("s3", "f"), ("s1", "g"), ("s2", "g"),
                    ("s3", "h"), ("d", "s1"), ("d", "s2"), ("d", "s3"), ("e", "s1"),
                    ("e", "s2")])
    years = {"f": 1990, "g": 2000, "h": 2001, "s1": 2010, "s2": 2011, "s3": 2012, "d": 2020,
             "e": 2020}
    for node, year in years.items():
        g.nodes[node]["paper"] = Paper(node, title=f"paper {node}", year=year)
    return g


def test_prior_works_are_the_papers_the_graph_cites_most_with_reasons():
    got = prior_works(graph(), ["s1", "s2", "s3"], seeds=["s1"])
    assert [(r.paper.paper_id, r.rank) for r in got] == [("f", 1), ("g", 2)]  # h: only 1
    assert got[0].reasons == ("cited by 3 of 3 papers in the graph",)
    assert got[0].score == 1.0 and got[0].relation == "reference"


def test_derivative_works_are_the_papers_citing_the_most_of_the_graph():
    got = derivative_works(graph(), ["s1", "s2", "s3"])
    assert [r.paper.paper_id for r in got] == ["d", "e"]
    assert got[1].reasons == ("cites 2 of 3 papers in the graph",)
    assert derivative_works(graph(), ["s1", "s2", "s3"], min_count=3, limit=5)[0].rank == 1


def test_timeline_puts_older_papers_left_and_years_in_columns():
    g = graph()
    g.add_node("undated", paper=Paper("undated"))
    t = timeline_layout(g)
    xs = {n: x for n, (x, _) in t.pos.items()}
    assert xs["f"] < xs["g"] < xs["s1"] < xs["d"] == xs["e"]
    assert xs["undated"] < xs["f"]  # unknown years form the leftmost column
    assert [year for year, _ in t.ticks] == [None, 1990, 2000, 2001, 2010, 2011, 2012, 2020]
    assert t.pos["d"][1] != t.pos["e"][1]  # same year, different rows
    assert t == timeline_layout(g)


def test_the_seeds_are_never_their_own_prior_or_derivative_works():
    g = graph()
    g.add_edges_from([("s2", "s1"), ("s3", "s1"), ("s1", "x"), ("s1", "y")])
    assert "s1" in [r.paper.paper_id for r in prior_works(g, ["s1", "s2", "s3"])]
    got = prior_works(g, ["s1", "s2", "s3"], seeds=["s1"])
    assert "s1" not in [r.paper.paper_id for r in got] and got[0].components["count"] == 3
    g.add_edges_from([("s1", "s2"), ("s1", "s3")])
    assert "s1" not in [r.paper.paper_id for r in derivative_works(g, ["s2", "s3"],
                                                                   seeds=["s1"])]
