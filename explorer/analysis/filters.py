"""Which papers to keep: one pure filter on years, citations and words, for every view of
papers (an exploration in the app, the citers of a paper).

Examples
--------
>>> from explorer.models import Paper
>>> papers = [Paper("a", "Deep nets", 2015, citation_count=40), Paper("b", "Old logic", 1960)]
>>> [p.paper_id for p in papers if passes(p, PaperFilter(year_min=2000))]
['a']
>>> [p.paper_id for p in papers if passes(p, PaperFilter(words="LOGIC"))]
['b']
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.models import Paper

__all__ = ["PaperFilter", "passes"]


@dataclass(frozen=True)
class PaperFilter:
    """What a paper must be to be kept; ``None``, ``0`` and ``""`` mean no constraint.

    Attributes
    ----------
    year_min, year_max : int or None
        Inclusive year bounds; a paper of unknown year fails any bound.
    min_citations : int or None
        The fewest citations; an unknown count counts as 0.
    words : str
        Every word of it must occur, case-insensitively, in the title, abstract or TL;DR.
    """

    year_min: int | None = None
    year_max: int | None = None
    min_citations: int | None = None
    words: str = ""


def passes(paper: Paper, f: PaperFilter) -> bool:
    """Whether ``paper`` meets every constraint of ``f``.

    Parameters
    ----------
    paper : Paper
        The paper to test.
    f : PaperFilter
        The constraints.

    Returns
    -------
    bool
        ``True`` when the paper is kept.
    """
    if f.year_min is not None and (paper.year is None or paper.year < f.year_min):
        return False
    if f.year_max is not None and (paper.year is None or paper.year > f.year_max):
        return False
    if f.min_citations and (paper.citation_count or 0) < f.min_citations:
        return False
    words = f.words.casefold().split()
    if words:
        text = f"{paper.title or ''} {paper.abstract or ''} {paper.tldr or ''}".casefold()
        return all(w in text for w in words)
    return True
