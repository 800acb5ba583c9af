"""A survey (or any list of papers) as the seed set: what matters in it, and what it missed.

:func:`explore_survey` takes the survey's references as the seeds, fetches their references
and their citers (one batch request per 500 references for each), and ranks with
:func:`explorer.analysis.rank.rank` on the graph *without the survey itself*, so a reference's score
says how central it is among the others. Papers outside the list that many of the
references cite, or that cite many of them (newer work included), are what the list missed.

Costs: one lookup and ⌈R/1000⌉ reference pages for the survey, then 2·⌈R/500⌉ batch
lookups; a second run makes no request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from explorer.analysis.rank import rank
from explorer.analysis.versions import merge_graph
from explorer.errors import NotFoundError
from explorer.models import Paper, Progress, Ranked
from explorer.seeds.ids import parse_seed
from explorer.sources.arxiv import ArxivClient
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.explore import (
    Exploration,
    ExploreOptions,
    explain_merges,
    load_graph,
    parse_seeds,
)
from explorer.walk import Walker

__all__ = ["MIN_LINKS", "Survey", "explore_survey", "survey_of_references"]

MIN_LINKS = 2
"""A paper outside the list is "missed" when at least this many of the list's papers cite it
or are cited by it."""

@dataclass
class Survey:
    """The survey (``None`` for a plain list), its references ranked, and what it missed."""

    survey: Paper | None
    references: list[Ranked]
    missed: list[Ranked]
    exploration: Exploration

    @property
    def rows(self) -> list[Ranked]:
        """References then missed papers, numbered in one sequence (for CSV/JSON)."""
        both = self.references + self.missed
        return [replace(r, rank=i) for i, r in enumerate(both, 1)]

    def as_exploration(self) -> Exploration:
        """The exploration with :attr:`rows` as its ranking (relations ``reference`` and
        ``missed``), for views that draw and tabulate an exploration (the app)."""
        ex = self.exploration
        return Exploration(ex.seeds, ex.graph, self.rows, ex.report, ex.options)


def _words(reasons: Sequence[str], relation: str) -> tuple[str, ...]:
    out = []
    for text in reasons:
        if text == "seed":
            continue
        out.append(text)
    return tuple(out) or (("in the list",) if relation == "reference" else ())


def survey_of_references(
    store: Store,
    references: Sequence[str],
    walker: Walker,
    survey: Paper | None = None,
    min_links: int = MIN_LINKS,
) -> Survey:
    """Fetch the links of ``references`` (ids) and rank them, with what the list missed."""
    refs = list(dict.fromkeys(r for r in references if survey is None or r != survey.paper_id))
    if not refs:
        raise NotFoundError("the survey has no references Semantic Scholar knows")
    walker.embedded(refs, "references")
    if not walker.report.partial:
        walker.embedded(refs, "citations")
    ids = set(refs)
    for pid in refs:
        ids.update(store.references_of(pid))
        ids.update(store.citations_of(pid))
    if survey is not None:
        ids.discard(survey.paper_id)
    g, merge = merge_graph(load_graph(store, ids))
    dropped = set(merge.kept_ids(store.not_relevant(keep=refs)))
    refs = merge.kept_ids(refs)
    ranked = explain_merges(rank(g, refs, exclude=dropped, demote=dropped,
                                 seed_noun="references", text_cache=store), merge)
    in_list: list[Ranked] = []
    missed: list[Ranked] = []
    for r in ranked:
        c = r.components
        if r.relation == "seed":
            in_list.append(replace(r, relation="reference",
                                   reasons=_words(r.reasons, "reference")))
        elif c.get("cited_by_seeds", 0) + c.get("cites_seeds", 0) >= min_links:
            reasons = _words(r.reasons, "missed")
            year = r.paper.year
            if survey is not None and survey.year and year and year > survey.year:
                reasons = (*reasons, f"newer than the survey ({year} > {survey.year})")
            missed.append(replace(r, relation="missed", reasons=reasons))
    in_list = [replace(r, rank=i) for i, r in enumerate(in_list, 1)]
    missed = [replace(r, rank=i) for i, r in enumerate(missed, 1)]
    options = ExploreOptions(depth=1, direction="both")
    return Survey(survey, in_list, missed, Exploration(refs, g, ranked, walker.report, options))


def explore_survey(
    seed: str | Sequence[str],
    *,
    store: Store,
    client: S2Client | None = None,
    arxiv: ArxivClient | None = None,
    offline: bool = False,
    min_links: int = MIN_LINKS,
    progress: Callable[[Progress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    record: bool = True,
) -> Survey:
    """The survey ``seed``'s references as the seed set: ranked, and what the survey missed.

    A sequence of seeds (a bibliography) is analysed as a survey's references would be.
    ``record`` saves the seeds and options as the last exploration, so that
    :func:`explorer.tasks.export.last_exploration` can replay it (a replay records nothing).
    """
    walker = Walker(store, None if offline else client, None if offline else arxiv,
                    progress=progress, cancel=cancel)

    def saved(seeds: list[str], listed: bool) -> None:
        if record:
            options = {"survey": True, "list": listed, "min_links": min_links}
            store.save_exploration(seeds, options)

    if not isinstance(seed, str):
        ids = walker.resolve(parse_seeds(seed))
        saved(list(seed), True)
        return survey_of_references(store, ids, walker, None, min_links)
    (sid,) = walker.resolve([parse_seed(seed)])
    walker.walk([sid], 1, "references")
    saved([seed], False)
    survey = store.paper(sid) or Paper(sid)
    return survey_of_references(store, store.references_of(sid), walker, survey, min_links)
