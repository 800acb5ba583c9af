"""Ranking quality: the hide-a-paper benchmark against seven published formulas.

Run: ``.venv/bin/python bench/ranking.py [--split validate] [--depth 1|2] [--queries N]``

The protocol of the citation-recommendation literature, on a real citation graph served by the
project's fake Semantic Scholar (in this process, on 127.0.0.1, with the real client):

1. A query is a paper H with at least :data:`MIN_REFERENCES` references in the corpus. H is
   removed from the served graph with all its edges, and the counts of its neighbours
   (``citationCount``, ``referenceCount``) are lowered by those edges, so nothing served
   still knows H.
2. The seeds are 3 of H's references drawn with a fixed RNG; the papers to find are H's other
   references.
3. explorer explores the seeds with a cold store (the walk counts the requests) and ranks what
   it found. Its candidates, the pool, are every paper it found but the seeds.
4. The seven baselines rank the same pool, each with the whole served graph in hand (as the
   services those formulas come from have it), ties broken by citation count:
   citation count (Google Scholar's sort); Local Citation Network (seeds citing p + seeds p
   cites); CoCites (papers citing p together with a seed, summed over seeds); bibliographic
   coupling (references p shares with a seed, summed); Inciteful (Adamic-Adar over the
   undirected graph + the co-citation count); personalised PageRank (undirected, restart on
   the seeds); Connected Papers-like (co-citation + coupling over ``sqrt`` of the degrees).
5. Per query: recall@10/20/50 and nDCG@20 over the papers to find, the reciprocal rank of the
   first one found (MRR), and the pool's recall (how many of them the walk found at all).
   explorer against the best baseline by recall@20: the ratio of means, wins and losses, and
   the Wilcoxon signed-rank test on the paired recall@20 values.

The queries are split into a tuning half and a validation half, fixed in
``bench/ranking_queries.json`` (``--make-split`` writes it from the corpus with a seeded RNG);
weights are fitted on the tuning half only (``bench/fit_ranking.py``). On another corpus, whose
papers the file does not name, the same seeded rule draws the split in memory.

The corpus folder holds ``papers.jsonl`` and ``citations.jsonl``, plain or gzipped
(``../shared/dev-corpus`` by default: the ACL Anthology Network, 16,586 papers).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.stats import wilcoxon

from explorer.fake_s2 import Corpus, FakeS2
from explorer.models import Ranked
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parents[1] / "shared" / "dev-corpus"
SPLIT_FILE = HERE / "ranking_queries.json"
SPLIT_SEED = 13
QUERIES_PER_HALF = 100
MIN_REFERENCES = 8
N_SEEDS = 3
CUTOFFS = (10, 20, 50)
METRICS = ("R@10", "R@20", "R@50", "MRR", "nDCG@20")


# --------------------------------------------------------------------------- the corpus


def _jsonl(base: Path, name: str) -> list[dict[str, Any]]:
    for path, opener in ((base / name, open), (base / f"{name}.gz", gzip.open)):
        if path.exists():
            with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
                return [json.loads(line) for line in handle if line.strip()]
    raise FileNotFoundError(base / name)


@dataclass
class Graph:
    """The corpus as records and a sparse matrix: ``adj[i, j] == 1`` iff paper i cites j."""

    papers: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    ids: list[str]
    pos: dict[str, int]
    adj: sp.csr_array

    @classmethod
    def load(cls, base: Path) -> Graph:
        papers = _jsonl(base, "papers.jsonl")
        ids = [p["paperId"] for p in papers]
        pos = {pid: i for i, pid in enumerate(ids)}
        edges = [e for e in _jsonl(base, "citations.jsonl")
                 if e.get("citingPaperId") in pos and e.get("citedPaperId") in pos]
        rows = np.array([pos[e["citingPaperId"]] for e in edges], np.int64)
        cols = np.array([pos[e["citedPaperId"]] for e in edges], np.int64)
        adj = sp.csr_array((np.ones(len(edges)), (rows, cols)), shape=(len(ids), len(ids)))
        adj.data[:] = 1.0  # a pair listed twice is one citation
        return cls(papers, edges, ids, pos, adj)

    def references(self, i: int) -> list[int]:
        return sorted(self.adj.indices[self.adj.indptr[i]:self.adj.indptr[i + 1]].tolist())

    def without(self, hidden: int) -> tuple[Corpus, sp.csr_array]:
        """The served corpus and matrix with paper ``hidden`` and its edges gone."""
        hid = self.ids[hidden]
        cited = set(self.adj.indices[self.adj.indptr[hidden]:self.adj.indptr[hidden + 1]].tolist())
        citing = set(self.adj.T.tocsr()[[hidden]].indices.tolist())
        papers = []
        for i, raw in enumerate(self.papers):
            if i == hidden:
                continue
            if i in cited or i in citing:
                raw = dict(raw)
                for key, lost in (("citationCount", i in cited), ("referenceCount", i in citing)):
                    if lost and isinstance(raw.get(key), int):
                        raw[key] = max(raw[key] - 1, 0)
            papers.append(raw)
        edges = [e for e in self.edges if hid not in (e["citingPaperId"], e["citedPaperId"])]
        keep = np.ones(len(self.ids))
        keep[hidden] = 0.0
        mask = sp.dia_array((keep[None, :], [0]), shape=(len(keep), len(keep)))
        served = (mask @ self.adj @ mask).tocsr()
        served.eliminate_zeros()
        return Corpus(papers, edges), served


# --------------------------------------------------------------------------- the queries


def eligible(graph: Graph) -> list[str]:
    """Ids of the papers with at least :data:`MIN_REFERENCES` references, in corpus order."""
    out_degree = np.diff(graph.adj.indptr)
    return [graph.ids[i] for i in np.flatnonzero(out_degree >= MIN_REFERENCES).tolist()]


def draw_split(graph: Graph, per_half: int = QUERIES_PER_HALF) -> dict[str, list[str]]:
    """``2 * per_half`` eligible papers drawn with the seeded RNG, halved into tune/validate."""
    pool = sorted(eligible(graph))
    drawn = random.Random(SPLIT_SEED).sample(pool, min(len(pool), 2 * per_half))
    half = len(drawn) // 2
    return {"tune": sorted(drawn[:half]), "validate": sorted(drawn[half:])}


def load_split(graph: Graph) -> tuple[dict[str, list[str]], str]:
    """The fixed split when it names this corpus's papers, else one drawn the same way."""
    if SPLIT_FILE.exists():
        split = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
        named = split["tune"] + split["validate"]
        if named and all(pid in graph.pos for pid in named):
            return {k: split[k] for k in ("tune", "validate")}, SPLIT_FILE.name
    return draw_split(graph), f"drawn with seed {SPLIT_SEED} (the corpus is not the split file's)"


