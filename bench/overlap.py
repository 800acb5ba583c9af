"""A depth-2 walk against a distant, strict server: does the walk store while it waits?

Run: ``.venv/bin/python bench/overlap.py --corpus ../shared/dev-corpus [--base /tmp/base]``

The fake S2 serves the corpus on 127.0.0.1 with ``--latency-ms`` (1500) on every answer and
S2's strict limiter (429 to a request arriving less than 1 s after the previous answer); the
client keeps its pacing of one request a second, counted from the end of the previous answer.
Each tree (this checkout, and ``--base`` when given) walks the three most cited papers of the
corpus at depth 2 into a fresh store in its own process, then ranks the stored result again
offline to time the ranking alone. Printed: requests, 429s, wall time, and the floor that the
pacing allows, ``requests x (latency + 1.05 s) + ranking``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from corpus_option import checked_corpus
from offline import corpus_lines

from explorer.fake_s2 import FakeS2

ROOT = Path(__file__).resolve().parents[1]
GAP = 1.05  # the client's min_interval of 1 s with its 5 % margin

CHILD = r"""
import json, sys, time
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore, rank_stored
url, path, seeds = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
store = Store(path)
client = S2Client(url, min_interval=1.0)
start = time.perf_counter()
result = explore(seeds, ExploreOptions(depth=2), store=store, client=client)
wall = time.perf_counter() - start
client.close()
start = time.perf_counter()
rank_stored(store, result.seeds, ExploreOptions(depth=2))
ranking = time.perf_counter() - start
print(json.dumps({"wall": wall, "ranking": ranking, "requests": result.report.requests,
                  "papers": result.graph.number_of_nodes(), "partial": result.partial}))
"""


def run(tree: Path, fake: FakeS2, seeds: list[str]) -> dict[str, float]:
    fake.reset()
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(fake.url), str(Path(tmp) / "s.sqlite"),
             json.dumps(seeds)],
            env={**os.environ, "PYTHONPATH": str(tree)}, cwd=tree, capture_output=True,
            text=True, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["429s"] = sum(r.status == 429 for r in fake.requests)
    return figures  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "dev-corpus",
                        help="folder with papers.jsonl[.gz] and citations.jsonl[.gz]")
    parser.add_argument("--base", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--latency-ms", type=float, default=1500.0)
    args = parser.parse_args()
    checked_corpus(args.corpus)
    edges = corpus_lines(args.corpus, "citations.jsonl")
    cited: dict[str, int] = {}
    for e in edges:
        cited[e["citedPaperId"]] = cited.get(e["citedPaperId"], 0) + 1
    seeds = sorted(cited, key=lambda p: (-cited[p], p))[:3]
    latency = args.latency_ms / 1000
    with FakeS2(args.corpus, latency=latency, strict_interval=1.0) as fake:
        print(f"depth-2 walk of 3 seeds, latency {latency:.1f} s, one request a second")
        trees = [("now", ROOT)] + ([(str(args.base), args.base)] if args.base else [])
        walls = {}
        for name, tree in trees:
            f = run(tree, fake, seeds)
            floor = f["requests"] * (latency + GAP) + f["ranking"]
            walls[name] = f["wall"]
            print(f"  {name}: {f['papers']} papers, {f['requests']} requests, {f['429s']} 429s, "
                  f"{f['wall']:.1f} s (floor {floor:.1f} s = {f['requests']} x "
                  f"{latency + GAP:.2f} s + {f['ranking']:.1f} s ranking)"
                  + (", PARTIAL" if f["partial"] else ""))
        if args.base:
            print(f"  x{walls[str(args.base)] / walls['now']:.2f} faster than {args.base}")


if __name__ == "__main__":
    main()
