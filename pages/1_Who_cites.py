"""Who cites a paper: every citer S2 exposes, filtered, sorted, explained, per year."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.errors import ExplorerError, OfflineMissingError
from explorer.tasks.cites import (
    INTENTS,
    SORTS,
    Citations,
    CiteFilters,
    citers_csv_text,
    collect,
    filter_citers,
    per_year,
    sort_citers,
)
from ui import common

MAX_SENTENCES = 30

common.wide_page("who cites")
state = common.view_state()[0]
common.page_links(state)
st.title("Who cites a paper")
seed = st.text_input("Paper (arXiv id, DOI, S2 id or URL, or title)",
                     value=st.query_params.get("cites", state.seeds[0] if state.seeds else ""))

with st.sidebar:
    st.header("Filters")
    since = st.number_input("Since year", min_value=0, max_value=2100, value=0, step=1)
    until = st.number_input("Until year", min_value=0, max_value=2100, value=0, step=1)
    min_cites = st.number_input("At least N citations", min_value=0, value=0, step=1)
    influential = st.checkbox("Influential citations only")
    intent = st.selectbox("Intent", ("any", *INTENTS))
    query = st.text_input("Text in title, abstract or citation context")
    sort = st.selectbox("Sort by", SORTS)
    limit = st.number_input("Rows shown", min_value=1, value=100, step=10)

if not seed.strip():
    common.set_view_state(state)
    st.info("Give a paper to list everything that cites it. Example: "
            "DOI:10.1093/mind/LIX.236.433")
    st.stop()
common.set_view_state(state, cites=seed.strip())


def _collect(online: bool) -> Citations:
    settings = common.settings()
    with settings.s2_client_or_none(offline=not online) as client:
        return collect(seed, store=common.store(), client=client,
                       arxiv=settings.arxiv_or_none(not online))


found: Citations | None = None
try:
    found = _collect(online=False)  # the store first: never a request
    if found.report.partial:
        found = None
except OfflineMissingError:
    found = None
except ExplorerError as exc:
    st.error(str(exc))
    st.stop()
if found is None:
    ask = st.empty()  # the question goes once the citers are here
    with ask.container():
        st.write("The store does not hold this paper's citers yet.")
        fetch = st.button("Fetch the citers from Semantic Scholar", type="primary")
    if not fetch:
        st.stop()
    ask.empty()
    with st.spinner("Paging the citers, 1000 a request…"):
        try:
            found = _collect(online=True)
        except ExplorerError as exc:
            st.error(str(exc))
            st.stop()
    if found.report.error is not None:
        st.warning(f"Stopped early: {found.report.error}")

try:
    filters = CiteFilters(since or None, until or None, min_cites or None, influential,
                          None if intent == "any" else intent, query or None)
except ExplorerError as exc:
    st.error(common.error_text(exc))
    st.stop()
matching = filter_citers(found.citers, filters)
kept = sort_citers(matching, sort)
title = found.paper.title or found.paper.paper_id
st.subheader(f"{len(kept):,} of {len(found.citers):,} citers match")
st.caption(f"Citers of {common.md(title)}"
           + (f" · {common.md(found.coverage)}" if found.coverage else ""))
if found.shortfall:
    st.info(found.shortfall)
for warning in found.report.warnings:
    st.info(common.md(warning))

years = per_year(found.citers, matching)
chart = pd.DataFrame(
    {"all citers": [a for a, _ in years.values()], "matching": [m for _, m in years.values()]},
    index=[str(y) if y is not None else "unknown" for y in years],
)
st.bar_chart(chart, stack=False)

st.download_button("Download CSV", citers_csv_text(kept), file_name="citers.csv",
                   mime="text/csv")
table = pd.DataFrame([
    {
        "rank": c.ranked.rank,
        "title": c.paper.title or c.paper.paper_id,
        "year": c.paper.year,
        "citations": c.paper.citation_count,
        "score": round(c.ranked.score, 3),
        "influential": c.edge.is_influential,
        "intents": ", ".join(c.edge.intents),
        "matching context": " | ".join(m for m in c.matches if m not in ("title", "abstract")),
        "reasons": "; ".join(c.ranked.reasons),
        "link": c.paper.best_url,
    }
    for c in kept[: int(limit)]
])
st.dataframe(table, hide_index=True, width="stretch",
             column_config={"link": st.column_config.LinkColumn("link"),
                            "matching context": st.column_config.TextColumn(width="large")})
said = [(c, m) for c in kept[: int(limit)] for m in c.matches if m not in ("title", "abstract")]
if query and said:
    st.markdown(f"**Where the citers say “{common.md(query)}”**")
    st.markdown("\n".join(
        f"- {common.md(c.paper.title or c.paper.paper_id)} ({c.paper.year or 'year unknown'}):"
        f" “{common.highlight(m, query)}”" for c, m in said[:MAX_SENTENCES]))
