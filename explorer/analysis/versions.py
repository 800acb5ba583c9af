"""One node per work: the records :func:`explorer.analysis.works.find_works` groups become one
paper, in a list of papers and in a citation graph.

The kept record (the published version, else the most cited, else the smallest id) holds every
id of the work: its DOI (a journal's before arXiv's), the arXiv id of whichever version has one,
and the other records' ids in :attr:`~explorer.models.Paper.versions`. Its citation counts are
the largest of the versions' (the citers the versions share cannot be told apart in a count).
In a graph, every citation of or by a version is a citation of or by the kept node, a paper
citing two versions cites the work once, and a version citing another is no citation at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress
from operator import itemgetter, or_

import networkx as nx

from explorer.analysis.works import (
    Record,
    Work,
    arxiv_of_doi,
    find_works,
    id_keys,
    normal_title,
)
from explorer.graph import Link, link_graph, link_nodes, paper_of
from explorer.models import Paper

__all__ = ["Merge", "merge_graph", "merge_links", "merge_papers", "record_of", "same_work_reason"]


def record_of(paper: Paper) -> Record:
    """The evidence a Paper carries, as a :class:`~explorer.analysis.works.Record`."""
    dois, arxiv_ids = _ids(paper)
    return Record(
        key=paper.paper_id, title=paper.title,
        first_author=paper.authors[0] if paper.authors else None, year=paper.year,
        dois=dois, arxiv_ids=arxiv_ids, citations=paper.citation_count,
    )


def _ids(paper: Paper) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A Paper's DOIs and arXiv ids, as a Record holds them."""
    return (paper.doi,) if paper.doi else (), (paper.arxiv_id,) if paper.arxiv_id else ()


@dataclass
class Merge:
    """What merging did: the kept id of every merged-away id, the works and the merged papers
    by kept id, and every version's own paper by id. Ids of papers on their own are in none of
    them."""

    kept_of: dict[str, str] = field(default_factory=dict)
    works: dict[str, Work] = field(default_factory=dict)
    papers: dict[str, Paper] = field(default_factory=dict)
    versions: dict[str, Paper] = field(default_factory=dict)

    def reason(self, paper_id: str) -> str | None:
        """:func:`same_work_reason` for a kept id, None for a paper on its own."""
        work = self.works.get(paper_id)
        return None if work is None else same_work_reason(work, self.versions)

    def kept(self, paper_id: str) -> str:
        """The id of the node that stands for ``paper_id`` (itself when not merged)."""
        return self.kept_of.get(paper_id, paper_id)

    def kept_ids(self, ids: Iterable[str]) -> list[str]:
        """:meth:`kept` of each id, deduplicated, in the given order."""
        return list(dict.fromkeys(self.kept(i) for i in ids))


def _name(paper: Paper) -> str:
    if paper.arxiv_id:
        return f"arXiv {paper.arxiv_id}"
    if paper.doi:
        return f"DOI {paper.doi}"
    return f"S2 {paper.paper_id}"


def same_work_reason(work: Work, papers: Mapping[str, Paper]) -> str:
    """The sentence that explains a merge, naming the merged-away records and the evidence.

    >>> from explorer.analysis.works import Link
    >>> work = Work("j", ("j", "a"), (Link("a", "j", "same title, first author and year"),))
    >>> same_work_reason(work, {"a": Paper("a", arxiv_id="2305.02329"), "j": Paper("j")})
    'same work as arXiv 2305.02329: same title, first author and year'
    """
    parts = [f"{_name(papers.get(k) or Paper(k))}: {work.why(k)}" for k in work.members[1:]]
    return "same work as " + "; ".join(parts)


def _merged(work: Work, papers: Mapping[str, Paper]) -> Paper:
    versions = [papers.get(k) or Paper(k) for k in work.members]
    kept = versions[0]
    dois = [p.doi for p in versions if p.doi]
    doi = next((d for d in dois if arxiv_of_doi(d) is None), dois[0] if dois else None)
    arxiv = next((p.arxiv_id for p in versions if p.arxiv_id), None)

    def most(values: Iterable[int | None]) -> int | None:
        known = [v for v in values if v is not None]
        return max(known) if known else None

    return replace(
        kept, doi=doi, arxiv_id=arxiv, versions=work.members[1:],
        citation_count=most(p.citation_count for p in versions),
        influential_citation_count=most(p.influential_citation_count for p in versions),
        abstract=kept.abstract or next((p.abstract for p in versions if p.abstract), None),
        open_access_pdf=kept.open_access_pdf or next(
            (p.open_access_pdf for p in versions if p.open_access_pdf), None),
    )


def merge_papers(papers: Mapping[str, Paper]) -> Merge:
    """Group the papers into works and build one paper per work.

    Parameters
    ----------
    papers : Mapping[str, Paper]
        Papers by id.

    Returns
    -------
    Merge
        ``papers`` holds the merged paper of every work of two records or more.

    Examples
    --------
    >>> arxiv = Paper("af02", "Proof in the time of machines", 2023, ("Andrew Granville",),
    ...               arxiv_id="2305.02329", doi="10.48550/arXiv.2305.02329")
    >>> bull = Paper("7ce0", "Proof in the time of machines", 2024, ("Andrew Granville",),
    ...              doi="10.1090/bull/1826")
    >>> m = merge_papers({"af02": arxiv, "7ce0": bull})
    >>> m.kept("af02"), m.papers["7ce0"].arxiv_id, m.papers["7ce0"].doi, m.papers["7ce0"].versions
    ('7ce0', '2305.02329', '10.1090/bull/1826', ('af02',))
    """
    merge = Merge()
    for work in find_works(record_of(p) for p in _joinable(papers)):
        merge.works[work.kept] = work
        merge.papers[work.kept] = _merged(work, papers)
        merge.kept_of.update((k, work.kept) for k in work.members[1:])
        merge.versions.update((k, papers[k]) for k in work.members if k in papers)
    return merge


