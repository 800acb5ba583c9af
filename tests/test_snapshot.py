"""Tests for explorer.snapshot and the snapshots the store keeps of ranked explorations: a
reopening is the snapshot, equal to computing it again; any change to what it is made of, or
another question, computes; a corrupt or hostile snapshot, a full disk or an old store change
nothing of the result."""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import pytest

import explorer.store as store_module
from explorer import snapshot
from explorer.models import Edge
from explorer.store import SCHEMA_VERSION, SNAPSHOTS_KEPT, Store
from explorer.tasks import explore as task
from explorer.tasks.explore import Exploration, ExploreOptions, explore, rank_stored
from tests.test_explore_task import TRANSFORMER, client_for
from tests.test_store import FIXTURES, as_read_only, limit_pages, old_store

OFFLINE = ExploreOptions(depth=2, offline=True)
PAPERS = [f"{i:040x}" for i in range(80)]
SEED = PAPERS[0]
ARXIV_ID, JOURNAL_ID = "af02f2c6b315f8a3db555a6386fbd37165e6ecdb", \
    "7ce0067a715c27421a72dbfba3a6423b1e40d8c0"
TITLE = "Proof in the time of machines"


def made_store(path: Path | str) -> Store:
    """80 papers around a seed, with contexts, intents and influence flags on some citations,
    and two versions of one work (merged into one node, with a reason)."""
    store = Store(path)
    store.put_papers([{"paperId": p, "title": f"Paper {i} on attention and graphs",
                       "abstract": f"words {i % 5} about citations", "year": 2000 + i % 20,
                       "authors": [{"name": f"Author {i % 7}"}]}
                      for i, p in enumerate(PAPERS)])
    store.put_papers([
        {"paperId": ARXIV_ID, "title": TITLE, "year": 2023,
         "authors": [{"name": "Andrew Granville"}], "externalIds": {"ArXiv": "2305.02329"}},
        {"paperId": JOURNAL_ID, "title": TITLE, "year": 2024,
         "authors": [{"name": "Andrew Granville"}], "externalIds": {"DOI": "10.1090/bull/1826"}}])
    store.put_edges([Edge(p, SEED, i % 3 == 0, (f"context {i}",) if i % 2 else (),
                          ("methodology",) if i % 4 == 0 else ())
                     for i, p in enumerate(PAPERS[1:30], start=1)]
                    + [Edge(SEED, p) for p in PAPERS[30:50]]
                    + [Edge(p, PAPERS[(i * 7) % 80]) for i, p in enumerate(PAPERS)]
                    + [Edge(ARXIV_ID, SEED), Edge(JOURNAL_ID, SEED), Edge(PAPERS[5], ARXIV_ID),
                       Edge(PAPERS[6], JOURNAL_ID)])
    return store


def assert_same(a: Exploration, b: Exploration) -> None:
    """The same seeds, graph (nodes, citations and attributes, in order, both directions)
    and ranking (order, scores, reasons, components)."""
    assert a.seeds == b.seeds
    assert list(a.graph.nodes(data=True)) == list(b.graph.nodes(data=True))
    assert list(a.graph.edges(data=True)) == list(b.graph.edges(data=True))
    assert [list(a.graph.pred[n].items()) for n in a.graph] == \
        [list(b.graph.pred[n].items()) for n in b.graph]
    assert a.graph.graph == b.graph.graph
    assert all(a.graph.succ[u][v] is a.graph.pred[v][u] for u, v in a.graph.edges)
    assert a.ranked == b.ranked
    assert [dict(r.components) for r in a.ranked] == [dict(r.components) for r in b.ranked]
    assert [r.paper for r in a.ranked] == [a.graph.nodes[r.paper.paper_id]["paper"]
                                           for r in a.ranked]


@pytest.fixture
def computed(monkeypatch) -> list[int]:
    """How many explorations were computed from the store's records (not reopened)."""
    calls: list[int] = []
    real = task.exploration_records

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(task, "exploration_records", counting)
    return calls


def fresh(store: Store, seeds: list[str], options: ExploreOptions = OFFLINE,
          weights: dict[str, float] | None = None) -> Exploration:
    """The exploration computed again, whatever the store keeps."""
    store._db.execute("DELETE FROM snapshots")
    return rank_stored(store, seeds, options, weights=weights)


