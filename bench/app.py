"""App benchmarks: graph HTML build time, and a shared link's time to a drawn graph.

1. ``explorer.render.graph.graph_html`` for 100 / 500 / 1000 nodes of a synthetic citation graph
   (three citations per paper, ranked by ``explorer.analysis.rank.rank``): median of 5 builds.
2. Placed pages (the app's: :func:`explorer.render.layout.graph_layout` once, then the page
   with the physics off; WebGL past 1,000 nodes) for ``--sizes`` nodes: layout time, HTML
   size, and the time from loading the page in headless Chromium to its "drawn" marker
   (``data-ready``), i.e. from its data arriving to the graph drawn.
3. Opening a shared URL (``?seed=ARXIV:2302.13971&depth=2&top=N``) on a warm store: time from
   ``page.goto`` to the graph's layout being done in headless Chromium (``data-ready``), for
   a fresh browser page each time; ``streamlit run app.py`` and the fake S2 run as in the
   browser test. Skipped when /usr/bin/chromium is missing.

Run: ``.venv/bin/python bench/app.py [--corpus data/s2-sample] [--sizes 100,1000,5000]``
(``--no-browser`` for part 1 only).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus_option import add_corpus_option, checked_corpus  # noqa: E402

from explorer.analysis.rank import rank  # noqa: E402
from explorer.graph import build_graph  # noqa: E402
from explorer.models import Edge, Paper  # noqa: E402
from explorer.render.draw import draw_html  # noqa: E402
from explorer.render.graph import graph_html  # noqa: E402


def synthetic(n: int, seed: int = 1):  # type: ignore[no-untyped-def]
    rnd = random.Random(seed)
    papers = {f"p{i}": Paper(f"p{i}", f"A paper about topic {i} " * 3, 1990 + i % 35,
                             (f"Author {i}", "Someone Else"), citation_count=rnd.randint(0, 5000))
              for i in range(n)}
    edges = [Edge(f"p{i}", f"p{rnd.randrange(n)}", rnd.random() < 0.1, ("a context " * 10,))
             for i in range(n) for _ in range(3)]
    g = build_graph(papers, edges)
    return g, rank(g, ["p0"], current_year=2025)


def bench_render() -> None:
    print("graph HTML build (median of 5)")
    base = None
    for n in (100, 500, 1000):
        g, ranked = synthetic(n)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            html = graph_html(g, ranked)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        base = base or med
        print(f"  {n:5d} nodes, {g.number_of_edges():5d} edges: {med * 1000:7.1f} ms "
              f"({len(html) / 1e6:.2f} MB, x{med / base:.1f} of 100 nodes)")


def bench_placed(sizes: list[int], browser: bool) -> None:
    from explorer.render.layout import graph_layout

    print("placed pages: layout once, then no physics")
    launched = None
    if browser and os.path.exists("/usr/bin/chromium"):
        from playwright.sync_api import sync_playwright

        from tests.test_browser import CHROMIUM_ARGS

        pw = sync_playwright().start()
        launched = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    try:
        for n in sizes:
            g, ranked = synthetic(n)
            t = time.perf_counter()
            pos = graph_layout(g, [r.paper.paper_id for r in ranked])
            laid = time.perf_counter() - t
            html = draw_html(g, ranked, pos=pos)
            renderer = "WebGL" if 'data-renderer="webgl"' in html else "vis"
            line = (f"  {n:6d} nodes ({renderer:5s}): layout {laid:6.2f} s, "
                    f"HTML {len(html) / 1e6:6.2f} MB")
            if launched is not None:
                page = launched.new_page(viewport={"width": 1200, "height": 800})
                # loaded as a document, as the app's iframe loads it (set_content writes it
                # into the page with document.write: 8.6 s instead of 1.5 s at 20,000 nodes)
                with tempfile.TemporaryDirectory() as folder:
                    path = Path(folder) / "graph.html"
                    path.write_text(html, encoding="utf-8")
                    t = time.perf_counter()
                    page.goto(path.as_uri(), wait_until="commit")
                    page.wait_for_function(
                        "() => document.getElementById('graph').dataset.ready === '1'",
                        timeout=600_000)
                    line += f", to drawn {time.perf_counter() - t:6.2f} s"
                page.close()
            print(line)
    finally:
        if launched is not None:
            launched.close()
            pw.stop()


def bench_browser(tops: list[int], corpus: Path) -> None:
    chromium = "/usr/bin/chromium"
    if not os.path.exists(chromium):
        print(f"shared URL to drawn graph: skipped ({chromium} missing)")
        return
    from playwright.sync_api import sync_playwright

    from explorer.config import Settings
    from explorer.fake_s2 import FakeS2
    from explorer.store import Store
    from explorer.tasks.explore import ExploreOptions, explore
    from tests.conftest import cli_env
    from tests.test_browser import CHROMIUM_ARGS, free_port, graph_frame, start_app

    fake = FakeS2(corpus_dir=corpus)
    fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        env = cli_env(fake, Path(tmp) / "bench.sqlite")
        store = Store(env["EXPLORER_DB"])
        with Settings.from_env(env).s2_client() as client:
            warm = explore(["ARXIV:2302.13971"], ExploreOptions(depth=2), store=store,
                           client=client)
        print(f"shared URL to drawn graph (warm store: {warm.graph.number_of_nodes()} papers, "
              f"{warm.report.requests} requests to warm it)")
        port = free_port()
        proc = start_app(env, port)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                for top in tops:
                    url = f"http://127.0.0.1:{port}/?seed=ARXIV:2302.13971&depth=2&top={top}"
                    times = []
                    for _ in range(3):
                        page = browser.new_page(viewport={"width": 1400, "height": 1000})
                        fake.reset()
                        t = time.perf_counter()
                        page.goto(url)
                        frame = graph_frame(page, timeout=120)
                        times.append(time.perf_counter() - t)
                        drawn = frame.evaluate(
                            "() => document.getElementById('graph').dataset.drawnNodes")
                        assert fake.count() == 0, "the shared URL made requests"
                        page.close()
                    print(f"  top={top:4d}: {drawn:>4} nodes drawn in "
                          f"{statistics.median(times):5.2f} s (median of 3, "
                          f"0 requests)")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
            fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--tops", default="100,500,1000")
    parser.add_argument("--sizes", default="100,1000,5000,20000",
                        help="node counts of the placed pages (past 1,000 they are drawn "
                             "with WebGL)")
    add_corpus_option(parser)
    args = parser.parse_args()
    corpus = checked_corpus(args.corpus)
    bench_render()
    bench_placed([int(x) for x in args.sizes.split(",")], not args.no_browser)
    if not args.no_browser:
        bench_browser([int(x) for x in args.tops.split(",")], corpus)


if __name__ == "__main__":
    main()
