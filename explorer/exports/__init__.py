"""Exports of the reading list or of an exploration, one module per format.

=========  ===========================  ===========================================
format     module                       library
=========  ===========================  ===========================================
csv        :mod:`.to_csv`               csv (the core header + status, tags, note)
bibtex     :mod:`.to_bibtex`            bibtexparser
ris        :mod:`.to_ris`               rispy
markdown   :mod:`.to_markdown`          PyYAML (a folder of Obsidian notes)
graphml    :mod:`.to_graph`             networkx
gexf       :mod:`.to_graph`             networkx
json       :mod:`.to_json`              json
=========  ===========================  ===========================================

Every exporter takes an :class:`ExportSet`: the papers (with score, reasons and reading-list
fields) and the citation graph among them. Each renders :func:`inert` of it: every text field
on one line (line breaks become spaces, control characters go), so no untrusted title, author,
venue or context can end a record and start another in any format. :func:`from_list` and
:func:`from_last` build one from the store without a single request.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx

from explorer.errors import BadInputError, OfflineMissingError
from explorer.graph import subgraph_for
from explorer.models import Paper, Ranked
from explorer.store import ListItem, Store
from explorer.tasks.explore import Exploration, ExploreOptions, load_graph, parse_seeds, rank_stored
from explorer.text import one_line, without_controls
from explorer.walk import Walker

__all__ = [
    "FORMATS",
    "Entry",
    "ExportSet",
    "export",
    "export_bytes",
    "from_exploration",
    "from_last",
    "from_list",
    "inert",
    "last_exploration",
    "xml_safe",
]

def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (untrusted titles may hold them)."""
    return without_controls(text, keep="\n\t\r")


@dataclass(frozen=True)
class Entry:
    """One exported paper: its rank and score (``None`` when it was not ranked) and list fields."""

    paper: Paper
    rank: int
    score: float | None = None
    relation: str = ""
    reasons: tuple[str, ...] = ()
    status: str | None = None
    tags: tuple[str, ...] = ()
    note: str = ""

    @property
    def ranked(self) -> Ranked:
        return Ranked(self.paper, self.score or 0.0, self.relation, self.reasons, rank=self.rank)


@dataclass
class ExportSet:
    """What an export writes: entries in rank order and the citation graph among them."""

    title: str
    entries: list[Entry]
    graph: nx.DiGraph = field(default_factory=nx.DiGraph)

    @property
    def ids(self) -> list[str]:
        return [e.paper.paper_id for e in self.entries]


def _inert_paper(p: Paper) -> Paper:
    def line(text: str | None) -> str | None:
        return None if text is None else one_line(text)

    return replace(
        p, title=line(p.title), authors=tuple(one_line(a) for a in p.authors),
        venue=line(p.venue), abstract=line(p.abstract), tldr=line(p.tldr),
        arxiv_id=line(p.arxiv_id), doi=line(p.doi), publication_date=line(p.publication_date),
        url=line(p.url), open_access_pdf=line(p.open_access_pdf),
        fields_of_study=tuple(one_line(f) for f in p.fields_of_study),
        bibtex=None if p.bibtex is None else without_controls(p.bibtex),
    )


def inert(data: ExportSet, *, note_lines: bool = False) -> ExportSet:
    """``data`` with every text field on one line and free of control characters.

    ``note_lines`` keeps the line breaks of reading-list notes (as ``\\n``) for a format that
    writes each line apart (Markdown)."""
    entries = [
        replace(e, paper=_inert_paper(e.paper), relation=one_line(e.relation),
                reasons=tuple(one_line(r) for r in e.reasons),
                status=None if e.status is None else one_line(e.status),
                tags=tuple(one_line(t) for t in e.tags),
                note=without_controls(e.note, keep="\n") if note_lines else one_line(e.note))
        for e in data.entries
    ]
    g = nx.DiGraph()
    for node, attrs in data.graph.nodes(data=True):
        paper = attrs.get("paper")
        g.add_node(node, **({**attrs, "paper": _inert_paper(paper)}
                            if isinstance(paper, Paper) else attrs))
    for u, v, attrs in data.graph.edges(data=True):
        contexts = tuple(one_line(c) for c in attrs.get("contexts") or ())
        g.add_edge(u, v, **{**attrs, "contexts": contexts} if contexts else attrs)
    return ExportSet(one_line(data.title), entries, g)