def kept_rows(store: Store) -> list[tuple[int, int]]:
    return store._query("SELECT changes, size FROM snapshots ORDER BY stored")


def test_a_reopening_is_the_snapshot_and_equals_computing_it(tmp_path, computed):
    store = made_store(tmp_path / "s.sqlite")
    changes = store.changes()
    first = rank_stored(store, [SEED], OFFLINE)
    assert len(computed) == 1 and len(kept_rows(store)) == 1
    assert store.changes() == changes  # keeping a snapshot is bookkeeping
    assert any("same work" in why for r in first.ranked for why in r.reasons)
    again = rank_stored(store, [SEED], OFFLINE)
    elsewhere = rank_stored(Store(store.path), [SEED], OFFLINE)  # another process
    assert len(computed) == 1
    assert_same(again, first)
    assert_same(elsewhere, first)
    assert_same(fresh(store, [SEED]), first)
    assert len(computed) == 2 and again.report.seeds == again.seeds


def test_an_offline_explore_reopens_what_it_kept_and_an_online_walk_keeps_nothing(
        fake, tmp_path, computed):
    store = Store(tmp_path / "s.sqlite")
    online = explore(["ARXIV:1706.03762"], ExploreOptions(), store=store,
                     client=client_for(fake))
    assert kept_rows(store) == [] and online.seeds == [TRANSFORMER]
    first = explore(["1706.03762"], ExploreOptions(offline=True), store=store)
    assert len(kept_rows(store)) == 1 and len(computed) == 2
    fake.reset()
    again = explore(["1706.03762"], ExploreOptions(offline=True), store=store,
                    client=client_for(fake))
    assert len(computed) == 2 and fake.count() == 0 and again.report.requests == 0
    assert_same(again, first)
    assert [(r.paper.paper_id, r.score, r.reasons) for r in again.ranked] == \
        [(r.paper.paper_id, r.score, r.reasons) for r in online.ranked]


@pytest.mark.parametrize("change", [
    lambda s: s.put_edges([Edge(PAPERS[60], SEED, True, ("a new context",))]),
    lambda s: s.put_papers([{"paperId": PAPERS[3], "abstract": "a new abstract"}]),
    lambda s: s.list_set(PAPERS[2], status="read"),
    lambda s: s.list_set(PAPERS[2], status="to read"),
    lambda s: s.list_set(PAPERS[2], status="not relevant"),
], ids=["edge", "paper", "read", "to read", "not relevant"])
def test_any_change_to_what_it_is_made_of_computes_it_again(tmp_path, computed, change):
    store = made_store(tmp_path / "s.sqlite")
    rank_stored(store, [SEED], OFFLINE)
    change(store)
    after = rank_stored(store, [SEED], OFFLINE)
    assert len(computed) == 2
    assert [c for c, _ in kept_rows(store)] == [store.changes()]  # the stale one went
    assert_same(rank_stored(store, [SEED], OFFLINE), after)
    assert len(computed) == 2
    assert_same(fresh(store, [SEED]), after)


def test_other_seeds_options_or_weights_are_other_snapshots(tmp_path, computed):
    store = made_store(tmp_path / "s.sqlite")
    asked = [([SEED], OFFLINE, None), ([SEED, PAPERS[1]], OFFLINE, None),
             ([PAPERS[1], SEED], OFFLINE, None), ([SEED], ExploreOptions(1, offline=True), None),
             ([SEED], ExploreOptions(direction="references", offline=True), None),
             ([SEED], ExploreOptions(neighbour_citers=False, offline=True), None),
             ([SEED], OFFLINE, {"cocitation": 3.0})]
    for n, (seeds, options, weights) in enumerate(asked, start=1):
        result = rank_stored(store, seeds, options, weights=weights)
        assert len(computed) == n
        assert_same(rank_stored(store, seeds, options, weights=weights), result)
        assert len(computed) == n
    assert len(kept_rows(store)) == SNAPSHOTS_KEPT
    rank_stored(store, [SEED], ExploreOptions(depth=2))  # not offline: nothing kept
    rank_stored(store, [SEED], OFFLINE, recommended={})  # with recommendations: nothing kept
    assert len(kept_rows(store)) == SNAPSHOTS_KEPT and len(computed) == len(asked) + 2


