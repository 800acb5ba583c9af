"""The analysis of a neighbourhood of the bulk graph, on Spark or on DuckDB: one job, two engines.

:func:`analyse` reads the local graph's Parquet files (``citations_by_citing.parquet``,
``citations_by_cited.parquet``, ``papers.parquet``; see :mod:`explorer.s2ag.frames`), takes the
papers within ``depth`` citations of the seeds (both ways), and returns each with its hop
count, its co-citation and coupling counts with the seeds and its PageRank personalised on
them, as explorer's ranking defines them. The plan is built with the PySpark DataFrame API
only, so the same code runs on a Spark cluster (``spark-submit``), on Spark's local mode, and
on DuckDB's PySpark-compatible API on one machine, with the same numbers.

Run it as ``python -m explorer.s2ag.spark --graph PATH --seeds ID ... --out DIR`` or
``spark-submit explorer/s2ag/spark.py ...`` (see the README, "Running the analysis on a
cluster"). Neither pyspark nor DuckDB's Spark API is imported before a session is asked for.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a file (spark-submit explorer/s2ag/spark.py): make the checkout importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from explorer.errors import BadInputError, ExplorerError, NotFoundError
from explorer.s2ag.frames import (
    COUNTS,
    DataFrame,
    counts,
    induced_edges,
    materialize,
    neighbourhood,
)
from explorer.s2ag.frames_pagerank import ALPHA, pagerank
from explorer.s2ag.frames_seeds import Seed, parse_seed, resolve_seeds

__all__ = ["ENGINES", "OUTPUT", "analyse", "main", "session"]

log = logging.getLogger(__name__)

ENGINES = ("spark", "duckdb")
"""The engines the job runs on: Spark (a cluster or local mode), DuckDB (one machine)."""

OUTPUT = "candidates.parquet"
"""Name of the result under the output folder (a folder of parts on Spark, a file on DuckDB)."""

COLUMNS = ("corpusid", "hops", "is_seed", *COUNTS, "pagerank")
"""The result's columns, in order."""


def session(engine: str = "spark", master: str | None = None) -> Any:
    """A session of ``engine``: a SparkSession (``master`` as given, else Spark's default,
    which spark-submit sets) or DuckDB's look-alike.

    Raises
    ------
    BadInputError
        For an engine that is not one of :data:`ENGINES`.
    """
    if engine == "duckdb":
        from duckdb.experimental.spark.sql import SparkSession as DuckSession

        return DuckSession.builder.getOrCreate()
    if engine != "spark":
        raise BadInputError(f"unknown {{engine}} {engine!r}: use {' or '.join(ENGINES)}",
                            parameter="engine", value=engine)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("explorer-s2ag")
    if master is not None:
        builder = builder.master(master)
    return builder.getOrCreate()


def _table(spark: Any, graph: str, name: str) -> DataFrame:
    path = f"{graph.rstrip('/')}/{name}"
    if "://" not in path and not Path(path).exists():
        raise NotFoundError(f"the local graph at {graph} has no {name}")
    return spark.read.parquet(path)


