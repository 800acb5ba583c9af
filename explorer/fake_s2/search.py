"""Which corpus papers a search finds: relevance over title and abstract terms, title terms
(bulk), S2's search filters, sort and title match.

Pure functions of the corpus and the query parameters, used by the /paper/search routes.
"""

from __future__ import annotations

import math
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


TITLE_WEIGHT = 3
"""A title term counts as this many abstract terms in :func:`relevance_hits`."""
K1, B = 1.2, 0.75


def relevance_hits(corpus: Corpus, query: Mapping[str, str]) -> list[dict[str, Any]]:
    """Papers holding every query term in their title or abstract, by BM25 relevance.

    One field of ``TITLE_WEIGHT`` copies of the title terms plus the abstract terms, scored
    with Okapi BM25 (k1 = 1.2, b = 0.75); ties keep corpus order, so the order is
    deterministic. The filters of :func:`passes_filters` apply.
    """
    terms = list(dict.fromkeys(normalize_title(query.get("query") or "").split()))
    if not terms:
        return []
    docs = [(paper_id, {t: TITLE_WEIGHT * title[t] + abstract[t] for t in terms},
             TITLE_WEIGHT * title.total() + abstract.total())
            for paper_id, title, abstract in corpus.terms()]
    n = len(docs)
    mean = sum(length for _, _, length in docs) / n if n else 0.0
    df = {t: sum(1 for _, tf, _ in docs if tf[t]) for t in terms}
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in terms}
    scored = []
    for i, (paper_id, tf, length) in enumerate(docs):
        if not all(tf.values()):
            continue
        norm = K1 * (1 - B + B * length / mean)
        score = sum(idf[t] * tf[t] * (K1 + 1) / (tf[t] + norm) for t in terms)
        paper = corpus.papers[paper_id]
        if passes_filters(paper, query):
            scored.append((-round(score, 9), i, paper))
    return [paper for _, _, paper in sorted(scored, key=lambda s: s[:2])]


def _year_range(spec: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{4})?(-)?(\d{4})?", spec.strip())
    if not match or not (match.group(1) or match.group(3)):
        return None
    low = int(match.group(1)) if match.group(1) else 0
    high = int(match.group(3)) if match.group(3) else (9999 if match.group(2) else low)
    return low, high


def _listed(query: Mapping[str, str], name: str) -> set[str]:
    """The comma-separated values of a filter, lower case."""
    return {v.strip().lower() for v in (query.get(name) or "").split(",") if v.strip()}


def passes_filters(paper: Mapping[str, Any], query: Mapping[str, str]) -> bool:
    """S2's search filters that the corpus can answer: year, minCitationCount,
    fieldsOfStudy, publicationTypes, venue (the venue or the publication venue's name or
    alternate names, case-insensitive), openAccessPdf. Others are ignored."""
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
    types = _listed(query, "publicationTypes")
    if types and not types & {t.lower() for t in paper.get("publicationTypes") or []}:
        return False
    venues = _listed(query, "venue")
    if venues and not venues & _venue_names(paper):
        return False
    return not ("openAccessPdf" in query and not paper.get("openAccessPdf"))


def _venue_names(paper: Mapping[str, Any]) -> set[str]:
    where = paper.get("publicationVenue") or {}
    names = [paper.get("venue"), where.get("name"), *(where.get("alternate_names") or [])]
    return {n.strip().lower() for n in names if isinstance(n, str) and n.strip()}


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
