"""Import an S2AG release (a folder of shards) into a local graph folder, resumably.

Each shard is read into a typed part file, ``GRAPH/.parts/<dataset>/<shard>.parquet``; the
manifest notes a part as done only once its file is in place, so a killed import, run again
on the same folder, reads only the shards it had not finished. The parts then become the
graph's tables (:func:`explorer.s2ag.tables.build`) and are removed.

Examples
--------
With a folder of shards (so not run as a doctest)::

    import_release(Path("shards"), Path("graph"))
    # ImportReport(release='2026-11-24', counts={'papers': ..., 'citations': ...}, ...)
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb

from explorer.errors import BadInputError, ShardError
from explorer.s2ag.manifest import now, read_manifest, write_manifest, writing
from explorer.s2ag.shard_sql import DATASETS, READ
from explorer.s2ag.tables import (
    GraphSlice,
    build,
    connect,
    copy_to,
    quote,
    reason,
    store_error,
)

__all__ = ["ImportProgress", "ImportReport", "import_release", "release_shards", "writing_tables"]


@dataclass(frozen=True)
class ImportProgress:
    """One shard read: ``files_done`` of ``files_total`` so far, the shard's ``records``
    (and ``edges``, resolved citations, for citation shards) in ``seconds``; ``reused``
    when an earlier, interrupted import had read it already. After the last shard, one
    with ``writing`` set: the tables are being built and written now (the long step)."""

    dataset: str
    shard: str
    files_done: int
    files_total: int
    records: int
    edges: int
    seconds: float
    reused: bool = False
    writing: bool = False

    @property
    def edges_per_second(self) -> float:
        return self.edges / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class ImportReport:
    """What an import or a diff left in the graph folder: its ``release``, the tables'
    ``counts``, the shards read now (``read``) and those an earlier run had read
    (``reused``), and the time it took."""

    graph: Path
    release: str | None
    counts: dict[str, int]
    read: int = 0
    reused: int = 0
    seconds: float = 0.0
    slice: GraphSlice = field(default_factory=GraphSlice)


Progress = Callable[[ImportProgress], None]


def writing_tables(total: int) -> ImportProgress:
    """The progress report that says every shard is read and the tables are being written."""
    return ImportProgress("tables", "", total, total, 0, 0, 0.0, writing=True)


def release_shards(release: Path) -> dict[str, list[Path]]:
    """The ``.gz`` shards of each dataset in the release folder ``release``.

    Raises
    ------
    BadInputError
        The folder lacks a dataset's subfolder or its shards.
    """
    if not release.is_dir():
        raise BadInputError(f"no folder {release}")
    shards = {name: sorted((release / name).glob("*.gz")) for name in DATASETS}
    missing = [name for name, files in shards.items() if not files]
    if missing:
        raise BadInputError(
            f"{release} lacks the shards of {', '.join(missing)}: a release folder holds "
            f"{', '.join(n + '/' for n in DATASETS)} each with .gz shards")
    return shards


def release_id(release: Path) -> str | None:
    """The id in ``release/RELEASE``, when the folder has one."""
    try:
        return (release / "RELEASE").read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def import_release(release: Path, graph: Path, graph_slice: GraphSlice | None = None,
                   progress: Progress | None = None, memory_limit: str = "1GB") -> ImportReport:
    """Build the local graph in ``graph`` from the shards in ``release``.

    Parameters
    ----------
    release
        A release folder: ``papers/``, ``abstracts/``, ``citations/``, ``paper-ids/``, each
        with gzip JSON-lines shards, and optionally ``RELEASE`` holding the release id.
    graph
        The graph folder (made if missing). Its tables are replaced only at the end, each
        file atomically; until then a reader sees the graph as it was.
    graph_slice
        The papers to keep (with the citations that touch them); None keeps all.
    progress
        Called after each shard with an :class:`ImportProgress`.
    memory_limit
        DuckDB's memory limit; past it DuckDB spills to ``graph/.tmp``.

    Raises
    ------
    BadInputError
        ``release`` is not a release folder.
    ShardError
        A shard cannot be read; the shards read before it are kept for the next run.
    StoreError
        Another import is writing ``graph``, or its files cannot be written (StoreFullError:
        the disk is full); the graph's tables are left as they were.
    """
    started = time.monotonic()
    shards = release_shards(release)
    with writing(graph):
        report = _import(release, shards, graph, graph_slice or GraphSlice(), progress,
                         memory_limit)
    return replace(report, seconds=time.monotonic() - started)


def _import(release: Path, shards: dict[str, list[Path]], graph: Path, graph_slice: GraphSlice,
            progress: Progress | None, memory_limit: str) -> ImportReport:
    manifest = read_manifest(graph) or {}
    source = str(release.resolve())
    pending = manifest.get("pending")
    if not isinstance(pending, dict) or pending.get("source") != source:
        pending = {"source": source, "parts": {}}
    total = sum(len(files) for files in shards.values())
    done = reused = 0
    parts: dict[str, list[Path]] = {}
    with connect(graph, memory_limit) as con:
        for dataset, files in shards.items():
            parts[dataset] = []
            for shard in files:
                part, note, fresh = _part(con, graph, dataset, shard, pending)
                if fresh:
                    manifest["pending"] = pending
                    write_manifest(graph, manifest)
                parts[dataset].append(part)
                done += 1
                reused += not fresh
                if progress:
                    progress(ImportProgress(dataset, shard.name, done, total, note["records"],
                                            note["edges"], note["seconds"], reused=not fresh))
        for dataset, view in (("papers", "raw_papers"), ("abstracts", "raw_abstracts"),
                              ("citations", "raw_edges"), ("paper-ids", "raw_paper_ids")):
            listed = ", ".join(quote(str(p)) for p in parts[dataset])
            con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet([{listed}])")
        if progress:
            progress(writing_tables(total))
        counts = build(con, graph, graph_slice)
    manifest.pop("pending", None)
    manifest.update(release=release_id(release), slice=graph_slice.as_json(), counts=counts,
                    imported=now(), source=source, diffs=[])
    write_manifest(graph, manifest)
    shutil.rmtree(graph / ".parts", ignore_errors=True)
    return ImportReport(graph, manifest["release"], counts, done - reused, reused,
                        slice=graph_slice)


def _part(con: duckdb.DuckDBPyConnection, graph: Path, dataset: str, shard: Path,
          pending: dict[str, Any]) -> tuple[Path, dict[str, Any], bool]:
    """The part file of ``shard``, its note in the manifest, and whether it was read now
    (False: an earlier run left it, from the same file)."""
    key = f"{dataset}/{shard.name}"
    part = graph / ".parts" / dataset / (shard.name + ".parquet")
    stat = shard.stat()
    note = pending["parts"].get(key)
    if (isinstance(note, dict) and note.get("size") == stat.st_size
            and note.get("mtime_ns") == stat.st_mtime_ns and part.is_file()):
        return part, note, False
    part.parent.mkdir(parents=True, exist_ok=True)
    tmp = part.with_name(part.name + ".tmp")
    started = time.monotonic()
    try:
        records = copy_to(con, READ[dataset], tmp, [[str(shard)]])
        edges = 0
        if dataset == "citations":
            (edges,) = con.execute(f"SELECT count(cited) FROM read_parquet({quote(str(tmp))})"
                                   ).fetchone() or (0,)
        tmp.replace(part)
    except duckdb.Error as exc:
        if str(tmp) in str(exc) or "No space left" in str(exc):
            raise store_error(exc, graph) from None
        raise ShardError(str(shard), reason(exc, str(shard))) from None
    finally:
        if tmp.is_file():
            tmp.unlink()
    note = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "records": int(records),
            "edges": int(edges), "seconds": round(time.monotonic() - started, 3)}
    pending["parts"][key] = note
    return part, note, True
