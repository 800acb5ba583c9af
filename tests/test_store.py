import json
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.errors import BadInputError, StoreFullError, StoreReadOnlyError, StoreVersionError
from explorer.models import Edge, Paper
from explorer.store import CACHED_VECTORS, MIGRATIONS, SCHEMA_VERSION, Store, merge


def test_merge_never_erases_known_values():
    old = {"paperId": "a", "abstract": "x", "externalIds": {"DOI": "10.1/x"}}
    new = {"paperId": "a", "abstract": None, "year": 2020, "externalIds": {"ArXiv": "1"}}
    out = merge(old, new)
    assert out["abstract"] == "x"
    assert out["year"] == 2020
    assert out["externalIds"] == {"DOI": "10.1/x", "ArXiv": "1"}


def test_papers_aliases_and_fetch_state(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_papers([{"paperId": "a" * 40, "title": "T", "externalIds": {
        "ArXiv": "1706.03762", "DOI": "10.1093/MIND/LIX.236.433"}, "corpusId": 5}])
    assert store.resolve("ARXIV:1706.03762") == "a" * 40
    assert store.resolve("DOI:10.1093/mind/lix.236.433") == "a" * 40
    assert store.resolve("CorpusId:5") == "a" * 40
    assert store.fetch_state("a" * 40, "citations") == (0, False)
    store.set_fetch_state("a" * 40, "citations", 1000, False)
    assert store.fetch_state("a" * 40, "citations") == (1000, False)
    store.put_papers([{"paperId": None, "title": "dropped"}])
    assert store.count_papers() == 1


def test_edges_keep_the_richer_record(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_edges([Edge("a", "b", True, ("ctx",), ("methodology",))])
    store.put_edges([Edge("a", "b", None, (), ()), Edge("c", "c")])
    [edge] = store.edges_touching(["b"])
    assert edge == Edge("a", "b", True, ("ctx",), ("methodology",))
    assert store.count_edges() == 1


def test_a_failed_transaction_leaves_nothing(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    try:
        with store.transaction() as db:
            store.put_papers([{"paperId": "p1", "title": "x"}], db)
            raise RuntimeError("killed")
    except RuntimeError:
        pass
    assert store.count_papers() == 0
    assert store.integrity_ok()


def test_reading_list_round_trip(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.list_set("p1", status="reading", tags=["ml"], note="good")
    store.list_set("p1", add_tags=["nlp"])
    [item] = store.list_items()
    assert (item.status, item.tags, item.note) == ("reading", ("ml", "nlp"), "good")
    assert store.list_remove("p1") and store.list_items() == []


def test_not_relevant_is_the_marked_papers_less_the_kept_ones(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.list_set("p1", status="not relevant")
    store.list_set("p2", status="read")
    store.list_set("p3", status="not relevant")
    store.list_set("p4")
    assert store.not_relevant() == {"p1", "p3"}
    assert store.not_relevant(keep=["p3", "p4"]) == {"p1"}


# failures: a full disk, old and newer schemas, read-only stores

FIXTURES = Path(__file__).parent / "fixtures"
OLD_SCHEMAS = sorted(FIXTURES.glob("store_schema_*.sql"))


def limit_pages(store: Store, extra: int) -> None:
    """Make the store's file 'full' ``extra`` pages from now (SQLite raises SQLITE_FULL)."""
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages + extra}")


def test_a_full_disk_is_a_store_error_and_loses_nothing(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_papers([{"paperId": "kept", "title": "before the disk filled"}])
    limit_pages(store, 2)
    big = [{"paperId": f"p{i}", "abstract": "x" * 2000} for i in range(200)]
    with pytest.raises(StoreFullError) as info:
        store.put_papers(big)
    assert "full" in str(info.value) and "\n" not in str(info.value)
    assert info.value.path == str(tmp_path / "s.sqlite")
    assert store.integrity_ok()
    assert store.count_papers() == 1 and store.paper("kept").title == "before the disk filled"
    store._db.execute("PRAGMA max_page_count = 1073741823")
    assert store.put_papers(big) == 200 and store.count_papers() == 201


def old_store(path: Path, schema: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(schema.read_text(encoding="utf-8"))
    db.execute("INSERT INTO papers VALUES ('p1', '{\"paperId\": \"p1\", \"title\": \"Old\"}', 1)")
    db.execute("INSERT INTO reading_list VALUES ('p1', 'reading', '[\"old\"]', 'n', 1, 1)")
    db.commit()
    db.close()


@pytest.mark.parametrize("schema", OLD_SCHEMAS, ids=lambda p: p.stem)
def test_stores_of_earlier_commits_are_migrated(tmp_path, schema):
    path = tmp_path / "old.sqlite"
    old_store(path, schema)
    store = Store(path)
    assert store._query("SELECT value FROM meta WHERE key = 'schema_version'") == [
        (SCHEMA_VERSION,)]
    assert store.paper("p1").title == "Old"
    assert [(i.status, i.tags) for i in store.list_items()] == [("reading", ("old",))]
    store.list_set("p1", add_tags=["new"])
    store._db.execute("INSERT INTO watches (paper_id, added_at) VALUES ('p1', 1)")
    store.close()
    assert Store(path).list_items()[0].tags == ("old", "new")


def test_a_failed_migration_leaves_the_old_store_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite"
    old_store(path, FIXTURES / "store_schema_f15fe28.sql")
    monkeypatch.setitem(MIGRATIONS, 1, MIGRATIONS[1] + "; CREATE TABLE papers (x)")
    with pytest.raises(BadInputError, match="table papers already exists"):
        Store(path)
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM meta").fetchall() == [("1",)]
    assert "watches" not in {r[0] for r in db.execute("SELECT name FROM sqlite_master")}


def newer_store(path: Path) -> None:
    old_store(path, FIXTURES / "store_schema_a47faf8.sql")
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE reading_list ADD COLUMN priority INTEGER")
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()


def test_a_newer_store_is_refused_in_one_line_and_left_byte_identical(tmp_path):
    path = tmp_path / "new.sqlite"
    newer_store(path)
    before = path.read_bytes()
    with pytest.raises(StoreVersionError) as info:
        Store(path)
    assert "newer" in str(info.value) and "99" in str(info.value)
    assert "\n" not in str(info.value)
    assert (info.value.found, info.value.supported) == ("99", SCHEMA_VERSION)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite"]


def test_a_store_of_unknown_layout_is_refused_untouched(tmp_path):
    path = tmp_path / "odd.sqlite"
    newer_store(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION,))
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreVersionError, match="unknown layout of reading_list"):
        Store(path)
    assert path.read_bytes() == before


def as_read_only(monkeypatch, *paths: Path) -> None:
    """Tests run as root, whom file modes do not stop: say these paths cannot be written."""
    real = os.access
    monkeypatch.setattr(
        os, "access",
        lambda p, mode, **kw: False if mode & os.W_OK and Path(p) in paths
        else real(p, mode, **kw))


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_store_reads_and_refuses_writes_in_one_line(tmp_path, monkeypatch, what):
    path = tmp_path / "s.sqlite"
    made = Store(path)
    made.list_set("p1", status="reading", tags=["a"])
    made.close()
    before = path.read_bytes()
    as_read_only(monkeypatch, *([path] if what == "file" else [path, tmp_path]))
    store = Store(path)
    assert store.read_only
    assert [i.tags for i in store.list_items()] == [("a",)]
    with pytest.raises(StoreReadOnlyError) as info:
        store.list_set("p1", add_tags=["b"])
    assert "read-only" in str(info.value) and "\n" not in str(info.value)
    assert [i.tags for i in store.list_items()] == [("a",)]
    store.close()
    assert path.read_bytes() == before


def test_a_store_cannot_be_made_in_a_read_only_folder_and_says_so(tmp_path, monkeypatch):
    as_read_only(monkeypatch, tmp_path)
    with pytest.raises(StoreReadOnlyError, match="folder is read-only"):
        Store(tmp_path / "new.sqlite")
    assert list(tmp_path.iterdir()) == []


def test_untag_keeps_a_tag_added_between_its_read_and_its_write(tmp_path):
    path = tmp_path / "s.sqlite"
    Store(path).list_set("p1", tags=["a", "b"])
    other = Store(path)
    store = Store(path)
    store.list_set("p1", remove_tags=["a"])
    other.list_set("p1", add_tags=["c"])
    store.list_set("p1", remove_tags=["b"], add_tags=["d"])
    assert store.list_items()[0].tags == ("c", "d")


texts = st.text(min_size=0, max_size=40) | st.none()


@settings(max_examples=50, deadline=None)
@given(title=texts, abstract=texts, year=st.integers(1900, 2100) | st.none(),
       authors=st.lists(st.text(min_size=1, max_size=20), max_size=4))
def test_paper_survives_the_store(tmp_path_factory, title, abstract, year, authors):
    store = Store(tmp_path_factory.mktemp("s") / "s.sqlite")
    raw = {"paperId": "f" * 40, "title": title, "abstract": abstract, "year": year,
           "authors": [{"authorId": None, "name": n} for n in authors]}
    store.put_papers([raw])
    assert store.paper("f" * 40) == Paper.from_s2(json.loads(json.dumps(raw)))


def test_edges_by_one_end_and_raw_records_in_bulk(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_edges([Edge("a", "b", True, ("in [1]",)), Edge("c", "a"), Edge("b", "c")])
    assert [(e.citing, e.cited) for e in store.edges_from(["a", "a"])] == [("a", "b")]
    assert store.edges_from(["a"])[0].contexts == ("in [1]",)
    assert [(e.citing, e.cited) for e in store.edges_to(["a"])] == [("c", "a")]
    assert sorted((e.citing, e.cited) for e in store.edges_touching(["a"])) == [
        ("a", "b"), ("c", "a")]
    many = [f"{i:040x}" for i in range(2000)]  # past one query's worth of parameters
    store.put_edges([Edge(p, "z") for p in many])
    store.put_papers([{"paperId": p, "title": "T"} for p in many])
    assert len(store.edges_from(many)) == 2000 and len(store.edges_to(["z"])) == 2000
    assert set(store.raws(many + ["missing"])) == set(many)
    assert store.raws(["a"]) == {} and store.raws(many[:1])[many[0]]["title"] == "T"


def test_bare_links_and_edges_touching_read_each_edge_once(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_edges([Edge("a", "b", True, ("in [1]",), ("methodology",)), Edge("b", "a"),
                     Edge("c", "a"), Edge("b", "c")])
    assert sorted(store.links_from(["a", "b", "a"])) == [("a", "b"), ("b", "a"), ("b", "c")]
    touching = store.edges_touching(["a", "b"])
    assert sorted((e.citing, e.cited) for e in touching) == [
        ("a", "b"), ("b", "a"), ("b", "c"), ("c", "a")]
    assert Edge("a", "b", True, ("in [1]",), ("methodology",)) in touching
    many = [f"{i:040x}" for i in range(2000)]
    store.put_edges([Edge(p, "z") for p in many])
    assert len(store.links_from(many)) == 2000


def test_done_among_names_the_papers_with_any_kind_done(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    many = [f"{i:040x}" for i in range(2000)]
    for p in many[:3]:
        store.set_fetch_state(p, "references", 0, p != many[2])
    store.set_fetch_state(many[1500], "embedded-references", 5, True)
    store.set_fetch_state(many[1600], "citations", 5, True)
    assert store.done_among(many, ("embedded-references", "references")) == {
        many[0], many[1], many[1500]}


def test_embeddings_are_float32_blobs_and_none_is_remembered(tmp_path):
    import numpy as np

    store = Store(tmp_path / "s.sqlite")
    store.put_embeddings({"a": np.array([0.5, -1.25], np.float64), "b": None}, "specter_v2")
    store.close()
    again = Store(tmp_path / "s.sqlite")
    got = again.embeddings(["a", "b", "c"], "specter_v2")
    assert set(got) == {"a", "b"} and got["b"] is None
    assert got["a"].dtype == np.float32 and got["a"].tolist() == [0.5, -1.25]
    assert again.embeddings(["a"], "specter_v1") == {}
    blob = again._query("SELECT vector FROM embeddings WHERE paper_id = 'a'")[0][0]
    assert len(blob) == 8


def test_records_read_back_as_the_standard_decoder_reads_them(tmp_path):
    # The fast decoder refuses integers past 64 bits and NaN; such a record still reads back.
    store = Store(tmp_path / "s.sqlite")
    odd = {"paperId": "a", "title": "Über Ähnlichkeit \u2028 \"quoted\" \\ 日本語",
           "year": 2020, "corpusId": 2**70, "score": float("nan"), "ratio": 0.1 + 0.2,
           "authors": [{"authorId": None, "name": "Zoë"}], "externalIds": {}}
    plain = {"paperId": "b", "title": "T", "citationCount": -3, "venue": "", "tldr": None}
    store.put_papers([odd, plain])
    raws = store.raws(["a", "b", "missing"])
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        stored = dict(db.execute("SELECT paper_id, data FROM papers").fetchall())
    assert set(raws) == {"a", "b"}
    assert repr(raws["a"]) == repr(json.loads(stored["a"]))  # repr: NaN != NaN
    assert raws["b"] == json.loads(stored["b"]) == plain
    assert raws["a"]["corpusId"] == 2**70 and raws["a"]["ratio"] == 0.1 + 0.2
    store.put_papers([{"paperId": "a", "venue": "V"}])  # merging reads the stored record too
    assert store.raw("a")["corpusId"] == 2**70 and store.raw("a")["venue"] == "V"


def test_cached_vectors_come_back_exactly_and_only_the_newest_are_kept(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    vectors = {f"k{i}": np.random.default_rng(i).random(50) for i in range(CACHED_VECTORS + 2)}
    for key, vector in vectors.items():
        store.cache_vector(key, vector)
    assert store.cached_vector("k0") is None and store.cached_vector("k1") is None
    for key in list(vectors)[2:]:
        assert store.cached_vector(key).tolist() == vectors[key].tolist()
    store.cache_vector("k0", vectors["k0"])  # back as the newest: the oldest left goes
    assert store.cached_vector("k0") is not None and store.cached_vector("k2") is None
    assert store.cached_vector("never") is None


def test_a_full_locked_or_read_only_store_keeps_no_vector_and_raises_nothing(
        tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    store = Store(path)
    store.cache_vector("small", np.ones(3))
    limit_pages(store, 1)
    store.cache_vector("big", np.ones(100_000))
    assert store.cached_vector("big") is None and store.cached_vector("small").tolist() == [1] * 3
    assert store.integrity_ok()
    store._db.execute("PRAGMA max_page_count = 1073741823")
    store._db.execute("PRAGMA busy_timeout = 0")  # fail at once instead of after a minute
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process writing: the store is locked
    store.cache_vector("locked", np.ones(3))
    other.execute("ROLLBACK")
    other.close()
    assert store.cached_vector("locked") is None
    store.close()
    before = path.read_bytes()
    as_read_only(monkeypatch, path)
    store = Store(path)
    store.cache_vector("other", np.ones(3))
    assert store.cached_vector("other") is None
    store.close()
    assert path.read_bytes() == before


def test_the_change_count_moves_with_what_explorations_are_made_of_not_with_bookkeeping(
        tmp_path) -> None:
    store = Store(tmp_path / "s.sqlite")
    start = store.changes()
    store.put_papers([{"paperId": "a", "title": "A paper"}])
    store.put_papers([{"paperId": "a", "abstract": "An abstract, filled in place."}])
    store.list_set("a", status="read")
    assert store.changes() == start + 3 and store.count_papers() == 1
    store.save_exploration(["a"], {"depth": 1})
    store.save_picks("a search", [{"paperId": "a"}])
    store.cache_vector("key", np.zeros(3))
    assert store.changes() == start + 3
    Store(tmp_path / "s.sqlite").put_edges([Edge("a", "b")])  # another connection
    assert store.changes() == start + 4
    with pytest.raises(sqlite3.IntegrityError):  # a failed write is rolled back, uncounted
        store.put_edges([Edge("a", None)])  # type: ignore[arg-type]
    assert store.changes() == start + 4
