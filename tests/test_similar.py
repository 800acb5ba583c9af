"""`explorer similar` and explorer.tasks.similar against the fake on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from explorer.errors import BadInputError, OfflineMissingError
from explorer.sources.s2 import S2Client
from explorer.sources.s2_similar import EMBEDDING_MODEL
from explorer.store import Store
from explorer.tasks.similar import ensure_embeddings, recommend_from_list, similar
from tests.conftest import cli_env

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
BERT = "340796c8308a8852b207e932c4abf7450b1c284c"
TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"


def client(fake) -> S2Client:
    return S2Client(fake.url, min_interval=0, backoff=0.001, timeout=30)


def ok(res):
    assert res.returncode == 0, res.stderr
    return res.stdout


def test_one_request_per_seed_and_shared_recommendations_first(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_papers([{"paperId": TRANSFORMER, "title": "Attention Is All You Need"},
                      {"paperId": BERT, "title": "BERT"}])
    result = similar([TRANSFORMER, BERT], store, client(fake), limit=30, pool="all-cs")
    assert result.requests == 2
    assert [r.path.rsplit("/", 1)[-1] for r in fake.requests] == [TRANSFORMER, BERT]
    votes = [r.votes for r in result.recommendations]
    assert votes == sorted(votes, reverse=True) and votes[0] == 2
    top = result.recommendations[0]
    assert top.reason == "recommended by Semantic Scholar for 2 of your 2 seeds"
    assert {TRANSFORMER, BERT}.isdisjoint(r.paper.paper_id for r in result.recommendations)
    assert store.paper(top.paper.paper_id).title == top.paper.title  # kept in the store


def test_reading_list_with_a_negative_paper_is_one_post(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    c = client(fake)
    store.list_set(TRANSFORMER, status="read")
    store.list_set(BERT, status="to read")
    before = recommend_from_list(store, c, limit=20)
    worst = before.recommendations[0].paper.paper_id
    store.list_set(worst, status="not relevant")
    fake.reset()
    result = recommend_from_list(store, c, limit=20)
    [req] = fake.requests
    assert req.method == "POST" and req.path == "/recommendations/v1/papers/"
    assert json.loads(req.body) == {"positivePaperIds": [TRANSFORMER, BERT],
                                    "negativePaperIds": [worst]}
    found = [r.paper.paper_id for r in result.recommendations]
    assert worst not in found and found
    assert result.recommendations[0].reason == (
        "recommended by Semantic Scholar for your reading list (2 liked, 1 not relevant)")


def test_negative_only_reading_list_is_refused_before_asking(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.list_set(TURING, status="not relevant")
    with pytest.raises(BadInputError, match="at least one paper marked read"):
        recommend_from_list(store, client(fake))
    assert fake.requests == []


def test_offline_is_a_clear_error(tmp_path):
    with pytest.raises(OfflineMissingError, match="cannot be made offline"):
        similar([TRANSFORMER], Store(tmp_path / "s.sqlite"), None)


def test_embeddings_are_fetched_once(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    ids = list(fake.corpus.papers)[:320] + ["f" * 40]
    assert ensure_embeddings(store, client(fake), ids) == 321
    assert fake.count("/graph/v1/paper/batch") == 2
    stored = store.embeddings(ids, EMBEDDING_MODEL)
    assert len(stored) == 321 and stored["f" * 40] is None
    assert ensure_embeddings(store, client(fake), ids) == 0
    assert fake.count("/graph/v1/paper/batch") == 2


def test_cli_similar_from_list_and_negative_only_line(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    ok(cli(["list", "add", "1706.03762", "--status", "read"], env))
    out = ok(cli(["similar", "--from-list", "--limit", "5"], env))
    assert out.count("recommended by Semantic Scholar for your reading list") == 5

    env = cli_env(fake, tmp_path / "other.sqlite")
    ok(cli(["list", "add", "1706.03762", "--status", "not relevant"], env))
    res = cli(["similar", "--from-list"], env)
    assert res.returncode != 0 and res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1
    assert "marked read, reading or to read" in res.stderr


def test_cli_similar_for_seeds_and_its_help(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    out = ok(cli(["similar", "1706.03762", "--limit", "3", "--pool", "all-cs"], env))
    assert out.count("recommended by Semantic Scholar for your seed") == 3
    assert "examples:" in ok(cli(["similar", "--help"], env))
    bad = cli(["similar", "1706.03762", "--limit", "501"], env)
    assert bad.returncode != 0 and "--limit" in bad.stderr


def test_each_seed_is_asked_once_and_offline_uses_the_stored_answer(fake, tmp_path):
    from explorer.tasks.similar import recommend_for_seeds

    store = Store(tmp_path / "s.sqlite")
    first = recommend_for_seeds([TRANSFORMER], store, client(fake), limit=10)
    again = recommend_for_seeds([TRANSFORMER], store, client(fake), limit=10)
    offline = recommend_for_seeds([TRANSFORMER], store, None, limit=10)
    assert len(fake.requests) == 1
    assert [r.paper for r in first] == [r.paper for r in again] == [r.paper for r in offline]
    recommend_for_seeds([TRANSFORMER], store, client(fake), limit=10, refresh=True)
    assert len(fake.requests) == 2


def test_cli_explore_recommend_shows_the_reason(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    out = ok(cli(["explore", "1706.03762", "--depth", "1", "--recommend", "--semantic",
                  "--top", "500"], env))
    assert "recommended by Semantic Scholar for your seed" in out
    assert fake.count("/recommendations/v1/papers/forpaper/") == 1
