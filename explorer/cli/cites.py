"""``explorer cites``: who cites a paper, filtered, sorted and explained."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext

from explorer.cli.common import (
    EXIT_OK,
    add_common,
    check_outputs,
    error_line,
    formatter,
    open_store,
    print_table,
    progress_printer,
    raise_bad,
)
from explorer.config import Settings
from explorer.tasks.cites import (
    INTENTS,
    SORTS,
    CiteFilters,
    filter_citers,
    save_citers,
    sort_citers,
)
from explorer.tasks.sourced_cites import SOURCES, Sourced, collect_from

CITES_HELP = """\
List every paper that cites SEED (past the 9,999 that one Semantic Scholar listing serves,
by publication-date slices), keep those that pass the filters, and sort them with the reasons
for each. --query matches the title, the abstract and the citation contexts (how the citer
speaks of SEED), ignoring case, and shows the matching context. Everything fetched is kept
in the store, so asking again with other filters makes no requests. --source openalex (or
both) asks OpenAlex too, which counts citers S2 misses: it needs a free key in
OPENALEX_API_KEY (https://openalex.org/settings/api), costs a list call per 100 citers, and
prints how the two sources overlap and what the calls cost.

relevance: influential citations and methodology/result intents count more than a background
mention; citers co-cited with SEED by other citers, or sharing references with it, rank
higher; citation velocity (citations a year since publication) rather than raw counts.

examples:
  explorer cites DOI:10.1093/mind/LIX.236.433 --since 2023 --query "language model"
  explorer cites 1706.03762 --intent methodology --sort velocity --csv citers.csv
  explorer cites 1706.03762 --influential --sort year --offline
  explorer cites DOI:10.1093/mind/LIX.236.433 --source both --sort year
  explorer cites 1706.03762 --graph ~/s2ag/graph --since 2020   # every citer, no request
"""


def add_cites(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cites", help="who cites a paper, filtered and ranked",
                       description=CITES_HELP, formatter_class=formatter)
    p.add_argument("seed", metavar="SEED", help="a paper id, URL or title")
    p.add_argument("--since", type=int, metavar="YEAR", help="citers from YEAR on")
    p.add_argument("--until", type=int, metavar="YEAR", help="citers up to YEAR")
    p.add_argument("--min-citations", type=int, metavar="N", help="citers cited N times or more")
    p.add_argument("--influential", action="store_true",
                   help="only citations S2 flags as influential")
    p.add_argument("--intent", choices=INTENTS, help="only citations with this intent")
    p.add_argument("--query", metavar="TEXT",
                   help="text in the title, abstract or citation contexts (any case)")
    p.add_argument("--sort", choices=SORTS, default="relevance", help="order (default relevance)")
    p.add_argument("--limit", type=int, metavar="N",
                   help="rows to print and write (default: print 20, write all)")
    p.add_argument("--csv", metavar="PATH", help="write the citers as CSV")
    p.add_argument("--json", metavar="PATH", help="write the citers as JSON")
    p.add_argument("--source", choices=SOURCES, default="s2",
                   help="where the citers come from (default s2; openalex needs a key)")
    p.add_argument("--offline", action="store_true", help="answer from the store alone")
    p.add_argument("--no-references", action="store_true",
                   help="skip fetching the citers' references (saves a request per 500 "
                        "citers; relevance then ignores co-citation and shared references)")
    p.add_argument("--max-requests", type=int, metavar="N",
                   help="stop after N requests, keeping what was fetched")
    add_common(p)
    p.set_defaults(run=run_cites)


def run_cites(args: argparse.Namespace, settings: Settings) -> int:
    if (args.limit is not None and args.limit < 0) or (
            args.max_requests is not None and args.max_requests < 0):
        raise_bad("--limit and --max-requests must not be negative")
    check_outputs(args.csv, args.json)
    filters = CiteFilters(args.since, args.until, args.min_citations, args.influential,
                          args.intent, args.query)
    store = open_store(args, settings)
    with settings.s2_client_or_none(offline=args.offline or args.source == "openalex",
                                    max_requests=args.max_requests) as client, \
            (nullcontext() if args.offline or args.source == "s2" else
             settings.openalex_client(args.max_requests)) as openalex:
        sourced = collect_from(args.seed, args.source, store=store, client=client,
                               openalex=openalex,
                               arxiv=settings.arxiv_or_none(client is None),
                               references=not args.no_references, progress=progress_printer())
    found = sourced.citations
    kept = sort_citers(filter_citers(found.citers, filters), args.sort, args.limit)
    print_table([c.ranked for c in kept[: 20 if args.limit is None else args.limit]])
    save_citers(kept, args.csv, args.json)
    for path, what in ((args.csv, "rows"), (args.json, "records")):
        if path:
            print(f"wrote {len(kept)} {what} to {path}", file=sys.stderr)
    r = found.report
    title = found.paper.title or found.paper.paper_id
    print(f"{len(kept)} of {len(found.citers)} citers of {title!r} match · "
          f"{r.requests} requests ({r.pages} pages) · {r.store_hits} store hits")
    if found.coverage:
        print(found.coverage + (f" ({r.slices} date slices)" if r.slices else ""))
    if args.source != "s2":
        _print_sources(sourced)
    elif found.shortfall:
        print(f"note: {found.shortfall}", file=sys.stderr)
    for w in r.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if r.error is not None:
        print(f"{error_line(r.error)} (results above are partial; run again to continue)",
              file=sys.stderr)
        return r.error.exit_code
    return EXIT_OK


def _print_sources(sourced: Sourced) -> None:
    """The coverage line, and what OpenAlex's calls cost by its budget headers."""
    print(sourced.coverage.line())
    oa = sourced.openalex
    if oa is None:
        return
    if oa.from_store:
        print("OpenAlex: answered from the store (0 requests)")
        return
    cost = "cost not reported" if oa.cost is None else f"cost ${oa.cost}"
    left = "" if oa.remaining is None else f" · ${oa.remaining} left today"
    print(f"OpenAlex: {oa.requests} requests ({oa.pages} pages) · {cost}{left}")
    if oa.references:
        print(f"OpenAlex gave {len(oa.references):,} references the store lacked")
    got = len(oa.citer_ids)
    if oa.count is not None and oa.count > got:
        print(f"note: OpenAlex counts {oa.count:,} citers of this paper; collected {got:,}",
              file=sys.stderr)
