"""Publication-date slices: S2's syntax for each, and halves that hold exactly what the slice
holds, checked against the fake's reading of the same syntax."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from explorer.fake_s2.dates import in_range, parse_range
from explorer.slices import EARLIEST, EVERYTHING, LATEST, DateSlice


def test_the_text_is_the_coarsest_form_s2_takes():
    forms = {
        EVERYTHING: ":",
        DateSlice(EARLIEST, date(1990, 12, 31)): ":1990",
        DateSlice(date(2025, 1, 1), LATEST): "2025:",
        DateSlice(date(2019, 1, 1), date(2019, 12, 31)): "2019",
        DateSlice(date(2016, 1, 1), date(2020, 12, 31)): "2016:2020",
        DateSlice(date(2019, 3, 1), date(2019, 3, 31)): "2019-03",
        DateSlice(date(2016, 3, 1), date(2020, 6, 30)): "2016-03:2020-06",
        DateSlice(date(2019, 3, 5), date(2019, 3, 5)): "2019-03-05",
        DateSlice(date(2019, 3, 5), date(2019, 3, 9)): "2019-03-05:2019-03-09",
        DateSlice(date(2020, 2, 1), date(2020, 2, 29)): "2020-02",
    }
    assert {s: s.text for s in forms} == forms


def test_halving_goes_by_years_then_months_then_days_and_stops_at_one_day():
    year = DateSlice(date(2020, 1, 1), date(2020, 12, 31))
    assert [h.text for h in EVERYTHING.halves(1991, 2026)] == [":2008", "2009:"]
    assert [h.text for h in year.halves(1991, 2026)] == ["2020:2020-06", "2020-07:2020"]
    month = DateSlice(date(2020, 2, 1), date(2020, 2, 29))
    assert [h.text for h in month.halves(1991, 2026)] == ["2020-02:2020-02-15",
                                                          "2020-02-16:2020-02"]
    assert DateSlice(date(2020, 2, 3), date(2020, 2, 3)).halves(1991, 2026) is None


def test_open_ends_before_and_after_the_busy_years_are_halved_in_few_steps():
    piece, steps = DateSlice(EARLIEST, date(1990, 12, 31)), 0
    while piece.start != piece.end:
        halves = piece.halves(1991, 2026)
        assert halves is not None
        piece, steps = halves[0], steps + 1
    assert steps < 40  # bisection, not one year at a time


days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


@given(days, days, st.integers(1900, 2030), st.integers(0, 60))
def test_halves_partition_the_slice_and_their_text_means_their_range(a, b, first, span):
    piece = DateSlice(min(a, b), max(a, b))
    assert parse_range(piece.text) == (piece.start, piece.end)
    halves = piece.halves(first, first + span)
    if halves is None:
        assert piece.start == piece.end
        return
    low, high = halves
    assert (low.start, high.end) == (piece.start, piece.end)
    assert low.end + timedelta(days=1) == high.start and low.start <= low.end < high.start
    for half in halves:
        assert parse_range(half.text) == (half.start, half.end)


@given(days, days, st.one_of(st.none(), st.integers(1, 9999)),
       st.one_of(st.none(), days.map(date.isoformat)))
def test_a_slice_holds_a_paper_exactly_when_the_fake_serves_it_in_that_range(a, b, year, day):
    piece = DateSlice(min(a, b), max(a, b))
    paper = {"year": year, "publicationDate": day}
    assert piece.holds(year, day) == in_range(paper, (piece.start, piece.end))
