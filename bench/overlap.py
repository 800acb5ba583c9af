"""A depth-2 walk against a distant, strict server: does the walk keep a request in flight?

Run: ``.venv/bin/python bench/overlap.py --corpus ../shared/dev-corpus [--base /tmp/base]
[--runs 3]``

The fake S2 serves the corpus on 127.0.0.1 with ``--latency-ms`` (1500) on every answer and
S2's strict limiter as S2 documents it (429 to a request arriving less than 1 s after the
previous one arrived); the client paces one request a second with its 5 % margin. Each tree
(this checkout, and ``--base`` when given; interleaved, best of ``--runs``) walks the three
most cited papers of the corpus at depth 2 into a fresh store in its own process; the ranking
that ends the walk is timed on its own. Printed: requests, 429s, wall and CPU time, the
issue's floor, ``requests x 1 s + one latency + ranking``, with the ratio; and the floor that
the pacing leaves this walk, ``(requests - steps) x 1.05 s + steps x latency + ranking``,
where the steps are the last answer and each wait for an answer the next request depends on
(a gap between two arrivals of 95 % of the latency or more); the gaps are printed. Main
before the first listing went out with the seeds' lookup had two steps (the listings waited
for the lookup, the last batch for the last listing), a tree that sent the batches only once
every listing was in had three.
"""

from __future__ import annotations

import argparse
import itertools
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
from explorer.tasks import explore as task
from explorer.tasks.explore import ExploreOptions, explore
spent = []
rank_stored = task.rank_stored
def timed(*args, **kw):  # the walk's own ranking, at the end of its wall time
    start = time.perf_counter()
    try:
        return rank_stored(*args, **kw)
    finally:
        spent.append(time.perf_counter() - start)
task.rank_stored = timed
url, path, seeds = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
store = Store(path)
client = S2Client(url, min_interval=1.0)
start, cpu = time.perf_counter(), time.process_time()
result = explore(seeds, ExploreOptions(depth=2), store=store, client=client)
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
client.close()
print(json.dumps({"wall": wall, "cpu": cpu, "ranking": sum(spent),
                  "requests": result.report.requests,
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
    arrivals = [r.time for r in fake.requests]
    figures["gaps"] = [b - a for a, b in itertools.pairwise(arrivals)]  # type: ignore[assignment]
    return figures  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "dev-corpus",
                        help="folder with papers.jsonl[.gz] and citations.jsonl[.gz]")
    parser.add_argument("--base", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--latency-ms", type=float, default=1500.0)
    parser.add_argument("--runs", type=int, default=1, help="walks per tree; the best is shown")
    args = parser.parse_args()
    checked_corpus(args.corpus)
    edges = corpus_lines(args.corpus, "citations.jsonl")
    cited: dict[str, int] = {}
    for e in edges:
        cited[e["citedPaperId"]] = cited.get(e["citedPaperId"], 0) + 1
    seeds = sorted(cited, key=lambda p: (-cited[p], p))[:3]
    latency = args.latency_ms / 1000
    with FakeS2(args.corpus, latency=latency, strict_interval=1.0,
                strict_limit="arrival") as fake:
        print(f"depth-2 walk of 3 seeds, latency {latency:.1f} s, one request a second "
              f"(S2's limiter: arrival to arrival)")
        trees = [("now", ROOT)] + ([(str(args.base), args.base)] if args.base else [])
        runs: dict[str, list[dict[str, float]]] = {name: [] for name, _ in trees}
        for _ in range(args.runs):
            for name, tree in trees:
                runs[name].append(run(tree, fake, seeds))
        walls = {}
        for name, _ in trees:
            f = min(runs[name], key=lambda r: r["wall"])
            floor = f["requests"] * 1.0 + latency + f["ranking"]
            walls[name] = f["wall"]
            print(f"  {name}: {f['papers']} papers, {f['requests']} requests, {f['429s']} 429s "
                  f"(all runs: {sum(r['429s'] for r in runs[name])}), wall {f['wall']:.1f} s, "
                  f"CPU {f['cpu']:.1f} s; floor {floor:.1f} s = {f['requests']} x 1 s + "
                  f"{latency:.1f} s + {f['ranking']:.1f} s ranking; wall/floor "
                  f"{f['wall'] / floor:.2f}" + (", PARTIAL" if f["partial"] else ""))
            gaps = f["gaps"]
            steps = 1 + sum(g > 0.95 * latency for g in gaps)  # type: ignore[union-attr]
            paced = (f["requests"] - steps) * GAP + steps * latency + f["ranking"]
            print(f"    pacing floor for its {steps} dependent steps {paced:.1f} s = "
                  f"({f['requests']} - {steps}) x {GAP:.2f} s + {steps} x {latency:.1f} s + "
                  f"{f['ranking']:.1f} s ranking; wall/pacing floor {f['wall'] / paced:.2f}")
            print("    arrivals apart: " + " ".join(f"{g:.2f}" for g in gaps))  # type: ignore[union-attr]
        if args.base:
            print(f"  x{walls[str(args.base)] / walls['now']:.2f} faster than {args.base}")


if __name__ == "__main__":
    main()
