"""``explorer export``: the reading list or the last exploration, in the tools users live in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer.cli.common import EXIT_BAD_INPUT, EXIT_OK, add_common, formatter, open_store
from explorer.config import Settings
from explorer.exports import FORMATS, export
from explorer.exports.to_markdown import FOLDER, NAMINGS, vault_folder
from explorer.tasks.export import from_last, from_list

EXPORT_HELP = """\
Export the reading list (--from list) or the last exploration (--from last, replayed from the
store with no requests, survey mode included) as CSV, BibTeX, RIS, a folder of Obsidian/Markdown
notes, GraphML or GEXF (Gephi, VOSviewer) or JSON. The Markdown export keeps whatever you wrote
below the marker line of each note when you export into the same folder again.

Markdown notes are named by title, or @citekey as Obsidian's Citations plugin names them
(--naming citekey: links are [[@citekey]], the keys are the BibTeX export's). With --vault,
the notes go to a folder of your vault ("Reading notes" for citekey naming, else the vault;
--folder to choose), and a paper that already has a note anywhere in the vault (its citekey,
DOI or arXiv id in the note's front matter, or a file named @citekey) gets no second note:
the export links to yours and leaves it as it is.

examples:
  explorer export --from list --format bibtex --out reading.bib
  explorer export --from last --format markdown --out ~/vault/papers
  explorer export --from list --format markdown --vault ~/vault --naming citekey
  explorer export --from last --format gexf --out graph.gexf
"""


def add_export(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the reading list or the last exploration",
                       description=EXPORT_HELP, formatter_class=formatter)
    p.add_argument("--from", dest="source", choices=("list", "last"), default="list",
                   help="the reading list or the last exploration (default: list)")
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--out", metavar="PATH",
                   help="the file to write (a folder for markdown)")
    p.add_argument("--vault", metavar="DIR",
                   help="markdown: the Obsidian vault to write into (its notes are linked to, "
                        "never rewritten)")
    p.add_argument("--folder", metavar="NAME",
                   help="markdown with --vault: the folder of the vault for the notes "
                        f"(default: {FOLDER!r} for citekey naming, else the vault itself)")
    p.add_argument("--naming", choices=NAMINGS, default="title",
                   help="markdown: name notes by title or @citekey (default: title)")
    add_common(p)
    p.set_defaults(run=run_export)


def _usage(message: str) -> int:
    print(f"error: {message} (see: explorer export --help)", file=sys.stderr)
    return EXIT_BAD_INPUT


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    markdown = args.format == "markdown"
    if args.vault is not None and not markdown:
        return _usage("--vault is for --format markdown")
    if args.vault is not None and args.out is not None:
        return _usage("give --out or --vault, not both")
    if args.out is None and args.vault is None:
        return _usage("give --out" + (" or --vault" if markdown else ""))
    if args.folder is not None and args.vault is None:
        return _usage("--folder goes with --vault")
    vault = None if args.vault is None else Path(args.vault).expanduser()
    out = Path(args.out) if vault is None else vault_folder(vault, args.folder, args.naming)
    store = open_store(args, settings)
    data = from_list(store) if args.source == "list" else from_last(store)
    if not data.entries:
        print("nothing to export: the reading list is empty", file=sys.stderr)
    written = export(data, args.format, out, naming=args.naming, vault=vault)
    print(f"wrote {written} {'notes' if markdown else 'papers'} to {out}")
    return EXIT_OK
