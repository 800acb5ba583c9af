"""Which renderer draws a graph: vis-network up to :data:`WEBGL_FROM` papers (tooltips with
citation contexts, draggable nodes), WebGL beyond, up to 20,000 placed papers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import networkx as nx

from explorer.models import Ranked
from explorer.render.graph import graph_html
from explorer.render.webgl import webgl_html

__all__ = ["WEBGL_FROM", "draw_html"]

WEBGL_FROM = 1000
"""Graphs of more papers than this are drawn with WebGL: vis-network draws 1,000 placed papers
in about 2 s and never drew 20,000."""


def draw_html(g: nx.DiGraph, ranked: Sequence[Ranked], statuses: Mapping[str, str] | None = None,
              selected: str | None = None,
              pos: Mapping[str, tuple[float, float]] | None = None) -> str:
    """The graph page of ``ranked``: :func:`explorer.render.graph.graph_html`, or
    :func:`explorer.render.webgl.webgl_html` when more than :data:`WEBGL_FROM` papers are
    placed by ``pos``."""
    if pos is not None and sum(r.paper.paper_id in pos for r in ranked) > WEBGL_FROM:
        return webgl_html(g, ranked, statuses, selected, pos)
    return graph_html(g, ranked, statuses, selected, pos)
