"""What an export writes, built from the store without a single request: the reading list, or
the last exploration replayed through the task that made it (survey mode included)."""

from __future__ import annotations

from dataclasses import replace

from explorer.errors import NothingYetError, OfflineMissingError
from explorer.exports.model import Entry, ExportSet
from explorer.graph import subgraph_for
from explorer.models import Paper
from explorer.store import ListItem, Store
from explorer.tasks.explore import Exploration, ExploreOptions, explore, load_graph
from explorer.tasks.library import citekeys
from explorer.tasks.survey import MIN_LINKS, explore_survey

__all__ = ["from_exploration", "from_last", "from_list", "last_exploration"]


def _list_fields(entry: Entry, item: ListItem | None) -> Entry:
    if item is None:
        return entry
    return replace(entry, status=item.status, tags=item.tags, note=item.note)


def from_exploration(result: Exploration, store: Store, title: str = "Exploration") -> ExportSet:
    """Every ranked paper of an exploration, with the reading-list fields and the library's
    citation keys the store holds."""
    items = {i.paper_id: i for i in store.list_items()}
    entries = [
        _list_fields(Entry(r.paper, r.rank, r.score, r.relation, r.reasons),
                     items.get(r.paper.paper_id))
        for r in result.ranked
    ]
    return ExportSet(title, entries, subgraph_for(result.graph, [e.paper.paper_id
                                                                  for e in entries]),
                     citekeys=citekeys(store))


def _replay(store: Store) -> tuple[Exploration, str] | None:
    saved = store.last_exploration()
    if saved is None:
        return None
    seeds, options = saved
    if options.get("survey"):
        target = seeds if options.get("list") else seeds[0]
        survey = explore_survey(target, store=store, offline=True,
                                min_links=options.get("min_links", MIN_LINKS), record=False)
        title = survey.survey.title if survey.survey and survey.survey.title else seeds[0]
        return survey.as_exploration(), f"Survey of {title if survey.survey else 'the list'}"
    known = {k: v for k, v in options.items() if k in ("depth", "direction")}
    result = explore(seeds, ExploreOptions(**known, offline=True), store=store,
                     weights=options.get("weights"), record=False)
    papers = store.papers(result.seeds)
    names = ", ".join((papers[s].title or s) if s in papers else s for s in result.seeds)
    return result, f"Exploration of {names}"


def last_exploration(store: Store) -> Exploration | None:
    """The last exploration saved in the store, replayed from the store (no requests).

    Parameters
    ----------
    store : Store
        The store the exploration was saved in.

    Returns
    -------
    Exploration or None
        ``None`` when the store holds no exploration. A survey comes back as
        :meth:`explorer.tasks.survey.Survey.as_exploration`: its references, then what it
        missed.
    """
    replayed = _replay(store)
    return None if replayed is None else replayed[0]


def from_last(store: Store) -> ExportSet:
    """The last exploration as an export set, replayed from the store (no requests)."""
    replayed = _replay(store)
    if replayed is None:
        raise NothingYetError("no exploration in the store yet", what="exploration")
    result, title = replayed
    return from_exploration(result, store, title)


def from_list(store: Store, scores: Exploration | None = None) -> ExportSet:
    """The reading list in the order papers were added; scores and reasons come from
    ``scores`` (by default the last exploration) for the papers it ranked."""
    items = store.list_items()
    if scores is None:
        try:
            scores = last_exploration(store)
        except OfflineMissingError:
            scores = None
    ranked = {r.paper.paper_id: r for r in (scores.ranked if scores else ())}
    papers = store.papers(i.paper_id for i in items)
    entries = []
    for n, item in enumerate(items, 1):
        r = ranked.get(item.paper_id)
        paper = papers.get(item.paper_id) or Paper(item.paper_id)
        entry = Entry(paper, n, r.score if r else None, r.relation if r else "",
                      r.reasons if r else ())
        entries.append(_list_fields(entry, item))
    return ExportSet("Reading list", entries, load_graph(store, {i.paper_id for i in items}),
                     citekeys=citekeys(store))
