"""S2's ``publicationDateOrYear`` filter: parsing the range and matching a paper against it.

The syntax is ``<start>:<end>``, each ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` and each optional;
a value without a colon is a prefix (``2020-06`` is every day of June 2020). Both ends are
inclusive, and an end that is a prefix reaches the last day it covers (``:2015-01`` is on or
before 31 January 2015). A paper whose ``publicationDate`` is not known counts as published on
1 January of its ``year``; a paper with neither never matches a range.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from explorer.fake_s2.responses import bad_request

DateRange = tuple[date, date]

_TERM = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_RANGE = re.compile(rf"^(?P<start>{_TERM})?(?P<colon>:)?(?P<end>{_TERM})?$")
EARLIEST = date(1, 1, 1)
LATEST = date(9999, 12, 31)


def _bounds(term: str) -> DateRange | None:
    """First and last day a ``YYYY[-MM[-DD]]`` term covers, or None for an impossible date."""
    parts = [int(p) for p in term.split("-")]
    year = parts[0]
    try:
        if len(parts) == 1:
            return date(year, 1, 1), date(year, 12, 31)
        if len(parts) == 2:
            last = calendar.monthrange(year, parts[1])[1]
            return date(year, parts[1], 1), date(year, parts[1], last)
        day = date(year, parts[1], parts[2])
    except (ValueError, calendar.IllegalMonthError):
        return None
    return day, day


def parse_range(value: str) -> DateRange | None:
    """The inclusive range ``value`` names (``":"`` is every paper with a date or year), None
    for an empty value; 400 in S2's form when it is not the syntax above."""
    if not value.strip():
        return None
    match = _RANGE.match(value.strip())
    if not match or not (match.group("start") or match.group("colon") or match.group("end")):
        raise bad_request(f"Unacceptable query params: [publicationDateOrYear={value}]")
    start, end = match.group("start"), match.group("end")
    if not match.group("colon"):
        end = start
    low = _bounds(start) if start else (EARLIEST, EARLIEST)
    high = _bounds(end) if end else (LATEST, LATEST)
    if low is None or high is None:
        raise bad_request(f"Unacceptable query params: [publicationDateOrYear={value}]")
    return low[0], high[1]


def paper_date(paper: Mapping[str, Any]) -> date | None:
    """The date a range is matched against: ``publicationDate``, else 1 January of ``year``."""
    text = paper.get("publicationDate")
    if isinstance(text, str):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    year = paper.get("year")
    if isinstance(year, int) and not isinstance(year, bool) and 1 <= year <= 9999:
        return date(year, 1, 1)
    return None


def in_range(paper: Mapping[str, Any] | None, span: DateRange) -> bool:
    """True when ``paper``'s date (see :func:`paper_date`) lies in ``span``."""
    when = paper_date(paper) if paper is not None else None
    return when is not None and span[0] <= when <= span[1]
