"""What every format writes: :class:`ExportSet` (entries in rank order and the citation graph
among them) and :func:`inert`, the copy of it whose every text field is on one line, so no
untrusted title, author, venue or context can end a record and start another in any format."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import networkx as nx

from explorer.models import Paper, Ranked
from explorer.text import one_line, without_controls

__all__ = ["Entry", "ExportSet", "inert", "xml_safe"]


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
    citekeys: dict[str, str] = field(default_factory=dict)
    """Paper id -> the citation key the user's library has (Better BibTeX's); overrides the
    generated one in every format."""

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
        versions=tuple(one_line(v) for v in p.versions),
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
    return ExportSet(one_line(data.title), entries, g,
                     {k: one_line(v) for k, v in data.citekeys.items()})
