"""Similar work beyond citations: Semantic Scholar's recommendations, and SPECTER vectors kept
in the store.

A paper that shares no citation with the seeds never enters a citation walk; S2's
recommender finds papers by content. Two ways to ask it:

- for the seeds: one request per seed (``/forpaper``); a paper recommended for several seeds
  ranks first (:func:`recommend_for_seeds`);
- for the reading list: one request for the whole list, papers marked read, reading or to read
  as positives and those marked not relevant as negatives (:func:`recommend_from_list`).

Recommended papers are stored like any fetched paper. :func:`ensure_embeddings` fetches the
SPECTER v2 vectors the store lacks, 300 a request, and stores each batch as it arrives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from explorer.analysis.reasons import recommendation_reason
from explorer.errors import BadInputError, OfflineMissingError
from explorer.models import Paper
from explorer.sources.s2 import S2Client
from explorer.sources.s2_similar import EMBEDDING_MODEL, RECS_LIMIT, SimilarClient
from explorer.store import Store
from explorer.tasks.reading import resolve_papers

__all__ = [
    "LIKED_STATUSES",
    "Recommendation",
    "SimilarResult",
    "ensure_embeddings",
    "recommend_for_seeds",
    "recommend_from_list",
    "similar",
    "stored_embeddings",
]

LIKED_STATUSES = ("to read", "reading", "read")
"""Reading-list statuses whose papers are positive examples for the recommender."""


@dataclass(frozen=True)
class Recommendation:
    """A recommended paper: how many of the inputs it was recommended for (``votes``), its
    best position in S2's answers (1-based) and the reason in words."""

    paper: Paper
    votes: int
    best: int
    reason: str


@dataclass
class SimilarResult:
    """What :func:`similar` found, from which inputs, at what cost."""

    positives: list[str]
    negatives: list[str]
    recommendations: list[Recommendation]
    requests: int = 0
    warnings: list[str] = field(default_factory=list)


def _need(client: S2Client | None) -> S2Client:
    if client is None:
        raise OfflineMissingError(
            "recommendations come from Semantic Scholar: they cannot be made offline")
    return client


def recommend_for_seeds(
    seed_ids: Sequence[str], store: Store, client: S2Client | None, *,
    limit: int = 100, pool: str = "recent", exclude: Iterable[str] = (), refresh: bool = False,
) -> list[Recommendation]:
    """S2's recommendations for each seed, merged: most seeds first, then best position;
    seeds, ``exclude`` and papers marked not relevant are left out.

    Each seed's answer is stored with the papers, so it is asked once (one request a seed;
    ``refresh`` asks again); ``client=None`` uses the stored answers alone."""
    skip = set(seed_ids) | set(exclude) | store.not_relevant()
    votes: dict[str, int] = {}
    best: dict[str, int] = {}
    seeds = list(dict.fromkeys(seed_ids))
    for seed in seeds:
        found = None if refresh else store.recommendations(seed, pool)
        if found is None and client is not None:
            raws = SimilarClient(client).for_paper(seed, limit=limit, pool=pool)
            store.put_recommendations(seed, pool, raws)
            found = [r["paperId"] for r in raws]
        for position, pid in enumerate((found or [])[:limit], start=1):
            if pid not in skip:
                votes[pid] = votes.get(pid, 0) + 1
                best[pid] = min(best.get(pid, position), position)
    return _ordered(store, votes, best, lambda k: recommendation_reason(k, len(seeds)))


def _ordered(store: Store, votes: dict[str, int], best: dict[str, int],
             reason: Callable[[int], str]) -> list[Recommendation]:
    papers = store.papers(votes)
    order = sorted(votes, key=lambda p: (-votes[p], best[p], p))
    return [Recommendation(papers.get(p) or Paper(p), votes[p], best[p], reason(votes[p]))
            for p in order]


