"""Reasons for a ranked paper: its score components turned into plain-words sentences.

Pure: :class:`Explainer` reads the components :func:`explorer.rank.rank` computes for one paper
and returns sentences such as ``"cited by 2 of 3 seeds"``, largest contribution to the score
first. The thresholds below decide when a component is worth a sentence:

==================  =====================================================================
name                a sentence when
==================  =====================================================================
RECENT_YEARS        the paper is at most this many years old ("recent (2024)")
HIGHLY_CITED_MIN    it has at least this many citations, and its log-scaled citation
HIGHLY_CITED_SHARE  component is at least this share of the candidates' top
CENTRAL_TOPS        it is in the top 1 %, 5 % or 10 % of the candidates by PageRank
==================  =====================================================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

__all__ = [
    "CENTRAL_TOPS",
    "HIGHLY_CITED_MIN",
    "HIGHLY_CITED_SHARE",
    "RECENT_YEARS",
    "Explainer",
    "central_tops",
]

RECENT_YEARS = 2
HIGHLY_CITED_MIN = 100
HIGHLY_CITED_SHARE = 0.75
CENTRAL_TOPS = (0.01, 0.05, 0.10)


def _plural(k: int, word: str) -> str:
    return f"{k:,} {word}" if k == 1 else f"{k:,} {word}s"


def central_tops(pr: np.ndarray, candidates: np.ndarray) -> dict[int, float]:
    """Candidates in the PageRank top 1%, 5% or 10% of the candidates: position -> share.

    A candidate is in the top ``share`` when at most ``floor(share * N)`` of the N candidates
    (itself included) have a PageRank at least as high as its own. Papers with equal PageRank
    therefore always get the same share, and a tie straddling a cut-off gets none of it.

    Examples
    --------
    >>> central_tops(np.array([3.0, 3.0] + [1.0] * 18), np.ones(20, bool))  # 2 of 20 tie
    {0: 0.1, 1: 0.1}
    """
    cand = np.flatnonzero(candidates)
    values = pr[cand]
    # how many candidates have a PageRank >= each candidate's own
    at_least = cand.size - np.searchsorted(np.sort(values), values, side="left")
    out: dict[int, float] = {}
    for i, value, k in zip(cand.tolist(), values.tolist(), at_least.tolist(), strict=True):
        if value <= 0:
            continue
        share = next((s for s in CENTRAL_TOPS if k <= math.floor(s * cand.size)), None)
        if share is not None:
            out[i] = share
    return out


class Explainer:
    """Turns one paper's components into plain-words reasons, largest contribution first."""

    def __init__(self, weights: Mapping[str, float], n_seeds: int, year_now: int):
        self.w = weights
        self.year_now = year_now
        # (for candidates, for seeds): a seed is compared with the *other* seeds
        self.others = (n_seeds, n_seeds - 1)
        self.group = tuple(
            f"the {other}seed" if k == 1 else f"the {other}seeds"
            for k, other in zip(self.others, ("", "other "), strict=True)
        )
        self.of_total = tuple(
            f" of {k} {other}seeds" for k, other in zip(self.others, ("", "other "), strict=True)
        )

    def _of_seeds(self, k: int, is_seed: bool) -> str:
        if self.others[is_seed] == 1:
            return self.group[is_seed]
        return f"{k}{self.of_total[is_seed]}"

    def __call__(
        self, c: Mapping[str, float], is_seed: bool, central: float | None
    ) -> tuple[str, ...]:
        w = self.w
        group = self.group[is_seed]
        found: list[tuple[float, str]] = []
        cited_by, cites = int(c["cited_by_seeds"]), int(c["cites_seeds"])
        if cited_by or cites:
            part = w["seeds"] * c["seeds"] / (cited_by + cites)
            if cited_by:
                found.append((part * cited_by, f"cited by {self._of_seeds(cited_by, is_seed)}"))
            if cites:
                found.append((part * cites, f"cites {self._of_seeds(cites, is_seed)}"))
        if k := int(c["cocitation_count"]):
            text = f"co-cited with {group} by {_plural(k, 'paper')}"
            found.append((w["cocitation"] * c["cocitation"], text))
        if k := int(c["coupling_count"]):
            text = f"shares {_plural(k, 'reference')} with {group}"
            found.append((w["coupling"] * c["coupling"], text))
        if central is not None:
            text = f"central in the graph (PageRank top {central:.0%})"
            found.append((w["pagerank"] * c["pagerank"], text))
        if k := int(c["influential_citations"]):
            text = f"{_plural(k, 'influential citation')} from the graph"
            found.append((w["influence"] * c["influence"], text))
        k = int(c["citation_count"])
        if k >= HIGHLY_CITED_MIN and c["citations"] >= HIGHLY_CITED_SHARE:
            text = f"highly cited ({_plural(k, 'citation')})"
            found.append((w["citations"] * c["citations"], text))
        year = int(c["year"])
        if year and self.year_now - year <= RECENT_YEARS:
            found.append((w["recency"] * c["recency"], f"recent ({year})"))

        if len(found) > 1:
            found.sort(key=lambda item: -item[0])  # stable: ties keep the order above
        reasons = [text for _, text in found]
        if is_seed:
            reasons.insert(0, "seed")
        if c["demotion"] < 1.0:
            reasons.append("near a paper marked not relevant")
        return tuple(reasons)
