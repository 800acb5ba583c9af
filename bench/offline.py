"""Loading a stored exploration: ``explore --offline`` at 10k and 60k papers, against a base tree.

Run: ``.venv/bin/python bench/offline.py --corpus ../shared/dev-corpus [--base /tmp/base]``

The stores are made by a real walk: the corpus is copied under fresh ids, the fake S2 serves
each copy on 127.0.0.1 in turn, and explorer walks the three most cited papers of each copy at
depth 2 with no pacing, copy after copy until the store holds 10k (or 60k) papers. The ACL
Anthology Network corpus (``../shared/dev-corpus``, titles only) gives 5,094 papers a copy;
the S2-shaped corpus (``../shared/s2-corpus``: abstracts, authors, citation contexts) 1,739,
the shape of the stores of real walks. The stores are kept in ``--work`` (one per corpus and
size) and reused. Then each tree (this checkout and ``--base``, e.g. made by ``git
archive main | tar -x -C /tmp/base``) runs the offline exploration in a fresh subprocess,
best of ``--repeat``, with its own peak memory (``VmHWM``); the two results must be the same
graph and the same ranking (order, scores and reasons). Each tree's first run is printed too:
what explorer keeps of an exploration between runs (its text similarity) is dropped before
it, so it is the first open of a walk; the best is a reopening. A tree that keeps snapshots of
ranked explorations (a ``snapshots`` table) reports three figures: reopened (the best, from
the snapshot), computed (the best with the snapshots dropped but the similarity kept: what a
reopening was before them) and its first run (both dropped), with what keeping the snapshot
cost that first run (pickling and packing it, writing it) and the bytes kept. Every run of
every tree, in every mode, must give the same graph and ranking.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from corpus_option import checked_corpus

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"10k": 10_000, "60k": 60_000}
"""Papers each store holds at least: copies of the corpus are walked until it does (two copies
of the dev corpus for 10k and twelve for 60k; six and 35 of the S2-shaped corpus)."""
SEEDS_A_COPY = 3

STORED = r"""
import json, sys
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore
store = Store(sys.argv[1])
seeds = json.loads(sys.argv[2])
# The walk the stores were built by: trees that know the neighbours' citers leave them out.
known = ExploreOptions.__dataclass_fields__
options = ExploreOptions(depth=2, offline=True,
                         **({"neighbour_citers": False} if "neighbour_citers" in known else {}))
"""
"""The start of every bench child on these stores: ``store``, ``seeds`` and the ``options`` of
the walk they hold, in whichever tree runs it."""

CHILD = STORED + r"""
import hashlib, time
keeping = [0.0]
# What keeping a snapshot costs, in the trees that keep them (asked of the tree's own Store:
# an editable install can find explorer.snapshot in another tree).
if hasattr(Store, "keep_snapshot"):
    import explorer.snapshot as snapshot
else:
    snapshot = None
if snapshot is not None:
    def timed(owner, name):
        inner = getattr(owner, name)
        def wrapper(*args, **kw):
            began = time.perf_counter()
            try:
                return inner(*args, **kw)
            finally:
                keeping[0] += time.perf_counter() - began
        setattr(owner, name, wrapper)
    timed(snapshot, "dump")
    timed(Store, "keep_snapshot")
start, cpu = time.perf_counter(), time.process_time()
result = explore(seeds, options, store=store)
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
g = result.graph
h = hashlib.sha256()
for u, v, d in sorted(g.edges(data=True)):
    h.update(repr((u, v, d["is_influential"], d["contexts"], d["intents"])).encode())
for n in sorted(g):
    h.update(repr(g.nodes[n]["paper"]).encode())
ranking = hashlib.sha256()
for r in result.ranked:
    ranking.update(repr((r.paper.paper_id, round(r.score, 12), r.reasons)).encode())
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM:")) / 1024
print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mb": peak,
                  "papers": g.number_of_nodes(), "edges": g.number_of_edges(),
                  "partial": result.partial, "graph": h.hexdigest(), "keeping": keeping[0],
                  "ranking": ranking.hexdigest()}))
