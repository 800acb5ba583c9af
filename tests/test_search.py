"""Tests for explorer.tasks.search and explorer.sources.s2_search: paging within S2's window,
filters and fields sent, the list kept for picks. The real client talks to the fake over a
socket; the fake counts the requests."""

from __future__ import annotations

from contextlib import closing

import pytest

from explorer.errors import BadInputError, NothingYetError, ServiceError
from explorer.fake_s2 import FakeS2
from explorer.sources.s2 import S2Client
from explorer.sources.s2_search import SearchFilters, fetch_page
from explorer.store import Store
from explorer.tasks.search import SEARCH_FIELDS, expand_picks, last_picks, search

SEARCH = "/graph/v1/paper/search"


@pytest.fixture
def client(fake: FakeS2):
    with closing(S2Client(fake.url, min_interval=0, backoff=0.01)) as c:
        yield c


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "s.sqlite")


def searches(fake: FakeS2) -> list[dict[str, str]]:
    return [r.query for r in fake.requests if r.path == SEARCH]


def test_250_results_take_three_requests_of_at_most_100(fake, client, store):
    found = search("language models", client, store, limit=250)
    pages = [(q["offset"], q["limit"]) for q in searches(fake)]
    assert pages == [("0", "100"), ("100", "100"), ("200", "50")]
    assert found.requests == 3 and len(found.papers) == 250
    assert len({p.paper_id for p in found.papers}) == 250
    assert found.total >= 250


def test_up_to_100_results_is_one_request_for_only_the_printed_fields(fake, client, store):
    found = search("language models", client, store, limit=100)
    [query] = searches(fake)
    assert query["fields"] == ",".join(SEARCH_FIELDS) == "title,year,venue,citationCount,tldr"
    assert found.requests == 1 and len(found.papers) == 100


def test_a_short_result_stops_at_the_last_page(fake, client, store):
    found = search("decomposable attention model", client, store, limit=250)
    assert found.requests == 1 and found.total == 2 and len(found.papers) == 2


def test_pages_never_cross_the_window(fake, client, store):
    found = search("the", client, store, limit=99, offset=900)
    assert [(q["offset"], q["limit"]) for q in searches(fake)] == [("900", "99")]
    assert len(found.papers) == 99


@pytest.mark.parametrize(("offset", "limit"), [(950, 100), (0, 1001), (1000, 1)])
def test_past_the_window_is_refused_before_any_request(fake, client, store, offset, limit):
    with pytest.raises(BadInputError) as err:
        search("the", client, store, limit=limit, offset=offset)
    assert err.value.parameter == "limit" and err.value.bound == 1000 - offset
    assert "first 1000 results" in str(err.value)
    assert fake.count() == 0


@pytest.mark.parametrize(("kwargs", "parameter"), [({"limit": 0}, "limit"),
                                                   ({"offset": -1}, "offset")])
def test_bad_limit_or_offset_names_its_parameter(fake, client, store, kwargs, parameter):
    with pytest.raises(BadInputError) as err:
        search("the", client, store, **kwargs)
    assert err.value.parameter == parameter and fake.count() == 0


def test_an_empty_query_is_refused(fake, client, store):
    with pytest.raises(BadInputError, match="words to search for"):
        search("  ", client, store)
    assert fake.count() == 0


def test_filters_reach_s2_and_narrow_the_results(fake, client, store):
    filters = SearchFilters(year="2019-2022", venue="arXiv.org",
                            fields_of_study="Computer Science", publication_types="JournalArticle",
                            min_citations=1, open_access=True)
    found = search("language models", client, store, limit=100, filters=filters)
    [query] = searches(fake)
    assert {k: query[k] for k in ("year", "venue", "fieldsOfStudy", "publicationTypes",
                                  "minCitationCount", "openAccessPdf")} == {
        "year": "2019-2022", "venue": "arXiv.org", "fieldsOfStudy": "Computer Science",
        "publicationTypes": "JournalArticle", "minCitationCount": "1", "openAccessPdf": ""}
    everything = search("language models", client, store, limit=100)
    assert 0 < len(found.papers) < len(everything.papers)
    assert all(2019 <= (p.year or 0) <= 2022 and p.venue == "arXiv.org" for p in found.papers)


def test_an_empty_result_is_no_error(fake, client, store):
    found = search("zzqx nothing here", client, store)
    assert found.papers == [] and found.total == 0 and found.requests == 1


def test_a_malformed_page_is_a_service_error(fake, client):
    fake.inject(200, body={"total": 1, "data": "not a list"}, path_contains="/search")
    with pytest.raises(ServiceError, match="malformed search page"):
        fetch_page(client, "anything", ["title"])


def test_the_list_is_kept_and_picks_name_its_papers(fake, client, store):
    found = search("decomposable attention model", client, store)
    label, papers = last_picks(store)
    assert label == "search 'decomposable attention model'"
    assert [p.paper_id for p in papers] == [p.paper_id for p in found.papers]
    fake.reset()
    ids = expand_picks(["@2", "ARXIV:1706.03762", "@1"], store)
    assert ids == [found.papers[1].paper_id, "ARXIV:1706.03762", found.papers[0].paper_id]
    assert fake.count() == 0


def test_picks_without_a_list_or_past_its_end(fake, client, store):
    assert expand_picks(["ARXIV:1706.03762"], store) == ["ARXIV:1706.03762"]
    with pytest.raises(NothingYetError) as err:
        expand_picks(["@1"], store)
    assert err.value.what == "search"
    search("decomposable attention model", client, store)
    with pytest.raises(BadInputError, match=r"@3 is not in the last list .*2 papers"):
        expand_picks(["@3"], store)
