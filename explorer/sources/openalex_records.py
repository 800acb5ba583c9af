"""OpenAlex works -> explorer's records: pure functions of the decoded JSON, no I/O.

:func:`raw_record` turns a work into the paper record the store keeps (the shape of a
Semantic Scholar paper, keyed by the work's short id ``W…``), so :meth:`Paper.from_s2` reads
it like any other; :func:`paper_of` does both steps. :func:`abstract_text` rebuilds an abstract
from OpenAlex's ``abstract_inverted_index``; :func:`list_page` checks one page of ``/works``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from explorer.models import Paper

__all__ = ["ListPage", "abstract_text", "arxiv_of", "bare_doi", "list_page", "paper_of",
           "raw_record", "short_id"]

_WORK_ID = re.compile(r"(?:https?://openalex\.org/)?(W\d+)\Z", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^?#\s]+?)(?:v\d+)?(?:\.pdf)?\Z", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)\Z", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"\A(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)


@dataclass(frozen=True)
class ListPage:
    """One page of ``/works``: its works, OpenAlex's count of all matches, the next cursor."""

    works: list[dict[str, Any]]
    count: int | None
    next_cursor: str | None


def short_id(value: Any) -> str | None:
    """``W123`` from ``https://openalex.org/W123`` or ``W123``; None for anything else.

    >>> short_id("https://openalex.org/W2741809807")
    'W2741809807'
    >>> short_id("10.1/x") is None
    True
    """
    m = _WORK_ID.match(value.strip()) if isinstance(value, str) else None
    return m[1].upper() if m else None


def bare_doi(value: Any) -> str | None:
    """A DOI in lower case without its ``https://doi.org/`` or ``doi:`` prefix, or None.

    >>> bare_doi("https://doi.org/10.1093/MIND/LIX.236.433")
    '10.1093/mind/lix.236.433'
    """
    if not isinstance(value, str) or not value.strip():
        return None
    return _DOI_PREFIX.sub("", value.strip()).lower() or None


def arxiv_of(work: Mapping[str, Any]) -> str | None:
    """The arXiv id of a work, from its arXiv DOI or an arxiv.org location, else None.

    >>> arxiv_of({"locations": [{"landing_page_url": "https://arxiv.org/abs/1706.03762v5"}]})
    '1706.03762'
    >>> arxiv_of({"doi": "https://doi.org/10.48550/arXiv.1810.04805"})
    '1810.04805'
    """
    doi = bare_doi(work.get("doi"))
    if doi and (m := _ARXIV_DOI.match(doi)):
        return m[1]
    for loc in work.get("locations") or ():
        if not isinstance(loc, Mapping):
            continue
        for key in ("landing_page_url", "pdf_url"):
            url = loc.get(key)
            if isinstance(url, str) and (m := _ARXIV_URL.search(url.strip())):
                return m[1]
    return None


def abstract_text(index: Any) -> str | None:
    """The abstract an ``abstract_inverted_index`` encodes (word -> positions), or None.

    >>> abstract_text({"the": [0, 3], "cat": [1], "saw": [2], "dog": [4]})
    'the cat saw the dog'
    """
    if not isinstance(index, Mapping) or not index:
        return None
    at: dict[int, str] = {}
    for word, places in index.items():
        if not isinstance(word, str) or not isinstance(places, list):
            continue
        for place in places:
            if isinstance(place, int) and not isinstance(place, bool) and 0 <= place < 100_000:
                at[place] = word
    return " ".join(at[i] for i in sorted(at)) or None


def _venue(work: Mapping[str, Any]) -> str | None:
    loc = work.get("primary_location")
    source = loc.get("source") if isinstance(loc, Mapping) else None
    name = source.get("display_name") if isinstance(source, Mapping) else None
    return name if isinstance(name, str) and name.strip() else None


def _authors(work: Mapping[str, Any]) -> list[dict[str, str]]:
    out = []
    for authorship in work.get("authorships") or ():
        author = authorship.get("author") if isinstance(authorship, Mapping) else None
        name = author.get("display_name") if isinstance(author, Mapping) else None
        if isinstance(name, str) and name.strip():
            out.append({"name": name})
    return out


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def raw_record(work: Mapping[str, Any]) -> dict[str, Any] | None:
    """The store's record of an OpenAlex work, or None when it has no work id.

    Examples
    --------
    >>> raw = raw_record({"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1/AB",
    ...                   "title": "T", "publication_year": 2020, "cited_by_count": 3})
    >>> raw["paperId"], raw["externalIds"], raw["year"], raw["citationCount"]
    ('W1', {'OpenAlex': 'W1', 'DOI': '10.1/ab'}, 2020, 3)
    """
    wid = short_id(work.get("id"))
    if wid is None:
        return None
    ids: dict[str, Any] = {"OpenAlex": wid}
    if doi := bare_doi(work.get("doi")):
        ids["DOI"] = doi
    if arxiv := arxiv_of(work):
        ids["ArXiv"] = arxiv
    refs = work.get("referenced_works")
    return {
        "paperId": wid,
        "externalIds": ids,
        "url": f"https://openalex.org/{wid}",
        "title": _str(work.get("title")) or _str(work.get("display_name")),
        "year": _int(work.get("publication_year")),
        "venue": _venue(work),
        "authors": _authors(work),
        "abstract": abstract_text(work.get("abstract_inverted_index")),
        "citationCount": _int(work.get("cited_by_count")),
        "referenceCount": len(refs) if isinstance(refs, list) else None,
        "publicationDate": _str(work.get("publication_date")),
    }


def paper_of(work: Mapping[str, Any]) -> Paper | None:
    """The :class:`Paper` of an OpenAlex work (see :func:`raw_record`)."""
    raw = raw_record(work)
    return None if raw is None else Paper.from_s2(raw)


def list_page(body: Any) -> ListPage | None:
    """The works of one ``/works`` answer, or None when it is malformed: a page is all usable
    or not used at all, so a broken answer never stores half a page."""
    if not isinstance(body, Mapping):
        return None
    meta, results = body.get("meta"), body.get("results")
    if not isinstance(meta, Mapping) or not isinstance(results, list):
        return None
    if not all(isinstance(w, Mapping) and short_id(w.get("id")) for w in results):
        return None
    cursor = meta.get("next_cursor")
    if cursor is not None and not isinstance(cursor, str):
        return None
    return ListPage([dict(w) for w in results], _int(meta.get("count")), cursor or None)
