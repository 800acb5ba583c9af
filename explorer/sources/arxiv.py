"""arXiv metadata through the ``arxiv`` package: lookups of what Semantic Scholar lacks, and
listings of what was submitted to some categories over a span of time.

The package calls ``requests`` without a timeout, so a silent server would hang forever;
:class:`_TimeoutSession` gives every request one, and counts them. arXiv's terms of use ask for
one request every 3 seconds on a single connection, which the package's ``delay_seconds``
enforces (one client, so lookups and listings share the pace); a listing reads pages of at most
2000 results, the most the API serves at a time.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import arxiv
import requests

from explorer.errors import BadInputError, NotFoundError, ServiceError, UnreachableError

LISTING_PAGE = 2000
"""Results a listing asks for at a time: arXiv serves "slices of at most 2000"."""
_CATEGORY = re.compile(r"^[a-z][a-z-]*(\.[A-Za-z-]+)?$")


class _TimeoutSession(requests.Session):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout
        self.sent = 0

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self._timeout)
        self.sent += 1
        return super().request(*args, **kwargs)


@dataclass(frozen=True)
class ArxivRecord:
    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    abstract: str
    categories: tuple[str, ...]
    published: str
    pdf_url: str | None
    submitted: str = ""
    """The time of the first version, ``2026-11-20T13:05:00Z`` (listings fill it)."""

    def as_s2(self) -> dict[str, Any]:
        """The record in S2's paper shape, to fill gaps in an S2 record."""
        return {
            "title": self.title,
            "abstract": self.abstract,
            "authors": [{"authorId": None, "name": n} for n in self.authors],
            "year": int(self.published[:4]) if self.published[:4].isdigit() else None,
            "publicationDate": self.published or None,
            "externalIds": {"ArXiv": self.arxiv_id},
            "openAccessPdf": {"url": self.pdf_url, "status": "GREEN"} if self.pdf_url else None,
        }


def parse_result(result: arxiv.Result, arxiv_id: str) -> ArxivRecord:
    return ArxivRecord(
        arxiv_id=arxiv_id,
        title=" ".join(result.title.split()),
        authors=tuple(a.name for a in result.authors),
        abstract=" ".join(result.summary.split()),
        categories=tuple(result.categories),
        published=result.published.date().isoformat() if result.published else "",
        pdf_url=result.pdf_url,
        submitted=(result.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                   if result.published else ""),
    )


def listing_query(categories: Sequence[str], since: datetime, until: datetime) -> str:
    """The ``search_query`` of what was submitted to any of ``categories`` from ``since`` to
    ``until`` (GMT minutes, both included), in the syntax of arXiv's user manual.

    >>> listing_query(["cs.LG", "cs.CL"], datetime(2026, 11, 18, tzinfo=UTC),
    ...               datetime(2026, 12, 2, 4, 30, tzinfo=UTC))
    '(cat:cs.LG OR cat:cs.CL) AND submittedDate:[202611180000 TO 202612020430]'
    """
    bad = [c for c in categories if not _CATEGORY.match(c)]
    if bad or not categories:
        raise BadInputError("an arXiv category looks like cs.LG or hep-th, not "
                            + (repr(bad[0]) if bad else "nothing"))
    if since > until:
        raise BadInputError(f"the span starts after it ends: {since:%Y-%m-%d} > {until:%Y-%m-%d}")
    cats = " OR ".join(f"cat:{c}" for c in dict.fromkeys(categories))
    span = f"[{since.astimezone(UTC):%Y%m%d%H%M} TO {until.astimezone(UTC):%Y%m%d%H%M}]"
    return f"({cats}) AND submittedDate:{span}" if len(categories) > 1 else \
        f"{cats} AND submittedDate:{span}"



class ArxivClient:
    """Looks up arXiv ids and lists what was submitted to categories.

    Parameters
    ----------
    api_url : str
        The base of the export API (``/api/query`` is added).
    timeout : float
        Seconds one request may take.
    delay_seconds : float
        Seconds between requests; arXiv's terms ask for 3.
    page_size : int
        Results a listing asks for a request, at most :data:`LISTING_PAGE`.
    """

    def __init__(self, api_url: str = "https://export.arxiv.org", timeout: float = 20.0,
                 delay_seconds: float = 3.0, page_size: int = LISTING_PAGE) -> None:
        self._client = arxiv.Client(page_size=100, delay_seconds=delay_seconds, num_retries=2)
        self._client.query_url_format = api_url.rstrip("/") + "/api/query?{}"
        self._session = _TimeoutSession(timeout)
        self._client._session = self._session
        self.page_size = max(1, min(page_size, LISTING_PAGE))
        parts = urlsplit(api_url)
        self.host = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"

    @property
    def requests(self) -> int:
        """Requests sent so far (retries included)."""
        return self._session.sent

    def _results(self, search: arxiv.Search, page_size: int, what: str) -> list[arxiv.Result]:
        began = time.monotonic()
        self._client.page_size = page_size
        try:
            return list(self._client.results(search))
        except arxiv.HTTPError as exc:
            if exc.status == 400:
                raise NotFoundError(f"arXiv refused {what} (HTTP 400)") from None
            raise ServiceError(f"arXiv answered HTTP {exc.status}", status=exc.status) from None
        except requests.ConnectionError:
            raise UnreachableError("arXiv", self.host, "no connection", 1,
                                   time.monotonic() - began) from None
        except (arxiv.ArxivError, requests.RequestException) as exc:
            raise ServiceError(f"arXiv at {self.host} failed: {type(exc).__name__}") from None

    def lookup(self, arxiv_id: str) -> ArxivRecord:
        """The record of one id; NotFoundError for an id arXiv does not know."""
        try:
            results = self._results(arxiv.Search(id_list=[arxiv_id]), 100, "the id")
        except NotFoundError:
            raise NotFoundError(f"arXiv does not know the id {arxiv_id!r}") from None
        if not results:
            raise NotFoundError(f"no such arXiv paper: {arxiv_id}")
        return parse_result(results[0], arxiv_id)

    def listing(self, categories: Sequence[str], since: datetime, until: datetime,
                limit: int | None = None) -> list[ArxivRecord]:
        """What was submitted to any of ``categories`` from ``since`` to ``until``, newest
        first, each paper once (a cross-listed paper matches several categories).

        Costs ⌈n / page_size⌉ requests for n results (one at least), paced by
        ``delay_seconds``; ``limit`` stops after that many results.
        """
        search = arxiv.Search(query=listing_query(categories, since, until), max_results=limit,
                              sort_by=arxiv.SortCriterion.SubmittedDate,
                              sort_order=arxiv.SortOrder.Descending)
        found: dict[str, ArxivRecord] = {}
        for result in self._results(search, self.page_size, "the listing query"):
            short = re.sub(r"v\d+$", "", result.get_short_id())
            found.setdefault(short, parse_result(result, short))
        return list(found.values())
