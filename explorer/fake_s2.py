"""A faithful fake of the Semantic Scholar Graph API and the arXiv API, for tests and demos.

Stdlib only: a :class:`http.server.ThreadingHTTPServer` on 127.0.0.1 in a daemon thread, so the
real clients (``semanticscholar``, ``arxiv``, ``httpx``, ``requests``) talk to it over a socket.
The shapes, limits and error bodies follow ``shared/S2-API.md``, S2's OpenAPI files and the
recorded responses in ``shared/s2-corpus/recorded/``.

Served routes (``FakeS2``; ``FakeArxiv`` serves only the last one)::

    GET  /graph/v1/paper/{id}?fields=                  one paper (default fields paperId,title)
    POST /graph/v1/paper/batch?fields=  {"ids": [...]}  <=500 ids, ``null`` for unknown ids
    GET  /graph/v1/paper/{id}/citations|references      offset, limit <= 1000, offset+limit < 10000
    GET  /graph/v1/paper/{id}/authors
    GET  /graph/v1/paper/search?query=                  limit <= 100, offset+limit <= 1000
    GET  /graph/v1/paper/search/bulk?query=&token=      1000 a page, ``token`` continuation
    GET  /graph/v1/paper/search/match?query=            one best title match or 404
    GET  /api/query?id_list=&search_query=&start=&max_results=   arXiv Atom feed

Test hooks: :attr:`FakeServer.requests` records every request (method, path, query, lower-case
headers, status); :meth:`FakeServer.inject` scripts faults (statuses, bodies, headers such as
Retry-After, delays longer than a client timeout, malformed or truncated bodies, dropped
connections); ``api_key=`` answers 403 to requests without the key; ``rate_limit=`` answers 429
past n requests a second per key; :meth:`FakeS2.set_page_size_cap` and
:meth:`FakeS2.set_empty_after` reproduce S2's short and empty pages.

Example::

    with FakeS2("shared/s2-corpus") as fake:
        sch = SemanticScholar(api_url=fake.url, retry=False)
        sch.get_paper("ARXIV:1706.03762", fields=["title"])
        fake.inject(429, times=2)            # the next two requests get 429
        assert fake.count("/graph/v1/paper/") == 1

Run standalone: ``python -m explorer.fake_s2 --corpus ../shared/s2-corpus --port 8765``.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape, quoteattr

__all__ = [
    "Corpus",
    "FakeArxiv",
    "FakeS2",
    "FakeServer",
    "Fault",
    "RecordedRequest",
    "Response",
    "main",
    "normalize_title",
]

log = logging.getLogger(__name__)

GRAPH = "/graph/v1"
ARXIV_PATH = "/api/query"

#: Paper fields in the order S2 emits them (recorded/Paper.json), plus textAvailability.
PAPER_FIELDS = (
    "paperId", "externalIds", "corpusId", "publicationVenue", "url", "title", "abstract",
    "venue", "year", "referenceCount", "citationCount", "influentialCitationCount",
    "isOpenAccess", "openAccessPdf", "fieldsOfStudy", "s2FieldsOfStudy", "tldr",
    "publicationTypes", "publicationDate", "journal", "citationStyles", "embedding", "authors",
    "citations", "references", "textAvailability",
)
#: Fields of a nested paper (``citingPaper``, ``citedPaper``, ``citations.x``): no nesting.
BASE_FIELDS = tuple(
    f for f in PAPER_FIELDS
    if f not in {"tldr", "embedding", "citations", "references", "textAvailability"}
)
AUTHOR_FIELDS = (
    "authorId", "externalIds", "url", "name", "affiliations", "homepage", "paperCount",
    "citationCount", "hIndex",
)
EDGE_FIELDS = ("contexts", "intents", "contextsWithIntent", "isInfluential")
EMBEDDING_MODELS = ("specter_v1", "specter_v2")

EMBED_CAP = 1000  # citations/references embedded in a paper object
EDGE_PAGE_MAX = 1000
EDGE_WINDOW = 10000  # offset + limit must stay below this on /citations and /references
SEARCH_PAGE_MAX = 100
SEARCH_WINDOW = 1000
BULK_PAGE = 1000
BATCH_MAX = 500
MAX_RESPONSE_BYTES = 10 * 1024 * 1024

MSG_429 = (
    "Too Many Requests. Please wait and try again or apply for a key for higher rate limits. "
    "https://www.semanticscholar.org/product/api#api-key-form"
)
HTML_503 = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"
)
#: Bodies the real gateways send, used when a fault gives no body of its own.
DEFAULT_BODIES: dict[int, Any] = {
    400: {"error": "Bad request"},
    403: {"message": "Forbidden"},
    404: {"error": "Requested object not found"},
    429: {"message": MSG_429, "code": "429"},
    500: {"message": "Internal Server Error"},
    502: {"message": "Bad Gateway"},
    503: HTML_503,
    504: {"message": "Endpoint request timed out"},
}

JSON_TYPE = "application/json"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


# --------------------------------------------------------------------------------------------
# Small pure helpers


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_title(title: str) -> str:
    """NFKD, combining marks dropped, lower case, runs of non-``[a-z0-9]`` as one space."""
    if not title.isascii():
        decomposed = unicodedata.normalize("NFKD", title)
        title = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", title.lower()).strip()


def _dumps(obj: Any, *, compact: bool = False) -> bytes:
    """JSON as S2 sends it: ``", "`` separators for data, compact for gateway errors."""
    separators = (",", ":") if compact else (", ", ": ")
    return json.dumps(obj, separators=separators, ensure_ascii=True).encode()


class ApiError(Exception):
    """An error answer of the fake API: ``status`` and a JSON ``payload``."""

    def __init__(self, status: int, payload: Any):
        super().__init__(f"{status} {payload}")
        self.status = status
        self.payload = payload


def _bad(message: str) -> ApiError:
    return ApiError(400, {"error": message})


def _int_param(query: Mapping[str, str], name: str, default: int) -> int:
    """An integer query parameter, or 400 in S2's ``Unacceptable query params`` form."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _bad(f"Unacceptable query params: [{name}={raw}]") from None
    if value < 0:
        raise _bad(f"Unacceptable query params: [{name}={raw}]")
    return value


# --------------------------------------------------------------------------------------------
# The corpus: papers, edges and their indexes

_HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")
_BARE_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ARXIV_NEW = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")
_ARXIV_OLD = re.compile(r"^[a-z][a-z\-]*(\.[A-Za-z\-]+)?/\d{7}(v\d+)?$")
_VERSION = re.compile(r"v\d+$")
_EXT_KEYS = {  # externalIds key -> index kind
    "DOI": "doi", "ArXiv": "arxiv", "CorpusId": "corpusid", "MAG": "mag", "ACL": "acl",
    "PubMed": "pubmed", "PubMedCentral": "pmc", "DBLP": "dblp",
}
_ID_PREFIXES = {  # id prefix (lower case) -> index kind
    "corpusid": "corpusid", "doi": "doi", "arxiv": "arxiv", "mag": "mag", "acl": "acl",
    "pmid": "pubmed", "pmcid": "pmc",
}


def _index_value(kind: str, value: Any) -> str:
    """The canonical form of an external id for the index (case-insensitive where S2 is)."""
    text = str(value).strip()
    if kind == "pmc":
        text = re.sub(r"(?i)^pmc", "", text)
    return text.lower()


def is_arxiv_id(value: str) -> bool:
    """True for a well-formed arXiv id, new (``1706.03762v5``) or old (``hep-th/9901001``)."""
    return bool(_ARXIV_NEW.match(value) or _ARXIV_OLD.match(value))


