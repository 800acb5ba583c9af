"""explorer beside other tools, on the same fake Semantic Scholar and the same corpus seeds.

Run: ``.venv/bin/python bench/peers.py [--peers-venv /tmp/peers-venv] [--rate-limit]``

Tools, each from a cold start against the fake on 127.0.0.1, which counts every request:

- explorer at depth 1 and 2 (``explorer.tasks.explore.explore``, cold store);
- a naive loop with the ``semanticscholar`` package: one ``get_paper`` per paper, as most
  scripts do (``bench/walk.py``'s ``run_naive``);
- the PyPI package ``citation-graph`` in its own virtual environment (it pins networkx 2.8),
  pointed at the fake by ``bench/citation_graph_runner.py``. It follows citations only, 100
  citers a page; its depth is the same "levels away from the seed".

Set up the peer once: ``python3 -m venv /tmp/peers-venv && /tmp/peers-venv/bin/pip install
citation-graph``. Without it the table says why and goes on.

By default the fake has no rate limit and the figures are request counts (the cost on the real
API: S2 allows one request a second with a key, so wall time there is at least the request
count in seconds, the "s at 1/s" column). ``--rate-limit`` makes the fake answer 429 past one
request a second per key, as S2 does, while explorer runs at its polite default pace (one
request a second), so its wall time is the real-API figure; the per-paper tools are still
counted without the limit (at 1/s they would take their request count in seconds, and the
naive loop and citation-graph do not back off on 429).
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_option import add_corpus_option, checked_corpus  # noqa: E402  (beside this file)
from walk import SEEDS, run_naive  # noqa: E402  (bench/walk.py, beside this file)

from explorer.fake_s2 import FakeS2  # noqa: E402
from explorer.sources.s2 import S2Client  # noqa: E402
from explorer.store import Store  # noqa: E402
from explorer.tasks.explore import ExploreOptions, explore  # noqa: E402

RUNNER = Path(__file__).resolve().parent / "citation_graph_runner.py"
ID_TYPES = {"ARXIV": "arxiv", "DOI": "doi", "CorpusId": "corpusid"}


def run_explorer(fake: FakeS2, seed: str, depth: int, polite: bool) -> tuple[int, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite")
        client = S2Client(fake.url, min_interval=1.0 if polite else 0.0)
        fake.reset()
        start = time.perf_counter()
        result = explore([seed], ExploreOptions(depth=depth), store=store, client=client)
        elapsed = time.perf_counter() - start
        client.close()
        store.close()
    return fake.count(), elapsed, result.graph.number_of_nodes()


def run_citation_graph(fake: FakeS2, python: Path, seed: str, depth: int
                       ) -> tuple[int, float, int] | str:
    """(requests, seconds, papers) or why it could not run."""
    if not python.exists():
        return f"not installed: {python} is missing (see the module docstring)"
    kind, _, value = seed.partition(":")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "list.csv"
        env = dict(os.environ, S2_API_URL=fake.url, NO_PROXY="127.0.0.1,localhost",
                   no_proxy="127.0.0.1,localhost")
        fake.reset()
        start = time.perf_counter()
        res = subprocess.run(
            [str(python), str(RUNNER), "--max-depth", str(depth), "--cache-path", tmp,
             "--list", "--list-file-name", str(out), "--no-graph", ID_TYPES[kind], value],
            env=env, cwd=tmp, capture_output=True, text=True, timeout=3600,
        )
        elapsed = time.perf_counter() - start
        if res.returncode != 0 or not out.exists():
            return f"failed (exit {res.returncode}): {res.stderr.strip().splitlines()[-1:]}"
        with out.open(encoding="utf-8", newline="") as f:
            papers = sum(1 for _ in csv.reader(f, delimiter=";")) - 1
    return fake.count(), elapsed, papers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_option(parser)
    parser.add_argument("--peers-venv", default="/tmp/peers-venv", type=Path)
    parser.add_argument("--seeds", nargs="*", default=SEEDS)
    parser.add_argument("--depths", nargs="*", type=int, default=[1, 2])
    parser.add_argument("--rate-limit", action="store_true",
                        help="the fake answers 429 past 1 request a second per key")
    args = parser.parse_args()
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    python = args.peers_venv / "bin" / "python"
    notes: list[str] = []
    with FakeS2(corpus_dir=checked_corpus(args.corpus)) as fake:
        mode = ("1 request/s per key for explorer (429 beyond)" if args.rate_limit
                else "no limit, requests counted")
        print(f"fake S2: {mode}\n")
        head = (f"{'seed':<30} {'d':>1}  {'tool':<16} {'requests':>8} {'s at 1/s':>8} "
                f"{'wall s':>7} {'papers':>6} {'req/100 papers':>14} {'req vs explorer':>15} "
                f"{'per paper':>13}")
        print(head)
        print("-" * len(head))
        worst: dict[int, float] = {}
        for depth in args.depths:
            for seed in args.seeds:
                fake.set_rate_limit(1 if args.rate_limit else None)
                base = run_explorer(fake, seed, depth, args.rate_limit)
                fake.set_rate_limit(None)
                rows: list[tuple[str, tuple[int, float, int] | str]] = [
                    ("explorer", base),
                    ("semanticscholar", run_naive(fake, seed, depth)),
                    ("citation-graph", run_citation_graph(fake, python, seed, depth)),
                ]
                for tool, got in rows:
                    if isinstance(got, str):
                        notes.append(f"citation-graph, {seed} depth {depth}: {got}")
                        print(f"{seed:<30} {depth:>1}  {tool:<16} {'n/a':>8}")
                        continue
                    req, secs, papers = got
                    ratio = req / max(base[0], 1)
                    per_paper = (req / max(papers, 1)) / (base[0] / max(base[2], 1))
                    if tool != "explorer":
                        worst[depth] = min(worst.get(depth, per_paper), per_paper)
                    print(f"{seed:<30} {depth:>1}  {tool:<16} {req:>8} {req:>8} {secs:>7.2f} "
                          f"{papers:>6} {100 * req / max(papers, 1):>14.1f} {ratio:>14.1f}x "
                          f"{per_paper:>12.1f}x")
        print()
        for depth, ratio in sorted(worst.items()):
            verdict = "meets" if ratio >= 10 or depth < 2 else "misses"
            print(f"depth {depth}: per paper found, the other tools need at least {ratio:.1f}x "
                  "the requests of explorer" + (f" ({verdict} the 10x goal)" if depth == 2
                                                else ""))
        print("papers: explorer and the semanticscholar loop follow references and citations; "
              "citation-graph follows citations only and, as released (1.2.7), reads one page "
              "of 100 citers per paper (its cache marks the next page as already read).")
        for note in notes:
            print("note:", note)


if __name__ == "__main__":
    main()
