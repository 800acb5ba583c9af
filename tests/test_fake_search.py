"""The fake's /paper/search over a socket: relevance order, paging limits, total, next, filters."""

from __future__ import annotations

import httpx
import pytest

from explorer.fake_s2 import FakeS2

SEARCH = "/graph/v1/paper/search"
A = "a" * 40
B = "b" * 40
C = "c" * 40
D = "d" * 40

PAPERS = [
    {"paperId": A, "title": "Graph neural networks", "abstract": "We study message passing.",
     "year": 2019, "venue": "NeurIPS", "citationCount": 50, "fieldsOfStudy": ["Computer Science"],
     "publicationTypes": ["Conference"]},
    {"paperId": B, "title": "A survey of learning", "abstract": "Graph neural networks, graph "
     "kernels and graph embeddings.", "year": 2021, "venue": "ACM Computing Surveys",
     "citationCount": 5, "fieldsOfStudy": ["Computer Science"], "publicationTypes": ["Review"],
     "publicationVenue": {"name": "ACM Computing Surveys", "alternate_names": ["ACM Comput Surv"]}},
    {"paperId": C, "title": "Neural networks of the brain", "abstract": "Cortical graph models.",
     "year": 2010, "venue": "Nature", "citationCount": 900, "fieldsOfStudy": ["Biology"],
     "publicationTypes": ["JournalArticle"]},
    {"paperId": D, "title": "Unrelated", "abstract": "Nothing here.", "year": 2019},
]


@pytest.fixture(scope="module")
def http():
    with FakeS2(papers=PAPERS) as fake, httpx.Client(base_url=fake.url) as client:
        yield client


def ids(http: httpx.Client, **params) -> list[str]:
    body = http.get(SEARCH, params=params).json()
    return [p["paperId"] for p in body.get("data", [])]


def test_relevance_puts_title_hits_before_abstract_hits(http):
    # A holds every term in its title, C two of them, B none (all three in its abstract)
    assert ids(http, query="graph neural networks") == [A, C, B]
    assert ids(http, query="Neural networks") == [A, C, B]


def test_every_term_must_occur(http):
    assert ids(http, query="graph kernels") == [B]
    assert http.get(SEARCH, params={"query": "graph zzzq"}).json() == {"total": 0, "offset": 0}


def test_order_is_the_same_every_time(http):
    first = ids(http, query="networks")
    assert all(ids(http, query="networks") == first for _ in range(3))


def test_total_and_next_on_pages(http):
    first = http.get(SEARCH, params={"query": "neural networks", "limit": 2}).json()
    assert first["total"] == 3 and first["offset"] == 0 and first["next"] == 2
    assert len(first["data"]) == 2
    last = http.get(SEARCH, params={"query": "neural networks", "offset": 2, "limit": 2}).json()
    assert last["total"] == 3 and last["offset"] == 2 and "next" not in last
    assert [p["paperId"] for p in last["data"]] == [B]


def test_paging_limits_and_messages(http):
    r = http.get(SEARCH, params={"query": "graph", "limit": 101})
    assert r.status_code == 400 and r.json() == {"error": "Unacceptable query params: [limit=101]"}
    r = http.get(SEARCH, params={"query": "graph", "offset": 901, "limit": 100})
    assert r.status_code == 400
    assert r.json() == {"error": "The sum of offset and limit must be <= 1000"}
    assert http.get(SEARCH, params={"query": "graph", "offset": 900, "limit": 100}
                    ).status_code == 200


def test_next_never_points_past_the_window():
    many = [{"paperId": f"{i:040x}", "title": f"Graph {i}"} for i in range(1200)]
    with FakeS2(papers=many) as fake, httpx.Client(base_url=fake.url) as client:
        page = client.get(SEARCH, params={"query": "graph", "offset": 800, "limit": 100}).json()
        assert page["total"] == 1200 and page["next"] == 900
        page = client.get(SEARCH, params={"query": "graph", "offset": 900, "limit": 100}).json()
        assert len(page["data"]) == 100 and "next" not in page  # result 1,000 is the last


@pytest.mark.parametrize(("params", "expected"), [
    ({"year": "2019"}, [A]),
    ({"year": "2015-"}, [A, B]),
    ({"year": "-2019"}, [A, C]),
    ({"year": "2011-2020"}, [A]),
    ({"venue": "nature,NeurIPS"}, [A, C]),
    ({"venue": "ACM Comput Surv"}, [B]),
    ({"fieldsOfStudy": "Biology"}, [C]),
    ({"minCitationCount": "50"}, [A, C]),
    ({"publicationTypes": "Review,JournalArticle"}, [C, B]),
])
def test_filters(http, params, expected):
    assert ids(http, query="neural networks", **params) == expected
    total = http.get(SEARCH, params={"query": "neural networks", **params}).json()["total"]
    assert total == len(expected)