def test_weights_miss_and_equal_their_own_computation(tmp_path, computed):
    store = made_store(tmp_path / "s.sqlite")
    weights = {"cocitation": 3.0}
    plain, weighted = rank_stored(store, [SEED], OFFLINE), rank_stored(
        store, [SEED], OFFLINE, weights=weights)
    assert len(computed) == 2 and plain.ranked != weighted.ranked
    assert_same(rank_stored(store, [SEED], OFFLINE, weights=weights), weighted)
    assert_same(fresh(store, [SEED], weights=weights), weighted)


def test_the_key_names_the_code_the_libraries_and_the_year(monkeypatch):
    key = snapshot.snapshot_key([SEED], {"depth": 2}, None)
    assert key == snapshot.snapshot_key([SEED], {"depth": 2}, None)
    assert key != snapshot.snapshot_key([SEED], {"depth": 2}, {"cocitation": 1.0})
    monkeypatch.setattr(snapshot, "source_digest", lambda: "other code")
    assert key != snapshot.snapshot_key([SEED], {"depth": 2}, None)
    monkeypatch.undo()
    monkeypatch.setattr(snapshot, "library_versions", lambda: ("3.0", "1", "2", "3"))
    assert key != snapshot.snapshot_key([SEED], {"depth": 2}, None)


