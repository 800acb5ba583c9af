"""The one HTML page every view is drawn on (vis-network inlined from the copy pyvis ships,
so the page works offline), and the escaping of untrusted text in it.

Titles, authors, abstracts and reasons are untrusted: :func:`tooltip` HTML-escapes every one,
and :func:`script_json` writes the data with ``<``, ``>`` and ``&`` as ``\\u003c``-style
escapes, so nothing in it can close the ``<script>`` or open a tag. When the layout is done the
container gets ``data-drawn-nodes`` (the number of nodes drawn) and ``data-ready="1"``, which
tests and benchmarks wait for.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyvis

from explorer.models import Ranked

__all__ = ["EDGE_COLOUR", "PAGE", "options", "page_html", "script_json", "short_label",
           "tooltip", "vis_assets"]

EDGE_COLOUR = "rgba(120,120,120,0.35)"


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    base = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return ((base / "vis-network.min.js").read_text(encoding="utf-8"),
            (base / "vis-network.css").read_text(encoding="utf-8"))


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def short_label(r: Ranked) -> str:
    """``Vaswani 2017``, as Connected Papers labels nodes; the title when no author."""
    p = r.paper
    if p.authors:
        name = p.authors[0].split()[-1] if p.authors[0].split() else p.authors[0]
        label = f"{name} {p.year or ''}".strip()
    else:
        label = (p.title or p.paper_id)[:28]
    return label


def tooltip(r: Ranked, status: str | None) -> str:
    p = r.paper
    e = html.escape
    authors = ", ".join(p.authors[:6]) + (" et al." if len(p.authors) > 6 else "")
    facts = [str(p.year) if p.year else "year unknown"]
    if p.citation_count is not None:
        facts.append(f"{p.citation_count:,} citations")
    facts.append(r.relation)
    facts.append(f"score {r.score:.3f} (#{r.rank})")
    if status:
        facts.append(f"reading list: {status}")
    parts = [
        f"<b>{e(p.title or p.paper_id)}</b>",
        f"<div class='a'>{e(authors or 'no authors listed')}</div>",
        f"<div class='f'>{e(' · '.join(facts))}</div>",
    ]
    if r.reasons:
        parts.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in r.reasons) + "</ul>")
    return "".join(parts)


def options(n_nodes: int) -> dict[str, Any]:
    iterations = 300 if n_nodes <= 200 else 200 if n_nodes <= 600 else 120
    return {
        "autoResize": True,
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "centralGravity": 0.25,
                          "springLength": 120, "springConstant": 0.03, "damping": 0.4,
                          "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 50,
                              "fit": True},
        },
        "nodes": {
            "shape": "dot",
            "font": {"size": 13, "face": "Inter, system-ui, sans-serif", "color": "#222"},
            "borderWidth": 1,
            "scaling": {"label": {"enabled": False}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "smooth": False,
            "color": {"color": EDGE_COLOUR, "highlight": "#e4572e", "hover": "#e4572e"},
            "selectionWidth": 2,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_nodes > 300,
                        "hideEdgesOnZoom": n_nodes > 300, "navigationButtons": False,
                        "keyboard": False, "multiselect": False},
    }


PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<style>__VIS_CSS__</style>
<style>
html, body { margin: 0; height: 100%; font-family: Inter, system-ui, -apple-system, sans-serif; }
body { display: flex; flex-direction: column; background: #fcfcfd; }
#graph { position: relative; flex: 1 1 auto; min-height: 0; background: #fcfcfd; }
#legend { flex: 0 0 auto; border-top: 1px solid #e3e3e8; padding: 6px 10px; font-size: 12px;
  color: #333; line-height: 1.6; background: #fff; }
#tools { position: absolute; left: 8px; top: 6px; z-index: 2; }
#tools button { font: inherit; font-size: 12px; margin-right: 4px; padding: 2px 8px;
  border: 1px solid #d5d5dc; border-radius: 6px; background: #fff; color: #333;
  cursor: pointer; }
#legend .sw { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  vertical-align: -2px; margin: 0 3px 0 8px; border: 1px solid #888; }
#legend .it { white-space: nowrap; display: inline-block; }
#status { position: absolute; right: 10px; top: 8px; font-size: 12px; color: #666; }
div.vis-tooltip { max-width: 420px; white-space: normal; font-family: inherit; font-size: 12.5px;
  line-height: 1.35; background: #fff; border: 1px solid #d5d5dc; border-radius: 8px;
  padding: 8px 10px; box-shadow: 0 2px 10px rgba(0,0,0,.12); color: #222; }
div.vis-tooltip b { font-size: 13.5px; }
div.vis-tooltip .a { color: #444; margin-top: 3px; }
div.vis-tooltip .f { color: #666; margin-top: 3px; }
div.vis-tooltip .c { color: #333; margin-top: 4px; font-style: italic; }
div.vis-tooltip ul { margin: 4px 0 0 0; padding-left: 16px; }
</style></head>
<body>
<div id="tools"><button id="fit" type="button" title="Show every paper">Fit</button><button
 id="reset" type="button" title="Put moved papers back and fit">Reset</button><button
 id="full" type="button" title="Full screen (Esc to leave)">Full screen</button></div>
<div id="graph" data-ready="0" data-drawn-nodes="0"></div>
<div id="status">laying out __N__ papers…</div>
<div id="legend">__LEGEND__</div>
<script>__VIS_JS__</script>
<script>
(function () {
  var data = __DATA__;
  function tip(text) {
    // the text was HTML-escaped in Python: only our own markup is parsed here
    var el = document.createElement("div");
    el.innerHTML = text;
    return el;
  }
  data.nodes.forEach(function (n) { n.title = tip(n.tip); delete n.tip; });
  data.edges.forEach(function (e) { if (e.tip) { e.title = tip(e.tip); delete e.tip; } });
  var box = document.getElementById("graph");
  var status = document.getElementById("status");
  var network = new vis.Network(box, {nodes: new vis.DataSet(data.nodes),
                                      edges: new vis.DataSet(data.edges)}, data.options);
  function done() {
    network.setOptions({physics: false});
    box.dataset.drawnNodes = String(network.body.nodeIndices.length);
    box.dataset.ready = "1";
    status.textContent = data.nodes.length + " papers · " + data.edges.length + " citations";
  }
  network.once("stabilizationIterationsDone", done);
  if (!data.nodes.length) { done(); }
  window.explorerNetwork = network;
  var start = {};
  data.nodes.forEach(function (n) { if (n.x !== undefined) { start[n.id] = [n.x, n.y]; } });
  document.getElementById("fit").onclick = function () { network.fit(); };
  document.getElementById("reset").onclick = function () {
    Object.keys(start).forEach(function (id) { network.moveNode(id, start[id][0], start[id][1]); });
    network.unselectAll();
    network.fit();
  };
  document.getElementById("full").onclick = function () {
    var el = document.documentElement;
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (el.requestFullscreen) { el.requestFullscreen(); }
  };
  if (data.selected && network.body.nodes[data.selected]) {
    network.selectNodes([data.selected]);  // the paper and its citations, highlighted
    box.dataset.selected = data.selected;
  }
  network.on("click", function (params) {
    var id = params.nodes.length ? String(params.nodes[0]) : "";
    if (!id || id.indexOf("year:") === 0 || !data.clickable) { return; }
    network.selectNodes([id]);
    box.dataset.selected = id;
    // the app reads ?paper= on its next run; a history entry and a popstate make Streamlit
    // run it again with the new query, in the same session
    try {
      var top = window.parent, url = new URL(top.location.href);
      url.searchParams.set("paper", id);
      top.history.pushState(null, "", url.toString());
      top.dispatchEvent(new PopStateEvent("popstate"));
    } catch (e) { /* a page opened on its own: nothing to tell */ }
  });
})();
</script>
</body></html>
"""