def seeds_and_targets(graph: Graph, hidden: int) -> tuple[list[str], set[str]]:
    """Three of the hidden paper's references (fixed RNG per query) and the others."""
    refs = [graph.ids[j] for j in graph.references(hidden)]
    rng = random.Random(f"{SPLIT_SEED}:{graph.ids[hidden]}")
    seeds = sorted(rng.sample(sorted(refs), N_SEEDS))
    return seeds, set(refs) - set(seeds)


# --------------------------------------------------------------------------- the baselines


def _rows(m: sp.csr_array, idx: np.ndarray) -> np.ndarray:
    """Indicator of ``idx`` as a dense vector the size of ``m``'s side."""
    v = np.zeros(m.shape[0])
    v[idx] = 1.0
    return v


def baseline_scores(adj: sp.csr_array, seeds: np.ndarray) -> dict[str, np.ndarray]:
    """Every baseline's score of every paper of the served graph (``adj``: i cites j)."""
    s = _rows(adj, seeds)
    adj_t = adj.T.tocsr()
    in_deg, out_deg = adj_t @ np.ones(adj.shape[0]), adj @ np.ones(adj.shape[0])
    cited_by_seeds, cites_seeds = adj_t @ s, adj @ s
    cocites = adj_t @ cites_seeds  # sum over seeds of |C(p) & C(s)|
    coupled = adj @ cited_by_seeds  # sum over seeds of |R(p) & R(s)|
    und = ((adj + adj_t) > 0).astype(float).tocsr()
    deg = und @ np.ones(adj.shape[0])
    aa_weight = np.where(deg > 1, 1.0 / np.log(np.maximum(deg, 2.0)), 0.0)
    adamic_adar = und @ (aa_weight * (und @ s))
    size = in_deg + out_deg
    cp = np.zeros(adj.shape[0])
    for k in seeds.tolist():
        one = np.zeros(adj.shape[0])
        one[k] = 1.0
        shared = adj_t @ (adj @ one) + adj @ (adj_t @ one)
        cp += np.divide(shared, np.sqrt(size * size[k]), out=np.zeros_like(shared),
                        where=size * size[k] > 0)
    return {
        "citation count": in_deg,
        "Local Citation Network": cited_by_seeds + cites_seeds,
        "CoCites": cocites,
        "bibliographic coupling": coupled,
        "Inciteful (Adamic-Adar + co-citation)": adamic_adar + cocites,
        "personalised PageRank": _ppr(und, deg, s),
        "Connected Papers-like": cp,
    }


