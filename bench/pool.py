"""Which walk gives the ranking the best pool per request: walk variants screened on the
hide-a-paper queries of ``bench/ranking.py``.

Run: ``.venv/bin/python bench/pool.py [--split tune] [--variants default,trim,...] [--queries N]``

Each variant's walk is replayed on the served matrix of one query (the hidden paper and its
edges gone, as in ``bench/ranking.py``): the papers and links the walk would fetch, and its
requests counted as :mod:`explorer.walk` sends them (one batch for the seeds, one page per
1000 references or citers of each seed, one batch per 500 ids of each later step). The graph
it holds, with the fields each kind of paper carries, is ranked by explorer's
:func:`~explorer.analysis.rank.rank` and scored against the seven baselines on the same pool.
This skips the fake server, so a variant costs seconds a query instead of a new walker: a
screen, whose ``default`` row matches ``bench/ranking.py``'s (tuning half: pool recall 0.888
here against 0.883, R@20 0.401 against 0.397); a variant worth keeping is then measured by
``bench/ranking.py`` itself.

Variants (N1 = the seeds' references and citers):

=============  ==========================================================================
default        the references and the citers of N1 (explorer's default walk)
depth1         no second step
no-citers      the references of N1 only
ref-citers     the references of N1, and the citers of the seeds' references only
cap100         the default with at most 100 citers per neighbour (S2 embeds up to 1000)
trim           the default, less the second-order papers with a single link
trim-citers    the default, less the second-order papers whose single link cites N1
adaptive       the default, then the references and citers of the 500 second-order papers
               with the most links (two more batches)
adaptive-refs  the same, their references only (one more batch)
=============  ==========================================================================
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import ranking  # next to this file
import scipy.sparse as sp
from scipy.stats import wilcoxon

from explorer.analysis.rank import rank
from explorer.graph import EMBEDDED_FIELDS, build_graph
from explorer.models import Edge, Paper
from explorer.sources.s2 import PAPER_FIELDS, SEED_FIELDS

PAGE, BATCH, EMBEDDED_CAP, ADAPTIVE = 1000, 500, 1000, 500
VARIANTS = ("default", "depth1", "no-citers", "ref-citers", "cap100", "trim", "trim-citers",
            "adaptive", "adaptive-refs")


@dataclass
class Walk:
    """What one variant's walk holds: links (citing, cited), first-order papers, requests."""

    served: sp.csr_array
    seeds: list[int]
    links: set[tuple[int, int]] = field(default_factory=set)
    first: set[int] = field(default_factory=set)
    requests: int = 1  # the seeds' batch lookup

    def __post_init__(self) -> None:
        self.cited_by = self.served.T.tocsr()
        self.seed_refs: set[int] = set()
        for s in self.seeds:
            refs, citers = self.refs(s), self.citers(s)
            self.requests += max(1, math.ceil(len(refs) / PAGE)) + max(
                1, math.ceil(len(citers) / PAGE))
            self.seed_refs.update(refs)
            self.links.update((s, j) for j in refs)
            self.links.update((j, s) for j in citers)
            self.first.update(refs + citers)
        self.first -= set(self.seeds)

    def refs(self, i: int) -> list[int]:
        m = self.served
        return m.indices[m.indptr[i]:m.indptr[i + 1]].tolist()

    def citers(self, i: int) -> list[int]:
        m = self.cited_by
        return m.indices[m.indptr[i]:m.indptr[i + 1]].tolist()

    def fetch(self, ids: set[int], kind: str, cap: int = EMBEDDED_CAP) -> None:
        """One batch per :data:`BATCH` ids, each embedding up to ``cap`` links of ``kind``."""
        self.requests += math.ceil(len(ids) / BATCH)
        for i in sorted(ids):
            if kind == "references":
                self.links.update((i, j) for j in self.refs(i)[:cap])
            else:
                self.links.update((j, i) for j in self.citers(i)[:cap])

    def second_order_links(self) -> dict[int, int]:
        """Links per paper that is neither a seed nor first-order."""
        inner = set(self.seeds) | self.first
        count: dict[int, int] = {}
        for link in self.links:
            for end in link:
                if end not in inner:
                    count[end] = count.get(end, 0) + 1
        return count

    def trim(self, keep: Callable[[int, tuple[int, int]], bool]) -> None:
        """Drop second-order papers with one link, unless ``keep(paper, link)``."""
        single = {p for p, k in self.second_order_links().items() if k == 1}
        only = {end: link for link in self.links for end in link if end in single}
        drop = {p for p, link in only.items() if not keep(p, link)}
        self.links = {link for link in self.links if not (set(link) & drop)}


def walk(served: sp.csr_array, seeds: list[int], variant: str) -> Walk:
    w = Walk(served, seeds)
    if variant == "depth1":
        return w
    w.fetch(w.first, "references")
    if variant == "no-citers":
        return w
    if variant == "ref-citers":
        w.fetch(w.seed_refs - set(seeds), "citations")
        return w
    w.fetch(w.first, "citations", 100 if variant == "cap100" else EMBEDDED_CAP)
    if variant == "trim":
        w.trim(lambda p, link: False)
    elif variant == "trim-citers":
        w.trim(lambda p, link: link[1] == p)  # keep a paper cited by N1, drop a lone citer
    elif variant.startswith("adaptive"):
        count = w.second_order_links()
        best = set(sorted(count, key=lambda p: (-count[p], p))[:ADAPTIVE])
        w.fetch(best, "references")
        if variant == "adaptive":
            w.fetch(best, "citations")
    elif variant not in ("default", "cap100"):
        raise ValueError(f"unknown variant {variant!r}: use {', '.join(VARIANTS)}")
    return w


