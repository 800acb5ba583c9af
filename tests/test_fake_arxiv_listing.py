"""The fake arXiv answers listing queries (categories, submission dates, AND/OR/ANDNOT) sorted
and paged as export.arxiv.org does, read through the ``arxiv`` package over a socket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import arxiv
import feedparser
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.fake_s2 import FakeArxiv
from explorer.fake_s2.arxiv import PAGE_MAX
from explorer.fake_s2.arxiv_query import parse_query
from explorer.fake_s2.corpus import Corpus
from explorer.fake_s2.plant import CATEGORIES, plant_inbox
from explorer.sources.arxiv import listing_query

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
WINDOW = "submittedDate:[202611161200 TO 202611301200]"
LIBRARY = ("7908ff41fdd80c1c47e302b8205b1bc5f0f57a55", "340796c8308a8852b207e932c4abf7450b1c284c")


@pytest.fixture
def planted(fake):
    return plant_inbox(fake, LIBRARY, now=NOW)


def client(page_size: int = 2000) -> arxiv.Client:
    return arxiv.Client(page_size=page_size, delay_seconds=0, num_retries=0)


def listing(fake, query: str, page_size: int = 2000) -> list[arxiv.Result]:
    c = client(page_size)
    c.query_url_format = fake.url + "/api/query?{}"
    search = arxiv.Search(query=query, max_results=None, sort_by=arxiv.SortCriterion.SubmittedDate)
    return list(c.results(search))


def test_three_categories_over_the_window_newest_first(fake, planted):
    cats = " OR ".join(f"cat:{c}" for c in CATEGORIES)
    results = listing(fake, f"({cats}) AND {WINDOW}")
    ids = [r.get_short_id().removesuffix("v1") for r in results]
    assert sorted(ids) == sorted(planted.listed) and len(set(ids)) == len(ids)
    stamps = [r.published for r in results]
    assert stamps == sorted(stamps, reverse=True)
    assert all(set(r.categories) & set(CATEGORIES) for r in results)
    assert fake.count("/api/query") == 1


def test_paged_with_start_and_max_results(fake, planted):
    results = listing(fake, f"cat:cs.LG AND {WINDOW}", page_size=5)
    expected = [i for i in planted.listed
                if "cs.LG" in fake.corpus.by_arxiv(i)["arxiv"]["categories"]]
    assert sorted(r.get_short_id().removesuffix("v1") for r in results) == sorted(expected)
    assert fake.count("/api/query") == -(-len(expected) // 5)
    assert [r.query.get("start") for r in fake.requests] == [
        str(5 * k) for k in range(-(-len(expected) // 5))]


def test_andnot_and_a_date_range_exclude(fake, planted):
    older = listing(fake, "cat:cs.LG AND submittedDate:[202601010000 TO 202611161159]")
    assert {r.get_short_id().removesuffix("v1") for r in older} <= set(planted.outside)
    assert older
    no_cl = listing(fake, f"cat:cs.* ANDNOT cat:cs.CL AND {WINDOW}")
    assert no_cl and all("cs.CL" not in r.categories for r in no_cl)


def test_opensearch_header_and_the_slice_limit():
    corpus = Corpus(papers=[
        {"paperId": f"{i:040x}", "title": f"Paper {i}", "externalIds": {"ArXiv": f"2611.{i:05d}"},
         "arxiv": {"categories": ["cs.LG"], "submitted": f"2026-11-{1 + i % 28:02d}T00:00:00Z"}}
        for i in range(1, PAGE_MAX + 101)])
    with FakeArxiv(corpus=corpus) as fake:
        body = httpx.get(fake.url + "/api/query", params={
            "search_query": "cat:cs.LG", "start": "0", "max_results": "5000",
            "sortBy": "submittedDate", "sortOrder": "ascending"}).content
        feed = feedparser.parse(body)
        assert not feed.bozo
        assert int(feed.feed.opensearch_totalresults) == PAGE_MAX + 100
        assert len(feed.entries) == PAGE_MAX  # a slice of at most 2000, whatever was asked
        published = [e.published for e in feed.entries]
        assert published == sorted(published)
        too_many = httpx.get(fake.url + "/api/query",
                             params={"search_query": "cat:cs.LG", "max_results": "30001"})
        assert too_many.status_code == 400 and b"max_results" in too_many.content


@pytest.mark.parametrize("query", ["submittedDate:[2026 TO 2027]", "(cat:cs.LG", "cat:cs.LG AND",
                                   "submittedDate:202611"])
def test_a_malformed_query_is_an_error_feed(fake, query):
    answer = httpx.get(fake.url + "/api/query", params={"search_query": query})
    assert answer.status_code == 400
    assert "Error" in feedparser.parse(answer.content).entries[0].title


@settings(max_examples=40, deadline=None)
@given(cats=st.lists(st.sampled_from(CATEGORIES + ("math.AG", "q-bio.NC")), min_size=1,
                     max_size=4),
       start=st.integers(0, 20 * 24 * 60), length=st.integers(0, 20 * 24 * 60))
def test_the_clients_listing_query_means_what_the_fake_reads(cats, start, length):
    since = NOW - timedelta(minutes=start)
    until = since + timedelta(minutes=length)
    papers = [{"paperId": f"{i:040x}", "externalIds": {"ArXiv": f"2611.{i:05d}"},
               "arxiv": {"categories": [c],
                         "submitted": f"{NOW - timedelta(hours=7 * i):%Y-%m-%dT%H:%M:%SZ}"}}
              for i, c in enumerate(CATEGORIES * 20 + ("math.AG",))]
    matches = parse_query(listing_query(cats, since, until), lambda p: p["arxiv"]["submitted"])
    expected = {p["paperId"] for p in papers if p["arxiv"]["categories"][0] in cats
                and since.replace(second=0) <= datetime.strptime(
                    p["arxiv"]["submitted"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
                <= until.replace(second=59)}
    assert {p["paperId"] for p in papers if matches(p)} == expected
