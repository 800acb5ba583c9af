"""What an export writes, built from the store without a single request: the reading list, or
the last exploration replayed through the task that made it (survey mode included)."""

from __future__ import annotations

from dataclasses import replace

from explorer.analysis.versions import merge_graph
from explorer.errors import NothingYetError, OfflineMissingError
from explorer.exports.model import Entry, ExportSet
from explorer.graph import paper_of, subgraph_for
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
    """The reading list in the order papers were added, one entry per work (the versions of a
    work listed apart share the first one's entry, tags and notes united); scores and reasons
    come from ``scores`` (by default the last exploration) for the papers it ranked."""
    items = store.list_items()
    if scores is None:
        try:
            scores = last_exploration(store)
        except OfflineMissingError:
            scores = None
    ranked = {pid: r for r in (scores.ranked if scores else ())
              for pid in (r.paper.paper_id, *r.paper.versions)}
    graph, merge = merge_graph(load_graph(store, {i.paper_id for i in items}))
    entries: dict[str, Entry] = {}
    for item in items:
        key = merge.kept(item.paper_id)
        if key in entries:  # another version of a listed work: one entry, every mark kept
            entries[key] = _fold(entries[key], item)
            continue
        r = ranked.get(key) or ranked.get(item.paper_id)
        paper = merge.papers.get(key) or (paper_of(graph, key) if key in graph else Paper(key))
        entry = Entry(paper, len(entries) + 1, r.score if r else None, r.relation if r else "",
                      r.reasons if r else tuple(filter(None, [merge.reason(key)])))
        entries[key] = _list_fields(entry, item)
    return ExportSet("Reading list", list(entries.values()), graph, citekeys=citekeys(store))


def _fold(entry: Entry, item: ListItem) -> Entry:
    return replace(entry, tags=tuple(dict.fromkeys((*entry.tags, *item.tags))),
                   note="\n\n".join(n for n in (entry.note, item.note) if n))
