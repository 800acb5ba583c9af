"""The local SQLite store: raw S2 records, citation edges, what was fetched, the reading list,
the watched papers (see :mod:`explorer.tasks.watch`) and what the inbox showed
(:mod:`explorer.tasks.inbox`). Links another source reports (OpenAlex's citers) are kept in
``source_links`` with their source, apart from S2's edges. Two caches make reopening an
exploration cheap: the text similarity of the last ones ranked (``vector_cache``) and
snapshots of them (``snapshots``, see :mod:`explorer.snapshot`), valid while the change count
(:meth:`Store.changes`) is the one they were made at.

Every write happens inside one ``BEGIN IMMEDIATE`` transaction, so a killed process leaves
either all of a page or none of it, and two processes sharing a store wait for each other
(WAL mode, busy timeout) instead of corrupting it. Paper records are S2's raw JSON, merged:
a later record adds fields and never erases a known value with ``null``.

The schema version is checked on open: an older store is migrated in one transaction
(:data:`MIGRATIONS`), a newer one or one of an unknown layout is refused before anything is
written to it. A store whose file or folder cannot be written is opened read-only. A full disk,
a write to a read-only store and a refused version raise :class:`~explorer.errors.StoreError`;
the failed transaction is rolled back and the store stays as it was.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import orjson

from explorer.errors import (
    BadInputError,
    StoreError,
    StoreFullError,
    StoreReadOnlyError,
    StoreVersionError,
)
from explorer.models import READING_STATUSES, Edge, Paper

WATCH_SCHEMA = """
CREATE TABLE IF NOT EXISTS watches (
    paper_id TEXT PRIMARY KEY, added_at REAL NOT NULL, citation_count INTEGER,
    checked_at REAL);
