"""The store's links from other sources (OpenAlex): apart from S2's edges, and migrated in."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

from explorer.models import Edge
from explorer.store import MIGRATIONS, SCHEMA_VERSION, SOURCE_SCHEMA, Store


def test_source_links_are_kept_apart_from_edges_and_added_once(tmp_path):
    with closing(Store(tmp_path / "s.sqlite")) as store:
        store.put_edges([Edge("a", "p")])
        store.add_source_links("openalex", "p", ["a", "W1", "W1", "p"])
        store.add_source_links("openalex", "p", ["W2"])
        assert sorted(store.source_citers("p", "openalex")) == ["W1", "W2", "a"]
        assert store.citations_of("p") == ["a"]
        assert store.source_citers("p", "other") == []


def test_a_store_of_the_previous_version_gets_the_table(tmp_path):
    path = tmp_path / "old.sqlite"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("DROP TABLE source_links")
    before = next(v for v, step in MIGRATIONS.items() if step is SOURCE_SCHEMA)
    for later in range(before + 1, int(SCHEMA_VERSION)):  # the tables of later versions go
        for table in re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", MIGRATIONS[later]):
            db.execute(f"DROP TABLE {table}")
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(before),))
    db.commit()
    db.close()
    with closing(Store(path)) as store:
        store.add_source_links("openalex", "p", ["W1"])
        assert store.source_citers("p", "openalex") == ["W1"]
        assert store._query("SELECT value FROM meta WHERE key = 'schema_version'") == [
            (SCHEMA_VERSION,)]
