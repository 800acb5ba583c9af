"""``explorer search``: a numbered list of papers about a topic, to explore by number, and the
numbered matches of an ambiguous title seed."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from explorer.cli.common import EXIT_BAD_INPUT, EXIT_OK, add_common, formatter, open_store
from explorer.config import Settings
from explorer.errors import AmbiguousSeedError
from explorer.models import Paper
from explorer.sources.s2_search import REACHABLE, SearchFilters
from explorer.tasks.search import search

SEARCH_HELP = f"""\
List papers about a topic, numbered, by Semantic Scholar's relevance over titles and
abstracts, with year, venue, citations and TL;DR.

The list is kept in the store: a seed @N is paper N of the last list, so exploring what you
pick needs no second search (`explorer explore @1 @3`). An ambiguous title seed keeps its
matches the same way. Up to 100 results cost one request, each further 100 one more;
Semantic Scholar ranks only the first {REACHABLE} results of a search.

examples:
  explorer search "citation recommendation"
  explorer explore @1 @3
  explorer search "graph neural networks" --year 2019-2022 --limit 250
  explorer search "language models" --venue NeurIPS,ICLR --min-citations 100 --json
  explorer search "protein folding" --fields-of-study Biology --publication-types Review
"""


def add_search(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="papers about a topic, to explore by number",
                       description=SEARCH_HELP, formatter_class=formatter)
    p.add_argument("query", metavar="QUERY", help="words to search for")
    p.add_argument("--year", metavar="YEARS", help="2019, 2016-2020, 2010- or -2015")
    p.add_argument("--venue", metavar="NAMES", help="comma-separated venues")
    p.add_argument("--fields-of-study", metavar="FIELDS",
                   help='comma-separated fields, e.g. "Computer Science,Medicine"')
    p.add_argument("--publication-types", metavar="TYPES",
                   help="comma-separated types, e.g. Review,JournalArticle,Conference")
    p.add_argument("--min-citations", type=int, metavar="N", help="at least N citations")
    p.add_argument("--open-access", action="store_true", help="only papers with a public PDF")
    p.add_argument("--limit", type=int, default=10, metavar="N",
                   help="results to list (default 10)")
    p.add_argument("--offset", type=int, default=0, metavar="N",
                   help="results to skip (default 0)")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    add_common(p)
    p.set_defaults(run=run_search)


def run_search(args: argparse.Namespace, settings: Settings) -> int:
    filters = SearchFilters(args.year, args.venue, args.fields_of_study,
                            args.publication_types, args.min_citations, args.open_access)
    store = open_store(args, settings)
    with settings.s2_client() as client:
        found = search(args.query, client, store, limit=args.limit, offset=args.offset,
                       filters=filters)
    if args.json:
        print(json.dumps({
            "query": found.query, "total": found.total, "offset": found.offset,
            "requests": found.requests,
            "papers": [{"pick": f"@{n}", "paperId": p.paper_id, "title": p.title,
                        "year": p.year, "venue": p.venue, "citationCount": p.citation_count,
                        "tldr": p.tldr} for n, p in enumerate(found.papers, 1)],
        }, indent=2))
        return EXIT_OK
    if not found.papers:
        print(f"error: no papers found for {found.query!r}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print_papers(found.papers)
    requests = f"{found.requests} request{'s' if found.requests != 1 else ''}"
    print(f"{len(found.papers)} of about {found.total:,} results · {requests}",
          file=sys.stderr)
    print(f"explore a pick: explorer explore @1 (or @1 @3, or by id: explorer explore "
              f"{found.papers[0].paper_id})", file=sys.stderr)
    return EXIT_OK


def print_papers(papers: Sequence[Paper], first_author: bool = False, start: int = 1) -> None:
    """The numbered list (from ``start``): title, then year, first author (if asked), venue,
    citations and id, then the TL;DR when there is one."""
    width = len(str(start + len(papers) - 1))
    for n, paper in enumerate(papers, start):
        title = " ".join((paper.title or "(untitled)").split())
        print(f"{n:>{width}}. {title}")
        author = ""
        if first_author and paper.authors:
            author = paper.authors[0] + (" et al." if len(paper.authors) > 1 else "")
        cited = "" if paper.citation_count is None else f"{paper.citation_count:,} citations"
        facts = [str(paper.year or ""), author, " ".join((paper.venue or "").split()), cited,
                 f"S2 {paper.paper_id}"]
        print(f"{'':>{width}}  {' · '.join(f for f in facts if f)}")
        if paper.tldr:
            print(f"{'':>{width}}  TL;DR: {' '.join(paper.tldr.split())}")


def print_matches(exc: AmbiguousSeedError) -> None:
    """Each ambiguous title's candidates, numbered on across titles as the store keeps them."""
    start = 1
    for text, candidates in exc.matches.items():
        print(f"{' '.join(text.split())!r} matches {len(candidates)} papers:")
        print_papers([Paper.from_s2(c) for c in candidates], first_author=True, start=start)
        start += len(candidates)
