"""``explorer library sync|missing`` and the library side of ``explorer explore``
(``--zotero COLLECTION``, ``--library FILE``, ``--missing``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping

from explorer.cli.common import (
    EXIT_OK,
    add_common,
    check_outputs,
    formatter,
    open_store,
    print_some,
    print_table,
    progress_printer,
    report_walk,
    write_outputs,
)
from explorer.config import Settings
from explorer.errors import NothingYetError
from explorer.seeds.library import Library, read_library_file
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.explore import Exploration, ExploreOptions, explore
from explorer.tasks.export import last_exploration
from explorer.tasks.library import (
    Synced,
    collection_seeds,
    in_library,
    library_label,
    mark_library,
    missing_from_library,
    read_zotero,
    sync_library,
)

LIBRARY_HELP = """\
Your Zotero library (or a Better BibTeX CSL-JSON or BibLaTeX export) as an input.

`sync` reads the whole library from Zotero's local API (Zotero 7: Settings → Advanced →
"Allow other applications on this computer to communicate with Zotero"; $ZOTERO_API_URL,
default http://localhost:23119/api), finds its works on Semantic Scholar and keeps the
snapshot in the store, with your citation keys. Every exploration then flags the papers
already in your library. `missing` lists what the last exploration found that your library
lacks, with the reasons.

examples:
  explorer library sync
  explorer library sync --file "My Library.json"
  explorer library missing --top 30 --csv to-add.csv
  explorer explore --zotero "LLM papers" --missing
"""


def add_library(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("library", help="your Zotero library as an input",
                       description=LIBRARY_HELP, formatter_class=formatter)
    inner = p.add_subparsers(title="library commands", metavar="ACTION",
                             parser_class=type(p))
    s = inner.add_parser("sync", help="read the library into the store",
                         description=LIBRARY_HELP, formatter_class=formatter)
    s.add_argument("--file", metavar="FILE",
                   help="a CSL-JSON (.json), BibTeX/BibLaTeX (.bib) or RIS file instead of "
                        "Zotero")
    s.add_argument("--offline", action="store_true",
                   help="find the works in the store alone (no Semantic Scholar requests)")
    add_common(s)
    s.set_defaults(run=run_sync)
    m = inner.add_parser("missing", help="what the last exploration found that the library "
                         "lacks", description=LIBRARY_HELP, formatter_class=formatter)
    m.add_argument("--top", type=int, default=20, metavar="N", help="rows to print (default 20)")
    m.add_argument("--csv", metavar="PATH", help="write them as CSV")
    m.add_argument("--json", metavar="PATH", help="write them as JSON")
    add_common(m)
    m.set_defaults(run=run_missing)
    add_common(p)
    p.set_defaults(run=lambda args, settings: _usage(p))


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help()
    return 1


def add_explore_options(p: argparse.ArgumentParser) -> None:
    """The library options of ``explorer explore``."""
    p.add_argument("--zotero", metavar="COLLECTION",
                   help="a Zotero collection (name or key): its papers are the seeds; the "
                        "library is synced first")
    p.add_argument("--library", metavar="FILE",
                   help="a CSL-JSON or BibLaTeX export of your library: its papers are the "
                        "seeds and the library")
    p.add_argument("--missing", action="store_true",
                   help="also list what your library is missing around the seeds")


def read_library(args: argparse.Namespace, settings: Settings) -> Library:
    """The library the arguments name: a file, else Zotero (before any other request)."""
    path = getattr(args, "file", None) or getattr(args, "library", None)
    if path:
        return read_library_file(path)
    with settings.zotero_client() as zotero:
        return read_zotero(zotero)


def _sync(library: Library, store: Store, client: S2Client | None) -> Synced:
    synced = sync_library(library, store, client)
    print(f"library: {len(synced.rows)} works, {len(synced.found)} found"
          + (f", {len(synced.not_found)} not found" if synced.not_found else "")
          + f" ({synced.requests} Semantic Scholar requests)", file=sys.stderr)
    print_some([f"  not found: {r.title or r.item_key}: {r.problem}" for r in synced.not_found],
               "works")
    return synced


def run_sync(args: argparse.Namespace, settings: Settings) -> int:
    library = read_library(args, settings)
    store = open_store(args, settings)
    with settings.s2_client_or_none(offline=args.offline) as client:
        synced = _sync(library, store, client)
    print(f"{len(synced.found)} papers of {library_label(store)} kept in the store "
          f"({synced.requests} requests)")
    return EXIT_OK


def run_missing(args: argparse.Namespace, settings: Settings) -> int:
    check_outputs(args.csv, args.json)
    store = open_store(args, settings)
    members = in_library(store)
    if not members and store.library_source() is None:
        raise NothingYetError("no library in the store yet", what="library")
    result = last_exploration(store)
    if result is None:
        raise NothingYetError("no exploration in the store yet", what="exploration")
    _print_missing(result, members, args.top)
    write_outputs(missing_from_library(result, members), args.csv, args.json)
    return EXIT_OK


def _print_missing(result: Exploration, members: set[str], top: int) -> None:
    missing = missing_from_library(result, members)
    print(f"\nWhat your library is missing: {len(missing)} papers of the exploration cited "
          "by, or citing, papers in it:")
    print_table(missing[:top])


def run_library_explore(args: argparse.Namespace, settings: Settings) -> int:
    """``explore --zotero COLLECTION`` or ``--library FILE``: sync, then explore from it.

    The library is read whole before any request to Semantic Scholar; offline, a Zotero
    collection comes from the snapshot already in the store."""
    library = None if args.offline and args.zotero else read_library(args, settings)
    store = open_store(args, settings)
    options = ExploreOptions(args.depth, args.direction, args.refresh, args.offline)
    with settings.s2_client_or_none(offline=args.offline,
                                    max_requests=args.max_requests) as client:
        synced = _sync(library, store, client) if library is not None else None
        seeds = (collection_seeds(store, args.zotero) if args.zotero
                 else [r.paper_id for r in synced.found if r.paper_id] if synced else [])
        result = explore(list(dict.fromkeys([*args.seeds, *seeds])), options, store=store,
                         client=client, arxiv=settings.arxiv_or_none(args.offline),
                         progress=progress_printer())
    show_ranked(result, store, args)
    return report_walk(result)


def show_ranked(result: Exploration, store: Store, args: argparse.Namespace,
                clusters: Mapping[str, str] | None = None) -> None:
    """The ranking's table and outputs, with the library's papers flagged when the store
    holds a library, and what the library is missing when ``--missing`` asks for it."""
    has_library = store.library_source() is not None
    members = in_library(store) if has_library else None
    ranked = (mark_library(result.ranked, members, library_label(store))
              if members is not None else result.ranked)
    print_table(ranked[: args.top], statuses=store.statuses(), clusters=clusters,
                library=members)
    write_outputs(ranked, args.csv, args.json, clusters=clusters, library=members)
    if getattr(args, "missing", False):
        if members is None:
            raise NothingYetError("no library in the store yet", what="library")
        _print_missing(result, members, args.top)
