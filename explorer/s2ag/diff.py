"""Apply a release diff to a local graph: each dataset's updates upsert by its primary key,
its deletes remove by it, and the tables are rebuilt as a fresh import builds them
(:func:`explorer.s2ag.tables.build`), so the graph equals a fresh import of the newer release.

A diff folder holds ``<dataset>/updates/*.gz`` and ``<dataset>/deletes/*.gz`` for any of the
datasets; its name, ``<from>--<to>``, says which releases it joins (as the fake Datasets API
and our downloader lay diffs out).
"""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import duckdb

from explorer.errors import BadInputError, ShardError
from explorer.s2ag.importer import ImportProgress, ImportReport, Progress, reason
from explorer.s2ag.manifest import now, read_manifest, write_manifest
from explorer.s2ag.shard_sql import DATASETS, DELETES, KEYS, READ
from explorer.s2ag.tables import FILES, GraphSlice, build, connect, quote

__all__ = ["apply_diff", "diff_releases"]

_VIEWS = {"papers": "raw_papers", "abstracts": "raw_abstracts", "citations": "raw_edges",
          "paper-ids": "raw_paper_ids"}
_BASE = {
    "papers": "SELECT * EXCLUDE (paperid, in_slice) FROM read_parquet({papers})",
    "abstracts": "SELECT * FROM read_parquet({abstracts})",
    "citations": "SELECT * FROM read_parquet({by_citing})",
    "paper-ids": "SELECT * FROM read_parquet({paper_ids})",
}


def diff_releases(diff: Path) -> tuple[str | None, str | None]:
    """The releases the diff folder ``diff`` goes from and to, as its name says."""
    start, sep, end = diff.resolve().name.partition("--")
    return (start, end) if sep and start and end else (None, None)


def apply_diff(diff: Path, graph: Path, progress: Progress | None = None,
               memory_limit: str = "1GB") -> ImportReport:
    """Apply the diff in the folder ``diff`` to the local graph in ``graph``.

    Parameters
    ----------
    diff
        A diff folder (see the module's docstring).
    graph
        A graph folder a whole-release import made. Its files are replaced atomically at
        the end and the manifest records the new release.
    progress
        Called after each dataset's updates and deletes with an :class:`ImportProgress`.
    memory_limit
        DuckDB's memory limit; past it DuckDB spills to ``graph/.tmp``.

    Raises
    ------
    BadInputError
        ``graph`` holds no graph, or a slice; ``diff`` holds no diff, or starts from
        another release than the graph's.
    ShardError
        A file of the diff cannot be read; the graph is left as it was.
    """
    started = time.monotonic()
    manifest = read_manifest(graph)
    if manifest is None or not (graph / FILES["papers"]).is_file():
        raise BadInputError(f"no local graph in {graph} to apply a diff to: import a "
                            f"release into it first")
    graph_slice = GraphSlice(**{k: tuple(v) if v else None
                                for k, v in (manifest.get("slice") or {}).items()})
    if not graph_slice.whole:
        raise BadInputError(f"the graph in {graph} is a slice: a diff cannot bring in the "
                            f"citations the slice left out, so import the newer release "
                            f"with the same slice instead")
    files = {name: {kind: sorted((diff / name / kind).glob("*.gz"))
                    for kind in ("updates", "deletes")} for name in DATASETS}
    if not any(f for kinds in files.values() for f in kinds.values()):
        raise BadInputError(f"no diff in {diff}: a diff folder holds <dataset>/updates/ and "
                            f"<dataset>/deletes/ with .gz files")
    start, end = diff_releases(diff)
    held = manifest.get("release")
    if start and held and start != held:
        raise BadInputError(f"the diff in {diff} goes from release {start} to {end}, but the "
                            f"graph in {graph} holds release {held}")
    tables = {name: quote(str(graph / file)) for name, file in FILES.items()}
    with connect(graph, memory_limit) as con:
        empty = graph / ".tmp" / "empty.jsonl.gz"
        with gzip.open(empty, "wb"):
            pass
        for i, (dataset, kinds) in enumerate(files.items(), start=1):
            t0 = time.monotonic()
            updates = _load(con, f"up_{i}", READ[dataset], kinds["updates"], empty)
            deletes = _load(con, f"del_{i}", DELETES[dataset], kinds["deletes"], empty)
            keys = ", ".join(f'"{k}"' for k in KEYS[dataset])
            base = _BASE[dataset].format(**tables)
            con.execute(
                f"CREATE TEMP TABLE base_{i} AS SELECT * FROM ({base}) ANTI JOIN "
                f"(SELECT {keys} FROM up_{i} UNION ALL SELECT {keys} FROM del_{i}) "
                f"USING ({keys}) UNION ALL SELECT * FROM up_{i}")
            con.execute(f"CREATE VIEW {_VIEWS[dataset]} AS SELECT * FROM base_{i}")
            if progress:
                progress(ImportProgress(dataset, diff.name, i, len(files), updates + deletes,
                                        0, time.monotonic() - t0))
        counts = build(con, graph, graph_slice)
    old = manifest.get("counts") or {}
    for quirk in ("unresolved", "duplicates"):
        counts[quirk] += int(old.get(quirk, 0))
    manifest.update(release=end or held, counts=counts, imported=now())
    manifest["diffs"] = [*manifest.get("diffs", []), {"from": start, "to": end,
                                                       "source": str(diff.resolve()),
                                                       "applied": now()}]
    write_manifest(graph, manifest)
    return ImportReport(graph, manifest["release"], counts, sum(
        len(f) for kinds in files.values() for f in kinds.values()), 0,
        time.monotonic() - started, graph_slice)


def _load(con: duckdb.DuckDBPyConnection, table: str, query: str, shards: list[Path],
          empty: Path) -> int:
    """Read each of ``shards`` into the temp table ``table`` (typed as ``query`` reads the
    shard ``empty``); its rows."""
    con.execute(f"CREATE TEMP TABLE {table} AS {query}", [[str(empty)]])
    for shard in shards:
        try:
            con.execute(f"INSERT INTO {table} {query}", [[str(shard)]])
        except duckdb.Error as exc:
            raise ShardError(str(shard), reason(exc, str(shard))) from None
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0
