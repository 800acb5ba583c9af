"""Reasons wording (explorer.analysis.reasons) on hand-worked components; rank() end to end is in
test_rank.py."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.analysis.rank import DEFAULT_WEIGHTS
from explorer.analysis.reasons import Explainer, central_tops
from explorer.errors import BadInputError

RAW = ["cited_by_seeds", "cites_seeds", "cocitation_count", "sibling_count", "coupling_count",
       "influential_links", "intent_links", "citation_count", "reading_list_links", "year"]
ZERO = dict.fromkeys([*DEFAULT_WEIGHTS, *RAW], 0.0) | {"demotion": 1.0}
ONES = dict.fromkeys(DEFAULT_WEIGHTS, 1.0)


def components(**values: float) -> dict[str, float]:
    return ZERO | values


def test_candidate_reasons_by_contribution() -> None:
    explain = Explainer(ONES | {"citations": 0.1, "era": 0.2}, n_seeds=3, year_now=2025)
    c = components(cited_by_seeds=2, cited_by=1.1, cocitation_count=4, cocitation=1.6,
                   coupling_count=1, coupling=0.7, pagerank=0.9, similarity=0.3,
                   citation_count=150, citations=5.0, year=2012, era=1.0)
    # contributions: 1.6 co-citation, 1.1 cited by, 0.9 PageRank, 0.7 coupling,
    # 0.5 citations, 0.3 similarity, 0.2 era
    assert explain(c, False, 0.05) == (
        "co-cited with the seeds by 4 papers",
        "cited by 2 of 3 seeds",
        "central in the graph (PageRank top 5%)",
        "shares 1 reference with the seeds",
        "highly cited (150 citations)",
        "title close to the seeds' (TF-IDF cosine 0.30)",
        "from the seeds' years (2012)",
    )


def test_related_components_share_one_sentence() -> None:
    explain = Explainer(ONES | {"cocitation": 0.0}, n_seeds=2, year_now=2025)
    c = components(cocitation_count=3, cocitation=1.4, cocitation_aa=0.2, seeds_cocited=0.3,
                   coupling_count=2, coupling=0.1, coupling_aa=0.4)
    # co-citation (0 * 1.4 + 0.2 + 0.3) and coupling (0.1 + 0.4) tie: the fixed order decides
    assert explain(c, False, None) == ("co-cited with the seeds by 3 papers",
                                       "shares 2 references with the seeds")
    c = c | {"coupling_aa": 0.6}
    assert explain(c, False, None)[0] == "shares 2 references with the seeds"


def test_votes_join_the_cocitation_sentence() -> None:
    explain = Explainer(ONES, n_seeds=2, year_now=2025)
    # co-citation 0.5 + votes 0.8 = 1.3 beats coupling 1.0
    c = components(cocitation_count=3, cocitation=0.5, votes=0.8, coupling_count=2, coupling=1.0)
    assert explain(c, False, None) == ("co-cited with the seeds by 3 papers",
                                       "shares 2 references with the seeds")


def test_evidence_the_model_weighs_down_gets_no_sentence() -> None:
    explain = Explainer(ONES | {"cites": -0.7, "similarity": 0.0}, n_seeds=1, year_now=2025)
    c = components(cites_seeds=1, cites=0.69, similarity=0.5, sibling_count=2, siblings=0.4)
    assert explain(c, False, None) == ("cited by 2 papers citing several seeds",)


def test_direct_links_are_said_when_nothing_raised_the_score() -> None:
    explain = Explainer(ONES | {"cited_by": -0.5, "cites": -1.0}, n_seeds=3, year_now=2025)
    c = components(cited_by_seeds=1, cited_by=0.69, cites_seeds=2, cites=1.1)
    assert explain(c, False, None) == ("cited by 1 of 3 seeds", "cites 2 of 3 seeds")


def test_below_the_thresholds_no_sentence() -> None:
    explain = Explainer(ONES, n_seeds=1, year_now=2025)
    c = components(citation_count=99, citations=4.6, year=2022, recency=0.7, pagerank=1.0,
                   similarity=0.09, era=0.5)
    assert explain(c, False, None) == ()


def test_links_in_both_directions_and_the_reading_list() -> None:
    explain = Explainer(ONES, n_seeds=2, year_now=2025)
    c = components(influential_links=2, influence=1.1, intent_links=1, intents=0.7,
                   reading_list_links=1)
    assert explain(c, False, None) == (
        "2 influential citations to or from the seeds",
        "1 citation to or from the seeds for methods or results",
        "linked to 1 paper marked read or to read",
    )


def test_equal_evidence_equal_reasons() -> None:
    explain = Explainer(ONES, n_seeds=3, year_now=2025)
    c = components(cited_by_seeds=1, cited_by=0.69, cocitation_count=1, cocitation=0.69)
    assert explain(dict(c), False, 0.1) == explain(dict(c), False, 0.1)
    assert explain(c, False, 0.1)[:2] == ("cited by 1 of 3 seeds",
                                          "co-cited with the seeds by 1 paper")


def test_seed_compared_with_the_other_seed() -> None:
    explain = Explainer(ONES, n_seeds=2, year_now=2025)
    c = components(cites_seeds=1, cites=0.69, demotion=0.8, similarity=1.0, era=1.0, year=2020)
    assert explain(c, True, None) == (
        "seed", "cites the other seed", "near a paper marked not relevant")


def test_a_table_gives_each_paper_its_own_reasons() -> None:
    explain = Explainer(ONES | {"cites": -0.7}, n_seeds=3, year_now=2025)
    rows = [components(cited_by_seeds=2, cited_by=1.1, cocitation_count=4, cocitation=1.6,
                       pagerank=0.5),
            components(cites_seeds=1, cites=0.69, demotion=0.8, similarity=1.0),
            components(reading_list_links=2, similarity=0.3, year=2024, recency=0.9, era=1.0,
                       pagerank=0.2),
            components(cites_seeds=2, cites=1.1),
            components()]
    seeds = [False, True, False, False, False]
    central = [0.05, None, 0.1, None, None]
    table = {name: np.array([r[name] for r in rows]) for name in rows[0]}
    assert explain.table(table, np.array(seeds), central) == [
        ("co-cited with the seeds by 4 papers", "cited by 2 of 3 seeds",
         "central in the graph (PageRank top 5%)"),
        ("seed", "cites 1 of 2 other seeds", "near a paper marked not relevant"),
        ("from the seeds' years (2024)", "recent (2024)",
         "title close to the seeds' (TF-IDF cosine 0.30)",
         "central in the graph (PageRank top 10%)",
         "linked to 2 papers marked read or to read"),
        ("cites 2 of 3 seeds",),
        (),
    ]
    assert explain.table(table, np.array(seeds), central) == [
        explain(r, s, c) for r, s, c in zip(rows, seeds, central, strict=True)]


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


def test_central_tops_a_tie_is_a_tie_to_the_last_bits() -> None:
    # PageRank sums the same shares in another order for papers in equal positions, so their
    # values may differ in the last bits (0.1 + 0.2 against 0.3): still a tie, still no cut.
    near = np.r_[[0.9, 0.1 + 0.2, 0.3, 0.3], np.linspace(0.2, 0.01, 16)]
    assert near[1] != near[2]
    assert central_tops(near, np.ones(20, bool)) == {0: 0.05}


def test_a_survey_names_its_seeds_references() -> None:
    # every weight positive, so the wording is under test, not the fitted model
    explain = Explainer(ONES, n_seeds=143, year_now=2025, seed_noun="references")
    c = components(cocitation_count=4, cocitation=2.0, sibling_count=3, siblings=2.0)
    assert explain(c, True, None) == (
        "seed", "co-cited with the other references by 4 papers",
        "cited by 3 papers citing several references")
    assert explain(c, False, None) == (
        "co-cited with the survey's references by 4 papers",
        "cited by 3 papers citing several references")
    links = components(cited_by_seeds=2, cites_seeds=3, cited_by=1.0, cites=1.0)
    assert explain(links, False, None) == (
        "cited by 2 of the 143 references", "cites 3 of the 143 references")
    two = Explainer(ONES, n_seeds=2, year_now=2025, seed_noun="references")
    assert two(components(cites_seeds=1, cites=1.0), True, None) == (
        "seed", "cites the other references")


def test_an_unknown_seed_noun_is_refused() -> None:
    with pytest.raises(BadInputError, match="seed_noun"):
        Explainer(DEFAULT_WEIGHTS, n_seeds=2, year_now=2025, seed_noun="papers")
