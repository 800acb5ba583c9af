"""``explorer similar``: papers like the seeds or the reading list, by S2's recommender."""

from __future__ import annotations

import argparse
import sys

from explorer.cli.common import EXIT_OK, add_common, formatter, open_store, raise_bad
from explorer.config import Settings
from explorer.sources.s2_similar import RECS_LIMIT, RECS_POOLS
from explorer.tasks.similar import SimilarResult, similar
from explorer.text import for_terminal

SIMILAR_HELP = """\
List papers like the given ones, found by Semantic Scholar's recommender from their content,
not their citations: relevant work that shares no citation with the seeds shows up here.

Each paper costs one request (a paper recommended for several of them ranks first). With
--from-list, one request for the whole reading list: papers marked read, reading or to read
(and the papers given) are positive examples, papers marked "not relevant" negative ones.
The recommended papers are kept in the store; `explore --recommend` adds them to a ranking.

examples:
  explorer similar 1706.03762
  explorer similar 1706.03762 1810.04805 --limit 20 --pool all-cs
  explorer similar --from-list
  explorer similar --from-list 2005.14165 --limit 50
"""


def add_similar(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("similar", help="papers like the seeds or the reading list",
                       description=SIMILAR_HELP, formatter_class=formatter)
    p.add_argument("seeds", nargs="*", metavar="SEED", help="paper ids, URLs or titles")
    p.add_argument("--from-list", action="store_true",
                   help="recommend for the reading list (one request)")
    p.add_argument("--limit", type=int, default=20, metavar="N",
                   help=f"recommendations asked for each request, 1 to {RECS_LIMIT} "
                        "(default 20)")
    p.add_argument("--pool", choices=RECS_POOLS, default="recent",
                   help="recommend from recent papers or all of computer science "
                        "(default recent; --from-list always uses recent papers)")
    add_common(p)
    p.set_defaults(run=run_similar)


def run_similar(args: argparse.Namespace, settings: Settings) -> int:
    if not args.seeds and not args.from_list:
        raise_bad("give at least one SEED, or --from-list")
    if not 1 <= args.limit <= RECS_LIMIT:
        raise_bad(f"--limit must be between 1 and {RECS_LIMIT}")
    store = open_store(args, settings)
    with settings.s2_client() as client:
        result = similar(args.seeds, store, client, from_list=args.from_list,
                         limit=args.limit, pool=args.pool)
    print_recommendations(result)
    return EXIT_OK


def print_recommendations(result: SimilarResult, out=None) -> None:  # type: ignore[no-untyped-def]
    out = out or sys.stdout
    out.write(f"{'#':>3}  {'year':>4}  title\n")
    for i, rec in enumerate(result.recommendations, start=1):
        title = for_terminal(" ".join((rec.paper.title or rec.paper.paper_id).split()))
        out.write(f"{i:>3}  {rec.paper.year or '':>4}  {title}\n       {rec.reason}\n")
    negatives = f", {len(result.negatives)} negative" if result.negatives else ""
    print(f"\n{len(result.recommendations)} papers from {len(result.positives)} positive"
          f"{negatives} · {result.requests} requests", file=sys.stderr)
