"""``explorer import-s2ag``: the S2 Academic Graph's bulk datasets -> a local graph."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from explorer.cli.common import EXIT_OK, add_common, formatter, raise_bad
from explorer.config import Settings
from explorer.s2ag.diff import apply_diff
from explorer.s2ag.importer import ImportProgress, ImportReport, import_release
from explorer.s2ag.tables import GraphSlice
from explorer.text import for_terminal

IMPORT_HELP = """\
Build a local citation graph from Semantic Scholar's bulk datasets (the S2 Academic Graph):
DIR is a release folder as the Datasets API serves it, with papers/, abstracts/,
citations/ and paper-ids/, each holding .gz JSON-lines shards. The graph goes to the folder
--graph names, as Parquet files read through DuckDB; its tables are replaced only when the
import is done, so the graph stays readable meanwhile. An import that is stopped, run again
the same way, reads only the shards it had not finished. --fields and --years keep a slice
(papers with one of the fields of study and a year in the range, every citation with an end
in it, and the papers at the other ends). --diff applies a release diff
(DIFFDIR/<dataset>/updates/ and deletes/) to a whole graph imported before.

examples:
  explorer import-s2ag ~/s2ag/2026-11-24 --graph ~/s2ag/graph
  explorer import-s2ag ~/s2ag/2026-11-24 --graph ~/cs --fields "Computer Science" --years 2015-2024
  explorer import-s2ag --diff ~/s2ag/diffs/2026-11-24--2026-12-01 --graph ~/s2ag/graph
"""

_YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?")


def add_import_s2ag(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-s2ag", help="S2AG bulk datasets -> a local graph",
                       description=IMPORT_HELP, formatter_class=formatter)
    p.add_argument("dir", metavar="DIR", nargs="?", help="a release folder of shards")
    p.add_argument("--graph", metavar="PATH", required=True, help="the graph folder to build")
    p.add_argument("--fields", metavar="FIELD", nargs="+",
                   help="keep papers with one of these fields of study (any case)")
    p.add_argument("--years", metavar="FROM-TO", help="keep papers of these years (or one YEAR)")
    p.add_argument("--diff", metavar="DIFFDIR", help="apply this release diff to the graph")
    p.add_argument("--memory-limit", metavar="SIZE", default="1GB",
                   help="DuckDB's memory limit, past which it spills to disk (default 1GB)")
    add_common(p)
    p.set_defaults(run=run_import_s2ag)


def parse_years(text: str) -> tuple[int, int]:
    """``"2015-2024"`` -> (2015, 2024); ``"2020"`` -> (2020, 2020)."""
    match = _YEARS.fullmatch(text.strip())
    if not match:
        raise_bad(f"--years takes YEAR or FROM-TO (2015-2024), not {text!r}")
    lo, hi = int(match[1]), int(match[2] or match[1])
    if lo > hi:
        raise_bad(f"--years {text}: {lo} is after {hi}")
    return lo, hi


def run_import_s2ag(args: argparse.Namespace, settings: Settings) -> int:
    graph = Path(args.graph).expanduser()
    graph_slice = GraphSlice(tuple(args.fields) if args.fields else None,
                             parse_years(args.years) if args.years else None)
    if args.diff:
        if args.dir:
            raise_bad("give DIR to import a release or --diff to apply a diff, not both")
        if not graph_slice.whole:
            raise_bad("--fields and --years choose what an import keeps; a diff keeps what "
                      "the graph holds")
        report = apply_diff(Path(args.diff).expanduser(), graph, progress=print_progress,
                            memory_limit=args.memory_limit)
        print(f"applied the diff {args.diff} to {graph}: {summary(report)}")
        return EXIT_OK
    if not args.dir:
        raise_bad("give DIR, a release folder of shards, or --diff DIFFDIR")
    report = import_release(Path(args.dir).expanduser(), graph, graph_slice,
                            progress=print_progress, memory_limit=args.memory_limit)
    release = f"release {report.release}" if report.release else args.dir
    print(f"imported {release} into {graph}: {summary(report)}")
    return EXIT_OK


def print_progress(p: ImportProgress) -> None:
    """One line on stderr per shard read."""
    head = f"{p.files_done}/{p.files_total} {p.dataset} {p.shard}"
    if p.reused:
        line = f"{head}: read before ({p.records} records)"
    else:
        line = f"{head}: {p.records} records in {p.seconds:.1f} s"
        if p.edges:
            line += f", {p.edges} edges ({p.edges_per_second:,.0f} edges/s)"
    print(for_terminal(line), file=sys.stderr, flush=True)


def summary(report: ImportReport) -> str:
    c = report.counts
    kept = "" if report.slice.whole else " (a slice, with the papers its citations reach)"
    return (f"{c['papers']} papers{kept}, {c['citations']} citations ({c['unresolved']} "
            f"unresolved and {c['duplicates']} duplicate references dropped), "
            f"{c['abstracts']} abstracts, {c['paper_ids']} paper ids; {report.read} shards "
            f"read, {report.reused} read before, in {report.seconds:.1f} s")
