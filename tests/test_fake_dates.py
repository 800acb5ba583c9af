"""The fake's ``publicationDateOrYear`` on /citations, over a socket, as S2 documents it:
inclusive ranges, prefixes, open ends, year-only papers on 1 January, 400 for bad syntax, and
the 9,999 window kept within a slice."""

from __future__ import annotations

import httpx
import pytest

from explorer.fake_s2 import FakeS2
from explorer.fake_s2.classic import add_classic
from explorer.fake_s2.dates import EARLIEST, LATEST, parse_range

CITED = "ab" * 20
DATED = {  # citer -> (year, publicationDate)
    "01" * 20: (2019, "2019-03-05"),
    "02" * 20: (2019, None),  # counts as 2019-01-01
    "03" * 20: (2020, "2020-06-30"),
    "04" * 20: (2020, "2020-07-01"),
    "05" * 20: (2015, "2015-01-31"),
    "06" * 20: (None, None),  # no year: never in a range
    "07" * 20: (1981, "1981-08-25"),
}


@pytest.fixture
def dated():
    papers = [{"paperId": CITED, "title": "cited", "year": 1980}]
    edges = []
    for pid, (year, day) in DATED.items():
        papers.append({"paperId": pid, "title": pid[:4], "year": year, "publicationDate": day})
        edges.append({"citingPaperId": pid, "citedPaperId": CITED})
    with FakeS2(papers=papers, edges=edges) as fake:
        yield fake


def citers(fake: FakeS2, dates: str, **params: str | int) -> set[str]:
    r = httpx.get(f"{fake.url}/graph/v1/paper/{CITED}/citations",
                  params={"publicationDateOrYear": dates, "limit": 1000, **params})
    assert r.status_code == 200, r.text
    return {item["citingPaper"]["paperId"] for item in r.json()["data"]}


def ids(*prefixes: str) -> set[str]:
    return {p * 20 for p in prefixes}


@pytest.mark.parametrize(("dates", "expected"), [
    ("2019-03-05", ("01",)),
    ("2019-03", ("01",)),
    ("2019", ("01", "02")),
    ("2019-01-01", ("02",)),
    ("2019-02", ()),
    ("2016-03-05:2020-06-30", ("01", "02", "03")),
    ("2016-03:2020-06", ("01", "02", "03")),
    ("1981-08-25:", ("01", "02", "03", "04", "05", "07")),
    ("1981-08-26:", ("01", "02", "03", "04", "05")),
    (":2015-01", ("05", "07")),
    (":2015-01-30", ("07",)),
    ("2015:2020", ("01", "02", "03", "04", "05")),
    ("2020-07:", ("04",)),
    ("2021:2019", ()),
    (":", ("01", "02", "03", "04", "05", "07")),
])
def test_ranges_are_inclusive_prefixes_and_open_ended(dated, dates, expected):
    assert citers(dated, dates) == ids(*expected)


def test_without_the_filter_every_citer_is_listed(dated):
    r = httpx.get(f"{dated.url}/graph/v1/paper/{CITED}/citations", params={"limit": 1000})
    assert len(r.json()["data"]) == len(DATED)


@pytest.mark.parametrize("bad", ["2019-13", "2019-02-30", "19", "2019/03", "2019-3",
                                 "2019::2020", "last year", "2019-03-05T00:00"])
def test_bad_syntax_is_a_400_in_s2s_error_shape(dated, bad):
    r = httpx.get(f"{dated.url}/graph/v1/paper/{CITED}/citations",
                  params={"publicationDateOrYear": bad})
    assert r.status_code == 400
    assert r.json() == {"error": f"Unacceptable query params: [publicationDateOrYear={bad}]"}


def test_a_slice_keeps_the_9999_window_and_pages_within_the_slice():
    with FakeS2() as fake:
        classic = add_classic(fake.corpus, 12_000, years=(2020, 2021), crowded=(2020, 11_000))
        url = f"{fake.url}/graph/v1/paper/{classic.paper_id}/citations"
        base = {"publicationDateOrYear": "2020", "fields": "paperId,year"}
        last = httpx.get(url, params={**base, "offset": 9998, "limit": 1}).json()
        assert last["next"] == 9999 and len(last["data"]) == 1
        r = httpx.get(url, params={**base, "offset": 9999, "limit": 1})
        assert r.status_code == 400 and "must be < 10000" in r.json()["error"]
        page = httpx.get(url, params={**base, "offset": 1000, "limit": 1000}).json()
        assert page["next"] == 2000
        assert {i["citingPaper"]["year"] for i in page["data"]} == {2020}
        rest = httpx.get(url, params={"publicationDateOrYear": "2021", "limit": 1000}).json()
        assert "next" not in rest and len(rest["data"]) == classic.per_year[2021] == 500


def test_the_classic_spreads_its_citers_as_asked():
    with FakeS2() as fake:
        classic = add_classic(fake.corpus, 25_000, crowded=(2020, 12_000), undated=300)
    assert classic.citers == 25_000 == fake.corpus.edge_count
    assert classic.per_year[None] == 300 and classic.per_year[2020] > 12_000
    assert fake.corpus.papers[classic.paper_id]["citationCount"] == 25_000


def test_an_empty_value_sets_no_bound_and_a_colon_needs_a_date_or_year():
    assert parse_range("") is None
    assert parse_range(":") == (EARLIEST, LATEST)
