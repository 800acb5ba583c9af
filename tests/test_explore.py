import gc

from explorer.models import Edge
from explorer.store import Store
from explorer.tasks import explore
from explorer.tasks.explore import ExploreOptions, collector_paused, rank_stored


def test_the_collector_is_paused_inside_and_left_as_it_was_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_stored_exploration_is_loaded_and_ranked_with_the_collector_paused(
        tmp_path, monkeypatch):
    store = Store(tmp_path / "s.sqlite")
    papers = [f"{i:040x}" for i in range(400)]
    store.put_papers([{"paperId": p, "title": f"Paper {i}", "year": 2000 + i % 20}
                      for i, p in enumerate(papers)])
    store.put_edges([Edge(p, papers[0]) for p in papers[1:]]
                    + [Edge(p, papers[(i * 7) % 400]) for i, p in enumerate(papers)])
    collecting: list[bool] = []
    real_rank = explore.rank

    def rank(*args, **kwargs):  # type: ignore[no-untyped-def]
        collecting.append(gc.isenabled())
        return real_rank(*args, **kwargs)

    monkeypatch.setattr(explore, "rank", rank)
    result = rank_stored(store, [papers[0]], ExploreOptions(depth=2))
    assert result.graph.number_of_nodes() == 400 and len(result.ranked) == 400
    assert collecting == [False] and gc.isenabled()
