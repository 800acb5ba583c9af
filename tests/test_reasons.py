"""Reasons wording (explorer.analysis.reasons) on hand-worked components; rank() end to end is in
test_rank.py."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.analysis.rank import DEFAULT_WEIGHTS
from explorer.analysis.reasons import Explainer, central_tops
from explorer.errors import BadInputError

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
    ids = np.array([f"p{i:03d}" for i in range(100)])
    tops = central_tops(pr, ids, np.ones(100, bool))
    assert tops == {0: 0.01} | dict.fromkeys(range(1, 5), 0.05) | dict.fromkeys(range(5, 10), 0.1)


def test_central_tops_needs_ten_candidates_and_rank() -> None:
    ids = np.array([f"p{i}" for i in range(10)])
    assert central_tops(np.ones(9), ids[:9], np.ones(9, bool)) == {}
    assert central_tops(np.zeros(10), ids, np.ones(10, bool)) == {}
    assert central_tops(np.arange(10.0), ids, np.ones(10, bool)) == {9: 0.1}


def test_a_survey_names_its_seeds_references() -> None:
    explain = Explainer(DEFAULT_WEIGHTS, n_seeds=143, year_now=2025, seed_noun="references")
    c = components(cited_by_seeds=2, cites_seeds=3, seeds=1.0, coupling_count=4, coupling=0.1)
    assert explain(c, True, None) == (
        "seed", "cites 3 of the 142 other references", "cited by 2 of the 142 other references",
        "shares 4 references with the other references")
    assert explain(c, False, None) == (
        "cites 3 of the 143 references", "cited by 2 of the 143 references",
        "shares 4 references with the survey's references")
    two = Explainer(DEFAULT_WEIGHTS, n_seeds=2, year_now=2025, seed_noun="references")
    assert two(components(cites_seeds=1, seeds=1.0), True, None) == (
        "seed", "cites the other references")


def test_an_unknown_seed_noun_is_refused() -> None:
    with pytest.raises(BadInputError, match="seed_noun"):
        Explainer(DEFAULT_WEIGHTS, n_seeds=2, year_now=2025, seed_noun="papers")
