"""``explorer export``: the reading list or the last exploration, in the tools users live in."""

from __future__ import annotations

import argparse
import sys

from explorer.cli.common import EXIT_OK, add_common, formatter, open_store
from explorer.config import Settings
from explorer.exports import FORMATS, export
from explorer.tasks.export import from_last, from_list

EXPORT_HELP = """\
Export the reading list (--from list) or the last exploration (--from last, replayed from the
store with no requests, survey mode included) as CSV, BibTeX, RIS, a folder of Obsidian/Markdown
notes, GraphML or GEXF (Gephi, VOSviewer) or JSON. The Markdown export keeps whatever you wrote
below the marker line of each note when you export into the same folder again.

examples:
  explorer export --from list --format bibtex --out reading.bib
  explorer export --from last --format markdown --out ~/vault/papers
  explorer export --from last --format gexf --out graph.gexf
"""


def add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the reading list or the last exploration",
                       description=EXPORT_HELP, formatter_class=formatter)
    p.add_argument("--from", dest="source", choices=("list", "last"), default="list",
                   help="the reading list or the last exploration (default: list)")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--out", required=True, metavar="PATH",
                   help="the file to write (a folder for markdown)")
    add_common(p)
    p.set_defaults(run=run_export)


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(args, settings)
    data = from_list(store) if args.source == "list" else from_last(store)
    if not data.entries:
        print("nothing to export: the reading list is empty", file=sys.stderr)
    written = export(data, args.format, args.out)
    print(f"wrote {written} {'notes' if args.format == 'markdown' else 'papers'} to {args.out}")
    return EXIT_OK
