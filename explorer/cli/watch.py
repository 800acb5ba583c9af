"""``explorer watch``: follow who cites the papers you care about."""

from __future__ import annotations

import argparse
from datetime import datetime

from explorer.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    add_common,
    formatter,
    open_store,
)
from explorer.config import Settings
from explorer.exports.table import save
from explorer.tasks import watch
from explorer.tasks.reading import resolve_papers

WATCH_HELP = """\
Watch papers and learn which papers cite them that are new since the last check. A check
costs one request for all watched papers (their citation counts), plus a page of citers for
each paper whose count changed; the first check of a paper records a baseline. --atom writes
an Atom feed of the new citers that any feed reader can follow.

examples:
  explorer watch add 1706.03762 DOI:10.1093/mind/LIX.236.433
  explorer watch check --atom ~/public/new-citations.xml
  explorer watch list
"""

ADD_HELP = """\
Watch papers (any id form, URL or title; a paper the store lacks is fetched, one batch request).

examples:
  explorer watch add 1706.03762 1810.04805
"""

LIST_HELP = """\
Print the watched papers, their citation counts at the last check and when that was.

examples:
  explorer watch list
"""

CHECK_HELP = """\
Report the citers of every watched paper that are new since the last check.

examples:
  explorer watch check
  explorer watch check --atom feed.xml
"""

REMOVE_HELP = """\
Stop watching papers (what was seen of their citers is forgotten).

examples:
  explorer watch remove 1810.04805
"""


def add_watch(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("watch", help="follow new citations of papers", description=WATCH_HELP,
                       formatter_class=formatter)
    actions = p.add_subparsers(title="actions", metavar="ACTION", parser_class=type(p))
    a = actions.add_parser("add", help="watch papers", description=ADD_HELP,
                           formatter_class=formatter)
    a.add_argument("ids", nargs="+", metavar="SEED", help="paper ids, URLs or titles")
    add_common(a)
    a.set_defaults(run=run_add)
    ls = actions.add_parser("list", help="the watched papers", description=LIST_HELP,
                            formatter_class=formatter)
    add_common(ls)
    ls.set_defaults(run=run_list)
    c = actions.add_parser("check", help="report new citers", description=CHECK_HELP,
                           formatter_class=formatter)
    c.add_argument("--atom", metavar="PATH", help="write an Atom feed of the new citers")
    add_common(c)
    c.set_defaults(run=run_check)
    r = actions.add_parser("remove", help="stop watching papers", description=REMOVE_HELP,
                           formatter_class=formatter)
    r.add_argument("ids", nargs="+", metavar="SEED")
    add_common(r)
    r.set_defaults(run=run_remove)
    p.set_defaults(run=lambda args, settings: (p.print_help(), EXIT_BAD_INPUT)[1])


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(args, settings)
    with settings.s2_client() as client:
        ids = resolve_papers(args.ids, store, client)
    added = watch.add(store, ids)
    print(f"watching {added} more paper{'s' * (added != 1)} "
          f"({len(watch.watched(store))} in all); run `explorer watch check` to record a "
          "baseline")
    return EXIT_OK


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else "never"


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    items = watch.watched(open_store(args, settings))
    if not items:
        print("no paper is watched: add one with `explorer watch add ID`")
        return EXIT_OK
    print(f"{'citations':>9}  {'checked':<16}  title")
    for w in items:
        count = "" if w.citation_count is None else f"{w.citation_count:,}"
        print(f"{count:>9}  {_when(w.checked_at):<16}  "
              f"{' '.join((w.paper.title or w.paper.paper_id).split())}")
    return EXIT_OK


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(args, settings)
    with settings.s2_client() as client:
        report = watch.check(store, client)
    for paper, n in report.baselines:
        print(f"baseline recorded for {' '.join((paper.title or paper.paper_id).split())}: "
              f"{n} citers known; the next checks report new ones")
    if report.new:
        print(f"{len(report.new)} new citer{'s' * (len(report.new) != 1)}:")
        for item in report.new:
            c = item.citer
            print(f"  {' '.join((c.title or c.paper_id).split())} ({c.year or 'n.d.'})"
                  f"  cites: {' '.join((item.watched.title or item.watched.paper_id).split())}")
            for ctx in item.contexts[:2]:
                print(f"      “{' '.join(ctx.split())[:200]}”")
            print(f"      {c.best_url}")
    elif not report.baselines:
        print("nothing new since the last check")
    for w in report.warnings:
        print(f"warning: {w}")
    print(f"{report.requests} request{'s' * (report.requests != 1)}, "
          f"{report.unchanged} paper{'s' * (report.unchanged != 1)} unchanged")
    if args.atom:
        items = watch.new_citers(store)
        save(args.atom, watch.atom_feed(items, updated=report.checked_at))
        print(f"wrote {len(items)} entries to {args.atom}")
    return EXIT_OK


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(args, settings)
    removed = watch.remove(store, resolve_papers(args.ids, store, None))
    print(f"stopped watching {removed} paper{'s' * (removed != 1)}")
    return EXIT_OK