PLACEHOLDER = re.compile(r"__(VIS_CSS|VIS_JS|LEGEND|N|DATA)__")


# Every node is fixed, so the physics never stabilises: fit the view and mark the page drawn.
FIXED = """<script>
(function () {
  var network = window.explorerNetwork, box = document.getElementById("graph");
  if (!network) { return; }
  network.setOptions({physics: false});
  network.fit();
  box.dataset.drawnNodes = String(network.body.nodeIndices.length);
  box.dataset.ready = "1";
  document.getElementById("status").textContent = "";
})();
</script>
"""




def page_html(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]],
              options: Mapping[str, Any], legend: str, fixed: bool = False,
              selected: str | None = None, clickable: bool = False) -> str:
    """The page drawing ``nodes`` and ``edges`` (vis-network records whose ``tip`` is HTML
    already escaped) with ``options``, and the ``legend`` (HTML already escaped).

    Parameters
    ----------
    nodes, edges : Sequence[Mapping]
        vis-network nodes and edges; a ``tip`` becomes the tooltip.
    options : Mapping
        vis-network options (see :func:`options`).
    legend : str
        The legend's HTML, every untrusted part escaped.
    fixed : bool
        True when every node has its place: the physics is off from the start, and the page
        fits the view and is marked drawn at once.
    selected : str, optional
        The node drawn selected, with its edges highlighted (``data-selected`` on the graph).
    clickable : bool
        True when a click on a node tells the page holding this one: it puts ``?paper=ID``
        in the parent's address and asks it to run again with it.

    Returns
    -------
    str
        A complete HTML document; nothing is written to disk.
    """
    js, css = vis_assets()
    parts = {
        "VIS_CSS": css,
        "VIS_JS": js.replace("</script", "<\\/script"),
        "LEGEND": legend,
        "N": str(len(nodes)),
        "DATA": script_json({"nodes": list(nodes), "edges": list(edges), "options": options,
                             "selected": selected, "clickable": clickable}),
    }
    # one pass, so no inserted text is searched for placeholders again
    page = PLACEHOLDER.sub(lambda m: parts[m.group(1)], PAGE)
    return page.replace("</body>", FIXED + "</body>", 1) if fixed else page
