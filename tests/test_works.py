"""Which records are one work (explorer.analysis.works): the planted fixture of real version
pairs among near-duplicate distractors, the kept record, and the evidence."""

from __future__ import annotations

import doctest
import json
import random
from pathlib import Path

import explorer.analysis.works
from explorer.analysis.versions import record_of
from explorer.analysis.works import Record, find_works, surname
from explorer.models import Paper

PLANTED = Path(__file__).parent / "fixtures" / "works_planted.json"


def planted() -> tuple[list[Record], set[frozenset[str]]]:
    data = json.loads(PLANTED.read_text(encoding="utf-8"))
    records = [record_of(Paper.from_s2(raw)) for raw in data["papers"]]
    return records, {frozenset(group) for group in data["planted"]}


def test_doctests() -> None:
    assert doctest.testmod(explorer.analysis.works).failed == 0


def test_planted_pairs_are_merged_and_no_distractor_is() -> None:
    records, pairs = planted()
    assert len(records) == 35 and len(pairs) == 8
    found = {frozenset(w.members) for w in find_works(records)}
    assert found - pairs == set(), "false merges"
    assert pairs - found == set(), "planted pairs left apart"


def test_the_groups_do_not_depend_on_the_order_of_the_records() -> None:
    records, _ = planted()
    first = find_works(records)
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        assert find_works(shuffled) == first
    assert find_works(reversed(records)) == first


def test_the_published_version_is_kept_then_the_most_cited_then_the_smallest_id() -> None:
    records, _ = planted()
    kept = {w.members: w.kept for w in find_works(records)}
    by_member = {m: k for members, k in kept.items() for m in members}
    assert by_member["granville-arxiv"] == "granville-bull"  # a journal DOI, fewer citations
    assert by_member["he-arxiv"] == "he-cvpr"
    assert by_member["kingma-iclr"] == "kingma-arxiv"  # no DOI either side: more cited
    assert by_member["mikolov-v3"] == "mikolov-v1"
    same = [Record("b", "One title of a paper", "A. Author", 2020),
            Record("a", "One title of a paper", "A. Author", 2020)]
    assert [w.kept for w in find_works(same)] == ["a"]


def test_each_merge_says_why() -> None:
    records, _ = planted()
    works = {w.kept: w for w in find_works(records)}
    assert works["granville-bull"].why("granville-arxiv") == \
        "same title, first author and year (2023 and 2024)"
    assert works["brown-neurips"].why("brown-arxiv-doi") == "same arXiv id 2005.14165"
    assert works["lecun-nature"].why("lecun-nature-again") == "same DOI 10.1038/nature14539"
    assert works["mikolov-v1"].why("mikolov-v3") == "same arXiv id 1301.3781"


def test_a_title_shared_by_three_records_joins_only_those_that_do_not_clash() -> None:
    # an erratum that repeats the title under its own DOI joins neither the journal version
    # nor, through the preprint, the group the journal version is in
    records = [
        Record("a", "Proof in the time of machines", "Andrew Granville", 2023,
               arxiv_ids=("2305.02329",)),
        Record("b", "Proof in the time of machines", "Andrew Granville", 2023,
               dois=("10.1090/bull/1826",)),
        Record("c", "Proof in the time of machines", "Andrew Granville", 2024,
               dois=("10.1090/bull/9999",)),
    ]
    assert [w.members for w in find_works(records)] == [("b", "a")]


def test_surname_of_each_way_of_writing_a_name() -> None:
    assert {surname(n) for n in ("Andrew Granville", "A. Granville", "Granville, Andrew",
                                 "GRANVILLE, A")} == {"granville"}
    assert surname("") == surname(None) == ""
