"""The citation graph as one self-contained HTML page (pyvis / vis-network), no file writes.

Node size follows the score, colour the year (with a legend), seeds are drawn as stars with a
thick border, edges point from the citing to the cited paper, and citations Semantic Scholar
flags as influential are drawn thicker and darker. Hovering a node shows its title, authors,
year, citations and the reasons it is ranked; hovering an edge shows the citation's contexts.

Titles, authors, abstracts and reasons are untrusted: every one is HTML-escaped before it goes
into a tooltip, and the data reaches the page as JSON whose ``<``, ``>`` and ``&`` are written
as ``\\u003c``-style escapes, so nothing in it can close the ``<script>`` or open a tag.

The layout is computed once (a bounded number of stabilisation iterations with Barnes-Hut
physics) and physics is then switched off, so the graph stops moving and stays responsive at
500 nodes and more; smooth curves and labels at small zoom are off for the same reason. The
vis-network script is inlined from the copy pyvis ships, so the page works offline. When the
layout is done the container gets ``data-drawn-nodes`` (the number of nodes drawn) and
``data-ready="1"``, which tests and benchmarks wait for.
"""

from __future__ import annotations

import bisect
import html
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from pyvis.network import Network

from explorer.models import Ranked

__all__ = ["PALETTE", "UNKNOWN_YEAR_COLOUR", "graph_html", "year_colours"]

PALETTE = ("#d8e219", "#a0da39", "#4ac16d", "#1fa187", "#277f8e", "#365c8d", "#46327e",
           "#440154")
"""Year colours, oldest to newest (viridis, light to dark as in Connected Papers)."""
UNKNOWN_YEAR_COLOUR = "#b8b8b8"
SEED_BORDER = "#111111"
EDGE_COLOUR = "rgba(120,120,120,0.35)"
INFLUENTIAL_COLOUR = "rgba(40,40,40,0.85)"
MAX_CONTEXT = 300


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    base = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return ((base / "vis-network.min.js").read_text(encoding="utf-8"),
            (base / "vis-network.css").read_text(encoding="utf-8"))


def _script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def year_colours(years: Sequence[int]) -> list[tuple[int, int, str]]:
    """The year scale: ``(first year, last year, colour)`` per band, oldest first.

    Bands hold about equally many papers (consecutive years taken greedily until a band has
    its share), at most ``len(PALETTE)`` of them, and never split a year, so a graph whose
    papers crowd into a few years still shows them in different colours.

    Examples
    --------
    >>> year_colours([2017, 2017])
    [(2017, 2017, '#d8e219')]
    >>> [(a, b) for a, b, _ in year_colours([1950, 2015, 2016, 2016, 2017, 2020])]
    [(1950, 1950), (2015, 2015), (2016, 2016), (2017, 2017), (2020, 2020)]
    """
    if not years:
        return []
    counts = Counter(years)
    distinct = sorted(counts)
    bands = min(len(PALETTE), len(distinct))
    spans: list[tuple[int, int]] = []
    i, remaining = 0, len(years)
    for band in range(bands):
        if i >= len(distinct):
            break
        left = bands - band
        target = remaining / left
        start, size = distinct[i], 0
        while i < len(distinct):
            k = counts[distinct[i]]
            if size and left > 1 and size + k - target > target - size:
                break
            size += k
            i += 1
            if len(distinct) - i <= left - 1:
                break
        if left == 1:
            size += sum(counts[y] for y in distinct[i:])
            i = len(distinct)
        spans.append((start, distinct[i - 1]))
        remaining -= size
    last = max(len(spans) - 1, 1)
    return [(a, b, PALETTE[round(j * (len(PALETTE) - 1) / last)])
            for j, (a, b) in enumerate(spans)]


def _colour_of(year: int | None, legend: list[tuple[int, int, str]]) -> str:
    if not year or not legend:
        return UNKNOWN_YEAR_COLOUR
    i = bisect.bisect_right([start for start, _, _ in legend], year) - 1
    return legend[max(i, 0)][2]


def _short_label(r: Ranked) -> str:
    """``Vaswani 2017``, as Connected Papers labels nodes; the title when no author."""
    p = r.paper
    if p.authors:
        name = p.authors[0].split()[-1] if p.authors[0].split() else p.authors[0]
        label = f"{name} {p.year or ''}".strip()
    else:
        label = (p.title or p.paper_id)[:28]
    return label


def _tooltip(r: Ranked, status: str | None) -> str:
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


def _edge_tooltip(data: Mapping[str, Any]) -> str | None:
    contexts = [c for c in data.get("contexts") or () if c]
    intents = list(data.get("intents") or ())
    if not contexts and not intents and not data.get("is_influential"):
        return None
    parts = []
    head = [*(["influential citation"] if data.get("is_influential") else []), *intents]
    if head:
        parts.append(f"<b>{html.escape(', '.join(head))}</b>")
    for c in contexts[:2]:
        text = c if len(c) <= MAX_CONTEXT else c[: MAX_CONTEXT - 1] + "…"
        parts.append(f"<div class='c'>“{html.escape(text)}”</div>")
    return "".join(parts)


def _options(n_nodes: int) -> dict[str, Any]:
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