"""


def corpus_lines(folder: Path, name: str) -> list[dict]:  # type: ignore[type-arg]
    """The records of one JSONL file of a corpus folder, plain or gzipped."""
    plain, packed = folder / name, folder / f"{name}.gz"
    opener = gzip.open if packed.exists() else open
    with opener(packed if packed.exists() else plain, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _new_id(copy: int, pid: str) -> str:
    return pid if copy == 0 else hashlib.sha1(f"{copy}:{pid}".encode()).hexdigest()


def copy_corpus(papers: list[dict], edges: list[dict], copy: int,  # type: ignore[type-arg]
                out: Path) -> None:
    """Write copy number ``copy`` of the corpus into ``out``, under fresh ids; its titles end
    in `` (copy N)``, so that no two copies are one work (which would merge them)."""
    with open(out / "papers.jsonl", "w", encoding="utf-8") as f:
        for p in papers:
            ids = {kind: (v if copy == 0 else f"{v}~{copy}")
                   for kind, v in (p.get("externalIds") or {}).items()}
            title = p.get("title")
            if copy and title:
                title = f"{title} (copy {copy})"
            f.write(json.dumps({**p, "paperId": _new_id(copy, p["paperId"]),
                                "externalIds": ids, "title": title}) + "\n")
    with open(out / "citations.jsonl", "w", encoding="utf-8") as f:
        for e in edges:
            f.write(json.dumps({**e, "citingPaperId": _new_id(copy, e["citingPaperId"]),
                                "citedPaperId": _new_id(copy, e["citedPaperId"])}) + "\n")


def build_store(corpus: Path, papers_at_least: int, path: Path) -> list[str]:
    """Walk the three most cited papers of each copy at depth 2 into a new store at ``path``,
    one copy (and one fake server) at a time, until it holds ``papers_at_least`` papers;
    return every seed."""
    from explorer.fake_s2 import FakeS2
    from explorer.sources.s2 import S2Client
    from explorer.store import Store
    from explorer.tasks.explore import ExploreOptions, explore

    papers, edges = corpus_lines(corpus, "papers.jsonl"), corpus_lines(corpus, "citations.jsonl")
    cited: dict[str, int] = {}
    for e in edges:
        cited[e["citedPaperId"]] = cited.get(e["citedPaperId"], 0) + 1
    top = sorted(cited, key=lambda p: (-cited[p], p))[:SEEDS_A_COPY]
    store = Store(path)
    every: list[str] = []
    k = 0
    while store.count_papers() < papers_at_least:
        seeds = [_new_id(k, p) for p in top]
        with tempfile.TemporaryDirectory() as tmp:
            copy_corpus(papers, edges, k, Path(tmp))
            with FakeS2(tmp) as fake:
                client = S2Client(fake.url, min_interval=0)
                result = explore(seeds, ExploreOptions(depth=2, neighbour_citers=False),
                                 store=store, client=client)
                client.close()
        if result.partial:
            sys.exit(f"error: the walk that builds {path} stopped: {result.report.error}")
        every += seeds
        k += 1
    store.close()
    return every


def stored_walk(corpus: Path, work: Path, size: str) -> tuple[Path, list[str]]:
    """The store of ``size`` in ``work`` and its seeds, walked first if it is not there."""
    path = work / f"store-{size}-{corpus.resolve().name}.db"
    seeds_file = path.with_suffix(".seeds.json")
    if not seeds_file.exists():
        start = time.perf_counter()
        path.unlink(missing_ok=True)
        seeds_file.write_text(json.dumps(build_store(corpus, TARGETS[size], path)))
        print(f"  built {path} in {time.perf_counter() - start:.0f} s")
    return path, json.loads(seeds_file.read_text())


OPEN_CHILD = STORED + r"""
print("{}")
"""
"""Opens the store, which migrates it to the tree's schema version."""

