"""The app's ways to find seeds by name: a "Search by topic" box in the sidebar whose results
are checked and added to the seeds, and the matches of an ambiguous title to choose from.

``search_box()``
    The sidebar form (words, optional years), one request for :data:`SHOWN` results through
    :func:`explorer.tasks.search.search`, the results with a checkbox each (title, year, venue,
    citations, TL;DR) and "Add to seeds", which appends the checked ones to the seeds text.
``choose_match(error)``
    For an :class:`~explorer.errors.AmbiguousSeedError`: each title's candidates (title, year,
    first author, venue, citations) with "Use this one", which puts that paper's id in place of
    the title in the seeds, so the next run walks it.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from explorer.errors import AmbiguousSeedError, ExplorerError
from explorer.models import Paper
from explorer.sources.s2_search import SearchFilters
from explorer.tasks.search import search
from ui import common

__all__ = ["SHOWN", "choose_match", "search_box"]

SHOWN = 20
"""Results a topic search lists: one request."""
ss = st.session_state


def _facts(paper: Paper, first_author: bool = False) -> str:
    author = ""
    if first_author and paper.authors:
        author = paper.authors[0] + (" et al." if len(paper.authors) > 1 else "")
    cited = "" if paper.citation_count is None else f"{paper.citation_count:,} citations"
    return " · ".join(common.md(str(f)) for f in (paper.year, author, paper.venue, cited) if f)


def _run_search() -> None:
    ss["_hits"], ss["_hits_error"] = [], None
    try:
        with common.settings().s2_client() as client:
            found = search(ss.get("topic_query") or "", client, common.store(), limit=SHOWN,
                           filters=SearchFilters(year=(ss.get("topic_years") or "").strip()
                                                 or None))
    except ExplorerError as exc:
        ss["_hits_error"] = common.error_text(exc)
        return
    ss["_hits"] = found.papers
    ss["_hits_total"] = found.total
    for paper in found.papers:
        ss.pop(f"hit_{paper.paper_id}", None)


def _add_checked(papers: Sequence[Paper]) -> None:
    lines = [x.strip() for x in (ss.get("seeds_text") or "").splitlines() if x.strip()]
    for paper in papers:
        if ss.get(f"hit_{paper.paper_id}"):
            if paper.paper_id not in lines:
                lines.append(paper.paper_id)
            ss[f"hit_{paper.paper_id}"] = False
    ss["seeds_text"] = "\n".join(lines)


def search_box() -> None:
    """The sidebar's topic search and its results (see the module docstring)."""
    with st.form("topic_form", border=False):
        st.text_input("Search by topic", key="topic_query",
                      placeholder="citation recommendation",
                      help="Words matched against titles and abstracts by Semantic Scholar; "
                           "check the papers you want, add them to the seeds, then Explore.")
        st.text_input("Years (optional)", key="topic_years", placeholder="2019-2022")
        st.form_submit_button("Search", on_click=_run_search, width="stretch")
    if ss.get("_hits_error"):
        st.error(ss["_hits_error"], icon="⛔")
    papers: list[Paper] = ss.get("_hits") or []
    if ss.get("_hits") is not None and not papers and not ss.get("_hits_error"):
        st.caption("No papers found.")
    if not papers:
        return
    st.caption(f"{len(papers)} of about {ss.get('_hits_total', 0):,} results")
    for paper in papers:
        st.checkbox(common.md(paper.title or paper.paper_id), key=f"hit_{paper.paper_id}")
        details = _facts(paper)
        if paper.tldr:
            details += ("  \n" if details else "") + "TL;DR: " + common.md(paper.tldr)
        if details:
            st.caption(details)
    st.button("Add to seeds", on_click=_add_checked, args=(papers,), width="stretch",
              help="Adds the checked papers to the seed papers above; then Explore.")


def _use(text: str, paper_id: str) -> None:
    seeds = tuple(paper_id if s == text else s for s in ss.get("seeds", ()))
    ss["seeds"] = seeds
    ss["seeds_text"] = "\n".join(seeds)


def choose_match(error: AmbiguousSeedError) -> None:
    """The candidates of each ambiguous title, to pick one (see the module docstring)."""
    st.warning(f"{common.error_text(error)}: choose the one you mean.", icon="🔎")
    n = 0
    for text, candidates in error.matches.items():
        st.markdown(f"**{common.md(text)}** matches:")
        for raw in candidates:
            n += 1
            paper = Paper.from_s2(raw)
            left, right = st.columns([5, 1])
            left.markdown(f"{n}\\. {common.md(paper.title or paper.paper_id)}  \n"
                          f"{_facts(paper, first_author=True)}")
            right.button("Use this one", key=f"use_match_{n}", on_click=_use,
                         args=(text, paper.paper_id), width="stretch")
