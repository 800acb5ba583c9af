"""``explorer explore --survey SEED``, ``--bib FILE`` and ``--ris FILE`` (from run_explore)."""

from __future__ import annotations

import argparse
import logging
import sys

from explorer.cli.common import (
    open_store,
    print_some,
    print_table,
    progress_printer,
    raise_bad,
    report_walk,
    write_outputs,
)
from explorer.config import Settings
from explorer.seeds.bib import Entry, read_bibliography, seed_texts, unresolved
from explorer.tasks.explore import ExploreOptions, explore
from explorer.tasks.survey import explore_survey


def _entries(args: argparse.Namespace) -> list[Entry]:
    entries: list[Entry] = []
    for path, kind in ((args.bib, "bib"), (args.ris, "ris")):
        if path:
            entries += read_bibliography(path, kind)
    return entries


def run_survey(args: argparse.Namespace, settings: Settings) -> int:
    """Survey mode, or a bibliography as the seed set. Files are parsed before any request,
    so a malformed one stops everything with one line naming the line, and writes nothing."""
    if args.survey and (args.seeds or args.bib or args.ris):
        raise_bad("--survey takes one SEED; give no other seeds, --bib or --ris with it")
    # bibtexparser logs its own (0-based) account of a bad block; ours names the line once.
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    entries = _entries(args)
    seeds = list(args.seeds) + seed_texts(entries)
    if (args.bib or args.ris) and not seeds:
        raise_bad("no entry of the bibliography has an id or a title to look up")
    store = open_store(args, settings)
    arxiv = settings.arxiv_or_none(args.offline)
    with settings.s2_client_or_none(offline=args.offline,
                                    max_requests=args.max_requests) as client:
        if args.survey:
            survey = explore_survey(args.survey, store=store, client=client, arxiv=arxiv,
                                    offline=args.offline, progress=progress_printer())
        else:
            options = ExploreOptions(args.depth, args.direction, args.refresh, args.offline)
            result = explore(seeds, options, store=store, client=client, arxiv=arxiv,
                             progress=progress_printer())
    if not args.survey:
        print_table(result.ranked[: args.top])
        write_outputs(result.ranked, args.csv, args.json)
        missing = unresolved(store, entries)
        if missing:
            print(f"{len(missing)} of {len(entries)} bibliography entries not found:",
                  file=sys.stderr)
            print_some([f"  unresolved: {e.label}" + (f": {e.problem}" if e.problem else "")
                        for e in missing], "entries")
        return report_walk(result)
    title = survey.survey.title if survey.survey else "the list"
    print(f"Its {len(survey.references)} references, most central among the others first "
          f"({title}):")
    print_table(survey.references[: args.top])
    print(f"\nWhat it missed: {len(survey.missed)} papers cited by, or citing, several of "
          "its references:")
    print_table(survey.missed[: args.top])
    write_outputs(survey.rows, args.csv, args.json)
    return report_walk(survey.exploration)
