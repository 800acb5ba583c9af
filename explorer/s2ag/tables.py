"""The local graph's tables built from typed shard rows: collapsed, joined, sliced, sorted
and written as zstd Parquet, each file replaced atomically.

:func:`build` reads four views the caller defines on its connection, in the columns of
:mod:`explorer.s2ag.shard_sql`: ``raw_papers``, ``raw_abstracts``, ``raw_edges`` (with
unresolved references, null ``cited``) and ``raw_paper_ids``. A fresh import defines them over
its part files, a diff over the graph's tables with the diff applied; both end here.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from explorer.errors import BadInputError, StoreError, StoreFullError

FILES = {
    "papers": "papers.parquet",
    "abstracts": "abstracts.parquet",
    "by_cited": "citations_by_cited.parquet",
    "by_citing": "citations_by_citing.parquet",
    "paper_ids": "paper_ids.parquet",
}
"""Each table of the local graph and its file in the graph folder."""
LOOKUP_ROW_GROUP = 8192
"""Rows a Parquet row group holds in the tables read paper by paper (papers, abstracts,
paper-ids): a lookup decodes one group, so at 100,000 papers in one group a paper cost
50-100 ms, in groups of this size about 10 ms, the files the same size within 1.5 %."""
_BY_PAPER = ("papers", "abstracts", "paper_ids")

_LIMIT = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


@dataclass(frozen=True)
class GraphSlice:
    """The part of the graph to keep: papers with one of ``fields`` (their API
    fieldsOfStudy, any case) and a year in ``years`` (both ends included); None keeps all."""

    fields: tuple[str, ...] | None = None
    years: tuple[int, int] | None = None

    @property
    def whole(self) -> bool:
        return self.fields is None and self.years is None

    def as_json(self) -> dict[str, Any]:
        return {"fields": list(self.fields) if self.fields is not None else None,
                "years": list(self.years) if self.years is not None else None}

    def condition(self) -> str:
        """SQL true for a row of ``raw_papers`` inside the slice."""
        terms = ["true"]
        if self.fields is not None:
            wanted = ", ".join(quote(f.lower()) for f in self.fields)
            terms.append(f"list_has_any(list_transform(coalesce(fieldsofstudy, []), "
                         f"lambda f: lower(f)), [{wanted}])")
        if self.years is not None:
            terms.append(f'coalesce("year" BETWEEN {int(self.years[0])} '
                         f"AND {int(self.years[1])}, false)")
        return " AND ".join(terms)


def quote(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


@contextmanager
def connect(graph: Path, memory_limit: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection held to ``memory_limit`` that spills to ``graph/.tmp``.

    Raises
    ------
    BadInputError
        ``memory_limit`` is not a size such as ``"1GB"`` or ``"512MiB"``.
    """
    if not _LIMIT.fullmatch(memory_limit.strip()):
        raise BadInputError("{memory_limit} must be a size such as 1GB or 512MiB, not "
                            f"{memory_limit!r}", parameter="memory_limit", value=memory_limit)
    tmp = graph / ".tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(config={"memory_limit": memory_limit.strip(),
                                 "temp_directory": str(tmp),
                                 "preserve_insertion_order": False})
    con.execute("SET enable_progress_bar = false")  # the library never writes to stdout
    try:
        yield con
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)


def build(con: duckdb.DuckDBPyConnection, graph: Path, graph_slice: GraphSlice) -> dict[str, int]:
    """:func:`build_tables`, with DuckDB's failures (no space, a graph file that cannot be
    read) as :class:`~explorer.errors.StoreError`; the graph's files are then as they were.
    """
    try:
        return build_tables(con, graph, graph_slice)
    except duckdb.Error as exc:
        raise store_error(exc, graph) from None


