"""Whether records from two sources are the same work: by DOI, by arXiv id, or by the same
title, first author and year, as :mod:`explorer.analysis.works` decides one node per work
(its title and surname folding, and only titles that can tell papers apart). An index of the
known papers' keys, so mapping a page of another source's records costs one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from explorer.analysis.works import normal_title, surname, telling
from explorer.models import Paper

__all__ = ["match_works", "work_keys"]

_VERSION = re.compile(r"v\d+\Z")


def work_keys(paper: Paper) -> list[str]:
    """The keys under which ``paper`` is the same work as another, strongest first.

    Examples
    --------
    >>> work_keys(Paper("p", title="Attention Is All You Need!", year=2017,
    ...                 authors=("Ashish Vaswani",), doi="10.5555/X", arxiv_id="1706.03762v5"))
    ['doi:10.5555/x', 'arxiv:1706.03762', 'title:attention is all you need|vaswani|2017']
    """
    keys = []
    if paper.doi and paper.doi.strip():
        keys.append("doi:" + paper.doi.strip().lower())
    if paper.arxiv_id and paper.arxiv_id.strip():
        keys.append("arxiv:" + _VERSION.sub("", paper.arxiv_id.strip().lower()))
    title = normal_title(paper.title)
    author = surname(paper.authors[0]) if paper.authors else ""
    if paper.year is not None and author and telling(title):
        keys.append(f"title:{title}|{author}|{paper.year}")
    return keys


def match_works(known: Iterable[Paper], others: Iterable[Paper]) -> dict[str, str]:
    """``other.paper_id -> known.paper_id`` for every paper of ``others`` that is the same work
    as one of ``known`` (its strongest shared key decides); unmatched papers are left out.

    Examples
    --------
    >>> s2 = [Paper("a", doi="10.1/A"), Paper("b", "Deep Nets at Scale", 2020, ("Ada Lee",))]
    >>> oa = [Paper("W1", doi="10.1/a"), Paper("W2", "deep nets at scale.", 2020, ("A. Lee",)),
    ...       Paper("W3", "Deep Nets at Scale", 2021, ("Ada Lee",)),
    ...       Paper("W4", "Deep Nets at Scale", 2020, ("Bo Chen",))]
    >>> match_works(s2, oa)
    {'W1': 'a', 'W2': 'b'}
    """
    index: dict[str, str] = {}
    for paper in known:
        for key in work_keys(paper):
            index.setdefault(key, paper.paper_id)
    out = {}
    for other in others:
        for key in work_keys(other):
            if key in index:
                out[other.paper_id] = index[key]
                break
    return out
