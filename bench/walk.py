"""Requests and wall time of explorations, beside a naive per-paper loop, on the fake S2.

Run: ``.venv/bin/python bench/walk.py [--corpus data/s2-sample]``

For each corpus seed and depth, explorer walks with a cold store, then again with the store
warm; the naive loop uses the same ``semanticscholar`` client the way most scripts do: one
``get_paper`` for the seed with its references and citations, then one ``get_paper`` per
neighbour (at depth 2, with that neighbour's references). Both talk to the same fake server
on 127.0.0.1, which counts requests.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from corpus_option import add_corpus_option, checked_corpus
from semanticscholar import SemanticScholar

from explorer.fake_s2 import FakeS2
from explorer.sources.s2 import PAPER_FIELDS, S2Client
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore

SEEDS = ["ARXIV:1706.03762", "DOI:10.1093/mind/LIX.236.433", "ARXIV:1810.04805",
         "ARXIV:2302.13971"]


def run_explorer(fake: FakeS2, seed: str, depth: int, store: Store) -> tuple[int, float, int]:
    client = S2Client(fake.url, min_interval=0)
    fake.reset()
    start = time.perf_counter()
    result = explore([seed], ExploreOptions(depth=depth), store=store, client=client)
    elapsed = time.perf_counter() - start
    client.close()
    return fake.count(), elapsed, result.graph.number_of_nodes()


def run_naive(fake: FakeS2, seed: str, depth: int) -> tuple[int, float, int]:
    sch = SemanticScholar(api_url=fake.url, retry=False)
    fields = list(PAPER_FIELDS)
    fake.reset()
    start = time.perf_counter()
    root = sch.get_paper(seed, fields=fields + ["references.paperId", "citations.paperId"])
    ids = {p.paperId for p in (root.references or []) + (root.citations or []) if p.paperId}
    found = {root.paperId} | ids
    for pid in sorted(ids):
        extra = ["references.paperId"] if depth == 2 else []
        paper = sch.get_paper(pid, fields=fields + extra)
        if depth == 2:
            found |= {r.paperId for r in paper.references or [] if r.paperId}
    return fake.count(), time.perf_counter() - start, len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_option(parser)
    args = parser.parse_args()
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    with FakeS2(corpus_dir=checked_corpus(args.corpus)) as fake:
        header = (f"{'seed':<30} {'depth':>5} {'papers':>7} {'explorer req':>12} "
                  f"{'warm req':>8} {'naive papers':>12} {'naive req':>9} {'req ratio':>9} "
                  f"{'explorer s':>10} {'naive s':>8} {'time ratio':>10}")
        print(header)
        print("-" * len(header))
        for depth in (1, 2):
            for seed in SEEDS:
                with tempfile.TemporaryDirectory() as tmp:
                    store = Store(Path(tmp) / "bench.sqlite")
                    req, secs, papers = run_explorer(fake, seed, depth, store)
                    warm, _, _ = run_explorer(fake, seed, depth, store)
                    store.close()
                naive_req, naive_secs, naive_papers = run_naive(fake, seed, depth)
                print(f"{seed:<30} {depth:>5} {papers:>7} {req:>12} {warm:>8} "
                      f"{naive_papers:>12} {naive_req:>9} {naive_req / max(req, 1):>8.1f}x "
                      f"{secs:>10.2f} {naive_secs:>8.2f} {naive_secs / max(secs, 1e-9):>9.1f}x")
        print("\nAt S2's 1 request/second, wall time on the real API is about the request count "
              "in seconds.")


if __name__ == "__main__":
    main()
