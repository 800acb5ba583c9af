"""The S2AG importer at scale: throughput, bytes per edge, citers and depth-2 latency, memory.

Run: ``.venv/bin/python bench/bulk.py [--edges 1000000 10000000] [--work DIR] [--keep]``

For each size a synthetic release of that many resolved edges (``explorer.s2ag.synthetic``:
power-law citation counts, the real datasets' quirks) is written to ``--work`` (reused when
there), then imported by ``explorer.s2ag.importer`` in a fresh subprocess that reports its own
peak resident memory (``ru_maxrss``: Python, DuckDB and all). Then, on the graph:

- bytes per edge: ``citations_by_cited.parquet`` (one sort order, contexts and intents
  included) over the edges it holds; the whole graph folder is reported too;
- "citers of X": ``SELECT citing ... WHERE cited = X`` on the file sorted by cited id, for
  ``--queries`` cited papers drawn at random (seeded), median and 95th percentile;
- a depth-2 neighbourhood: the papers within two hops of X either way (citers and
  references), in one SQL statement over the two sort orders, median over the same papers.

Unless ``--keep`` is given the releases and graphs are removed at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.s2ag.synthetic import write_synthetic  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from explorer.s2ag.importer import import_release
start = time.perf_counter()
report = import_release(Path(sys.argv[1]), Path(sys.argv[2]), memory_limit=sys.argv[3])
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "peak": peak, "counts": report.counts}))
"""

CITERS = "SELECT citing FROM by_cited WHERE cited = $x"
DEPTH_2 = """
WITH one AS (
    SELECT citing AS id FROM by_cited WHERE cited = $x
    UNION SELECT cited FROM by_citing WHERE citing = $x),
two AS (
    SELECT citing AS id FROM by_cited WHERE cited IN (SELECT id FROM one)
    UNION SELECT cited FROM by_citing WHERE citing IN (SELECT id FROM one))
SELECT count(*) FROM (SELECT id FROM one UNION SELECT id FROM two) WHERE id <> $x
"""


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def timed(con: duckdb.DuckDBPyConnection, query: str, params: dict[str, int]) -> tuple[float, int]:
    start = time.perf_counter()
    rows = con.execute(query, params).fetchall()
    elapsed = time.perf_counter() - start
    return elapsed, (rows[0][0] if query is DEPTH_2 else len(rows))


def measure(edges: int, work: Path, memory_limit: str, queries: int) -> dict:
    release = work / f"{edges}" / "release"
    graph = work / f"{edges}" / "graph"
    if not (release / "RELEASE").is_file():
        shutil.rmtree(release, ignore_errors=True)
        start = time.perf_counter()
        write_synthetic(edges, release, shards=max(2, edges // 1_000_000))
        print(f"wrote {edges:,} edges to {release} ({size(release) / 1e6:,.0f} MB) in "
              f"{time.perf_counter() - start:,.0f} s", file=sys.stderr)
    shutil.rmtree(graph, ignore_errors=True)
    done = subprocess.run([sys.executable, "-c", CHILD, str(release), str(graph), memory_limit],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    run = json.loads(done.stdout.splitlines()[-1])
    kept = run["counts"]["citations"]
    files = {name: str(graph / f"citations_{name}.parquet") for name in ("by_cited", "by_citing")}
    con = duckdb.connect()
    for name, path in files.items():
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    picked = con.execute("SELECT DISTINCT cited FROM by_cited ORDER BY cited").fetchall()
    seeds = random.Random(0).sample([r[0] for r in picked], min(queries, len(picked)))
    timed(con, CITERS, {"x": seeds[0]})  # the files' footers read once, as a server would
    citers = [timed(con, CITERS, {"x": x})[0] for x in seeds]
    depth2, reached = zip(*(timed(con, DEPTH_2, {"x": x}) for x in seeds), strict=True)
    con.close()
    return {
        "edges": kept, "papers": run["counts"]["papers"], "seconds": run["seconds"],
        "edges_per_s": kept / run["seconds"], "peak_mb": run["peak"] / 2**20,
        "bytes_per_edge": (graph / "citations_by_cited.parquet").stat().st_size / kept,
        "graph_mb": size(graph) / 1e6, "release_mb": size(release) / 1e6,
        "citers_ms": 1000 * statistics.median(citers),
        "citers_p95_ms": 1000 * statistics.quantiles(citers, n=20)[-1],
        "depth2_ms": 1000 * statistics.median(depth2),
        "depth2_papers": int(statistics.median(reached)),
    }


def table(results: list[dict], memory_limit: str) -> str:
    head = ("| edges | import | edges/s | peak RSS | bytes/edge | graph | citers of X "
            "(median / p95) | depth-2 (median) |\n|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = [f"| {r['edges']:,} | {r['seconds']:,.1f} s | {r['edges_per_s']:,.0f} | "
            f"{r['peak_mb']:,.0f} MB | {r['bytes_per_edge']:.1f} | {r['graph_mb']:,.0f} MB | "
            f"{r['citers_ms']:.1f} / {r['citers_p95_ms']:.1f} ms | {r['depth2_ms']:.0f} ms "
            f"({r['depth2_papers']:,} papers) |" for r in results]
    return "\n".join([head, *rows, f"(DuckDB memory limit {memory_limit})"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edges", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--work", type=Path, help="where releases and graphs go (a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the releases and graphs")
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB's limit (1GB)")
    parser.add_argument("--queries", type=int, default=50, help="papers X queried (50)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bulk-"))
    try:
        results = []
        for edges in args.edges:
            results.append(measure(edges, work, args.memory_limit, args.queries))
            print(json.dumps(results[-1]), file=sys.stderr)
        print(table(results, args.memory_limit))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
