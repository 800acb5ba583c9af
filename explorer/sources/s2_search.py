"""Semantic Scholar relevance search (``/paper/search``): one page fetched, one page parsed.

S2 serves at most :data:`SEARCH_PAGE` results a request, and only while ``offset + limit``
stays within :data:`SEARCH_WINDOW` (``shared/S2-API.md``: "up to 1,000 relevance-ranked
results"), so at most :data:`REACHABLE` results of
one query can ever be read. :func:`fetch_page` asks for one page; :func:`parse_page` is a pure
function of the decoded answer. Paging over several requests is :mod:`explorer.tasks.search`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from explorer.errors import ServiceError
from explorer.sources.s2 import GRAPH, S2Client

__all__ = ["REACHABLE", "SEARCH_PAGE", "SEARCH_WINDOW", "SearchFilters", "SearchPage",
           "fetch_page", "parse_page"]

SEARCH_PAGE = 100
SEARCH_WINDOW = 1000
REACHABLE = SEARCH_WINDOW
"""Results of one query that pages within the window can reach (offset + limit <= 1000)."""


@dataclass(frozen=True)
class SearchFilters:
    """S2's search filters; ``None`` (or ``False``) leaves a filter out.

    Attributes
    ----------
    year : str or None
        ``2019``, ``2016-2020``, ``2010-`` or ``-2015``, as S2 takes it.
    venue : str or None
        Comma-separated venue names.
    fields_of_study : str or None
        Comma-separated fields (``Computer Science,Medicine``).
    publication_types : str or None
        Comma-separated types (``Review,JournalArticle``).
    min_citations : int or None
        Fewest citations a result may have.
    open_access : bool
        Only papers with a public PDF.
    """

    year: str | None = None
    venue: str | None = None
    fields_of_study: str | None = None
    publication_types: str | None = None
    min_citations: int | None = None
    open_access: bool = False

    def params(self) -> dict[str, str]:
        """The query parameters S2 takes for these filters."""
        named = {"year": self.year, "venue": self.venue, "fieldsOfStudy": self.fields_of_study,
                 "publicationTypes": self.publication_types,
                 "minCitationCount": None if self.min_citations is None
                 else str(self.min_citations)}
        out = {k: v for k, v in named.items() if v not in (None, "")}
        if self.open_access:
            out["openAccessPdf"] = ""
        return out


@dataclass(frozen=True)
class SearchPage:
    """One page of results: raw paper records, S2's (approximate) total and the next offset."""

    items: list[dict[str, Any]]
    total: int
    offset: int
    next: int | None


def parse_page(data: Any) -> SearchPage | None:
    """The page in a decoded ``/paper/search`` answer, or ``None`` when it is malformed.

    An empty result has no ``data`` key at all (``{"total": 0, "offset": 0}``); a ``next``
    past the window is dropped, since it cannot be asked for.

    Examples
    --------
    >>> parse_page({"total": 0, "offset": 0})
    SearchPage(items=[], total=0, offset=0, next=None)
    >>> parse_page({"total": 5, "offset": 0, "next": 2, "data": [{"paperId": "a"}]}).next
    2
    >>> parse_page({"data": "nope"}) is None
    True
    """
    if not isinstance(data, dict):
        return None
    items = data.get("data") or []
    numbers = [data.get(k) for k in ("total", "offset", "next")]
    if not isinstance(items, list) or not all(
            n is None or (isinstance(n, int) and not isinstance(n, bool) and n >= 0)
            for n in numbers):
        return None
    papers = [i for i in items if isinstance(i, dict) and isinstance(i.get("paperId"), str)]
    if len(papers) != len([i for i in items if i is not None]):
        return None
    total, offset, nxt = numbers
    if nxt is not None and (not papers or nxt >= REACHABLE):
        nxt = None
    return SearchPage(papers, int(total or 0), int(offset or 0), nxt)


def fetch_page(
    client: S2Client,
    query: str,
    fields: Sequence[str],
    *,
    offset: int = 0,
    limit: int = SEARCH_PAGE,
    filters: SearchFilters | None = None,
) -> SearchPage:
    """One request to ``/paper/search``: results ``offset`` to ``offset + limit`` of ``query``.

    Parameters
    ----------
    client : S2Client
        Sends the request (key, retries, spacing, budget).
    query : str
        Plain words; S2 matches them against titles and abstracts.
    fields : sequence of str
        Paper fields to ask for (``paperId`` always comes).
    offset, limit : int
        Within S2's limits: ``limit <= SEARCH_PAGE`` and ``offset + limit <= SEARCH_WINDOW``.
    filters : SearchFilters, optional

    Returns
    -------
    SearchPage

    Raises
    ------
    ValueError
        For a page outside S2's limits (the caller's bug: tasks check what users ask).
    ServiceError
        When the answer is malformed.
    """
    if not (0 < limit <= SEARCH_PAGE and offset >= 0 and offset + limit <= SEARCH_WINDOW):
        raise ValueError(f"page {offset}+{limit} is outside S2's search window")
    params: Mapping[str, str] = {
        "query": query, "fields": ",".join(fields), "offset": str(offset), "limit": str(limit),
        **(filters or SearchFilters()).params(),
    }
    # The query is user text ("Wide & Deep"): encoded here, not by the package.
    data = client.requester.request(f"{client.base}{GRAPH}/paper/search", urlencode(params))
    page = parse_page(data)
    if page is None:
        raise ServiceError("Semantic Scholar sent a malformed search page")
    return page
