"""The similarity map, the timeline and the connector's paths as HTML pages, no file writes.

Each view places the papers where a layout put them (:mod:`explorer.analysis.similarity`,
:mod:`explorer.analysis.lineage`, or the path order), with physics off, so the picture is the
layout's and never drifts. Papers are coloured by cluster, with a legend naming each cluster.
The page, its escaping of untrusted text (titles and labels are HTML-escaped, the data is
``<script>``-safe JSON) and its tooltips are :mod:`explorer.render.page`'s, as for the graph.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from explorer.analysis.clusters import ClusterMap
from explorer.analysis.lineage import Timeline
from explorer.models import Connection, Ranked, name_of
from explorer.render.page import options, page_html, short_label, tooltip

__all__ = [
    "CLUSTER_PALETTE",
    "cluster_colours",
    "cluster_legend",
    "path_html",
    "similarity_map_html",
    "timeline_html",
]

CLUSTER_PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                   "#ff9da7", "#9c755f", "#8cd17d", "#499894", "#d37295")
"""Cluster colours (Tableau 12), largest cluster first; smaller clusters share a grey."""
OTHER_COLOUR = "#c7c7c7"
LABELS_PER_CLUSTER = 3
"""Papers labelled per cluster on the similarity map, best ranked first (seeds always are)."""
SCALE = 60.0
DECADE = 110.0
"""The timeline's height, in page units, between ten times more citations and ten times less."""


def cluster_colours(clusters: ClusterMap, shown: Sequence[str] | None = None
                    ) -> dict[int, str]:
    """A colour per cluster, the palette going to the clusters with most papers among
    ``shown`` (default all); the rest share a grey."""
    count = Counter(k for pid in (shown if shown is not None else clusters.of)
                    if (k := clusters.of.get(pid)) is not None)
    order = sorted(count, key=lambda k: (-count[k], k))
    return {k: CLUSTER_PALETTE[i] if i < len(CLUSTER_PALETTE) else OTHER_COLOUR
            for i, k in enumerate(order)}


def cluster_legend(clusters: ClusterMap, shown: Sequence[str] | None = None) -> str:
    """HTML legend, one swatch per coloured cluster with papers among ``shown`` (default
    all): its colour, label (escaped) and the number of those papers."""
    colours = cluster_colours(clusters, shown)
    count = Counter(k for pid in (shown if shown is not None else clusters.of)
                    if (k := clusters.of.get(pid)) is not None)
    items = []
    others = 0
    for k, colour in colours.items():
        if colour != OTHER_COLOUR:
            items.append(
                f"<span class='it'><span class='sw' style='background:{colour}'>"
                f"</span>{html.escape(clusters.clusters[k].label)} ({count[k]})</span>")
        else:
            others += count[k]
    if others:
        items.append(f"<span class='it'><span class='sw' style='background:{OTHER_COLOUR}'>"
                     f"</span>smaller clusters ({others})</span>")
    return "<div class='row'><b>clusters</b>" + "".join(items) + "</div>"


def _node(r: Ranked, x: float, y: float, colour: str, size: float) -> dict[str, Any]:
    seed = r.relation == "seed"
    node: dict[str, Any] = {
        "id": r.paper.paper_id, "label": short_label(r), "tip": tooltip(r, None),
        "x": round(x, 1), "y": round(y, 1), "physics": False, "size": 30.0 if seed else size,
        "color": {"background": colour, "border": "#111" if seed else "#4d4d4d",
                  "highlight": {"background": colour, "border": "#e4572e"},
                  "hover": {"background": colour, "border": "#e4572e"}},
        "borderWidth": 4 if seed else 1,
    }
    if seed:
        node["shape"] = "star"
    return node


def _sizes(ranked: Sequence[Ranked]) -> dict[str, float]:
    n = max(len(ranked) - 1, 1)
    return {r.paper.paper_id: 8.0 + 16.0 * (1 - i / n) for i, r in enumerate(ranked)}


def _page(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], legend: str,
          arrows: bool) -> str:
    settings = options(len(nodes))
    settings["edges"]["arrows"]["to"]["enabled"] = arrows
    settings["layout"]["improvedLayout"] = False
    return page_html(nodes, edges, settings, legend, fixed=True)


def similarity_map_html(
    ranked: Sequence[Ranked], clusters: ClusterMap, pos: Mapping[str, tuple[float, float]],
) -> str:
    """The similarity map of the ``ranked`` papers: placed at ``pos`` (from
    :func:`explorer.analysis.similarity.similarity_layout`), coloured by cluster, joined by their
    similarity edges (thicker = more similar; the tooltip says what they share)."""
    shown = [r for r in ranked if r.paper.paper_id in pos]
    ids = {r.paper.paper_id for r in shown}
    scale = SCALE * math.sqrt(max(len(shown), 4))
    sizes = _sizes(shown)
    colours = cluster_colours(clusters, sorted(ids))
    nodes = [
        _node(r, pos[pid][0] * scale, pos[pid][1] * scale,
              colours.get(clusters.of.get(pid, -1), OTHER_COLOUR), sizes[pid])
        for r in shown if (pid := r.paper.paper_id)
    ]
    labelled: Counter[int] = Counter()
    for node, r in zip(nodes, shown, strict=True):
        k = clusters.of.get(r.paper.paper_id, -1)
        labelled[k] += 1
        if r.relation != "seed" and labelled[k] > LABELS_PER_CLUSTER:
            node["label"] = ""
    nodes += _cluster_labels(shown, clusters, colours, nodes)
    edges = []
    for u, v, d in clusters.similarity.edges(data=True):
        if u in ids and v in ids:
            tip = (f"similarity {d['weight']:.2f}: {d['shared_references']} shared references"
                   f" · co-cited by {d['co_cited_by']} papers")
            edges.append({"from": u, "to": v, "width": 0.5 + 4 * min(d["weight"], 1.0),
                          "tip": html.escape(tip)})
    return _page(nodes, edges, cluster_legend(clusters, sorted(ids)), arrows=False)


