"""Neighbourhood and co-citation counts over the bulk citation graph, as DataFrame plans.

Written once against the PySpark DataFrame API, so that the same functions run on Spark (a
cluster, or local mode) and on DuckDB's PySpark-compatible API (one machine). They take and
return DataFrames and never collect a graph to the driver; the only engine-specific step is
:func:`materialize`. Edge frames have columns ``citing`` and ``cited`` (corpus ids, BIGINT),
one row per citation; node frames have a column ``node``.

The counts are explorer's own (:mod:`explorer.analysis.evidence`, :mod:`explorer.analysis.rank`)
on the graph induced by the neighbourhood, seeds weighing 1. ``C(x)`` and ``R(x)`` are x's
citers and references inside the neighbourhood:

================  =================================================================
column            value for paper p
================  =================================================================
cited_by_seeds    seeds citing p
cites_seeds       seeds p cites
cocited           sum over seeds s != p of ``|C(p) & C(s)|`` (evidence's ``cocited``)
cocitation_count  papers citing p and at least one seed s != p (rank's count)
coupled           sum over seeds s != p of ``|R(p) & R(s)|`` (evidence's ``coupled``)
coupling_count    references of p cited by at least one seed s != p (rank's count)
================  =================================================================
"""

from __future__ import annotations

from typing import Any

__all__ = ["COUNTS", "counts", "functions_of", "induced_edges", "materialize", "neighbourhood"]

COUNTS = ("cited_by_seeds", "cites_seeds", "cocited", "cocitation_count", "coupled",
          "coupling_count")
"""The count columns :func:`counts` adds, in order."""

DataFrame = Any
"""A pyspark.sql.DataFrame, or DuckDB's look-alike (neither is imported by the package)."""


def functions_of(df: DataFrame) -> Any:
    """The ``functions`` module of the engine ``df`` belongs to."""
    from importlib import import_module

    if type(df).__module__.startswith("duckdb"):
        return import_module("duckdb.experimental.spark.sql.functions")
    return import_module("pyspark.sql.functions")


def materialize(df: DataFrame) -> DataFrame:
    """``df`` computed once and kept, so that loops do not grow an ever longer plan.

    Spark cuts the lineage with a local checkpoint (kept on the executors); DuckDB's frames
    have none and keep a materialized copy instead.
    """
    checkpoint = getattr(df, "localCheckpoint", None)
    return checkpoint() if checkpoint is not None else df.cache()


def _as(nodes: DataFrame, name: str) -> DataFrame:
    """The ``node`` column of ``nodes`` under another name, to join on by name."""
    return nodes.select(nodes["node"].alias(name))


def neighbourhood(by_citing: DataFrame, by_cited: DataFrame, seeds: DataFrame,
                  depth: int) -> DataFrame:
    """Papers within ``depth`` citations of the seeds, following citations both ways.

    Parameters
    ----------
    by_citing, by_cited : DataFrame
        The citations (``citing``, ``cited``), the first sorted by citing paper, the second by
        cited paper (the two files of the local graph; either order gives the same result).
    seeds : DataFrame
        Column ``node``: the seeds' corpus ids.
    depth : int
        Hops from the seeds (0: the seeds alone).

    Returns
    -------
    DataFrame
        Columns ``node`` and ``hops`` (0 for a seed), one row per paper.
    """
    f = functions_of(seeds)
    visited = seeds.select("node").distinct().withColumn("hops", f.lit(0))
    frontier = visited.select("node")
    for hop in range(1, depth + 1):
        references = by_citing.join(_as(frontier, "citing"), "citing", "left_semi")
        citers = by_cited.join(_as(frontier, "cited"), "cited", "left_semi")
        reached = references.select(f.col("cited").alias("node")).union(
            citers.select(f.col("citing").alias("node"))).distinct()
        new = materialize(reached.join(visited, "node", "left_anti").withColumn("hops", f.lit(hop)))
        visited = visited.union(new)
        frontier = new.select("node")
    return visited


def induced_edges(edges: DataFrame, nodes: DataFrame) -> DataFrame:
    """The citations between two papers of ``nodes`` (self citations left out)."""
    out = edges.select("citing", "cited").where(edges["citing"] != edges["cited"]).distinct()
    out = out.join(_as(nodes, "citing"), "citing", "left_semi")
    return out.join(_as(nodes, "cited"), "cited", "left_semi")


def _pairs(edges: DataFrame, seeds: DataFrame, shared: str, end: str) -> DataFrame:
    """Rows (p, x, seed) for each x with edges x-p and x-seed on the same side, seed != p.

    ``shared`` names the column x sits in (``citing`` for co-citation: x cites both),
    ``end`` the other one (where p and the seed sit).
    """
    f = functions_of(edges)
    mine = edges.select(f.col(shared).alias("x"), f.col(end).alias("p"))
    theirs = edges.select(f.col(shared).alias("x"), f.col(end).alias("seed"))
    theirs = theirs.join(_as(seeds, "seed"), "seed", "left_semi")
    joined = mine.join(theirs, "x")
    return joined.where(joined["p"] != joined["seed"]).select("p", "x", "seed")


def _overlap(edges: DataFrame, seeds: DataFrame, shared: str, end: str,
             total: str, distinct: str) -> DataFrame:
    f = functions_of(edges)
    pairs = _pairs(edges, seeds, shared, end)
    summed = pairs.groupBy("p").agg(f.count(f.lit(1)).alias(total))
    once = pairs.select("p", "x").distinct().groupBy("p").agg(f.count(f.lit(1)).alias(distinct))
    return summed.join(once, "p")


def _seed_links(edges: DataFrame, seeds: DataFrame, seed_side: str, other: str,
                name: str) -> DataFrame:
    f = functions_of(edges)
    linked = edges.join(_as(seeds, seed_side), seed_side, "left_semi")
    return linked.groupBy(f.col(other).alias("p")).agg(f.count(f.lit(1)).alias(name))


def counts(edges: DataFrame, nodes: DataFrame, seeds: DataFrame) -> DataFrame:
    """Every paper of ``nodes`` with its links to the seeds (the module docstring's table).

    Parameters
    ----------
    edges : DataFrame
        Citations inside the neighbourhood (:func:`induced_edges`), without duplicates.
    nodes : DataFrame
        Column ``node`` (and any others, kept): the papers to count for.
    seeds : DataFrame
        Column ``node``: the seeds.

    Returns
    -------
    DataFrame
        ``nodes`` with ``is_seed`` and the :data:`COUNTS` columns (BIGINT, 0 when none).
    """
    f = functions_of(edges)
    parts = [
        _seed_links(edges, seeds, "citing", "cited", "cited_by_seeds"),
        _seed_links(edges, seeds, "cited", "citing", "cites_seeds"),
        _overlap(edges, seeds, "citing", "cited", "cocited", "cocitation_count"),
        _overlap(edges, seeds, "cited", "citing", "coupled", "coupling_count"),
    ]
    marked = seeds.select("node").distinct().withColumn("is_seed", f.lit(True))
    out = nodes.join(marked, "node", "left")
    out = out.withColumn("is_seed", f.coalesce(out["is_seed"], f.lit(False)))
    for part in parts:
        part = part.withColumnRenamed("p", "node")
        out = out.join(part, "node", "left")
    return out.select(*[c for c in out.columns if c not in COUNTS],
                      *[f.coalesce(f.col(c), f.lit(0)).cast("bigint").alias(c) for c in COUNTS])
