"""The app's first open of a big link, step by step, against a base tree.

Run: ``.venv/bin/python bench/app_open.py --corpus ../shared/dev-corpus [--base /tmp/base]``

On bench/offline.py's stores (kept in ``--work``), each tree does in a fresh subprocess what
the app's script does for ``/?seed=...`` before its graph frame is sent: the store's version
(the cache key), the offline exploration, the filters, the layout of the exploration (computed
once, so that filters leave papers in place) and the graph page of the top 100. Streamlit and
the browser are left out (``bench/app_memory.py`` opens the app itself); what is timed here is
what the app adds to ``explore --offline``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from offline import STORED, run, stores_of

ROOT = Path(__file__).resolve().parents[1]

CHILD = STORED + r"""
import time
from explorer.render.draw import draw_html
from explorer.render.layout import graph_layout
from explorer.tasks import view
steps = {}
start = last = time.perf_counter()

def done(step):
    global last
    now = time.perf_counter()
    steps[step] = now - last
    last = now

store.count_papers(), store.count_edges(), store.not_relevant()
done("store version")
ex = explore(seeds, options, store=store)
done("exploration")
marks = store.statuses()
shown = view.apply_filters(ex.ranked, view.Filters(), marks, 100)
done("filters")
pos = graph_layout(ex.graph, [r.paper.paper_id for r in ex.ranked])
done("layout")
page = draw_html(ex.graph, shown, marks, None, pos)
done("graph page")
print(json.dumps({"steps": steps, "total": last - start, "papers": ex.graph.number_of_nodes(),
                  "page_mb": len(page) / 2**20}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    print("the app's first open of a link, before Streamlit sends the page (fresh process each)")
    for args, size, path, seeds in stores_of(parser):
        for tree in filter(None, [ROOT, args.base]):
            r = run(tree, path, seeds, CHILD)
            steps = ", ".join(f"{step} {s:.2f} s" for step, s in r["steps"].items())
            extra = r["total"] - r["steps"]["exploration"]
            print(f"  {size} ({r['papers']} papers), {tree}: {r['total']:.2f} s = {steps}; "
                  f"the app adds {extra:.2f} s ({extra / r['steps']['exploration']:.0%}) to "
                  "the offline load", flush=True)


if __name__ == "__main__":
    main()
