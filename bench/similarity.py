"""Similarity map + clusters on synthetic citation graphs of 1k, 10k and 50k papers.

Run: ``.venv/bin/python bench/similarity.py [sizes...]``. The graph grows by preferential
attachment (each paper cites ~20 earlier ones, popular ones more often, mostly within its
topic), so citation counts are heavy-tailed like real ones. Target: 10k papers in under 5 s
(similarity + clustering).
"""

from __future__ import annotations

import sys
import time

import networkx as nx
import numpy as np

from explorer.analysis.clusters import communities
from explorer.analysis.similarity import similarity_graph, similarity_layout
from explorer.models import Paper

TARGET_10K = 5.0


def synthetic(n: int, refs: int = 20, topics: int = 20, seed: int = 0) -> nx.DiGraph:
    """``n`` papers; paper i cites ~``refs`` earlier papers, 80% in its own topic, chosen with
    probability growing with their citations so far."""
    rng = np.random.default_rng(seed)
    topic = rng.integers(0, topics, n)
    weight = np.ones(n)
    g = nx.DiGraph()
    g.add_nodes_from(
        (f"p{i}", {"paper": Paper(f"p{i}", title=f"topic{topic[i]}", year=1990 + i * 35 // n)})
        for i in range(n)
    )
    by_topic: list[list[int]] = [[] for _ in range(topics)]
    for i in range(n):
        if i:
            k = min(i, int(rng.poisson(refs)))
            own = by_topic[topic[i]]
            pool = np.array(own if own and rng.random() < 0.8 else range(i))
            p = weight[pool] / weight[pool].sum()
            chosen = rng.choice(pool, size=min(k, pool.size), replace=False, p=p)
            g.add_edges_from((f"p{i}", f"p{j}") for j in chosen.tolist())
            weight[chosen] += 1.0
        by_topic[topic[i]].append(i)
    return g


def main(sizes: list[int]) -> int:
    print(f"{'papers':>7} {'citations':>9} {'sim edges':>9} {'similarity s':>12} "
          f"{'clusters':>8} {'louvain s':>9} {'total s':>7} {'layout s':>8}")
    status = 0
    for n in sizes:
        g = synthetic(n)
        t0 = time.perf_counter()
        sim = similarity_graph(g)
        t1 = time.perf_counter()
        groups = communities(sim)
        t2 = time.perf_counter()
        similarity_layout(sim, groups)
        t3 = time.perf_counter()
        total = t2 - t0
        print(f"{n:>7,} {g.number_of_edges():>9,} {sim.number_of_edges():>9,} {t1 - t0:>12.2f} "
              f"{len(groups):>8,} {t2 - t1:>9.2f} {total:>7.2f} {t3 - t2:>8.2f}")
        if n == 10_000:
            verdict = "ok" if total < TARGET_10K else "TOO SLOW"
            print(f"         10k papers: {total:.2f} s = {total / TARGET_10K:.0%} of the "
                  f"{TARGET_10K:.0f} s target ({verdict})")
            status = int(total >= TARGET_10K)
    return status


if __name__ == "__main__":
    sys.exit(main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000]))
