"""The semantic and recommended components of the ranking: neutral without data, reasons when
they raise a score, and the exploration that fetches their inputs against the fake."""

from __future__ import annotations

import networkx as nx
import numpy as np

from explorer.analysis.rank import DEFAULT_WEIGHTS, rank, semantic_similarity
from explorer.models import Paper
from explorer.sources.s2 import S2Client
from explorer.sources.s2_similar import EMBEDDING_MODEL
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
WEIGHTS = DEFAULT_WEIGHTS | {"semantic": 4.0}


def graph() -> nx.DiGraph:
    g = nx.DiGraph([("s1", "r"), ("s2", "r"), ("c", "s1"), ("c", "x"), ("d", "s2")])
    for node in g:
        g.nodes[node]["paper"] = Paper(node, title=f"paper {node}")
    return g


def scores(ranked) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return {r.paper.paper_id: r.score for r in ranked}


def test_no_vectors_leave_the_ranking_as_it_was():
    g = graph()
    plain = rank(g, ["s1", "s2"], weights=WEIGHTS, current_year=2025)
    for vectors in ({}, {"c": np.ones(4, np.float32)}):  # none, or no seed with one
        again = rank(g, ["s1", "s2"], weights=WEIGHTS, current_year=2025, embeddings=vectors)
        assert [(r.paper.paper_id, r.score, r.reasons) for r in again] == [
            (r.paper.paper_id, r.score, r.reasons) for r in plain]


def test_a_close_vector_raises_a_paper_and_says_why_and_a_missing_one_is_neutral():
    g = graph()
    e = {"s1": np.array([1, 0, 0], np.float32), "s2": np.array([1, 0.2, 0], np.float32),
         "c": np.array([0, 0, 1], np.float32), "d": np.array([1, 0.1, 0], np.float32),
         "r": np.array([0, 1, 0], np.float32)}
    plain = scores(rank(g, ["s1", "s2"], weights=WEIGHTS, current_year=2025))
    ranked = {r.paper.paper_id: r for r in rank(g, ["s1", "s2"], weights=WEIGHTS,
                                                   current_year=2025, embeddings=e)}
    assert ranked["d"].score > plain["d"] and ranked["c"].score < plain["c"]
    assert any(t.startswith("close in content to the seeds (SPECTER cosine 1.00)")
               for t in ranked["d"].reasons)
    assert ranked["x"].components["semantic"] == 0.0  # no vector: neutral
    assert ranked["x"].score == plain["x"]
    assert not any("content" in t for t in ranked["x"].reasons + ranked["c"].reasons)


def test_semantic_similarity_skips_vectors_of_another_size():
    comp, cos = semantic_similarity(["s", "a", "b"], [0], {
        "s": np.array([1.0, 0.0]), "a": np.array([1.0, 0.0, 0.0]), "b": np.array([0.0, 1.0])})
    assert cos.tolist() == [1.0, 0.0, 0.0] and comp[1] == 0.0


def test_recommended_papers_are_candidates_with_their_reason():
    g = graph()
    g.add_node("rec", paper=Paper("rec", title="unlinked"))
    ranked = {r.paper.paper_id: r for r in rank(g, ["s1", "s2"], current_year=2025,
                                                   recommended={"rec": 2})}
    assert "recommended by Semantic Scholar for 2 of your 2 seeds" in ranked["rec"].reasons
    alone = {r.paper.paper_id: r for r in rank(g, ["s1", "s2"], current_year=2025)}
    assert ranked["rec"].score > alone["rec"].score


def test_explore_with_recommendations_and_vectors_counts_every_request(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    client = S2Client(fake.url, min_interval=0, backoff=0.01, timeout=30)
    plain = explore([TRANSFORMER], ExploreOptions(depth=1), store=store, client=client)
    fake.reset()
    options = ExploreOptions(depth=1, recommend=True, semantic=True)
    result = explore([TRANSFORMER], options, store=store, client=client)
    recs = [r for r in fake.requests if r.path.startswith("/recommendations/")]
    batches = [r for r in fake.requests if "embedding.specter_v2" in r.query.get("fields", "")]
    assert len(recs) == 1 and batches
    assert result.report.requests == len(fake.requests)
    assert result.graph.number_of_nodes() > plain.graph.number_of_nodes()
    recommended = [r for r in result.ranked if r.components["recommended_for"] > 0]
    assert recommended and all("recommended by Semantic Scholar for your seed" in r.reasons
                               for r in recommended)
    stored = store.embeddings(list(result.graph), EMBEDDING_MODEL)
    assert set(stored) == set(result.graph)

    fake.reset()  # the vectors are kept: a second exploration asks for none
    explore([TRANSFORMER], ExploreOptions(depth=1, semantic=True), store=store, client=client)
    assert not [r for r in fake.requests if "embedding" in r.query.get("fields", "")]


def test_an_offline_exploration_uses_the_stored_recommendations(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    client = S2Client(fake.url, min_interval=0, backoff=0.01, timeout=30)
    online = explore([TRANSFORMER], ExploreOptions(depth=1, recommend=True), store=store,
                     client=client)
    fake.reset()
    offline = explore([TRANSFORMER], ExploreOptions(depth=1, recommend=True, offline=True),
                      store=store, client=client)
    assert fake.requests == []
    assert [(r.paper.paper_id, r.reasons) for r in offline.ranked] == [
        (r.paper.paper_id, r.reasons) for r in online.ranked]
