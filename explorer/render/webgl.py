"""The citation graph drawn with WebGL (sigma.js on graphology), for graphs too large for
vis-network: thousands to 20,000 papers, every one placed in Python beforehand.

Both libraries are MIT-licensed single-file builds vendored in ``vendor/`` and inlined, so the
page works offline. Untrusted text reaches the page only as JSON written by
:func:`explorer.render.page.script_json`, and the tooltip puts it in the document with
``textContent``, never as markup. The page keeps the contract of the vis-network one: the
container gets ``data-drawn-nodes`` and ``data-ready="1"`` once drawn, ``data-selected`` for
the selected paper, and a click on a node puts ``?paper=ID`` in the address of the page
holding this one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

from explorer.models import Ranked
from explorer.render.graph import (
    INFLUENTIAL_COLOUR,
    colour_of,
    legend_html,
    node_sizes,
    year_colours,
)
from explorer.render.page import EDGE_COLOUR, script_json, short_label

__all__ = ["EXPLAINED", "webgl_html"]

VENDOR = Path(__file__).parent / "vendor"
EXPLAINED = 2000
"""The best-ranked papers whose tooltip lists their reasons (the others show the facts only),
which keeps a 20,000-paper page to a few megabytes."""
SIZE_SCALE = 0.3
"""Sigma draws sizes in pixels at first fit: the vis-network sizes, scaled down."""


@lru_cache(maxsize=1)
def _scripts() -> str:
    parts = []
    for name in ("graphology.umd.min.js", "sigma.min.js"):
        text = (VENDOR / name).read_text(encoding="utf-8")
        text = re.sub(r"//# sourceMappingURL=\S+", "", text).replace("</script", "<\\/script")
        parts.append(f"<script>{text}</script>")
    return "\n".join(parts)


def _node(r: Ranked, size: float, colour: str, status: str | None,
          pos: tuple[float, float]) -> dict[str, Any]:
    p = r.paper
    authors = ", ".join(p.authors[:3]) + (" et al." if len(p.authors) > 3 else "")
    node: dict[str, Any] = {"i": p.paper_id, "l": short_label(r), "x": round(pos[0], 1),
                            "y": round(pos[1], 1), "s": round(size * SIZE_SCALE + 1, 2),
                            "c": colour, "t": p.title or p.paper_id, "a": authors,
                            "yr": p.year, "n": p.citation_count, "r": r.relation, "k": r.rank,
                            "sc": round(r.score, 3)}
    if r.rank <= EXPLAINED and r.reasons:
        node["why"] = list(r.reasons[:4])
    if status:
        node["st"] = status
    return node


def webgl_html(g: nx.DiGraph, ranked: Sequence[Ranked], statuses: Mapping[str, str] | None,
               selected: str | None, pos: Mapping[str, tuple[float, float]]) -> str:
    """One HTML page drawing ``ranked`` and the citations among them with sigma.js.

    Parameters
    ----------
    g : networkx.DiGraph
        The citation graph (edge = citing -> cited) holding at least the ranked papers.
    ranked : Sequence[Ranked]
        The papers to draw; those ``pos`` does not place are left out.
    statuses : Mapping[str, str], optional
        Reading-list status per paper id; read and not-relevant papers are drawn faded.
    selected : str, optional
        The paper drawn selected, with its citations highlighted.
    pos : Mapping[str, tuple[float, float]]
        Where each paper sits (:func:`explorer.render.layout.graph_layout`).

    Returns
    -------
    str
        A complete HTML document with both libraries inlined; nothing is written to disk.
    """
    statuses = statuses or {}
    drawn = [r for r in ranked if r.paper.paper_id in pos]
    legend = year_colours([r.paper.year for r in drawn if r.paper.year])
    nodes = [_node(r, size, colour_of(r.paper.year, legend), statuses.get(r.paper.paper_id),
                   pos[r.paper.paper_id])
             for r, size in zip(drawn, node_sizes(drawn), strict=True)]
    index = {n["i"]: i for i, n in enumerate(nodes)}
    edges = [[index[u], index[v], 1 if d.get("is_influential") else 0]
             for u, v, d in g.edges(data=True) if u in index and v in index and u != v]
    data = {"nodes": nodes, "edges": edges, "selected": selected, "edge": EDGE_COLOUR,
            "influential": INFLUENTIAL_COLOUR}
    legend_part = legend_html(legend, any(not r.paper.year for r in drawn),
                              any(e[2] for e in edges))
    parts = {"SCRIPTS": _scripts(), "LEGEND": legend_part, "N": f"{len(nodes):,}",
             "DATA": script_json(data)}
    return re.sub(r"__(SCRIPTS|LEGEND|N|DATA)__", lambda m: parts[m.group(1)], PAGE)


PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<style>
html, body { margin: 0; height: 100%; font-family: Inter, system-ui, -apple-system, sans-serif; }
body { display: flex; flex-direction: column; background: #fcfcfd; }
#graph { position: relative; flex: 1 1 auto; min-height: 0; background: #fcfcfd; }
#legend { flex: 0 0 auto; border-top: 1px solid #e3e3e8; padding: 6px 10px; font-size: 12px;
  color: #333; line-height: 1.6; background: #fff; }
#tools { position: absolute; left: 8px; top: 6px; z-index: 2; }
#tools button { font: inherit; font-size: 12px; margin-right: 4px; padding: 2px 8px;
  border: 1px solid #d5d5dc; border-radius: 6px; background: #fff; color: #333; cursor: pointer; }
#legend .sw { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  vertical-align: -2px; margin: 0 3px 0 8px; border: 1px solid #888; }
#legend .it { white-space: nowrap; display: inline-block; }
#status { position: absolute; right: 10px; top: 8px; font-size: 12px; color: #666; z-index: 2; }
#tip { position: absolute; z-index: 3; max-width: 420px; font-size: 12.5px; line-height: 1.35;
  background: #fff; border: 1px solid #d5d5dc; border-radius: 8px; padding: 8px 10px;
  box-shadow: 0 2px 10px rgba(0,0,0,.12); color: #222; pointer-events: none; }
#tip b { font-size: 13.5px; }
#tip .a { color: #444; margin-top: 3px; }
#tip .f { color: #666; margin-top: 3px; }
#tip ul { margin: 4px 0 0 0; padding-left: 16px; }
</style></head>
<body>
<div id="tools"><button id="fit" type="button" title="Show every paper">Fit</button><button
 id="reset" type="button" title="Clear the selection and fit">Reset</button><button
 id="full" type="button" title="Full screen (Esc to leave)">Full screen</button></div>
<div id="graph" data-ready="0" data-drawn-nodes="0" data-renderer="webgl"></div>
<div id="tip" hidden></div>
<div id="status">drawing __N__ papers…</div>
<div id="legend">__LEGEND__</div>
__SCRIPTS__
<script>
(function () {
  var data = __DATA__;
  var box = document.getElementById("graph"), tipBox = document.getElementById("tip");
  var status = document.getElementById("status");
  var G = new graphology.Graph({type: "directed", multi: false, allowSelfLoops: false});
  var info = {};
  data.nodes.forEach(function (n) {
    var faded = n.st === "read" || n.st === "not relevant";
    info[n.i] = n;
    G.addNode(n.i, {x: n.x, y: -n.y, size: n.r === "seed" ? n.s + 3 : n.s, label: n.l,
                    color: faded ? n.c + "73" : n.c, forceLabel: n.r === "seed",
                    zIndex: n.r === "seed" ? 2 : 0});
  });
  data.edges.forEach(function (e) {
    var s = data.nodes[e[0]].i, t = data.nodes[e[1]].i;
    if (!G.hasEdge(s, t)) {
      G.addEdge(s, t, {size: e[2] ? 2 : 0.5, color: e[2] ? data.influential : data.edge});
    }
  });
  var selected = data.selected && G.hasNode(data.selected) ? data.selected : null;
  function near(edge) {
    return selected && (G.source(edge) === selected || G.target(edge) === selected);
  }
  var renderer = new Sigma(G, box, {
    defaultEdgeType: "arrow", labelRenderedSizeThreshold: 6, labelDensity: 0.6,
    labelGridCellSize: 120, zIndex: true, hideEdgesOnMove: G.size > 20000,
    nodeReducer: function (node, attrs) {
      if (node !== selected) { return attrs; }
      return Object.assign({}, attrs, {highlighted: true, forceLabel: true, zIndex: 3});
    },
    edgeReducer: function (edge, attrs) {
      if (!near(edge)) { return attrs; }
      return Object.assign({}, attrs, {color: "#e4572e", size: 2, zIndex: 1});
    }
  });
  window.explorerSigma = renderer;
  window.explorerGraph = G;
  function select(id) {
    selected = id;
    if (id) { box.dataset.selected = id; } else { delete box.dataset.selected; }
    renderer.refresh({skipIndexation: true});
  }
  if (selected) { box.dataset.selected = selected; }
  function line(cls, text, tag) {
    var el = document.createElement(tag || "div");
    if (cls) { el.className = cls; }
    el.textContent = text;
    return el;
  }
  function showTip(id, x, y) {
    var n = info[id], facts = [n.yr ? String(n.yr) : "year unknown"];
    if (n.n !== null && n.n !== undefined) { facts.push(n.n.toLocaleString("en") + " citations"); }
    facts.push(n.r, "score " + n.sc.toFixed(3) + " (#" + n.k + ")");
    if (n.st) { facts.push("reading list: " + n.st); }
    tipBox.replaceChildren(line("", n.t, "b"), line("a", n.a || "no authors listed"),
                           line("f", facts.join(" · ")));
    if (n.why) {
      var ul = document.createElement("ul");
      n.why.forEach(function (w) { ul.appendChild(line("", w, "li")); });
      tipBox.appendChild(ul);
    }
    tipBox.style.left = Math.min(x + 14, box.clientWidth - 300) + "px";
    tipBox.style.top = (y + 14) + "px";
    tipBox.hidden = false;
  }
  renderer.on("enterNode", function (e) { showTip(e.node, e.event.x, e.event.y); });
  renderer.on("leaveNode", function () { tipBox.hidden = true; });
  renderer.on("clickNode", function (e) {
    select(e.node);
    // the app reads ?paper= on its next run; a history entry and a popstate make Streamlit
    // run it again with the new query, in the same session
    try {
      var top = window.parent, url = new URL(top.location.href);
      url.searchParams.set("paper", e.node);
      top.history.pushState(null, "", url.toString());
      top.dispatchEvent(new PopStateEvent("popstate"));
    } catch (err) { /* a page opened on its own: nothing to tell */ }
  });
  document.getElementById("fit").onclick = function () {
    renderer.getCamera().animatedReset({duration: 300});
  };
  document.getElementById("reset").onclick = function () {
    select(null);
    renderer.getCamera().animatedReset({duration: 300});
  };
  document.getElementById("full").onclick = function () {
    var el = document.documentElement;
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (el.requestFullscreen) { el.requestFullscreen(); }
  };
  renderer.once("afterRender", function () {
    box.dataset.drawnNodes = String(G.order);
    box.dataset.ready = "1";
    status.textContent = G.order.toLocaleString("en") + " papers · " +
      G.size.toLocaleString("en") + " citations · WebGL";
  });
  renderer.refresh();
})();
</script>
</body></html>
"""