def analyse(spark: Any, graph: str, seeds: Sequence[Seed], depth: int = 2, *,
            alpha: float = ALPHA, iterations: int | None = None) -> DataFrame:
    """The seeds' neighbourhood in the local graph, each paper with its counts and PageRank.

    Parameters
    ----------
    spark : SparkSession
        A Spark session, or DuckDB's (:func:`session`).
    graph : str
        Folder of the local graph: a path, or a URL Spark reads (``s3a://``, ``hdfs://``).
    seeds : Sequence[int | str]
        The seeds: corpus ids (``13756489``, ``"CorpusId:13756489"``) or S2 paper ids (shas,
        resolved through ``paper_ids.parquet``), as :func:`~explorer.s2ag.frames_seeds.parse_seed`
        reads them.
    depth : int
        Citations to follow from the seeds, both ways.
    alpha, iterations
        As :func:`explorer.s2ag.frames_pagerank.pagerank`.

    Returns
    -------
    DataFrame
        One row per paper, columns :data:`COLUMNS`, by PageRank descending then corpus id.

    Raises
    ------
    BadInputError
        No seeds, a seed that is no corpus id or sha, or a negative depth.
    NotFoundError
        A file of the graph is missing, or a seed is not among its papers (``.missing``).
    """
    if not seeds:
        raise BadInputError("no {seeds} given: name at least one corpus id", parameter="seeds",
                            value=list(seeds))
    if depth < 0:
        raise BadInputError(f"{{depth}} must be 0 or more, not {depth}", parameter="depth",
                            value=depth, bound=0)
    by_citing = _table(spark, graph, "citations_by_citing.parquet").select("citing", "cited")
    by_cited = _table(spark, graph, "citations_by_cited.parquet").select("citing", "cited")
    wanted = resolve_seeds(spark, graph, [parse_seed(s) for s in seeds],
                           lambda name: _table(spark, graph, name))
    given = spark.createDataFrame([(s,) for s in wanted], ["node"])
    nodes = neighbourhood(by_citing, by_cited, given, depth)
    edges = materialize(induced_edges(by_citing, nodes))  # read by every count and iteration
    ranks = pagerank(edges, nodes, given, alpha=alpha, iterations=iterations)
    out = counts(edges, nodes, given).join(ranks, "node")
    out = out.withColumnRenamed("node", "corpusid").select(*COLUMNS)
    return out.orderBy(out["pagerank"].desc(), out["corpusid"].asc())


HELP = """\
Take the papers within DEPTH citations of the seeds (both ways) in a local graph built by
explorer import-s2ag, count each one's co-citations and shared references with the seeds and
compute its PageRank personalised on them (as explorer's ranking does), and write them to
OUT/candidates.parquet. The same job runs on Spark (a cluster through spark-submit, or local
mode) and on DuckDB on one machine, with the same numbers. GRAPH may be a path or a URL Spark
reads (s3a://, hdfs://).
"""

EXAMPLES = r"""examples:
  python -m explorer.s2ag.spark --graph ~/s2ag --seeds 13756489 --out results
  python -m explorer.s2ag.spark --graph ~/s2ag --seeds 13756489,1629541 \
      --engine duckdb --out results
  python -m explorer.s2ag.spark --graph ~/s2ag --engine duckdb --out results \
      --seeds 204e3073870fae3d05bcbc2f6a8e263d9b72e776 CorpusId:1629541
  spark-submit --master yarn explorer/s2ag/spark.py --graph s3a://lab/s2ag \
      --seeds 13756489 --out s3a://lab/runs/1
"""


def _seeds(text: str) -> list[Seed]:
    try:
        return [parse_seed(p) for p in filter(None, (p.strip() for p in text.split(",")))]
    except BadInputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m explorer.s2ag.spark``."""
    p = argparse.ArgumentParser(prog="python -m explorer.s2ag.spark", description=HELP,
                                epilog=EXAMPLES,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--graph", required=True, help="folder of the local graph (path or URL)")
    p.add_argument("--seeds", required=True, nargs="+", type=_seeds,
                   help="the seeds: corpus ids (N or CorpusId:N) or S2 paper ids "
                   "(shas); spaces or commas between them")
    p.add_argument("--out", required=True, help="folder the result is written to")
    p.add_argument("--depth", type=int, default=2, help="citations to follow (default 2)")
    p.add_argument("--engine", choices=ENGINES, default="spark",
                   help="spark (default) or duckdb (one machine)")
    p.add_argument("--master", help="Spark master when not run by spark-submit (e.g. local[2])")
    p.add_argument("--iterations", type=int,
                   help="PageRank iterations (default: enough for an L1 error below 1e-13)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the job from the command line; the exit code: 0, or the error's."""
    args = parser().parse_args(argv)
    seeds = [s for group in args.seeds for s in group]
    spark = session(args.engine, args.master)
    try:
        result = analyse(spark, args.graph, seeds, args.depth, iterations=args.iterations)
        target = f"{args.out.rstrip('/')}/{OUTPUT}"
        if "://" not in target:
            Path(args.out).mkdir(parents=True, exist_ok=True)
        result.write.parquet(target, mode="overwrite")
        rows = spark.read.parquet(target).count()
    except ExplorerError as exc:
        print(f"error: {exc.worded({'seeds': '--seeds', 'depth': '--depth'})}", file=sys.stderr)
        return exc.exit_code
    finally:
        spark.stop()
    print(f"{rows} papers around {len(seeds)} seed(s) written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
