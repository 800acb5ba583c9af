"""Requests and time of the two-week inbox, beside a naive script, on the fake arXiv and S2.

Run: ``.venv/bin/python bench/inbox.py [--corpus data/s2-sample] [--per-day 3 230]``

Two weeks of three categories are planted (``explorer.fake_s2.plant``; 3 a day is the tests'
size, 230 a day about what cs.LG, cs.CL and cs.IR receive together), with the reading list
holding two papers they cite. explorer runs the inbox cold, then again (the rerun shows
nothing new). The naive script is what one writes with the ``arxiv`` package's defaults: one
search per category (100 results a page), then one S2 ``get_paper`` with references for each
paper listed. Both talk to the same fake servers on 127.0.0.1, which count requests. The
"at the services' pace" columns are the request counts times the pace each service asks for
(arXiv 3 s between requests, S2 1 request a second): the wall time one would wait on the
real services, whatever the machine. At 230 a day the naive loop's 3,220 lookups take most
of the run (about ten minutes on a shared 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import arxiv
from corpus_option import add_corpus_option, checked_corpus
from semanticscholar import SemanticScholar

from explorer.fake_s2 import FakeS2
from explorer.fake_s2.plant import CATEGORIES, plant_inbox
from explorer.sources.arxiv import ArxivClient, listing_query
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks import inbox

LIBRARY = ("7908ff41fdd80c1c47e302b8205b1bc5f0f57a55", "340796c8308a8852b207e932c4abf7450b1c284c")
ARXIV_PACE, S2_PACE = 3.0, 1.0


def run_explorer(fake: FakeS2, store: Store) -> tuple[int, int, float, int]:
    s2 = S2Client(fake.url, min_interval=0)
    started = time.perf_counter()
    report = inbox.run(store, s2, ArxivClient(fake.url, delay_seconds=0), CATEGORIES)
    elapsed = time.perf_counter() - started
    s2.close()
    return report.arxiv_requests, report.s2_requests, elapsed, len(report.items)


def run_naive(fake: FakeS2, since: datetime, until: datetime) -> tuple[int, int, float]:
    client = arxiv.Client(delay_seconds=0)
    client.query_url_format = fake.url + "/api/query?{}"
    sch = SemanticScholar(api_url=fake.url, retry=False)
    fake.reset()
    started = time.perf_counter()
    found: set[str] = set()
    for cat in CATEGORIES:
        search = arxiv.Search(query=listing_query([cat], since, until), max_results=None,
                              sort_by=arxiv.SortCriterion.SubmittedDate)
        found |= {r.get_short_id().split("v")[0] for r in client.results(search)}
    arxiv_requests = fake.count("/api/query")
    for arxiv_id in sorted(found):
        sch.get_paper(f"ARXIV:{arxiv_id}", fields=["title", "references.paperId"])
    return arxiv_requests, fake.count() - arxiv_requests, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_option(parser)
    parser.add_argument("--per-day", type=int, nargs="+", default=[3, 230],
                        help="papers planted a day (default: 3 230)")
    args = parser.parse_args()
    corpus = checked_corpus(args.corpus)
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    header = (f"{'papers':>6} {'run':<6} {'arXiv req':>9} {'S2 req':>6} {'fake s':>7} "
              f"{'pace s':>7} {'naive arXiv':>11} {'naive S2':>8} {'naive pace s':>12} "
              f"{'req ratio':>9}")
    print(header)
    print("-" * len(header))
    for per_day in args.per_day:
        with FakeS2(corpus_dir=corpus) as fake, tempfile.TemporaryDirectory() as tmp:
            until = datetime.now(UTC)
            planted = plant_inbox(fake, LIBRARY, now=until - timedelta(minutes=1),
                                  per_day=per_day)
            store = Store(Path(tmp) / "bench.sqlite")
            for pid in LIBRARY:
                store.put_papers([dict(fake.corpus.papers[pid])])
                store.list_set(pid, status="to read")
            naive = run_naive(fake, until - timedelta(days=14), until)
            naive_pace = max(naive[0] - 1, 0) * ARXIV_PACE + naive[1] * S2_PACE
            for label in ("cold", "rerun"):
                a, s, secs, shown = run_explorer(fake, store)
                pace = max(a - 1, 0) * ARXIV_PACE + s * S2_PACE
                print(f"{len(planted.listed):>6} {label:<6} {a:>9} {s:>6} {secs:>7.2f} "
                      f"{pace:>7.0f} {naive[0]:>11} {naive[1]:>8} {naive_pace:>12.0f} "
                      f"{(naive[0] + naive[1]) / max(a + s, 1):>8.1f}x")
            store.close()


if __name__ == "__main__":
    main()
