"""The WebGL graph (sigma.js): chosen past 1,000 papers, every paper placed, untrusted text
only as escaped JSON, the libraries vendored (the browser tests are in test_browser_webgl)."""

from __future__ import annotations

import json
import random
import re

from explorer.analysis.rank import rank
from explorer.graph import build_graph
from explorer.models import Edge, Paper
from explorer.render.draw import WEBGL_FROM, draw_html
from explorer.render.layout import MAX_LAID, graph_layout
from explorer.render.webgl import webgl_html

XSS = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"


def synthetic(n: int, seed: int = 3):  # type: ignore[no-untyped-def]
    rnd = random.Random(seed)
    papers = {f"p{i}": Paper(f"p{i}", XSS if i % 100 == 1 else f"Paper {i} on topic {i % 40}",
                             1990 + i % 35, (f"Author {i}", "Someone Else"),
                             citation_count=rnd.randint(0, 5000))
              for i in range(n)}
    edges = [Edge(f"p{i}", f"p{rnd.randrange(i)}", rnd.random() < 0.05)
             for i in range(1, n) for _ in range(2)]
    g = build_graph(papers, edges)
    ranked = rank(g, ["p0"], current_year=2025)
    return g, ranked, graph_layout(g, [r.paper.paper_id for r in ranked])


def page_data(page: str) -> dict:
    text = re.search(r"var data = (\{.*?\});\n", page, re.S).group(1)  # type: ignore[union-attr]
    return json.loads(text)


def test_layout_places_every_paper_past_the_force_laid_ones_deterministically():
    g, ranked, pos = synthetic(MAX_LAID + 500)
    assert len(pos) == g.number_of_nodes()
    assert pos == graph_layout(g, [r.paper.paper_id for r in ranked])
    assert len(set(pos.values())) == len(pos)


def test_past_the_threshold_the_page_is_webgl_and_below_it_vis_network():
    g, ranked, pos = synthetic(WEBGL_FROM + 50)
    assert 'data-renderer="webgl"' in draw_html(g, ranked, pos=pos)
    small = draw_html(g, ranked[:WEBGL_FROM], pos=pos)
    assert 'data-renderer="webgl"' not in small and "vis.Network" in small


def test_untrusted_text_reaches_the_webgl_page_only_as_escaped_json():
    g, ranked, pos = synthetic(WEBGL_FROM + 50)
    page = webgl_html(g, ranked, {"p1": "read"}, "p1", pos)
    data = re.search(r"var data = (\{.*?\});\n", page, re.S).group(1)  # type: ignore[union-attr]
    assert "<" not in data and ">" not in data
    assert "<img" not in page and "alert(1)" in page  # present, as an escaped string only
    node = next(n for n in page_data(page)["nodes"] if n["i"] == "p1")
    assert node["t"] == XSS and node["st"] == "read"
    assert "innerHTML" not in page.split("__DATA__")[0].split("var data")[-1]


def test_the_vendored_libraries_are_inlined_with_their_licences():
    from explorer.render import webgl

    assert (webgl.VENDOR / "LICENSE-sigma.txt").read_text().count("Permission is hereby granted")
    assert (webgl.VENDOR / "LICENSE-graphology.txt").read_text().count("MIT")
    g, ranked, pos = synthetic(WEBGL_FROM + 5)
    page = webgl_html(g, ranked, None, None, pos)
    assert "sourceMappingURL" not in page and "graphology" in page and "Sigma" in page
    assert "http://" not in page.split("<script>")[0] and "src=\"http" not in page
