"""Do explorations and citer lists on the local S2AG graph rank exactly as the API walk does?

The corpus (default ``../shared/dev-corpus``) is written as a release with the shard writer,
imported into a local graph, and served by the fake S2 as well. For N seeds (the most cited
papers with references, then every k-th), ``explore`` (depth 2, the default walk) and ``cites``
run once through the fake and once on the graph, each on a fresh store; the rankings are
compared (ids, order, scores, reasons; citers also their records, ``isInfluential`` read as
a boolean, as the datasets hold it), and the wall time of each run is reported, with the
fake's request count during the local runs.

With ``--synthetic N`` the corpus is instead a seeded synthetic release of N edges
(:mod:`explorer.s2ag.synthetic`), whose writer also writes the API-shaped records the shards
come from for the fake; the seeds are drawn with a fixed RNG among the papers with citations,
and the fake's memory (RSS growth while loading the corpus, peak RSS of the run) is reported.

``explore`` also runs on the local graph with the API's cap on batch answers applied (at most
1,000 citers or references embedded a paper): the local graph lists every citer, so where a
first-order neighbour has more (old classics do at 1 M edges), the uncapped walk sees more
papers and ranks differently by design. The run succeeds when every capped ranking and every
citer list is the API's, and every uncapped ranking is too wherever no neighbour is past the
cap.

    python bench/bulk_parity.py --corpus ../shared/dev-corpus --seeds 20
    python bench/bulk_parity.py --synthetic 1000000 --seeds 10
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from corpus_option import checked_corpus

from explorer.fake_s2 import EMBED_CAP, FakeS2
from explorer.fake_s2.corpus import Corpus
from explorer.s2ag.importer import import_release
from explorer.s2ag.local import LocalGraph
from explorer.s2ag.shards import corpus_records, write_release
from explorer.s2ag.synthetic import write_synthetic
from explorer.sources.s2 import SEED_FIELDS, S2Client
from explorer.store import Store
from explorer.tasks.cites import citers_json_records, collect, sort_citers
from explorer.tasks.explore import ExploreOptions, explore

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "dev-corpus"


def _seeds(corpus: Corpus, n: int) -> list[str]:
    """Half the most cited papers that have references, half spread over the rest."""
    able = sorted((p for p in corpus.papers if corpus.references_of(p)),
                  key=lambda p: (-len(corpus.citations_of(p)), p))
    top = able[: n - n // 2]
    rest = able[len(top):]
    step = max(1, len(rest) // max(1, n // 2))
    return top + rest[::step][: n // 2]


def _random_seeds(corpus: Corpus, n: int) -> list[str]:
    """``n`` papers with citations, drawn with a fixed RNG."""
    cited = sorted(p for p in corpus.papers if corpus.citations_of(p))
    return random.Random(0).sample(cited, min(n, len(cited)))


def _rss_mb() -> float:
    """This process's resident memory now, in MB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


class CappedGraph(LocalGraph):
    """The local graph with the API's cap on the citers and references embedded in a batch
    answer (the first :data:`EMBED_CAP`, in the order of the citing or cited corpus id, the
    order the synthetic corpus lists them in for the fake)."""

    def papers(self, ids: Sequence[str], fields: Sequence[str] = SEED_FIELDS
               ) -> list[dict[str, Any] | None]:
        found = super().papers(ids, fields)
        for paper in found:
            for name in ("citations", "references"):
                if paper is not None and name in paper:
                    paper[name] = paper[name][:EMBED_CAP]
        return found


def _past_cap(corpus: Corpus, seed: str) -> int:
    """The seed's neighbours with more citers or references than a batch answer embeds."""
    near = {e["citedPaperId"] for e in corpus.references_of(seed)}
    near |= {e["citingPaperId"] for e in corpus.citations_of(seed)}
    return sum(max(len(corpus.citations_of(p)), len(corpus.references_of(p))) > EMBED_CAP
               for p in near - {None, seed})


def _ranking(result: Any) -> list[tuple[str, float, str, tuple[str, ...]]]:
    return [(r.paper.paper_id, r.score, r.relation, tuple(r.reasons)) for r in result.ranked]


def _citers(result: Any) -> list[dict[str, Any]]:
    return [{**c, "is_influential": bool(c.get("is_influential"))}
            for c in citers_json_records(sort_citers(result.citers))]


def _timed(work: Any) -> tuple[Any, float]:
    began = time.perf_counter()
    out = work()
    return out, time.perf_counter() - began


def run(corpus_dir: Path, n: int, scratch: Path) -> dict[str, Any]:
    """Compare on ``corpus_dir`` written as shards."""
    corpus = Corpus.from_dir(corpus_dir)
    papers, edges = corpus_records(corpus)
    _, write_s = _timed(lambda: write_release(papers, edges, scratch / "release"))
    out = compare(corpus, _seeds(corpus, n), scratch)
    return {**out, "write_s": write_s, "papers": len(papers), "edges": len(edges)}


def run_synthetic(edges: int, n: int, scratch: Path) -> dict[str, Any]:
    """Compare on a synthetic release of ``edges`` edges and the corpus written beside it."""
    _, write_s = _timed(lambda: write_synthetic(edges, scratch / "release",
                                                corpus=scratch / "corpus"))
    before = _rss_mb()
    corpus, load_s = _timed(lambda: Corpus.from_dir(scratch / "corpus"))
    grown = _rss_mb() - before
    out = compare(corpus, _random_seeds(corpus, n), scratch)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    return {**out, "write_s": write_s, "papers": len(corpus), "edges": corpus.edge_count,
            "memory": f"the fake's corpus loaded in {load_s:.1f} s, +{grown:,.0f} MB RSS; "
                      f"peak RSS of the run {peak:,.0f} MB"}


