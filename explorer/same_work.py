"""Whether two records from different sources are the same work: by DOI, by arXiv id, or by
normalised title and year. Pure and small, so one function can serve every place that maps
records across sources (an OpenAlex citer onto an S2 paper, one node per work).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from explorer.models import Paper
from explorer.seeds.ids import title_alias

__all__ = ["match_works", "work_keys"]

_VERSION = re.compile(r"v\d+\Z")


def work_keys(paper: Paper) -> list[str]:
    """The keys under which ``paper`` is the same work as another, strongest first.

    Examples
    --------
    >>> work_keys(Paper("p", title="Attention Is All You Need!", year=2017,
    ...                 doi="10.5555/X", arxiv_id="1706.03762v5"))
    ['doi:10.5555/x', 'arxiv:1706.03762', 'title:attention is all you need|2017']
    """
    keys = []
    if paper.doi and paper.doi.strip():
        keys.append("doi:" + paper.doi.strip().lower())
    if paper.arxiv_id and paper.arxiv_id.strip():
        keys.append("arxiv:" + _VERSION.sub("", paper.arxiv_id.strip().lower()))
    if paper.title and paper.year is not None:
        title = title_alias(paper.title).removeprefix("TITLE:")
        if title:
            keys.append(f"title:{title}|{paper.year}")
    return keys


def match_works(known: Iterable[Paper], others: Iterable[Paper]) -> dict[str, str]:
    """``other.paper_id -> known.paper_id`` for every paper of ``others`` that is the same work
    as one of ``known`` (its strongest shared key decides); unmatched papers are left out.

    Examples
    --------
    >>> s2 = [Paper("a", doi="10.1/A"), Paper("b", title="Deep Nets", year=2020)]
    >>> oa = [Paper("W1", doi="10.1/a"), Paper("W2", title="deep nets.", year=2020),
    ...       Paper("W3", title="Deep Nets", year=2021)]
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
