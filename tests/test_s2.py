"""The S2 source against the fake on 127.0.0.1, through the real semanticscholar client."""

from __future__ import annotations

import pytest

from explorer.errors import AuthError, NotFoundError, ServiceError
from explorer.sources.s2 import S2Client

TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"


def client(fake, **kw) -> S2Client:
    kw.setdefault("min_interval", 0)
    kw.setdefault("backoff", 0.001)
    kw.setdefault("timeout", 2)
    return S2Client(fake.url, **kw)


def test_batch_keeps_positions_and_nulls(fake):
    c = client(fake)
    out = c.papers(["ARXIV:1706.03762", "DOI:10.9999/none", "DOI:10.1093/mind/lix.236.433"])
    assert out[0]["title"] == "Attention Is All You Need"
    assert out[1] is None
    assert out[2]["paperId"] == TURING
    assert c.requests == 1


def test_pages_of_1000_and_next(fake):
    c = client(fake)
    first = c.page(TURING, "citations", 0)
    assert len(first.items) == 1000 and first.next is None
    assert "contexts" in first.items[0] and "citingPaper" in first.items[0]
    assert c.requests == 1


def test_key_goes_out_on_every_request_and_never_in_errors(fake):
    fake.api_key = "s3cret-key"
    c = client(fake, api_key="s3cret-key")
    c.papers(["ARXIV:1706.03762"])
    c.page(TURING, "citations", 0)
    c.page(TURING, "references", 0)
    c.paper("ARXIV:1706.03762")
    c.match_title("Attention is all you need")
    assert len(fake.requests) == 5
    assert all(r.api_key == "s3cret-key" for r in fake.requests)
    bad = client(fake, api_key="wrong")
    with pytest.raises(AuthError) as err:
        bad.papers(["ARXIV:1706.03762"])
    assert "S2_API_KEY" in str(err.value) and "wrong" not in str(err.value)


def test_429_429_then_200_succeeds(fake):
    fake.inject(429, times=2)
    c = client(fake)
    assert c.papers(["ARXIV:1706.03762"])[0]["paperId"]
    assert c.requests == 3


def test_retry_after_is_honoured(fake):
    fake.inject(429, times=1, headers={"Retry-After": "0.3"})
    slept: list[float] = []
    c = client(fake, sleep=slept.append)
    c.papers(["ARXIV:1706.03762"])
    assert slept == [0.3]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_retried_and_never_an_empty_paper(fake, status):
    fake.inject(status, times=2)
    c = client(fake)
    paper = c.paper("ARXIV:1706.03762")
    assert paper["title"] == "Attention Is All You Need"
    fake.inject(status, times=50)
    with pytest.raises(ServiceError) as err:
        client(fake, max_retries=2).paper("ARXIV:1706.03762")
    assert str(status) in str(err.value)


def test_malformed_json_and_timeouts_are_service_errors(fake):
    fake.inject(200, raw=b'{"data": [', times=50)
    with pytest.raises(ServiceError, match="malformed"):
        client(fake, max_retries=1).page(TURING, "citations", 0)
    fake.reset_faults()
    fake.inject(200, delay=1.5, times=50)
    with pytest.raises(ServiceError, match="did not answer"):
        client(fake, max_retries=0, timeout=0.3).papers(["ARXIV:1706.03762"])


def test_unknown_paper_and_title(fake):
    c = client(fake)
    with pytest.raises(NotFoundError):
        c.paper("DOI:10.9999/none")
    with pytest.raises(NotFoundError):
        c.match_title("zzzz qqqq xxxx not a title at all")
    assert c.match_title("wide & deep learning for recommender systems")["paperId"]
