"""The arXiv source: out of reach, and listings of categories over the fake arXiv."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from explorer.config import Settings
from explorer.errors import BadInputError, UnreachableError
from explorer.fake_s2.plant import CATEGORIES, plant_inbox
from explorer.sources.arxiv import LISTING_PAGE, ArxivClient


def test_refused_arxiv_names_the_host():
    with pytest.raises(UnreachableError) as err:
        ArxivClient("http://127.0.0.1:9", timeout=5).lookup("1706.03762")
    assert err.value.host == "127.0.0.1:9" and "arXiv at 127.0.0.1:9" in str(err.value)


# Listings: what was submitted to categories over a span of time


NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
LIBRARY = ("7908ff41fdd80c1c47e302b8205b1bc5f0f57a55", "340796c8308a8852b207e932c4abf7450b1c284c")


def test_a_listing_reads_every_page_once_newest_first(fake):
    planted = plant_inbox(fake, LIBRARY, now=NOW)
    client = ArxivClient(fake.url, delay_seconds=0, page_size=10)
    found = client.listing(CATEGORIES, NOW - timedelta(days=14), NOW)
    assert sorted(r.arxiv_id for r in found) == sorted(planted.listed)
    assert [r.submitted for r in found] == sorted((r.submitted for r in found), reverse=True)
    pages = -(-len(planted.listed) // 10)
    assert client.requests == fake.count("/api/query") == pages
    assert {r.query["sortBy"] for r in fake.requests} == {"submittedDate"}


def test_a_listing_asks_for_2000_at_a_time_and_the_delay_is_a_setting(fake):
    plant_inbox(fake, LIBRARY, now=NOW)
    client = Settings.from_env({"ARXIV_API_URL": fake.url, "EXPLORER_ARXIV_DELAY": "0"}
                               ).arxiv_client()
    assert client._client.delay_seconds == 0
    assert Settings().arxiv_client()._client.delay_seconds == 3  # arXiv's terms of use
    client.listing(["cs.LG"], NOW - timedelta(days=14), NOW)
    assert [r.query["max_results"] for r in fake.requests] == [str(LISTING_PAGE)]


@pytest.mark.parametrize("cats", [[], ["cs LG"], ["cs.LG) OR (all:x"]])
def test_a_bad_category_is_refused_before_any_request(fake, cats):
    with pytest.raises(BadInputError):
        ArxivClient(fake.url, delay_seconds=0).listing(cats, NOW - timedelta(days=1), NOW)
    assert fake.count() == 0