def _url_key(url: str) -> tuple[str, str] | None:
    """The index key a ``URL:`` id points at (semanticscholar, arxiv, acl, acm, biorxiv)."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host, path = parts.netloc.lower(), unquote(parts.path).rstrip("/")
    if host.endswith("semanticscholar.org"):
        match = re.search(r"([0-9a-fA-F]{40})$", path)
        return ("paperid", match.group(1).lower()) if match else None
    if host.endswith("arxiv.org"):
        match = re.match(r"^/(?:abs|pdf)/(.+?)(?:\.pdf)?$", path)
        return ("arxiv", _VERSION.sub("", match.group(1)).lower()) if match else None
    if host.endswith(("aclweb.org", "aclanthology.org")):
        acl = re.sub(r"\.pdf$", "", path.rsplit("/", 1)[-1])
        return ("acl", acl.lower()) if acl else None
    if host.endswith(("acm.org", "biorxiv.org")):
        match = re.search(r"(10\.\d{4,9}/.+)$", path)
        if not match:
            return None
        doi = re.sub(r"v\d+(\.full(\.pdf)?)?$", "", match.group(1))
        return ("doi", doi.lower())
    return None


def lookup_key(paper_id: str) -> tuple[str, str] | None:
    """Map an S2 paper id in any supported form to an index key, or None if unsupported.

    >>> lookup_key("corpusid:123")
    ('corpusid', '123')
    >>> lookup_key("ARXIV:1706.03762v1") is None   # S2 takes bare arXiv ids only
    True
    """
    text = paper_id.strip()
    if _HEX40.match(text):
        return ("paperid", text.lower())
    prefix, sep, rest = text.partition(":")
    kind = _ID_PREFIXES.get(prefix.lower()) if sep else None
    if kind == "arxiv":
        return None if _VERSION.search(rest) else ("arxiv", rest.lower())
    if kind is not None:
        return (kind, _index_value(kind, rest))
    if sep and prefix.lower() == "url":
        return _url_key(rest)
    if _BARE_DOI.match(text):
        return ("doi", text.lower())
    return None


class Corpus:
    """Paper records and citation edges in S2 shapes, indexed for every id form S2 accepts.

    Papers keep file order; ``citations_of(x)`` is the edges with ``citedPaperId == x`` and
    ``references_of(x)`` those with ``citingPaperId == x``, in the order they were added.
    Thread-safe: every method takes :attr:`lock`, which routes also hold while they read.
    """

    def __init__(self, papers: Iterable[Mapping[str, Any]] = (),
                 edges: Iterable[Mapping[str, Any]] = ()):
        self.lock = threading.RLock()
        self.papers: dict[str, dict[str, Any]] = {}
        self._keys: dict[tuple[str, str], str] = {}
        self._titles: dict[str, str] = {}
        self._cited_by: dict[str, dict[str, dict[str, Any]]] = {}
        self._cites: dict[str, dict[str, dict[str, Any]]] = {}
        self._anonymous = 0
        for paper in papers:
            self.add_paper(paper)
        for edge in edges:
            self.add_edge(edge)

    @classmethod
    def from_dir(cls, corpus_dir: str | Path) -> Corpus:
        """Load ``papers.jsonl`` and ``citations.jsonl`` (either may be missing)."""
        base = Path(corpus_dir)
        corpus = cls()
        for name, add in (("papers.jsonl", corpus.add_paper), ("citations.jsonl", corpus.add_edge)):
            path = base / name
            if path.exists():
                with path.open(encoding="utf-8") as handle:
                    for line in handle:
                        if line.strip():
                            add(json.loads(line))
        return corpus

    def __len__(self) -> int:
        return len(self.papers)

    @property
    def edge_count(self) -> int:
        with self.lock:
            return sum(len(edges) for edges in self._cited_by.values())

    def add_paper(self, raw: Mapping[str, Any]) -> None:
        """Add or replace a paper record (S2 paper shape; ``paperId`` required)."""
        record = dict(raw)
        paper_id = str(record["paperId"]).lower()
        record["paperId"] = paper_id
        with self.lock:
            old = self.papers.get(paper_id)
            if old is not None:
                self._unindex(old)
            self.papers[paper_id] = record
            for key in self._keys_of(record):
                self._keys[key] = paper_id
            self._titles.pop(paper_id, None)

    def add_edge(self, raw: Mapping[str, Any]) -> None:
        """Add or replace an edge (citations.jsonl shape).

        ``citingPaperId`` or ``citedPaperId`` may be None for an unresolved paper, as S2 has;
        an inline ``citingPaper`` / ``citedPaper`` dict then supplies that side's record.
        """
        edge = dict(raw)
        citing, cited = edge.get("citingPaperId"), edge.get("citedPaperId")
        with self.lock:
            self._anonymous += 1
            citing_key = citing or f"_unresolved{self._anonymous}"
            cited_key = cited or f"_unresolved{self._anonymous}"
            if cited:
                self._cited_by.setdefault(cited, {})[citing_key] = edge
            if citing:
                self._cites.setdefault(citing, {})[cited_key] = edge

    def _keys_of(self, record: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
        yield ("paperid", record["paperId"])
        if record.get("corpusId") is not None:
            yield ("corpusid", str(record["corpusId"]))
        for name, value in (record.get("externalIds") or {}).items():
            kind = _EXT_KEYS.get(name)
            if kind and value is not None:
                yield (kind, _index_value(kind, value))

    def _unindex(self, record: Mapping[str, Any]) -> None:
        for key in self._keys_of(record):
            if self._keys.get(key) == record["paperId"]:
                del self._keys[key]

    def resolve(self, paper_id: str) -> dict[str, Any] | None:
        """The record a paper id in any S2 form names, or None."""
        key = lookup_key(paper_id)
        with self.lock:
            found = self._keys.get(key) if key else None
            return self.papers.get(found) if found else None

    def by_arxiv(self, arxiv_id: str) -> dict[str, Any] | None:
        """The record with this arXiv id (a version suffix is ignored)."""
        with self.lock:
            found = self._keys.get(("arxiv", _VERSION.sub("", arxiv_id).lower()))
            return self.papers.get(found) if found else None

    def citations_of(self, paper_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self._cited_by.get(paper_id, {}).values())

    def references_of(self, paper_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self._cites.get(paper_id, {}).values())

    def titles(self) -> list[tuple[str, str]]:
        """(paperId, normalised title) pairs in corpus order (normalised on first use)."""
        with self.lock:
            titles = self._titles
            return [(pid, titles.get(pid) or titles.setdefault(
                pid, normalize_title(rec.get("title") or ""))) for pid, rec in self.papers.items()]


# --------------------------------------------------------------------------------------------
# Field selection and projection


@dataclass
class FieldSpec:
    """What a ``fields=`` parameter asks for.

    ``paper``: top-level fields of the paper (or of the nested citing/cited paper on edge
    endpoints); ``authors``: extra author subfields; ``nested``: specs of embedded
    ``citations`` / ``references``; ``edge``: edge fields (contexts, ...).
    """

    paper: set[str] = field(default_factory=set)
    authors: set[str] = field(default_factory=set)
    nested: dict[str, FieldSpec] = field(default_factory=dict)
    edge: set[str] = field(default_factory=set)
    embedding_model: str | None = None


def parse_fields(raw: str | None, *, kind: str = "paper", side: str | None = None) -> FieldSpec:
    """Parse ``fields=`` for an endpoint ``kind``: ``paper`` (GET, batch, search, match),
    ``edge`` (/citations with ``side="citing"``, /references with ``"cited"``) or ``bulk``
    (/search/bulk). Unknown or unsupported names raise a 400 listing them, as S2 does.

    On edge endpoints a paper field may carry the side's prefix, as many S2 clients write
    it: ``citingPaper.title`` on /citations, ``citedPaper.title`` on /references.
    """
    tokens = [t.strip() for t in (raw or "").split(",") if t.strip()]
    if side is not None:
        prefix = f"{side}Paper."
        tokens = [t[len(prefix):] if t.startswith(prefix) else t for t in tokens]
    if not tokens:
        return FieldSpec(paper={"title"})
    spec, bad = FieldSpec(), []
    top = set(PAPER_FIELDS) if kind == "paper" else set(BASE_FIELDS)
    if kind == "bulk":
        top |= {"tldr", "embedding", "textAvailability"}
    for token in tokens:
        head, _, sub = token.partition(".")
        if kind == "edge" and token in EDGE_FIELDS:
            spec.edge.add(token)
        elif not sub and head in top:
            spec.paper.add(head)
            if head in ("citations", "references"):
                spec.nested.setdefault(head, FieldSpec()).paper.add("title")
        elif head == "authors" and sub in AUTHOR_FIELDS and "authors" in top:
            spec.paper.add("authors")
            spec.authors.add(sub)
        elif head in ("citations", "references") and head in top and sub in BASE_FIELDS:
            spec.paper.add(head)
            spec.nested.setdefault(head, FieldSpec()).paper.add(sub)
        elif head == "embedding" and sub in EMBEDDING_MODELS and "embedding" in top:
            spec.paper.add("embedding")
            spec.embedding_model = sub
        else:
            bad.append(token)
    if bad:
        raise _bad(f"Unrecognized or unsupported fields: [{', '.join(bad)}]")
    return spec


def _project_authors(authors: Any, extra: set[str]) -> Any:
    if not isinstance(authors, list):
        return authors
    wanted = [f for f in AUTHOR_FIELDS if f in extra or f in ("authorId", "name")]
    return [{f: (a or {}).get(f) for f in wanted} for a in authors]


def _project_embedding(embedding: Any, model: str | None) -> Any:
    if not isinstance(embedding, dict) or model is None:
        return embedding
    stored = str(embedding.get("model") or "")
    wants_v2 = model == "specter_v2"
    return embedding if ("v2" in stored) == wants_v2 else None


def project_paper(raw: Mapping[str, Any], spec: FieldSpec, corpus: Corpus) -> dict[str, Any]:
    """The paper as S2 returns it for ``spec``: paperId plus the requested fields, in S2's
    order; fields the record lacks are null; embedded lists hold at most 1000 papers."""
    out: dict[str, Any] = {"paperId": raw.get("paperId")}
    for name in PAPER_FIELDS:
        if name == "paperId" or name not in spec.paper:
            continue
        if name == "authors":
            out[name] = _project_authors(raw.get("authors"), spec.authors)
        elif name == "embedding":
            out[name] = _project_embedding(raw.get("embedding"), spec.embedding_model)
        elif name in ("citations", "references"):
            out[name] = _embedded(raw, name, spec.nested[name], corpus)
        else:
            out[name] = raw.get(name)
    return out


def _embedded(raw: Mapping[str, Any], name: str, spec: FieldSpec, corpus: Corpus) -> Any:
    paper_id = raw.get("paperId")
    if not paper_id:
        return None
    if name == "citations":
        edges, side = corpus.citations_of(paper_id), "citing"
    else:
        edges, side = corpus.references_of(paper_id), "cited"
    return [project_paper(_edge_paper(e, side, corpus), spec, corpus) for e in edges[:EMBED_CAP]]


def _edge_paper(edge: Mapping[str, Any], side: str, corpus: Corpus) -> Mapping[str, Any]:
    """The record of an edge's ``citing`` or ``cited`` side (inline record, corpus, or stub)."""
    paper_id = edge.get(f"{side}PaperId")
    with corpus.lock:
        known = corpus.papers.get(paper_id) if paper_id else None
    return known or edge.get(f"{side}Paper") or {"paperId": paper_id}


def project_edge(edge: Mapping[str, Any], side: str, spec: FieldSpec,
                 corpus: Corpus) -> dict[str, Any]:
    """One item of a /citations (``side="citing"``) or /references (``"cited"``) page."""
    item: dict[str, Any] = {}
    contexts = list(edge.get("contexts") or [])
    values = {
        "contexts": contexts,
        "intents": list(edge.get("intents") or []),
        "contextsWithIntent": edge.get("contextsWithIntent")
        or [{"context": c, "intents": []} for c in contexts],
        "isInfluential": edge.get("isInfluential"),
    }
    for name in EDGE_FIELDS:
        if name in spec.edge:
            item[name] = values[name]
    item[f"{side}Paper"] = project_paper(_edge_paper(edge, side, corpus), spec, corpus)
    return item


# --------------------------------------------------------------------------------------------
# Responses, faults and request records


@dataclass
class Response:
    """An answer of the fake: status, body bytes, headers, and how to deliver it."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate: int | None = None
    disconnect: bool = False

    def json(self) -> Any:
        return json.loads(self.body)

    @classmethod
    def of_json(cls, status: int, payload: Any, *, compact: bool = False) -> Response:
        return cls(status, _dumps(payload, compact=compact), {"Content-Type": JSON_TYPE})


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received and the status it answered (0: dropped unanswered).

    ``path`` is percent-decoded, ``query`` maps each parameter to its last value, ``headers``
    have lower-case names (so ``headers.get("x-api-key")`` is the key the client sent).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int
    body: bytes = b""
    time: float = 0.0

    @property
    def api_key(self) -> str | None:
        """The ``x-api-key`` header as received, or None."""
        return self.headers.get("x-api-key")


@dataclass
class Fault:
    """A scripted answer for the next ``times`` matching requests (None: every one).

    ``status`` None, or 200 with neither ``body`` nor ``raw``, answers normally (after
    ``delay``, with ``headers`` added); otherwise ``raw`` bytes, or ``body`` (JSON-encoded
    unless str/bytes), or the gateway's usual body for that status. ``truncate`` sends only
    that many body bytes under the full Content-Length and closes; ``disconnect`` closes
    without answering.
    """

    status: int | None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1
    path_contains: str | None = None
    method: str | None = None
    delay: float = 0.0
    raw: bytes | None = None
    truncate: int | None = None
    disconnect: bool = False

    @property
    def passes_through(self) -> bool:
        """True if the normal answer is sent (possibly delayed, with extra headers)."""
        return self.status is None or (self.status == 200 and self.body is None
                                       and self.raw is None)

    def matches(self, method: str, target: str) -> bool:
        """True if this fault applies to ``method`` and the request target (path?query)."""
        if self.method and self.method.upper() != method.upper():
            return False
        return self.path_contains is None or self.path_contains in unquote(target)


def _fault_body(fault: Fault) -> tuple[bytes, str]:
    """Body bytes and content type of a fault answer."""
    if fault.raw is not None:
        return fault.raw, JSON_TYPE
    body = fault.body if fault.body is not None else DEFAULT_BODIES.get(fault.status or 0, "")
    if isinstance(body, bytes):
        return body, JSON_TYPE
    if isinstance(body, str):
        kind = "text/html" if body.lstrip().startswith("<") else "text/plain"
        return body.encode(), kind
    return _dumps(body, compact=True), JSON_TYPE


class RateLimiter:
    """At most ``per_second`` requests in any sliding window, per key."""

    def __init__(self, per_second: float):
        self.window = 1.0 if per_second >= 1 else 1.0 / per_second
        self.capacity = max(1, round(per_second * self.window))
        self._hits: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count a request for ``key``; False (and not counted) when over the rate."""
        now = time.monotonic() if now is None else now
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        if len(hits) >= self.capacity:
            return False
        hits.append(now)
        return True


