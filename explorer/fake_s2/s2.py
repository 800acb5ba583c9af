"""The Semantic Scholar Graph API routes: ``/graph/v1/paper/...`` answered from a corpus.

:func:`route` dispatches one request (path already decoded, query as last values) and returns
a :class:`Response` or raises :class:`ApiError`; the limits are S2's (``shared/S2-API.md``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from explorer.fake_s2.corpus import Corpus
from explorer.fake_s2.dates import in_range, parse_range
from explorer.fake_s2.fields import (
    edge_paper,
    parse_author_fields,
    parse_fields,
    project_authors,
    project_edge,
    project_paper,
)
from explorer.fake_s2.responses import ApiError, Response, bad_request, int_param
from explorer.fake_s2.search import (
    best_title_match,
    passes_filters,
    relevance_hits,
    sorted_hits,
    title_hits,
)

GRAPH = "/graph/v1"

EDGE_PAGE_MAX = 1000
EDGE_WINDOW = 10000  # offset + limit must stay below this on /citations and /references
SEARCH_PAGE_MAX = 100
SEARCH_WINDOW = 1000  # offset + limit may not pass this on /paper/search
BULK_PAGE = 1000
BATCH_MAX = 500
MAX_RESPONSE_BYTES = 10 * 1024 * 1024

_PAPER_ROUTE = re.compile(r"^(?P<id>.+?)(?:/(?P<sub>citations|references|authors))?/?$")


def route(
    corpus: Corpus,
    method: str,
    path: str,
    query: dict[str, str],
    body: bytes,
    *,
    page_size_cap: int | None = None,
    empty_after: Mapping[str, int] | None = None,
    response_cap: int = MAX_RESPONSE_BYTES,
) -> Response:
    """Answer one Graph API request. ``page_size_cap`` and ``empty_after`` reproduce S2's short
    and empty /citations and /references pages (see :meth:`FakeS2.set_page_size_cap`); an
    answer over ``response_cap`` bytes is refused as S2 refuses one over 10 MB."""
    prefix = f"{GRAPH}/paper/"
    if not path.startswith(prefix):
        return Response.of_json(404, {"message": "Not Found"}, compact=True)
    rest = path[len(prefix):]
    if rest.rstrip("/") == "batch":
        return guard_size(_batch(corpus, method, query, body), response_cap)
    if method != "GET":
        return _not_allowed()
    searches: dict[str, Callable[[Corpus, dict[str, str]], Response]] = {
        "search": _search, "search/match": _match, "search/bulk": _bulk}
    if rest.rstrip("/") in searches:
        return guard_size(searches[rest.rstrip("/")](corpus, query), response_cap)
    match = _PAPER_ROUTE.match(rest)
    if not match:
        return Response.of_json(404, {"message": "Not Found"}, compact=True)
    paper_id, sub = match.group("id"), match.group("sub")
    raw = corpus.resolve(paper_id)
    if raw is None:
        raise ApiError(404, {"error": f"Paper with id {paper_id} not found"})
    if sub in ("citations", "references"):
        cut = (empty_after or {}).get(sub)
        return guard_size(_edges(corpus, raw, sub, query, page_size_cap, cut), response_cap)
    if sub == "authors":
        return _authors(raw, query)
    spec = parse_fields(query.get("fields"))
    return guard_size(Response.of_json(200, project_paper(raw, spec, corpus)), response_cap)


def _not_allowed() -> Response:
    return Response.of_json(405, {"message": "Method Not Allowed"}, compact=True)


def guard_size(resp: Response, cap: int = MAX_RESPONSE_BYTES) -> Response:
    """``resp``, or S2's 400 for an answer over ``cap`` bytes."""
    if len(resp.body) > cap:
        raise bad_request("Response would exceed maximum size. Please use a smaller limit "
                          "or request fewer fields.")
    return resp


def _paging(query: Mapping[str, str], page_max: int) -> tuple[int, int]:
    """``offset`` and ``limit`` (default 100), or 400 for a limit above ``page_max``."""
    offset = int_param(query, "offset", 0)
    limit = int_param(query, "limit", 100)
    if limit > page_max:
        raise bad_request(f"Unacceptable query params: [limit={limit}]")
    return offset, limit