def _ppr(und: sp.csr_array, deg: np.ndarray, restart_on: np.ndarray, alpha: float = 0.85
         ) -> np.ndarray:
    restart = restart_on / restart_on.sum()
    inv = np.divide(1.0, deg, out=np.zeros_like(deg), where=deg > 0)
    dangling = deg == 0
    x = restart.copy()
    for _ in range(200):
        nxt = alpha * (und @ (x * inv) + x[dangling].sum() * restart) + (1 - alpha) * restart
        if np.abs(nxt - x).sum() < 1e-9:
            return nxt
        x = nxt
    return x


def order_pool(score: np.ndarray, citations: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """The pool by score, then citation count, then corpus position."""
    return pool[np.lexsort((pool, -citations[pool], -score[pool]))]


# --------------------------------------------------------------------------- metrics


def metrics(ranked: Sequence[str], targets: set[str]) -> dict[str, float]:
    hits = [pid in targets for pid in ranked]
    out = {f"R@{k}": sum(hits[:k]) / len(targets) for k in CUTOFFS}
    first = next((i for i, hit in enumerate(hits) if hit), None)
    out["MRR"] = 0.0 if first is None else 1.0 / (first + 1)
    dcg = sum(1.0 / math.log2(i + 2) for i, hit in enumerate(hits[:20]) if hit)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(20, len(targets))))
    out["nDCG@20"] = dcg / ideal
    out["pool"] = len(targets & set(ranked)) / len(targets)
    return out


# --------------------------------------------------------------------------- one query


@dataclass
class QueryResult:
    hidden: str
    seeds: list[str]
    targets: set[str]
    ranked: list[Ranked]  # explorer's ranking, seeds removed
    requests: int
    scores: dict[str, dict[str, float]]  # method -> metrics


def run_query(
    graph: Graph,
    fake: FakeS2,
    hidden_id: str,
    options: ExploreOptions,
    rank_with: Callable[..., Any] = explore,
    rerank: Callable[[Store, Any], dict[str, list[Ranked]]] | None = None,
) -> QueryResult:
    hidden = graph.pos[hidden_id]
    seeds, targets = seeds_and_targets(graph, hidden)
    corpus, served = graph.without(hidden)
    fake.corpus = corpus
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite")
        client = S2Client(fake.url, min_interval=0, max_retries=0)
        fake.reset()
        try:
            result = rank_with(seeds, options, store=store, client=client)
            variants = rerank(store, result) if rerank is not None else {}
        finally:
            client.close()
            store.close()
        requests = fake.count()
    ranked = [r for r in result.ranked if r.relation != "seed"]
    ranked_ids = [r.paper.paper_id for r in ranked]
    pool = np.array([graph.pos[pid] for pid in ranked_ids], np.int64)
    seed_pos = np.array([graph.pos[s] for s in seeds], np.int64)
    citations = served.T @ np.ones(served.shape[0])
    scores = {"explorer": metrics(ranked_ids, targets)}
    for name, other in variants.items():
        scores[name] = metrics([r.paper.paper_id for r in other], targets)
    for name, score in baseline_scores(served, seed_pos).items():
        order = order_pool(score, citations, pool)
        scores[name] = metrics([graph.ids[i] for i in order.tolist()], targets)
    return QueryResult(hidden_id, seeds, targets, ranked, requests, scores)


def run_queries(graph: Graph, queries: Sequence[str], options: ExploreOptions,
                progress: bool = True,
                rerank: Callable[[Store, Any], dict[str, list[Ranked]]] | None = None,
                ) -> Iterator[QueryResult]:
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    with FakeS2(corpus=Corpus()) as fake:
        for n, hidden_id in enumerate(queries, start=1):
            result = run_query(graph, fake, hidden_id, options, rerank=rerank)
            if progress:
                print(f"\r{n}/{len(queries)} queries", end="", file=sys.stderr, flush=True)
            yield result
    if progress:
        print(file=sys.stderr)


# --------------------------------------------------------------------------- the table


