"""Do explorations and citer lists on the local S2AG graph rank exactly as the API walk does?

The corpus (default ``../shared/dev-corpus``) is written as a release with the shard writer,
imported into a local graph, and served by the fake S2 as well. For N seeds (the most cited
papers with references, then every k-th), ``explore`` (depth 2, the default walk) and ``cites``
run once through the fake and once on the graph, each on a fresh store; the rankings are
compared (ids, order, scores, reasons; citers also their records, ``isInfluential`` read as
a boolean, as the datasets hold it), and the wall time of each run is reported, with the
fake's request count during the local runs.

    python bench/bulk_parity.py --corpus ../shared/dev-corpus --seeds 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from corpus_option import checked_corpus

from explorer.fake_s2 import FakeS2
from explorer.fake_s2.corpus import Corpus
from explorer.s2ag.importer import import_release
from explorer.s2ag.local import LocalGraph
from explorer.s2ag.shards import corpus_records, write_release
from explorer.sources.s2 import S2Client
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
    corpus = Corpus.from_dir(corpus_dir)
    papers, edges = corpus_records(corpus)
    _, write_s = _timed(lambda: write_release(papers, edges, scratch / "release"))
    _, import_s = _timed(lambda: import_release(scratch / "release", scratch / "graph"))
    seeds = _seeds(corpus, n)
    fake = FakeS2(corpus=corpus)
    fake.start()
    api = S2Client(fake.url, min_interval=0)
    graph = LocalGraph(scratch / "graph")
    rows: list[dict[str, Any]] = []
    local_requests = 0
    try:
        for i, seed in enumerate(seeds):
            row: dict[str, Any] = {"seed": seed}
            for task in ("explore", "cites"):
                got = {}
                for name, client in (("api", api), ("local", graph)):
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
                    if name == "local":
                        local_requests += fake.count() - before
                    else:
                        row[f"{task}_requests"] = fake.count() - before
                    row[f"{task}_{name}_s"] = took
                    store.close()
                row[f"{task}_same"] = got["api"] == got["local"]
                row[f"{task}_size"] = len(got["api"])
            rows.append(row)
            print(f"{i + 1:>3}/{len(seeds)} {seed[:12]} explore {row['explore_size']:>5} "
                  f"same={row['explore_same']} cites {row['cites_size']:>5} "
                  f"same={row['cites_same']}", file=sys.stderr, flush=True)
    finally:
        graph.close()
        api.close()
        fake.stop()
    return {"rows": rows, "write_s": write_s, "import_s": import_s,
            "local_requests": local_requests, "papers": len(papers), "edges": len(edges)}


def report(out: dict[str, Any]) -> str:
    rows = out["rows"]
    lines = [f"corpus: {out['papers']:,} papers, {out['edges']:,} edges; shards written in "
             f"{out['write_s']:.1f} s, imported in {out['import_s']:.1f} s",
             f"requests to the fake during the local runs: {out['local_requests']}"]
    for task in ("explore", "cites"):
        same = sum(r[f"{task}_same"] for r in rows)
        api = statistics.median(r[f"{task}_api_s"] for r in rows)
        local = statistics.median(r[f"{task}_local_s"] for r in rows)
        sizes = statistics.median(r[f"{task}_size"] for r in rows)
        asked = statistics.median(r[f"{task}_requests"] for r in rows)
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
    parser.add_argument("--seeds", type=int, default=20, metavar="N", help="seeds (default 20)")
    args = parser.parse_args(argv)
    checked_corpus(args.corpus)
    with tempfile.TemporaryDirectory(prefix="bulk-parity-") as scratch:
        out = run(args.corpus, args.seeds, Path(scratch))
    print(report(out))
    return 0 if all(r["explore_same"] and r["cites_same"] for r in out["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