def build_tables(con: duckdb.DuckDBPyConnection, graph: Path,
                 graph_slice: GraphSlice) -> dict[str, int]:
    """Write the graph's tables from the ``raw_*`` views and return their counts.

    Papers and abstracts are collapsed by corpus id, paper ids by sha, citations by (citing,
    cited), keeping the largest citation id and intents and contexts, and influence when any
    copy has it; unresolved references are counted and dropped. A slice keeps its papers
    (``in_slice``), every citation with an end in it and the papers at the other ends.

    Returns
    -------
    dict
        ``papers``, ``citations``, ``abstracts``, ``paper_ids``, ``unresolved`` and
        ``duplicates`` (copies of a citation beyond the first).
    """
    run = con.execute
    run("CREATE OR REPLACE TEMP TABLE all_papers AS "
        "SELECT DISTINCT ON (corpusid) * FROM raw_papers ORDER BY corpusid")
    unresolved, resolved = _one(con, "SELECT count(*) FILTER (cited IS NULL), "
                                     "count(*) FILTER (cited IS NOT NULL) FROM raw_edges")
    run("CREATE OR REPLACE TEMP TABLE edges AS SELECT max(citationid) AS citationid, citing, "
        "cited, bool_or(isinfluential) AS isinfluential, max(contexts) AS contexts, "
        "max(intents) AS intents FROM raw_edges WHERE cited IS NOT NULL GROUP BY citing, cited")
    (unique,) = _one(con, "SELECT count(*) FROM edges")
    inside = graph_slice.condition()
    if not graph_slice.whole:
        run(f"CREATE OR REPLACE TEMP TABLE sliced AS SELECT corpusid FROM all_papers "
            f"WHERE {inside}")
        run("CREATE OR REPLACE TEMP TABLE edges AS SELECT * FROM edges "
            "WHERE citing IN (SELECT corpusid FROM sliced) "
            "OR cited IN (SELECT corpusid FROM sliced)")
        run(f"CREATE OR REPLACE TEMP TABLE papers AS SELECT *, {inside} AS in_slice "
            f"FROM all_papers WHERE {inside} OR corpusid IN (SELECT citing FROM edges) "
            f"OR corpusid IN (SELECT cited FROM edges)")
        kept = "WHERE corpusid IN (SELECT corpusid FROM papers)"
    else:
        run("CREATE OR REPLACE TEMP TABLE papers AS SELECT *, true AS in_slice FROM all_papers")
        kept = ""
    run("DROP TABLE all_papers")
    run(f"CREATE OR REPLACE TEMP TABLE ids AS SELECT DISTINCT ON (sha) * FROM raw_paper_ids "
        f"{kept} ORDER BY sha")
    run(f"CREATE OR REPLACE TEMP TABLE abstracts AS SELECT DISTINCT ON (corpusid) * "
        f"FROM raw_abstracts {kept} ORDER BY corpusid")
    queries = {
        "papers": "SELECT p.corpusid, i.sha AS paperid, p.* EXCLUDE (corpusid) FROM papers p "
                  "LEFT JOIN (SELECT corpusid, min(sha) AS sha FROM ids WHERE \"primary\" "
                  "GROUP BY corpusid) i USING (corpusid) ORDER BY p.corpusid",
        "abstracts": "SELECT * FROM abstracts ORDER BY corpusid",
        "by_cited": "SELECT * FROM edges ORDER BY cited, citing",
        "by_citing": "SELECT * FROM edges ORDER BY citing, cited",
        "paper_ids": "SELECT * FROM ids ORDER BY sha",
    }
    write_all(con, graph, queries)
    counts = {name: _one(con, f"SELECT count(*) FROM {name}")[0]
              for name in ("papers", "abstracts")}
    counts["paper_ids"] = _one(con, "SELECT count(*) FROM ids")[0]
    counts["citations"] = _one(con, "SELECT count(*) FROM edges")[0]
    return {**counts, "unresolved": unresolved, "duplicates": resolved - unique}


def write_all(con: duckdb.DuckDBPyConnection, graph: Path, queries: dict[str, str]) -> None:
    """Write each query's rows to its table's file: every file to ``.tmp`` first, then all
    renamed into place, so a failure leaves the old files whole."""
    written = []
    try:
        for name, query in queries.items():
            tmp = graph / (FILES[name] + ".tmp")
            written.append(tmp)
            copy_to(con, query, tmp, row_group=LOOKUP_ROW_GROUP if name in _BY_PAPER else None)
        for tmp in written:
            os.replace(tmp, tmp.with_suffix(""))
    finally:
        for tmp in written:
            if tmp.is_file():
                tmp.unlink()


def copy_to(con: duckdb.DuckDBPyConnection, query: str, path: Path,
            params: list[object] | None = None, *, row_group: int | None = None) -> int:
    """Write the rows of ``query`` to ``path`` as zstd Parquet (``row_group`` rows a row
    group; DuckDB's default without); the number of rows."""
    size = "" if row_group is None else f", ROW_GROUP_SIZE {int(row_group)}"
    row = con.execute(f"COPY ({query}) TO {quote(str(path))} "
                      f"(FORMAT parquet, COMPRESSION zstd{size})", params).fetchone()
    return int(row[0]) if row else 0


def _one(con: duckdb.DuckDBPyConnection, query: str) -> tuple[int, ...]:
    row = con.execute(query).fetchone()
    assert row is not None
    return tuple(int(v) for v in row)


def reason(exc: duckdb.Error, path: str) -> str:
    """DuckDB's message, first line, without its error class or the file's name."""
    line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    line = line.split(": ", 1)[1] if line.split(": ", 1)[0].endswith("Error") else line
    for named in (f' in file "{path}",', f' "{path}",', f": {path}", path) if path else ():
        line = line.replace(named, "")
    return line.strip().rstrip(".")


def store_error(exc: duckdb.Error, graph: Path) -> StoreError:
    """DuckDB's failure to write (or read back) the graph in ``graph`` as a StoreError: a
    StoreFullError when the disk is full."""
    text = reason(exc, "")
    kind = StoreFullError if "No space left" in text else StoreError
    return kind(f"cannot write the graph in {graph}: {text}", str(graph))
