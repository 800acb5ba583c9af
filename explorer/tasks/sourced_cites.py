"""Who cites a paper, from Semantic Scholar, OpenAlex or both, with the coverage of each.

:func:`collect_from` runs :func:`explorer.tasks.cites.collect` (S2), then
:func:`explorer.tasks.openalex_cites.collect_openalex`, or either alone, and scores the union
of the citers the store then holds. Without an OpenAlex key, asking for OpenAlex fails before
any request is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from explorer.models import Paper, Progress, WalkReport
from explorer.sources.arxiv import ArxivClient
from explorer.sources.openalex import OpenAlexClient
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.cites import Citations, collect, score_citers
from explorer.tasks.openalex_cites import (
    Coverage,
    OpenAlexCiters,
    collect_openalex,
    coverage,
    openalex_seed,
)

__all__ = ["SOURCES", "Sourced", "collect_from"]

SOURCES = ("s2", "openalex", "both")


@dataclass
class Sourced:
    """The scored citers of every source asked, what OpenAlex did, and the coverage."""

    citations: Citations
    openalex: OpenAlexCiters | None
    coverage: Coverage


def collect_from(
    seed: str,
    source: str,
    *,
    store: Store,
    client: S2Client | None,
    openalex: OpenAlexClient | None,
    arxiv: ArxivClient | None = None,
    references: bool = True,
    progress: Callable[[Progress], None] | None = None,
    current_year: int | None = None,
) -> Sourced:
    """The citers of ``seed`` from ``source`` (one of :data:`SOURCES`), stored and scored.

    ``client`` / ``openalex`` None answer from the store alone. Costs: those of
    :func:`~explorer.tasks.cites.collect` for S2, one free lookup and ⌈C/100⌉ list calls for
    OpenAlex's C citers.

    Raises
    ------
    KeyMissingError
        OpenAlex is asked and its client has no key: no request was made.
    """
    if source not in SOURCES:
        raise ValueError(source)
    if source != "s2" and openalex is not None:
        openalex.require_key()
    if source == "s2":
        found = collect(seed, store=store, client=client, arxiv=arxiv, references=references,
                        progress=progress, current_year=current_year)
        return Sourced(found, None, coverage(store, found.paper.paper_id))
    asked = openalex.requests if openalex is not None else 0
    if source == "openalex":
        pid, work = openalex_seed(seed, store, openalex)
        report = WalkReport(seeds=[pid])
    else:
        found = collect(seed, store=store, client=client, arxiv=arxiv, references=references,
                        progress=progress, current_year=current_year)
        pid, work, report = found.paper.paper_id, None, found.report
        if report.error is not None:
            return Sourced(found, None, coverage(store, pid))
    oa = collect_openalex(pid, store=store, client=openalex, work=work, progress=progress)
    if openalex is not None:
        oa.requests = openalex.requests - asked  # the seed's lookup included
    if source == "openalex":
        report.requests, report.pages = oa.requests, oa.pages
        report.store_hits += int(oa.from_store)
    report.error = report.error or oa.error
    s2_ids = store.citations_of(pid) if source == "both" else []
    ids = list(dict.fromkeys([*s2_ids, *oa.citer_ids]))
    paper = store.paper(pid) or Paper(pid)
    scored = Citations(paper, score_citers(store, pid, ids, current_year), report)
    return Sourced(scored, oa, coverage(store, pid))
