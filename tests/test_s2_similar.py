"""Recommendations and SPECTER embeddings against the fake on 127.0.0.1, over the socket."""

from __future__ import annotations

import json

import numpy as np
import pytest

from explorer.errors import BadInputError, NotFoundError
from explorer.sources.s2 import S2Client
from explorer.sources.s2_similar import EMBEDDING_BATCH, SimilarClient, parse_embedding

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"


def similar(fake, **kw) -> SimilarClient:
    return SimilarClient(S2Client(fake.url, min_interval=0, backoff=0.001, timeout=30, **kw))


def test_for_paper_is_one_request_with_the_pool_and_limit(fake):
    c = similar(fake)
    papers = c.for_paper(TRANSFORMER, limit=7, pool="all-cs")
    assert len(papers) == 7 and TRANSFORMER not in {p["paperId"] for p in papers}
    assert all(p.get("title") for p in papers)
    [req] = fake.requests
    assert req.path == f"/recommendations/v1/papers/forpaper/{TRANSFORMER}"
    assert (req.query["limit"], req.query["from"]) == ("7", "all-cs")


def test_unknown_paper_is_not_found(fake):
    with pytest.raises(NotFoundError, match="not found"):
        similar(fake).for_paper("DOI:10.9999/none")


def test_limit_over_500_is_refused_before_any_request(fake):
    with pytest.raises(BadInputError, match="between 1 and 500"):
        similar(fake).for_paper(TRANSFORMER, limit=501)
    assert fake.requests == []


def test_lists_send_positives_and_negatives_in_one_post(fake):
    ids = list(fake.corpus.papers)
    c = similar(fake)
    liked = c.from_lists([TRANSFORMER], limit=20)
    top = liked[0]["paperId"]
    disliked = c.from_lists([TRANSFORMER], [top], limit=20)
    assert top not in {p["paperId"] for p in disliked}
    sent = json.loads(fake.requests[-1].body)
    assert sent == {"positivePaperIds": [TRANSFORMER], "negativePaperIds": [top]}
    assert fake.requests[-1].method == "POST" and len(fake.requests) == 2
    assert ids  # the corpus is served


def test_negative_only_list_is_one_line(fake):
    with pytest.raises(BadInputError) as info:
        similar(fake).from_lists([], [TRANSFORMER])
    assert str(info.value) == ("Semantic Scholar rejected the request: "
                               "No positive paper examples given")
    assert [r.status for r in fake.requests] == [400]


def test_500_embeddings_in_two_batches_none_too_large(fake):
    ids = list(fake.corpus.papers)[:500]
    c = similar(fake)
    got = c.embeddings(ids)
    batches = [r for r in fake.requests if r.path == "/graph/v1/paper/batch"]
    assert [len(json.loads(r.body)["ids"]) for r in batches] == [EMBEDDING_BATCH, 200]
    assert all(r.status == 200 for r in batches)
    assert len(got) == 500
    assert sum(v is not None for v in got.values()) >= 490
    assert {v.shape for v in got.values() if v is not None} == {(768,)}


def test_too_large_answer_is_halved_and_nothing_is_lost(fake):
    ids = list(fake.corpus.papers)[:500]
    whole = similar(fake).embeddings(ids)
    fake.reset()
    fake.response_cap = 2_500_000  # about 150 vectors
    kept: list[dict] = []
    got = similar(fake).embeddings(ids, done=kept.append)
    statuses = [r.status for r in fake.requests]
    assert 400 in statuses and statuses[-1] == 200
    assert set(got) == set(ids) and len(kept) == 2
    assert all(np.array_equal(got[i], whole[i]) for i in ids if whole[i] is not None)


def test_fake_vectors_put_papers_on_one_topic_close(fake):
    c = similar(fake)
    papers = [p["paperId"] for p in c.for_paper(TRANSFORMER, limit=5, pool="all-cs")]
    far = [p for p in fake.corpus.papers if p not in papers][-1]
    vecs = c.embeddings([TRANSFORMER, *papers, far])

    def cos(a: str, b: str) -> float:
        x, y = vecs[a], vecs[b]
        return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))

    assert min(cos(TRANSFORMER, p) for p in papers) > cos(TRANSFORMER, far)


def test_parse_embedding_refuses_what_is_no_vector():
    assert parse_embedding({"embedding": {"vector": ["1", 2]}}) is None
    assert parse_embedding({"embedding": {"vector": [float("nan")]}}) is None
    assert parse_embedding(None) is None