def _joinable(papers: Mapping[str, Paper]) -> list[Paper]:
    """The papers :func:`~explorer.analysis.works.find_works` could join to another: those that
    share an id (:func:`~explorer.analysis.works.id_keys`) or a folded title with another
    paper. The rest are works on their own, and need no record."""
    folded = {pid: normal_title(p.title) for pid, p in papers.items() if p.title}
    titles = Counter(folded.values())
    keys = {pid: id_keys(*_ids(p)) for pid, p in papers.items() if p.doi or p.arxiv_id}
    ids = Counter(key for found in keys.values() for key in found)
    shared = {pid for pid, found in keys.items() if any(ids[key] > 1 for key in found)}
    return [p for pid, p in papers.items() if pid in shared or titles[folded.get(pid, "")] > 1]


def merge_graph(g: nx.DiGraph) -> tuple[nx.DiGraph, Merge]:
    """The citation graph with one node per work.

    Parameters
    ----------
    g : networkx.DiGraph
        Citation graph from :func:`explorer.graph.build_graph`.

    Returns
    -------
    (networkx.DiGraph, Merge)
        ``g`` itself when no two papers are one work; else a new graph whose kept nodes hold
        the merged papers and the edges of all their versions (merged as
        :func:`~explorer.graph.build_graph` merges a citation given twice).

    Examples
    --------
    >>> from explorer.graph import build_graph
    >>> from explorer.models import Edge
    >>> g = build_graph({"af02": Paper("af02", "Proof in the time of machines", 2023,
    ...                                ("A. Granville",), arxiv_id="2305.02329"),
    ...                  "7ce0": Paper("7ce0", "Proof in the time of machines", 2024,
    ...                                ("A. Granville",), doi="10.1090/bull/1826")},
    ...                 [Edge("c", "af02"), Edge("c", "7ce0"), Edge("af02", "t"),
    ...                  Edge("7ce0", "t")])
    >>> merged, m = merge_graph(g)
    >>> sorted(merged.edges)
    [('7ce0', 't'), ('c', '7ce0')]
    """
    papers = {node: paper_of(g, node) for node in g}
    merge = merge_papers(papers)
    if not merge.kept_of:
        return g, merge
    links = [(u, v, d.get("is_influential"), tuple(d.get("contexts") or ()),
              tuple(d.get("intents") or ())) for u, v, d in g.edges(data=True)]
    return _relabelled(papers, links, merge), merge


def merge_links(papers: Mapping[str, Paper], links: Sequence[Link],
                nodes: Sequence[str] | None = None) -> tuple[nx.DiGraph, Merge]:
    """``merge_graph(link_graph(papers, links))`` without building the graph twice (unless a
    citation is given twice): the same graph, node for node and citation for citation, in
    their order.

    Parameters
    ----------
    papers : Mapping[str, Paper]
        Papers by id, as for :func:`explorer.graph.link_graph`.
    links : Sequence[Link]
        Citations as plain tuples.
    nodes : Sequence[str], optional
        ``link_nodes(papers, links)``, when the caller has it already.

    Returns
    -------
    (networkx.DiGraph, Merge)
        As :func:`merge_graph` gives them.

    Examples
    --------
    >>> papers = {p.paper_id: p for p in [
    ...     Paper("af02", "Proof in the time of machines", 2023, ("A. Granville",)),
    ...     Paper("7ce0", "Proof in the time of machines", 2024, ("A. Granville",),
    ...           doi="10.1090/bull/1826")]}
    >>> merged, m = merge_links(papers, [("c", "af02", None, (), ()), ("c", "7ce0", True, (), ())])
    >>> list(merged.edges(data="is_influential"))
    [('c', '7ce0', True)]
    """
    merge = merge_papers(papers)
    if not merge.kept_of:
        return link_graph(papers, links), merge
    if len(set(map(itemgetter(0, 1), links))) < len(links):
        # a citation given twice is merged before its ends are relabelled, in graph order
        return merge_graph(link_graph(papers, links))
    if nodes is None:
        nodes = link_nodes(papers, links)
    position = {node: i for i, node in enumerate(nodes)}
    citing = list(map(position.__getitem__, map(itemgetter(0), links)))
    every = {node: papers.get(node) or Paper(paper_id=node) for node in nodes}
    # The order merge_graph reads a graph's citations in: by citing paper, in node order.
    if sorted(citing) != citing:
        links = [links[i] for i in sorted(range(len(links)), key=citing.__getitem__)]
    return _relabelled(every, links, merge), merge


def _relabelled(papers: Mapping[str, Paper], links: Sequence[Link], merge: Merge) -> nx.DiGraph:
    """The graph of ``papers`` (every node, in order) and ``links`` with each version replaced
    by the kept record of its work."""
    kept_of, merged = merge.kept_of, merge.papers
    kept_papers = {node: merged.get(node, paper)
                   for node, paper in papers.items() if node not in kept_of}
    moved = kept_of.__contains__
    touched = compress(range(len(links)), map(or_, map(moved, map(itemgetter(0), links)),
                                              map(moved, map(itemgetter(1), links))))
    relabelled = list(links)  # only the few citations of a version change
    for i in touched:
        u, v, flag, contexts, intents = links[i]
        relabelled[i] = (kept_of.get(u, u), kept_of.get(v, v), flag, contexts, intents)
    return link_graph(kept_papers, relabelled)
