"""What every command shares: the parser class, the help formatter, the global options, the
store, progress on stderr, the ranking table, outputs, exit codes and the wording of errors.

Exit codes: 0 ok, 1 bad input (or nothing found), 2 service failure, 130 interrupted.

Every command writes through :class:`InertStream`: titles, authors and venues are untrusted, and
an escape code or a bidi override in one must show as text, not act on the user's terminal.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn, TextIO

from explorer.config import Settings
from explorer.errors import (
    AmbiguousSeedError,
    BadInputError,
    ExplorerError,
    NothingYetError,
    OfflineMissingError,
    StoreFullError,
    UnreachableError,
)
from explorer.exports.table import (
    CSV_COLUMNS,
    check_target,
    csv_text,
    json_records,
    json_text,
    row,
    save,
    write_csv,
)
from explorer.models import Progress, Ranked
from explorer.store import Store
from explorer.tasks.explore import Exploration, exploration_summary
from explorer.text import for_terminal

EXIT_OK, EXIT_BAD_INPUT, EXIT_SERVICE = 0, 1, 2

FLAGS = {
    "since": "--since", "until": "--until", "min_citations": "--min-citations",
    "max_hops": "--max-hops", "max_requests": "--max-requests", "limit": "--limit",
    "offset": "--offset", "memory_limit": "--memory-limit",
}
"""The flag that sets each library parameter a message may name."""

class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 1."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see: {self.prog} --help)\n")


def formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def open_store(args: argparse.Namespace, settings: Settings) -> Store:
    """The store ``--db`` names, else the settings' one."""
    return settings.open_store(getattr(args, "db", None))


def progress_printer(stream=sys.stderr) -> Callable[[Progress], None]:  # type: ignore[no-untyped-def]
    """Progress on stderr: one updating line on a terminal, a line a second otherwise."""
    tty = stream.isatty()
    last = [0.0]

    def show(p: Progress) -> None:
        line = for_terminal(
            f"{p.papers} papers · {p.requests} requests · {p.pages} pages · {p.message}")
        if tty:
            width = shutil.get_terminal_size().columns - 1
            stream.write("\r" + line[:width].ljust(width))
            if p.message == "done":
                stream.write("\n")
        elif p.message == "done" or time.monotonic() - last[0] >= 1.0:
            stream.write(line + "\n")
            last[0] = time.monotonic()
        stream.flush()

    return show


def add_global(p: argparse.ArgumentParser, suppress: bool = False) -> None:
    """``-v``, ``--db`` and ``--graph``, which every command takes before or after its name."""
    p.add_argument("-v", "--verbose", action="store_true",
                   default=argparse.SUPPRESS if suppress else False,
                   help="log requests and retries")
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS if suppress else None,
                   help="store file (default: $EXPLORER_DB or "
                        "~/.local/share/explorer/explorer.sqlite)")
    try:
        p.add_argument("--graph", metavar="PATH", dest="graph_source",
                       default=argparse.SUPPRESS if suppress else None,
                       help="read papers and citations from this local S2AG graph, with no "
                            "request (default: $EXPLORER_GRAPH, else Semantic Scholar)")
    except argparse.ArgumentError:
        pass  # a command whose own --graph is the graph it writes (import-s2ag)


def add_common(p: argparse.ArgumentParser) -> None:
    """The global options on a command's own parser: given after the command's name they
    win; left out, they leave what was given before it (hence SUPPRESS, not a default)."""
    add_global(p, suppress=True)