def build_network(
    g: nx.DiGraph,
    ranked: Sequence[Ranked],
    statuses: Mapping[str, str] | None = None,
    selected: str | None = None,
) -> tuple[Network, list[tuple[int, int, str]]]:
    """The pyvis Network of the ranked papers (and the citations among them), and the legend.

    Only papers in ``ranked`` are drawn; an edge is drawn when both ends are.
    """
    statuses = statuses or {}
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    legend = year_colours([r.paper.year for r in ranked if r.paper.year])
    scores = sorted(r.score for r in ranked if r.relation != "seed")
    low, high = (scores[0], scores[-1]) if scores else (0.0, 0.0)
    spread = (high - low) or 1.0
    places = max(len(scores) - 1, 1)
    shown = set()
    for r in ranked:
        p = r.paper
        pid = p.paper_id
        seed = r.relation == "seed"
        colour = _colour_of(p.year, legend)
        # half the score's place in [low, high], half its rank: scores often crowd together
        share = 0.5 * (r.score - low) / spread + 0.5 * bisect.bisect_left(scores, r.score) / places
        size = 36.0 if seed else 7.0 + 23.0 * share
        status = statuses.get(pid)
        node: dict[str, Any] = {
            "size": round(size, 1),
            "tip": _tooltip(r, status),
            "color": {"background": colour, "border": SEED_BORDER if seed else "#4d4d4d",
                      "highlight": {"background": colour, "border": "#e4572e"},
                      "hover": {"background": colour, "border": "#e4572e"}},
            "borderWidth": 4 if seed else (3 if pid == selected else 1),
            "rank": r.rank,
        }
        if seed:
            node["shape"] = "star"
            node["font"] = {"size": 18, "bold": True, "color": "#000"}
        if status in ("read", "not relevant"):
            node["opacity"] = 0.45
        net.nodes.append({"id": pid, "label": _short_label(r), **node})
        shown.add(pid)
    for u, v, data in g.edges(data=True):
        if u in shown and v in shown:
            edge: dict[str, Any] = {"from": u, "to": v, "width": 1}
            if data.get("is_influential"):
                edge.update(width=3.5, color={"color": INFLUENTIAL_COLOUR})
            tip = _edge_tooltip(data)
            if tip:
                edge["tip"] = tip
            net.edges.append(edge)
    net.options = _options(len(shown))  # type: ignore[assignment]
    return net, legend


PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<style>__VIS_CSS__</style>
<style>
html, body { margin: 0; height: 100%; font-family: Inter, system-ui, -apple-system, sans-serif; }
#graph { position: absolute; inset: 0; background: #fcfcfd; }
#legend { position: absolute; left: 10px; bottom: 10px; background: rgba(255,255,255,.92);
  border: 1px solid #e3e3e8; border-radius: 8px; padding: 8px 10px; font-size: 12px;
  color: #333; line-height: 1.6; max-width: calc(100% - 40px);
  box-shadow: 0 1px 3px rgba(0,0,0,.06); }
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
})();
</script>
</body></html>
"""


_PLACEHOLDER = re.compile(r"__(VIS_CSS|VIS_JS|LEGEND|N|DATA)__")


def _legend_html(legend: list[tuple[int, int, str]], has_unknown: bool,
                 has_influential: bool) -> str:
    rows = ["<div class='row'><b>year</b>" + "".join(
        f"<span class='it'><span class='sw' style='background:{c}'></span>"
        f"{a if a == b else f'{a}–{b}'}</span>" for a, b, c in legend
    ) + (f"<span class='it'><span class='sw' style='background:{UNKNOWN_YEAR_COLOUR}'></span>"
         "unknown</span>"
         if has_unknown else "") + "</div>"]
    rows.append("<div class='row'>★ seed · size = score · arrow: citing → cited"
                + (" · thick edge = influential citation" if has_influential else "")
                + "</div>")
    return "".join(rows)


def graph_html(
    g: nx.DiGraph,
    ranked: Sequence[Ranked],
    statuses: Mapping[str, str] | None = None,
    selected: str | None = None,
) -> str:
    """One HTML page drawing the ranked papers and the citations among them.

    Parameters
    ----------
    g : networkx.DiGraph
        The citation graph (edge = citing -> cited) holding at least the ranked papers.
    ranked : Sequence[Ranked]
        The papers to draw, e.g. the filtered top N of :func:`explorer.analysis.rank.rank`.
    statuses : Mapping[str, str], optional
        Reading-list status per paper id; read and not-relevant papers are drawn faded.
    selected : str, optional
        Paper id drawn with a thicker border.

    Returns
    -------
    str
        A complete HTML document (vis-network inlined); nothing is written to disk.
    """
    net, legend = build_network(g, ranked, statuses, selected)
    js, css = _vis_assets()
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options}
    has_unknown = any(not r.paper.year for r in ranked)
    has_influential = any(e.get("width", 1) > 1 for e in net.edges)
    parts = {
        "VIS_CSS": css,
        "VIS_JS": js.replace("</script", "<\\/script"),
        "LEGEND": _legend_html(legend, has_unknown, has_influential),
        "N": str(len(net.nodes)),
        "DATA": _script_json(data),
    }
    # one pass, so no inserted text is searched for placeholders again
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], PAGE)