def summarise(results: Sequence[QueryResult]) -> dict[str, Any]:
    methods = list(results[0].scores)
    mean = {m: {k: float(np.mean([r.scores[m][k] for r in results])) for k in METRICS}
            for m in methods}
    baselines = [m for m in methods if not m.startswith("explorer")]
    best = max(baselines, key=lambda m: mean[m]["R@20"])
    ours = np.array([r.scores["explorer"]["R@20"] for r in results])
    theirs = np.array([r.scores[best]["R@20"] for r in results])
    diff = ours - theirs
    p = float(wilcoxon(ours, theirs).pvalue) if np.any(diff != 0) else 1.0
    return {
        "mean": mean,
        "best": best,
        "ratio": mean["explorer"]["R@20"] / mean[best]["R@20"] if mean[best]["R@20"] else
        math.inf,
        "wins": int((diff > 0).sum()),
        "losses": int((diff < 0).sum()),
        "p": p,
        "pool": float(np.mean([r.scores["explorer"]["pool"] for r in results])),
        "requests": float(np.mean([r.requests for r in results])),
        "pool_size": float(np.mean([len(r.ranked) for r in results])),
        "queries": len(results),
        "variants": {m: paired(results, m, "explorer") for m in methods
                     if m.startswith("explorer ")},
    }


def paired(results: Sequence[QueryResult], ours: str, theirs: str) -> str:
    """``ours`` against ``theirs`` on R@20: the ratio of means, wins, losses, Wilcoxon p."""
    a = np.array([r.scores[ours]["R@20"] for r in results])
    b = np.array([r.scores[theirs]["R@20"] for r in results])
    p = float(wilcoxon(a, b).pvalue) if np.any(a != b) else 1.0
    ratio = a.mean() / b.mean() if b.mean() else math.inf
    return (f"{ours} / {theirs} on R@20: {ratio:.3f}x; {int((a > b).sum())} wins, "
            f"{int((a < b).sum())} losses; Wilcoxon signed-rank p = {p:.2g}")


def table(summary: dict[str, Any], label: str) -> str:
    mean = summary["mean"]
    lines = [
        f"{label}: {summary['queries']} queries; pool recall {summary['pool']:.3f}, "
        f"{summary['pool_size']:.0f} candidates and {summary['requests']:.1f} requests a query",
        "",
        "| method | " + " | ".join(METRICS) + " |",
        "|---|" + "---:|" * len(METRICS),
    ]
    for method, row in sorted(mean.items(), key=lambda kv: -kv[1]["R@20"]):
        lines.append(f"| {method} | " + " | ".join(f"{row[k]:.3f}" for k in METRICS) + " |")
    lines += [
        "",
        f"explorer / best baseline ({summary['best']}) on R@20: {summary['ratio']:.2f}x; "
        f"{summary['wins']} wins, {summary['losses']} losses; "
        f"Wilcoxon signed-rank p = {summary['p']:.2g}",
        *summary.get("variants", {}).values(),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--split", choices=("tune", "validate"), default="validate")
    parser.add_argument("--depth", type=int, default=None,
                        help="walk depth (default: explorer's default)")
    parser.add_argument("--queries", type=int, default=None, help="only the first N queries")
    parser.add_argument("--no-neighbour-citers", action="store_true",
                        help="depth 2 without the citers of the neighbours")
    parser.add_argument("--semantic", metavar="W,...",
                        help="also rank each walk with the semantic component at these weights"
                             " (W-text: without TF-IDF), on stand-in title vectors "
                             "(bench/semantic_standin.py)")
    parser.add_argument("--make-split", action="store_true",
                        help=f"draw the split from the corpus and write {SPLIT_FILE.name}")
    args = parser.parse_args(argv)
    try:
        graph = Graph.load(args.corpus)
    except FileNotFoundError as exc:
        print(f"no corpus at {args.corpus}: {exc.filename} is missing", file=sys.stderr)
        return 2
    if args.make_split:
        split = draw_split(graph)
        SPLIT_FILE.write_text(json.dumps({
            "about": f"hide-a-paper queries of bench/ranking.py: papers with >= {MIN_REFERENCES}"
                     f" references, {2 * QUERIES_PER_HALF} drawn with random.Random("
                     f"{SPLIT_SEED}), halved; fit on tune, report validate",
            **split}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {SPLIT_FILE}")
        return 0
    split, source = load_split(graph)
    queries = split[args.split][: args.queries]
    options = ExploreOptions(
        depth=ExploreOptions.depth if args.depth is None else args.depth,
        neighbour_citers=not args.no_neighbour_citers)
    start = time.perf_counter()
    rerank = None
    if args.semantic:
        from semantic_standin import reranker, stand_in_vectors  # next to this file

        rerank = reranker(stand_in_vectors(graph.papers), args.semantic.split(","))
    results = list(run_queries(graph, queries, options, rerank=rerank))
    citers = "" if options.depth < 2 else (
        " with the neighbours' citers" if options.neighbour_citers else " without their citers")
    label = (f"{args.split} half ({source}), depth {options.depth}{citers}"
             f"{' (the default)' if options == ExploreOptions() else ''}")
    print(table(summarise(results), label))
    print(f"\n{time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
