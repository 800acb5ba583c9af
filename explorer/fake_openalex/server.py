"""The fake OpenAlex HTTP API, on the fakes' server base (:class:`FakeServer`).

Routes and rules (the current docs at developers.openalex.org, and what users report)::

    GET /works/W123 | /works/doi:10.… | /works/https://doi.org/10.…   one work, free
        a merged id or DOI answers 301 to the kept work; an unknown (dangling) id 404
    GET /works?filter=cites:W…|openalex:W…|doi:…&per_page=&cursor=|page=   a list, $0.0001
        per_page 1-100 (else 400); up to 100 values OR-ed with "|" (else 400); cursor
        paging needs a key (401 without); basic paging reaches page * per_page <= 10,000

Every answer carries the budget headers ``X-RateLimit-Limit-USD``, ``-Remaining-USD`` and
``-Cost-USD`` (the docs name rate-limit headers without spelling them out; these follow the
issue's description). A key's day budget ($1 with a key, $0.01 without) spent answers 429.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from explorer.fake_openalex.works import Works
from explorer.fake_s2.corpus import Corpus, corpus_for
from explorer.fake_s2.responses import ApiError, Response
from explorer.fake_s2.server import FakeServer

PER_PAGE_MAX = 100
OR_MAX = 100
BASIC_WINDOW = 10_000
LIST_COST = Decimal("0.0001")
KEYED_BUDGET, KEYLESS_BUDGET = Decimal("1"), Decimal("0.01")


def _error(status: int, error: str, message: str) -> ApiError:
    return ApiError(status, {"error": error, "message": message})


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    if cursor == "*":
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        return int(text.removeprefix("offset:")) if text.startswith("offset:") else -1
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return -1


class FakeOpenAlex(FakeServer):
    """Fake OpenAlex serving :class:`Works` derived from an S2 corpus (see the module doc).

    Parameters
    ----------
    corpus_dir, corpus : the S2 corpus the works are derived from (as :class:`FakeS2` takes).
    works : the works to serve instead of deriving them.
    api_key : when set, a request whose ``api_key`` differs answers 401.
    skip_citations_of : see :meth:`Works.from_s2`.
    """

    def __init__(self, corpus_dir: str | Path | None = None, *, corpus: Corpus | None = None,
                 works: Works | None = None, api_key: str | None = None,
                 skip_citations_of: Mapping[str, int] | None = None,
                 host: str = "127.0.0.1") -> None:
        super().__init__(corpus_for(corpus_dir, corpus=corpus), host=host)
        self.works = works if works is not None else Works.from_s2(self.corpus,
                                                                   skip_citations_of)
        self.api_key = api_key
        self.spent: dict[str, Decimal] = {}
        self.budgets = {"": KEYLESS_BUDGET}
        """Day budget in dollars by key ("" for no key); others get :data:`KEYED_BUDGET`."""
        self.budget_headers = True
        """False: answers carry no budget headers (the budget is still kept)."""

    def route(self, method: str, path: str, query: dict[str, str], body: bytes) -> Response:
        key = query.get("api_key", "")
        if self.api_key is not None and key and key != self.api_key:
            return self._priced(Response.of_json(401, {"error": "Unauthorized",
                                                       "message": "Invalid API key"}), key, 0)
        if path == "/works":
            cost = LIST_COST
            if self._left(key) < cost:
                return self._priced(Response.of_json(429, {
                    "error": "Rate limit exceeded",
                    "message": "Daily budget used up; it renews at midnight UTC"}), key, 0)
            try:
                return self._priced(self._list(query, key), key, cost)
            except ApiError as err:
                return self._priced(Response.of_json(err.status, err.payload), key, 0)
        if path.startswith("/works/"):
            try:
                return self._priced(self._one(path.removeprefix("/works/")), key, 0)
            except ApiError as err:
                return self._priced(Response.of_json(err.status, err.payload), key, 0)
        return Response.of_json(404, {"error": "Not Found", "message": f"no route {path}"})

    # budget ----------------------------------------------------------------------------------

    def _left(self, key: str) -> Decimal:
        budget = self.budgets.get(key, KEYED_BUDGET)
        return budget - self.spent.get(key, Decimal(0))

    def _priced(self, resp: Response, key: str, cost: Decimal | int) -> Response:
        cost = Decimal(cost) if resp.status < 400 else Decimal(0)
        self.spent[key] = self.spent.get(key, Decimal(0)) + cost
        if not self.budget_headers:
            return resp
        resp.headers.update({
            "X-RateLimit-Limit-USD": str(self.budgets.get(key, KEYED_BUDGET)),
            "X-RateLimit-Remaining-USD": str(max(self._left(key), Decimal(0))),
            "X-RateLimit-Cost-USD": str(cost),
        })
        return resp

    # routes ----------------------------------------------------------------------------------

    def _one(self, ident: str) -> Response:
        low = ident.lower()
        if low.startswith(("doi:", "https://doi.org/", "http://doi.org/")):
            wid, merged = self.works.by_doi(ident)
            if wid is None:
                raise _error(404, "Not Found", f"No work with DOI {ident}")
            if merged:
                return self._redirect(wid)
        else:
            wid = ident.upper()
            kept = self.works.merged_into(wid)
            if kept is not None:
                return self._redirect(kept)
        work = self.works.get(wid)
        if work is None:
            raise _error(404, "Not Found", f"Work {ident} not found")
        return Response.of_json(200, work)

    def _redirect(self, wid: str) -> Response:
        return Response(301, b"", {"Location": f"/works/{quote(wid)}"})

    def _list(self, query: Mapping[str, str], key: str) -> Response:
        per_page = self._per_page(query)
        ids = self._filtered(query.get("filter", ""))
        if "cursor" in query:
            if not key:
                raise _error(401, "Unauthorized",
                             "Cursor paging needs an API key: https://openalex.org/settings/api")
            start = _offset(query["cursor"])
            if start < 0:
                raise _error(400, "Invalid cursor", f"cursor {query['cursor'][:40]} is not valid")
        else:
            page = _positive(query.get("page", "1"), "page")
            if page * per_page > BASIC_WINDOW:
                raise _error(400, "Invalid query parameters",
                             f"Maximum results size of {BASIC_WINDOW:,} records is exceeded. "
                             "Cursor pagination is required for records beyond 10,000.")
            start = (page - 1) * per_page
        chunk = ids[start:start + per_page]
        more = start + per_page < len(ids)
        meta: dict[str, Any] = {"count": len(ids), "db_response_time_ms": 1,
                                "page": None if "cursor" in query else start // per_page + 1,
                                "per_page": per_page}
        if "cursor" in query:
            meta["next_cursor"] = _cursor(start + per_page) if more else None
        works = [w for w in (self.works.get(i) for i in chunk) if w is not None]
        return Response.of_json(200, {"meta": meta, "results": works, "group_by": []})

    def _per_page(self, query: Mapping[str, str]) -> int:
        raw = query.get("per_page", query.get("per-page", "25"))
        value = _positive(raw, "per_page")
        if value > PER_PAGE_MAX:
            raise _error(400, "Invalid query parameters",
                         f"per_page is {value}; it must be between 1 and {PER_PAGE_MAX}")
        return value

    def _filtered(self, text: str) -> list[str]:
        """Ids of the works every clause of ``filter`` admits (clauses AND, values OR)."""
        found: list[str] | None = None
        for clause in (c for c in text.split(",") if c.strip()):
            name, _, values = clause.partition(":")
            parts = [v for v in values.split("|") if v]
            if not parts:
                raise _error(400, "Invalid query parameters", f"empty filter {name}")
            if len(parts) > OR_MAX:
                raise _error(400, "Invalid query parameters",
                             f"Maximum number of values exceeded for {name}. Decrease values to "
                             f"{OR_MAX} or below, or consider using multiple requests.")
            ids = self._clause(name.strip().lower(), parts)
            found = ids if found is None else [i for i in found if i in set(ids)]
        if found is None:
            raise _error(400, "Invalid query parameters", "this fake answers filtered lists only")
        return found

    def _clause(self, name: str, values: list[str]) -> list[str]:
        out: list[str] = []
        for value in values:
            if name == "cites":
                out += self.works.citing(value.rsplit("/", 1)[-1])
            elif name in ("openalex", "ids.openalex", "openalex_id"):
                wid = value.rsplit("/", 1)[-1].upper()
                out += [wid] if self.works.get(wid) else []
            elif name == "doi":
                found, _ = self.works.by_doi(value, merged=False)
                out += [found] if found else []
            else:
                raise _error(400, "Invalid query parameters", f"{name} is not a valid field")
        return list(dict.fromkeys(out))


def _positive(raw: str, name: str) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise _error(400, "Invalid query parameters", f"{name} must be a number of 1 or more")
    return int(raw)


def with_citers(fake: FakeOpenAlex, n: int) -> FakeOpenAlex:
    """``fake`` with ``n`` generated citers of its most cited work (for demos)."""
    if n > 0 and fake.works.works:
        top = max(fake.works.works, key=lambda wid: len(fake.works.citing(wid)))
        fake.works.add_citers(top, n)
    return fake
