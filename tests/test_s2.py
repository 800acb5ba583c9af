"""The S2 source against the fake on 127.0.0.1, through the real semanticscholar client."""

from __future__ import annotations

import threading
import time

import pytest

from explorer.errors import (
    AuthError,
    BadInputError,
    Cancelled,
    DeadlineError,
    NotFoundError,
    RateLimitedError,
    ServiceError,
    UnreachableError,
)
from explorer.sources.s2 import S2Client

TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"


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


def wait_until(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for a state (not for a time): poll ``condition`` until true or ``timeout``."""
    done = threading.Event()
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the state never came")
        done.wait(0.01)


def test_refused_connection_is_one_quick_retry_naming_the_host():
    slept: list[float] = []
    c = S2Client("http://127.0.0.1:9", min_interval=0, backoff=1.0, sleep=slept.append)
    with pytest.raises(UnreachableError) as err:
        c.papers(["ARXIV:1706.03762"])
    assert err.value.host == "127.0.0.1:9" and err.value.attempts == 2
    assert "127.0.0.1:9" in str(err.value) and "\n" not in str(err.value)
    assert "s spent" in str(err.value)
    assert sum(slept) <= 0.5  # no backoff ladder for a host that is not there


def test_unknown_host_is_unreachable_not_retried_six_times():
    c = S2Client("http://no-such-host.invalid:8080", min_interval=0, backoff=0.001)
    with pytest.raises(UnreachableError) as err:
        c.paper("ARXIV:1706.03762")
    assert err.value.host == "no-such-host.invalid:8080" and err.value.attempts == 2
    assert c.requests == 2


def test_trickling_answer_is_stopped_at_the_whole_request_deadline(fake):
    fake.inject(None, trickle=0.02, times=None)
    c = client(fake, timeout=1, max_retries=1)
    with pytest.raises(DeadlineError) as err:
        c.papers(["ARXIV:1706.03762"])
    assert err.value.attempts == 2 and err.value.deadline == 1
    assert "within 1 s (2 attempts" in str(err.value)
    ended = fake.wait_trickles(2)
    assert len(ended) == 2
    assert all(sent < size for sent, size in ended), ended


def test_cancel_ends_a_request_in_flight(fake):
    fake.inject(None, delay=30)  # accepted, and held far longer than the test may take
    stop = threading.Event()
    c = client(fake, timeout=60, cancel=stop.is_set)
    threading.Thread(target=lambda: (wait_until(lambda: fake.count() == 1), stop.set()),
                     daemon=True).start()
    with pytest.raises(Cancelled):
        c.papers(["ARXIV:1706.03762"])
    c.close()


def test_walk_cancel_hook_ends_its_request_in_flight(fake, tmp_path):
    from explorer.store import Store
    from explorer.tasks.explore import ExploreOptions, explore

    fake.inject(None, delay=30, path_contains="/references")
    stop = threading.Event()
    threading.Thread(target=lambda: (wait_until(lambda: fake.count("/graph/v1/paper/") >= 2),
                                     stop.set()), daemon=True).start()
    store = Store(tmp_path / "s.db")
    with pytest.raises(Cancelled):
        explore(["1706.03762"], ExploreOptions(1, "both"), store=store,
                client=client(fake, timeout=60), cancel=stop.is_set)
    assert store.paper(TRANSFORMER) is not None  # what came before the cancel is kept
    assert store.fetch_state(TRANSFORMER, "references") == (0, False)  # never answered


def test_a_local_error_is_never_retried(fake):
    c = client(fake, api_key="bad\nkey", max_retries=6)
    with pytest.raises(BadInputError) as err:
        c.papers(["ARXIV:1706.03762"])
    assert "bad" not in str(err.value).replace("bad input", "")
    assert fake.count() == 0 and c.requests == 1


def test_spacing_passes_a_strict_one_per_interval_limiter(fake):
    # The same margin property as S2's 1 request a second at the default 1.0 s, in 1/5 the time.
    fake.set_strict_interval(0.2)
    c = client(fake, min_interval=0.2, max_retries=3)
    for i in range(25):
        c.papers(["ARXIV:1706.03762"])
        c.page(TURING, "references" if i % 2 else "citations", 0)
    statuses = [r.status for r in fake.requests]
    assert len(statuses) == 50 and statuses.count(429) == 0, statuses.count(429)


def test_spacing_passes_the_arrival_limiter_with_two_requests_in_flight(fake):
    # S2 counts arrivals: two threads share one client, each answer takes longer than the
    # interval, and the fake holds the first answers until two requests overlap.
    fake.set_strict_interval(0.2)
    fake.latency = 0.3
    fake.hold_answers(2)
    c = client(fake, min_interval=0.2, max_retries=3)

    def ask(n: int) -> None:
        for _ in range(n):
            c.papers(["ARXIV:1706.03762"])

    threads = [threading.Thread(target=ask, args=(8,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = [r.status for r in fake.requests]
    assert fake.most_in_flight == 2
    assert len(statuses) == 16 and statuses.count(429) == 0, statuses.count(429)


@pytest.mark.parametrize("limit", ["arrival", "answer"])
def test_strict_limiter_refuses_a_request_too_soon(fake, limit):
    fake.set_strict_interval(0.2, limit)
    c = client(fake, min_interval=0, max_retries=0)
    c.papers(["ARXIV:1706.03762"])
    with pytest.raises(RateLimitedError):
        c.papers(["ARXIV:1706.03762"])


def test_a_refused_connection_spends_no_politeness_wait():
    slept: list[float] = []
    c = S2Client("http://127.0.0.1:9", min_interval=1.0, backoff=0.1, sleep=slept.append)
    with pytest.raises(UnreachableError):
        c.papers(["ARXIV:1706.03762"])
    assert slept == [0.1]  # the one retry's backoff, and no spacing: nothing reached S2