def print_table(ranked: Sequence[Ranked], out=None,  # type: ignore[no-untyped-def]
                statuses: dict[str, str] | None = None,
                clusters: Mapping[str, str] | None = None,
                library: set[str] | None = None) -> None:
    """The ranking as a table; papers whose reading-list status is "read" are flagged, and
    so ("[lib]") are those of ``library``; ``clusters`` (label by paper id) adds a cluster
    column."""
    out = out or sys.stdout
    width = max(80, shutil.get_terminal_size((120, 24)).columns)
    title_w = max(30, min(70, width // 2))
    cluster_w = 0 if clusters is None else 28
    head = f"{'cluster':<{cluster_w}}  " if cluster_w else ""
    out.write(f"{'rank':>4}  {'title':<{title_w}}  {'year':>4}  {'score':>5}  {head}reasons\n")
    for r in ranked:
        title = for_terminal(" ".join((r.paper.title or r.paper.paper_id).split()))
        if (statuses or {}).get(r.paper.paper_id) == "read":
            title = "[read] " + title
        if r.paper.paper_id in (library or ()):
            title = "[lib] " + title
        if len(title) > title_w:
            title = title[: title_w - 1] + "…"
        year = str(r.paper.year or "")
        reasons = "; ".join(r.reasons)
        if cluster_w:
            label = (clusters or {}).get(r.paper.paper_id, "")[:cluster_w]
            reasons = f"{label:<{cluster_w}}  {reasons}"
        out.write(f"{r.rank:>4}  {title:<{title_w}}  {year:>4}  {r.score:5.3f}  {reasons}\n")


def check_outputs(*paths: str | None) -> None:
    """Refuse an output path that cannot be written before any request is spent."""
    for path in paths:
        if path is not None:
            check_target(path)


def write_outputs(ranked: Sequence[Ranked], csv_path: str | None, json_path: str | None,
                  clusters: Mapping[str, str] | None = None,
                  library: set[str] | None = None) -> None:
    """``clusters`` (label by paper id) appends a ``cluster`` column to the CSV;
    ``library`` (paper ids) an ``in_library`` column (``yes``/``no``) to the CSV and an
    ``in_library`` boolean to each JSON record.

    An empty path is an error (``save`` says so), not a silent skip."""
    if csv_path is not None:
        if clusters is None and library is None:
            save(csv_path, csv_text(ranked))
        else:
            buf = io.StringIO()
            extra = (*(("cluster",) if clusters is not None else ()),
                     *(("in_library",) if library is not None else ()))
            rows = ({**row(r), "cluster": (clusters or {}).get(r.paper.paper_id, ""),
                     "in_library": "yes" if r.paper.paper_id in (library or ()) else "no"}
                    for r in ranked)
            write_csv(rows, buf, (*CSV_COLUMNS, *extra))
            save(csv_path, buf.getvalue())
        print(f"wrote {len(ranked)} rows to {csv_path}", file=sys.stderr)
    if json_path is not None:
        if library is None:
            save(json_path, json_text(ranked))
        else:
            records = [{**rec, "in_library": r.paper.paper_id in library}
                       for rec, r in zip(json_records(ranked), ranked, strict=True)]
            save(json_path, json.dumps(records, ensure_ascii=False, indent=2))
        print(f"wrote {len(ranked)} records to {json_path}", file=sys.stderr)


SHOWN_LINES = 5
"""Lines of a long list (warnings, unresolved entries) printed without ``-v``."""


def print_some(lines: Sequence[str], what: str, stream=None) -> None:  # type: ignore[no-untyped-def]
    """The first :data:`SHOWN_LINES` of ``lines`` and how many more, or all of them with
    ``-v`` (logging at INFO), so a long list is a summary rather than a wall of text."""
    stream = stream or sys.stderr
    every = logging.getLogger("explorer").isEnabledFor(logging.INFO)
    shown = lines if every or len(lines) <= SHOWN_LINES + 1 else lines[:SHOWN_LINES]
    for line in shown:
        print(line, file=stream)
    if len(shown) < len(lines):
        print(f"  … and {len(lines) - len(shown)} more {what} (explorer -v lists them all)",
              file=stream)


def shorten(message: str, limit: int = 300) -> str:
    """A ``"; "``-separated message cut after ``limit`` characters, saying how many parts
    were left out (all of it with ``-v``)."""
    if len(message) <= limit or logging.getLogger("explorer").isEnabledFor(logging.INFO):
        return message
    parts = message.split("; ")
    kept: list[str] = []
    while parts and (not kept or len("; ".join([*kept, parts[0]])) <= limit):
        kept.append(parts.pop(0))
    if not parts:
        return message[:limit] + "…"
    return "; ".join(kept) + f"; … and {len(parts)} more (explorer -v shows them all)"


def report_walk(result: Exploration) -> int:
    """Print the summary line and warnings; the exit code for a walk that ended early."""
    s = exploration_summary(result)
    partial = " (partial)" if s["partial"] else ""
    print(
        f"{s['papers']} papers, {s['edges']} edges{partial} · {s['requests']} requests "
        f"({s['pages']} pages) · {s['store_hits']} store hits",
    )
    print_some([f"warning: {w}" for w in result.report.warnings], "warnings")
    if result.report.error is not None:
        print(f"{error_line(result.report.error)} (results above are partial; "
              "run again to continue)", file=sys.stderr)
        return result.report.error.exit_code
    return EXIT_OK


FIRST_STEP = {"exploration": "run `explorer explore` first",
              "search": "run `explorer search QUERY` first, then pick by number",
              "watch": "add one with `explorer watch add ID`",
              "library": "run `explorer library sync` (Zotero) or `explorer library sync "
                         "--file FILE` first"}
"""What the user runs first, for each kind of :class:`~explorer.errors.NothingYetError`."""


def error_line(exc: ExplorerError) -> str:
    """The one line the CLI prints for a library error, with what the user can do."""
    message = shorten(exc.worded(FLAGS))
    if isinstance(exc, AmbiguousSeedError):
        return (f"error: {message}: give its number from the list above in its place "
                "(explorer explore @1) or its id")
    if isinstance(exc, NothingYetError):
        return f"error: {message}: {FIRST_STEP[exc.what]}"
    if isinstance(exc, OfflineMissingError) and exc.missing is not None:
        return f"error: {message} (run without --offline)"
    if isinstance(exc, UnreachableError):
        setting = "OPENALEX_API_URL" if exc.service == "OpenAlex" else "S2_API_URL"
        return (f"error: {message}; check the network and {setting}, or work from the store "
                "with --offline, or try the demo (make demo)")
    if isinstance(exc, StoreFullError):
        return f"error: {message}: free some space and run the same command again to continue"
    return f"error: {message}"


def raise_bad(message: str) -> NoReturn:
    raise BadInputError(message)


class InertStream:
    """A text stream that shows control and bidi characters as escapes (newlines pass)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(for_terminal(text, keep="\n"))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def inert_output() -> Iterator[None]:
    """``sys.stdout`` and ``sys.stderr`` as :class:`InertStream` for the block."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = InertStream(out), InertStream(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
