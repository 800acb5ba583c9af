"""Publication-date slices of a paper's citers, in S2's ``publicationDateOrYear`` syntax.

S2 serves at most 9,999 citers of one listing, but a listing can be narrowed to the citers
published in a date range. A :class:`DateSlice` is such a range (both ends inclusive, either
end open); :meth:`DateSlice.halves` splits one that holds too many citers, by years while it
spans several, then by months, then by days. Pure: no I/O.

>>> EVERYTHING.text
':'
>>> [s.text for s in EVERYTHING.halves(1991, 2026)]
[':2008', '2009:']
>>> [s.text for s in DateSlice(date(2020, 1, 1), date(2020, 12, 31)).halves(1991, 2026)]
['2020:2020-06', '2020-07:2020']
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["EARLIEST", "EVERYTHING", "LATEST", "DateSlice"]

EARLIEST = date(1, 1, 1)
LATEST = date(9999, 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _start_text(day: date) -> str:
    if day == EARLIEST:
        return ""
    if (day.month, day.day) == (1, 1):
        return f"{day.year:04d}"
    return f"{day.year:04d}-{day.month:02d}" if day.day == 1 else day.isoformat()


def _end_text(day: date) -> str:
    if day == LATEST:
        return ""
    if (day.month, day.day) == (12, 31):
        return f"{day.year:04d}"
    if day == _month_end(day.year, day.month):
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


@dataclass(frozen=True, order=True)
class DateSlice:
    """The citers published from ``start`` to ``end``, both inclusive."""

    start: date
    end: date

    @property
    def text(self) -> str:
        """The range as S2's ``publicationDateOrYear`` takes it: ``2019``, ``2019-03``,
        ``2016:2020-06``, ``:1990`` (open start), ``2025:`` (open end)."""
        a, b = self.start, self.end
        if a == b:
            return a.isoformat()
        if a.year == b.year and a.day == 1 and b == _month_end(b.year, b.month):
            if (a.month, b.month) == (1, 12):
                return f"{a.year:04d}"
            if a.month == b.month:
                return f"{a.year:04d}-{a.month:02d}"
        return f"{_start_text(a)}:{_end_text(b)}"

    def holds(self, year: object, publication_date: object) -> bool:
        """Whether S2 puts a paper with this ``year`` and ``publicationDate`` in the slice:
        by its date, else as of 1 January of its year; with neither, in no slice."""
        day: date | None = None
        if isinstance(publication_date, str):
            try:
                day = date.fromisoformat(publication_date[:10])
            except ValueError:
                day = None
        if day is None and isinstance(year, int) and 1 <= year <= 9999:
            day = date(year, 1, 1)
        return day is not None and self.start <= day <= self.end

    def halves(self, first_year: int, last_year: int) -> tuple[DateSlice, DateSlice] | None:
        """Two slices that together hold this one's citers, or None for a single day.

        Years are halved while the slice spans several; an open end counts as reaching
        ``first_year`` or ``last_year`` (the years most citers lie in), so the open
        slices before and after them stay small."""
        a, b = self.start, self.end
        if a.year < b.year:
            low = first_year if a == EARLIEST and first_year < b.year else a.year
            high = last_year if b == LATEST and last_year > a.year else b.year
            mid = min(max((low + high) // 2, a.year), b.year - 1)
            return DateSlice(a, date(mid, 12, 31)), DateSlice(date(mid + 1, 1, 1), b)
        if a.month < b.month:
            mid = (a.month + b.month) // 2
            return DateSlice(a, _month_end(a.year, mid)), DateSlice(date(a.year, mid + 1, 1), b)
        if a.day < b.day:
            day = date(a.year, a.month, (a.day + b.day) // 2)
            return DateSlice(a, day), DateSlice(day + timedelta(days=1), b)
        return None


EVERYTHING = DateSlice(EARLIEST, LATEST)
"""Every citer that has a publication date or year."""
