"""OpenAlex (https://docs.openalex.org), our own small client over httpx.

The ``pyalex`` package hard-codes its host and retries only over https, so it cannot be tested
against a fake on 127.0.0.1; this client reuses the Semantic Scholar request layer
(:class:`~explorer.sources.s2.Requester`: timeout, bounded retries of 429 and 5xx with backoff
and Retry-After, politeness, budget, one named error per failure) and adds what OpenAlex needs:

- the key goes out as the ``api_key`` query parameter (OpenAlex wants it there), added by the
  transport, so no URL httpx logs or an error names carries it;
- merged works answer 301 to the kept work, which is followed;
- every answer's budget headers (``X-RateLimit-Cost-USD``, ``X-RateLimit-Remaining-USD``,
  ``X-RateLimit-Limit-USD``) are read, and the costs summed in :attr:`OpenAlexClient.cost`;
- 401 (a list without a key) and a missing key are one line pointing to the free key.

Terms: a free key buys $1 a day, about 10,000 list calls ($0.0001 each); lookups of one work
are free; at most 100 requests a second (https://developers.openalex.org/guides/authentication).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from explorer.errors import (
    AuthError,
    BadInputError,
    KeyMissingError,
    NotFoundError,
    ServiceError,
)
from explorer.sources.openalex_records import ListPage, bare_doi, list_page, short_id
from explorer.sources.s2 import Requester

log = logging.getLogger(__name__)

__all__ = ["KEY_URL", "MAX_OR", "PER_PAGE", "OpenAlexClient", "OpenAlexRequester", "work_path"]

OPENALEX_DEFAULT_URL = "https://api.openalex.org"
PER_PAGE = 100  # the most a page may hold (per_page 1-100 in the current docs)
MAX_OR = 100  # the most values one filter may OR together with "|"
KEY_URL = "https://openalex.org/settings/api"
COST, REMAINING, LIMIT = ("x-ratelimit-cost-usd", "x-ratelimit-remaining-usd",
                          "x-ratelimit-limit-usd")


class _KeyTransport(httpx.BaseTransport):
    """Adds ``api_key`` to each request as it leaves, so the URLs httpx keeps, logs and puts
    in its exceptions never hold the key."""

    def __init__(self, inner: httpx.BaseTransport, key: str | None) -> None:
        self._inner, self._key = inner, key

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._key:
            request = httpx.Request(
                request.method, request.url.copy_set_param("api_key", self._key),
                headers=request.headers, stream=request.stream, extensions=request.extensions,
            )
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def _usd(value: str | None) -> Decimal | None:
    try:
        amount = Decimal(value.strip()) if value else None
    except InvalidOperation:
        return None
    return amount if amount is not None and amount.is_finite() and amount >= 0 else None


def _json_or_none(r: httpx.Response) -> Any:
    try:
        return r.json()
    except ValueError:
        return None


class OpenAlexRequester(Requester):
    """:class:`~explorer.sources.s2.Requester` for OpenAlex (see the module docstring)."""

    service = "OpenAlex"
    variables = ("OPENALEX_API_KEY", "OPENALEX_API_URL")

    def __init__(self, *, api_key: str | None = None,
                 transport: httpx.BaseTransport | None = None, **options: Any) -> None:
        super().__init__(api_key=api_key, **options)
        self._http.close()
        self._http = httpx.Client(
            timeout=self.timeout, headers=dict(self._http.headers), follow_redirects=True,
            transport=_KeyTransport(transport or httpx.HTTPTransport(), api_key),
        )
        self.cost = Decimal(0)
        """Dollars the answers so far said they cost, summed."""
        self.priced = 0
        """How many answers said what they cost."""
        self.remaining: Decimal | None = None
        """Dollars left today, as the last answer that said so said."""
        self.limit: Decimal | None = None

    @property
    def has_key(self) -> bool:
        return bool(self._key)

    def _auth(self) -> dict[str, str]:
        return {}  # the transport adds the key

    def _decode(self, r: httpx.Response, url: str) -> tuple[Any, Exception | None]:
        if (cost := _usd(r.headers.get(COST))) is not None:
            self.cost += cost
            self.priced += 1
        for name, attr in ((REMAINING, "remaining"), (LIMIT, "limit")):
            if (amount := _usd(r.headers.get(name))) is not None:
                setattr(self, attr, amount)
        where = httpx.URL(url).path
        if r.status_code == 401:
            raise AuthError(
                f"OpenAlex refused the request (401) for {where}: it needs a valid API key "
                f"(free at {KEY_URL}); check OPENALEX_API_KEY", status=401, url=where)
        if r.status_code == 404:
            raise NotFoundError(f"OpenAlex knows no {where.removeprefix('/works/')!r}")
        if r.status_code == 400:
            body = _json_or_none(r)
            said = (body.get("message") or body.get("error")) if isinstance(body, dict) else None
            text = " ".join(str(said or "no reason given").split())[:200]
            raise BadInputError(f"OpenAlex rejected the request for {where}: {text}")
        return super()._decode(r, url)


def work_path(ident: str) -> str:
    """The ``/works/…`` path of a work id, a DOI or an arXiv id (as OpenAlex knows arXiv
    papers: by their DataCite DOI).

    >>> work_path("https://openalex.org/W2741809807")
    '/works/W2741809807'
    >>> work_path("DOI:10.1093/mind/LIX.236.433")
    '/works/doi:10.1093/mind/lix.236.433'
    >>> work_path("ARXIV:1706.03762")
    '/works/doi:10.48550/arxiv.1706.03762'
    """
    if wid := short_id(ident):
        return f"/works/{wid}"
    text = ident.strip()
    low = text.lower()
    for prefix in ("doi:", "https://doi.org/", "http://doi.org/", "https://dx.doi.org/"):
        if low.startswith(prefix):
            return "/works/doi:" + quote(low[len(prefix):], safe="/:()")
    if low.startswith("arxiv:"):
        return "/works/doi:10.48550/arxiv." + quote(low[len("arxiv:"):], safe="/:")
    if low.startswith("10."):
        return "/works/doi:" + quote(low, safe="/:()")
    raise BadInputError(f"OpenAlex can look up a work id, a DOI or an arXiv id, not {text[:60]!r}")


class OpenAlexClient:
    """OpenAlex as explorer uses it: one work, the works citing it (cursor pages of 100),
    and works by id (OR-lists of 100).

    Examples
    --------
    With the network and a key (so not run as a doctest)::

        client = OpenAlexClient(api_key="…")
        work = client.work("DOI:10.1093/mind/LIX.236.433")
        n = sum(len(p.works) for p in client.cited_by(work["id"]))
    """

    def __init__(self, api_url: str = OPENALEX_DEFAULT_URL, api_key: str | None = None,
                 **requester_options: Any) -> None:
        self.base = api_url.rstrip("/")
        self.requester = OpenAlexRequester(api_key=api_key, **requester_options)

    @property
    def requests(self) -> int:
        return self.requester.requests

    @property
    def cost(self) -> Decimal:
        return self.requester.cost

    @property
    def has_key(self) -> bool:
        return self.requester.has_key

    def close(self) -> None:
        self.requester.close()

    def require_key(self) -> None:
        """Raise :class:`~explorer.errors.KeyMissingError` when no key was given."""
        if not self.has_key:
            raise KeyMissingError("OpenAlex", "OPENALEX_API_KEY", KEY_URL, "list works")

    def work(self, ident: str) -> dict[str, Any]:
        """One work by OpenAlex id, DOI or arXiv id (free: a lookup costs nothing)."""
        data = self.requester.request(self.base + work_path(ident))
        if not isinstance(data, dict) or not short_id(data.get("id")):
            raise ServiceError(f"OpenAlex sent a malformed work for {ident[:60]!r}")
        return data

    def cited_by(self, work_id: str, per_page: int = PER_PAGE) -> Iterator[ListPage]:
        """The pages of works citing ``work_id``, by cursor; each page is checked whole.

        Stops when a page is short, the cursor ends, or OpenAlex's count is reached, so C
        citers cost ⌈C/per_page⌉ list calls."""
        self.require_key()
        wid = short_id(work_id)
        if wid is None:
            raise BadInputError(f"not an OpenAlex work id: {work_id[:60]!r}")
        yield from self._list(f"cites:{wid}", per_page)

    def works(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """The works of ``ids`` (OpenAlex ids), 100 a list call; unknown ids are left out."""
        return self._any_of("openalex", [w for w in map(short_id, ids) if w])

    def works_by_doi(self, dois: Sequence[str]) -> dict[str, dict[str, Any]]:
        """DOI (lower case, bare) -> work, 100 DOIs a list call. A DOI filter misses a merged
        record that a single lookup finds (redirected to the kept work), so each DOI the
        lists did not answer is looked up alone; lookups are free. Unknown DOIs are left out.
        """
        wanted = list(dict.fromkeys(d for d in map(bare_doi, dois) if d))
        found = {bare_doi(w.get("doi")): w for w in self._any_of("doi", wanted)}
        out = {}
        for doi in wanted:
            if doi in found:
                out[doi] = found[doi]
                continue
            try:
                out[doi] = self.work("DOI:" + doi)
            except NotFoundError:
                log.info("OpenAlex knows no work with DOI %s", doi)
        return out

    def _any_of(self, field: str, values: Sequence[str]) -> list[dict[str, Any]]:
        self.require_key()
        wanted = list(dict.fromkeys(values))
        out: list[dict[str, Any]] = []
        for start in range(0, len(wanted), MAX_OR):
            chunk = wanted[start:start + MAX_OR]
            for page in self._list(f"{field}:" + "|".join(chunk), PER_PAGE):
                out += page.works
        return out

    def _list(self, filter_: str, per_page: int) -> Iterator[ListPage]:
        cursor: str | None = "*"
        seen = 0
        while cursor:
            query = urlencode({"filter": filter_, "per_page": per_page, "cursor": cursor},
                              safe=":|*")
            page = list_page(self.requester.request(f"{self.base}/works", query))
            if page is None:
                raise ServiceError(f"OpenAlex sent a malformed page of works for {filter_[:60]}")
            seen += len(page.works)
            yield page
            done = (len(page.works) < per_page or (page.count is not None and seen >= page.count))
            cursor = None if done else page.next_cursor
