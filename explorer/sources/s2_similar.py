"""Semantic Scholar beyond citations: paper recommendations and SPECTER v2 embeddings.

Both go through an :class:`~explorer.sources.s2.S2Client`'s requester, so they share its
HTTP session, pacing, retries, request count and budget, and its errors
(:mod:`explorer.errors`). The Recommendations API (``/recommendations/v1``):

- ``GET /papers/forpaper/{id}?from=recent|all-cs&limit=`` (at most 500): papers like one paper,
  from the last months' papers (``recent``) or all of computer science (``all-cs``);
- ``POST /papers/`` with ``{"positivePaperIds": [...], "negativePaperIds": [...]}``: papers
  like the positive ones and unlike the negative ones; S2 answers 400 ("No positive paper
  examples given") when the positive list is empty.

Embeddings come from ``POST /graph/v1/paper/batch?fields=embedding.specter_v2``. A vector is
about 15.6 KB of JSON, and S2 refuses an answer over 10 MB ("Response would exceed maximum
size"), so a batch holds :data:`EMBEDDING_BATCH` ids (about 4.8 MB), and a refused batch is
halved and asked again (:meth:`S2Client.papers` does that) without losing the batches done.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from explorer.errors import BadInputError, ServiceError
from explorer.sources.s2 import PAPER_FIELDS, S2Client

__all__ = [
    "EMBEDDING_BATCH",
    "EMBEDDING_MODEL",
    "RECS_LIMIT",
    "RECS_POOLS",
    "SimilarClient",
    "parse_embedding",
    "parse_recommendations",
]

RECS = "/recommendations/v1"
RECS_LIMIT = 500
RECS_POOLS = ("recent", "all-cs")
EMBEDDING_MODEL = "specter_v2"
EMBEDDING_BATCH = 300
"""Ids per embeddings batch: 300 answers of about 16 KB stay near half of S2's 10 MB cap."""


def parse_recommendations(data: Any) -> list[dict[str, Any]]:
    """The papers of a ``{"recommendedPapers": [...]}`` answer, in S2's order (entries
    without a ``paperId`` are dropped); a malformed answer raises ServiceError."""
    papers = data.get("recommendedPapers") if isinstance(data, dict) else None
    if not isinstance(papers, list):
        raise ServiceError("Semantic Scholar sent a malformed recommendations answer")
    return [p for p in papers if isinstance(p, dict) and isinstance(p.get("paperId"), str)]


def parse_embedding(raw: Mapping[str, Any] | None) -> np.ndarray | None:
    """The float32 vector of a paper record's ``embedding`` field, or None when it has
    none or the vector is not a list of finite numbers.

    >>> parse_embedding({"embedding": {"model": "specter_v2", "vector": [0.5, -1.0]}})
    array([ 0.5, -1. ], dtype=float32)
    >>> parse_embedding({"embedding": None}) is None
    True
    """
    emb = (raw or {}).get("embedding")
    vector = emb.get("vector") if isinstance(emb, dict) else None
    if not isinstance(vector, list) or not vector:
        return None
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in vector):
        return None
    out = np.asarray(vector, np.float32)
    return out if np.all(np.isfinite(out)) else None


class SimilarClient:
    """Recommendations and embeddings through ``client`` (its requester, pacing and budget).

    Parameters
    ----------
    client : S2Client
        The Semantic Scholar client whose session, retries and request count are used.
    """

    def __init__(self, client: S2Client) -> None:
        self.s2 = client

    def for_paper(self, paper_id: str, *, limit: int = 100, pool: str = "recent",
                  fields: Sequence[str] = PAPER_FIELDS) -> list[dict[str, Any]]:
        """Papers S2 recommends for one paper, best first: one request.

        Raises BadInputError for a ``limit`` outside 1..500 or an unknown ``pool``, and
        NotFoundError when S2 knows no such paper."""
        _check(limit, pool)
        url = f"{self.s2.base}{RECS}/papers/forpaper/{paper_id}"
        params = f"fields={','.join(fields)}&limit={limit}&from={pool}"
        return parse_recommendations(self.s2.requester.request(url, params))

    def from_lists(self, positive: Sequence[str], negative: Sequence[str] = (), *,
                   limit: int = 100, fields: Sequence[str] = PAPER_FIELDS
                   ) -> list[dict[str, Any]]:
        """Papers like ``positive`` and unlike ``negative``, best first: one request.

        S2 refuses an empty ``positive`` list (400), which raises BadInputError."""
        _check(limit, "recent")
        url = f"{self.s2.base}{RECS}/papers/"
        payload = {"positivePaperIds": list(positive), "negativePaperIds": list(negative)}
        data = self.s2.requester.request(url, f"fields={','.join(fields)}&limit={limit}",
                                         payload)
        return parse_recommendations(data)

    def embeddings(
        self,
        ids: Sequence[str],
        *,
        batch: int = EMBEDDING_BATCH,
        done: Callable[[dict[str, np.ndarray | None]], None] | None = None,
    ) -> dict[str, np.ndarray | None]:
        """SPECTER v2 vectors of ``ids`` (None where S2 has none or knows no such paper),
        ``batch`` ids a request; ``done`` gets each batch's answers as soon as they arrive,
        so a failure later keeps what was fetched."""
        out: dict[str, np.ndarray | None] = {}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), max(1, batch)):
            chunk = wanted[start:start + max(1, batch)]
            raws = self.s2.papers(chunk, fields=(f"embedding.{EMBEDDING_MODEL}",))
            got = {pid: parse_embedding(raw) for pid, raw in zip(chunk, raws, strict=True)}
            if done is not None:
                done(got)
            out.update(got)
        return out


def _check(limit: int, pool: str) -> None:
    if not 1 <= limit <= RECS_LIMIT:
        raise BadInputError(f"limit must be between 1 and {RECS_LIMIT}, not {limit}")
    if pool not in RECS_POOLS:
        raise BadInputError(f"pool must be one of {', '.join(RECS_POOLS)}, not {pool!r}")
