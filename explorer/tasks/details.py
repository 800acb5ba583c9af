"""One paper's details: found through the store first, then Semantic Scholar."""

from __future__ import annotations

import textwrap

from explorer.errors import NotFoundError, OfflineMissingError
from explorer.models import Paper
from explorer.seeds.ids import parse_seed
from explorer.seeds.resolve import resolve
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.versions import work_in_store


def find_paper(text: str, store: Store, client: S2Client | None) -> Paper:
    """The paper a user names, from the store when it is there with a title (no request)."""
    seed = parse_seed(text)

    def titled(pid: str) -> bool:
        paper = store.paper(pid)
        return paper is not None and bool(paper.title)

    found = resolve([seed], store, client, enough=titled)
    if found.offline:
        raise OfflineMissingError(f"not in the store: {seed.text}", missing=seed.text)
    if not found.ids:
        raise NotFoundError("; ".join(found.unknown.values()))
    return store.paper(found.ids[0]) or Paper(found.ids[0])


def describe(paper: Paper, store: Store) -> str:
    """A plain-text card of the paper, with what the store knows of its neighbours."""
    ids = ", ".join(
        x for x in (
            f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "",
            f"DOI:{paper.doi}" if paper.doi else "",
            f"S2:{paper.paper_id}",
        ) if x
    )
    lines = [
        paper.title or "(untitled)",
        ", ".join(paper.authors) or "(no authors listed)",
        " · ".join(str(x) for x in (paper.year, paper.venue) if x),
        ids,
    ]
    counts = []
    if paper.citation_count is not None:
        counts.append(f"{paper.citation_count:,} citations")
    if paper.influential_citation_count:
        counts.append(f"{paper.influential_citation_count:,} influential")
    counts.append(f"in the store: {len(store.references_of(paper.paper_id))} references, "
                  f"{len(store.citations_of(paper.paper_id))} citers")
    lines.append(" · ".join(counts))
    merge = work_in_store(store, paper.paper_id)
    kept = merge.kept(paper.paper_id)
    if why := merge.reason(kept):
        lines.append(why if kept == paper.paper_id else f"merged into S2:{kept}: {why}")
    status = store.statuses().get(paper.paper_id)
    if status:
        lines.append(f"reading list: {status}")
    if paper.tldr:
        lines += ["", "TL;DR: " + paper.tldr]
    if paper.abstract:
        lines += ["", textwrap.fill(paper.abstract, 88)]
    links = [paper.s2_url] + [u for u in (paper.arxiv_url, paper.open_access_pdf) if u]
    lines += ["", *links]
    return "\n".join(line for line in lines if line is not None)