CREATE TABLE IF NOT EXISTS watch_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, checked_at REAL NOT NULL, requests INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS watch_citers (
    watched TEXT NOT NULL, citing TEXT NOT NULL, check_id INTEGER NOT NULL,
    is_new INTEGER NOT NULL, PRIMARY KEY (watched, citing)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS watch_citers_by_check ON watch_citers (check_id);
"""
INBOX_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, ran_at REAL NOT NULL, since TEXT NOT NULL,
    until TEXT NOT NULL, categories TEXT NOT NULL, listed INTEGER NOT NULL,
    requests INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS inbox_items (
    item_key TEXT PRIMARY KEY, paper_id TEXT, data TEXT NOT NULL, score REAL NOT NULL,
    reasons TEXT NOT NULL, found_in TEXT NOT NULL, run_id INTEGER NOT NULL,
    shown_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS inbox_items_by_run ON inbox_items (run_id);
"""

LIBRARY_SCHEMA = """
CREATE TABLE IF NOT EXISTS library_items (
    item_key TEXT PRIMARY KEY, paper_id TEXT, citekey TEXT, title TEXT,
    collections TEXT NOT NULL DEFAULT '[]', problem TEXT);
CREATE INDEX IF NOT EXISTS library_items_by_paper ON library_items (paper_id);
CREATE TABLE IF NOT EXISTS library_collections (
    collection_key TEXT PRIMARY KEY, name TEXT NOT NULL);
"""

SOURCE_SCHEMA = """
CREATE TABLE IF NOT EXISTS source_links (
    citing TEXT NOT NULL, cited TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (cited, source, citing)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS source_links_by_citing ON source_links (citing, source);
"""

EMBEDDING_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    paper_id TEXT NOT NULL, model TEXT NOT NULL, vector BLOB, fetched_at REAL NOT NULL,
    PRIMARY KEY (paper_id, model)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS recommendations (
    seed TEXT NOT NULL, pool TEXT NOT NULL, position INTEGER NOT NULL, paper_id TEXT NOT NULL,
    fetched_at REAL NOT NULL, PRIMARY KEY (seed, pool, position)) WITHOUT ROWID;
"""
CACHE_SCHEMA = """
CREATE TABLE IF NOT EXISTS vector_cache (
    key TEXT PRIMARY KEY, vector BLOB NOT NULL, stored INTEGER NOT NULL) WITHOUT ROWID;
"""
SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (
    paper_id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS aliases (alias TEXT PRIMARY KEY, paper_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS edges (
    citing TEXT NOT NULL, cited TEXT NOT NULL, is_influential INTEGER,
    contexts TEXT NOT NULL DEFAULT '[]', intents TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (citing, cited)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS edges_by_cited ON edges (cited, citing);
CREATE TABLE IF NOT EXISTS fetches (
    paper_id TEXT NOT NULL, kind TEXT NOT NULL, next_offset INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0, total INTEGER, fetched_at REAL NOT NULL,
    PRIMARY KEY (paper_id, kind)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS arxiv (
    arxiv_id TEXT PRIMARY KEY, data TEXT NOT NULL, fetched_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS reading_list (
    paper_id TEXT PRIMARY KEY, status TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '', added_at REAL NOT NULL, updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS explorations (
    id INTEGER PRIMARY KEY AUTOINCREMENT, seeds TEXT NOT NULL, options TEXT NOT NULL,
    created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
""" + WATCH_SCHEMA + INBOX_SCHEMA + LIBRARY_SCHEMA + SOURCE_SCHEMA + EMBEDDING_SCHEMA
SNAPSHOT_SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshots (
    key TEXT PRIMARY KEY, changes INTEGER NOT NULL, size INTEGER NOT NULL,
    stored INTEGER NOT NULL, data BLOB NOT NULL);
"""
SCHEMA += CACHE_SCHEMA + SNAPSHOT_SCHEMA
SCHEMA_VERSION = "8"
COUNT_CHANGE = ("INSERT INTO meta VALUES ('changes', '1') ON CONFLICT (key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + 1")

# What brings a store of version N to N + 1. Version 1 was written by two layouts: the first
# lacked the watch tables, which later arrived without a version change.
MIGRATIONS: dict[int, str] = {1: WATCH_SCHEMA, 2: INBOX_SCHEMA, 3: LIBRARY_SCHEMA,
                              4: SOURCE_SCHEMA, 5: EMBEDDING_SCHEMA, 6: CACHE_SCHEMA,
                              7: SNAPSHOT_SCHEMA}
CACHED_VECTORS = 16
"""Computed vectors kept (the text similarity of the last explorations ranked); older ones go."""
SNAPSHOTS_KEPT = 4
"""Snapshots of ranked explorations kept (:meth:`Store.keep_snapshot`); older ones go. A user
goes back and forth between a few explorations (other seeds, depths, weights); a snapshot
of 60k papers is 20 MB, an eighth of its store."""
SNAPSHOT_BYTES = 256 * 2**20
"""The most bytes all snapshots take together, so that they never grow a store by more: four
of 60k papers take 80 MB; of explorations ten times as big only the newest is kept, and one
past this alone is not kept."""


@dataclass(frozen=True)
class ListItem:
    paper_id: str
    status: str
    tags: tuple[str, ...]
    note: str
    added_at: float
    updated_at: float


@dataclass(frozen=True)
class LibraryRow:
    """One work of the user's library as the store keeps it: ``paper_id`` is ``None`` when
    no service knows it, and ``problem`` then says why."""

    item_key: str
    paper_id: str | None
    citekey: str | None
    title: str | None
    collections: tuple[str, ...] = ()
    problem: str | None = None


def aliases_of(raw: Mapping[str, Any]) -> list[str]:
    """Every id form under which a seed may name this record (see ``explorer.seeds.ids``)."""
    out = [raw["paperId"]]
    ext = raw.get("externalIds") or {}
    if ext.get("ArXiv"):
        out.append(f"ARXIV:{ext['ArXiv']}")
    if ext.get("DOI"):
        out.append(f"DOI:{str(ext['DOI']).lower()}")
    corpus = raw.get("corpusId") or ext.get("CorpusId")
    if corpus:
        out.append(f"CorpusId:{corpus}")
    for key, prefix in (("MAG", "MAG"), ("ACL", "ACL"), ("PubMed", "PMID"),
                        ("OpenAlex", "OPENALEX")):
        if ext.get(key):
            out.append(f"{prefix}:{ext[key]}")
    if ext.get("PubMedCentral"):
        out.append(f"PMCID:{str(ext['PubMedCentral']).removeprefix('PMC')}")
    return out


def merge(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """``new`` over ``old``; ``None`` never erases a value; ``externalIds`` are united."""
    out = dict(old)
    for key, value in new.items():
        if value is None:
            out.setdefault(key, None)
        elif key == "externalIds" and isinstance(value, dict):
            out[key] = {**(old.get(key) or {}), **value}
        else:
            out[key] = value
    return out


def _strings(text: str) -> tuple[str, ...]:
    # Most stored links carry no contexts or intents: skip the decoder for them.
    return () if text == "[]" else tuple(json.loads(text))


def _edge(row: tuple[Any, ...]) -> Edge:
    citing, cited, infl, contexts, intents = row
    return Edge(citing, cited, None if infl is None else bool(infl),
                _strings(contexts), _strings(intents))


def _statements(sql: str) -> list[str]:
    return [s for s in sql.split(";") if s.strip()]


def _layout(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Column names of every table, by table."""
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: [r[1] for r in db.execute(f"PRAGMA table_info('{t}')")] for t in tables}


def _expected_layout() -> dict[str, list[str]]:
    db = sqlite3.connect(":memory:")
    for statement in _statements(SCHEMA):
        db.execute(statement)
    layout = _layout(db)
    db.close()
    return layout


