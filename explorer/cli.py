"""The ``explorer`` command: arguments in, one library call, a message and an exit code out.

Exit codes: 0 ok, 1 bad input (or nothing found), 2 service failure, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import io
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NoReturn

from explorer import __version__
from explorer.config import Settings
from explorer.errors import BadInputError, ExplorerError
from explorer.export import CSV_COLUMNS, check_target, csv_text, json_text, row, save, write_csv
from explorer.models import Ranked
from explorer.pipeline import Exploration, ExploreOptions, exploration_summary, explore
from explorer.sources.arxiv import ArxivClient
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.walk import Progress

EXIT_OK, EXIT_BAD_INPUT, EXIT_SERVICE = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 1."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see: {self.prog} --help)\n")


def formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


# shared pieces for every command


def open_store(args: argparse.Namespace, settings: Settings) -> Store:
    return Store(Path(args.db).expanduser() if getattr(args, "db", None) else settings.db_path)


def make_client(settings: Settings, max_requests: int | None = None) -> S2Client:
    return S2Client(
        settings.s2_api_url, settings.s2_api_key, timeout=settings.timeout,
        max_retries=settings.max_retries, backoff=settings.backoff,
        min_interval=settings.min_interval, max_requests=max_requests,
    )


def make_arxiv(settings: Settings) -> ArxivClient:
    return ArxivClient(settings.arxiv_api_url, timeout=min(settings.timeout, 20.0))


def progress_printer(stream=sys.stderr) -> Callable[[Progress], None]:  # type: ignore[no-untyped-def]
    """Progress on stderr: one updating line on a terminal, a line a second otherwise."""
    tty = stream.isatty()
    last = [0.0]

    def show(p: Progress) -> None:
        line = f"{p.papers} papers · {p.requests} requests · {p.pages} pages · {p.message}"
        if tty:
            width = shutil.get_terminal_size().columns - 1
            stream.write("\r" + line[:width].ljust(width))
            if p.message == "done":
                stream.write("\n")
        elif p.message == "done" or time.monotonic() - last[0] >= 1.0:
            stream.write(line + "\n")
            last[0] = time.monotonic()
        stream.flush()

    return show


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", metavar="PATH",
                   help="store file (default: $EXPLORER_DB or "
                        "~/.local/share/explorer/explorer.sqlite)")


def print_table(ranked: Sequence[Ranked], out=None,  # type: ignore[no-untyped-def]
                statuses: dict[str, str] | None = None,
                clusters: Mapping[str, str] | None = None) -> None:
    """The ranking as a table; papers whose reading-list status is "read" are flagged;
    ``clusters`` (label by paper id) adds a cluster column."""
    out = out or sys.stdout
    width = max(80, shutil.get_terminal_size((120, 24)).columns)
    title_w = max(30, min(70, width // 2))
    cluster_w = 0 if clusters is None else 28
    head = f"{'cluster':<{cluster_w}}  " if cluster_w else ""
    out.write(f"{'rank':>4}  {'title':<{title_w}}  {'year':>4}  {'score':>5}  {head}reasons\n")
    for r in ranked:
        title = " ".join((r.paper.title or r.paper.paper_id).split())
        if (statuses or {}).get(r.paper.paper_id) == "read":
            title = "[read] " + title
        if len(title) > title_w:
            title = title[: title_w - 1] + "…"
        year = str(r.paper.year or "")
        reasons = "; ".join(r.reasons)
        if cluster_w:
            label = (clusters or {}).get(r.paper.paper_id, "")[:cluster_w]
            reasons = f"{label:<{cluster_w}}  {reasons}"
        out.write(f"{r.rank:>4}  {title:<{title_w}}  {year:>4}  {r.score:5.3f}  {reasons}\n")


def check_outputs(*paths: str | None) -> None:
    """Refuse an output path that cannot be written before any request is spent."""
    for path in paths:
        if path is not None:
            check_target(path)


def write_outputs(ranked: Sequence[Ranked], csv_path: str | None, json_path: str | None,
                  clusters: Mapping[str, str] | None = None) -> None:
    """``clusters`` (label by paper id) appends a ``cluster`` column to the CSV.

    An empty path is an error (``save`` says so), not a silent skip."""
    if csv_path is not None:
        if clusters is None:
            save(csv_path, csv_text(ranked))
        else:
            buf = io.StringIO()
            rows = ({**row(r), "cluster": clusters.get(r.paper.paper_id, "")} for r in ranked)
            write_csv(rows, buf, (*CSV_COLUMNS, "cluster"))
            save(csv_path, buf.getvalue())
        print(f"wrote {len(ranked)} rows to {csv_path}", file=sys.stderr)
    if json_path is not None:
        save(json_path, json_text(ranked))
        print(f"wrote {len(ranked)} records to {json_path}", file=sys.stderr)


def report_walk(result: Exploration) -> int:
    """Print the summary line and warnings; the exit code for a walk that ended early."""
    s = exploration_summary(result)
    partial = " (partial)" if s["partial"] else ""
    print(
        f"{s['papers']} papers, {s['edges']} edges{partial} · {s['requests']} requests "
        f"({s['pages']} pages) · {s['store_hits']} store hits",
    )
    for w in result.report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if result.report.error is not None:
        print(f"error: {result.report.error} (results above are partial; "
              "run again to continue)", file=sys.stderr)
        return result.report.error.exit_code
    return EXIT_OK


# explore


EXPLORE_HELP = """\
Rank the papers around one or more seeds, with the reasons for each.

