"""``explorer explore`` (survey and bibliography modes in :mod:`explorer.cli.survey`) and
``explorer show``."""

from __future__ import annotations

import argparse

from explorer.analysis.clusters import cluster_map
from explorer.cli.common import (
    EXIT_OK,
    add_common,
    check_outputs,
    formatter,
    open_store,
    progress_printer,
    raise_bad,
    report_walk,
)
from explorer.cli.library import add_explore_options, run_library_explore, show_ranked
from explorer.cli.survey import run_survey
from explorer.config import Settings
from explorer.errors import NothingYetError
from explorer.tasks.details import describe, find_paper
from explorer.tasks.explore import DEPTHS, ExploreOptions, explore

EXPLORE_HELP = """\
Rank the papers around one or more seeds, with the reasons for each.

A seed is an arXiv id (1706.03762, hep-th/9901001, an arxiv.org URL), a DOI, a Semantic
Scholar id or URL, CorpusId:N, or a title in quotes. Everything fetched is kept in the store,
so running the same exploration again makes no requests.

examples:
  explorer explore 1706.03762 --csv reading.csv
  explorer explore 1706.03762 1810.04805 --depth 2 --top 50
  explorer explore 1706.03762 --graph ~/s2ag/graph --depth 3 --top 100
  explorer explore "Attention is all you need" --direction citations --json out.json
  explorer explore 1706.03762 --recommend --semantic
  explorer explore --survey ARXIV:2005.14165 --csv survey.csv
  explorer explore --bib references.bib --depth 2
  explorer explore --zotero "LLM papers" --missing --csv reading.csv
"""


def add_explore(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explore", help="rank the papers around seeds",
                       description=EXPLORE_HELP, formatter_class=formatter)
    p.add_argument("seeds", nargs="*", metavar="SEED", help="paper ids, URLs or titles")
    p.add_argument("--depth", type=int, choices=DEPTHS, default=ExploreOptions.depth,
                   help="1: seeds with references and citations; 2: also the references "
                        "and citers of every neighbour; 3: and of theirs (for a local graph: "
                        f"from S2 it costs many requests; default {ExploreOptions.depth})")
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
    p.add_argument("--recommend", action="store_true",
                   help="add Semantic Scholar's recommendations for each seed as candidates, "
                        "found by content, not citations (one request per seed)")
    p.add_argument("--semantic", action="store_true",
                   help="rank with the papers' SPECTER vectors too (one request per 300 "
                        "papers, fetched once and kept in the store)")
    p.add_argument("--clusters", action="store_true",
                   help="label each of the top N papers with its cluster of their "
                        "similarity map (a table column, and a cluster column after the "
                        "others in the CSV, empty below the top N)")
    add_explore_options(p)
    add_common(p)
    p.set_defaults(run=run_explore)


def run_explore(args: argparse.Namespace, settings: Settings) -> int:
    if args.top < 0 or (args.max_requests is not None and args.max_requests < 0):
        raise_bad("--top and --max-requests must not be negative")
    check_outputs(args.csv, args.json)
    if (args.zotero or args.library) and (args.survey or args.bib or args.ris):
        raise_bad("--zotero and --library give the seeds themselves: give no --survey, --bib "
                  "or --ris with them")
    if args.survey or args.bib or args.ris:
        return run_survey(args, settings)
    if args.zotero or args.library:
        return run_library_explore(args, settings)
    options = ExploreOptions(args.depth, args.direction, args.refresh, args.offline,
                             recommend=args.recommend, semantic=args.semantic)
    seeds = list(args.seeds)
    store = open_store(args, settings)
    if args.missing and store.library_source() is None:
        raise NothingYetError("no library in the store yet", what="library")
    with settings.s2_client_or_none(offline=args.offline,
                                    max_requests=args.max_requests) as client:
        result = explore(
            seeds, options, store=store, client=client,
            arxiv=settings.arxiv_or_none(args.offline),
            progress=progress_printer(),
        )
    labels = None
    if args.clusters:
        printed = [r.paper.paper_id for r in result.ranked[: args.top]]
        found = cluster_map(result.graph, among=printed)
        labels = {pid: found.label_of(pid) for pid in printed}
    show_ranked(result, store, args, labels)
    return report_walk(result)


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
    store = open_store(args, settings)
    with settings.s2_client_or_none(offline=args.offline) as client:
        paper = find_paper(args.id, store, client)
    print(describe(paper, store))
    return EXIT_OK
