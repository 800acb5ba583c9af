"""``explorer list``: the reading list (add, set, show, remove)."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from typing import TextIO

from explorer.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    add_common,
    formatter,
    open_store,
)
from explorer.config import Settings
from explorer.models import READING_STATUSES
from explorer.store import Store
from explorer.tasks.reading import ListEntry, check_status, check_tags, list_entries, resolve_papers
from explorer.text import for_terminal

LIST_HELP = """\
Keep a reading list in the store: a status (to read, reading, read, not relevant), tags and a
note for each paper. Papers marked "not relevant" drop out of rankings and their neighbours are
demoted a little; papers marked "read" are flagged in `explore`, not hidden.

examples:
  explorer list add 1706.03762 1810.04805 --tag transformers
  explorer list set 1706.03762 --status read --note "section 3.2 is the key"
  explorer list show --status "to read"
  explorer list remove 1810.04805
"""

ADD_HELP = """\
Add papers (any id form, URL or title) to the reading list; a paper the store lacks is fetched
(one batch request for all of them). Papers already on the list keep their status unless
--status is given; tags are added.

examples:
  explorer list add 1706.03762 DOI:10.1093/mind/LIX.236.433 --tag classics
  explorer list add 2302.13971 --status reading
"""

SET_HELP = """\
Change a paper's status, note or tags (the paper is added when it is not on the list yet).

examples:
  explorer list set 1706.03762 --status read --note "multi-head attention"
  explorer list set 1810.04805 --status "not relevant"
"""

SHOW_HELP = """\
Print the reading list, optionally only one status or tag.

examples:
  explorer list show
  explorer list show --status "to read" --tag transformers
"""

REMOVE_HELP = """\
Take papers off the reading list (they stay in the store).

examples:
  explorer list remove 1706.03762
"""


def add_list(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="the reading list: add, set, show, remove",
                       description=LIST_HELP, formatter_class=formatter)
    actions = p.add_subparsers(title="actions", metavar="ACTION", parser_class=type(p))

    a = actions.add_parser("add", help="add papers", description=ADD_HELP,
                           formatter_class=formatter)
    a.add_argument("ids", nargs="+", metavar="ID", help="paper ids, URLs or titles")
    a.add_argument("--tag", action="append", default=[], metavar="T",
                   help="a tag (repeat for several)")
    a.add_argument("--status", choices=READING_STATUSES, help="default: to read")
    a.add_argument("--offline", action="store_true", help="answer from the store alone")
    add_common(a)
    a.set_defaults(run=run_add)

    s = actions.add_parser("set", help="change status, note or tags", description=SET_HELP,
                           formatter_class=formatter)
    s.add_argument("id", metavar="ID", help="a paper id, URL or title")
    s.add_argument("--status", choices=READING_STATUSES)
    s.add_argument("--note", help="free text (replaces the note; \"\" clears it)")
    s.add_argument("--tag", action="append", default=[], metavar="T", help="add a tag")
    s.add_argument("--untag", action="append", default=[], metavar="T", help="remove a tag")
    s.add_argument("--offline", action="store_true", help="answer from the store alone")
    add_common(s)
    s.set_defaults(run=run_set)

    w = actions.add_parser("show", help="print the list", description=SHOW_HELP,
                           formatter_class=formatter)
    w.add_argument("--status", choices=READING_STATUSES)
    w.add_argument("--tag", metavar="T")
    add_common(w)
    w.set_defaults(run=run_show)

    r = actions.add_parser("remove", help="take papers off the list", description=REMOVE_HELP,
                           formatter_class=formatter)
    r.add_argument("ids", nargs="+", metavar="ID")
    add_common(r)
    r.set_defaults(run=run_remove)

    p.set_defaults(run=lambda args, settings: (p.print_help(), EXIT_BAD_INPUT)[1])


def _resolve(args: argparse.Namespace, settings: Settings, store: Store,
             texts: Sequence[str], offline: bool) -> list[str]:
    with settings.s2_client_or_none(offline=offline) as client:
        return resolve_papers(texts, store, client)


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(args, settings)
    ids = _resolve(args, settings, store, args.ids, args.offline)
    for pid in ids:
        store.list_set(pid, status=check_status(args.status), add_tags=check_tags(args.tag))
    print(f"{len(ids)} paper{'s' * (len(ids) != 1)} on the reading list")
    return EXIT_OK


def run_set(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(args, settings)
    (pid,) = _resolve(args, settings, store, [args.id], args.offline)
    item = store.list_set(pid, status=check_status(args.status), note=args.note,
                          add_tags=check_tags(args.tag), remove_tags=args.untag)
    paper = store.paper(pid)
    title = (paper.title if paper else None) or pid
    print(f"{item.status}: {title}" + (f" [{', '.join(item.tags)}]" if item.tags else ""))
    return EXIT_OK


def print_entries(entries: Sequence[ListEntry], out: TextIO | None = None) -> None:
    out = out or sys.stdout  # looked up per call: the stream may be replaced after import
    width = max(80, shutil.get_terminal_size((120, 24)).columns)
    title_w = max(30, min(70, width // 2))
    out.write(f"{'status':<12}  {'year':>4}  {'title':<{title_w}}  tags · note · id\n")
    for e in entries:
        title = for_terminal(" ".join((e.paper.title or e.paper.paper_id).split()))
        if len(title) > title_w:
            title = title[: title_w - 1] + "…"
        extra = " · ".join(x for x in (", ".join(e.item.tags), " ".join(e.item.note.split()))
                           if x)
        out.write(f"{e.item.status:<12}  {e.paper.year or '':>4}  {title:<{title_w}}  "
                  f"{extra + ' · ' if extra else ''}{e.paper.paper_id}\n")


def run_show(args: argparse.Namespace, settings: Settings) -> int:
    entries = list_entries(open_store(args, settings), status=args.status, tag=args.tag)
    if not entries:
        print("the reading list is empty" if not (args.status or args.tag)
              else "no paper on the reading list matches")
        return EXIT_OK
    print_entries(entries)
    return EXIT_OK


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(args, settings)
    ids = resolve_papers(args.ids, store, None)
    removed = sum(store.list_remove(pid) for pid in ids)
    print(f"removed {removed} paper{'s' * (removed != 1)} from the reading list")
    return EXIT_OK
