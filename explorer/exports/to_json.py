"""JSON: ``{"title", "papers": [...], "edges": [[citing, cited], ...]}``.

Each paper is the CSV record (authors and reasons as lists) plus abstract, TL;DR, status,
tags and note; ``edges`` are the citations among the exported papers.
"""

from __future__ import annotations

import json
from typing import Any

from explorer.exports.model import ExportSet, inert
from explorer.exports.to_csv import record


def records(data: ExportSet) -> dict[str, Any]:
    data = inert(data)
    papers = []
    for e in data.entries:
        rec = record(e)
        rec.update(
            score=None if e.score is None else round(e.score, 6),
            authors=list(e.paper.authors), reasons=list(e.reasons), tags=list(e.tags),
            status=e.status, abstract=e.paper.abstract, tldr=e.paper.tldr,
            year=e.paper.year, corpus_id=e.paper.corpus_id,
            citation_count=e.paper.citation_count,
            influential_citation_count=e.paper.influential_citation_count,
            versions=list(e.paper.versions),
        )
        papers.append(rec)
    edges = sorted([u, v] for u, v in data.graph.edges if u in data.graph and v in data.graph)
    return {"title": data.title, "papers": papers, "edges": edges}


def render(data: ExportSet) -> str:
    return json.dumps(records(data), ensure_ascii=False, indent=2) + "\n"
