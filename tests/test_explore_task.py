"""Tests for explorer.tasks.explore: options, seeds, the walk-then-rank task and its replay.

Online runs go through the real client over a socket to the fake on 127.0.0.1.
"""

from __future__ import annotations

from dataclasses import asdict

import pytest

from explorer.analysis import textsim
from explorer.errors import BadInputError, BadSeedError, ServiceError
from explorer.fake_s2 import FakeS2
from explorer.models import Edge
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.explore import (
    ExploreOptions,
    exploration_summary,
    explore,
    load_graph,
    parse_seeds,
    rank_stored,
)

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"


def client_for(fake: FakeS2, **options: float) -> S2Client:
    return S2Client(fake.url, min_interval=0, backoff=0.01, **options)


def ranking(result) -> list[tuple[str, float, str, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    return [(r.paper.paper_id, r.score, r.relation, tuple(r.reasons)) for r in result.ranked]


@pytest.mark.parametrize(("options", "named"), [
    ({"depth": 0}, "depth must be 1, 2 or 3, not 0"), ({"depth": 4}, "not 4"),
    ({"direction": "sideways"}, "not 'sideways'"),
])
def test_options_refuse_what_the_walker_cannot_do(options, named):
    with pytest.raises(BadInputError, match=named):
        ExploreOptions(**options)


def test_the_options_name_the_directions_they_accept():
    with pytest.raises(BadInputError) as err:
        ExploreOptions(direction="up")
    assert all(d in str(err.value) for d in ("both", "references", "citations"))
    assert ExploreOptions(depth=2, direction="citations").depth == 2


def test_no_seed_is_bad_input_and_a_bad_seed_is_named():
    with pytest.raises(BadInputError, match="at least one seed"):
        parse_seeds([])
    with pytest.raises(BadSeedError, match="CorpusId:-1"):
        parse_seeds(["1706.03762", "CorpusId:-1"])
    seeds = parse_seeds(["1706.03762", "10.1093/mind/LIX.236.433", "Attention is all you need"])
    assert [(s.kind, s.value) for s in seeds] == [
        ("id", "ARXIV:1706.03762"), ("id", "DOI:10.1093/mind/lix.236.433"),
        ("title", "Attention is all you need")]


def test_load_graph_keeps_only_the_links_between_the_given_papers():
    store = Store(":memory:")
    store.put_papers([{"paperId": p, "title": p.upper()} for p in ("a", "b", "c")])
    store.put_edges([Edge("a", "b"), Edge("b", "c"), Edge("c", "a")])
    g = load_graph(store, {"a", "b"})
    assert sorted(g.nodes) == ["a", "b"] and list(g.edges) == [("a", "b")]
    assert g.nodes["a"]["paper"].title == "A"


def test_explore_saves_itself_and_replays_offline_with_no_request(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    options = ExploreOptions(depth=1, direction="both")
    online = explore(["ARXIV:1706.03762"], options, store=store, client=client_for(fake))
    assert not online.partial and online.seeds == [TRANSFORMER]
    summary = exploration_summary(online)
    assert summary["requests"] == fake.count() > 0 and summary["partial"] is False
    assert summary["papers"] == online.graph.number_of_nodes() == len(online.ranked)
    assert summary["edges"] == online.graph.number_of_edges() > 0
    assert store.last_exploration() == (["ARXIV:1706.03762"], asdict(options))

    fake.reset()
    offline = explore(["1706.03762"], ExploreOptions(offline=True), store=store,
                      client=client_for(fake))
    assert fake.count() == 0 and offline.report.requests == 0
    assert ranking(offline) == ranking(online)
    assert ranking(rank_stored(store, [TRANSFORMER], options)) == ranking(online)


def test_not_relevant_papers_leave_the_ranking_but_a_seed_never_does(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    options = ExploreOptions()
    first = explore(["ARXIV:1706.03762"], options, store=store, client=client_for(fake))
    dropped = first.ranked[1].paper.paper_id
    store.list_set(dropped, status="not relevant")
    store.list_set(TRANSFORMER, status="not relevant")
    ids = [r.paper.paper_id for r in rank_stored(store, [TRANSFORMER], options).ranked]
    assert dropped not in ids and TRANSFORMER in ids
    assert set(ids) == {r.paper.paper_id for r in first.ranked} - {dropped}


def test_a_failure_mid_walk_returns_what_was_fetched_and_why(fake, tmp_path):
    fake.inject(500, times=None, path_contains="/citations")
    store = Store(tmp_path / "s.sqlite")
    result = explore(["ARXIV:1706.03762"], ExploreOptions(), store=store,
                     client=client_for(fake, max_retries=0))
    assert result.partial and isinstance(result.report.error, ServiceError)
    assert {r.relation for r in result.ranked} == {"seed", "reference"}
    assert exploration_summary(result)["partial"] is True


def test_influence_and_intents_count_for_citers_of_the_seed_as_for_its_references(fake, tmp_path):
    # Two new citers of the seed alike but for S2's flags on their citation.
    for pid, influential, intents in (("1" * 40, True, ["methodology"]),
                                      ("2" * 40, False, ["background"])):
        fake.add_paper({"paperId": pid, "title": "A later paper", "year": 2020,
                        "citationCount": 0, "externalIds": {}})
        fake.add_edge({"citingPaperId": pid, "citedPaperId": TRANSFORMER, "contexts": [],
                       "intents": intents, "isInfluential": influential})
    fake.add_paper({"paperId": "3" * 40, "title": "An earlier paper", "year": 2015,
                    "citationCount": 1, "externalIds": {}})
    fake.add_edge({"citingPaperId": TRANSFORMER, "citedPaperId": "3" * 40, "contexts": [],
                   "intents": ["methodology"], "isInfluential": True})
    store = Store(tmp_path / "s.sqlite")
    result = explore(["ARXIV:1706.03762"], ExploreOptions(depth=1), store=store,
                     client=client_for(fake))
    by_id = {r.paper.paper_id: r for r in result.ranked}
    flagged, plain = by_id["1" * 40], by_id["2" * 40]
    assert (flagged.components["influential_links"], flagged.components["intent_links"]) == (1, 1)
    assert (plain.components["influential_links"], plain.components["intent_links"]) == (0, 0)
    assert "1 influential citation to or from the seed" in flagged.reasons
    assert "1 citation to or from the seed for methods or results" in flagged.reasons
    assert flagged.score > plain.score
    # the other way: a reference the seed cites influentially, for its method, counts the same
    earlier = by_id["3" * 40]
    assert (earlier.components["influential_links"], earlier.components["intent_links"]) == (1, 1)
    assert "1 influential citation to or from the seed" in earlier.reasons


def test_papers_marked_read_or_to_read_lift_what_they_link_to(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    options = ExploreOptions()
    before = {r.paper.paper_id: r for r in explore(
        ["ARXIV:1706.03762"], options, store=store, client=client_for(fake)).ranked}
    # a citer of the seed that also cites other references of the seed
    read = next(e.citing for e in store.edges_to([TRANSFORMER])
                if len(set(store.references_of(e.citing)) & set(before)) > 1)
    linked = sorted((set(store.references_of(read)) & set(before)) - {TRANSFORMER})
    for status in ("read", "to read"):
        store.list_set(read, status=status)
        after = {r.paper.paper_id: r for r in rank_stored(store, [TRANSFORMER], options).ranked}
        assert after[read].relation != "seed"  # still ranked itself
        for pid in linked:
            assert after[pid].score > before[pid].score
            assert "linked to 1 paper marked read or to read" in after[pid].reasons
    store.list_set(read, status="not relevant")  # negative feedback: out, its links demoted
    after = {r.paper.paper_id: r for r in rank_stored(store, [TRANSFORMER], options).ranked}
    assert read not in after
    assert all(after[pid].score < before[pid].score for pid in linked)


def test_an_offline_reload_takes_the_text_similarity_from_the_store(fake, tmp_path,
                                                                    monkeypatch):
    store = Store(tmp_path / "s.sqlite")
    options = ExploreOptions(depth=1)
    online = explore(["ARXIV:1706.03762"], options, store=store, client=client_for(fake))
    computed = []
    real = textsim._tfidf
    monkeypatch.setattr(textsim, "_tfidf", lambda texts: computed.append(1) or real(texts))
    assert ranking(rank_stored(store, [TRANSFORMER], options)) == ranking(online)
    assert not computed
    cited = store.references_of(TRANSFORMER)[0]
    store.put_papers([{"paperId": cited, "abstract": "attention is all we need here"}])
    changed = ranking(rank_stored(store, [TRANSFORMER], options))
    assert len(computed) == 1
    store._db.execute("DELETE FROM vector_cache")
    assert ranking(rank_stored(store, [TRANSFORMER], options)) == changed
    assert len(computed) == 2


def test_opening_an_exploration_offline_changes_nothing_it_is_made_of(fake, tmp_path) -> None:
    # The app keys the explorations it keeps by the store's change count.
    store = Store(tmp_path / "s.sqlite")
    explore(["ARXIV:1706.03762"], ExploreOptions(), store=store, client=client_for(fake))
    walked = store.changes()
    for _ in range(2):
        explore(["ARXIV:1706.03762"], ExploreOptions(offline=True), store=Store(store.path))
    assert store.changes() == walked and store.last_exploration() is not None