A seed is an arXiv id (1706.03762, hep-th/9901001, an arxiv.org URL), a DOI, a Semantic
Scholar id or URL, CorpusId:N, or a title in quotes. Everything fetched is kept in the store,
so running the same exploration again makes no requests.

examples:
  explorer explore 1706.03762 --csv reading.csv
  explorer explore 1706.03762 1810.04805 --depth 2 --top 50
  explorer explore "Attention is all you need" --direction citations --json out.json
  explorer explore --survey ARXIV:2005.14165 --csv survey.csv
  explorer explore --bib references.bib --depth 2
"""


def add_explore(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explore", help="rank the papers around seeds",
                       description=EXPLORE_HELP, formatter_class=formatter)
    p.add_argument("seeds", nargs="*", metavar="SEED", help="paper ids, URLs or titles")
    p.add_argument("--depth", type=int, choices=(1, 2), default=ExploreOptions.depth,
                   help="1: seeds with references and citations; 2: also the references "
                        f"and citers of every neighbour (default {ExploreOptions.depth})")
    p.add_argument("--direction", choices=("both", "references", "citations"), default="both")
    p.add_argument("--top", type=int, default=20, metavar="N",
                   help="rows to print (default 20; CSV/JSON get every paper)")
    p.add_argument("--csv", metavar="PATH", help="write the reading-list CSV")
    p.add_argument("--json", metavar="PATH", help="write the ranking as JSON")
    p.add_argument("--offline", action="store_true", help="answer from the store alone")
    p.add_argument("--refresh", action="store_true", help="fetch again what the store has")
    p.add_argument("--max-requests", type=int, metavar="N",
                   help="stop the walk after N requests, keeping what was fetched")
    p.add_argument("--survey", metavar="SEED",
                   help="a survey: its references are the seeds; ranks them and lists what "
                        "it missed")
    p.add_argument("--bib", metavar="FILE", help="a BibTeX file: its entries are the seeds")
    p.add_argument("--ris", metavar="FILE", help="an RIS file: its records are the seeds")
    p.add_argument("--clusters", action="store_true",
                   help="label each paper with its cluster of the similarity map (a table "
                        "column, and a cluster column after the others in the CSV)")
    add_common(p)
    p.set_defaults(run=run_explore)


def run_explore(args: argparse.Namespace, settings: Settings) -> int:
    if args.top < 0 or (args.max_requests is not None and args.max_requests < 0):
        raise_bad("--top and --max-requests must not be negative")
    check_outputs(args.csv, args.json)
    if args.survey or args.bib or args.ris:
        from explorer.cli_survey import run_survey

        return run_survey(args, settings)
    options = ExploreOptions(args.depth, args.direction, args.refresh, args.offline)
    seeds = list(args.seeds)
    store = open_store(args, settings)
    client = None if args.offline else make_client(settings, args.max_requests)
    try:
        result = explore(
            seeds, options, store=store, client=client,
            arxiv=None if args.offline else make_arxiv(settings),
            progress=progress_printer(),
        )
    finally:
        if client:
            client.close()
    labels = None
    if args.clusters:
        from explorer.clusters import cluster_map

        found = cluster_map(result.graph)
        labels = {pid: found.label_of(pid) for pid in result.graph}
    print_table(result.ranked[: args.top], statuses=store.statuses(), clusters=labels)
    write_outputs(result.ranked, args.csv, args.json, clusters=labels)
    return report_walk(result)


def raise_bad(message: str) -> NoReturn:
    raise BadInputError(message)


# show


SHOW_HELP = """\
Print one paper's details from the store, fetching it if the store lacks it.

examples:
  explorer show 1706.03762
  explorer show DOI:10.1093/mind/LIX.236.433 --offline
"""


def add_show(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="one paper's details", description=SHOW_HELP,
                       formatter_class=formatter)
    p.add_argument("id", metavar="ID", help="a paper id, URL or title")
    p.add_argument("--offline", action="store_true", help="answer from the store alone")
    add_common(p)
    p.set_defaults(run=run_show)


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    from explorer.details import describe, find_paper

    store = open_store(args, settings)
    client = None if args.offline else make_client(settings)
    try:
        paper = find_paper(args.id, store, client)
    finally:
        if client:
            client.close()
    print(describe(paper, store))
    return EXIT_OK


# main

COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [add_explore, add_show]


def lazy_command(module: str, name: str) -> Callable[[argparse._SubParsersAction], None]:
    """``module.name`` as a COMMANDS entry, imported only when the parser is built (the
    ``cli_*`` modules import this one)."""

    def add(sub: argparse._SubParsersAction) -> None:
        getattr(importlib.import_module(module), name)(sub)

    return add


COMMANDS += [lazy_command("explorer.cli_list", "add_list"),
             lazy_command("explorer.cli_export", "add_export"),
             lazy_command("explorer.cli_watch", "add_watch")]
COMMANDS.append(lazy_command("explorer.cli_cites", "add_cites"))
COMMANDS.append(lazy_command("explorer.cli_connect", "add_connect"))


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="explorer",
        description="Explore the citation graph around papers, ranked and explained.\n\n"
                    "example:\n  explorer explore 1706.03762 --csv reading.csv",
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log requests and retries")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_BAD_INPUT
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = Settings.from_env(os.environ)
    try:
        return int(args.run(args, settings))
    except ExplorerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a file the user named cannot be read or written
        where = f": {exc.filename}" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("\ninterrupted; what was fetched is kept", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