def compare(corpus: Corpus, seeds: list[str], scratch: Path) -> dict[str, Any]:
    """Import ``scratch/release``, serve ``corpus`` with the fake, and run ``explore`` and
    ``cites`` for each seed through both."""
    _, import_s = _timed(lambda: import_release(scratch / "release", scratch / "graph"))
    fake = FakeS2(corpus=corpus)
    fake.start()
    api = S2Client(fake.url, min_interval=0)
    graph = LocalGraph(scratch / "graph")
    capped = CappedGraph(scratch / "graph")
    rows: list[dict[str, Any]] = []
    local_requests = 0
    try:
        for i, seed in enumerate(seeds):
            row: dict[str, Any] = {"seed": seed}
            for task in ("explore", "cites"):
                got = {}
                clients = [("api", api), ("local", graph)]
                if task == "explore":
                    clients.append(("capped", capped))
                for name, client in clients:
                    store = Store(scratch / f"{task}-{name}-{i}.sqlite")
                    before = fake.count()
                    if task == "explore":
                        result, took = _timed(partial(explore, [seed], ExploreOptions(),
                                                      store=store, client=client, record=False))
                        got[name] = _ranking(result)
                    else:
                        result, took = _timed(partial(collect, seed, store=store,
                                                      client=client))
                        got[name] = _citers(result)
                    if name != "api":
                        local_requests += fake.count() - before
                    else:
                        row[f"{task}_requests"] = fake.count() - before
                    row[f"{task}_{name}_s"] = took
                    store.close()
                row[f"{task}_same"] = got["api"] == got["local"]
                row[f"{task}_size"] = len(got["api"])
                if task == "explore":
                    row["capped_same"] = got["api"] == got["capped"]
            row["past_cap"] = _past_cap(corpus, seed)
            rows.append(row)
            print(f"{i + 1:>3}/{len(seeds)} {seed[:12]} explore {row['explore_size']:>5} "
                  f"same={row['explore_same']} capped same={row['capped_same']} "
                  f"(neighbours past the cap: {row['past_cap']}) cites {row['cites_size']:>5} "
                  f"same={row['cites_same']}", file=sys.stderr, flush=True)
    finally:
        capped.close()
        graph.close()
        api.close()
        fake.stop()
    return {"rows": rows, "import_s": import_s, "local_requests": local_requests}


def report(out: dict[str, Any]) -> str:
    rows = out["rows"]
    lines = [f"corpus: {out['papers']:,} papers, {out['edges']:,} edges; shards written in "
             f"{out['write_s']:.1f} s, imported in {out['import_s']:.1f} s",
             f"requests to the fake during the local runs: {out['local_requests']}"]
    if "memory" in out:
        lines.append(out["memory"])
    for task in ("explore", "cites"):
        same = sum(r[f"{task}_same"] for r in rows)
        api = statistics.median(r[f"{task}_api_s"] for r in rows)
        local = statistics.median(r[f"{task}_local_s"] for r in rows)
        sizes = statistics.median(r[f"{task}_size"] for r in rows)
        asked = statistics.median(r[f"{task}_requests"] for r in rows)
        if task == "explore":
            past = [r for r in rows if r["past_cap"]]
            lines.append(
                f"explore  with the API's {EMBED_CAP:,} citers a paper in batch answers "
                f"applied to the local graph: same ranking for "
                f"{sum(r['capped_same'] for r in rows)}/{len(rows)} seeds; without it, "
                f"{len(past)} seeds have neighbours past the cap, "
                f"{sum(r['explore_same'] for r in past)} of them rank the same; median "
                f"{statistics.median(r['explore_capped_s'] for r in rows):.2f} s a query "
                f"with the cap")
        lines.append(f"{task:<8} same ranking for {same}/{len(rows)} seeds; median "
                     f"{sizes:.0f} ranked; median time per query: fake API {api:.2f} s "
                     f"({asked:.0f} requests, at least {asked:.0f} s at S2's 1 a second), "
                     f"local graph {local:.2f} s, 0 requests")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT,
                        help="corpus folder (papers.jsonl[.gz], citations.jsonl[.gz]); "
                             "default ../shared/dev-corpus")
    parser.add_argument("--synthetic", type=int, metavar="N",
                        help="compare on a synthetic release of N edges instead of --corpus")
    parser.add_argument("--seeds", type=int, default=20, metavar="N", help="seeds (default 20)")
    args = parser.parse_args(argv)
    if args.synthetic is None:
        checked_corpus(args.corpus)
    elif args.synthetic < 1:
        sys.exit("error: --synthetic takes a number of edges, at least 1")
    with tempfile.TemporaryDirectory(prefix="bulk-parity-") as scratch:
        out = (run(args.corpus, args.seeds, Path(scratch)) if args.synthetic is None
               else run_synthetic(args.synthetic, args.seeds, Path(scratch)))
    print(report(out))
    return 0 if all(r["capped_same"] and r["cites_same"] and (r["explore_same"] or r["past_cap"])
                    for r in out["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
