"""The OpenAlex client against the fake OpenAlex on 127.0.0.1, over a socket."""

from __future__ import annotations

import logging
import math
from decimal import Decimal

import pytest

from explorer.errors import (
    AuthError,
    BadInputError,
    DeadlineError,
    KeyMissingError,
    NotFoundError,
    RateLimitedError,
    ServiceError,
)
from explorer.fake_openalex import FakeOpenAlex
from explorer.sources.openalex import OpenAlexClient, work_path

TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
TURING_DOI = "DOI:10.1093/mind/LIX.236.433"
KEY = "oa-s3cret-9f8e7d"


@pytest.fixture
def oa(corpus):
    server = FakeOpenAlex(corpus_dir=corpus, api_key=KEY)
    server.start()
    yield server
    server.stop()


def client(fake, key=KEY, **kw) -> OpenAlexClient:
    kw.setdefault("min_interval", 0)
    kw.setdefault("backoff", 0.001)
    kw.setdefault("timeout", 5)
    return OpenAlexClient(fake.url, key, **kw)


def test_every_citer_in_ceil_c_over_100_list_calls_plus_the_lookup(oa):
    turing = oa.works.of_s2[TURING]
    oa.works.add_citers(turing, 2345)
    expected = set(oa.works.citing(turing))
    c = client(oa)
    work = c.work(TURING_DOI)
    got = [w["id"] for page in c.cited_by(work["id"]) for w in page.works]
    assert {g.rsplit("/", 1)[-1] for g in got} == expected and len(got) == len(expected)
    assert c.requests == math.ceil(len(expected) / 100) + 1 == oa.count()
    assert c.cost == Decimal("0.0001") * math.ceil(len(expected) / 100)
    assert c.requester.remaining == Decimal(1) - c.cost
    assert all(r.query.get("api_key") == KEY for r in oa.requests)


def test_a_count_that_is_a_multiple_of_the_page_costs_no_empty_extra_page(corpus):
    fake = FakeOpenAlex(corpus_dir=corpus, api_key=KEY)
    work = fake.works.add_citers(fake.works.of_s2[TURING], 1)[0]
    fake.works.add_citers(work, 300)
    with fake:
        c = client(fake)
        pages = list(c.cited_by(work))
    assert [len(p.works) for p in pages] == [100, 100, 100] and c.requests == 3


def test_no_key_means_no_request(oa):
    c = client(oa, key=None)
    with pytest.raises(KeyMissingError) as info:
        next(c.cited_by("W1"))
    assert "https://openalex.org/settings/api" in str(info.value)
    assert "OPENALEX_API_KEY" in str(info.value)
    assert oa.count() == 0


def test_keyless_cursor_paging_answers_401_in_one_line(oa):
    c = client(oa, key=None)
    with pytest.raises(AuthError) as info:
        c.requester.request(f"{oa.url}/works", "filter=cites:W1&cursor=*")
    assert info.value.status == 401 and "\n" not in str(info.value)
    assert "settings/api" in str(info.value)


def test_429_then_success_is_retried_with_retry_after(oa):
    oa.inject(429, headers={"Retry-After": "0"}, times=2)
    c = client(oa)
    assert c.work(TURING_DOI)["title"] == "Computing Machinery and Intelligence"
    assert [r.status for r in oa.requests] == [429, 429, 200]


def test_429_every_time_is_one_line_after_the_retries(oa):
    oa.inject(429, times=None)
    c = client(oa, max_retries=2)
    with pytest.raises(RateLimitedError) as info:
        c.work(TURING_DOI)
    assert oa.count() == 3 and "OpenAlex answered rate limit (429)" in str(info.value)


def test_5xx_is_retried(oa):
    oa.inject(503, times=1)
    oa.inject(500, times=1)
    assert client(oa).work(TURING_DOI)["doi"] == "https://doi.org/10.1093/mind/lix.236.433"
    assert [r.status for r in oa.requests] == [503, 500, 200]


def test_malformed_json_is_retried_then_one_line(oa):
    oa.inject(200, raw=b'{"meta": {"count": ', times=None)
    with pytest.raises(ServiceError) as info:
        client(oa, max_retries=1).work(TURING_DOI)
    assert str(info.value).startswith("OpenAlex sent malformed JSON for /works/")


