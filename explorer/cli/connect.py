"""``explorer connect A B``: the shortest citation paths between two papers."""

from __future__ import annotations

import argparse
import sys

from explorer.cli.common import EXIT_OK, FLAGS, add_common, formatter, open_store, raise_bad
from explorer.config import Settings
from explorer.tasks.connect import MAX_HOPS, connect, describe

CONNECT_HELP = f"""\
Find the shortest citation paths between two papers, following citations both ways, and
print every hop with its direction ("A —cites→ B", "B ←cited by— C").

The search grows from both papers at once through the store and Semantic Scholar (one batch
request brings the references, another the citers, of up to 500 papers), so it stays within
--max-requests; a second search of the same pair makes no request. Finding no path within
--max-hops (default {MAX_HOPS}) or the budget is an answer (exit code 0), not an error.

examples:
  explorer connect ARXIV:1512.03385 DOI:10.1093/mind/LIX.236.433
  explorer connect 1706.03762 "Deep Residual Learning for Image Recognition" --max-hops 3
  explorer connect 1810.04805 2302.13971 --offline
"""


def add_connect(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("connect", help="shortest citation paths between two papers",
                       description=CONNECT_HELP, formatter_class=formatter)
    p.add_argument("source", metavar="A", help="a paper id, URL or title")
    p.add_argument("target", metavar="B", help="a paper id, URL or title")
    p.add_argument("--max-hops", type=int, default=MAX_HOPS, metavar="N",
                   help=f"longest path searched (default {MAX_HOPS})")
    p.add_argument("--max-requests", type=int, default=50, metavar="N",
                   help="requests to Semantic Scholar at most (default 50)")
    p.add_argument("--offline", action="store_true", help="search the store alone")
    add_common(p)
    p.set_defaults(run=run_connect)


def run_connect(args: argparse.Namespace, settings: Settings) -> int:
    if args.max_requests < 0:
        raise_bad("--max-requests must not be negative")
    store = open_store(args, settings)
    with settings.s2_client_or_none(offline=args.offline,
                                    max_requests=args.max_requests) as client:
        result = connect(args.source, args.target, store=store, client=client,
                         max_hops=args.max_hops)
    print(describe(result, FLAGS))
    r = result.report
    print(f"\n{r.requests} requests · {result.explored[0] + result.explored[1]} papers explored")
    for warning in r.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK
