"""Topic search, and picking papers by number from the last list shown.

:func:`search` pages through S2's relevance search (100 results a request, never past the
window of :data:`~explorer.sources.s2_search.REACHABLE` results) and keeps what it lists in the
store (:meth:`~explorer.store.Store.save_picks`), as the resolver keeps the matches of an
ambiguous title. A seed ``@N`` then names the N-th paper of that list, with no request:
:func:`expand_picks`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from explorer.errors import BadInputError, NothingYetError
from explorer.models import Paper
from explorer.sources.s2 import S2Client
from explorer.sources.s2_search import REACHABLE, SEARCH_PAGE, SearchFilters, fetch_page
from explorer.store import Store

__all__ = ["SEARCH_FIELDS", "SearchResult", "expand_picks", "last_picks", "search"]

SEARCH_FIELDS = ("title", "year", "venue", "citationCount", "tldr")
"""What a search lists: title, year, venue, citations and TL;DR (``paperId`` always comes)."""
PICK = re.compile(r"^@(\d+)$")


@dataclass(frozen=True)
class SearchResult:
    """What :func:`search` found: the papers in relevance order, S2's approximate ``total``,
    the ``offset`` of the first one and the ``requests`` it took."""

    query: str
    papers: list[Paper]
    total: int
    offset: int
    requests: int


def search(
    query: str,
    client: S2Client,
    store: Store | None = None,
    *,
    limit: int = 10,
    offset: int = 0,
    filters: SearchFilters | None = None,
) -> SearchResult:
    """Papers about ``query`` by S2's relevance, ``limit`` of them from ``offset`` on.

    Parameters
    ----------
    query : str
        Plain words, matched against titles and abstracts.
    client : S2Client
    store : Store, optional
        Keeps the list, so that ``@N`` picks from it (:func:`expand_picks`).
    limit : int
        Results wanted: one request for each :data:`SEARCH_PAGE` of them.
    offset : int
        Results to skip; ``offset + limit`` may not pass :data:`REACHABLE`.
    filters : SearchFilters, optional

    Returns
    -------
    SearchResult

    Raises
    ------
    BadInputError
        For an empty query, a ``limit`` below 1, a negative ``offset``, or a page past the
        window S2 serves; no request is made then.
    """
    query = " ".join(query.split())
    if not query:
        raise BadInputError("give the words to search for")
    if limit < 1:
        raise BadInputError("{limit} must be at least 1", parameter="limit", value=limit, bound=1)
    if offset < 0:
        raise BadInputError("{offset} must not be negative", parameter="offset", value=offset,
                            bound=0)
    if offset + limit > REACHABLE:
        raise BadInputError(
            f"Semantic Scholar ranks only the first {REACHABLE} results of a search: "
            f"{{offset}} {offset} + {{limit}} {limit} goes past them; ask for fewer, or narrow "
            "the search with filters",
            parameter="limit", value=limit, bound=REACHABLE - offset)
    raws: list[dict] = []
    total, requests, at = 0, 0, offset
    while len(raws) < limit:
        page = fetch_page(client, query, SEARCH_FIELDS, offset=at,
                          limit=min(SEARCH_PAGE, limit - len(raws)), filters=filters)
        requests += 1
        total = total or page.total
        raws += page.items[: limit - len(raws)]
        if page.next is None:
            break
        at = page.next
    if store is not None:
        store.save_picks(f"search {query!r}", raws)
    return SearchResult(query, [Paper.from_s2(r) for r in raws], total, offset, requests)


def last_picks(store: Store) -> tuple[str, list[Paper]] | None:
    """What the last list to pick from showed (a search, or an ambiguous title's matches)."""
    saved = store.picks()
    if saved is None:
        return None
    label, raws = saved
    return label, [Paper.from_s2(r) for r in raws]


def expand_picks(texts: Sequence[str], store: Store) -> list[str]:
    """``texts`` with every ``@N`` replaced by the id of paper N of the last list shown.

    Raises
    ------
    NothingYetError
        For ``@N`` when no list was kept (``what="search"``).
    BadInputError
        For ``@N`` past the end of that list.
    """
    if not any(PICK.match(t.strip()) for t in texts):
        return list(texts)
    saved = store.picks()
    if saved is None:
        raise NothingYetError("no list to pick from yet", what="search")
    label, raws = saved
    out = []
    for text in texts:
        match = PICK.match(text.strip())
        if match is None:
            out.append(text)
            continue
        n = int(match.group(1))
        if not 1 <= n <= len(raws):
            raise BadInputError(f"@{n} is not in the last list ({label}: "
                                f"{len(raws)} paper{'s' if len(raws) != 1 else ''})")
        out.append(str(raws[n - 1]["paperId"]))
    return out
