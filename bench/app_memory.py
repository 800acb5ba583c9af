"""The app's resident memory while a user opens twenty explorations of 10k to 60k papers.

Run: ``.venv/bin/python bench/app_memory.py --corpus ../shared/dev-corpus [--base /tmp/base]``

The store is bench/offline.py's 60k store (twelve copies of the ACL Anthology Network corpus,
three seeds each, walked at depth 2; kept in ``--work``), copied so that the app's writes
leave it alone. Exploration k opens the seeds of ``COPIES[k]`` consecutive copies (two copies:
10,188 papers; twelve: 61,128), each seed set different, by its shared link
(``/?seed=...&depth=2``) in a fresh headless Chromium page, and waits for the graph to be
drawn. After each, the app's resident memory (``VmRSS`` of the ``streamlit run`` process).
This tree runs with ``--cache-mb`` (``EXPLORER_APP_CACHE_MB``); ``--base`` (e.g. made by ``git
archive main | tar -x -C /tmp/base``) runs with its own defaults, on a copy of the store its
schema opens (first measured against the entry-count cache the budget replaced, with
Streamlit's two-minute hold on a closed tab's session). No request leaves the machine: S2 and
arXiv point at a closed port.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from corpus_option import checked_corpus
from offline import add_store_options, store_for, stored_walk

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_browser import CHROMIUM_ARGS, free_port, graph_frame, start_app  # noqa: E402

COPIES = (2, 12, 4, 8, 6, 10, 3, 11, 5, 9, 7, 12, 2, 6, 10, 4, 8, 3, 11, 5)
"""Copies of the corpus in each exploration, in the order opened (10k to 60k papers)."""
SEEDS_A_COPY = 3
CLOSED = "http://127.0.0.1:9"


def explorations(seeds: list[str]) -> list[list[str]]:
    """Twenty different seed sets: exploration k starts at copy k (mod 12)."""
    copies = len(seeds) // SEEDS_A_COPY
    out = []
    for k, n in enumerate(COPIES):
        first = k % (copies - n + 1)
        out.append(seeds[first * SEEDS_A_COPY:(first + n) * SEEDS_A_COPY])
    return out


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def run_app(tree: Path, db: Path, sets: list[list[str]], cache_mb: int | None,
            browser) -> list[float]:  # type: ignore[no-untyped-def]
    """RSS (MB) of ``tree``'s app after opening each seed set in turn."""
    env = {**os.environ, "PYTHONPATH": str(tree), "EXPLORER_DB": str(db), "S2_API_URL": CLOSED,
           "ARXIV_API_URL": CLOSED}
    if cache_mb is not None:
        env["EXPLORER_APP_CACHE_MB"] = str(cache_mb)
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(tree / "app.py"),
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    proc = start_app(env, port, command, cwd=tree)
    out = []
    try:
        for k, seeds in enumerate(sets):
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/?"
                      + urlencode([("seed", s) for s in seeds] + [("depth", "2")]))
            graph_frame(page, timeout=600)
            took = time.perf_counter() - start
            page.close()
            out.append(rss_mb(proc.pid))
            print(f"    {k + 1:2d}: {len(seeds) // SEEDS_A_COPY:2d} copies, drawn in "
                  f"{took:5.1f} s, RSS {out[-1]:6.0f} MB", flush=True)
    finally:
        proc.terminate()
        proc.wait(30)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_store_options(parser)
    parser.add_argument("--cache-mb", type=int, default=512,
                        help="EXPLORER_APP_CACHE_MB for this tree's app")
    parser.add_argument("--count", type=int, default=len(COPIES),
                        help="explorations opened (at most 20)")
    args = parser.parse_args()
    checked_corpus(args.corpus)
    chromium = "/usr/bin/chromium"
    if not os.path.exists(chromium):
        sys.exit(f"error: {chromium} is missing: this bench drives a headless Chromium")
    from playwright.sync_api import sync_playwright

    args.work.mkdir(parents=True, exist_ok=True)
    store, seeds = stored_walk(args.corpus, args.work, "60k")
    sets = explorations(seeds)[: args.count]
    print(f"app RSS after each of {len(sets)} explorations opened by their link "
          f"(60k store, depth 2)")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        trees = [(ROOT, args.cache_mb, f"this tree, EXPLORER_APP_CACHE_MB={args.cache_mb}")]
        if args.base:
            trees.append((args.base, None, f"{args.base}"))
        results = []
        for tree, cache_mb, label in trees:
            db = Path(tmp) / "store.db"
            shutil.copyfile(store_for(tree, store), db)  # as that tree's schema opens it
            print(f"  {label}", flush=True)
            results.append(run_app(tree, db, sets, cache_mb, browser))
        browser.close()
    new = results[0]
    line = f"  this tree: peak {max(new):.0f} MB, last {new[-1]:.0f} MB"
    if len(results) > 1:
        old = results[1]
        line += (f"; base: peak {max(old):.0f} MB, last {old[-1]:.0f} MB: "
                 f"x{max(old) / max(new):.2f} less at the peak, "
                 f"x{old[-1] / new[-1]:.2f} at the end")
    print(line)


if __name__ == "__main__":
    main()