def ranked_ids(graph: ranking.Graph, w: Walk) -> list[str]:
    """explorer's ranking of what ``w`` holds, each paper with the fields its walk fetched."""
    fields = {kind: frozenset(f) | {"paperId"} for kind, f in
              (("seed", SEED_FIELDS), ("first", PAPER_FIELDS), ("second", EMBEDDED_FIELDS))}
    nodes = set(w.seeds) | w.first | {end for link in w.links for end in link}
    papers = {}
    for i in nodes:
        kind = "seed" if i in w.seeds else "first" if i in w.first else "second"
        raw = graph.papers[i]
        papers[graph.ids[i]] = Paper.from_s2({k: v for k, v in raw.items() if k in fields[kind]})
    edges = [Edge(graph.ids[a], graph.ids[b]) for a, b in sorted(w.links)]
    seeds = [graph.ids[s] for s in w.seeds]
    return [r.paper.paper_id for r in rank(build_graph(papers, edges), seeds)
            if r.relation != "seed"]


def screen(graph: ranking.Graph, queries: Sequence[str], variants: Sequence[str]
           ) -> dict[str, list[tuple[dict[str, float], int, int, dict[str, float]]]]:
    """Per variant and query: explorer's metrics, requests, pool size, baselines' R@20."""
    out: dict[str, list[tuple[dict[str, float], int, int, dict[str, float]]]] = {
        v: [] for v in variants}
    for n, hidden_id in enumerate(queries, start=1):
        hidden = graph.pos[hidden_id]
        seeds, targets = ranking.seeds_and_targets(graph, hidden)
        _, served = graph.without(hidden)
        seed_pos = [graph.pos[s] for s in seeds]
        citations = served.T @ np.ones(served.shape[0])
        scores = ranking.baseline_scores(served, np.array(seed_pos, np.int64))
        for v in variants:
            w = walk(served, seed_pos, v)
            ids = ranked_ids(graph, w)
            pool = np.array([graph.pos[p] for p in ids], np.int64)
            best = {name: ranking.metrics(
                [graph.ids[i] for i in ranking.order_pool(s, citations, pool).tolist()],
                targets)["R@20"] for name, s in scores.items()}
            out[v].append((ranking.metrics(ids, targets), w.requests, len(ids), best))
        print(f"\r{n}/{len(queries)} queries", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return out


def table(results: dict[str, list[tuple[dict[str, float], int, int, dict[str, float]]]]
          ) -> str:
    lines = ["| walk | pool recall | candidates | requests | R@10 | R@20 | R@50 | MRR "
             "| best baseline R@20 | ratio | wins / losses | Wilcoxon p |",
             "|---|" + "---:|" * 11]
    for v, rows in results.items():
        mean = {k: float(np.mean([r[0][k] for r in rows]))
                for k in ("pool", "R@10", "R@20", "R@50", "MRR")}
        base = {name: float(np.mean([r[3][name] for r in rows])) for name in rows[0][3]}
        best = max(base, key=lambda name: base[name])
        ours = np.array([r[0]["R@20"] for r in rows])
        theirs = np.array([r[3][best] for r in rows])
        p = float(wilcoxon(ours, theirs).pvalue) if np.any(ours != theirs) else 1.0
        lines.append(
            f"| {v} | {mean['pool']:.3f} | {np.mean([r[2] for r in rows]):,.0f} | "
            f"{np.mean([r[1] for r in rows]):.1f} | {mean['R@10']:.3f} | {mean['R@20']:.3f} | "
            f"{mean['R@50']:.3f} | {mean['MRR']:.3f} | {base[best]:.3f} ({best}) | "
            f"{mean['R@20'] / base[best]:.2f}x | {int((ours > theirs).sum())} / "
            f"{int((ours < theirs).sum())} | {p:.2g} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ranking.DEFAULT_CORPUS)
    parser.add_argument("--split", choices=("tune", "validate"), default="tune")
    parser.add_argument("--variants", default=",".join(VARIANTS),
                        help=f"comma-separated, from {', '.join(VARIANTS)}")
    parser.add_argument("--queries", type=int, default=None, help="only the first N queries")
    args = parser.parse_args(argv)
    variants = args.variants.split(",")
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}: use {', '.join(VARIANTS)}")
    try:
        graph = ranking.Graph.load(args.corpus)
    except FileNotFoundError as exc:
        print(f"no corpus at {args.corpus}: {exc.filename} is missing", file=sys.stderr)
        return 2
    split, source = ranking.load_split(graph)
    queries = split[args.split][: args.queries]
    print(f"{args.split} half ({source}), {len(queries)} queries\n")
    print(table(screen(graph, queries, variants)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
