"""Clusters and the similarity map at 10k and 60k papers: what is shown, against a base tree.

Run: ``.venv/bin/python bench/maps.py --corpus ../shared/dev-corpus [--base /tmp/base]``

The stores are bench/offline.py's (the ACL Anthology Network corpus copied and walked; kept in
``--work`` and reused). Each tree (this checkout and ``--base``, e.g. made by ``git archive
main | tar -x -C /tmp/base``) loads the exploration offline in a fresh subprocess, then times
what a user waits for once it is loaded:

- ``explore --clusters``: the cluster labels of the top 20 papers printed (the base tree
  clusters the whole graph, as its command line does);
- the Maps page: clusters, then the similarity map's layout, of the 500 papers it shows (the
  base tree clusters the whole graph, then lays out the 500).

Both trees must print the same ranking; the clusters themselves differ by design (the base
clusters every paper, this tree the papers shown).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from corpus_option import checked_corpus
from offline import STORED, add_store_options, run, stored_walk

ROOT = Path(__file__).resolve().parents[1]

CHILD = STORED + r"""
import hashlib, inspect, time
from explorer.analysis.clusters import cluster_map
from explorer.analysis.similarity import similarity_layout
start = time.perf_counter()
ex = explore(seeds, options, store=store, record=False)
load = time.perf_counter() - start
shown_ids = lambda n: [r.paper.paper_id for r in ex.ranked[:n]]
new = "among" in inspect.signature(cluster_map).parameters
def clusters(ids):
    return cluster_map(ex.graph, among=ids) if new else cluster_map(ex.graph)
start = time.perf_counter()
cli = clusters(shown_ids(20))
labels = [cli.label_of(p) for p in shown_ids(20)]
cli_s = time.perf_counter() - start
start = time.perf_counter()
ids = shown_ids(500)
found = clusters(ids)
groups = {}
for pid in ids:
    groups.setdefault(found.of.get(pid, -1), []).append(pid)
pos = similarity_layout(found.similarity.subgraph(ids), list(groups.values()))
maps_s = time.perf_counter() - start
assert set(pos) == set(ids) and all(labels)
h = hashlib.sha256(repr([(r.paper.paper_id, round(r.score, 12)) for r in ex.ranked]).encode())
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM:")) / 1024
print(json.dumps({"load_s": load, "cli_s": cli_s, "maps_s": maps_s, "peak_mb": peak,
                  "clusters_shown": len({found.of[p] for p in ids}),
                  "papers": ex.graph.number_of_nodes(), "digest": h.hexdigest()}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_store_options(parser)
    args = parser.parse_args()
    checked_corpus(args.corpus)
    args.work.mkdir(parents=True, exist_ok=True)
    print("clusters and maps of what is shown, after an offline load (fresh process each)")
    for size in args.sizes:
        path, seeds = stored_walk(args.corpus, args.work, size)
        new = run(ROOT, path, seeds, CHILD)
        print(f"  {size} ({new['papers']} papers, loaded in {new['load_s']:.1f} s): "
              f"explore --clusters top 20 {new['cli_s']:.2f} s, Maps page 500 papers "
              f"{new['maps_s']:.2f} s ({new['clusters_shown']} clusters), "
              f"{new['peak_mb']:.0f} MB peak", flush=True)
        if args.base:
            old = run(args.base, path, seeds, CHILD)
            same = "same ranking" if old["digest"] == new["digest"] else "RANKINGS DIFFER"
            print(f"    {args.base}: --clusters {old['cli_s']:.2f} s "
                  f"(x{old['cli_s'] / new['cli_s']:.1f}), Maps page {old['maps_s']:.2f} s "
                  f"(x{old['maps_s'] / new['maps_s']:.1f}), {old['peak_mb']:.0f} MB peak; "
                  f"{same}", flush=True)


if __name__ == "__main__":
    main()
