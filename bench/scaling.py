"""Graph building and ranking on synthetic citation graphs of 10k, 100k and 1M edges.

Run: ``.venv/bin/python bench/scaling.py [--sizes 10000 100000 1000000]``

Each measurement runs in a fresh subprocess, so its peak memory (``ru_maxrss``) is its own:

- explorer: :func:`explorer.graph.build_graph` then :func:`explorer.analysis.rank.rank` (every
  component: seed links, co-citation, coupling, personalised PageRank, counts, recency,
  reasons), seeds = the three most cited papers;
- networkx: the same computation written plainly: a DiGraph, ``nx.pagerank`` on the
  undirected graph personalised on the seeds, and per-candidate set intersections with each
  seed for co-citation and coupling (Salton), then the weighted sum.

The graph: n = edges / 5 papers, each citing earlier papers, skewed towards the oldest (a
heavy-tailed in-degree like real citations), seeded RNG. Goal: 100k edges ranked in < 1 s.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

SIZES = (10_000, 100_000, 1_000_000)


def synthetic(edges: int, seed: int = 42) -> tuple[list[str], list[int], list[tuple[str, str]]]:
    """(ids, years, citing->cited pairs) of a random citation graph with ``edges`` edges."""
    rng = np.random.default_rng(seed)
    n = max(10, edges // 5)
    citing = rng.integers(1, n, size=int(edges * 1.15))
    cited = (citing * rng.random(citing.size) ** 2).astype(np.int64)
    pairs = np.unique(np.stack([citing, cited], axis=1), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    pairs = pairs[rng.permutation(len(pairs))[:edges]]
    ids = [f"{i:040x}" for i in range(n)]
    years = (1950 + 75 * np.arange(n) / n).astype(int).tolist()
    return ids, years, [(ids[a], ids[b]) for a, b in pairs.tolist()]


def top_cited(pairs: list[tuple[str, str]], k: int = 3) -> list[str]:
    counts: dict[str, int] = {}
    for _, cited in pairs:
        counts[cited] = counts.get(cited, 0) + 1
    return sorted(counts, key=lambda p: (-counts[p], p))[:k]


def run_explorer(ids: list[str], years: list[int], pairs: list[tuple[str, str]],
                 seeds: list[str]) -> dict[str, float]:
    from explorer.analysis.rank import rank
    from explorer.graph import build_graph
    from explorer.models import Edge, Paper

    papers = {p: Paper(p, title=f"Paper {i}", year=y) for i, (p, y) in
              enumerate(zip(ids, years, strict=True))}
    edges = [Edge(a, b) for a, b in pairs]
    # scikit-learn (the title similarity) is imported once per process, on the first ranking
    # that has titles; that one-time cost is measured apart from the ranking.
    t_import = time.perf_counter()
    import sklearn.feature_extraction.text  # noqa: F401
    import_s = time.perf_counter() - t_import
    t0 = time.perf_counter()
    g = build_graph(papers, edges)
    t1 = time.perf_counter()
    ranked = rank(g, seeds, current_year=2025)
    t2 = time.perf_counter()
    print(f"  (scikit-learn imported in {import_s:.2f} s, once per process)", file=sys.stderr)
    return {"build_s": t1 - t0, "rank_s": t2 - t1, "ranked": len(ranked)}


def run_networkx(ids: list[str], years: list[int], pairs: list[tuple[str, str]],
                 seeds: list[str]) -> dict[str, float]:
    t0 = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from((p, {"year": y}) for p, y in zip(ids, years, strict=True))
    g.add_edges_from(pairs)
    t1 = time.perf_counter()
    pr = nx.pagerank(g.to_undirected(as_view=True), alpha=0.85,
                     personalization={s: 1.0 for s in seeds})
    citers = {p: set(g.predecessors(p)) for p in g}
    refs = {p: set(g.successors(p)) for p in g}

    def salton(sets: dict[str, set[str]], p: str) -> float:
        best = 0.0
        for s in seeds:
            if sets[p] and sets[s]:
                best = max(best, len(sets[p] & sets[s]) / math.sqrt(len(sets[p]) * len(sets[s])))
        return best

    scores = {}
    for p in g:
        if p in seeds:
            continue
        links = sum(s in citers[p] for s in seeds) + sum(s in refs[p] for s in seeds)
        scores[p] = (0.3 * links + 0.15 * salton(citers, p) + 0.15 * salton(refs, p)
                     + 0.2 * pr[p] + 0.1 * math.log1p(len(citers[p]))
                     + 0.05 * 2 ** (-(2025 - g.nodes[p]["year"]) / 5))
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    t2 = time.perf_counter()
    return {"build_s": t1 - t0, "rank_s": t2 - t1, "ranked": len(ranked)}


def one(method: str, edges: int) -> None:
    """Measure one method on one size; print a JSON line (run in a fresh process)."""
    ids, years, pairs = synthetic(edges)
    seeds = top_cited(pairs)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = (run_explorer if method == "explorer" else run_networkx)(ids, years, pairs, seeds)
    out.update(edges=len(pairs), nodes=len(ids),
               peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
               input_mb=base_rss / 1024)
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--one", nargs=2, metavar=("METHOD", "EDGES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one[0], int(args.one[1]))
        return
    head = (f"{'edges':>9} {'nodes':>7}  {'method':<9} {'build s':>8} {'rank s':>8} "
            f"{'total s':>8} {'peak MB':>8} {'input MB':>8}  {'vs networkx':>11}")
    print(head)
    print("-" * len(head))
    for edges in args.sizes:
        got = {}
        for method in ("explorer", "networkx"):
            res = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--one",
                                  method, str(edges)], capture_output=True, text=True,
                                 timeout=3600)
            if res.returncode != 0:
                print(f"{edges:>9} {'':>7}  {method:<9} failed: "
                      f"{res.stderr.strip().splitlines()[-1:]}")
                continue
            got[method] = r = json.loads(res.stdout.strip().splitlines()[-1])
            total = r["build_s"] + r["rank_s"]
            ratio = ""
            if method == "networkx" and "explorer" in got:
                e = got["explorer"]
                ratio = f"{total / (e['build_s'] + e['rank_s']):>10.1f}x"
            print(f"{r['edges']:>9} {r['nodes']:>7}  {method:<9} {r['build_s']:>8.2f} "
                  f"{r['rank_s']:>8.2f} {total:>8.2f} {r['peak_mb']:>8.0f} "
                  f"{r['input_mb']:>8.0f}  {ratio:>11}")
    print("\npeak MB: the process's peak resident memory; input MB: before building (the "
          "synthetic edge list and interpreter). vs networkx: its total time / explorer's.")


if __name__ == "__main__":
    main()
