"""The user's Zotero library through the local API of Zotero 7 (read-only).

Zotero 7 serves a copy of its web API (version 3) at ``http://localhost:23119/api/`` once the
user ticks "Allow other applications on this computer to communicate with Zotero" (Settings →
Advanced); until then it answers 403 "Local API is not enabled". User ``0`` is the local
user. Lists come in pages of at most 100 (``limit``, ``start``), with the whole count in
``Total-Results`` and the next page in the ``Link`` header. Better BibTeX, when installed,
answers JSON-RPC on the same port; its ``item.citationkey`` gives the citation keys it keeps
outside the items (Zotero 7 versions of it no longer pin them in ``extra``).

:class:`ZoteroClient` fetches; what it returns is Zotero's raw JSON, read into library items
by :mod:`explorer.seeds.library` (a pure function of it). Every failure is a
:class:`~explorer.errors.LibraryError` whose message says what to do, and a list is returned
whole or not at all.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from explorer import __version__
from explorer.errors import LibraryError, NotFoundError
from explorer.sources.s2 import host_port, transport_reason

log = logging.getLogger(__name__)

__all__ = ["BBT_RPC", "DEFAULT_URL", "ENABLE_HINT", "MAX_ITEMS", "PAGE_SIZE", "ZoteroClient"]

DEFAULT_URL = "http://localhost:23119/api"
PAGE_SIZE = 100
MAX_ITEMS = 100_000
"""A library larger than this is refused rather than read for ever (a broken pager)."""
ENABLE_HINT = ("in Zotero 7 open Settings → Advanced and tick \"Allow other applications on "
               "this computer to communicate with Zotero\"")
RETRY_STATUSES = {429, 500, 502, 503, 504}
BBT_RPC = "/better-bibtex/json-rpc"
"""Better BibTeX's JSON-RPC endpoint, on Zotero's port."""
_NEXT = re.compile(r'<([^>]*)>\s*;\s*rel="?next"?')


class ZoteroClient:
    """Read a Zotero library: its collections and its items, a collection's or all of them.

    Parameters
    ----------
    api_url : str
        The local API's base, ``http://localhost:23119/api`` by default.
    timeout : float
        Seconds one request may take.
    max_retries : int
        Extra attempts on 429 and 5xx, with ``backoff * 2**attempt`` seconds between them.
    transport : httpx.BaseTransport, optional
        Injected for tests; by default the network.

    Examples
    --------
    With Zotero running (so not run as a doctest)::

        with closing(ZoteroClient()) as zotero:
            [c["data"]["name"] for c in zotero.collections()]
    """

    def __init__(self, api_url: str = DEFAULT_URL, *, timeout: float = 30.0,
                 max_retries: int = 2, backoff: float = 0.5,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base = api_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.backoff = backoff
        self.requests = 0
        self._sleep = sleep
        self._http = httpx.Client(
            timeout=timeout, transport=transport,
            headers={"User-Agent": f"explorer/{__version__} (citation-graph explorer)",
                     "Zotero-API-Version": "3"})

    def close(self) -> None:
        self._http.close()

    def collections(self) -> list[dict[str, Any]]:
        """Every collection of the library (raw web API v3 objects)."""
        return self._all("/users/0/collections")

    def items(self, collection: str | None = None) -> list[dict[str, Any]]:
        """Every item of the library, or of the collection with key ``collection``
        (raw web API v3 objects, child notes and attachments included)."""
        path = f"/users/0/collections/{collection}/items" if collection else "/users/0/items"
        return self._all(path)

    def citekeys(self, item_keys: list[str]) -> dict[str, str]:
        """Better BibTeX's citation keys of ``item_keys`` (in My Library), by item key,
        through its JSON-RPC ``item.citationkey``; empty when Better BibTeX is not installed
        or cannot answer (the keys then come from the items alone)."""
        if not item_keys:
            return {}
        url = self.base.removesuffix("/api") + BBT_RPC
        payload = {"jsonrpc": "2.0", "method": "item.citationkey", "params": [item_keys],
                   "id": 1}
        self.requests += 1
        try:
            r = self._http.post(url, json=payload)
            result = r.json().get("result") if r.status_code == 200 else None
        except (httpx.HTTPError, json.JSONDecodeError, UnicodeDecodeError, AttributeError):
            result = None
        if not isinstance(result, dict):
            log.info("no citation keys from Better BibTeX at %s", host_port(url))
            return {}
        return {str(k).rsplit(":", 1)[-1]: v for k, v in result.items()
                if isinstance(v, str) and v}

    def _all(self, path: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        start: int | None = 0
        while start is not None:
            page, total, nxt = self._page(path, start)
            out += page
            if len(out) > MAX_ITEMS:
                raise LibraryError(f"Zotero lists more than {MAX_ITEMS} objects at {path}; "
                                   "read one collection at a time", url=path)
            if nxt is None and total is not None and start + len(page) < total and page:
                nxt = start + len(page)
            start = nxt if nxt is not None and nxt > start else None
        return out

    def _page(self, path: str, start: int) -> tuple[list[dict[str, Any]], int | None, int | None]:
        r = self._get(path, {"format": "json", "limit": PAGE_SIZE, "start": start})
        try:
            data = r.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            data = None
        if not isinstance(data, list) or not all(
                isinstance(d, dict) and isinstance(d.get("key"), str)
                and isinstance(d.get("data"), dict) for d in data):
            raise LibraryError(f"Zotero sent malformed JSON for {path} (start {start})",
                               status=r.status_code, url=path)
        total = r.headers.get("total-results", "")
        return data, int(total) if total.isdigit() else None, _next_start(r.headers.get("link"))

    def _get(self, path: str, params: dict[str, Any]) -> httpx.Response:
        url = self.base + path
        host = host_port(url)
        for attempt in range(self.max_retries + 1):
            self.requests += 1
            try:
                r = self._http.get(url, params=params)
            except httpx.ConnectError as exc:
                raise LibraryError(
                    f"cannot reach Zotero at {host} ({transport_reason(exc)}): is Zotero "
                    "running? Start it, or set ZOTERO_API_URL to where it listens",
                    url=path) from None
            except httpx.TimeoutException:
                raise LibraryError(f"Zotero at {host} did not answer within "
                                   f"{self.timeout:g} s: is it busy or stuck?", url=path) from None
            except httpx.TransportError as exc:
                raise LibraryError(f"lost the connection to Zotero at {host} "
                                   f"({type(exc).__name__})", url=path) from None
            if r.status_code in RETRY_STATUSES and attempt < self.max_retries:
                log.info("Zotero answered %s for %s; retrying", r.status_code, path)
                self._sleep(self.backoff * 2**attempt)
                continue
            break
        if r.status_code == 403:
            raise LibraryError(f"Zotero refused to share its library (403 {_said(r)}): "
                               f"{ENABLE_HINT}", status=403, url=path)
        if r.status_code == 404:
            raise NotFoundError(f"Zotero has nothing at {path} (404)")
        if r.status_code != 200:
            raise LibraryError(f"Zotero answered HTTP {r.status_code} for {path}",
                               status=r.status_code, url=path)
        return r


def _said(r: httpx.Response) -> str:
    """The first words of a refusal, as Zotero put them (plain text)."""
    text = " ".join(r.text.split())[:60]
    return text if text.isprintable() and text else "Forbidden"


def _next_start(link: str | None) -> int | None:
    """``start`` of the ``rel="next"`` page of a ``Link`` header, or None."""
    m = _NEXT.search(link or "")
    if m is None:
        return None
    value = parse_qs(urlsplit(m.group(1)).query).get("start", [""])[-1]
    return int(value) if value.isdigit() else None