def recommend_from_list(
    store: Store, client: S2Client | None, *, limit: int = 100,
    positives: Sequence[str] = (),
) -> SimilarResult:
    """One request: papers like the reading list's read, reading and to-read papers (and
    ``positives``) and unlike those marked not relevant. Raises BadInputError, before any
    request, when nothing is marked read or to read (S2 refuses a negative-only list)."""
    statuses = store.statuses()
    liked = list(dict.fromkeys([*positives, *(p for p, s in statuses.items()
                                              if s in LIKED_STATUSES)]))
    disliked = sorted(p for p, s in statuses.items() if s == "not relevant" and p not in liked)
    if not liked:
        raise BadInputError(
            "recommendations need at least one paper marked read, reading or to read; "
            f"the reading list has {len(disliked)} marked not relevant and none liked")
    s2 = _need(client)
    before = s2.requests
    raws = SimilarClient(s2).from_lists(liked, disliked, limit=limit)
    skip = set(liked) | set(disliked)
    raws = [r for r in raws if r["paperId"] not in skip]
    store.put_papers(raws)
    best = {r["paperId"]: i for i, r in enumerate(raws, start=1)}
    text = (f"recommended by Semantic Scholar for your reading list ({len(liked)} liked, "
            f"{len(disliked)} not relevant)")
    recs = _ordered(store, dict.fromkeys(best, 1), best, lambda _k: text)
    return SimilarResult(liked, disliked, recs, s2.requests - before)


def list_recommender(store: Store, client: S2Client | None, *, limit: int = 50
                     ) -> Callable[[Sequence[Paper]], list[Paper]]:
    """A recommender for the inbox: S2's papers like the reading list's kept ones and unlike
    those marked not relevant (:func:`recommend_from_list`, one request), or none when nothing
    is kept yet."""
    def recommend(_library: Sequence[Paper]) -> list[Paper]:
        try:
            found = recommend_from_list(store, client, limit=limit)
        except BadInputError:
            return []
        return [r.paper for r in found.recommendations]
    return recommend


def similar(
    texts: Sequence[str], store: Store, client: S2Client | None, *,
    from_list: bool = False, limit: int = 100, pool: str = "recent",
) -> SimilarResult:
    """Recommendations for the papers the user named (any id form or a title), or, with
    ``from_list``, for the reading list with those papers as extra positives."""
    if not 1 <= limit <= RECS_LIMIT:
        raise BadInputError(f"limit must be between 1 and {RECS_LIMIT}, not {limit}")
    if not texts and not from_list:
        raise BadInputError("give at least one paper, or ask for the reading list's")
    s2 = _need(client)
    before = s2.requests
    ids = resolve_papers(texts, store, s2) if texts else []
    if from_list:
        result = recommend_from_list(store, s2, limit=limit, positives=ids)
    else:
        recs = recommend_for_seeds(ids, store, s2, limit=limit, pool=pool)
        result = SimilarResult(ids, [], recs)
    result.requests = s2.requests - before
    return result


def stored_embeddings(store: Store, ids: Iterable[str]) -> dict[str, np.ndarray]:
    """The SPECTER v2 vectors the store holds among ``ids`` (papers without one left out)."""
    return {p: v for p, v in store.embeddings(ids, EMBEDDING_MODEL).items() if v is not None}


def ensure_embeddings(store: Store, client: S2Client | None, ids: Iterable[str]) -> int:
    """Fetch and store the SPECTER v2 vectors of the ``ids`` the store has never asked about
    (300 a request; each batch is stored as it arrives). Returns how many were asked for;
    ``client=None`` asks nothing."""
    wanted = list(dict.fromkeys(ids))
    known = store.embeddings(wanted, EMBEDDING_MODEL)
    missing = [p for p in wanted if p not in known]
    if client is None or not missing:
        return 0
    SimilarClient(client).embeddings(
        missing, done=lambda got: store.put_embeddings(got, EMBEDDING_MODEL))
    return len(missing)
