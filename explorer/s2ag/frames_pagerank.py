"""Personalised PageRank over a DataFrame of citations, as explorer's ranking defines it.

The definition is :func:`explorer.analysis.rank.personalized_pagerank`'s: the citation graph
taken undirected (a mutual citation is one edge), restarting uniformly on the seeds with
probability ``1 - alpha``, a paper without links (dangling) jumping to the seeds, power
iteration from the uniform vector. Written against the PySpark DataFrame API like
:mod:`explorer.s2ag.frames`; each iteration is a join and a sum over the edges.

Instead of testing the change after every iteration (one more pass over the data each time),
the number of iterations is fixed in advance by the contraction bound: the L1 distance to the
fixed point shrinks by ``alpha`` per iteration from at most 2, so ``iterations_for(tol)``
iterations leave less than ``tol``.
"""

from __future__ import annotations

import math

from explorer.errors import BadInputError
from explorer.s2ag.frames import DataFrame, functions_of, materialize

__all__ = ["ALPHA", "CHECKPOINT_EVERY", "TOLERANCE", "iterations_for", "pagerank"]

ALPHA = 0.85
"""Probability of following a link rather than restarting (the ranking's)."""

CHECKPOINT_EVERY = 10
"""Iterations planned together before the vector is materialized (one job each on Spark)."""

TOLERANCE = 1e-13
"""Default bound on the L1 distance of the result to the exact PageRank."""


def iterations_for(tol: float, alpha: float = ALPHA) -> int:
    """Power iterations that bring the L1 error below ``tol``: ``2 * alpha ** k < tol``.

    Examples
    --------
    >>> iterations_for(1e-13)
    189
    """
    if not 0.0 < alpha < 1.0:
        raise BadInputError(f"{{alpha}} must lie between 0 and 1, not {alpha}",
                            parameter="alpha", value=alpha)
    if not 0.0 < tol < 2.0:
        raise BadInputError(f"{{tol}} must lie between 0 and 2, not {tol}",
                            parameter="tol", value=tol)
    return math.ceil(math.log(tol / 2.0) / math.log(alpha))


def pagerank(edges: DataFrame, nodes: DataFrame, seeds: DataFrame, *, alpha: float = ALPHA,
             iterations: int | None = None) -> DataFrame:
    """PageRank of every paper of ``nodes``, personalised on the seeds, undirected.

    Parameters
    ----------
    edges : DataFrame
        Citations (``citing``, ``cited``) between papers of ``nodes``.
    nodes : DataFrame
        Column ``node``: every paper of the graph, linked or not.
    seeds : DataFrame
        Column ``node``: the seeds; those outside ``nodes`` are ignored. Without any, the
        restart is uniform (plain PageRank).
    alpha : float
        Probability of following a link rather than restarting.
    iterations : int, optional
        Power iterations; default :func:`iterations_for` (:data:`TOLERANCE`).

    Returns
    -------
    DataFrame
        Columns ``node`` and ``pagerank`` (DOUBLE, summing to 1).
    """
    f = functions_of(edges)
    steps = iterations if iterations is not None else iterations_for(TOLERANCE, alpha)
    every = materialize(nodes.select("node").distinct())
    n = every.count()
    if n == 0:
        return every.withColumn("pagerank", f.lit(0.0).cast("double"))
    inside = seeds.select("node").distinct().join(every, "node", "left_semi")
    k = inside.count()
    restart = (inside if k else every).withColumn("r", f.lit(1.0 / (k or n)))
    links = edges.select(f.col("citing").alias("src"), f.col("cited").alias("dst"))
    links = links.union(links.select(f.col("dst").alias("src"), f.col("src").alias("dst")))
    links = links.where(links["src"] != links["dst"]).distinct()
    degree = links.groupBy("src").agg(f.count(f.lit(1)).alias("degree"))
    walk = links.join(degree, "src").select("src", "dst", (1.0 / f.col("degree")).alias("w"))
    dangling = every.join(degree.withColumnRenamed("src", "node"), "node", "left_anti")
    jumps = dangling.select(f.col("node").alias("src")).crossJoin(
        restart.select(f.col("node").alias("dst"), f.col("r").alias("w")))
    moves = materialize(walk.union(jumps))
    stay = restart.select("node", ((1.0 - alpha) * f.col("r")).alias("share"))
    x = every.withColumn("pagerank", f.lit(1.0 / n))
    for step in range(1, steps + 1):
        spread = moves.join(x.withColumnRenamed("node", "src"), "src").select(
            f.col("dst").alias("node"), (alpha * f.col("w") * f.col("pagerank")).alias("share"))
        x = spread.union(stay).groupBy("node").agg(f.sum("share").alias("pagerank"))
        if step % CHECKPOINT_EVERY == 0:
            x = materialize(x)
    out = every.join(x, "node", "left")
    return out.select("node", f.coalesce(out["pagerank"], f.lit(0.0)).alias("pagerank"))
