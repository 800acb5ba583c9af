"""A fake of Zotero 7's local API (``http://localhost:23119/api/``), for tests and demos.

Built on :class:`explorer.fake_s2.server.FakeServer` (start/stop, request log, faults), it
serves a library file shaped as the web API v3 shapes it (``data/zotero-sample/library.json``:
``{"collections": [...], "items": [...]}``)::

    GET /api/                                          "Nothing to see here."
    GET /api/users/0/collections                       paged
    GET /api/users/0/collections/{key}                 one collection, or 404
    GET /api/users/0/collections/{key}/items           paged, or 404
    GET /api/users/0/items                             paged, child notes and attachments too
    GET /api/users/0/items/top                         paged, top-level items only
    POST /better-bibtex/json-rpc                       Better BibTeX's item.citationkey

Paging as Zotero does it: ``limit`` (default 25, at most 100) and ``start``, with
``Total-Results`` and a ``Link`` header (``rel="next"``, ``rel="last"``). Every answer carries
``Zotero-API-Version: 3``. ``enabled=False`` answers every request 403 "Local API is not
enabled", as Zotero does until the user allows other applications to talk to it. The
library's ``"better_bibtex"`` mapping (item key -> citation key) is what Better BibTeX
answers; without it, the JSON-RPC endpoint is absent (404), as without the plugin.

Example::

    with FakeZotero(LIBRARY) as zotero:
        ZoteroClient(zotero.api_url).items()
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from explorer.fake_s2.corpus import Corpus
from explorer.fake_s2.responses import JSON_TYPE, Response
from explorer.fake_s2.server import FakeServer

__all__ = ["DISABLED_BODY", "FakeZotero", "SAMPLE_LIBRARY"]

SAMPLE_LIBRARY = Path(__file__).resolve().parents[2] / "data" / "zotero-sample" / "library.json"
"""The repository's sample library; its items match papers of ``data/s2-sample``."""
DISABLED_BODY = b"Local API is not enabled"
PREFIX = "/api"
BBT_RPC = "/better-bibtex/json-rpc"
USER = "/users/0"
DEFAULT_LIMIT, MAX_LIMIT = 25, 100
CHILD_TYPES = ("note", "attachment", "annotation")


class FakeZotero(FakeServer):
    """Fake Zotero local API serving ``library`` (a path to, or the dict of, a library file).

    Parameters
    ----------
    library : path or mapping
        ``{"collections": [...], "items": [...]}`` in web API v3 shapes.
    enabled : bool
        ``False`` answers 403 "Local API is not enabled" (settable while running).
    """

    def __init__(self, library: str | Path | Mapping[str, Any] = SAMPLE_LIBRARY, *,
                 enabled: bool = True, host: str = "127.0.0.1"):
        super().__init__(Corpus(), host=host)
        data = (json.loads(Path(library).read_text(encoding="utf-8"))
                if isinstance(library, (str, Path)) else library)
        self.collections: list[dict[str, Any]] = list(data.get("collections") or [])
        self.items: list[dict[str, Any]] = list(data.get("items") or [])
        self.enabled = enabled
        self.better_bibtex: dict[str, str] | None = data.get("better_bibtex")

    @property
    def api_url(self) -> str | None:
        """The base URL for ``ZOTERO_API_URL`` (``.../api``)."""
        return f"{self.url}{PREFIX}" if self.url else None

    def admit(self, path: str, headers: Mapping[str, str]) -> Response | None:
        if self.enabled:
            return None
        return self._headed(Response(403, DISABLED_BODY, {"Content-Type": "text/plain"}))

    def route(self, method: str, path: str, query: dict[str, str], body: bytes) -> Response:
        if path == BBT_RPC and self.better_bibtex is not None:
            return self._rpc(body)
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            return self._text(404, "No endpoint found")
        if method != "GET":
            return self._text(405, "Method not allowed: the local API is read-only")
        rest = path.removeprefix(PREFIX).rstrip("/")
        if rest == "":
            return self._text(200, "Nothing to see here.")
        if not rest.startswith(USER + "/"):
            return self._text(404, "Not found")
        parts = rest.removeprefix(USER + "/").split("/")
        if parts == ["items"]:
            return self._paged(path, query, self.items)
        if parts == ["items", "top"]:
            return self._paged(path, query, [i for i in self.items if _top(i)])
        if parts == ["collections"]:
            return self._paged(path, query, self.collections)
        if len(parts) in (2, 3) and parts[0] == "collections":
            found = [c for c in self.collections if c["key"] == parts[1]]
            if not found:
                return self._text(404, "Collection not found")
            if len(parts) == 2:
                return self._json(found[0])
            if parts[2] == "items":
                members = [i for i in self.items
                           if parts[1] in (i["data"].get("collections") or [])]
                return self._paged(path, query, members)
        return self._text(404, "Not found")

    def _rpc(self, body: bytes) -> Response:
        """Better BibTeX's JSON-RPC: ``item.citationkey`` only."""
        try:
            call = json.loads(body)
            method, params = call["method"], call.get("params") or []
        except (ValueError, KeyError, TypeError):
            return self._json({"jsonrpc": "2.0", "error": {"code": -32700,
                                                         "message": "Parse error"}})
        if method != "item.citationkey" or not params or not isinstance(params[0], list):
            return self._json({"jsonrpc": "2.0", "id": call.get("id"),
                               "error": {"code": -32601, "message": "Method not found"}})
        keys = self.better_bibtex or {}
        return self._json({"jsonrpc": "2.0", "id": call.get("id"),
                           "result": {k: keys.get(str(k).rsplit(":", 1)[-1]) for k in params[0]}})

    def _paged(self, path: str, query: dict[str, str], objects: list[dict[str, Any]]
               ) -> Response:
        try:
            limit = min(int(query.get("limit") or DEFAULT_LIMIT), MAX_LIMIT)
            start = int(query.get("start") or 0)
        except ValueError:
            return self._text(400, "Invalid 'limit' or 'start' value")
        if limit < 1 or start < 0:
            return self._text(400, "Invalid 'limit' or 'start' value")
        page = objects[start:start + limit]
        resp = self._json(page)
        total = len(objects)
        resp.headers["Total-Results"] = str(total)
        links = []
        if start + limit < total:
            links.append(f'<{self._link(path, query, start + limit)}>; rel="next"')
            last = ((total - 1) // limit) * limit
            links.append(f'<{self._link(path, query, last)}>; rel="last"')
        if links:
            resp.headers["Link"] = ", ".join(links)
        return resp

    def _link(self, path: str, query: dict[str, str], start: int) -> str:
        params = {**query, "start": str(start)}
        return f"{self.url}{path}?{urlencode(params)}"

    def _json(self, payload: Any) -> Response:
        data = json.dumps(payload, ensure_ascii=False, indent=2).encode()
        return self._headed(Response(200, data, {"Content-Type": JSON_TYPE}))

    def _text(self, status: int, text: str) -> Response:
        return self._headed(Response(status, text.encode(), {"Content-Type": "text/plain"}))

    @staticmethod
    def _headed(resp: Response) -> Response:
        resp.headers["Zotero-API-Version"] = "3"
        resp.headers["Zotero-Schema-Version"] = "29"
        return resp


def _top(item: Mapping[str, Any]) -> bool:
    data = item.get("data") or {}
    return data.get("itemType") not in CHILD_TYPES or not data.get("parentItem")