LAYOUT = _expected_layout()


def decoded(data: str | bytes) -> Any:
    """A stored JSON text, decoded by orjson (four times faster than the standard decoder, which
    is most of the load of a big exploration's records); what orjson refuses (an integer past
    64 bits, NaN) by the standard decoder, so every record reads back as it was written."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def writable(path: Path) -> bool:
    """Whether a store at ``path`` can be written: the file (if any) and its folder, which
    holds SQLite's journal files."""
    folder = path.parent if path.parent != Path("") else Path(".")
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


class Store:
    """A SQLite file; safe to share between threads of one process and between processes.

    Parameters
    ----------
    path
        The database file, created with its folder when missing; ``":memory:"`` for a store
        that lives as long as the object.

    Raises
    ------
    StoreVersionError
        The store was made by a newer explorer or has a layout this one does not know; it is
        left untouched.
    BadInputError
        ``path`` is a folder or a file that is no SQLite database.

    A store whose file or folder cannot be written is opened read-only (``read_only`` is
    true): reading works, and every write raises :class:`StoreReadOnlyError`.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        memory = str(path) == ":memory:"
        self.read_only = not memory and self.path.exists() and not writable(self.path)
        if not memory and not self.read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not writable(self.path):
                raise StoreReadOnlyError(
                    f"cannot make the store {self.path}: its folder is read-only",
                    str(self.path))
        self._lock = threading.RLock()
        self._db = sqlite3.connect(":memory:")  # replaced below; lets a failed open close it
        try:
            if self.read_only:
                # A folder that cannot be written cannot hold the WAL's shared-memory file
                # either; nothing else writes there, so the file can be read as immutable,
                # unless a write-ahead log left by a process that did not close holds data.
                wal = self.path.with_name(self.path.name + "-wal")
                settled = not wal.exists() or wal.stat().st_size == 0
                mode = ("immutable=1" if settled and not os.access(self.path.parent, os.W_OK)
                        else "mode=ro")
                self._db = sqlite3.connect(
                    f"file:{quote(str(self.path.resolve()))}?{mode}", uri=True, timeout=60.0,
                    isolation_level=None, check_same_thread=False,
                )
            else:
                self._db = sqlite3.connect(
                    str(path), timeout=60.0, isolation_level=None, check_same_thread=False
                )
            self._db.execute("PRAGMA busy_timeout = 60000")
            version = self._check_version()
            if not self.read_only:
                if not memory:
                    self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._migrate(version)
        except sqlite3.DatabaseError as exc:  # a folder, or a file that is no explorer store
            self._db.close()
            raise BadInputError(f"cannot use {path} as the store: {exc}") from None
        except StoreError:
            self._db.close()
            raise

    def _check_version(self) -> int | None:
        """The store's schema version (``None`` for a new, empty file); refuses what this
        explorer cannot read or migrate. Reads only."""
        layout = _layout(self._db)
        if not layout:
            if self.read_only:
                raise StoreReadOnlyError(
                    f"the store {self.path} is empty and read-only: nothing to read",
                    str(self.path))
            return None
        rows = (self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'")
                .fetchall() if "meta" in layout else [])
        if not rows:
            raise StoreVersionError(
                f"the store {self.path} has tables but no schema version: it is no explorer "
                "store; use another file (it was left untouched)", str(self.path))
        found = str(rows[0][0])
        if not found.isdigit() or int(found) > int(SCHEMA_VERSION):
            raise StoreVersionError(
                f"the store {self.path} has schema version {found}, newer than this explorer "
                f"knows ({SCHEMA_VERSION}): upgrade explorer or use another store; "
                "it was left untouched", str(self.path), found, SCHEMA_VERSION)
        strange = sorted(t for t, cols in layout.items() if t in LAYOUT and cols != LAYOUT[t])
        if strange:
            raise StoreVersionError(
                f"the store {self.path} (schema version {found}) has an unknown layout of "
                f"{', '.join(strange)}: use another store; it was left untouched",
                str(self.path), found, SCHEMA_VERSION)
        if self.read_only and int(found) < int(SCHEMA_VERSION):
            raise StoreReadOnlyError(
                f"the store {self.path} was made by an older explorer (schema version {found})"
                " and must be upgraded, but it is read-only", str(self.path))
        return int(found)

    def _migrate(self, version: int | None) -> None:
        """Create a new store's tables, or bring an older one up to :data:`SCHEMA_VERSION`,
        in one transaction."""
        steps = (_statements(SCHEMA) if version is None else
                 [s for v in range(version, int(SCHEMA_VERSION))
                  for s in _statements(MIGRATIONS[v])])
        with self.transaction(bookkeeping=not steps) as db:
            for statement in steps:
                db.execute(statement)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                       (SCHEMA_VERSION,))

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self, *, bookkeeping: bool = False) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction, committed when the block ends and rolled back
        when it raises. A full disk raises :class:`StoreFullError`, a write to a read-only
        store :class:`StoreReadOnlyError`; either way nothing of the block is kept. Unless
        it is ``bookkeeping`` (a record of what was done, nothing an exploration is made of),
        it counts as one change (:meth:`changes`)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield self._db
                    if not bookkeeping:
                        self._db.execute(COUNT_CHANGE)
                except BaseException:
                    if self._db.in_transaction:  # SQLite rolls back itself on a full disk
                        self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise self._store_error(exc) from None

    def changes(self) -> int:
        """How many transactions have changed what explorations are made of: any write but
        bookkeeping (the last exploration, the list to pick from, the kept similarity), by
        any process. Equal counts mean the same papers, links, lists and settings."""
        rows = self._query("SELECT value FROM meta WHERE key = 'changes'")
        return int(rows[0][0]) if rows else 0

    def _store_error(self, exc: sqlite3.OperationalError) -> Exception:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF  # the primary code of an extended one
        if code == sqlite3.SQLITE_FULL:
            return StoreFullError(
                f"the disk holding the store {self.path} is full ({exc}); nothing of the "
                "last change was saved and what was saved before is intact", str(self.path))
        if code == sqlite3.SQLITE_READONLY:
            return StoreReadOnlyError(
                f"the store {self.path} is read-only: it can be read, but this cannot be saved"
                " (use a store you can write to)", str(self.path))
        return exc

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    # papers and aliases

    def put_papers(self, raws: Iterable[Mapping[str, Any]], db: sqlite3.Connection | None = None
                   ) -> int:
        """Merge raw S2 paper records in; records without a paperId are skipped."""
        if db is None:
            with self.transaction() as tx:
                return self.put_papers(raws, tx)
        now = time.time()
        count = 0
        for raw in raws:
            pid = raw.get("paperId") if raw else None
            if not pid:
                continue
            row = db.execute("SELECT data FROM papers WHERE paper_id = ?", (pid,)).fetchone()
            data = merge(decoded(row[0]), raw) if row else dict(raw)
            db.execute(
                "INSERT OR REPLACE INTO papers VALUES (?, ?, ?)",
                (pid, json.dumps(data, ensure_ascii=False), now),
            )
            db.executemany(
                "INSERT OR REPLACE INTO aliases VALUES (?, ?)",
                [(a, pid) for a in aliases_of(data)],
            )
            count += 1
        return count

    def raw(self, paper_id: str) -> dict[str, Any] | None:
        rows = self._query("SELECT data FROM papers WHERE paper_id = ?", (paper_id,))
        return decoded(rows[0][0]) if rows else None

    def raws(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored raw records among ``ids`` (missing ids are left out)."""
        out: dict[str, dict[str, Any]] = {}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            marks = ",".join("?" * len(chunk))
            # As bytes, which orjson parses as they are: no str of every record made first.
            for pid, data in self._query(
                f"SELECT paper_id, CAST(data AS BLOB) FROM papers WHERE paper_id IN ({marks})",
                chunk,
            ):
                out[pid] = decoded(data)
        return out

    def papers(self, ids: Iterable[str]) -> dict[str, Paper]:
        """The stored papers among ``ids`` (missing ids are left out)."""
        return {pid: Paper.from_s2(raw) for pid, raw in self.raws(ids).items()}

    def paper(self, paper_id: str) -> Paper | None:
        return self.papers([paper_id]).get(paper_id)

    def resolve(self, alias: str) -> str | None:
        rows = self._query("SELECT paper_id FROM aliases WHERE alias = ?", (alias,))
        return rows[0][0] if rows else None

    def put_alias(self, alias: str, paper_id: str, db: sqlite3.Connection | None = None) -> None:
        if db is None:
            with self.transaction() as tx:
                return self.put_alias(alias, paper_id, tx)
        db.execute("INSERT OR REPLACE INTO aliases VALUES (?, ?)", (alias, paper_id))

    def titled(self, words: Sequence[str]) -> list[str]:
        """Ids of the stored records whose title holds ``words`` in this order, in any case
        (letters and digits only): the candidates for other versions of a paper."""
        if not words or any(not w.isalnum() for w in words):
            return []
        pattern = "%" + "%".join(w.lower() for w in words) + "%"
        return [r[0] for r in self._query(
            "SELECT paper_id FROM papers WHERE lower(json_extract(data, '$.title')) LIKE ?"
            " ORDER BY paper_id", (pattern,))]

    def count_papers(self) -> int:
        return int(self._query("SELECT count(*) FROM papers")[0][0])

    # edges

    def put_edges(self, edges: Iterable[Edge], db: sqlite3.Connection | None = None) -> None:
        """Store edges; an edge seen again keeps the richer of the two records."""
        if db is None:
            with self.transaction() as tx:
                return self.put_edges(edges, tx)
        db.executemany(
            """INSERT INTO edges VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (citing, cited) DO UPDATE SET
                 is_influential = coalesce(excluded.is_influential, edges.is_influential),
                 contexts = CASE WHEN excluded.contexts != '[]'
                                 THEN excluded.contexts ELSE edges.contexts END,
                 intents = CASE WHEN excluded.intents != '[]'
                                THEN excluded.intents ELSE edges.intents END""",
            [
                (
                    e.citing, e.cited,
                    None if e.is_influential is None else int(e.is_influential),
                    json.dumps(list(e.contexts), ensure_ascii=False),
                    json.dumps(list(e.intents)),
                )
                for e in edges
                if e.citing != e.cited
            ],
        )

    def references_of(self, paper_id: str) -> list[str]:
        return [r[0] for r in self._query("SELECT cited FROM edges WHERE citing = ?", (paper_id,))]

    def citations_of(self, paper_id: str) -> list[str]:
        return [r[0] for r in self._query("SELECT citing FROM edges WHERE cited = ?", (paper_id,))]

    def edges_touching(self, ids: Iterable[str]) -> list[Edge]:
        """Every stored edge with at least one end in ``ids``."""
        wanted = list(dict.fromkeys(ids))
        out = self._edges("citing", wanted)
        inside = set(wanted)
        out += [_edge(row) for row in self._rows("*", "cited", wanted) if row[0] not in inside]
        return out

    def edges_from(self, ids: Iterable[str]) -> list[Edge]:
        """Every stored edge whose citing paper is in ``ids``: their references."""
        return self._edges("citing", list(dict.fromkeys(ids)))

    def edges_to(self, ids: Iterable[str]) -> list[Edge]:
        """Every stored edge whose cited paper is in ``ids``: their citations."""
        return self._edges("cited", list(dict.fromkeys(ids)))

    def links_from(self, ids: Iterable[str]) -> list[tuple[str, str]]:
        """``(citing, cited)`` of every stored edge whose citing paper is in ``ids``: their
        references as bare links, without reading or decoding contexts and intents."""
        return self._rows("citing, cited", "citing", list(dict.fromkeys(ids)))  # type: ignore[return-value]

    def links_to(self, ids: Iterable[str]) -> list[tuple[str, str]]:
        """``(citing, cited)`` of every stored edge whose cited paper is in ``ids``: their
        citers as bare links (see :meth:`links_from`)."""
        return self._rows("citing, cited", "cited", list(dict.fromkeys(ids)))  # type: ignore[return-value]

    def _edges(self, column: str, wanted: list[str]) -> list[Edge]:
        return [_edge(row) for row in self._rows("*", column, wanted)]

    def _rows(self, what: str, column: str, wanted: list[str]) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            marks = ",".join("?" * len(chunk))
            out += self._query(f"SELECT {what} FROM edges WHERE {column} IN ({marks})", chunk)
        return out

    def count_edges(self) -> int:
        return int(self._query("SELECT count(*) FROM edges")[0][0])

    # links another source (OpenAlex) reports, kept apart from S2's edges

    def add_source_links(self, source: str, cited: str, citing: Iterable[str],
                         db: sqlite3.Connection | None = None) -> None:
        """Record that ``source`` says ``citing`` (ids of stored papers) cite ``cited``.
        S2's own edges stay in ``edges``; these never change them."""
        if db is None:
            with self.transaction() as tx:
                return self.add_source_links(source, cited, citing, tx)
        db.executemany("INSERT OR IGNORE INTO source_links VALUES (?, ?, ?)",
                       [(c, cited, source) for c in dict.fromkeys(citing) if c != cited])

    def source_references(self, citing: str, source: str) -> list[str]:
        """The ids ``source`` says ``citing`` cites (see :meth:`add_source_links`)."""
        return [r[0] for r in self._query(
            "SELECT cited FROM source_links WHERE citing = ? AND source = ?", (citing, source))]

    def source_citers(self, cited: str, source: str) -> list[str]:
        """The ids ``source`` says cite ``cited`` (see :meth:`add_source_links`)."""
        return [r[0] for r in self._query(
            "SELECT citing FROM source_links WHERE cited = ? AND source = ?", (cited, source))]

    # what was fetched

    def fetch_state(self, paper_id: str, kind: str) -> tuple[int, bool]:
        """(next offset, done) of a paper's ``paper``/``references``/``citations`` fetch."""
        rows = self._query(
            "SELECT next_offset, done FROM fetches WHERE paper_id = ? AND kind = ?",
            (paper_id, kind),
        )
        return (int(rows[0][0]), bool(rows[0][1])) if rows else (0, False)

    def fetch_states(self, paper_id: str, prefix: str) -> dict[str, tuple[int, bool]]:
        """``kind -> (next offset, done)`` of a paper's fetches whose kind starts with
        ``prefix`` (the date slices of its citations, say), in one query."""
        rows = self._query(
            "SELECT kind, next_offset, done FROM fetches WHERE paper_id = ? AND"
            " substr(kind, 1, ?) = ?", (paper_id, len(prefix), prefix))
        return {str(r[0]): (int(r[1]), bool(r[2])) for r in rows}

    def done(self, paper_id: str, kind: str) -> bool:
        return self.fetch_state(paper_id, kind)[1]

    def done_among(self, ids: Iterable[str], kinds: Sequence[str]) -> set[str]:
        """The papers among ``ids`` whose fetch of any of ``kinds`` is done, in few queries."""
        wanted = list(dict.fromkeys(ids))
        kind_marks = ",".join("?" * len(kinds))
        out: set[str] = set()
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            out.update(r[0] for r in self._query(
                f"SELECT paper_id FROM fetches WHERE done AND kind IN ({kind_marks})"
                f" AND paper_id IN ({','.join('?' * len(chunk))})", [*kinds, *chunk]))
        return out

    def set_fetch_state(
        self, paper_id: str, kind: str, next_offset: int, done: bool,
        db: sqlite3.Connection | None = None,
    ) -> None:
        if db is None:
            with self.transaction() as tx:
                return self.set_fetch_state(paper_id, kind, next_offset, done, tx)
        db.execute(
            "INSERT OR REPLACE INTO fetches (paper_id, kind, next_offset, done, fetched_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (paper_id, kind, next_offset, int(done), time.time()),
        )

    def forget_fetches(self, paper_ids: Iterable[str]) -> None:
        """Forget what was fetched for these papers, so the next walk refetches them."""
        with self.transaction() as db:
            db.executemany("DELETE FROM fetches WHERE paper_id = ?", [(p,) for p in paper_ids])

    # arXiv records

    def put_arxiv(self, arxiv_id: str, data: Mapping[str, Any]) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO arxiv VALUES (?, ?, ?)",
                (arxiv_id, json.dumps(dict(data), ensure_ascii=False), time.time()),
            )

    def arxiv(self, arxiv_id: str) -> dict[str, Any] | None:
        rows = self._query("SELECT data FROM arxiv WHERE arxiv_id = ?", (arxiv_id,))
        return json.loads(rows[0][0]) if rows else None

    # embeddings

    def put_embeddings(self, vectors: Mapping[str, np.ndarray | None], model: str) -> None:
        """Store each paper's vector as float32 bytes; ``None`` records that the service has
        none for that paper, so it is not asked again."""
        now = time.time()
        rows = [(pid, model, None if v is None else np.asarray(v, "<f4").tobytes(), now)
                for pid, v in vectors.items()]
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?)", rows)

    def embeddings(self, ids: Iterable[str], model: str) -> dict[str, np.ndarray | None]:
        """The stored answers among ``ids``: a float32 vector, or ``None`` where the service
        has none; ids never asked about are left out."""
        out: dict[str, np.ndarray | None] = {}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for pid, blob in self._query(
                f"SELECT paper_id, vector FROM embeddings WHERE model = ? AND paper_id IN "
                f"({marks})", [model, *chunk]
            ):
                out[pid] = None if blob is None else np.frombuffer(blob, "<f4")
        return out

    def cached_vector(self, key: str) -> np.ndarray | None:
        """A vector kept by :meth:`cache_vector`, or ``None``."""
        rows = self._query("SELECT vector FROM vector_cache WHERE key = ?", (key,))
        return np.frombuffer(rows[0][0], "<f8").copy() if rows else None

    def cache_vector(self, key: str, vector: np.ndarray) -> None:
        """Keep a computed vector under ``key``, with the :data:`CACHED_VECTORS` newest.
        A read-only, full or locked store keeps nothing: the vector can be computed again."""
        if self.read_only:
            return
        try:
            with self.transaction(bookkeeping=True) as db:
                db.execute("INSERT OR REPLACE INTO vector_cache SELECT ?, ?, "
                           "coalesce(max(stored), 0) + 1 FROM vector_cache",
                           (key, np.asarray(vector, "<f8").tobytes()))
                db.execute("DELETE FROM vector_cache WHERE key NOT IN (SELECT key FROM "
                           "vector_cache ORDER BY stored DESC LIMIT ?)", (CACHED_VECTORS,))
        except (StoreError, sqlite3.Error):  # full, read-only, locked by another process
            pass

    # snapshots of ranked explorations (see explorer.snapshot)

    def snapshot(self, key: str) -> bytes | None:
        """The snapshot kept under ``key`` if nothing changed since it was kept (its change
        count is :meth:`changes`, read in the same query), else ``None``."""
        rows = self._query(
            "SELECT data FROM snapshots WHERE key = ? AND changes = coalesce((SELECT "
            "CAST(value AS INTEGER) FROM meta WHERE key = 'changes'), 0)", (key,))
        return bytes(rows[0][0]) if rows else None

    def keep_snapshot(self, key: str, changes: int, data: bytes) -> bool:
        """Keep ``data`` under ``key`` as made when the store's change count was ``changes``;
        whether it was kept. Bookkeeping: the count does not move. Snapshots of an earlier
        count go; so do the oldest past :data:`SNAPSHOTS_KEPT` or :data:`SNAPSHOT_BYTES`.
        Nothing is kept when the store changed meanwhile, when ``data`` alone is past the
        cap, or when the store is read-only, full or locked: it can be computed again."""
        if self.read_only:
            return False
        try:
            with self.transaction(bookkeeping=True) as db:
                current = self.changes()
                db.execute("DELETE FROM snapshots WHERE changes != ?", (current,))
                if changes != current or len(data) > SNAPSHOT_BYTES:
                    return False
                db.execute("INSERT OR REPLACE INTO snapshots SELECT ?, ?, ?, "
                           "coalesce(max(stored), 0) + 1, ? FROM snapshots",
                           (key, changes, len(data), data))
                kept = db.execute("SELECT key, size FROM snapshots ORDER BY stored DESC"
                                  ).fetchall()
                total, old = 0, []
                for n, (other, size) in enumerate(kept):
                    total += size
                    if n >= SNAPSHOTS_KEPT or total > SNAPSHOT_BYTES:
                        old.append((other,))
                db.executemany("DELETE FROM snapshots WHERE key = ?", old)
            return True
        except (StoreError, sqlite3.Error):  # full, read-only, locked by another process
            return False

    def forget_snapshot(self, key: str) -> None:
        """Drop the snapshot under ``key`` (one that cannot be read); a store that cannot be
        written keeps it, to be found unreadable again."""
        if self.read_only:
            return
        try:
            with self.transaction(bookkeeping=True) as db:
                db.execute("DELETE FROM snapshots WHERE key = ?", (key,))
        except (StoreError, sqlite3.Error):
            pass

    def count_embeddings(self) -> int:
        return int(self._query("SELECT count(*) FROM embeddings")[0][0])

    def put_recommendations(self, seed: str, pool: str, raws: Sequence[Mapping[str, Any]]
                            ) -> None:
        """Store what a recommender answered for ``seed`` (best first) and the papers
        themselves, in one transaction; an earlier answer for the same seed and pool goes."""
        now = time.time()
        with self.transaction() as db:
            self.put_papers(raws, db)
            db.execute("DELETE FROM recommendations WHERE seed = ? AND pool = ?", (seed, pool))
            db.executemany("INSERT INTO recommendations VALUES (?, ?, ?, ?, ?)",
                           [(seed, pool, i, r["paperId"], now) for i, r in enumerate(raws)])
            self.set_fetch_state(seed, f"recommended:{pool}", len(raws), True, db)

    def recommendations(self, seed: str, pool: str) -> list[str] | None:
        """The stored answer for ``seed`` and ``pool``, best first; None if never asked."""
        if not self.done(seed, f"recommended:{pool}"):
            return None
        rows = self._query("SELECT paper_id FROM recommendations WHERE seed = ? AND pool = ?"
                           " ORDER BY position", (seed, pool))
        return [r[0] for r in rows]

    # reading list

    def list_set(
        self, paper_id: str, *, status: str | None = None, tags: Sequence[str] | None = None,
        note: str | None = None, add_tags: Sequence[str] = (), remove_tags: Sequence[str] = (),
    ) -> ListItem:
        """Add a paper to the reading list or change it; unspecified fields stay as they are.

        ``tags`` replaces the tags; ``add_tags`` and ``remove_tags`` change the stored ones,
        read and written in one transaction, so a tag another process adds meanwhile is kept.
        """
        if status is not None and status not in READING_STATUSES:
            raise ValueError(f"status must be one of {', '.join(READING_STATUSES)}")
        now = time.time()
        with self.transaction() as db:
            row = db.execute(
                "SELECT status, tags, note, added_at FROM reading_list WHERE paper_id = ?",
                (paper_id,),
            ).fetchone()
            old_status, old_tags, old_note, added = (
                (row[0], json.loads(row[1]), row[2], row[3]) if row else ("to read", [], "", now)
            )
            new_tags = list(tags) if tags is not None else list(old_tags)
            new_tags = [t for t in new_tags if t not in remove_tags]
            new_tags += [t for t in add_tags if t not in new_tags]
            item = ListItem(
                paper_id, status or old_status, tuple(new_tags),
                old_note if note is None else note, added, now,
            )
            db.execute(
                "INSERT OR REPLACE INTO reading_list"
                " (paper_id, status, tags, note, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (paper_id, item.status, json.dumps(list(item.tags), ensure_ascii=False),
                 item.note, item.added_at, item.updated_at),
            )
        return item

    def list_remove(self, paper_id: str) -> bool:
        with self.transaction() as db:
            return db.execute(
                "DELETE FROM reading_list WHERE paper_id = ?", (paper_id,)
            ).rowcount > 0

    def list_items(self) -> list[ListItem]:
        rows = self._query("SELECT * FROM reading_list ORDER BY added_at, paper_id")
        return [ListItem(r[0], r[1], tuple(json.loads(r[2])), r[3], r[4], r[5]) for r in rows]

    def statuses(self) -> dict[str, str]:
        return dict(self._query("SELECT paper_id, status FROM reading_list"))

    def not_relevant(self, keep: Iterable[str] = ()) -> set[str]:
        """Ids of the papers marked ``"not relevant"``, less those in ``keep`` (the seeds: a
        paper the user asks about is never dropped from its own exploration)."""
        rows = self._query("SELECT paper_id FROM reading_list WHERE status = 'not relevant'")
        return {r[0] for r in rows} - set(keep)

    # explorations

    def save_exploration(self, seeds: Sequence[str], options: Mapping[str, Any]) -> int:
        """Record an exploration as the last one; its id. A read-only store records nothing
        (id 0): answering from the store must not fail for want of a history line."""
        if self.read_only:
            return 0
        with self.transaction(bookkeeping=True) as db:
            cur = db.execute(
                "INSERT INTO explorations (seeds, options, created_at) VALUES (?, ?, ?)",
                (json.dumps(list(seeds)), json.dumps(dict(options)), time.time()),
            )
            return int(cur.lastrowid or 0)

    def last_exploration(self) -> tuple[list[str], dict[str, Any]] | None:
        rows = self._query(
            "SELECT seeds, options FROM explorations ORDER BY id DESC LIMIT 1"
        )
        return (json.loads(rows[0][0]), json.loads(rows[0][1])) if rows else None

    # the last list to pick from (a search, or the matches of an ambiguous title)

    def save_picks(self, label: str, raws: Sequence[Mapping[str, Any]]) -> None:
        """Keep ``raws`` (S2 paper records, in the order shown) as the list a pick by number
        refers to, replacing the last one; ``label`` says what listed them. A read-only store
        keeps nothing."""
        if self.read_only:
            return
        value = json.dumps({"label": label, "papers": [dict(r) for r in raws]})
        with self.transaction(bookkeeping=True) as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('picks', ?)", (value,))

    def picks(self) -> tuple[str, list[dict[str, Any]]] | None:
        """The label and records :meth:`save_picks` kept last, or None."""
        rows = self._query("SELECT value FROM meta WHERE key = 'picks'")
        if not rows:
            return None
        saved = json.loads(rows[0][0])
        return str(saved["label"]), list(saved["papers"])

    # the user's library (see explorer.tasks.library)

    def put_library(self, source: str, items: Iterable[LibraryRow],
                    collections: Mapping[str, str]) -> None:
        """Replace the library snapshot with ``items`` and ``collections`` (name by key), in
        one transaction: a failed write leaves the previous snapshot whole."""
        with self.transaction() as db:
            db.execute("DELETE FROM library_items")
            db.execute("DELETE FROM library_collections")
            db.executemany(
                "INSERT OR REPLACE INTO library_items VALUES (?, ?, ?, ?, ?, ?)",
                [(r.item_key, r.paper_id, r.citekey, r.title,
                  json.dumps(list(r.collections), ensure_ascii=False), r.problem)
                 for r in items])
            db.executemany("INSERT INTO library_collections VALUES (?, ?)",
                           list(collections.items()))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('library_source', ?)", (source,))
            db.execute("INSERT OR REPLACE INTO meta VALUES ('library_synced_at', ?)",
                       (repr(time.time()),))

    def library_rows(self) -> list[LibraryRow]:
        """The library snapshot, in item-key order (empty before the first sync)."""
        rows = self._query("SELECT * FROM library_items ORDER BY item_key")
        return [LibraryRow(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5]) for r in rows]

    def library_collections(self) -> dict[str, str]:
        """The snapshot's collections: name by key."""
        return dict(self._query("SELECT collection_key, name FROM library_collections"))

    def library_source(self) -> tuple[str, float] | None:
        """Where the snapshot came from (``"zotero"`` or a file name) and when it was taken,
        or None before the first sync."""
        rows = dict(self._query("SELECT key, value FROM meta WHERE key IN "
                                "('library_source', 'library_synced_at')"))
        if "library_source" not in rows:
            return None
        return rows["library_source"], float(rows.get("library_synced_at") or 0)

    def integrity_ok(self) -> bool:
        return self._query("PRAGMA integrity_check")[0][0] == "ok"
