"""arXiv's ``search_query`` language, parsed into a predicate over corpus papers.

Fields as the arXiv API user manual lists them (``ti``, ``au``, ``abs``, ``co``, ``jr``,
``cat``, ``rn``, ``id``, ``all``), a date range ``submittedDate:[YYYYMMDDTTTT TO
YYYYMMDDTTTT]`` (GMT, both ends included; ``lastUpdatedDate`` is read as the same date here),
the operators ``AND``, ``OR`` and ``ANDNOT`` with parentheses, and quoted phrases. Terms side
by side are ANDed; ``AND`` and ``ANDNOT`` bind tighter than ``OR``.

A paper's arXiv categories and submission time come from an ``arxiv`` key of its record
(``{"categories": [...], "submitted": "2026-11-20T13:05:00Z"}``, as
:mod:`explorer.fake_s2.plant` writes it); without one, the paper is in
:data:`DEFAULT_CATEGORY` and was submitted on the first of the month its id encodes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from explorer.fake_s2.corpus import normalize_title

DEFAULT_CATEGORY = "cs.CL"

Predicate = Callable[[Mapping[str, Any]], bool]
_TOKEN = re.compile(r'\s*(\(|\)|(?:[A-Za-z]+:)?(?:"[^"]*"|\[[^\]]*\]|[^\s()"]+))')
_OPERATORS = ("AND", "OR", "ANDNOT")
_TEXT_FIELDS = ("ti", "au", "abs", "co", "jr", "rn", "all")
_DATE_FIELDS = ("submittedDate", "lastUpdatedDate")
_RANGE = re.compile(r"^\[\s*(\S+)\s+TO\s+(\S+)\s*\]$")


class QueryError(ValueError):
    """A ``search_query`` arXiv would refuse; the message is what the error feed says."""


def categories_of(paper: Mapping[str, Any]) -> list[str]:
    """The paper's arXiv categories, primary first."""
    own = (paper.get("arxiv") or {}).get("categories")
    return [str(c) for c in own] if own else [DEFAULT_CATEGORY]


def submitted_of(paper: Mapping[str, Any], fallback: str) -> str:
    """The paper's submission time as arXiv writes it (``2026-11-20T13:05:00Z``)."""
    return str((paper.get("arxiv") or {}).get("submitted") or fallback)


def _stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _bound(text: str, end: bool) -> datetime:
    """``YYYYMMDDTTTT`` (or ``YYYYMMDD``, or ``*`` for open) as a time; ``end`` fills the
    missing minutes up to the end of the day."""
    if text == "*":
        return datetime.max.replace(tzinfo=UTC) if end else datetime.min.replace(tzinfo=UTC)
    if not text.isdigit() or len(text) not in (8, 12, 14):
        raise QueryError(f"invalid date {text!r}: use YYYYMMDDTTTT")
    padded = text + ("2359" if end else "0000") if len(text) == 8 else text
    try:
        return datetime.strptime(padded[:12], "%Y%m%d%H%M").replace(
            second=59 if end else 0, tzinfo=UTC)
    except ValueError:
        raise QueryError(f"invalid date {text!r}: use YYYYMMDDTTTT") from None


def _term(token: str, dates: Callable[[Mapping[str, Any]], str]) -> Predicate:
    field, sep, value = token.partition(":")
    if not sep or field not in (*_TEXT_FIELDS, *_DATE_FIELDS, "cat", "id"):
        field, value = "all", token
    if field in _DATE_FIELDS:
        found = _RANGE.match(value)
        if not found:
            raise QueryError(f"{field} takes a range: [YYYYMMDDTTTT TO YYYYMMDDTTTT]")
        low, high = _bound(found.group(1), False), _bound(found.group(2), True)
        return lambda p: low <= _stamp(dates(p)) <= high
    value = value.strip('"')
    if field == "cat":
        if value.endswith(".*"):
            archive = value[:-1]
            return lambda p: any(c.startswith(archive) for c in categories_of(p))
        return lambda p: value in categories_of(p)
    if field == "id":
        return lambda p: str((p.get("externalIds") or {}).get("ArXiv") or "") == value
    text = normalize_title(value)
    return lambda p: not text or text in _fields(p).get(field, _fields(p)["all"])


def _fields(paper: Mapping[str, Any]) -> dict[str, str]:
    names = " ".join((a or {}).get("name") or "" for a in paper.get("authors") or [])
    out = {"ti": normalize_title(paper.get("title") or ""),
           "abs": normalize_title(paper.get("abstract") or ""),
           "au": normalize_title(names)}
    out["all"] = " ".join(out.values())
    return out


def parse_query(query: str, dates: Callable[[Mapping[str, Any]], str]) -> Predicate:
    """The predicate ``query`` means; ``dates(paper)`` gives a paper's submission time.

    Raises
    ------
    QueryError
        Unbalanced parentheses, an operator without an operand or a malformed date range.
    """
    tokens = _TOKEN.findall(query)
    if "".join(tokens).replace(" ", "") != query.replace(" ", ""):
        raise QueryError(f"cannot parse the query {query!r}")
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise QueryError("the query ends where a term is expected")
        pos += 1
        return tokens[pos - 1]

    def unary() -> Predicate:
        token = take()
        if token == "(":
            inner = either()
            if take() != ")":
                raise QueryError("unbalanced parentheses")
            return inner
        if token in (*_OPERATORS, ")"):
            raise QueryError(f"{token} where a term is expected")
        return _term(token, dates)

    def both() -> Predicate:
        left = unary()
        while peek() not in (None, "OR", ")"):
            op = take() if peek() in ("AND", "ANDNOT") else "AND"
            right = unary()
            left = ((lambda a, b: lambda p: a(p) and not b(p))(left, right) if op == "ANDNOT"
                    else (lambda a, b: lambda p: a(p) and b(p))(left, right))
        return left

    def either() -> Predicate:
        left = both()
        while peek() == "OR":
            take()
            right = both()
            left = (lambda a, b: lambda p: a(p) or b(p))(left, right)
        return left

    if not tokens:
        return lambda p: True
    found = either()
    if pos != len(tokens):
        raise QueryError("unbalanced parentheses")
    return found