class Hostile:
    """Pickles as a call of ``os.system``: what a store from someone else might hold."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        import os
        return os.system, (f"touch {self.marker}",)


def bad_blobs(good: bytes, marker: Path) -> dict[str, bytes]:
    hostile = pickle.dumps(([SEED], Hostile(marker), []), protocol=5)
    return {
        "garbage": b"z" + bytes(range(256)) * 4,
        "bad packing": snapshot.PACKED + (1000).to_bytes(8, "little") + bytes(range(256)),
        "truncated": good[: len(good) // 2],
        "unknown kind": b"x" + good[1:],
        "os.system": snapshot.PLAIN + hostile,
        "eval": snapshot.PLAIN + b"cbuiltins\neval\n(S'1'\ntR.",
        "not an exploration": snapshot.PLAIN + pickle.dumps({"a": 1}),
        "graph of another shape": snapshot.PLAIN + pickle.dumps(([SEED], ({}, {}), [])),
        "huge claimed size": snapshot.PACKED + (2**62).to_bytes(8, "little") + good[9:],
    }


@pytest.mark.parametrize("kind", list(bad_blobs(b"z" * 20, Path("m"))))
def test_a_corrupt_or_hostile_snapshot_is_dropped_and_the_result_computed(tmp_path, computed,
                                                                          kind):
    store = made_store(tmp_path / "s.sqlite")
    first = rank_stored(store, [SEED], OFFLINE)
    good = store._query("SELECT data FROM snapshots")[0][0]
    marker = tmp_path / "executed"
    store._db.execute("UPDATE snapshots SET data = ?", (bad_blobs(good, marker)[kind],))
    with pytest.raises(snapshot.SnapshotError):
        snapshot.load(store._query("SELECT data FROM snapshots")[0][0])
    again = rank_stored(store, [SEED], OFFLINE)
    assert len(computed) == 2 and not marker.exists()
    assert_same(again, first)
    kept = store._query("SELECT data FROM snapshots")
    assert len(kept) == 1 and kept[0][0] == good  # the bad one went, the computed one is kept
    assert_same(rank_stored(store, [SEED], OFFLINE), first)
    assert len(computed) == 2


def test_a_full_disk_keeps_no_snapshot_and_the_store_stays_usable(tmp_path, computed):
    store = made_store(tmp_path / "s.sqlite")
    expected = fresh(store, [SEED])
    store._db.execute("DELETE FROM snapshots")
    store._db.execute("VACUUM")
    limit_pages(store, 0)  # no page more: the snapshot cannot be written
    result = rank_stored(store, [SEED], OFFLINE)
    assert_same(result, expected)
    assert kept_rows(store) == [] and store.integrity_ok()
    store._db.execute("PRAGMA max_page_count = 1073741823")
    store.put_papers([{"paperId": PAPERS[70], "abstract": "written after the disk was full"}])
    after = rank_stored(store, [SEED], OFFLINE)
    assert len(kept_rows(store)) == 1
    assert_same(rank_stored(store, [SEED], OFFLINE), after)


def test_a_store_that_refuses_the_write_still_gives_the_exploration(tmp_path, computed):
    class Full(Store):
        full = False

        def transaction(self, **kw):  # type: ignore[no-untyped-def]
            if self.full and kw.get("bookkeeping"):
                raise sqlite3.OperationalError("database or disk is full")
            return super().transaction(**kw)

    made_store(tmp_path / "s.sqlite").close()
    store = Full(tmp_path / "s.sqlite")
    store.full = True
    expected = rank_stored(Store(store.path), [SEED], ExploreOptions(depth=2))
    result = rank_stored(store, [SEED], OFFLINE)
    assert [(r.paper.paper_id, r.score, r.reasons) for r in result.ranked] == \
        [(r.paper.paper_id, r.score, r.reasons) for r in expected.ranked]
    assert kept_rows(store) == [] and store.integrity_ok()
    store.list_set(SEED, status="reading")  # content writes still work
    assert store.statuses() == {SEED: "reading"}


def test_a_read_only_store_reopens_its_snapshot_and_keeps_nothing_new(tmp_path, monkeypatch,
                                                                      computed):
    path = tmp_path / "s.sqlite"
    store = made_store(path)
    first = rank_stored(store, [SEED], OFFLINE)
    store.close()
    before = path.read_bytes()
    as_read_only(monkeypatch, path)
    store = Store(path)
    assert store.read_only
    assert_same(rank_stored(store, [SEED], OFFLINE), first)
    rank_stored(store, [SEED], ExploreOptions(depth=1, offline=True))
    assert len(computed) == 2 and len(kept_rows(store)) == 1
    store.close()
    assert path.read_bytes() == before


def test_an_old_store_opens_migrated_and_keeps_snapshots(tmp_path, computed):
    path = tmp_path / "old.sqlite"
    old_store(path, FIXTURES / "store_schema_dac1677.sql")
    store = Store(path)
    assert store._query("SELECT value FROM meta WHERE key = 'schema_version'") == [
        (SCHEMA_VERSION,)]
    store.put_papers([{"paperId": "p2", "title": "New"}])
    store.put_edges([Edge("p2", "p1")])
    first = rank_stored(store, ["p1"], OFFLINE)
    assert_same(rank_stored(Store(path), ["p1"], OFFLINE), first)
    assert len(computed) == 1 and len(kept_rows(store)) == 1


def test_the_newest_snapshots_are_kept_within_the_count_and_the_bytes(tmp_path, monkeypatch):
    store = Store(tmp_path / "s.sqlite")
    changes = store.changes()
    for i in range(SNAPSHOTS_KEPT + 2):
        assert store.keep_snapshot(f"k{i}", changes, bytes([i]) * 100)
    assert [k for (k,) in store._query("SELECT key FROM snapshots ORDER BY stored")] == \
        [f"k{i}" for i in range(2, SNAPSHOTS_KEPT + 2)]
    assert store.snapshot("k2") == bytes([2]) * 100 and store.snapshot("k0") is None
    monkeypatch.setattr(store_module, "SNAPSHOT_BYTES", 250)
    assert not store.keep_snapshot("too big", changes, b"x" * 251)
    assert store.keep_snapshot("k9", changes, b"9" * 100)  # 100 + 100 fit, a third does not
    assert [k for (k,) in store._query("SELECT key FROM snapshots ORDER BY stored")] == \
        [f"k{SNAPSHOTS_KEPT + 1}", "k9"]
    assert not store.keep_snapshot("stale", changes - 1, b"s")  # made before a change
    assert store.snapshot("stale") is None
    store.put_papers([{"paperId": "p"}])
    assert store.snapshot("k9") is None  # a change: every snapshot is stale
    assert store.keep_snapshot("new", store.changes(), b"n")
    assert [k for (k,) in store._query("SELECT key FROM snapshots")] == ["new"]


def test_a_pickled_ranking_holds_its_components_table_once(tmp_path):
    ranked = rank_stored(made_store(tmp_path / "s.sqlite"), [SEED], ExploreOptions()).ranked
    again = pickle.loads(pickle.dumps(ranked))
    assert again == ranked and [dict(r.components) for r in again] == \
        [dict(r.components) for r in ranked]
    assert again[0].components == dict(ranked[0].components)
    assert len({id(r.components._table) for r in again}) == 1  # type: ignore[attr-defined]
