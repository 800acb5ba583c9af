"""Four views of the current exploration (citation graph, similarity map with labelled
clusters, semantic map of SPECTER vectors, timeline), its prior and derivative works, and the
path between two papers."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from explorer.analysis.clusters import ClusterMap, cluster_map
from explorer.analysis.lineage import derivative_works, prior_works, timeline_layout
from explorer.analysis.semantic_map import semantic_layout
from explorer.analysis.similarity import similarity_layout
from explorer.cache import graph_bytes
from explorer.errors import ExplorerError
from explorer.models import Ranked
from explorer.render.maps import path_html, similarity_map_html, timeline_html
from explorer.tasks.connect import Connection, connect, describe
from explorer.tasks.explore import Exploration
from explorer.tasks.similar import stored_embeddings
from ui import common

VIEWS = ("Citation graph", "Similarity map", "Semantic map", "Timeline")

common.wide_page("maps")
st.title("Maps of a field")
state, problems = common.view_state()
for problem in problems:
    st.warning(problem)

typed = st.text_area("Seeds, one a line (arXiv id, DOI, S2 id or URL, or title)",
                     value="\n".join(state.seeds), height=80)
seeds = tuple(line.strip() for line in typed.splitlines() if line.strip())
if seeds != state.seeds:
    state = replace(state, seeds=seeds)
common.set_view_state(state)
common.page_links(state)
if not seeds:
    common.no_exploration_yet()
    st.stop()

try:
    ex = common.stored_exploration(seeds, state.depth, state.direction)
except ExplorerError as exc:
    st.error(str(exc))
    st.stop()
if ex is None:
    st.info("The store does not hold these seeds yet.")
    if st.button("Walk the citation graph", type="primary"):
        try:
            ex = common.walk(seeds, state.depth, state.direction)
        except ExplorerError as exc:
            st.error(str(exc))
    if ex is None:
        st.stop()
assert ex is not None
common.show_report(ex)


def clusters_of(ex: Exploration, shown: tuple[str, ...]) -> ClusterMap:
    """The clusters of the papers shown, kept in the app's byte-budget cache."""
    return common.kept(
        ("clusters", common.exploration_key(ex), shown),
        lambda: cluster_map(ex.graph, among=shown), lambda found: graph_bytes(found.similarity),
        "Finding clusters…")


def layout_of(ex: Exploration, shown: tuple[str, ...], found: ClusterMap
              ) -> dict[str, tuple[float, float]]:
    def make() -> dict[str, tuple[float, float]]:
        groups: dict[int, list[str]] = {}
        for pid in shown:
            groups.setdefault(found.of.get(pid, -1), []).append(pid)
        return similarity_layout(found.similarity.subgraph(shown), list(groups.values()))

    return common.kept(("map layout", common.exploration_key(ex), shown),
                       make, common.positions_bytes, "Laying out the map…")


most = min(500, len(ex.ranked))  # a slider from 10 to 10 or fewer is an error: none then
top = st.slider("Papers shown", min_value=10, max_value=most,
                value=max(10, min(state.top, most)), step=10) if most > 10 else most
shown: list[Ranked] = ex.ranked[:top]
ids = tuple(r.paper.paper_id for r in shown)
found = clusters_of(ex, ids)  # the clusters of the papers shown, not of them all

maps, lineage, connector = st.tabs(["Maps", "Prior & derivative works", "Connector"])

