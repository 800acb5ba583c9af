"""The Recommendations API routes: ``/recommendations/v1/papers/...`` answered from a corpus.

``GET /papers/forpaper/{id}`` (``from=recent|all-cs``, ``limit`` <= 500, ``fields``) and
``POST /papers/`` with ``{"positivePaperIds": [...], "negativePaperIds": [...]}``, both
answering ``{"recommendedPapers": [...]}``; the ranking is :func:`.embeddings.recommend`.
Errors as S2 answers them: 400 for a limit over 500, an unknown ``from`` or no positive paper
(``"No positive paper examples given"``), 404 for an unknown paper.
"""

from __future__ import annotations

import json
from typing import Any

from explorer.fake_s2.corpus import Corpus
from explorer.fake_s2.embeddings import recommend
from explorer.fake_s2.fields import parse_fields, project_paper
from explorer.fake_s2.responses import ApiError, Response, bad_request, int_param

RECS = "/recommendations/v1"
RECS_LIMIT = 500
SOURCES = ("recent", "all-cs")


def route(corpus: Corpus, method: str, path: str, query: dict[str, str],
          body: bytes) -> Response:
    """Answer one Recommendations API request (path decoded, query as last values)."""
    rest = path[len(RECS):].strip("/")
    limit = int_param(query, "limit", 100)
    if limit > RECS_LIMIT:
        raise bad_request(f"Unacceptable query params: [limit={limit}]")
    spec = parse_fields(query.get("fields"), kind="recs")
    if rest == "papers":
        if method != "POST":
            return Response.of_json(405, {"message": "Method Not Allowed"}, compact=True)
        positive, negative = _lists(corpus, body)
        found = recommend(corpus, positive, negative, limit)
    elif rest.startswith("papers/forpaper/") and method == "GET":
        source = query.get("from") or "recent"
        if source not in SOURCES:
            raise bad_request(f"Unacceptable query params: [from={source}]")
        paper_id = rest[len("papers/forpaper/"):]
        raw = corpus.resolve(paper_id)
        if raw is None:
            raise ApiError(404, {"error": f"Paper with id {paper_id} not found"})
        found = recommend(corpus, [raw], [], limit, source)
    else:
        return Response.of_json(404, {"message": "Not Found"}, compact=True)
    papers = [project_paper(raw, spec, corpus) for raw in found]
    return Response.of_json(200, {"recommendedPapers": papers})


def _lists(corpus: Corpus, body: bytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The known positive and negative papers of a POST body; unknown ids are skipped, as
    S2 does, unless no positive paper is known at all (404)."""
    try:
        data = json.loads(body or b"null")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise bad_request("Request body must be a JSON object")
    lists = []
    for key in ("positivePaperIds", "negativePaperIds"):
        ids = data.get(key) or []
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise bad_request(f"{key} must be a list of paper ids")
        lists.append(ids)
    if not lists[0]:
        raise bad_request("No positive paper examples given")
    positive = [r for r in map(corpus.resolve, lists[0]) if r is not None]
    negative = [r for r in map(corpus.resolve, lists[1]) if r is not None]
    if not positive:
        raise ApiError(404, {"error": "Input papers not found"})
    return positive, negative