SCHEMA_CHILD = r"""
import json, sqlite3
from explorer.store import SCHEMA, SCHEMA_VERSION
db = sqlite3.connect(":memory:")
db.executescript(SCHEMA)
tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
print(json.dumps({"version": SCHEMA_VERSION, "tables": tables}))
"""


def store_for(tree: Path, store: Path) -> Path:
    """``store`` as ``tree``'s code can open it: a copy (kept beside it) without the tables of
    later schema versions, when the store is newer than that code. Those versions only add
    tables, none of which an offline exploration reads."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", SCHEMA_CHILD], env=env, cwd=tree,
                         capture_output=True, text=True, check=True)
    schema = json.loads(out.stdout)
    db = sqlite3.connect(store)
    found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    db.close()
    if int(found) <= int(schema["version"]):
        return store
    older = store.with_suffix(f".v{schema['version']}.db")
    if not older.exists():
        partial = older.with_suffix(".partial")
        source, copy = sqlite3.connect(store), sqlite3.connect(partial)
        source.backup(copy)
        source.close()
        later = [r[0] for r in copy.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            if r[0] not in schema["tables"]]
        for table in later:
            copy.execute(f'DROP TABLE "{table}"')
        copy.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                     (schema["version"],))
        copy.commit()
        copy.close()
        partial.rename(older)
    return older


def run(tree: Path, store: Path, seeds: list[str], child: str = CHILD) -> dict[str, float]:
    """What ``child`` prints last (JSON), run by ``tree``'s code on the store (or a copy its
    schema version can open, :func:`store_for`) and seeds."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", child, str(store_for(tree, store)),
                          json.dumps(seeds)],
                         env=env, cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


KEPT = ("vector_cache", "snapshots")
"""The tables of what explorer keeps between runs of an exploration: its text similarity and
snapshots of ranked explorations."""


def forget_kept(store: Path, tables: tuple[str, ...] = KEPT) -> bool:
    """Empty ``tables`` (those of :data:`KEPT` the store has), so that a tree's next run
    computes what they kept: all of them before its first run, as the first open of a walk
    stored by an older explorer; whether the store has a snapshots table."""
    db = sqlite3.connect(store)
    found = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in tables:
        if table in found:
            db.execute(f"DELETE FROM {table}")
    db.commit()
    db.close()
    return "snapshots" in found


def snapshot_bytes(store: Path) -> int:
    """The bytes of the snapshots a store keeps."""
    db = sqlite3.connect(store)
    size = db.execute("SELECT coalesce(sum(size), 0) FROM snapshots").fetchone()[0]
    db.close()
    return int(size)


def best(trees: list[Path], store: Path, seeds: list[str], repeat: int
         ) -> list[dict[str, dict[str, float]]]:
    """Each tree's first run (nothing kept from an earlier one), its fastest of ``repeat``
    reopenings and, for a tree that keeps snapshots, its fastest of ``repeat`` runs computed
    with the snapshots dropped (``"computed"``), the trees taking turns, so that a burst of
    load on a shared machine falls on all. ``"all"`` lists every run."""
    snapshots = [forget_kept(store_for(tree, store)) for tree in trees]
    runs: list[dict[str, list[dict[str, float]]]] = []
    for tree in trees:
        first = run(tree, store, seeds)
        runs.append({"first": [first], "best": [], "computed": []})
    for _ in range(repeat):
        for mine, tree, kept in zip(runs, trees, snapshots, strict=True):
            mine["best"].append(run(tree, store, seeds))
            if kept:
                forget_kept(store_for(tree, store), ("snapshots",))
                mine["computed"].append(run(tree, store, seeds))
    return [{"all": [r for mode in mine.values() for r in mode]}
            | {mode: min(found, key=lambda r: r["seconds"]) for mode, found in mine.items()
               if found} for mine in runs]


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """``--corpus``, ``--base``, ``--work`` and ``--sizes``, for the benches on these stores."""
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "dev-corpus",
                        help="folder with papers.jsonl[.gz] and citations.jsonl[.gz]")
    parser.add_argument("--base", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "h15-stores",
                        help="where the built stores are kept between runs")
    parser.add_argument("--sizes", nargs="+", default=list(TARGETS), choices=list(TARGETS))


