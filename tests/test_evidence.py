"""Link evidence (explorer.analysis.evidence) on hand-worked and random graphs, against plain
sets."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import explorer.analysis.evidence
from explorer.analysis.evidence import between_seeds, link_evidence, seeds_cocited


def matrix(n: int, pairs: set[tuple[int, int]]) -> sp.csr_array:
    dense = np.zeros((n, n))
    for a, b in pairs:
        dense[a, b] = 1.0
    return sp.csr_array(dense)


def test_doctests() -> None:
    assert doctest.testmod(explorer.analysis.evidence).failed == 0


def test_weak_seed_counts_its_weight() -> None:
    # 0 cites 1 and 2; 1 is a seed, 2 a weak seed (0.5): 0 cites 1.5 seed weights
    adj = matrix(4, {(0, 1), (0, 2), (0, 3), (3, 1)})
    ev = link_evidence(adj, np.array([0.0, 1.0, 0.5, 0.0]))
    assert ev["cites"].tolist() == [1.5, 0.0, 0.0, 1.0]
    assert ev["cited_by"].tolist() == [0.0, 0.0, 0.0, 0.0]
    # 3 is co-cited by 0 with 1.5 seed weights; 1 by 0 with the weak seed only (its own
    # weight left out)
    assert ev["cocited"][3] == 1.5 and ev["cocited"][1] == 0.5
    # siblings: 0 cites 1.5 seed weights out of 3 references
    assert ev["siblings"][3] == 1.5**3 / 3
    assert ev["cocited_aa"][3] == 1.5 / math.log(5)


def test_votes_hand_example() -> None:
    # seeds 1 (cited by 0, 2 and 3) and 4 (cited by 3 only); 5 is cited by 0, 3 and 2.
    # A seed weighs 1 / sqrt(its citers) over the seeds' mean: 1 -> (1/sqrt 3) / m,
    # 4 -> 1 / m with m = (1/sqrt 3 + 1) / 2. A citer's share is the weight of the seeds it
    # cites; its vote for each of its references is share ** 2 / sqrt(its references).
    adj = matrix(6, {(0, 1), (0, 5), (2, 1), (2, 5), (3, 1), (3, 4), (3, 5)})
    ev = link_evidence(adj, np.array([0.0, 1.0, 0.0, 0.0, 1.0, 0.0]))
    m = (1 / math.sqrt(3) + 1) / 2
    w1, w4 = 1 / math.sqrt(3) / m, 1 / m
    assert ev["votes"][5] == pytest.approx(2 * w1**2 / math.sqrt(2) + (w1 + w4) ** 2 / math.sqrt(3))
    # a seed is not co-cited with itself: 3 cites seed 1 with seed 4, 0 and 2 with nothing else
    assert ev["votes"][1] == pytest.approx(w4**2 / math.sqrt(3))
    assert ev["votes"][4] == pytest.approx(w1**2 / math.sqrt(3))
    assert ev["votes"][0] == ev["votes"][3] == 0.0  # nobody cites them


def test_votes_do_not_depend_on_how_many_cite_the_seeds_alike() -> None:
    # doubling every seed's citers (each new citer a copy of an old one) leaves the seeds'
    # relative weights, and so each citer's share, unchanged
    one = matrix(5, {(2, 0), (2, 4), (3, 1), (3, 4)})
    two = matrix(7, {(2, 0), (2, 4), (3, 1), (3, 4), (5, 0), (5, 4), (6, 1), (6, 4)})
    s5, s7 = np.zeros(5), np.zeros(7)
    s5[[0, 1]] = s7[[0, 1]] = 1.0
    assert link_evidence(two, s7)["votes"][4] == pytest.approx(
        2 * link_evidence(one, s5)["votes"][4])


def test_between_seeds_both_directions() -> None:
    # 0 cites the seed 1 with the flag, the seed cites 2 with it; 3 cites 0 (no seed)
    flags = matrix(4, {(0, 1), (1, 2), (3, 0)})
    assert between_seeds(flags, np.array([0.0, 1.0, 0.0, 0.0])).tolist() == [1.0, 0.0, 1.0, 0.0]


@settings(max_examples=60, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 7), st.integers(0, 7)).filter(lambda e: e[0] != e[1]),
               max_size=30),
       st.sets(st.integers(0, 7), min_size=1, max_size=3))
def test_counts_match_plain_sets(pairs: set[tuple[int, int]], seeds: set[int]) -> None:
    n = 8
    adj = matrix(n, pairs)
    s = np.zeros(n)
    s[list(seeds)] = 1.0
    ev = link_evidence(adj, s)
    citers = {p: {a for a, b in pairs if b == p} for p in range(n)}
    refs = {p: {b for a, b in pairs if a == p} for p in range(n)}
    for p in range(n):
        others = seeds - {p}
        assert ev["cocited"][p] == sum(len(citers[p] & citers[k]) for k in others)
        assert ev["coupled"][p] == sum(len(refs[p] & refs[k]) for k in others)
        assert ev["sibling_count"][p] == sum(1 for x in citers[p] if len(refs[x] & seeds) >= 2)
        weight = {k: 1 / math.sqrt(max(len(citers[k]), 1)) for k in seeds}
        mean = sum(weight.values()) / len(seeds)
        votes = sum(sum(weight[k] / mean for k in refs[x] & others) ** 2
                    / math.sqrt(len(refs[x])) for x in citers[p])
        assert ev["votes"][p] == pytest.approx(votes)
        cocited_with = sum(1 for k in seeds if k != p and citers[p] & citers[k])
        assert seeds_cocited(adj, np.array(sorted(seeds)))[p] == cocited_with