def _list_fields(entry: Entry, item: ListItem | None) -> Entry:
    if item is None:
        return entry
    return replace(entry, status=item.status, tags=item.tags, note=item.note)


def from_exploration(result: Exploration, store: Store, title: str = "Exploration") -> ExportSet:
    """Every ranked paper of an exploration, with the reading-list fields the store holds."""
    items = {i.paper_id: i for i in store.list_items()}
    entries = [
        _list_fields(Entry(r.paper, r.rank, r.score, r.relation, r.reasons),
                     items.get(r.paper.paper_id))
        for r in result.ranked
    ]
    return ExportSet(title, entries, subgraph_for(result.graph, [e.paper.paper_id
                                                                  for e in entries]))


def last_exploration(store: Store) -> Exploration | None:
    """The last exploration saved in the store, ranked again from the store (no requests)."""
    saved = store.last_exploration()
    if saved is None:
        return None
    seeds, options = saved
    known = {k: v for k, v in options.items() if k in ("depth", "direction")}
    seed_ids = Walker(store, None).resolve(parse_seeds(seeds))
    return rank_stored(store, seed_ids, ExploreOptions(**known))


def from_last(store: Store) -> ExportSet:
    result = last_exploration(store)
    if result is None:
        raise OfflineMissingError("no exploration in the store yet: run `explorer explore` first")
    seeds = store.papers(result.seeds)
    names = ", ".join((seeds[s].title or s) if s in seeds else s for s in result.seeds)
    return from_exploration(result, store, f"Exploration of {names}")


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
    return ExportSet("Reading list", entries, load_graph(store, {i.paper_id for i in items}))


# the formats


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    mime: str
    render: Callable[[ExportSet], str] | None = None
    """Text of a one-file format; ``None`` for the folder formats (markdown)."""


def _formats() -> dict[str, Format]:
    from explorer.exports import to_bibtex, to_csv, to_graph, to_json, to_ris

    return {
        "csv": Format("csv", ".csv", "text/csv", to_csv.render),
        "bibtex": Format("bibtex", ".bib", "application/x-bibtex", to_bibtex.render),
        "ris": Format("ris", ".ris", "application/x-research-info-systems", to_ris.render),
        "markdown": Format("markdown", ".zip", "application/zip"),
        "graphml": Format("graphml", ".graphml", "application/graphml+xml",
                          to_graph.render_graphml),
        "gexf": Format("gexf", ".gexf", "application/gexf+xml", to_graph.render_gexf),
        "json": Format("json", ".json", "application/json", to_json.render),
    }


FORMATS: tuple[str, ...] = ("csv", "bibtex", "ris", "markdown", "graphml", "gexf", "json")


def format_of(name: str) -> Format:
    fmt = _formats().get(name)
    if fmt is None:
        raise BadInputError(f"unknown format {name!r}; use one of: {', '.join(FORMATS)}")
    return fmt


def export(data: ExportSet, fmt: str, out: str | Path) -> str:
    """Write ``data`` in format ``fmt`` to ``out`` (a folder for markdown); a summary line."""
    from explorer.exports import to_markdown
    from explorer.exports.table import save

    spec = format_of(fmt)
    if spec.render is None:
        written = to_markdown.write_folder(data, Path(out))
        return f"wrote {written} notes to {out}"
    save(out, spec.render(data))
    return f"wrote {len(data.entries)} papers to {out}"


def export_bytes(data: ExportSet, fmt: str) -> bytes:
    """The export as bytes for a download button (markdown: a zip of the folder)."""
    from explorer.exports import to_markdown

    spec = format_of(fmt)
    if spec.render is not None:
        return spec.render(data).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in to_markdown.notes(data).items():
            zf.writestr(name, text)
    return buf.getvalue()

