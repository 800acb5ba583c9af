"""The library snapshot in the store: the migration that adds it, round trips, and a failed
write that keeps the previous snapshot whole."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.errors import StoreFullError
from explorer.store import LibraryRow, Store
from explorer.tasks.library import citekeys, collection_seeds, in_library
from tests.test_store import FIXTURES

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
rows = st.lists(st.builds(
    LibraryRow, st.text("ABCDEFGH23456789", min_size=8, max_size=8),
    st.none() | st.text("0123456789abcdef", min_size=40, max_size=40),
    st.none() | text, st.none() | text, st.lists(text, max_size=3).map(tuple),
    st.none() | text), unique_by=lambda r: r.item_key, max_size=8)


@given(rows, st.dictionaries(text, text, max_size=4))
def test_a_snapshot_comes_back_as_it_was_stored(items, collections):
    store = Store(":memory:")
    store.put_library("zotero", items, collections)
    assert store.library_rows() == sorted(items, key=lambda r: r.item_key)
    assert store.library_collections() == collections
    assert in_library(store) == {r.paper_id for r in items if r.paper_id}


def test_a_version_2_store_gets_the_library_tables(tmp_path):
    path = tmp_path / "v2.sqlite"
    db = sqlite3.connect(path)
    db.executescript((FIXTURES / "store_schema_1dc901b.sql").read_text(encoding="utf-8"))
    db.close()
    store = Store(path)
    assert store.library_source() is None and store.library_rows() == []
    store.put_library("zotero", [LibraryRow("K1", "p1", "key1", "T", ("C1",))], {"C1": "Mine"})
    store.close()
    again = Store(path)
    assert collection_seeds(again, "mine") == ["p1"] and citekeys(again) == {"p1": "key1"}


def test_a_failed_sync_write_keeps_the_previous_snapshot_whole(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_library("zotero", [LibraryRow("OLD1", "p1", "old", "Old", ())], {})
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages + 2}")
    big = [LibraryRow(f"K{i:07d}", f"{i:040x}", "c" * 200, "t" * 2000, ("C",)) for i in range(300)]
    with pytest.raises(StoreFullError):
        store.put_library("zotero", big, {"C": "Big"})
    assert store.library_rows() == [LibraryRow("OLD1", "p1", "old", "Old", ())]
    assert store.library_collections() == {}