def test_a_stall_ends_at_the_deadline_in_one_line(oa):
    oa.inject(None, delay=30, times=None)
    with pytest.raises(DeadlineError) as info:
        client(oa, timeout=0.5, max_retries=1).work(TURING_DOI)
    assert "OpenAlex at 127.0.0.1" in str(info.value) and "\n" not in str(info.value)


def test_a_dangling_reference_answers_404(oa):
    with pytest.raises(NotFoundError) as info:
        client(oa).work("W999999999999")
    assert "W999999999999" in str(info.value)


def test_a_merged_work_redirects_to_the_kept_one(oa):
    turing = oa.works.of_s2[TURING]
    old = oa.works.add_citers(turing, 1)[0]
    kept = oa.works.add_citers(turing, 1)[0]
    old_doi = oa.works.get(old)["doi"] or "https://doi.org/10.5555/merged"
    oa.works.get(old)["doi"] = old_doi
    oa.works.add(oa.works.get(old))
    oa.works.merge(old, kept)
    c = client(oa)
    assert c.work(old)["id"].endswith(kept)
    assert c.work("DOI:" + old_doi.removeprefix("https://doi.org/"))["id"].endswith(kept)
    assert [r.status for r in oa.requests] == [301, 200, 301, 200]
    # the DOI list filter misses the merged record; a single lookup finds it
    oa.reset()
    got = c.works_by_doi([old_doi, "10.9999/unknown"])
    assert list(got) == [old_doi.removeprefix("https://doi.org/")]
    assert got[old_doi.removeprefix("https://doi.org/")]["id"].endswith(kept)
    assert [(r.path, r.status) for r in oa.requests] == [
        ("/works", 200), (f"/works/doi:{old_doi.removeprefix('https://doi.org/')}", 301),
        (f"/works/{kept}", 200), ("/works/doi:10.9999/unknown", 404)]


def test_over_100_or_values_and_per_page_over_100_are_refused(oa):
    c = client(oa)
    with pytest.raises(BadInputError, match="Maximum number of values"):
        c.requester.request(f"{oa.url}/works",
                            "filter=openalex:" + "|".join(f"W{i}" for i in range(101)))
    with pytest.raises(BadInputError, match="between 1 and 100"):
        c.requester.request(f"{oa.url}/works", "filter=cites:W1&per_page=101&cursor=*")
    assert [r.status for r in oa.requests] == [400, 400]


def test_works_by_id_ask_100_at_a_time(oa):
    ids = list(oa.works.works)[:250]
    c = client(oa)
    got = c.works(ids + ["W1"])
    assert [w["id"].rsplit("/", 1)[-1] for w in got] == ids
    assert c.requests == 3


def test_the_key_never_appears_in_errors_logs_or_urls(oa, caplog):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")
    wrong = "wrong-" + KEY
    c = client(oa, key=wrong, max_retries=1, timeout=0.5)
    failures = []
    for fault in ({"status": 503, "times": None}, {"status": None, "delay": 30},
                  {"status": 200, "raw": b"{", "times": None}):
        oa.clear_faults()
        oa.inject(**fault)
        with pytest.raises(ServiceError) as info:
            c.work(TURING_DOI)
        failures.append(info.value)
    oa.clear_faults()
    with pytest.raises(AuthError) as info:
        next(c.cited_by("W1"))
    failures.append(info.value)
    mine = [r for r in caplog.records if not r.name.startswith("explorer.fake")]
    assert any(r.name == "httpx" and "HTTP Request" in r.getMessage() for r in mine)
    assert any("retrying" in r.getMessage() for r in mine)
    for text in [*(str(e) for e in failures), *(repr(e.args) for e in failures),
                 *(str(e.url) for e in failures), *(r.getMessage() for r in mine)]:
        assert KEY not in text


@pytest.mark.parametrize("ident, path", [
    ("W123", "/works/W123"),
    ("https://doi.org/10.1/ABC", "/works/doi:10.1/abc"),
    ("10.1/x(y)", "/works/doi:10.1/x(y)"),
    ("arXiv:1706.03762", "/works/doi:10.48550/arxiv.1706.03762"),
])
def test_work_paths(ident, path):
    assert work_path(ident) == path


def test_a_title_is_no_work_id():
    with pytest.raises(BadInputError):
        work_path("Attention is all you need")
