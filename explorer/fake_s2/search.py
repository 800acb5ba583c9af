"""Which corpus papers a search finds: title terms, S2's search filters, sort and title match.

Pure functions of the corpus and the query parameters, used by the /paper/search routes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from difflib import SequenceMatcher
from typing import Any

from explorer.fake_s2.corpus import Corpus, normalize_title
from explorer.fake_s2.responses import bad_request, int_param


def title_hits(corpus: Corpus, query: Mapping[str, str]) -> list[dict[str, Any]]:
    """Papers whose normalised title holds every query term; phrase matches first."""
    text = normalize_title(query.get("query") or "")
    terms = text.split()
    phrase: list[dict[str, Any]] = []
    terms_only: list[dict[str, Any]] = []
    for paper_id, title in corpus.titles():
        if terms and all(t in title for t in terms):
            (phrase if text in title else terms_only).append(corpus.papers[paper_id])
    return [p for p in phrase + terms_only if passes_filters(p, query)]


def _year_range(spec: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{4})?(-)?(\d{4})?", spec.strip())
    if not match or not (match.group(1) or match.group(3)):
        return None
    low = int(match.group(1)) if match.group(1) else 0
    high = int(match.group(3)) if match.group(3) else (9999 if match.group(2) else low)
    return low, high


def passes_filters(paper: Mapping[str, Any], query: Mapping[str, str]) -> bool:
    """S2's search filters that the corpus can answer: year, minCitationCount,
    fieldsOfStudy, openAccessPdf. Others are ignored."""
    years = _year_range(query["year"]) if query.get("year") else None
    if years and not (paper.get("year") and years[0] <= paper["year"] <= years[1]):
        return False
    if query.get("minCitationCount"):
        minimum = int_param(query, "minCitationCount", 0)
        if (paper.get("citationCount") or 0) < minimum:
            return False
    if query.get("fieldsOfStudy"):
        wanted = {f.strip().lower() for f in query["fieldsOfStudy"].split(",")}
        if not wanted & {f.lower() for f in paper.get("fieldsOfStudy") or []}:
            return False
    return not ("openAccessPdf" in query and not paper.get("openAccessPdf"))


def sorted_hits(hits: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    if not sort:
        return hits
    name, _, order = sort.partition(":")
    if name not in ("paperId", "publicationDate", "citationCount"):
        raise bad_request(f"Unacceptable query params: [sort={sort}]")
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
