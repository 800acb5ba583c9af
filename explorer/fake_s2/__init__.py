"""A faithful fake of the Semantic Scholar Graph API and the arXiv API, for tests and demos.

Stdlib only (and numpy for the fake SPECTER vectors): a
:class:`http.server.ThreadingHTTPServer` on 127.0.0.1 in a daemon thread, so the real clients
(``semanticscholar``, ``arxiv``, ``httpx``, ``requests``) talk to it over a socket.
The shapes, limits and error bodies follow ``shared/S2-API.md``, S2's OpenAPI files and the
recorded responses in ``shared/s2-corpus/recorded/``.

Served routes (``FakeS2``; ``FakeArxiv`` serves only the last one)::

    GET  /graph/v1/paper/{id}?fields=                  one paper (default fields paperId,title)
    POST /graph/v1/paper/batch?fields=  {"ids": [...]}  <=500 ids, ``null`` for unknown ids
    GET  /graph/v1/paper/{id}/citations|references      offset, limit <= 1000, offset+limit < 10000
                                                        (citations: publicationDateOrYear=)
    GET  /graph/v1/paper/{id}/authors
    GET  /graph/v1/paper/search?query=                  limit <= 100, offset+limit < 1000
    GET  /graph/v1/paper/search/bulk?query=&token=      1000 a page, ``token`` continuation
    GET  /graph/v1/paper/search/match?query=            one best title match or 404
    GET  /recommendations/v1/papers/forpaper/{id}       from=recent|all-cs, limit <= 500
    POST /recommendations/v1/papers/  {"positivePaperIds": [...], "negativePaperIds": [...]}
    GET  /api/query?id_list=&search_query=&start=&max_results=   arXiv Atom feed
    GET  /datasets/v1/release/...,  /datasets/v1/diffs/...    the Datasets API (``datasets=``)
    GET  /s3/ai2-s2ag/...                               its signed file downloads (Range)

Papers without an ``embedding`` get a fake one from their words (:mod:`.embeddings`), so
``embedding.specter_v2`` and the recommendations work on any corpus.

Test hooks: :attr:`FakeServer.requests` records every request (method, path, query, lower-case
headers, status); :meth:`FakeServer.inject` scripts faults (statuses, bodies, headers such as
Retry-After, delays longer than a client timeout, malformed or truncated bodies, dropped
connections); ``api_key=`` answers 403 to requests without the key; ``rate_limit=`` answers 429
past n requests a second per key; :meth:`FakeS2.set_page_size_cap` and
:meth:`FakeS2.set_empty_after` reproduce S2's short and empty pages; :mod:`.classic` adds a
generated classic with tens of thousands of citers, and :mod:`.dates` is the
``publicationDateOrYear`` filter of /citations.

Example::

    with FakeS2("data/s2-sample") as fake:
        sch = SemanticScholar(api_url=fake.url, retry=False)
        sch.get_paper("ARXIV:1706.03762", fields=["title"])
        fake.inject(429, times=2)            # the next two requests get 429
        assert fake.count("/graph/v1/paper/") == 1

:class:`FakeZotero` (:mod:`.zotero`) fakes Zotero 7's local API on the same base class, serving
``data/zotero-sample/library.json``, whose works match ``data/s2-sample``.

Run standalone: ``python -m explorer.fake_s2 --corpus data/s2-sample --port 8765``
(``--zotero-port N`` serves the fake Zotero too).

Modules: :mod:`.corpus` (records and id indexes), :mod:`.fields` (``fields=`` parsing and
projection), :mod:`.search` (relevance and title search, filters, title match), :mod:`.s2`
(the Graph API routes), :mod:`.recs` (the Recommendations API), :mod:`.embeddings` (fake
vectors, recommendation order), :mod:`.arxiv` (the Atom endpoint), :mod:`.arxiv_query` (arXiv's
query language), :mod:`.plant` (two weeks of new arXiv papers for the inbox), :mod:`.faults`
(scripted faults, rate limit), :mod:`.datasets` (the Datasets API over a folder of S2AG
releases, signed downloads), :mod:`.responses` (response type and error bodies),
:mod:`.server` (the HTTP servers), :mod:`.zotero` (the fake Zotero), :mod:`.cli` (the
standalone command).
"""

from explorer.fake_s2.arxiv import (
    ARXIV_PATH,
    arxiv_date,
    arxiv_entry,
    arxiv_error,
    arxiv_feed,
    arxiv_response,
)
from explorer.fake_s2.arxiv_query import DEFAULT_CATEGORY, QueryError, parse_query
from explorer.fake_s2.cli import main
from explorer.fake_s2.corpus import Corpus, is_arxiv_id, lookup_key, normalize_title
from explorer.fake_s2.faults import Fault, RateLimiter
from explorer.fake_s2.fields import (
    AUTHOR_FIELDS,
    BASE_FIELDS,
    EDGE_FIELDS,
    EMBED_CAP,
    EMBEDDING_MODELS,
    PAPER_FIELDS,
    FieldSpec,
    parse_fields,
    project_edge,
    project_paper,
)
from explorer.fake_s2.responses import (
    ATOM_TYPE,
    DEFAULT_BODIES,
    HTML_503,
    JSON_TYPE,
    MSG_429,
    ApiError,
    Response,
)
from explorer.fake_s2.s2 import (
    BATCH_MAX,
    BULK_PAGE,
    EDGE_PAGE_MAX,
    EDGE_WINDOW,
    GRAPH,
    MAX_RESPONSE_BYTES,
    SEARCH_PAGE_MAX,
    SEARCH_WINDOW,
)
from explorer.fake_s2.search import best_title_match
from explorer.fake_s2.server import FakeArxiv, FakeS2, FakeServer, RecordedRequest
from explorer.fake_s2.zotero import FakeZotero

__all__ = [
    "Corpus",
    "FakeArxiv",
    "FakeS2",
    "FakeServer",
    "FakeZotero",
    "Fault",
    "RecordedRequest",
    "Response",
    "main",
    "normalize_title",
    # also importable from here, as from the single module this package replaced:
    "ARXIV_PATH",
    "ATOM_TYPE",
    "AUTHOR_FIELDS",
    "ApiError",
    "BASE_FIELDS",
    "BATCH_MAX",
    "BULK_PAGE",
    "DEFAULT_BODIES",
    "DEFAULT_CATEGORY",
    "EDGE_FIELDS",
    "EDGE_PAGE_MAX",
    "EDGE_WINDOW",
    "EMBEDDING_MODELS",
    "EMBED_CAP",
    "FieldSpec",
    "GRAPH",
    "HTML_503",
    "JSON_TYPE",
    "MAX_RESPONSE_BYTES",
    "MSG_429",
    "PAPER_FIELDS",
    "RateLimiter",
    "SEARCH_PAGE_MAX",
    "SEARCH_WINDOW",
    "arxiv_date",
    "arxiv_entry",
    "arxiv_error",
    "arxiv_feed",
    "arxiv_response",
    "QueryError",
    "parse_query",
    "best_title_match",
    "is_arxiv_id",
    "lookup_key",
    "parse_fields",
    "project_edge",
    "project_paper",
]
