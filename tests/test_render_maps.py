"""Map pages: fixed positions, cluster colours and legend, untrusted titles escaped."""

from __future__ import annotations

import json
import re

import networkx as nx

from explorer.analysis.clusters import cluster_map
from explorer.analysis.lineage import timeline_layout
from explorer.analysis.rank import rank
from explorer.analysis.similarity import similarity_layout
from explorer.graph import build_graph, paper_of
from explorer.models import Edge, Paper, Ranked
from explorer.render.maps import (
    CLUSTER_PALETTE,
    path_html,
    similarity_map_html,
    timeline_html,
)
from explorer.tasks.connect import Connection, Hop

EVIL = "<script>alert(1)</script> & <b>bold</b>"


def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for topic in ("alpha", "beta"):
        for k in range(4):
            g.add_node(f"{topic}{k}", paper=Paper(f"{topic}{k}", title=f"{topic} {EVIL} {k}",
                                                  year=2000 + k))
            g.add_edges_from((f"{topic}{k}", f"{topic}-ref{i}") for i in range(3))
    return g


def ranked(g: nx.DiGraph) -> list[Ranked]:
    return [Ranked(paper_of(g, n), 1.0 / (i + 1), "seed" if i == 0 else "citation",
                   ("a reason <i>",), {}, i + 1) for i, n in enumerate(sorted(g))]


def data_of(page: str) -> dict:
    return json.loads(re.search(r"var data = (\{.*?\});\n", page).group(1))


def test_similarity_map_places_colours_and_escapes():
    g = graph()
    found = cluster_map(g)
    pos = similarity_layout(found.similarity)
    page = similarity_map_html(ranked(g), found, pos)
    assert "<script>alert" not in page and "<b>bold" not in page
    nodes = {n["id"]: n for n in data_of(page)["nodes"]}
    assert all(n["physics"] is False for n in nodes.values())
    assert nodes["alpha0"]["x"] != nodes["beta0"]["x"] or nodes["alpha0"]["y"] != nodes[
        "beta0"]["y"]
    colour = {n: d["color"]["background"] for n, d in nodes.items() if "color" in d}
    assert colour["alpha1"] == colour["alpha2"] != colour["beta1"] == colour["beta2"]
    assert colour["alpha1"] in CLUSTER_PALETTE
    assert "clusters</b>" in page and "&lt;" not in found.clusters[0].label
    assert all(e["from"] in nodes and e["to"] in nodes for e in data_of(page)["edges"])
    names = {n["label"] for i, n in nodes.items() if i.startswith("cluster:")}
    assert names == {c.label for c in found.clusters if c.size > 1} and names
    top_of = {n["label"]: n["y"] for i, n in nodes.items() if i.startswith("cluster:")}
    label = found.label_of("alpha1")
    assert top_of[label] < min(n["y"] for i, n in nodes.items()
                               if i[:5] == "alpha" and found.label_of(i) == label)


def test_timeline_and_path_pages():
    g = graph()
    page = timeline_html(g, ranked(g), timeline_layout(g), cluster_map(g))
    nodes = {n["id"]: n for n in data_of(page)["nodes"]}
    assert nodes["alpha0"]["x"] < nodes["alpha3"]["x"]
    assert nodes["year:2000"]["label"] == "2000"
    result = Connection("a", "c", [["a", "b", "c"]], 2, True,
                        papers={p: Paper(p, title=f"{EVIL} {p}") for p in "abc"},
                        steps=[[Hop("a", "b", True), Hop("b", "c", False)]])
    page = path_html(result)
    assert "<script>alert" not in page
    edges = {(e["from"], e["to"]) for e in data_of(page)["edges"]}
    assert edges == {("a", "b"), ("c", "b")}  # arrows from citing to cited


def test_render_modules_share_one_page_builder_and_import_no_private_name_nor_task():
    import ast
    from pathlib import Path

    import explorer.render

    folder = Path(explorer.render.__file__).parent
    for module in ("graph.py", "maps.py"):
        tree = ast.parse((folder / module).read_text(encoding="utf-8"))
        imported = [(node.module, alias.name) for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module
                    for alias in node.names]
        assert ("explorer.render.page", "page_html") in imported, module
        assert not [x for x in imported if x[1].startswith("_")], module
        assert not [x for x in imported if x[0].startswith("explorer.tasks")], module


def test_timeline_height_is_citations_on_a_log_scale_with_its_ticks():
    papers = {p: Paper(p, f"Paper {p}", 2000 + i, (f"A{p} B",), citation_count=c)
              for i, (p, c) in enumerate((("few", 9), ("some", 99), ("many", 9999), ("none", 0)))}
    g = build_graph(papers, [Edge("few", "some"), Edge("many", "some"), Edge("none", "few")])
    ranked = rank(g, ["some"], current_year=2025)
    nodes = {n["id"]: n for n in data_of(timeline_html(g, ranked, timeline_layout(g)))["nodes"]}
    y = {p: nodes[p]["y"] for p in papers}
    assert y["many"] < y["some"] < y["few"] < y["none"]  # higher up = more cited
    # log scale: 9 -> 99 is the same step as 99 -> 999 would be
    assert abs((y["few"] - y["some"]) * 2 - (y["some"] - y["many"])) < 1.0
    assert nodes["cites:1000"]["label"] == "1,000 citations"
