"""Pages of Semantic Scholar links -> records: pure functions of the decoded JSON, no I/O.

:meth:`explorer.sources.s2.S2Client.page` fetches a page of ``/paper/{id}/citations`` or
``/paper/{id}/references``; :func:`page_links` turns its items into the papers at the other
end and the edges to store, for the walker and the watch alike. :func:`embedded_links` does
the same for the bare links a batch lookup embeds in a paper record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from explorer.models import Edge

__all__ = ["NESTED", "Links", "embedded_links", "page_links"]

NESTED = {"citations": "citingPaper", "references": "citedPaper"}
"""The key under which an item of each kind of page holds the paper at the other end."""


@dataclass(frozen=True)
class Links:
    """What one page says: the papers at the other end (each with a ``paperId``), and the
    edges between them and the paper whose page it is, in the page's order."""

    papers: list[dict[str, Any]]
    edges: list[Edge]


def page_links(paper_id: str, kind: str, items: Sequence[Mapping[str, Any]]) -> Links:
    """The papers and edges of a page of ``paper_id``'s ``kind`` (citations or references).

    Items whose paper has no id (S2 lists references it could not match) are left out; the
    contexts and intents keep only their strings.

    Examples
    --------
    >>> links = page_links("b", "citations", [
    ...     {"citingPaper": {"paperId": "a", "title": "A"}, "isInfluential": True,
    ...      "contexts": ["as shown in [3]", None], "intents": ["result"]},
    ...     {"citingPaper": {"paperId": None, "title": "unmatched"}},
    ... ])
    >>> [p["paperId"] for p in links.papers]
    ['a']
    >>> [(e.citing, e.cited, e.is_influential, e.contexts) for e in links.edges]
    [('a', 'b', True, ('as shown in [3]',))]
    """
    nested = NESTED[kind]
    papers: list[dict[str, Any]] = []
    edges: list[Edge] = []
    for item in items:
        paper = item.get(nested) or {}
        other = paper.get("paperId")
        if not other:
            continue
        papers.append(dict(paper))
        citing, cited = (other, paper_id) if kind == "citations" else (paper_id, other)
        edges.append(Edge(
            citing, cited, item.get("isInfluential"),
            tuple(c for c in item.get("contexts") or () if isinstance(c, str)),
            tuple(i for i in item.get("intents") or () if isinstance(i, str)),
        ))
    return Links(papers, edges)


def embedded_links(paper_id: str, kind: str, raw: Mapping[str, Any] | None) -> Links:
    """The papers and edges of the ``kind`` links a batch lookup embedded in ``raw`` (the
    record of ``paper_id``, or None when S2 knows no such paper): bare links, without the
    contexts, intents and influence flags of a page.

    Examples
    --------
    >>> links = embedded_links("p", "references", {"references": [{"paperId": "r"}, None]})
    >>> [(e.citing, e.cited, e.is_influential) for e in links.edges]
    [('p', 'r', None)]
    """
    listed = (raw or {}).get(kind) or ()
    return page_links(paper_id, kind, [{NESTED[kind]: r} for r in listed if isinstance(r, dict)])
