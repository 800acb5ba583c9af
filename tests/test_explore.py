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


def in_oldest_generation(obj: object) -> bool:
    return any(o is obj for o in gc.get_objects(generation=2))


def test_what_the_paused_block_made_is_filed_with_the_old_objects():
    with collector_paused():
        made = [[i] for i in range(1_000)]
    assert in_oldest_generation(made[-1]) and gc.get_freeze_count() == 0
    del made
    gc.collect()  # no collection of the middle generation is due, to promote the block's
    gc.freeze()  # someone else's frozen objects stay frozen, and the block's stay young
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            made = [[i] for i in range(1_000)]
        assert gc.get_freeze_count() == frozen and not in_oldest_generation(made[-1])
    finally:
        gc.unfreeze()


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
