"""Tests for explorer.seeds.resolve, the one seed resolver, and its three callers.

The resolver talks to the real client over a socket to the fake on 127.0.0.1; the requests it
makes are counted by the fake, never mocked.
"""

from __future__ import annotations

import pytest

from explorer.errors import AmbiguousSeedError, NotFoundError, OfflineMissingError
from explorer.fake_s2 import FakeS2
from explorer.seeds.ids import parse_seed
from explorer.seeds.resolve import resolve
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.details import find_paper
from explorer.tasks.reading import resolve_papers
from explorer.walk import Walker

TRANSFORMER = "ARXIV:1706.03762"
BERT = "ARXIV:1810.04805"
TITLE = "Attention Is All You Need"
UNKNOWN = "10.9999/nothing.here"


@pytest.fixture
def client(fake: FakeS2):
    c = S2Client(fake.url, min_interval=0, backoff=0.01)
    yield c
    c.close()


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "s.sqlite")


def seeds(*texts: str):
    return [parse_seed(t) for t in texts]


def test_ids_cost_one_batch_and_each_title_one_match_in_seed_order(fake, client, store):
    found = resolve(seeds(BERT, TITLE, TRANSFORMER, UNKNOWN), store, client)
    assert fake.count() == 2
    assert fake.count("/graph/v1/paper/batch") == 1
    assert fake.count("/graph/v1/paper/search/match") == 1
    bert, transformer = found.ids  # the title and the arXiv id name one paper: kept once
    assert store.paper(bert).title.startswith("BERT")
    assert store.paper(transformer).title == TITLE
    assert found.unknown == {UNKNOWN: f"unknown paper: {UNKNOWN}"}
    assert found.store_hits == 0 and set(found.fetched) == {bert, transformer}


def test_a_stored_seed_is_a_store_hit_under_any_of_its_aliases(fake, client, store):
    [pid] = resolve(seeds(TRANSFORMER, TITLE), store, client).ids
    fake.reset()
    again = resolve(seeds(pid, "arxiv.org/abs/1706.03762v5", TITLE.lower() + "!"), store, client)
    assert fake.count() == 0
    assert again.ids == [pid] and again.store_hits == 3 and again.fetched == []


def test_offline_the_store_answers_and_the_rest_is_named(fake, store):
    found = resolve(seeds(TRANSFORMER, TITLE), store, None)
    assert fake.count() == 0
    assert found.ids == [] and [s.text for s in found.offline] == [TRANSFORMER, TITLE]


def test_a_store_hit_that_is_not_enough_is_fetched_again(fake, client, store):
    resolve(seeds(TRANSFORMER, BERT), store, client)
    fake.reset()
    found = resolve(seeds(TRANSFORMER, BERT), store, client, enough=lambda pid: False)
    assert fake.count("/graph/v1/paper/batch") == 1 and fake.count() == 1
    assert len(found.ids) == 2 and found.store_hits == 0


def test_the_walker_resolves_once_then_from_the_store(fake, client, store):
    assert Walker(store, client).resolve(seeds(TRANSFORMER, UNKNOWN))
    assert fake.count() == 1
    fake.reset()
    walker = Walker(store, client)
    walker.resolve(seeds(TRANSFORMER))
    assert fake.count() == 0 and walker.report.store_hits == 1
    with pytest.raises(NotFoundError, match="unknown paper"):
        Walker(store, client).resolve(seeds(UNKNOWN))
    with pytest.raises(OfflineMissingError, match=r"not in the store \(offline\)"):
        Walker(store, None).resolve(seeds(BERT))


def test_the_reading_list_and_details_share_the_stored_seed(fake, client, store):
    [pid] = resolve_papers([TRANSFORMER], store, client)
    assert fake.count() == 1
    fake.reset()
    assert find_paper(TRANSFORMER, store, client).paper_id == pid
    assert Walker(store, client).resolve(seeds(TRANSFORMER)) == [pid]
    assert fake.count() == 0  # the list stored a full record: neither asks again
    with pytest.raises(NotFoundError, match=UNKNOWN):
        resolve_papers([TRANSFORMER, UNKNOWN], store, client)
    with pytest.raises(OfflineMissingError, match="not in the store: " + BERT):
        resolve_papers([BERT], store, None)
    with pytest.raises(NotFoundError, match="unknown paper"):
        find_paper(UNKNOWN, store, client)


def test_an_ambiguous_title_raises_with_its_matches_after_storing_the_others(fake, client,
                                                                             store):
    with pytest.raises(AmbiguousSeedError) as err:
        resolve(seeds(BERT, "decomposable attention model"), store, client)
    [(text, candidates)] = err.value.matches.items()
    assert text == "decomposable attention model"
    assert [c["title"] for c in candidates] == [
        "A decomposable attention model",
        "A decomposable attention model for natural language inference"]
    assert [r.path for r in fake.requests] == [
        "/graph/v1/paper/batch", "/graph/v1/paper/search/match", "/graph/v1/paper/search"]
    assert store.resolve(parse_seed(BERT).alias)  # the other seed is kept
    assert store.resolve(parse_seed("decomposable attention model").alias) is None
    label, picks = store.picks()
    assert [p["paperId"] for p in picks] == [c["paperId"] for c in candidates]
    assert label == "matches of 'decomposable attention model'"


def test_an_exact_title_match_asks_nothing_more(fake, client, store):
    resolve(seeds("attention is ALL you need!"), store, client)
    assert [r.path for r in fake.requests] == ["/graph/v1/paper/search/match"]
    assert store.picks() is None


def test_a_partial_title_with_no_close_other_is_taken(fake, client, store):
    [pid] = resolve(seeds("Deep residual learning for image"), store, client).ids
    assert store.paper(pid).title == "Deep Residual Learning for Image Recognition"
    assert [r.path for r in fake.requests] == ["/graph/v1/paper/search/match",
                                               "/graph/v1/paper/search"]