with maps:
    view = st.radio("View", VIEWS, horizontal=True, label_visibility="collapsed")
    if view == "Citation graph":
        st.iframe(common.graph(ex, shown, common.statuses()), height=640)
    elif view == "Similarity map":
        pos = layout_of(ex, ids, found)
        st.iframe(similarity_map_html(shown, found, pos), height=640)
        st.caption("Papers joined by shared references (coupling) and shared citers "
                   "(co-citation); colours are clusters, named by their distinguishing words.")
    elif view == "Semantic map":
        pos, missing = semantic_layout(ids, stored_embeddings(common.store(), ids))
        if pos:
            st.iframe(similarity_map_html(shown, found, pos), height=640)
            st.caption("Papers placed by their SPECTER vectors (the two principal components):"
                       " close papers are alike in content, whether or not they cite each "
                       "other; colours and lines are the similarity map's.")
        else:
            st.info("The store holds no SPECTER vector for these papers: tick \"Add similar "
                    "work beyond citations\" on the main page and explore again.")
        if missing:
            titles = {r.paper.paper_id: r.paper.title or r.paper.paper_id for r in shown}
            with st.expander(f"{len(missing)} papers shown have no SPECTER vector"):
                st.dataframe(pd.DataFrame({"title": [titles[p] for p in missing]}),
                             hide_index=True, width="stretch")
    else:
        timeline = timeline_layout(ex.graph.subgraph(ids))
        st.iframe(timeline_html(ex.graph, shown, timeline, found), height=640)
    counts: dict[int, int] = {}
    for pid in ids:
        counts[found.of[pid]] = counts.get(found.of[pid], 0) + 1
    with st.expander(f"Clusters ({len(counts)} among the papers shown)"):
        st.dataframe(pd.DataFrame(
            [{"cluster": found.clusters[k].label, "papers shown": n} for k, n in
             sorted(counts.items(), key=lambda kv: -kv[1])]),
            hide_index=True, width="stretch")


def _table(items: list[Ranked], counted: str) -> pd.DataFrame:
    return pd.DataFrame([{"#": r.rank, "title": r.paper.title or r.paper.paper_id,
                          "year": r.paper.year, counted: int(r.components["count"]),
                          "citations": r.paper.citation_count, "why": "; ".join(r.reasons),
                          "cluster": found.label_of(r.paper.paper_id)} for r in items])


with lineage:
    members = [r.paper.paper_id for r in ex.ranked]
    works = (
        ("Prior works", "The papers the graph's papers cite most (seeds aside): its "
         "foundations.",
         prior_works, "No paper is cited by two papers of the graph.", "cited by (graph)"),
        ("Derivative works", "The papers citing the most of the graph's papers (seeds "
         "aside): its follow-ups.",
         derivative_works, "No paper cites two papers of the graph.", "cites (graph)"),
    )
    for column, (title, caption, find, none, counted) in zip(st.columns(2), works, strict=True):
        with column:
            st.subheader(title)
            st.caption(caption)
            found_works = find(ex.graph, members, seeds=ex.seeds)
            if found_works:
                st.dataframe(_table(found_works, counted), hide_index=True, width="stretch")
            else:
                st.write(none)

with connector:
    st.caption("The shortest citation paths between two papers, citations followed both ways.")
    first = ex.ranked[0].paper.paper_id if ex.ranked else ""
    a = st.text_input("From", value=seeds[0])
    b = st.text_input("To", value=seeds[1] if len(seeds) > 1 else first)
    c1, c2, c3 = st.columns(3)
    max_hops = int(c1.number_input("Max hops", min_value=1, max_value=8, value=4))
    budget = int(c2.number_input("Max requests", min_value=0, max_value=500, value=50))
    offline = c3.checkbox("Store only (no requests)")
    if st.button("Find paths", type="primary"):
        try:
            with common.settings().s2_client_or_none(offline=offline,
                                                     max_requests=budget) as client:
                result: Connection = connect(a, b, store=common.store(), client=client,
                                             max_hops=max_hops)
        except ExplorerError as exc:
            st.error(str(exc))
        else:
            st.text(describe(result, common.WIDGETS))
            st.caption(f"{result.report.requests} requests · "
                       f"{sum(result.explored)} papers explored")
            for warning in result.report.warnings:
                st.warning(warning)
            if result.found:
                st.iframe(path_html(result), height=420)
