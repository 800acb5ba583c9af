"""``explorer inbox``: what is new in your arXiv categories, ranked against your library."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from explorer.cli.common import EXIT_BAD_INPUT, EXIT_OK, add_common, formatter, open_store
from explorer.config import Settings
from explorer.exports.table import save
from explorer.exports.to_inbox import atom_feed, digest, link_of
from explorer.exports.to_markdown import notes_in
from explorer.models import name_of
from explorer.tasks import inbox
from explorer.tasks.similar import list_recommender

INBOX_HELP = """\
List what was submitted to your arXiv categories lately, ranked by how it touches your
library (reading list, watched papers, papers you explored): the papers of the library it
cites, and how close its words are to theirs, with the reasons. New citers of watched papers
join in. What a run shows is remembered: the next run shows only what is new (--all shows
everything again). Cost: one arXiv request per 2,000 papers listed (3 s apart), and one
Semantic Scholar request per 500 new papers (their references); a rerun costs one request.

Mark a paper with `explorer list add ID --status ...`: what you keep draws the papers that cite
it or read like it, what you mark "not relevant" pushes them down.

examples:
  explorer inbox --category cs.LG cs.CL cs.IR
  explorer inbox --since 7d --limit 20 --atom ~/feeds/inbox.xml
  explorer inbox --digest ~/vault/papers/inbox-2026-12-02.md
  explorer inbox --all
  explorer inbox --recommend          # and papers like your reading list (one request more)
"""


def add_inbox(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("inbox", help="new papers in your arXiv categories, ranked",
                       description=INBOX_HELP, formatter_class=formatter)
    p.add_argument("--category", nargs="+", metavar="CAT", default=[],
                   help="arXiv categories (default: those of the last run)")
    p.add_argument("--since", default=f"{inbox.DEFAULT_DAYS}d", metavar="SPAN",
                   help="how far back: 14d, 2w, 36h (default: 14d)")
    p.add_argument("--limit", type=int, metavar="N", help="show at most N, the best")
    p.add_argument("--all", action="store_true", dest="show_all",
                   help="show again what earlier runs showed")
    p.add_argument("--recommend", action="store_true",
                   help="add Semantic Scholar's recommendations for the reading list "
                        "(one request more)")
    p.add_argument("--atom", metavar="PATH", help="write an Atom feed of what is shown")
    p.add_argument("--digest", metavar="PATH",
                   help="write a Markdown digest note (links to notes in its folder)")
    add_common(p)
    p.set_defaults(run=run_inbox)


def run_inbox(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(args, settings)
    categories = args.category or inbox.last_categories(store)
    if not categories:
        print("error: name your arXiv categories once, e.g. --category cs.LG cs.CL",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    span = inbox.parse_since(args.since)
    with settings.s2_client() as client:
        recommend = list_recommender(store, client) if args.recommend else None
        report = inbox.run(store, client, settings.arxiv_client(), categories, since=span,
                           limit=args.limit, show_all=args.show_all, recommend=recommend)
    for item in report.items:
        p = item.paper
        print(f"{item.rank:>3}. {item.score:5.2f}  {name_of(p)}  [{item.candidate.found_in}]")
        for reason in item.reasons:
            print(f"         {' '.join(reason.split())}")
        print(f"         {link_of(p)}")
    for warning in report.warnings:
        print(f"warning: {warning}")
    shown = len(report.items)
    print(f"{shown} new paper{'s' * (shown != 1)} shown of {report.listed} listed in "
          f"{', '.join(categories)} since {report.since:%Y-%m-%d %H:%M} UTC"
          + (f" ({report.already_shown} shown before)" if report.already_shown else "")
          + (f"; {report.held_back} held back for the next run" if report.held_back else "")
          + (f"; {report.not_in_s2} not in Semantic Scholar yet (ranked by wording alone)"
             if report.not_in_s2 else ""))
    print(f"{report.requests} request{'s' * (report.requests != 1)}: {report.arxiv_requests} "
          f"arXiv, {report.s2_requests} Semantic Scholar")
    if args.atom:
        save(args.atom, atom_feed(report.items, updated=time.time()))
        print(f"wrote {shown} entries to {args.atom}")
    if args.digest:
        notes = notes_in(Path(args.digest).expanduser().parent)
        save(args.digest, digest(report.items, since=report.since, until=report.until,
                                 categories=categories, notes=notes))
        print(f"wrote the digest of {shown} papers to {args.digest}")
    return EXIT_OK
