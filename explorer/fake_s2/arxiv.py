"""The arXiv API's ``/api/query``: Atom feeds for ``id_list`` lookups and ``search_query``.

Entries are laid out as export.arxiv.org writes them, so the ``arxiv`` client (feedparser)
reads them as it reads the real service; a malformed id gets arXiv's 400 error feed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from explorer.fake_s2.arxiv_query import (
    QueryError,
    categories_of,
    parse_query,
    submitted_of,
)
from explorer.fake_s2.corpus import ARXIV_VERSION, Corpus, is_arxiv_id
from explorer.fake_s2.responses import ATOM_TYPE, Response

ARXIV_PATH = "/api/query"

_ATOM_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
PAGE_MAX = 2000
"""Most entries one answer holds: arXiv serves results "in slices of at most 2000"."""
RESULTS_MAX = 30000
"""Largest ``max_results`` arXiv accepts for one query (the user manual's paging section)."""
SORT_BY = ("relevance", "lastUpdatedDate", "submittedDate")
SORT_ORDER = ("ascending", "descending")


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
    stamp = submitted_of(paper, arxiv_date(paper, arxiv_id))
    categories = categories_of(paper)
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
    if doi and str(doi).lower().startswith("10.48550/"):
        doi = None  # arXiv's own DataCite DOI is not a journal DOI
    if doi:
        lines.append(f'    <link href={quoteattr("https://doi.org/" + doi)} rel="related" '
                     'title="doi"/>')
    lines += [
        f"    <summary>{_x(paper.get('abstract') or '')}</summary>",
        *(f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>'
          for c in categories),
        f"    <published>{stamp}</published>",
    ]
    if doi:
        lines.append(f"    <arxiv:doi>{_x(doi)}</arxiv:doi>")
    lines.append(f"    <arxiv:primary_category term={quoteattr(categories[0])}/>")
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


def _sorted(found: list[tuple[dict[str, Any], str, str]], sort_by: str, order: str
            ) -> list[tuple[dict[str, Any], str, str]]:
    """Results in the order asked: by submission time (ties by id), else as the corpus holds
    them (the fake has no relevance score)."""
    if sort_by == "relevance":
        return found
    return sorted(found, key=lambda f: (submitted_of(f[0], arxiv_date(f[0], f[1])), f[1]),
                  reverse=order == "descending")


def arxiv_response(corpus: Corpus, query: Mapping[str, str]) -> Response:
    """Answer ``/api/query``: ``id_list`` lookups (versions accepted), ``search_query`` (see
    :mod:`explorer.fake_s2.arxiv_query`), or both (ids filtered by the query); sorted by
    ``sortBy`` and ``sortOrder``; paged by ``start`` and ``max_results``, at most
    :data:`PAGE_MAX` entries an answer. A malformed id, query, sort or a ``max_results`` above
    :data:`RESULTS_MAX` is a 400 error feed; an unknown id is just absent."""
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
    if start < 0 or per_page < 0:
        return arxiv_error("start and max_results must not be negative", "invalid_parameter")
    if per_page > RESULTS_MAX:
        return arxiv_error(f"max_results must be at most {RESULTS_MAX}", "max_results")
    sort_by = query.get("sortBy") or "relevance"
    order = query.get("sortOrder") or "descending"
    if sort_by not in SORT_BY or order not in SORT_ORDER:
        return arxiv_error("sortBy must be one of " + ", ".join(SORT_BY) + " and sortOrder "
                           "one of " + ", ".join(SORT_ORDER), "invalid_sort")
    text = query.get("search_query") or ""
    try:
        matches = parse_query(text, lambda p: submitted_of(
            p, arxiv_date(p, str((p.get("externalIds") or {}).get("ArXiv") or ""))))
    except QueryError as exc:
        return arxiv_error(str(exc), "invalid_query")
    found: list[tuple[dict[str, Any], str, str]] = []
    if ids:
        for arxiv_id in ids:
            paper = corpus.by_arxiv(arxiv_id)
            version = ARXIV_VERSION.search(arxiv_id)
            if paper is not None and (not text.strip() or matches(paper)):
                bare = ARXIV_VERSION.sub("", arxiv_id)
                found.append((paper, bare, version.group(0) if version else "v1"))
    elif text.strip():
        for paper in corpus.papers.values():
            own_id = (paper.get("externalIds") or {}).get("ArXiv")
            if own_id and matches(paper):
                found.append((paper, str(own_id), "v1"))
        found = _sorted(found, sort_by, order)
    page = found[start: start + min(per_page, PAGE_MAX)]
    entries = [arxiv_entry(p, a, v) for p, a, v in page]
    return Response(200, arxiv_feed(query, entries, len(found), start, per_page),
                    {"Content-Type": ATOM_TYPE})
