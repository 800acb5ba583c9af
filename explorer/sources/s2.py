"""Semantic Scholar Academic Graph API through the ``semanticscholar`` package.

The package's own request layer has pitfalls (see ``shared/S2-API.md``): it drops the API key
on paged endpoints, turns 502/503 into an empty paper, waits minutes on 429 and ignores
Retry-After. :class:`Requester` replaces that layer inside the package's client: it sends the
key on every request, maps every status to an :mod:`explorer.errors` exception, retries 429 and
5xx a bounded number of times with exponential backoff (honouring Retry-After), spaces
requests politely, counts them, and enforces a request budget.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from semanticscholar import SemanticScholar
from semanticscholar.ApiRequester import ApiRequester

from explorer import __version__
from explorer.errors import (
    AuthError,
    BadInputError,
    BudgetExhaustedError,
    Cancelled,
    DeadlineError,
    NotFoundError,
    RateLimitedError,
    ServiceError,
    UnreachableError,
)

log = logging.getLogger(__name__)

GRAPH = "/graph/v1"
BATCH_SIZE = 500
PAGE_SIZE = 1000
REACHABLE = 9999  # S2 serves at most this many citations or references of one paper

EDGE_FIELDS = ("contexts", "intents", "isInfluential")
PAPER_FIELDS = (
    "paperId", "corpusId", "externalIds", "url", "title", "abstract", "venue", "year",
    "referenceCount", "citationCount", "influentialCitationCount", "isOpenAccess",
    "openAccessPdf", "fieldsOfStudy", "publicationTypes", "publicationDate", "authors",
)
SEED_FIELDS = PAPER_FIELDS + ("tldr", "citationStyles", "journal")
NESTED_REFERENCE_FIELDS = tuple(
    f"references.{f}" for f in ("paperId", "title", "year", "authors", "venue",
                                "externalIds", "citationCount")
)
NESTED_CITATION_FIELDS = tuple(
    f.replace("references.", "citations.", 1) for f in NESTED_REFERENCE_FIELDS
)
RETRY_STATUSES = {429, 500, 502, 503, 504}
SAFETY = 1.05  # on top of min_interval, so clock granularity never puts two arrivals too close
POLL = 0.05  # seconds between two looks at the deadline and the cancel hook


@dataclass(frozen=True)
class Page:
    """One page of ``/citations`` or ``/references``: raw items and the next offset.

    ``capped`` when S2 has more items past the last offset it serves (:data:`REACHABLE`)."""

    items: list[dict[str, Any]]
    offset: int
    next: int | None
    capped: bool = False

    @property
    def cut_short(self) -> bool:
        """Empty, past the first page, with no next: S2 sometimes ends a listing so past
        offset 1000 (s2-folks#117), and asking again later may serve the rest."""
        return bool(self.offset) and not self.items and self.next is None


class _OnTheWire:
    """When one request finished going out: the client's nearest view of its arrival."""

    def __init__(self) -> None:
        self.at: float | None = None
        self.known = threading.Event()

    def sent(self, reached: bool = True) -> None:
        """Note the time it went out (``reached`` False: it never got to the server); once."""
        if not self.known.is_set():
            self.at = time.monotonic() if reached else None
            self.known.set()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: the request is out once its body is sent."""
        if event.endswith("send_request_body.complete"):
            self.sent()


class Dropped(Exception):
    """A request whose ``unless`` said, when its turn came, that it was no longer wanted."""


class _NoConnection(Exception):
    """No connection could be made; ``args[0]`` says why."""


class _Stalled(Exception):
    """Connected, but the whole answer did not arrive before the deadline."""


class Requester(ApiRequester):
    """The HTTP layer of the ``semanticscholar`` client, made safe (see the module docstring).

    ``timeout`` bounds each attempt as a whole (connect, headers and body), not each read;
    ``cancel`` is polled while an attempt waits, so a cancel ends a request in flight.
    ``min_interval`` is the least gap between two requests going out, from any thread (with
    :data:`SAFETY` on top): S2 counts "1 request per second" from arrival to arrival, so a
    request may leave while another is still being answered. The gap counts from the moment
    the previous request was fully sent, not from when it was started, so time spent opening
    its connection (a TLS handshake) cannot bring the two arrivals closer.

    :attr:`service` and :attr:`variables` name the service and the settings its messages
    point to; another source reuses this layer by overriding them and :meth:`_auth`.
    """

    service = "Semantic Scholar"
    variables = ("S2_API_KEY", "S2_API_URL")

    def __init__(
        self,
        *,
        api_key: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 6,
        backoff: float = 1.0,
        min_interval: float = 1.0,
        max_requests: int | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(timeout, retry=False)
        self._key = api_key
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.backoff = backoff
        self.min_interval = min_interval
        self.max_requests = max_requests
        self.cancel = cancel
        self.requests = 0
        self._sleep = sleep
        self._last = 0.0
        self._wire = _OnTheWire()
        self._wire.sent(reached=False)
        self._lock = threading.Lock()
        self._on_turn: Callable[[], None] | None = None
        headers = {"User-Agent": f"explorer/{__version__} (citation-graph explorer)"}
        self._http = httpx.Client(timeout=timeout, headers=headers, transport=transport)

    def close(self) -> None:
        self._http.close()

    def on_next_turn(self, hook: Callable[[], None] | None) -> None:
        """Call ``hook`` once, as the next request takes its turn to go out (before it is
        sent, so a request asked for from then on leaves after it); ``None`` forgets it.
        Not under the lock, which a request holds while it waits for its turn."""
        self._on_turn = hook

    async def get_data_async(  # type: ignore[override]
        self, url: str, parameters: str, headers: dict, payload: dict | None = None
    ) -> Any:
        return self.request(url, parameters, payload)

    def request(self, url: str, parameters: str = "", payload: dict | None = None, *,
                unless: Callable[[], bool] | None = None) -> Any:
        """Send one logical request (retrying as needed) and return the decoded JSON.

        A host that refuses or cannot be found is tried twice at most, quickly; a stalled
        answer and 429/5xx up to ``max_retries`` more times with backoff. ``unless`` is asked
        when the request's turn to go out comes (the pacing waited for): true drops it, and
        :class:`Dropped` is raised instead."""
        params = parameters.lstrip("&")
        began = time.monotonic()
        refused = 0
        for attempt in range(self.max_retries + 1):
            try:
                wait, error = self._attempt(url, params, payload, unless)
            except _NoConnection as exc:
                refused += 1
                if refused > 1 or attempt == self.max_retries:
                    raise UnreachableError(self.service, _host(url), str(exc), attempt + 1,
                                           time.monotonic() - began, url=_public(url)) from None
                wait, error = None, ServiceError(str(exc))
            except _Stalled:
                if attempt == self.max_retries:
                    raise DeadlineError(self.service, _host(url), self.timeout, attempt + 1,
                                        time.monotonic() - began, url=_public(url)) from None
                wait, error = None, ServiceError(f"no whole answer within {self.timeout:g} s")
            if error is None:
                return wait
            if attempt == self.max_retries:
                raise error
            delay = min(self.backoff, 0.5) if refused else self._delay(attempt, wait)
            log.info("%s; retrying in %.1fs (attempt %d)", error, delay, attempt + 1)
            self._sleep(delay)
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, retry_after: Any) -> float:
        if isinstance(retry_after, float):
            return min(retry_after, 120.0)
        return min(self.backoff * 2**attempt, 60.0) * (0.5 + random.random() / 2)

    def _attempt(self, url: str, params: str, payload: dict | None,
                 unless: Callable[[], bool] | None = None) -> tuple[Any, Exception | None]:
        """Returns (data, None) on success, or (retry_after or None, retryable error).

        Raises _NoConnection or _Stalled for the caller to count; other non-retryable
        failures raise at once."""
        with self._lock:
            if self.max_requests is not None and self.requests >= self.max_requests:
                raise BudgetExhaustedError(
                    f"request budget of {self.max_requests} used up", url=_public(url)
                )
            self._wire.known.wait()
            if self._wire.at is not None:
                self._last = self._wire.at
            gap = self._last + self.min_interval * SAFETY - time.monotonic()
            if gap > 0:
                self._sleep(gap)
            if unless is not None and unless():
                raise Dropped()
            self.requests += 1
            self._wire = wire = _OnTheWire()
            hook, self._on_turn = self._on_turn, None
            if hook is not None:
                hook()
        headers = self._auth()
        full = f"{url}?{params}" if params else url
        reached = True
        try:
            r = self._exchange("GET" if payload is None else "POST", full, headers, payload,
                               wire)
        except httpx.ConnectTimeout:
            reached = False
            raise _NoConnection(f"no connection within {self.timeout:g} s") from None
        except httpx.ConnectError as exc:
            reached = False
            raise _NoConnection(_reason(exc)) from None
        except (httpx.LocalProtocolError, httpx.UnsupportedProtocol, httpx.InvalidURL,
                UnicodeEncodeError) as exc:
            # Made here, not by the network: sending it again cannot help. The reason is
            # not shown, since httpx's message may quote the API key.
            raise BadInputError(
                f"cannot send a request to {self.service} at {_host(url)}: the request is "
                f"not valid HTTP ({type(exc).__name__}; check {' and '.join(self.variables)})"
            ) from None
        except httpx.TimeoutException:
            raise _Stalled() from None
        except httpx.TransportError as exc:
            return None, ServiceError(
                f"lost the connection to {self.service} at {_host(url)} "
                f"({type(exc).__name__}) during {_public(url)}"
            )
        finally:
            wire.sent(reached)  # a request that never connected costs the server nothing
        return self._decode(r, url)

    def _auth(self) -> dict[str, str]:
        """The headers that carry the key (none without one)."""
        return {"x-api-key": self._key} if self._key else {}

    def _exchange(self, method: str, url: str, headers: dict[str, str],
                  payload: dict | None, wire: _OnTheWire) -> httpx.Response:
        """One HTTP exchange in a worker thread, watched here for the deadline and cancel."""
        deadline = time.monotonic() + self.timeout
        done, stop = threading.Event(), threading.Event()
        box: dict[str, Any] = {}

        def work() -> None:
            try:
                box["ok"] = self._send(method, url, headers, payload, deadline, stop, wire)
            except BaseException as exc:  # handed to the waiting thread
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=work, name="explorer-s2-request", daemon=True).start()
        while not done.wait(POLL):
            if self.cancel is not None and self.cancel():
                stop.set()
                raise Cancelled("cancelled during a request; what was fetched is kept")
            if time.monotonic() > deadline:
                stop.set()
                raise _Stalled()
        if "error" in box:
            raise box["error"]
        response: httpx.Response = box["ok"]
        return response

    def _send(self, method: str, url: str, headers: dict[str, str], payload: dict | None,
              deadline: float, stop: threading.Event, wire: _OnTheWire) -> httpx.Response:
        with self._http.stream(method, url, headers=headers, json=payload,
                               extensions={"trace": wire.trace}) as r:
            wire.sent()  # a transport without traces: counted from the answer's headers
            body = bytearray()
            for chunk in r.iter_bytes():
                if stop.is_set() or time.monotonic() > deadline:
                    raise _Stalled()
                body += chunk
            return httpx.Response(r.status_code, headers=r.headers, content=bytes(body))

    def _decode(self, r: httpx.Response, url: str) -> tuple[Any, Exception | None]:
        where = _public(url)
        if r.status_code in RETRY_STATUSES:
            retry_after = _retry_after(r.headers.get("retry-after"))
            cls = RateLimitedError if r.status_code == 429 else ServiceError
            what = "rate limit (429)" if r.status_code == 429 else f"HTTP {r.status_code}"
            return retry_after, cls(
                f"{self.service} answered {what} for {where}; try again later",
                status=r.status_code, url=where,
            )
        body = _json(r)
        if r.status_code == 200:
            if body is _BAD:
                return None, ServiceError(
                    f"{self.service} sent malformed JSON for {where}", status=200, url=where
                )
            return body, None
        message = body.get("error") or body.get("message") if isinstance(body, dict) else None
        if r.status_code == 403:
            raise AuthError(
                f"{self.service} refused the API key (403): check {self.variables[0]}",
                status=403, url=where,
            )
        if r.status_code == 404:
            raise NotFoundError(str(message or f"not found: {where}"))
        if r.status_code == 400:
            raise BadInputError(f"{self.service} rejected the request: {message}")
        raise ServiceError(
            f"{self.service} answered HTTP {r.status_code} for {where}",
            status=r.status_code, url=where,
        )


_BAD = object()


def _json(r: httpx.Response) -> Any:
    try:
        return r.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _BAD


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def host_port(url: str) -> str:
    """``host:port`` of ``url``, as the user would look for it."""
    try:
        u = httpx.URL(url)
    except httpx.InvalidURL:
        return url
    port = u.port or (443 if u.scheme == "https" else 80)
    host = f"[{u.host}]" if ":" in u.host else u.host
    return f"{host}:{port}"


def transport_reason(exc: BaseException) -> str:
    """The cause of a transport failure in a few words, on one line."""
    text = " ".join(str(exc).split())
    if text.startswith("[Errno") and "]" in text:
        text = text.split("]", 1)[1].strip()
    return text.lower() if text else type(exc).__name__


_host, _reason = host_port, transport_reason


def _public(url: str) -> str:
    """The URL's path without the host: short, and free of anything secret."""
    if "/graph/v1" not in url:
        try:
            return httpx.URL(url).path or url
        except httpx.InvalidURL:
            return url
    return url.split("/graph/v1", 1)[-1] or url


class S2Client:
    """Semantic Scholar, as explorer uses it: batch lookups, title match, and pages of 1000."""

    uncapped = False
    """S2 serves at most :data:`REACHABLE` items of one listing (a local graph serves all)."""

    def __init__(
        self,
        api_url: str = "https://api.semanticscholar.org",
        api_key: str | None = None,
        **requester_options: Any,
    ) -> None:
        self.base = api_url.rstrip("/")
        self.requester = Requester(api_key=api_key, **requester_options)
        self._sch = SemanticScholar(api_url=self.base, retry=False)
        # The package's client does the URL building and parsing; our layer does the HTTP.
        self._sch._AsyncSemanticScholar._requester = self.requester

    @property
    def requests(self) -> int:
        return self.requester.requests

    def close(self) -> None:
        self.requester.close()

    def paper(self, paper_id: str, fields: Sequence[str] = SEED_FIELDS) -> dict[str, Any]:
        paper = self._sch.get_paper(paper_id, fields=list(fields))
        if not paper.raw_data:
            raise ServiceError(f"Semantic Scholar sent an empty paper for {paper_id}")
        return dict(paper.raw_data)

    def papers(
        self, ids: Sequence[str], fields: Sequence[str] = SEED_FIELDS
    ) -> list[dict[str, Any] | None]:
        """Batch lookup, 500 ids a request; ``None`` where S2 knows no such paper."""
        out: list[dict[str, Any] | None] = []
        for start in range(0, len(ids), BATCH_SIZE):
            out += self._batch(list(ids[start:start + BATCH_SIZE]), fields)
        return out

    def _batch(self, ids: list[str], fields: Sequence[str]) -> list[dict[str, Any] | None]:
        url = f"{self.base}{GRAPH}/paper/batch"
        try:
            data = self.requester.request(url, f"fields={','.join(fields)}", {"ids": ids})
        except BadInputError as exc:
            # "Response would exceed maximum size": halve the batch and try again.
            if "maximum size" in str(exc) and len(ids) > 1:
                half = len(ids) // 2
                return self._batch(ids[:half], fields) + self._batch(ids[half:], fields)
            raise
        if not isinstance(data, list) or len(data) != len(ids):
            raise ServiceError("Semantic Scholar sent a malformed batch answer")
        return [d if isinstance(d, dict) and d.get("paperId") else None for d in data]

    def match_title(self, title: str, fields: Sequence[str] = SEED_FIELDS) -> dict[str, Any]:
        """S2's best title match; raises NotFoundError when there is none."""
        # The package leaves the query unencoded ("Wide & Deep" would break), so encode it here.
        url = f"{self.base}{GRAPH}/paper/search/match"
        query = urlencode({"query": title, "fields": ",".join(fields)})
        try:
            data = self.requester.request(url, query)
        except NotFoundError:
            data = None
        hits = data.get("data") if isinstance(data, dict) else None
        if not hits or not isinstance(hits[0], dict) or not hits[0].get("paperId"):
            raise NotFoundError(f"no paper with a title like {title[:60]!r}")
        return dict(hits[0])

    def page(
        self,
        paper_id: str,
        kind: str,
        offset: int = 0,
        *,
        limit: int = PAGE_SIZE,
        fields: Sequence[str] = PAPER_FIELDS,
        dates: str | None = None,
        unless: Callable[[], bool] | None = None,
    ) -> Page:
        """One page of a paper's ``citations`` or ``references``, 1000 items at most;
        ``dates`` keeps the citers published in that range (S2's ``publicationDateOrYear``
        syntax, e.g. ``2019``, ``2016-03:2020-06``, ``2019:``); ``unless`` as for
        :meth:`Requester.request`."""
        if kind not in ("citations", "references"):
            raise ValueError(kind)
        limit = min(limit, REACHABLE - offset)
        nested = "citingPaper" if kind == "citations" else "citedPaper"
        wanted = ",".join(EDGE_FIELDS + tuple(f"{nested}.{f}" for f in fields))
        url = f"{self.base}{GRAPH}/paper/{paper_id}/{kind}"
        query = f"fields={wanted}&offset={offset}&limit={limit}"
        if dates is not None:
            query += f"&publicationDateOrYear={dates}"
        data = self.requester.request(url, query, unless=unless)
        items = _page_items(data, nested)
        if items is None:
            raise ServiceError(f"Semantic Scholar sent a malformed {kind} page for {paper_id}")
        nxt = data.get("next")
        capped = bool(items) and nxt is not None and nxt >= REACHABLE
        if nxt is not None and (not items or nxt >= REACHABLE):
            nxt = None
        return Page(items=items, offset=int(data.get("offset") or offset), next=nxt,
                    capped=capped)


def _is_offset(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)


def _page_items(data: Any, nested: str) -> list[dict[str, Any]] | None:
    """The items of a citations/references page, or None if the page is malformed: a page
    is all usable or not used at all, so a broken answer never stores half a page."""
    if not isinstance(data, dict) or ("data" not in data and "offset" not in data):
        return None
    raw = data.get("data") or []
    if not isinstance(raw, list) or not (_is_offset(data.get("offset"))
                                         and _is_offset(data.get("next"))):
        return None
    items = [i for i in raw if i is not None]
    for item in items:
        if not isinstance(item, dict):
            return None
        paper = item.get(nested) or {}
        if not isinstance(paper, dict) or not isinstance(paper.get("paperId"), str | None):
            return None
    return items