def _cluster_labels(shown: Sequence[Ranked], clusters: ClusterMap, colours: Mapping[int, str],
                    nodes: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A text node above each coloured cluster's papers naming it, in its colour."""
    where: dict[int, list[tuple[float, float]]] = {}
    for r, node in zip(shown, nodes, strict=False):
        k = clusters.of.get(r.paper.paper_id, -1)
        if colours.get(k, OTHER_COLOUR) != OTHER_COLOUR:
            where.setdefault(k, []).append((node["x"], node["y"]))
    labels = []
    for k, points in where.items():
        cx = sum(x for x, _ in points) / len(points)
        top = min(y for _, y in points)
        labels.append({"id": f"cluster:{k}", "label": clusters.clusters[k].label,
                       "shape": "text", "x": round(cx, 1), "y": round(top - 40.0, 1),
                       "physics": False, "tip": "",
                       "font": {"size": 28, "color": colours[k], "strokeWidth": 5,
                                "strokeColor": "#ffffff", "bold": True}})
    return labels


def timeline_html(
    g: nx.DiGraph, ranked: Sequence[Ranked], timeline: Timeline,
    clusters: ClusterMap | None = None,
) -> str:
    """The citation graph of the ``ranked`` papers by year (``timeline`` from
    :func:`explorer.analysis.lineage.timeline_layout`): older left, one column a year labelled on
    top, higher up the more cited (citations on a log scale, ticked on the left), arrows from
    citing to cited, coloured by cluster when ``clusters`` is given."""
    shown = [r for r in ranked if r.paper.paper_id in timeline.pos]
    ids = {r.paper.paper_id for r in shown}
    sizes = _sizes(shown)
    col, row = 140.0, 46.0
    colours = cluster_colours(clusters, sorted(ids)) if clusters else {}
    nodes = []
    for r in shown:
        x, _ = timeline.pos[r.paper.paper_id]
        k = clusters.of.get(r.paper.paper_id, -1) if clusters else -1
        nodes.append(_node(r, x * col, _height(r.paper.citation_count),
                           colours.get(k, OTHER_COLOUR), sizes[r.paper.paper_id]))
    most = max((r.paper.citation_count or 0 for r in shown), default=0)
    left = min((n["x"] for n in nodes), default=0.0) - col
    nodes += [
        {"id": f"cites:{c}", "label": f"{c:,} citation{'s' * (c != 1)}", "shape": "text",
         "x": left, "y": _height(c), "physics": False, "tip": "",
         "font": {"size": 13, "color": "#888"}}
        for c in (10**e for e in range(0, 9)) if c <= max(most, 1)
    ]
    top = min((n["y"] for n in nodes), default=0.0) - 2 * row
    nodes += [
        {"id": f"year:{year}", "label": "year ?" if year is None else str(year),
         "shape": "text", "x": x * col, "y": top, "physics": False, "tip": "",
         "font": {"size": 16, "color": "#666"}}
        for year, x in timeline.ticks
    ]
    edges = [{"from": u, "to": v, "width": 1} for u, v in g.edges if u in ids and v in ids]
    legend = (cluster_legend(clusters, sorted(ids)) if clusters else "") + (
        "<div class='row'>older ← year → newer · higher = more cited (log scale) · "
        "arrow: citing → cited</div>")
    return _page(nodes, edges, legend, arrows=True)


def _height(citations: int | None) -> float:
    """The timeline's height for a citation count: log10(1 + count), a decade a band."""
    return -math.log10(1 + (citations or 0)) * DECADE


def path_html(result: Connection) -> str:
    """The connector's paths: the source on the left, the target on the right, one column per
    hop; arrows point from the citing to the cited paper."""
    column: dict[str, int] = {}
    for path in result.paths:
        for i, pid in enumerate(path):
            column.setdefault(pid, i)
    rows: dict[int, list[str]] = {}
    for pid, i in column.items():
        rows.setdefault(i, []).append(pid)
    nodes = []
    for i, pids in rows.items():
        for j, pid in enumerate(pids):
            paper = result.papers[pid]
            end = pid in (result.source, result.target)
            r = Ranked(paper, 0.0, "seed" if end else "path", (), {}, 0)
            node = _node(r, i * 260.0, (j - (len(pids) - 1) / 2) * 90.0,
                         "#e4572e" if end else "#4e79a7", 16.0)
            node["tip"] = f"<b>{html.escape(name_of(paper))}</b>"
            nodes.append(node)
    edges = []
    seen = set()
    for steps in result.steps:
        for hop in steps:
            u, v = (hop.source, hop.target) if hop.cites else (hop.target, hop.source)
            if (u, v) not in seen:
                seen.add((u, v))
                edges.append({"from": u, "to": v, "width": 2})
    legend = "<div class='row'>★ the two papers · arrow: citing → cited</div>"
    return _page(nodes, edges, legend, arrows=True)
