"""explorer.render.graph: the graph page is self-contained, escaped, and draws what was ranked."""

from __future__ import annotations

import json
import re

from explorer.analysis.rank import rank
from explorer.graph import build_graph
from explorer.models import Edge, Paper
from explorer.render.graph import (
    PALETTE,
    UNKNOWN_YEAR_COLOUR,
    build_network,
    graph_html,
    year_colours,
)

XSS = "<img src=x onerror=alert(1)>"


def data_of(html: str) -> dict:
    match = re.search(r"var data = (\{.*?\});\n", html, re.S)
    assert match, "no data in the page"
    return json.loads(match.group(1))


def sample():
    papers = {
        "s": Paper("s", "Seed paper", 2017, ("Ashish Vaswani", "Noam Shazeer")),
        "x": Paper("x", XSS, 2020, ("</script><script>alert(2)</script>",),
                   citation_count=3),
        "r": Paper("r", "Old reference", 1997, ("Sepp Hochreiter",), citation_count=90000),
        "n": Paper("n", "No year", None, ()),
    }
    edges = [Edge("s", "r", True, ("LSTMs [13] are <b>strong</b>",), ("background",)),
             Edge("x", "s"), Edge("n", "s"), Edge("x", "r")]
    g = build_graph(papers, edges)
    return g, rank(g, ["s"], current_year=2025)


def test_untrusted_text_is_escaped_everywhere():
    g, ranked = sample()
    html = graph_html(g, ranked)
    assert XSS not in html and "alert(2)</script>" not in html
    assert "<b>strong</b>" not in html
    data = data_of(html)  # the JSON itself parses back to the escaped tooltips
    tips = {n["id"]: n["tip"] for n in data["nodes"]}
    assert "&lt;img src=x onerror=alert(1)&gt;" in tips["x"]
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in tips["x"]
    edge_tips = [e["tip"] for e in data["edges"] if "tip" in e]
    assert edge_tips == ["<b>influential citation, background</b><div class='c'>“LSTMs [13] are "
                         "&lt;b&gt;strong&lt;/b&gt;”</div>"]


def test_tooltip_has_title_authors_year_citations_and_reasons():
    g, ranked = sample()
    tip = {n["id"]: n["tip"] for n in data_of(graph_html(g, ranked, {"r": "reading"}))["nodes"]}
    r = next(x for x in ranked if x.paper.paper_id == "r")
    assert "<b>Old reference</b>" in tip["r"] and "Sepp Hochreiter" in tip["r"]
    assert "1997" in tip["r"] and "90,000 citations" in tip["r"]
    assert "reading list: reading" in tip["r"]
    assert all(f"<li>{reason}</li>" in tip["r"] for reason in r.reasons) and r.reasons


def test_nodes_edges_seeds_sizes_and_colours():
    g, ranked = sample()
    net, legend = build_network(g, ranked)
    nodes = {n["id"]: n for n in net.nodes}
    assert set(nodes) == {"s", "x", "r", "n"}
    assert nodes["s"]["shape"] == "star" and nodes["s"]["borderWidth"] > 1
    assert all("shape" not in n for pid, n in nodes.items() if pid != "s")
    by_score = sorted((r for r in ranked if r.relation != "seed"), key=lambda r: r.score)
    sizes = [nodes[r.paper.paper_id]["size"] for r in by_score]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert nodes["n"]["color"]["background"] == UNKNOWN_YEAR_COLOUR
    assert nodes["r"]["color"]["background"] == PALETTE[0]  # oldest
    assert nodes["x"]["color"]["background"] == PALETTE[-1]  # newest
    assert [(a, b) for a, b, _ in legend] == [(1997, 1997), (2017, 2017), (2020, 2020)]
    edges = {(e["from"], e["to"]): e for e in net.edges}
    assert set(edges) == {("s", "r"), ("x", "s"), ("n", "s"), ("x", "r")}  # citing -> cited
    assert edges[("s", "r")]["width"] > edges[("x", "s")]["width"]  # influential is thicker
    assert net.options["edges"]["arrows"]["to"]["enabled"]


def test_only_the_given_papers_and_edges_among_them_are_drawn():
    g, ranked = sample()
    top = [r for r in ranked if r.paper.paper_id in ("s", "x")]
    data = data_of(graph_html(g, top))
    assert {n["id"] for n in data["nodes"]} == {"s", "x"}
    assert [(e["from"], e["to"]) for e in data["edges"]] == [("x", "s")]


def test_page_is_offline_and_physics_stops_after_stabilising():
    g, ranked = sample()
    html = graph_html(g, ranked)
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)  # vis-network inlined
    assert "new vis.Network" in html
    assert 'network.once("stabilizationIterationsDone", done)' in html
    assert "network.setOptions({physics: false})" in html
    options = data_of(html)["options"]
    assert options["physics"]["stabilization"]["enabled"]
    assert options["physics"]["stabilization"]["iterations"] <= 300
    assert options["edges"]["smooth"] is False