def compared(tree: Path, old: dict[str, float], new: dict[str, float]) -> str:
    """How ``tree``'s run ``old`` compares with this checkout's ``new``."""
    same = [what for what in ("graph", "ranking") if old[what] == new[what]]
    differ = [what for what in ("graph", "ranking") if old[what] != new[what]]
    verdict = ", ".join(([f"same {' and '.join(same)}"] if same else [])
                        + ([f"{' and '.join(differ).upper()} DIFFER"] if differ else []))
    return (f"{tree}: {old['seconds']:.2f} s ({old['cpu']:.2f} s CPU), {old['peak_mb']:.0f} MB "
            f"peak: x{old['seconds'] / new['seconds']:.2f} faster "
            f"(x{old['cpu'] / new['cpu']:.2f} in CPU time), {verdict}")


def stores_of(parser: argparse.ArgumentParser) -> Iterator[tuple[argparse.Namespace, str, Path,
                                                                 list[str]]]:
    """Parse the store options (:func:`add_store_options`) and yield, for each size asked
    for, the arguments, the size, its store (walked first if it is not there) and its seeds."""
    add_store_options(parser)
    args = parser.parse_args()
    checked_corpus(args.corpus)
    args.work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        yield (args, size, *stored_walk(args.corpus, args.work, size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--also", type=Path, action="append", default=[],
                        help="another checkout to compare with (repeatable), e.g. the code "
                             "before a change, whose graph and ranking must be the same")
    parser.add_argument("--repeat", type=int, default=3)
    for n, (args, size, path, seeds) in enumerate(stores_of(parser)):
        if n == 0:  # after the options and the corpus are checked
            print("explore --offline, depth 2: the best of each tree's runs, each in a fresh "
                  "process")
        others = [tree for tree in [args.base, *args.also] if tree]
        run(ROOT, path, seeds, OPEN_CHILD)  # migrated first: older trees get a copy of it
        mine, *olds = best([ROOT, *others], path, seeds, args.repeat)
        new, first = mine["best"], mine["first"]
        computed = mine.get("computed")
        print(f"  {size}: {new['papers']} papers, {new['edges']} edges: "
              + ("reopened from the snapshot " if computed else "")
              + f"{new['seconds']:.2f} s ({new['cpu']:.2f} s CPU), {new['peak_mb']:.0f} MB peak"
              + (" (PARTIAL: the store lacks part of the walk)" if new["partial"] else ""))
        if computed:
            print(f"    computed (snapshots dropped, similarity kept) {computed['seconds']:.2f} s"
                  f" ({computed['cpu']:.2f} s CPU), {computed['peak_mb']:.0f} MB peak, of which"
                  f" keeping the snapshot {computed['keeping']:.2f} s; snapshot "
                  f"{snapshot_bytes(path) / 1e6:.1f} MB")
        print(f"    first run (nothing kept) {first['seconds']:.2f} s ({first['cpu']:.2f} s CPU)"
              + (f", of which keeping the snapshot {first['keeping']:.2f} s" if computed else ""))
        modes = {(r["graph"], r["ranking"]) for r in mine["all"]}
        if len(modes) > 1:
            print("    THIS TREE'S MODES DIFFER: graph or ranking not the same in every run")
        for tree, old in zip(others, olds, strict=True):
            print("    " + compared(tree, old["best"], new)
                  + (f"; x{old['best']['seconds'] / computed['seconds']:.2f} of computed"
                     if computed else "")
                  + f"; first runs x{old['first']['seconds'] / first['seconds']:.2f}"
                  + ("" if len({(r["graph"], r["ranking"]) for r in old["all"]}) == 1
                     else "; ITS OWN RUNS DIFFER"))


if __name__ == "__main__":
    main()