def _batch(corpus: Corpus, method: str, query: dict[str, str], body: bytes) -> Response:
    if method != "POST":
        return _not_allowed()
    try:
        ids = json.loads(body or b"null").get("ids")
    except (ValueError, AttributeError):
        ids = None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise bad_request('Request body must be a JSON object {"ids": [paper ids]}')
    if len(ids) > BATCH_MAX:
        raise bad_request(f"Cannot process more than {BATCH_MAX} paper ids at a time")
    spec = parse_fields(query.get("fields"))
    out = []
    for paper_id in ids:
        raw = corpus.resolve(paper_id)
        out.append(None if raw is None else project_paper(raw, spec, corpus))
    return Response.of_json(200, out)


def _edges(corpus: Corpus, raw: Mapping[str, Any], name: str, query: dict[str, str],
           page_size_cap: int | None, empty_after: int | None) -> Response:
    side = "citing" if name == "citations" else "cited"
    spec = parse_fields(query.get("fields"), kind="edge", side=side)
    offset, limit = _paging(query, EDGE_PAGE_MAX)
    if offset + limit >= EDGE_WINDOW:
        raise bad_request(f"The sum of offset and limit must be < {EDGE_WINDOW}")
    if empty_after is not None and offset + limit > empty_after:
        return Response.of_json(200, {"offset": offset, "data": []})
    if name == "citations":
        edges = corpus.citations_of(raw["paperId"])
        span = parse_range(query.get("publicationDateOrYear") or "")
        if span is not None:
            edges = [e for e in edges if in_range(edge_paper(e, side, corpus), span)]
    else:
        edges = corpus.references_of(raw["paperId"])
    served = limit if page_size_cap is None else min(limit, page_size_cap)
    page = [project_edge(e, side, spec, corpus) for e in edges[offset: offset + served]]
    return Response.of_json(200, _page(page, offset, served, len(edges)))


def _authors(raw: Mapping[str, Any], query: dict[str, str]) -> Response:
    wanted = parse_author_fields(query.get("fields"))
    offset, limit = _paging(query, EDGE_PAGE_MAX)
    authors = project_authors(raw.get("authors") or [], wanted) or []
    return Response.of_json(200, _page(authors[offset: offset + limit], offset, limit,
                                       len(authors)))


def _page(data: list[Any], offset: int, size: int, total: int) -> dict[str, Any]:
    """An offset page: ``next`` when items are left after ``offset + size``."""
    payload: dict[str, Any] = {"offset": offset}
    if offset + size < total:
        payload["next"] = offset + size
    payload["data"] = data
    return payload


def _search(corpus: Corpus, query: dict[str, str]) -> Response:
    if not (query.get("query") or "").strip():
        raise bad_request("Missing required query parameter: query")
    spec = parse_fields(query.get("fields"))
    offset, limit = _paging(query, SEARCH_PAGE_MAX)
    if offset + limit > SEARCH_WINDOW:
        raise bad_request(f"The sum of offset and limit must be <= {SEARCH_WINDOW}")
    hits = relevance_hits(corpus, query)
    if not hits:
        return Response.of_json(200, {"total": 0, "offset": 0})
    payload: dict[str, Any] = {"total": len(hits), "offset": offset}
    if offset + limit < min(len(hits), SEARCH_WINDOW):
        payload["next"] = offset + limit
    page = hits[offset: offset + limit]
    payload["data"] = [project_paper(p, spec, corpus) for p in page]
    return Response.of_json(200, payload)


def _bulk(corpus: Corpus, query: dict[str, str]) -> Response:
    spec = parse_fields(query.get("fields"), kind="bulk")
    token = query.get("token") or ""
    start = int(token[4:]) if re.fullmatch(r"FAKE\d+", token) else 0
    hits = title_hits(corpus, query) if (query.get("query") or "").strip() else [
        p for p in corpus.papers.values() if passes_filters(p, query)]
    hits = sorted_hits(hits, query.get("sort"))
    page = hits[start: start + BULK_PAGE]
    more = start + BULK_PAGE < len(hits)
    payload = {"total": len(hits), "token": f"FAKE{start + BULK_PAGE}" if more else None,
               "data": [project_paper(p, spec, corpus) for p in page]}
    return Response.of_json(200, payload)


def _match(corpus: Corpus, query: dict[str, str]) -> Response:
    spec = parse_fields(query.get("fields"))
    best = best_title_match(corpus, query.get("query") or "")
    if best is None:
        raise ApiError(404, {"error": "Title match not found"})
    raw, score = best
    paper = project_paper(raw, spec, corpus)
    item = {"paperId": paper.pop("paperId"), "title": raw.get("title"), "matchScore": score}
    paper.pop("title", None)
    return Response.of_json(200, {"data": [{**item, **paper}]})
