"""GraphML and GEXF of the citation graph among the exported papers (Gephi, VOSviewer, yEd).

Nodes carry ``label`` (title), ``year``, ``score``, ``rank``, ``relation``, ``authors``,
``status``, ``arxiv_id``, ``doi`` and ``citation_count`` (unknown values are left out: GraphML
and GEXF have no null); edges (citing -> cited) carry ``influential`` and ``contexts`` (the
citation sentences joined by `` | ``). Written by networkx.
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx

from explorer.exports.model import ExportSet, inert, xml_safe


def graph(data: ExportSet) -> nx.DiGraph:
    """A plain-attribute copy of the graph, ready for the networkx writers."""
    data = inert(data)
    g = nx.DiGraph(name=data.title)
    for e in data.entries:
        p = e.paper
        attrs: dict[str, Any] = {
            "label": " ".join((p.title or p.paper_id).split()),
            "year": p.year, "score": None if e.score is None else float(e.score),
            "rank": e.rank, "relation": e.relation or None,
            "authors": "; ".join(p.authors) or None, "status": e.status,
            "tags": "; ".join(e.tags) or None, "arxiv_id": p.arxiv_id, "doi": p.doi,
            "citation_count": p.citation_count, "url": p.best_url,
        }
        g.add_node(p.paper_id, **{k: _clean(v) for k, v in attrs.items() if v is not None})
    for u, v, d in data.graph.edges(data=True):
        if u in g and v in g:
            attrs = {"contexts": " | ".join(d.get("contexts") or ()) or None,
                     "influential": d.get("is_influential")}
            g.add_edge(u, v, **{k: _clean(x) for k, x in attrs.items() if x is not None})
    return g


def _clean(value: Any) -> Any:
    return xml_safe(value) if isinstance(value, str) else value


def render_graphml(data: ExportSet) -> str:
    buf = io.BytesIO()
    nx.write_graphml(graph(data), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def render_gexf(data: ExportSet) -> str:
    buf = io.BytesIO()
    nx.write_gexf(graph(data), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")
