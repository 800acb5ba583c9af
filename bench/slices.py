"""Requests to collect every citer of a classic past S2's 9,999 window, by date slices.

Run: ``.venv/bin/python bench/slices.py [--citers 12000 25000 50000]``

Each classic is generated (:mod:`explorer.fake_s2.classic`: citers spread evenly over
1991-2024, and a second kind with 12,000 of them crowded in 2020, which forces halving by
months) and served by the fake S2 on 127.0.0.1, which counts requests. The floor is
⌈C/1000⌉ pages; the table gives the citation requests beside it, how many were one-item
probes, and the slices listed.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

from explorer.fake_s2 import FakeS2
from explorer.fake_s2.classic import add_classic
from explorer.seeds.ids import parse_seed
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.walk import Walker


def run(citers: int, crowded: bool, folder: Path) -> dict[str, float]:
    fake = FakeS2()
    classic = add_classic(fake.corpus, citers,
                          crowded=(2020, min(12_000, citers // 2)) if crowded else None)
    fake.start()
    client = S2Client(fake.url, min_interval=0)
    try:
        start = time.perf_counter()
        walker = Walker(Store(folder / f"{citers}-{crowded}.sqlite"), client)
        (pid,) = walker.resolve([parse_seed(f"DOI:{classic.doi}")])
        walker.walk([pid], 1, "citations")
        elapsed = time.perf_counter() - start
        listing = [r for r in fake.requests if r.path.endswith("/citations")]
        got = len(walker.store.citations_of(pid))
    finally:
        client.close()
        fake.stop()
    return {"collected": got, "requests": len(listing),
            "probes": sum(r.query["limit"] == "1" for r in listing),
            "slices": walker.report.slices, "seconds": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--citers", type=int, nargs="+", default=[12_000, 25_000, 50_000],
                        metavar="C", help="classic sizes (default 12000 25000 50000)")
    args = parser.parse_args()
    print(f"{'citers':>7} {'spread':>8} {'collected':>9} {'floor':>5} {'requests':>8} "
          f"{'probes':>6} {'slices':>6} {'ratio':>5} {'seconds':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for citers in args.citers:
            for crowded in (False, True):
                r = run(citers, crowded, Path(tmp))
                floor = math.ceil(citers / 1000)
                print(f"{citers:>7} {'crowded' if crowded else 'even':>8} "
                      f"{r['collected']:>9,.0f} {floor:>5} {r['requests']:>8.0f} "
                      f"{r['probes']:>6.0f} {r['slices']:>6.0f} {r['requests'] / floor:>5.2f} "
                      f"{r['seconds']:>7.1f}")


if __name__ == "__main__":
    main()
