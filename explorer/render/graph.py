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
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
from pyvis.network import Network

from explorer.models import Ranked
from explorer.render.page import options, page_html, short_label, tooltip

__all__ = ["PALETTE", "UNKNOWN_YEAR_COLOUR", "colour_of", "graph_html", "legend_html", "node_sizes",
           "year_colours"]

PALETTE = ("#d8e219", "#a0da39", "#4ac16d", "#1fa187", "#277f8e", "#365c8d", "#46327e",
           "#440154")
"""Year colours, oldest to newest (viridis, light to dark as in Connected Papers)."""
UNKNOWN_YEAR_COLOUR = "#b8b8b8"
SEED_BORDER = "#111111"
INFLUENTIAL_COLOUR = "rgba(40,40,40,0.85)"
MAX_CONTEXT = 300
LABELLED = 40
"""How many papers, best ranked first, are labelled on the graph (the seeds always are)."""


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


def node_sizes(ranked: Sequence[Ranked]) -> list[float]:
    """Each paper's drawn size: 36 for a seed, else from 7 to 30, half by the score's place
    between the lowest and highest score, half by its rank (scores often crowd together)."""
    scores = sorted(r.score for r in ranked if r.relation != "seed")
    low, high = (scores[0], scores[-1]) if scores else (0.0, 0.0)
    spread = (high - low) or 1.0
    places = max(len(scores) - 1, 1)
    return [36.0 if r.relation == "seed" else
            7.0 + 23.0 * (0.5 * (r.score - low) / spread
                          + 0.5 * bisect.bisect_left(scores, r.score) / places)
            for r in ranked]


def colour_of(year: int | None, legend: list[tuple[int, int, str]]) -> str:
    """The colour of ``year`` on the scale of :func:`year_colours` (grey when unknown)."""
    if not year or not legend:
        return UNKNOWN_YEAR_COLOUR
    i = bisect.bisect_right([start for start, _, _ in legend], year) - 1
    return legend[max(i, 0)][2]


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


def build_network(
    g: nx.DiGraph,
    ranked: Sequence[Ranked],
    statuses: Mapping[str, str] | None = None,
    selected: str | None = None,
    pos: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[Network, list[tuple[int, int, str]]]:
    """The pyvis Network of the ranked papers (and the citations among them), and the legend.

    Only papers in ``ranked`` are drawn; an edge is drawn when both ends are. With ``pos``
    every paper it places is fixed there. Only the :data:`LABELLED` best-ranked papers and
    the seeds carry a label, so labels do not pile up at first fit; every paper has its
    tooltip.
    """
    statuses = statuses or {}
    net = Network(directed=True, height="100%", width="100%", cdn_resources="in_line")
    legend = year_colours([r.paper.year for r in ranked if r.paper.year])
    shown: set[str] = set()
    for r, size in zip(ranked, node_sizes(ranked), strict=True):
        p = r.paper
        pid = p.paper_id
        seed = r.relation == "seed"
        colour = colour_of(p.year, legend)
        status = statuses.get(pid)
        node: dict[str, Any] = {
            "size": round(size, 1),
            "tip": tooltip(r, status),
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
        if pos is not None and pid in pos:
            node.update(x=round(pos[pid][0], 1), y=round(pos[pid][1], 1), physics=False)
        label = short_label(r) if seed or len(shown) < LABELLED else ""
        net.nodes.append({"id": pid, "label": label, **node})
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
    net.options = options(len(shown))  # type: ignore[assignment]
    return net, legend


def legend_html(legend: list[tuple[int, int, str]], has_unknown: bool,
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
    pos: Mapping[str, tuple[float, float]] | None = None,
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
        Paper id drawn selected, its citations highlighted. A click on a node selects it
        and puts ``?paper=ID`` in the address of the page holding this one (the app).
    pos : Mapping[str, tuple[float, float]], optional
        Where each paper sits (:func:`explorer.render.layout.graph_layout` of the whole
        exploration): when it places every paper drawn, the page runs no physics and the
        papers stay put whatever the filters hide.

    Returns
    -------
    str
        A complete HTML document (vis-network inlined); nothing is written to disk.
    """
    net, legend = build_network(g, ranked, statuses, selected, pos)
    placed = pos is not None and all(n.get("physics") is False for n in net.nodes)
    has_unknown = any(not r.paper.year for r in ranked)
    has_influential = any(e.get("width", 1) > 1 for e in net.edges)
    return page_html(net.nodes, net.edges, net.options,
                     legend_html(legend, has_unknown, has_influential), fixed=placed,
                     selected=selected, clickable=True)
