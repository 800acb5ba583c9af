"""Rank new papers against the user's library: by the library papers they cite and by how
close their words are to the library's, with a reason for each point of the score.

Pure: candidates and the library in, ranked items out. The library is what the user keeps: the
reading list, the watched papers and the seeds of explorations; papers marked "not relevant"
count against the candidates that read like them.

The score of a candidate is ``LINK_WEIGHT`` for each library paper it cites, plus
``TEXT_WEIGHT`` times its TF-IDF cosine with the closest library paper, less ``NOT_WEIGHT``
times its cosine with the closest paper marked not relevant (and as much again for each of those
it cites). A citation of a paper one keeps is the surer sign, so one citation outweighs any
closeness of wording alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from explorer.analysis.textsim import cross_similarity, paper_text
from explorer.models import Paper, name_of

__all__ = ["LINK_WEIGHT", "NOT_WEIGHT", "ROLES", "TEXT_WEIGHT", "Candidate", "InboxItem",
           "Kept", "rank_inbox"]

LINK_WEIGHT = 1.0
TEXT_WEIGHT = 0.9
NOT_WEIGHT = 1.0
CLOSE_ENOUGH = 0.1
"""The least cosine that earns a "close in wording" reason (and the text part of the score)."""
ROLES = {"reading list": ("paper in your reading list", "papers in your reading list"),
         "watched": ("watched paper", "watched papers"),
         "explored": ("paper you explored", "papers you explored"),
         "not relevant": ("paper you marked not relevant", "papers you marked not relevant")}
"""Where a library paper comes from, as a reason words it (singular, plural)."""
SHOWN_IN_REASON = 3


@dataclass(frozen=True)
class Kept:
    """A paper of the library and where it comes from (a key of :data:`ROLES`)."""

    paper: Paper
    role: str


@dataclass(frozen=True)
class Candidate:
    """A new paper: its record, the S2 ids of its references, where it was found
    (``"arXiv cs.LG"``, ``"cites a watched paper"``, ...) and the key it is remembered by."""

    key: str
    paper: Paper
    references: frozenset[str] = frozenset()
    found_in: str = ""
    extra_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class InboxItem:
    candidate: Candidate
    score: float
    reasons: tuple[str, ...]
    rank: int = 0
    components: dict[str, float] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    """S2 ids of the library papers the reasons name."""

    @property
    def paper(self) -> Paper:
        return self.candidate.paper


def _titles(papers: Sequence[Paper]) -> str:
    shown = "; ".join(f"“{name_of(p)}”" for p in papers[:SHOWN_IN_REASON])
    more = len(papers) - SHOWN_IN_REASON
    return shown + (f" and {more} more" if more > 0 else "")


def _link_reasons(cited: Sequence[Kept]) -> list[str]:
    out = []
    for role, (one, many) in ROLES.items():
        papers = [k.paper for k in cited if k.role == role]
        if papers:
            out.append(f"cites {len(papers)} {one if len(papers) == 1 else many}: "
                       f"{_titles(papers)}")
    return out


def rank_inbox(candidates: Sequence[Candidate], library: Sequence[Kept]) -> list[InboxItem]:
    """The candidates, best first (ties: newest first, then by key), scored and explained.

    Parameters
    ----------
    candidates : Sequence[Candidate]
        The new papers.
    library : Sequence[Kept]
        The papers the user keeps, one entry per paper (the first role wins), and those marked
        not relevant.

    Returns
    -------
    list[InboxItem]

    Examples
    --------
    >>> kept = [Kept(Paper("a", "Neural machine translation"), "reading list")]
    >>> new = [Candidate("x", Paper("x", "Parsing with grammars"), frozenset({"a"})),
    ...        Candidate("y", Paper("y", "Neural machine translation revisited"))]
    >>> [(i.candidate.key, i.reasons[0]) for i in rank_inbox(new, kept)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('x', 'cites 1 paper in your reading list: “Neural machine translation”'),
     ('y', 'close in wording to “Neural machine translation” (your reading list), 0.77')]
    """
    if not candidates:
        return []
    keep_at = [n for n, k in enumerate(library) if k.role != "not relevant"]
    not_at = [n for n, k in enumerate(library) if k.role == "not relevant"]
    keeps, nots = [library[n] for n in keep_at], [library[n] for n in not_at]
    by_id = {k.paper.paper_id: k for k in library}
    texts = [paper_text(c.paper) for c in candidates] + [paper_text(k.paper) for k in library]
    rows = list(range(len(candidates)))
    offset = len(candidates)
    sims = cross_similarity(texts, rows, [offset + n for n in range(len(library))])
    sim_keep, sim_not = sims[:, keep_at], sims[:, not_at]
    items = []
    for i, cand in enumerate(candidates):
        cited = [by_id[r] for r in sorted(cand.references) if r in by_id]
        cited_keep = [k for k in cited if k.role != "not relevant"]
        cited_not = [k for k in cited if k.role == "not relevant"]
        reasons = list(cand.extra_reasons) + _link_reasons(cited)
        related = [k.paper.paper_id for k in cited]
        text = 0.0
        if keeps:
            j = int(sim_keep[i].argmax())
            if sim_keep[i, j] >= CLOSE_ENOUGH:
                text = float(sim_keep[i, j])
                if keeps[j] not in cited_keep:
                    related.append(keeps[j].paper.paper_id)
                    reasons.append(f"close in wording to “{name_of(keeps[j].paper)}” "
                                   f"({keeps[j].role.replace('reading list', 'your reading list')}"
                                   f"), {text:.2f}")
        unlike = 0.0
        if nots:
            j = int(sim_not[i].argmax())
            if sim_not[i, j] >= CLOSE_ENOUGH:
                unlike = float(sim_not[i, j])
                related.append(nots[j].paper.paper_id)
                reasons.append(f"reads like “{name_of(nots[j].paper)}”, which you marked not "
                               f"relevant, {unlike:.2f}")
        components = {"links": LINK_WEIGHT * len(cited_keep), "text": TEXT_WEIGHT * text,
                      "not relevant": -NOT_WEIGHT * (unlike + len(cited_not))}
        items.append(InboxItem(cand, sum(components.values()), tuple(reasons),
                               components=components, related=tuple(dict.fromkeys(related))))
    items.sort(key=lambda it: (-it.score, _negated(it.paper.publication_date), it.candidate.key))
    return [InboxItem(it.candidate, it.score, it.reasons, n, it.components, it.related)
            for n, it in enumerate(items, 1)]


def _negated(date: str | None) -> tuple[int, ...]:
    """A sort key putting later dates first."""
    return tuple(-int(x) for x in (date or "0").split("-") if x.isdigit())
