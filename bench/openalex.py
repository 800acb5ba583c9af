"""Every citer of a classic from S2 and OpenAlex: requests, cost, time and coverage.

Run: ``.venv/bin/python bench/openalex.py [--citers 10000] [--skip 10]``

The fake S2 serves the repository's sample corpus (Turing 1950 and its 1,000 S2 citers); the
fake OpenAlex serves the same works, missing every ``--skip``-th S2 citer, plus ``--citers``
generated ones. ``explorer cites --source both`` is run through the task into a fresh store.
Printed: the OpenAlex requests against the floor ⌈C/100⌉ + 1, the dollars the budget headers
summed, the wall time of the OpenAlex part, the store's size, and the coverage line.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from contextlib import closing
from pathlib import Path

from explorer.fake_openalex import FakeOpenAlex
from explorer.fake_s2 import FakeS2
from explorer.sources.openalex import OpenAlexClient
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.cites import collect
from explorer.tasks.openalex_cites import collect_openalex, coverage

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "s2-sample"
TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
KEY = "bench-key"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citers", type=int, default=10_000,
                        help="generated citers only OpenAlex knows (default 10000)")
    parser.add_argument("--skip", type=int, default=10,
                        help="every SKIP-th S2 citer is missing from OpenAlex (default 10)")
    args = parser.parse_args()
    s2 = FakeS2(SAMPLE)
    oa = FakeOpenAlex(corpus=s2.corpus, api_key=KEY, skip_citations_of={TURING: args.skip})
    oa.works.add_citers(oa.works.of_s2[TURING], args.citers)
    total = len(oa.works.citing(oa.works.of_s2[TURING]))
    with s2, oa, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.sqlite"
        with closing(Store(path)) as store:
            with closing(S2Client(s2.url, min_interval=0)) as client:
                found = collect(TURING, store=store, client=client, references=False)
            with closing(OpenAlexClient(oa.url, KEY, min_interval=0)) as openalex:
                start = time.perf_counter()
                got = collect_openalex(found.paper.paper_id, store=store, client=openalex)
                took = time.perf_counter() - start
            line = coverage(store, found.paper.paper_id).line()
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    floor = math.ceil(total / 100) + 1
    print(f"OpenAlex citers {len(got.citer_ids):,} of {total:,} served")
    print(f"requests {got.requests} (floor ceil(C/100) + 1 = {floor}, ratio "
          f"{got.requests / floor:.2f}) · cost ${got.cost} · {took:.1f} s "
          f"({len(got.citer_ids) / took:,.0f} citers/s) · store {size / 1e6:.1f} MB")
    print(line)


if __name__ == "__main__":
    main()
