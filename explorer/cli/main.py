"""The ``explorer`` command: the parser built from every command module, and :func:`main`.

Each command module (``explore``, ``cites``, ``connect`` ...) adds its parser and the function
that runs it; they share :mod:`explorer.cli.common` and call :mod:`explorer.tasks`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from explorer import __version__
from explorer.cli import (
    app,
    cites,
    connect,
    explore,
    export,
    import_s2ag,
    inbox,
    library,
    reading,
    search,
    similar,
    watch,
)
from explorer.cli.common import (
    EXIT_BAD_INPUT,
    Parser,
    add_global,
    error_line,
    formatter,
    inert_output,
)
from explorer.config import Settings
from explorer.errors import AmbiguousSeedError, ExplorerError

COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    explore.add_explore, explore.add_show, reading.add_list, export.add_export, watch.add_watch,
    inbox.add_inbox,
    cites.add_cites, connect.add_connect, app.add_app, search.add_search, library.add_library,
    similar.add_similar, import_s2ag.add_import_s2ag,
]
"""Each adds one command to the parser, in the order ``explorer --help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="explorer",
        description="Explore the citation graph around papers, ranked and explained.\n\n"
                    "example:\n  explorer explore 1706.03762 --csv reading.csv",
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"explorer {__version__}")
    add_global(parser)
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
    with inert_output():
        return run(args)


def run(args: argparse.Namespace) -> int:
    """The command's exit code; a library error or an unreadable file is one line."""
    try:
        settings = Settings.from_env(os.environ)
        if getattr(args, "graph_source", None):
            settings = settings.with_graph(args.graph_source)
        return int(args.run(args, settings))
    except AmbiguousSeedError as exc:
        search.print_matches(exc)
        print(error_line(exc), file=sys.stderr)
        return exc.exit_code
    except ExplorerError as exc:
        print(error_line(exc), file=sys.stderr)
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
