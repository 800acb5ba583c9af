"""Link evidence (explorer.analysis.evidence) on hand-worked and random graphs, against plain
sets."""

from __future__ import annotations

import doctest
import math

import numpy as np
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
        cocited_with = sum(1 for k in seeds if k != p and citers[p] & citers[k])
        assert seeds_cocited(adj, np.array(sorted(seeds)))[p] == cocited_with