def test_large_graphs_use_cheaper_settings():
    papers = {f"p{i}": Paper(f"p{i}", f"Paper {i}", 1990 + i % 30) for i in range(600)}
    edges = [Edge(f"p{i}", f"p{(i * 7 + 3) % 600}") for i in range(600)]
    g = build_graph(papers, edges)
    ranked = rank(g, ["p0"], current_year=2025)
    data = data_of(graph_html(g, ranked))
    assert len(data["nodes"]) == 600
    assert data["options"]["layout"]["improvedLayout"] is False
    assert data["options"]["interaction"]["hideEdgesOnDrag"] is True
    assert data["options"]["physics"]["stabilization"]["iterations"] < 300


def test_empty_graph_renders():
    html = graph_html(build_graph({}, []), [])
    assert data_of(html)["nodes"] == [] and "if (!data.nodes.length) { done(); }" in html


def test_year_bands_never_split_a_year_and_use_at_most_the_palette():
    years = [1950] + [2015] * 30 + [2016] * 20 + list(range(1990, 2026))
    legend = year_colours(years)
    assert 1 < len(legend) <= len(PALETTE)
    assert legend[0][0] == 1950 and legend[-1][1] == 2025
    for (_, end, _), (start, _, _) in zip(legend, legend[1:], strict=False):
        assert end < start
    assert (2015, 2015) in [(a, b) for a, b, _ in legend]  # a crowded year gets its own colour
    assert year_colours([]) == []


def test_placed_papers_stay_put_whatever_is_hidden_and_the_page_runs_no_physics():
    from explorer.render.layout import graph_layout

    g, ranked = sample()
    pos = graph_layout(g)
    assert pos == graph_layout(g)  # the same graph, the same picture
    every = {n["id"]: (n["x"], n["y"]) for n in data_of(graph_html(g, ranked, pos=pos))["nodes"]}
    fewer_page = graph_html(g, [r for r in ranked if r.paper.paper_id != "r"], pos=pos)
    fewer = {n["id"]: (n["x"], n["y"]) for n in data_of(fewer_page)["nodes"]}
    assert fewer and all(every[pid] == xy for pid, xy in fewer.items())
    assert all(n["physics"] is False for n in data_of(fewer_page)["nodes"])
    assert 'network.fit();\n  box.dataset.drawnNodes' in fewer_page  # marked drawn at once
    assert 'id="fit"' in fewer_page and 'id="reset"' in fewer_page and 'id="full"' in fewer_page


def test_only_the_best_ranked_papers_and_the_seeds_are_labelled():
    from explorer.render.graph import LABELLED

    papers = {f"p{i}": Paper(f"p{i}", f"Paper {i}", 2000 + i % 20, (f"Author{i} X",))
              for i in range(LABELLED + 20)}
    g = build_graph(papers, [Edge(f"p{i}", "p0") for i in range(1, LABELLED + 20)])
    ranked = rank(g, ["p0"], current_year=2025)
    labels = [n["label"] for n in data_of(graph_html(g, ranked))["nodes"]]
    assert all(labels[:LABELLED]) and not any(labels[LABELLED:])


def test_layout_places_the_papers_it_is_given_best_first_up_to_its_bound(monkeypatch):
    from explorer.render import layout

    g, _ = sample()
    monkeypatch.setattr(layout, "MAX_LAID", 2)
    pos = layout.graph_layout(g, ["r", "x", "s", "gone"])
    assert sorted(pos) == ["r", "s", "x"]  # s placed beside its neighbours, not by forces
    assert len(set(pos.values())) == 3
    monkeypatch.setattr(layout, "MAX_PLACED", 2)
    assert sorted(layout.graph_layout(g, ["r", "x", "s"])) == ["r", "x"]


def test_the_force_layout_keeps_linked_papers_together_and_others_apart():
    # Two groups of 40 papers citing within their group, one citation between the groups;
    # only the top 60 are laid out by forces, the rest go beside their neighbours.
    import math

    import networkx as nx

    from explorer.render import layout

    g = nx.DiGraph()
    for group in ("a", "b"):
        for i in range(40):
            g.add_edges_from((f"{group}{i}", f"{group}{j}") for j in range(i + 1, min(i + 6, 40)))
    g.add_edge("a0", "b0")
    order = [f"{group}{i}" for i in range(30) for group in "ab"] + sorted(
        f"{group}{i}" for group in "ab" for i in range(30, 40))
    old_laid, layout.MAX_LAID = layout.MAX_LAID, 60
    try:
        pos = layout.graph_layout(g, order)
    finally:
        layout.MAX_LAID = old_laid

    def mean_distance(pairs):
        pairs = list(pairs)
        return sum(math.dist(pos[u], pos[v]) for u, v in pairs) / len(pairs)

    a, b = [f"a{i}" for i in range(40)], [f"b{i}" for i in range(40)]
    inside = mean_distance([(u, v) for group in (a, b) for u in group for v in group if u < v])
    across = mean_distance([(u, v) for u in a for v in b])
    assert sorted(pos) == sorted(g) and len(set(pos.values())) == len(pos)
    assert across > 1.5 * inside
