"""The one paper filter (explorer.analysis.filters) on hand-made papers; the app's view and
the citers of a paper both use it (test_view.py, test_cites.py)."""

from __future__ import annotations

from explorer.analysis.filters import PaperFilter, passes
from explorer.models import Paper

OLD = Paper("old", "Old Logic", 1960, citation_count=500)
NEW = Paper("new", "Deep Nets", 2015, abstract="Neural networks, deep.", citation_count=40)
UNDATED = Paper("undated", "Attention", tldr="Attention helps.")
PAPERS = (OLD, NEW, UNDATED)


def kept(f: PaperFilter) -> list[str]:
    return [p.paper_id for p in PAPERS if passes(p, f)]


def test_no_constraint_keeps_every_paper() -> None:
    assert kept(PaperFilter()) == ["old", "new", "undated"]
    assert kept(PaperFilter(min_citations=0, words="  ")) == ["old", "new", "undated"]


def test_year_bounds_are_inclusive_and_an_unknown_year_fails_them() -> None:
    assert kept(PaperFilter(year_min=2015)) == ["new"]
    assert kept(PaperFilter(year_max=1960)) == ["old"]
    assert kept(PaperFilter(year_min=1960, year_max=2015)) == ["old", "new"]


def test_min_citations_counts_an_unknown_count_as_zero() -> None:
    assert kept(PaperFilter(min_citations=40)) == ["old", "new"]
    assert kept(PaperFilter(min_citations=41)) == ["old"]
    assert kept(PaperFilter(min_citations=1)) == ["old", "new"]


def test_every_word_anywhere_in_title_abstract_or_tldr_any_case() -> None:
    assert kept(PaperFilter(words="LOGIC")) == ["old"]
    assert kept(PaperFilter(words="networks deep")) == ["new"]
    assert kept(PaperFilter(words="attention helps")) == ["undated"]
    assert kept(PaperFilter(words="deep logic")) == []
