"""What the Spark analysis (explorer.s2ag.spark) costs per million edges, on Spark and DuckDB.

Run: ``.venv/bin/python bench/spark.py [--edges 1000000] [--engines spark duckdb]
[--iterations 10] [--graph DIR]``

A synthetic local graph in the contract's layout is written with DuckDB (``--graph DIR``,
default a temporary folder): ``edges / 10`` papers, each citing ten earlier ones skewed towards
the oldest (a heavy-tailed in-degree), seeded, duplicates dropped. The seeds are its three most
cited papers, at depth 2: the neighbourhood is nearly the whole graph, so every edge is counted.

Each measurement runs the job in a fresh subprocess (Spark: ``local[2]``, one JVM, four
shuffle partitions) and reports its wall time and peak memory (the Python process's
``ru_maxrss`` plus, on Spark, the JVM's ``VmHWM``), once with 0 PageRank iterations and
once with ``--iterations``. The difference gives the cost of one iteration; the cost of the
default run (enough iterations for an L1 error below 1e-13) is the fixed part plus that many
iterations, divided by the millions of edges of the graph (the neighbourhood holds nearly all
of its papers).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.s2ag.frames_pagerank import TOLERANCE, iterations_for  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from explorer.s2ag import spark as job
engine, graph = sys.argv[1], sys.argv[2]
seeds, iterations = json.loads(sys.argv[3]), int(sys.argv[4])
started = time.perf_counter()
if engine == "spark":
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.driver.memory", "2g").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
else:
    session = job.session("duckdb")
ready = time.perf_counter()
rows = job.analyse(session, graph, seeds, 2, iterations=iterations).collect()
done = time.perf_counter()
jvm = 0
if engine == "spark":
    import psutil
    for child in psutil.Process().children(recursive=True):
        try:
            with open(f"/proc/{child.pid}/status") as fh:
                jvm += next(int(l.split()[1]) for l in fh if l.startswith("VmHWM"))
        except (OSError, StopIteration):
            pass  # a helper process that has ended
    session.stop()
print(json.dumps({"papers": len(rows), "session_s": ready - started, "run_s": done - ready,
                  "peak_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + jvm) / 1024}))
"""


def write_graph(folder: Path, edges: int) -> tuple[list[int], int]:
    """The synthetic graph; returns its three most cited papers and its number of edges."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SELECT setseed(0.19)")
    con.execute(f"""CREATE TABLE e AS SELECT DISTINCT citing, cited FROM (
        SELECT i // 10 + 2 AS citing, CAST(floor((i // 10 + 1) * pow(random(), 2)) AS BIGINT) + 1
               AS cited FROM range({edges}) t(i)) WHERE cited < citing""")
    con.execute("""CREATE TABLE p AS SELECT DISTINCT corpusid FROM
        (SELECT citing AS corpusid FROM e UNION SELECT cited FROM e)""")
    con.execute(f"COPY (SELECT * FROM p ORDER BY corpusid) TO '{folder}/papers.parquet'")
    for name, order in (("citing", "citing, cited"), ("cited", "cited, citing")):
        con.execute(f"COPY (SELECT NULL::BIGINT AS citationid, citing, cited FROM e "
                    f"ORDER BY {order}) TO '{folder}/citations_by_{name}.parquet' "
                    "(COMPRESSION zstd)")
    seeds = [r[0] for r in con.execute(
        "SELECT cited FROM e GROUP BY cited ORDER BY count(*) DESC, cited LIMIT 3").fetchall()]
    count = con.execute("SELECT count(*) FROM e").fetchone()[0]
    con.close()
    return seeds, count


def measure(engine: str, graph: Path, seeds: list[int], iterations: int) -> dict:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, engine, str(graph), json.dumps(seeds),
                          str(iterations)], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    if out.returncode:
        sys.exit(f"error: the {engine} run failed: {out.stderr.strip().splitlines()[-1:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--engines", nargs="+", default=["spark", "duckdb"],
                        choices=["spark", "duckdb"])
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--graph", type=Path, help="folder for the synthetic graph")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph or Path(tmp) / "graph"
        seeds, edges = write_graph(graph, args.edges)
        full = iterations_for(TOLERANCE)
        million = edges / 1e6
        print(f"{edges:,} edges, seeds {seeds}, depth 2; default run = {full} iterations")
        for engine in args.engines:
            fixed = measure(engine, graph, seeds, 0)
            more = measure(engine, graph, seeds, args.iterations)
            per_iteration = max(more["run_s"] - fixed["run_s"], 0.0) / args.iterations
            default = fixed["run_s"] + full * per_iteration
            print(f"{engine}: {fixed['papers']:,} papers; start {fixed['session_s']:.1f} s; "
                  f"neighbourhood + counts {fixed['run_s']:.1f} s; {args.iterations} iterations "
                  f"{more['run_s']:.1f} s in all ({per_iteration:.2f} s each); peak "
                  f"{max(fixed['peak_mb'], more['peak_mb']):.0f} MB; default run "
                  f"{default:.0f} s = {default / million:.0f} s per million edges")


if __name__ == "__main__":
    main()
