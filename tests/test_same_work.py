"""Whether two records are one work: DOI first, then arXiv id, then title and year."""

from __future__ import annotations

from explorer.models import Paper
from explorer.same_work import match_works, work_keys


def test_the_strongest_shared_key_decides():
    s2 = [Paper("by-doi", doi="10.1/X", title="Same Title", year=2020),
          Paper("by-title", title="Same title", year=2020)]
    assert match_works(s2, [Paper("W1", doi="10.1/x", title="Same Title", year=2020)]) == {
        "W1": "by-doi"}


def test_arxiv_versions_and_title_punctuation_fold_but_years_and_authors_must_agree():
    s2 = [Paper("a", arxiv_id="1706.03762"),
          Paper("t", title="Über Graphs: A Study", year=1999, authors=("Emmy Nöther",))]
    oa = [Paper("W1", arxiv_id="1706.03762v5"),
          Paper("W2", title="uber graphs - a study", year=1999, authors=("Nother, E.",)),
          Paper("W3", title="Uber graphs: a study", year=2000, authors=("Emmy Nöther",)),
          Paper("W5", title="Uber graphs: a study", year=1999, authors=("Other Person",)),
          Paper("W4", title="x")]
    assert match_works(s2, oa) == {"W1": "a", "W2": "t"}


def test_a_title_too_plain_to_tell_papers_apart_is_no_key():
    assert [k for k in work_keys(Paper("p", title="Introduction", year=2000, authors=("A B",)))
            if k.startswith("title:")] == []


def test_a_paper_without_ids_title_or_year_has_no_key():
    assert work_keys(Paper("p")) == []
    assert work_keys(Paper("p", title="!!!", year=2000, doi=" ")) == []
    assert work_keys(Paper("p", title="A long enough title", year=2000)) == []  # no author