# --------------------------------------------------------------------------------------------
# The HTTP server machinery shared by both fakes


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        fake = self.server.fake
        resp = fake.handle(self.command, self.path, headers, body)
        if resp.delay:
            fake._stopping.wait(resp.delay)
        if resp.disconnect:
            self.close_connection = True
            return
        self.send_response(resp.status)
        for name, value in resp.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(resp.body)))
        if resp.truncate is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        data = resp.body if resp.truncate is None else resp.body[: resp.truncate]
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        log.debug("%s " + format, self.address_string(), *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeServer


class FakeServer:
    """Start/stop, request log and fault queue shared by :class:`FakeS2` and
    :class:`FakeArxiv`. Subclasses implement :meth:`route`."""

    def __init__(self, corpus: Corpus, *, host: str = "127.0.0.1"):
        self.corpus = corpus
        self.host = host
        self.url: str | None = None
        self.requests: list[RecordedRequest] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -------------------------------------------------------------------------------

    def start(self, port: int = 0) -> str:
        """Serve on ``host:port`` (0: a free port) in a daemon thread; return the base URL."""
        if self._httpd is not None:
            raise RuntimeError("already started")
        self._stopping.clear()
        httpd = _Server((self.host, port), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
            name=f"{type(self).__name__}:{httpd.server_address[1]}",
        )
        self._thread.start()
        self.url = f"http://{self.host}:{httpd.server_address[1]}"
        log.info("%s serving at %s", type(self).__name__, self.url)
        return self.url

    def stop(self) -> None:
        """Stop serving; delayed answers still pending are released at once."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        if self._httpd is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int | None:
        return self._httpd.server_address[1] if self._httpd else None

    # corpus ----------------------------------------------------------------------------------

    def add_paper(self, raw: Mapping[str, Any]) -> None:
        """Add or replace a paper while running (see :meth:`Corpus.add_paper`)."""
        self.corpus.add_paper(raw)

    def add_edge(self, raw: Mapping[str, Any]) -> None:
        """Add or replace an edge while running (see :meth:`Corpus.add_edge`)."""
        self.corpus.add_edge(raw)

    # request log -----------------------------------------------------------------------------

    def count(self, path_prefix: str | None = None) -> int:
        """How many requests were received (whose path starts with ``path_prefix``)."""
        with self._lock:
            return sum(1 for r in self.requests if path_prefix is None
                       or r.path.startswith(path_prefix))

    def reset(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self.requests.clear()

    # faults ----------------------------------------------------------------------------------

    def inject(
        self,
        status: int | None,
        *,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        times: int | None = 1,
        path_contains: str | None = None,
        delay: float = 0.0,
        raw: bytes | None = None,
        method: str | None = None,
        truncate: int | None = None,
        disconnect: bool = False,
    ) -> Fault:
        """Queue a scripted answer for the next ``times`` requests matching ``path_contains``
        (a substring of the decoded path?query) and ``method``; see :class:`Fault`.

        Faults are used first-in first-out: ``inject(429, times=2); inject(503)`` answers
        429, 429, 503 and then normally. ``inject(None, delay=5)`` (or ``inject(200,
        delay=5)``) delays a normal answer; ``inject(200, raw=b'{"data": [')`` sends
        malformed JSON; ``inject(200, raw=..., truncate=10)`` a truncated body.
        """
        fault = Fault(status, body, dict(headers or {}), times, path_contains, method, delay,
                      raw, truncate, disconnect)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        with self._lock:
            self._faults.clear()

    reset_faults = clear_faults

    @property
    def pending_faults(self) -> list[Fault]:
        """Faults not yet used up."""
        with self._lock:
            return list(self._faults)

    def _take_fault(self, method: str, target: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, target):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    # dispatch --------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str] | None = None,
               body: bytes = b"") -> Response:
        """Answer one request in-process (the HTTP handler calls this too): faults first,
        then :meth:`admit` (key, rate), then :meth:`route`; the request is recorded."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        parts = urlsplit(target)
        path = unquote(parts.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        fault = self._take_fault(method, target)
        if fault is not None and not fault.passes_through:
            data, kind = _fault_body(fault)
            resp = Response(fault.status or 200, data, {"Content-Type": kind, **fault.headers})
        else:
            resp = self.admit(path, headers) or self._route_safely(method, path, query, body)
            if fault is not None:
                resp.headers.update(fault.headers)
        if fault is not None:
            resp.delay, resp.truncate, resp.disconnect = (
                fault.delay, fault.truncate, fault.disconnect)
        status = 0 if resp.disconnect else resp.status
        record = RecordedRequest(method.upper(), path, query, headers, status, body, time.time())
        with self._lock:
            self.requests.append(record)
        return resp

    def admit(self, path: str, headers: Mapping[str, str]) -> Response | None:
        """A refusal (403, 429) before routing, or None to route. No checks by default."""
        return None

    def _route_safely(self, method: str, path: str, query: dict[str, str],
                      body: bytes) -> Response:
        try:
            with self.corpus.lock:
                return self.route(method, path, query, body)
        except ApiError as err:
            return Response.of_json(err.status, err.payload, compact=True)
        except Exception:  # the fake must answer like a server, not die
            log.exception("fake server error on %s %s", method, path)
            return Response.of_json(500, DEFAULT_BODIES[500], compact=True)

    def route(self, method: str, path: str, query: dict[str, str], body: bytes) -> Response:
        raise NotImplementedError


# --------------------------------------------------------------------------------------------
# Semantic Scholar routes

_PAPER_ROUTE = re.compile(r"^(?P<id>.+?)(?:/(?P<sub>citations|references|authors))?/?$")


class FakeS2(FakeServer):
    """Fake Semantic Scholar Graph API (paths ``/graph/v1/...``) that also answers arXiv's
    ``/api/query``. Its :attr:`url` is the ``api_url`` of ``semanticscholar.SemanticScholar``
    and the base of ``ARXIV_API_URL``.

    Parameters
    ----------
    corpus_dir : directory holding ``papers.jsonl`` and ``citations.jsonl``, or None.
    papers, edges : extra records (S2 paper shape; citations.jsonl shape).
    corpus : an existing :class:`Corpus` to serve instead (e.g. shared with a FakeArxiv).
    api_key : when set, requests to ``/graph/`` without ``x-api-key: <api_key>`` get 403.
    rate_limit : requests a second allowed per key (``x-api-key`` or anonymous); 429 past it.
    """

    def __init__(
        self,
        corpus_dir: str | Path | None = None,
        *,
        papers: Iterable[Mapping[str, Any]] = (),
        edges: Iterable[Mapping[str, Any]] = (),
        corpus: Corpus | None = None,
        api_key: str | None = None,
        rate_limit: float | None = None,
        host: str = "127.0.0.1",
    ):
        if corpus is None:
            corpus = Corpus.from_dir(corpus_dir) if corpus_dir is not None else Corpus()
        for paper in papers:
            corpus.add_paper(paper)
        for edge in edges:
            corpus.add_edge(edge)
        super().__init__(corpus, host=host)
        self.api_key = api_key
        self.page_size_cap: int | None = None
        self.empty_after: dict[str, int] = {}
        self._limiter: RateLimiter | None = None
        self.set_rate_limit(rate_limit)

    @property
    def arxiv_url(self) -> str | None:
        """Base URL for ``ARXIV_API_URL`` (this server answers ``/api/query`` too)."""
        return self.url

    def set_rate_limit(self, per_second: float | None) -> None:
        """Answer 429 past ``per_second`` requests per key (None: no limit)."""
        self._limiter = RateLimiter(per_second) if per_second else None

    def set_page_size_cap(self, cap: int | None) -> None:
        """Serve at most ``cap`` items per /citations or /references page, whatever the limit
        (``next`` then points after what was served). None restores the normal behaviour."""
        self.page_size_cap = cap

    def set_empty_after(self, n: int | None, endpoint: str = "references") -> None:
        """Make ``endpoint`` ("references", "citations" or "both") pages come back as
        ``{"offset": o, "data": []}`` once offset + limit exceeds ``n`` (S2 does this past
        1000 references on some papers; s2-folks#117). None turns it off."""
        names = ("references", "citations") if endpoint == "both" else (endpoint,)
        for name in names:
            if n is None:
                self.empty_after.pop(name, None)
            else:
                self.empty_after[name] = n

    def admit(self, path: str, headers: Mapping[str, str]) -> Response | None:
        if not path.startswith(GRAPH):
            return None
        key = headers.get("x-api-key")
        if self.api_key is not None and key != self.api_key:
            return Response.of_json(403, {"message": "Forbidden"}, compact=True)
        with self._lock:
            limited = self._limiter is not None and not self._limiter.allow(key or "")
        if limited:
            return Response.of_json(429, DEFAULT_BODIES[429], compact=True)
        return None

    def route(self, method: str, path: str, query: dict[str, str], body: bytes) -> Response:
        if path == ARXIV_PATH:
            return arxiv_response(self.corpus, query)
        prefix = f"{GRAPH}/paper/"
        if not path.startswith(prefix):
            return Response.of_json(404, {"message": "Not Found"}, compact=True)
        rest = path[len(prefix):]
        if rest.rstrip("/") == "batch":
            return self._guard_size(self._batch(method, query, body))
        if method != "GET":
            return Response.of_json(405, {"message": "Method Not Allowed"}, compact=True)
        handlers = {"search": self._search, "search/match": self._match,
                    "search/bulk": self._bulk}
        if rest.rstrip("/") in handlers:
            return self._guard_size(handlers[rest.rstrip("/")](query))
        match = _PAPER_ROUTE.match(rest)
        if not match:
            return Response.of_json(404, {"message": "Not Found"}, compact=True)
        paper_id, sub = match.group("id"), match.group("sub")
        raw = self.corpus.resolve(paper_id)
        if raw is None:
            raise ApiError(404, {"error": f"Paper with id {paper_id} not found"})
        if sub in ("citations", "references"):
            return self._guard_size(self._edges(raw, sub, query))
        if sub == "authors":
            return self._authors(raw, query)
        spec = parse_fields(query.get("fields"))
        return self._guard_size(Response.of_json(200, project_paper(raw, spec, self.corpus)))

    @staticmethod
    def _guard_size(resp: Response) -> Response:
        if len(resp.body) > MAX_RESPONSE_BYTES:
            raise _bad("Response would exceed maximum size. Please use a smaller limit "
                       "or request fewer fields.")
        return resp

    def _batch(self, method: str, query: dict[str, str], body: bytes) -> Response:
        if method != "POST":
            return Response.of_json(405, {"message": "Method Not Allowed"}, compact=True)
        try:
            ids = json.loads(body or b"null").get("ids")
        except (ValueError, AttributeError):
            ids = None
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise _bad('Request body must be a JSON object {"ids": [paper ids]}')
        if len(ids) > BATCH_MAX:
            raise _bad(f"Cannot process more than {BATCH_MAX} paper ids at a time")
        spec = parse_fields(query.get("fields"))
        out = []
        for paper_id in ids:
            raw = self.corpus.resolve(paper_id)
            out.append(None if raw is None else project_paper(raw, spec, self.corpus))
        return Response.of_json(200, out)

    def _edges(self, raw: Mapping[str, Any], name: str, query: dict[str, str]) -> Response:
        side = "citing" if name == "citations" else "cited"
        spec = parse_fields(query.get("fields"), kind="edge", side=side)
        offset = _int_param(query, "offset", 0)
        limit = _int_param(query, "limit", 100)
        if limit > EDGE_PAGE_MAX:
            raise _bad(f"Unacceptable query params: [limit={limit}]")
        if offset + limit >= EDGE_WINDOW:
            raise _bad(f"The sum of offset and limit must be < {EDGE_WINDOW}")
        empty_after = self.empty_after.get(name)
        if empty_after is not None and offset + limit > empty_after:
            return Response.of_json(200, {"offset": offset, "data": []})
        if name == "citations":
            edges = self.corpus.citations_of(raw["paperId"])
        else:
            edges = self.corpus.references_of(raw["paperId"])
        served = limit if self.page_size_cap is None else min(limit, self.page_size_cap)
        page = edges[offset: offset + served]
        payload: dict[str, Any] = {"offset": offset}
        if offset + served < len(edges):
            payload["next"] = offset + served
        payload["data"] = [project_edge(e, side, spec, self.corpus) for e in page]
        return Response.of_json(200, payload)

    def _authors(self, raw: Mapping[str, Any], query: dict[str, str]) -> Response:
        wanted = [t.strip() for t in (query.get("fields") or "").split(",") if t.strip()]
        bad = [f for f in wanted if f not in AUTHOR_FIELDS]
        if bad:
            raise _bad(f"Unrecognized or unsupported fields: [{', '.join(bad)}]")
        offset = _int_param(query, "offset", 0)
        limit = _int_param(query, "limit", 100)
        if limit > EDGE_PAGE_MAX:
            raise _bad(f"Unacceptable query params: [limit={limit}]")
        authors = _project_authors(raw.get("authors") or [], set(wanted)) or []
        payload: dict[str, Any] = {"offset": offset}
        if offset + limit < len(authors):
            payload["next"] = offset + limit
        payload["data"] = authors[offset: offset + limit]
        return Response.of_json(200, payload)

    # search ----------------------------------------------------------------------------------

    def _hits(self, query: dict[str, str]) -> list[dict[str, Any]]:
        """Papers whose normalised title holds every query term; phrase matches first."""
        text = normalize_title(query.get("query") or "")
        terms = text.split()
        phrase: list[dict[str, Any]] = []
        terms_only: list[dict[str, Any]] = []
        for paper_id, title in self.corpus.titles():
            if terms and all(t in title for t in terms):
                (phrase if text in title else terms_only).append(self.corpus.papers[paper_id])
        return [p for p in phrase + terms_only if _passes_filters(p, query)]

    def _search(self, query: dict[str, str]) -> Response:
        if not (query.get("query") or "").strip():
            raise _bad("Missing required query parameter: query")
        spec = parse_fields(query.get("fields"))
        offset = _int_param(query, "offset", 0)
        limit = _int_param(query, "limit", 100)
        if limit > SEARCH_PAGE_MAX:
            raise _bad(f"Unacceptable query params: [limit={limit}]")
        if offset + limit > SEARCH_WINDOW:
            raise _bad(f"The sum of offset and limit must be <= {SEARCH_WINDOW}")
        hits = self._hits(query)
        if not hits:
            return Response.of_json(200, {"total": 0, "offset": 0})
        payload: dict[str, Any] = {"total": len(hits), "offset": offset}
        if offset + limit < min(len(hits), SEARCH_WINDOW):
            payload["next"] = offset + limit
        page = hits[offset: offset + limit]
        payload["data"] = [project_paper(p, spec, self.corpus) for p in page]
        return Response.of_json(200, payload)

    def _bulk(self, query: dict[str, str]) -> Response:
        spec = parse_fields(query.get("fields"), kind="bulk")
        token = query.get("token") or ""
        start = int(token[4:]) if re.fullmatch(r"FAKE\d+", token) else 0
        hits = self._hits(query) if (query.get("query") or "").strip() else [
            p for p in self.corpus.papers.values() if _passes_filters(p, query)]
        hits = _sorted_hits(hits, query.get("sort"))
        page = hits[start: start + BULK_PAGE]
        more = start + BULK_PAGE < len(hits)
        payload = {"total": len(hits), "token": f"FAKE{start + BULK_PAGE}" if more else None,
                   "data": [project_paper(p, spec, self.corpus) for p in page]}
        return Response.of_json(200, payload)

    def _match(self, query: dict[str, str]) -> Response:
        spec = parse_fields(query.get("fields"))
        best = best_title_match(self.corpus, query.get("query") or "")
        if best is None:
            raise ApiError(404, {"error": "Title match not found"})
        raw, score = best
        paper = project_paper(raw, spec, self.corpus)
        item = {"paperId": paper.pop("paperId"), "title": raw.get("title"), "matchScore": score}
        paper.pop("title", None)
        return Response.of_json(200, {"data": [{**item, **paper}]})


def _year_range(spec: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{4})?(-)?(\d{4})?", spec.strip())
    if not match or not (match.group(1) or match.group(3)):
        return None
    low = int(match.group(1)) if match.group(1) else 0
    high = int(match.group(3)) if match.group(3) else (9999 if match.group(2) else low)
    return low, high


def _passes_filters(paper: Mapping[str, Any], query: Mapping[str, str]) -> bool:
    """S2's search filters that the corpus can answer: year, minCitationCount,
    fieldsOfStudy, openAccessPdf. Others are ignored."""
    years = _year_range(query["year"]) if query.get("year") else None
    if years and not (paper.get("year") and years[0] <= paper["year"] <= years[1]):
        return False
    if query.get("minCitationCount"):
        minimum = _int_param(query, "minCitationCount", 0)
        if (paper.get("citationCount") or 0) < minimum:
            return False
    if query.get("fieldsOfStudy"):
        wanted = {f.strip().lower() for f in query["fieldsOfStudy"].split(",")}
        if not wanted & {f.lower() for f in paper.get("fieldsOfStudy") or []}:
            return False
    return not ("openAccessPdf" in query and not paper.get("openAccessPdf"))


def _sorted_hits(hits: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    if not sort:
        return hits
    name, _, order = sort.partition(":")
    if name not in ("paperId", "publicationDate", "citationCount"):
        raise _bad(f"Unacceptable query params: [sort={sort}]")
    present = [p for p in hits if p.get(name) is not None]
    missing = [p for p in hits if p.get(name) is None]
    present.sort(key=lambda p: p[name], reverse=order == "desc")
    return present + missing


def best_title_match(corpus: Corpus, text: str) -> tuple[dict[str, Any], float] | None:
    """The paper whose normalised title best matches ``text``, with a score, or None.

    Equal normalised titles win; otherwise the title must share terms with the query and
    either be similar (difflib ratio >= 0.85) or contain every query term with the query
    covering at least 40 % of the title's terms (S2 matches partial titles too).
    """
    query = normalize_title(text)
    terms = set(query.split())
    if not terms:
        return None
    best: tuple[float, str] | None = None
    for paper_id, title in corpus.titles():
        title_terms = set(title.split())
        if not terms & title_terms:
            continue
        if title == query:
            ratio = 1.0
        else:
            ratio = SequenceMatcher(None, query, title).ratio()
            covers = terms <= title_terms and len(terms) >= 0.4 * len(title_terms)
            if ratio < 0.85 and not covers:
                continue
        if best is None or ratio > best[0]:
            best = (ratio, paper_id)
    if best is None:
        return None
    return corpus.papers[best[1]], round(50.0 + 150.0 * best[0], 5)


# --------------------------------------------------------------------------------------------
# arXiv Atom feeds

_ATOM_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
DEFAULT_CATEGORY = "cs.CL"


def _x(text: Any) -> str:
    return escape(_XML_BAD.sub("", str(text)))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def arxiv_date(paper: Mapping[str, Any], arxiv_id: str) -> str:
    """The ``published`` timestamp: the month the arXiv id encodes (arXiv's own date is the
    submission date), else publicationDate, else 1 January of ``year``."""
    new = re.match(r"^(\d{2})(\d{2})\.", arxiv_id)
    old = re.match(r"^[^/]+/(\d{2})(\d{2})", arxiv_id)
    found = new or old
    if found and 1 <= int(found.group(2)) <= 12:
        yy = int(found.group(1))
        century = 1900 if (old and yy >= 91) else 2000
        return f"{century + yy:04d}-{found.group(2)}-01T00:00:00Z"
    if paper.get("publicationDate"):
        return f"{paper['publicationDate']}T00:00:00Z"
    year = paper.get("year") or 1970
    return f"{year:04d}-01-01T00:00:00Z"


def arxiv_entry(paper: Mapping[str, Any], arxiv_id: str, version: str = "v1") -> str:
    """One Atom ``<entry>`` for a corpus paper, in the layout export.arxiv.org uses."""
    versioned = f"{arxiv_id}{version}"
    stamp = arxiv_date(paper, arxiv_id)
    title = re.sub(r"\s+", " ", paper.get("title") or "").strip()
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{_x(versioned)}</id>",
        f"    <title>{_x(title)}</title>",
        f"    <updated>{stamp}</updated>",
        f'    <link href={quoteattr("https://arxiv.org/abs/" + versioned)} rel="alternate" '
        'type="text/html"/>',
        f'    <link href={quoteattr("https://arxiv.org/pdf/" + versioned)} rel="related" '
        'type="application/pdf" title="pdf"/>',
    ]
    doi = (paper.get("externalIds") or {}).get("DOI")
    if doi and not str(doi).lower().startswith("10.48550/"):
        lines.append(f'    <link href={quoteattr("https://doi.org/" + doi)} rel="related" '
                     'title="doi"/>')
    lines += [
        f"    <summary>{_x(paper.get('abstract') or '')}</summary>",
        f'    <category term="{DEFAULT_CATEGORY}" scheme="http://arxiv.org/schemas/atom"/>',
        f"    <published>{stamp}</published>",
    ]
    if doi and not str(doi).lower().startswith("10.48550/"):
        lines.append(f"    <arxiv:doi>{_x(doi)}</arxiv:doi>")
    lines.append(f'    <arxiv:primary_category term="{DEFAULT_CATEGORY}"/>')
    for author in paper.get("authors") or []:
        if author and author.get("name"):
            lines += ["    <author>", f"      <name>{_x(author['name'])}</name>", "    </author>"]
    lines.append("  </entry>")
    return "\n".join(lines) + "\n"


def arxiv_feed(query: Mapping[str, str], entries: list[str], total: int, start: int,
               per_page: int) -> bytes:
    """A whole Atom feed around ``entries`` with the opensearch header."""
    search, ids = query.get("search_query", ""), query.get("id_list", "")
    echo = f"search_query={search}&id_list={ids}&start={start}&max_results={per_page}"
    link = f"https://arxiv.org/api/query?search_query={search}&start={start}" \
           f"&max_results={per_page}&id_list={ids}"
    head = (
        f"  <id>https://arxiv.org/api/fake</id>\n"
        f"  <title>arXiv Query: {_x(echo)}</title>\n"
        f"  <updated>{_now()}</updated>\n"
        f"  <link href={quoteattr(link)} type=\"application/atom+xml\"/>\n"
        f"  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>\n"
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
    )
    return (_ATOM_HEAD + head + "".join(entries) + "</feed>\n").encode()


def arxiv_error(message: str, anchor: str) -> Response:
    """arXiv's 400 answer: a feed holding one error entry (recorded/arxiv/id_abc_*.json)."""
    stamp = _now()
    href = f"https://arxiv.org/api/errors#{anchor}"
    body = (
        _ATOM_HEAD
        + "  <id>https://arxiv.org/</id>\n  <title>arXiv Search Results</title>\n"
        + f"  <updated>{stamp}</updated>\n"
        + "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        + "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        + "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        + f"  <entry>\n    <id>{_x(href)}</id>\n    <title>Error</title>\n"
        + f"    <updated>{stamp}</updated>\n"
        + f'    <link href={quoteattr(href)} rel="alternate" type="text/html"/>\n'
        + f"    <summary>{_x(message)}</summary>\n"
        + "    <author>\n      <name>arXiv api core</name>\n    </author>\n  </entry>\n</feed>\n"
    )
    return Response(400, body.encode(), {"Content-Type": ATOM_TYPE})


_ARXIV_TERM = re.compile(r'(?:\b(ti|au|abs|all|co|jr|cat|rn|id):)?("[^"]*"|[^\s()"]+)')


def _arxiv_terms(search_query: str) -> list[tuple[str, str]]:
    """(field, normalised text) terms of an arXiv ``search_query``; boolean operators and
    parentheses are dropped, so the terms are ANDed."""
    terms = []
    for prefix, raw in _ARXIV_TERM.findall(search_query):
        if raw in ("AND", "OR", "ANDNOT"):
            continue
        text = normalize_title(raw.strip('"'))
        if text:
            terms.append((prefix or "all", text))
    return terms


def _arxiv_matches(paper: Mapping[str, Any], terms: list[tuple[str, str]]) -> bool:
    """True if every term occurs in its field (ti, au, abs; anything else: all three)."""
    names = " ".join((a or {}).get("name") or "" for a in paper.get("authors") or [])
    fields = {"ti": normalize_title(paper.get("title") or ""),
              "abs": normalize_title(paper.get("abstract") or ""),
              "au": normalize_title(names)}
    everything = " ".join(fields.values())
    return all(text in fields.get(prefix, everything) for prefix, text in terms)


def arxiv_response(corpus: Corpus, query: Mapping[str, str]) -> Response:
    """Answer ``/api/query``: ``id_list`` lookups (versions accepted), ``search_query`` over
    title, abstract and authors, or both (ids filtered by the query); paged by ``start`` and
    ``max_results``. A malformed id is a 400 error feed; an unknown one is just absent."""
    ids = [i.strip() for i in (query.get("id_list") or "").split(",") if i.strip()]
    for arxiv_id in ids:
        if not is_arxiv_id(arxiv_id):
            return arxiv_error(f"incorrect id format for {arxiv_id}",
                               f"incorrect_id_format_for_{arxiv_id}")
    try:
        start = int(query.get("start") or 0)
        per_page = int(query.get("max_results") or 10)
    except ValueError:
        return arxiv_error("start and max_results must be integers", "invalid_parameter")
    terms = _arxiv_terms(query.get("search_query") or "")
    found: list[tuple[dict[str, Any], str, str]] = []
    if ids:
        for arxiv_id in ids:
            paper = corpus.by_arxiv(arxiv_id)
            version = _VERSION.search(arxiv_id)
            if paper is not None and (not terms or _arxiv_matches(paper, terms)):
                bare = _VERSION.sub("", arxiv_id)
                found.append((paper, bare, version.group(0) if version else "v1"))
    elif terms:
        for paper in corpus.papers.values():
            own_id = (paper.get("externalIds") or {}).get("ArXiv")
            if own_id and _arxiv_matches(paper, terms):
                found.append((paper, str(own_id), "v1"))
    page = found[start: start + per_page]
    entries = [arxiv_entry(p, a, v) for p, a, v in page]
    resp = Response(200, arxiv_feed(query, entries, len(found), start, per_page),
                    {"Content-Type": ATOM_TYPE})
    return resp


class FakeArxiv(FakeServer):
    """A fake arXiv API alone (``/api/query``), with the same start/stop/requests/inject API.

    Pass ``corpus=fake_s2.corpus`` to serve the same papers as a :class:`FakeS2`.
    The base URL is ``ARXIV_API_URL``; ``arxiv.Client().query_url_format`` is
    :attr:`query_url_format`.
    """

    def __init__(
        self,
        corpus_dir: str | Path | None = None,
        *,
        papers: Iterable[Mapping[str, Any]] = (),
        corpus: Corpus | None = None,
        host: str = "127.0.0.1",
    ):
        if corpus is None:
            corpus = Corpus.from_dir(corpus_dir) if corpus_dir is not None else Corpus()
        for paper in papers:
            corpus.add_paper(paper)
        super().__init__(corpus, host=host)

    @property
    def query_url_format(self) -> str | None:
        return f"{self.url}{ARXIV_PATH}?{{}}" if self.url else None

    def route(self, method: str, path: str, query: dict[str, str], body: bytes) -> Response:
        if path != ARXIV_PATH:
            return Response(404, b"Not Found", {"Content-Type": "text/plain"})
        return arxiv_response(self.corpus, query)


# --------------------------------------------------------------------------------------------
# Command line

_EPILOG = """\
example:
  python -m explorer.fake_s2 --corpus ../shared/s2-corpus --port 8765 --arxiv-port 8766
  # then, in another shell, paste the printed exports:
  export S2_API_URL=http://127.0.0.1:8765
  export ARXIV_API_URL=http://127.0.0.1:8766
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m explorer.fake_s2",
        description="Serve a fake Semantic Scholar Graph API and arXiv API on 127.0.0.1 "
        "from an offline corpus, until Ctrl-C.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, help="directory with papers.jsonl and "
                        "citations.jsonl (default: an empty corpus)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="S2 port (8765; 0: any)")
    parser.add_argument("--arxiv-port", type=int, help="serve arXiv on its own port too "
                        "(default: the S2 server answers /api/query itself)")
    parser.add_argument("--api-key", help="require this x-api-key (403 otherwise)")
    parser.add_argument("--rate-limit", type=float, help="requests a second per key; 429 past it")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the fakes until interrupted; print the base URLs and the environment exports."""
    args = _parser().parse_args(argv)
    if args.corpus is not None and not (args.corpus / "papers.jsonl").exists():
        print(f"error: no papers.jsonl in {args.corpus}", file=sys.stderr)
        return 1
    s2 = FakeS2(args.corpus, api_key=args.api_key, rate_limit=args.rate_limit, host=args.host)
    arxiv = FakeArxiv(corpus=s2.corpus, host=args.host) if args.arxiv_port is not None else None
    try:
        s2_url = s2.start(args.port)
        arxiv_url = arxiv.start(args.arxiv_port) if arxiv else s2_url
    except OSError as err:
        print(f"error: cannot listen: {err}", file=sys.stderr)
        s2.stop()
        return 1
    print(f"Fake Semantic Scholar: {s2_url}  ({len(s2.corpus)} papers, "
          f"{s2.corpus.edge_count} edges)")
    print(f"Fake arXiv:            {arxiv_url}")
    print(f"export S2_API_URL={s2_url}")
    print(f"export ARXIV_API_URL={arxiv_url}")
    if args.api_key:
        print(f"export S2_API_KEY={args.api_key}")
    print("Serving until Ctrl-C.", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        s2.stop()
        if arxiv:
            arxiv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
