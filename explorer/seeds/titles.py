"""Whether a title seed names one paper: the other papers whose titles are close to it.

S2's title match (``/paper/search/match``) always answers with one best match. When that
match's title equals the seed's (accents, case and punctuation aside) the seed is taken to name
it, and nothing more is asked. Otherwise one relevance search for the same words
(:data:`CANDIDATES` results) finds the other papers whose titles are as close: equal, similar
(:data:`SIMILAR` by :class:`difflib.SequenceMatcher`), or holding the seed's words as a
phrase. Any such paper makes the seed ambiguous, and the user picks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher
from typing import Any

from explorer.seeds.ids import title_alias
from explorer.sources.s2 import S2Client
from explorer.sources.s2_search import fetch_page

__all__ = ["CANDIDATES", "CANDIDATE_FIELDS", "SIMILAR", "close_titles", "is_exact",
           "other_matches"]

CANDIDATES = 10
"""Search results looked at for other matches."""
SIMILAR = 0.8
CANDIDATE_FIELDS = ("title", "year", "venue", "citationCount", "authors")
"""What the user is shown to choose: title, year, first author, venue, citations."""


def _folded(title: str) -> str:
    return title_alias(title).removeprefix("TITLE:")


def is_exact(title: str, paper: Mapping[str, Any]) -> bool:
    """Whether ``paper``'s title is ``title`` with accents, case and punctuation aside.

    >>> is_exact("attention is all you need", {"title": "Attention Is All You Need."})
    True
    """
    return _folded(title) == _folded(paper.get("title") or "")


def close_titles(title: str, papers: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The papers whose title is close to ``title``, in the order given.

    >>> [p["paperId"] for p in close_titles("decomposable attention model", [
    ...     {"paperId": "a", "title": "A decomposable attention model"},
    ...     {"paperId": "b", "title": "Decomposable attention models for NLI"},
    ...     {"paperId": "c", "title": "Attention over models"}])]
    ['a', 'b']
    """
    wanted = _folded(title)
    out = []
    for paper in papers:
        other = _folded(paper.get("title") or "")
        if not other:
            continue
        if (f" {wanted} " in f" {other} "
                or SequenceMatcher(None, wanted, other).ratio() >= SIMILAR):
            out.append(dict(paper))
    return out


def other_matches(client: S2Client, title: str, best: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Papers besides ``best`` (S2's title match for ``title``) with a title as close.

    No request when ``best``'s title is exact; one search request otherwise.
    """
    if is_exact(title, best):
        return []
    page = fetch_page(client, title, CANDIDATE_FIELDS, limit=CANDIDATES)
    return [p for p in close_titles(title, page.items) if p["paperId"] != best["paperId"]]
