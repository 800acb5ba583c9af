"""Reasons wording (explorer.reasons) on hand-worked components; rank() end to end is in
test_rank.py."""

from __future__ import annotations

import numpy as np

from explorer.rank import DEFAULT_WEIGHTS
from explorer.reasons import Explainer, central_tops

ZERO = dict.fromkeys(
    [*DEFAULT_WEIGHTS, "cited_by_seeds", "cites_seeds", "cocitation_count", "coupling_count",
     "influential_citations", "citation_count", "year"], 0.0
) | {"demotion": 1.0}


def components(**values: float) -> dict[str, float]:
    return ZERO | values


def test_candidate_reasons_by_contribution() -> None:
    explain = Explainer(DEFAULT_WEIGHTS, n_seeds=3, year_now=2025)
    c = components(cited_by_seeds=2, seeds=1.0, cocitation_count=4, cocitation=0.5,
                   coupling_count=1, coupling=1.0, pagerank=0.9, citation_count=150,
                   citations=0.8, year=2024, recency=1.0)
    # contributions: 0.30 seeds, 0.18 pagerank, 0.15 coupling, 0.08 citations,
    # 0.075 cocitation, 0.05 recency
    assert explain(c, False, 0.05) == (
        "cited by 2 of 3 seeds",
        "central in the graph (PageRank top 5%)",
        "shares 1 reference with the seeds",
        "highly cited (150 citations)",
        "co-cited with the seeds by 4 papers",
        "recent (2024)",
    )


def test_below_the_thresholds_no_sentence() -> None:
    explain = Explainer(DEFAULT_WEIGHTS, n_seeds=1, year_now=2025)
    c = components(citation_count=99, citations=1.0, year=2022, recency=0.7, pagerank=1.0)
    assert explain(c, False, None) == ()
    assert explain(components(citation_count=100, citations=0.74), False, None) == ()


def test_seed_compared_with_the_other_seed() -> None:
    explain = Explainer(DEFAULT_WEIGHTS, n_seeds=2, year_now=2025)
    c = components(cites_seeds=1, seeds=1.0, demotion=0.8)
    assert explain(c, True, None) == (
        "seed", "cites the other seed", "near a paper marked not relevant")


def test_central_tops_shares() -> None:
    pr = np.linspace(1.0, 0.01, 100)
    tops = central_tops(pr, np.ones(100, bool))
    assert tops == {0: 0.01} | dict.fromkeys(range(1, 5), 0.05) | dict.fromkeys(range(5, 10), 0.1)


def test_central_tops_needs_ten_candidates_and_rank() -> None:
    assert central_tops(np.ones(9), np.ones(9, bool)) == {}
    assert central_tops(np.zeros(10), np.ones(10, bool)) == {}
    assert central_tops(np.arange(10.0), np.ones(10, bool)) == {9: 0.1}


def test_central_tops_never_split_a_tie() -> None:
    # 20 papers tie at the top: each has 20 candidates at or above it, more than 10 %
    tied = np.r_[np.full(20, 0.5), np.linspace(0.4, 0.01, 80)]
    assert central_tops(tied, np.ones(100, bool)) == {}
    # two tie at the top: both are within the top 2 %, so both are in the top 5 %, neither 1 %
    pair = np.r_[[0.9, 0.9], np.linspace(0.4, 0.01, 98)]
    tops = central_tops(pair, np.ones(100, bool))
    assert tops[0] == tops[1] == 0.05
    assert tops == {0: 0.05, 1: 0.05} | dict.fromkeys(range(2, 5), 0.05) | dict.fromkeys(
        range(5, 10), 0.1)
