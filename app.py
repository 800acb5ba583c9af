"""explorer in the browser: seeds in the sidebar, the citation graph, the ranked table, a
paper's details and the reading list. Widgets and layout only: the logic is in ``explorer``
(``explorer.tasks.view`` for what is shown) and the Streamlit glue in ``ui.common``.

Run it with ``make run`` (or ``make demo`` against the fake Semantic Scholar).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from explorer.errors import AmbiguousSeedError, ExplorerError
from explorer.exports import export_bytes
from explorer.models import READING_STATUSES, RELATIONS, Paper, Ranked, WalkReport
from explorer.seeds.bib import seeds_with_upload, unresolved
from explorer.tasks import view
from explorer.tasks.explore import Exploration, parse_seeds
from explorer.tasks.export import from_list
from explorer.tasks.library import in_library, library_label, mark_library, sync_collection
from explorer.tasks.survey import MIN_LINKS, Survey
from ui import common
from ui import search as seed_search

common.wide_page("citation graph")

EXAMPLES = {
    "Attention Is All You Need": "1706.03762",
    "BERT": "1810.04805",
    "Turing 1950": "10.1093/mind/LIX.236.433",
}
NO_STATUS = "—"
ss = st.session_state


# ------------------------------------------------------------------ state from the URL

# The widgets' keys are dropped while another page shows: back here (or on a first visit),
# every one comes again from the exploration the URL or the session holds.
if "seeds_text" not in ss:
    state, problems = common.view_state()
    ss["_url_problems"] = problems if "_init" not in ss else []
    ss["_init"] = True
    ss["seeds"] = state.seeds
    ss["seeds_text"] = "\n".join(state.seeds)
    ss["depth"] = state.depth
    ss["survey"] = state.survey
    ss["similar"] = state.similar
    ss["in_library"] = state.library
    ss["direction"] = state.direction
    ss["top"] = state.top
    ss["min_cites"] = state.filters.min_citations
    ss["keyword"] = state.filters.keyword
    ss["relations"] = list(state.filters.relations)
    ss["hide_read"] = "read" in state.filters.hide
    ss["hide_dropped"] = "not relevant" in state.filters.hide
    ss["_years"] = (state.filters.year_min, state.filters.year_max)
    if state.paper:
        ss["paper"] = state.paper


# A click on a node of the graph puts ?paper=ID in the address (see explorer.render.page).
clicked = st.query_params.get("paper")
if clicked and clicked != ss.get("_url_paper"):
    ss["paper"] = clicked
    ss["_url_paper"] = clicked


def submit_seeds() -> None:
    lines = [x.strip() for x in ss["seeds_text"].splitlines() if x.strip()]
    upload = ss.get("bib_file")
    collection = (ss.get("zotero_collection") or "").strip()
    try:
        if collection:
            settings = common.settings()
            with settings.zotero_client() as zotero, settings.s2_client() as client:
                lines += sync_collection(collection, common.store(), zotero, client)
        found, entries = seeds_with_upload(lines, upload.getvalue() if upload else None,
                                           upload.name if upload else "")
        parse_seeds(found)
    except ExplorerError as exc:
        ss["_input_error"] = str(exc)
        return
    ss["_input_error"] = None
    ss["seeds"] = tuple(found)
    ss["_bib"] = (upload.name, entries, ss["seeds"]) if upload else None
    ss.pop("paper", None)
    ss["_years"] = (None, None)


def use_example(seed: str) -> None:
    ss["seeds_text"] = seed
    submit_seeds()


def select_row() -> None:
    rows = ss["table"]["selection"]["rows"]
    if rows and rows[0] < len(ss.get("_shown", [])):
        ss["paper"] = ss["_shown"][rows[0]]


def explore_from(pid: str, add: bool) -> None:
    """Walk again around ``pid``, alone or added to the seeds."""
    ss["seeds"] = (*ss["seeds"], pid) if add and pid not in ss["seeds"] else (pid,)
    ss["seeds_text"] = "\n".join(ss["seeds"])
    ss["survey"] = False
    ss.pop("paper", None)
    ss["_years"] = (None, None)


def set_status(pid: str) -> None:
    choice = ss[f"status_{pid}"]
    listed = {i.paper_id: i for i in common.store().list_items()}
    if choice is None:  # the status it has, clicked again: it stays
        ss[f"status_{pid}"] = listed[pid].status if pid in listed else NO_STATUS
    elif choice == NO_STATUS:
        if pid in listed:
            common.store().list_remove(pid)
            ss["_removed"] = listed[pid]
    else:
        common.store().list_set(pid, status=choice)
        ss.pop("_removed", None)


def undo_remove() -> None:
    item = ss.pop("_removed", None)
    if item is not None:
        common.store().list_set(item.paper_id, status=item.status, tags=item.tags,
                                note=item.note)
        ss[f"status_{item.paper_id}"] = item.status


def forget_walk(key: tuple[object, ...]) -> None:
    ss.setdefault("walked", {}).pop(key, None)


# ------------------------------------------------------------------ sidebar: the seeds

nav = st.sidebar.empty()  # filled once the view is known, with links carrying it
with st.sidebar:
    st.markdown("### explorer")
    with st.form("seeds_form", border=False):
        st.text_area(
            "Seed papers, one a line", key="seeds_text", height=96,
            placeholder="1706.03762\n10.1093/mind/LIX.236.433\nAttention is all you need",
            help="arXiv ids or URLs, DOIs, Semantic Scholar ids or URLs, CorpusId:N, or titles.",
        )
        c1, c2 = st.columns(2)
        c1.radio("Depth", common.depths(), key="depth", horizontal=True,
                 help="1: the seeds' references and citations. 2 (the default, as on the "
                      "command line): also the references and the citers of every "
                      "neighbour (more papers, two more requests per 500 neighbours). "
                      "3, on a local graph only: one ring further, with no request.")
        c2.selectbox("Direction", ("both", "references", "citations"), key="direction")
        st.checkbox("Treat the seed as a survey", key="survey",
                    help="Its references become the seeds: ranked by how central each is "
                         "among the others, with the papers the survey missed (cited by, or "
                         f"citing, at least {MIN_LINKS} of them). Several seeds (or a "
                         "bibliography) are analysed as such a list. Depth and direction do "
                         "not apply.")
        st.checkbox("Add similar work beyond citations", key="similar",
                    help="Semantic Scholar's recommendations for each seed join the ranking "
                         "(one request per seed, asked once), and papers are also ranked by "
                         "how close their SPECTER vectors are to the seeds' (one request per "
                         "300 papers, fetched once). Their reason says so.")
        st.file_uploader("Or a bibliography (.bib, .ris)", type=["bib", "ris"], key="bib_file",
                         help="Each entry is a seed: its DOI, arXiv id or URL, else its "
                              "title. Added to the seeds typed above.")
        st.caption("The file is not part of the page's link: the link carries the seeds "
                   "found in it, not the file or which entries were not found.")
        st.text_input("Or a Zotero collection", key="zotero_collection",
                      placeholder="e.g. LLM papers",
                      help="Its papers are the seeds, added to those above. The whole "
                           "library is read from Zotero 7's local API (Settings → Advanced → "
                           "“Allow other applications on this computer to communicate with "
                           "Zotero”) and kept in the store, so its papers are flagged "
                           "“in library” in every exploration.")
        st.form_submit_button("Explore", type="primary", on_click=submit_seeds,
                              width="stretch")
    if ss.get("_input_error"):
        st.error(ss["_input_error"], icon="⛔")
    seed_search.search_box()

for problem in ss.get("_url_problems", []):
    st.warning(f"Ignored in the link: {problem}", icon="⚠️")

seeds: tuple[str, ...] = ss.get("seeds", ())

# ------------------------------------------------------------------ landing page

if not seeds:
    st.title("explorer")
    st.markdown(
        "Explore the citation graph around papers you know: their references, the papers "
        "citing them, ranked by how strongly they connect to your seeds — **and why**.\n\n"
        "Type an arXiv id, DOI, Semantic Scholar URL or title in the sidebar, or start from "
        "an example:"
    )
    cols = st.columns(len(EXAMPLES) + 2)
    for col, (name, seed) in zip(cols, EXAMPLES.items(), strict=False):
        col.button(name, on_click=use_example, args=(seed,), width="stretch")
    st.caption("Everything fetched is kept in a local store, so nothing is fetched twice; "
               "the address bar always links to the current view.")
    common.page_links(view.ViewState(), nav.container())
    st.stop()

# ------------------------------------------------------------------ the exploration

depth, direction = int(ss["depth"]), str(ss["direction"])
survey_mode = bool(ss.get("survey"))
key = ("survey", seeds) if survey_mode else (seeds, depth, direction, common.similar_work())
walked: dict[tuple[object, ...], object] = ss.setdefault("walked", {})
if common.cancel_requested():
    walked[key] = "cancelled"


def stored() -> tuple[Exploration | None, Survey | None]:
    if survey_mode:
        s = common.stored_survey(seeds)
        return (s.as_exploration() if s else None), s
    return common.stored_exploration(seeds, depth, direction), None


try:
    ex, survey = stored()
except ExplorerError as exc:
    st.error(str(exc), icon="⛔")
    common.page_links(view.ViewState(), nav.container())
    st.stop()

if (ex is None or ex.partial or view.seeds_missing_offline(ex.report.warnings)
        or common.similar_missing(ex)) and key not in walked:
    try:
        walked[key] = (common.walk_survey(seeds).exploration if survey_mode
                       else common.walk(seeds, depth, direction)).report
    except ExplorerError as exc:
        walked[key] = exc
    ex, survey = stored()

outcome = walked.get(key)
if ex is None and isinstance(outcome, AmbiguousSeedError):
    seed_search.choose_match(outcome)
    common.page_links(view.ViewState(), nav.container())
    st.stop()
if ex is None:
    if outcome == "cancelled":
        st.warning("Walk cancelled before anything was fetched.", icon="⏹️")
    else:
        st.error(common.error_text(outcome) if isinstance(outcome, ExplorerError)
                 else "Nothing known about these seeds yet.", icon="⛔")
    st.button("Try again", on_click=forget_walk, args=(key,))
    common.page_links(view.ViewState(seeds, depth, direction, survey=survey_mode),
                      nav.container())
    st.stop()

graph = ex.graph

# ------------------------------------------------------------------ sidebar: filters

marks = common.statuses()
members = in_library(common.store()) if common.store().library_source() else None
if members is not None:
    ex = replace(ex, ranked=mark_library(ex.ranked, members, library_label(common.store())))
bounds = view.year_bounds(ex.ranked)
with st.sidebar:
    st.divider()
    st.select_slider("Papers to show", view.top_choices(int(ss["top"])), key="top",
                     help="The top N of the ranking (seeds always shown), after the filters. "
                          "Beyond 1,000 papers the graph is drawn with WebGL.")
    st.markdown("**Filters**")
    year_min = year_max = None
    if bounds and bounds[0] < bounds[1]:
        lo, hi = ss["_years"]
        value = (max(bounds[0], min(lo or bounds[0], bounds[1])),
                 min(bounds[1], max(hi or bounds[1], bounds[0])))
        years = st.slider("Years", bounds[0], bounds[1], value=value)
        year_min = years[0] if years[0] > bounds[0] else None
        year_max = years[1] if years[1] < bounds[1] else None
        ss["_years"] = (year_min, year_max)
    st.number_input("Minimum citations", min_value=0, step=10, key="min_cites")
    st.text_input("Keyword in title or abstract", key="keyword", placeholder="e.g. attention")
    relation_choices = view.SURVEY_RELATIONS if survey_mode else RELATIONS[1:]
    ss["relations"] = [r for r in ss["relations"] if r in relation_choices]
    st.multiselect("Relation to the seeds", relation_choices, key="relations",
                   placeholder="any relation")
    st.checkbox("Hide papers marked read", key="hide_read")
    st.checkbox("Hide papers marked not relevant", key="hide_dropped")
    if members is not None:
        st.radio("Your library", view.LIBRARY_CHOICES, key="in_library", horizontal=True,
                 help="Only the papers already in your library, or only those it lacks "
                      "(the seeds are always shown).")
    st.caption("Papers marked *not relevant* are also left out of the ranking, and their "
               "neighbours scored lower.")

filters = view.Filters(
    year_min=year_min, year_max=year_max, min_citations=int(ss["min_cites"] or 0),
    keyword=ss["keyword"], relations=tuple(ss["relations"]),
    hide=tuple(s for s, on in (("read", ss["hide_read"]), ("not relevant", ss["hide_dropped"]))
               if on),
)
shown = view.apply_filters(view.by_library(ex.ranked, members, ss.get("in_library")),
                           filters, marks, int(ss["top"]))
ss["_shown"] = [r.paper.paper_id for r in shown]
by_id = {r.paper.paper_id: r for r in ex.ranked}
if ss.get("paper") not in ss["_shown"]:
    ss["paper"] = ss["_shown"][0] if shown else None
picked = ss.get("paper") if shown and ss.get("paper") != ss["_shown"][0] else None
state = view.ViewState(seeds, depth, direction, int(ss["top"]), filters, picked, survey_mode,
                       str(ss.get("in_library") or view.LIBRARY_CHOICES[0]),
                       common.similar_work())
ss["_url_paper"] = picked
common.set_view_state(state)
common.page_links(state, nav.container())

# ------------------------------------------------------------------ header and walk report

seed_titles = [r.paper.title or r.paper.paper_id for r in ex.ranked if r.relation == "seed"]
if survey is not None:
    seed_titles = [f"Survey: {survey.survey.title or survey.survey.paper_id}" if survey.survey
                   else f"A list of {len(survey.references)} papers, as a survey"]
st.markdown(f"## {common.md(' · '.join(seed_titles))}")
report = outcome if isinstance(outcome, WalkReport) else ex.report
summary = (f"{ex.graph.number_of_nodes():,} papers and {ex.graph.number_of_edges():,} "
           f"citations in the graph · showing **{len(shown)}** · " +
           (f"survey mode: {len(survey.references)} references, {len(survey.missed)} missed"
            if survey is not None else f"depth {depth}, {direction}"))
if isinstance(outcome, WalkReport):
    summary += f" · this walk: {outcome.requests} requests, {outcome.pages} pages"
else:
    summary += " · from the store, no requests"
st.caption(summary)
if outcome == "cancelled":
    st.warning("Walk cancelled: showing what was fetched so far.", icon="⏹️")
if isinstance(outcome, ExplorerError):
    st.error(common.error_text(outcome), icon="⛔")
if isinstance(outcome, WalkReport):
    common.show_report(ex if outcome is ex.report else
                       type(ex)(ex.seeds, ex.graph, ex.ranked, outcome, ex.options))
if ex.partial and outcome is not None:
    st.button("Continue the walk", on_click=forget_walk, args=(key,), type="primary")
bib = ss.get("_bib")
if bib and bib[2] == seeds:
    missing = unresolved(common.store(), bib[1])
    if missing:
        st.warning(
            f"{len(missing)} of {len(bib[1])} entries of {common.md(bib[0])} not found:\n"
            + "\n".join(f"- {common.md(e.label)}: "
                        f"{common.md(e.problem or 'not found on Semantic Scholar')}"
                        for e in missing), icon="⚠️")

# ------------------------------------------------------------------ graph and details

left, right = st.columns([3, 2], gap="medium")
with left:
    st.iframe(common.graph(ex, shown, marks, ss.get("paper")), height=620)
    st.caption(f"{len(shown)} papers drawn · click a node for its details, hover it for its "
               "title and reasons, drag to move, scroll to zoom.")


def details(r: Ranked) -> None:
    p = r.paper
    st.markdown(f"#### {common.md(p.title or p.paper_id)}")
    authors = ", ".join(p.authors[:12]) + (" et al." if len(p.authors) > 12 else "")
    st.markdown(common.md(authors or "no authors listed"))
    facts = [str(p.year) if p.year else "year unknown"]
    if p.venue:
        facts.append(p.venue)
    if p.citation_count is not None:
        facts.append(f"{p.citation_count:,} citations")
    if p.influential_citation_count:
        facts.append(f"{p.influential_citation_count:,} influential")
    st.caption(common.md(" · ".join(facts)) + f" · **{r.relation}** · score {r.score:.3f} "
               f"(#{r.rank})")
    links = [("S2 page", common.safe_url(p.s2_url)),
             ("arXiv", common.safe_url(p.arxiv_url)),
             ("PDF", common.safe_url(p.open_access_pdf))]
    cols = st.columns(3)
    for col, (label, url) in zip(cols, [x for x in links if x[1]], strict=False):
        col.link_button(label, url or "", width="stretch")
    go, add = st.columns(2)
    go.button("Explore from here", key="explore_from", on_click=explore_from,
              args=(p.paper_id, False), width="stretch",
              help="A new exploration with this paper as its only seed.")
    add.button("Add as seed", key="add_seed", on_click=explore_from, args=(p.paper_id, True),
               width="stretch", disabled=p.paper_id in seeds,
               help="Explore again, with this paper added to the seeds.")
    current = marks.get(p.paper_id, NO_STATUS)
    st.segmented_control(
        "Reading list", (NO_STATUS, *READING_STATUSES), key=f"status_{p.paper_id}",
        default=current, on_change=set_status, args=(p.paper_id,),
        help="Kept in the store and shared with `explorer list` on the command line.",
    )
    if r.reasons:
        st.markdown("**Why it is here**\n" + "\n".join(f"- {common.md(x)}" for x in r.reasons))
    if p.tldr:
        st.markdown(f"**TL;DR** {common.md(p.tldr)}")
    if p.abstract:
        with st.expander("Abstract", expanded=not p.tldr):
            st.markdown(common.md(p.abstract))
    links_in = view.connections(graph, p.paper_id)
    if links_in:
        with_context = [c for c in links_in if c.contexts]
        st.markdown(f"**In the graph**: cites {sum(c.direction == 'cites' for c in links_in)}, "
                    f"cited by {sum(c.direction == 'cited by' for c in links_in)}; "
                    f"{len(with_context)} with citation contexts")
        for c in with_context[:6]:
            other = common.md(c.other.title or c.other.paper_id)
            flag = " · influential" if c.influential else ""
            intents = f" · {common.md(', '.join(c.intents))}" if c.intents else ""
            quote = common.md(c.contexts[0][:400])
            st.markdown(f"{c.direction} *{other}*{flag}{intents}\n> {quote}")


with right:
    if shown:
        st.selectbox(
            "Paper", ss["_shown"], key="paper",
            format_func=lambda pid: f"#{by_id[pid].rank} · {by_id[pid].paper.title or pid}"
            f" ({by_id[pid].paper.year or '?'})",
        )
        with st.container(height=540, border=False):
            details(by_id[ss["paper"]])
    else:
        st.info("No paper passes the filters.")

# ------------------------------------------------------------------ ranked table

st.markdown("### Ranked papers")
df = view.table(shown, marks)
df["in_library"] = df["paper_id"].isin(members or ())
top_score = float(df["score"].max()) if len(df) else 1.0
st.dataframe(
    df, key="table", on_select=select_row, selection_mode="single-row", hide_index=True,
    height=min(38 + 35 * len(df), 460), width="stretch",
    column_order=("rank", "title", "year", "score", "citations", "relation", "reasons",
                  "status", *(("in_library",) if members is not None else ()), "arxiv", "pdf",
                  "s2"),
    column_config={
        "rank": st.column_config.NumberColumn("#", width="small"),
        "title": st.column_config.TextColumn("Title", width="large"),
        "year": st.column_config.NumberColumn("Year", format="%d", width="small"),
        "score": st.column_config.ProgressColumn("Score", min_value=0.0,
                                                 max_value=max(top_score, 1e-9), format="%.3f"),
        "citations": st.column_config.NumberColumn("Citations", format="localized"),
        "relation": st.column_config.TextColumn("Relation"),
        "reasons": st.column_config.TextColumn("Why", width="large"),
        "status": st.column_config.TextColumn("List"),
        "in_library": st.column_config.CheckboxColumn("In library", width="small"),
        "arxiv": st.column_config.LinkColumn("arXiv", display_text="arXiv", width="small"),
        "pdf": st.column_config.LinkColumn("PDF", display_text="PDF", width="small"),
        "s2": st.column_config.LinkColumn("S2", display_text="S2", width="small"),
    },
)
st.caption(f"Showing {len(shown)} of {len(ex.ranked)} ranked papers · click a row to see "
           "its details · click a column header to sort." +
           (" The survey's references come first, most central among the others first; "
            "then the papers it missed." if survey is not None else ""))
st.download_button(
    f"⬇ Ranked table (CSV, all {len(ex.ranked)} papers)", view.ranked_csv(ex.ranked),
    file_name="ranked.csv", mime="text/csv", on_click="ignore", key="dl_ranked",
)

# ------------------------------------------------------------------ survey: what it missed

if survey is not None:
    st.markdown("### What the survey missed")
    missed = view.apply_filters([r for r in ex.ranked if r.relation == "missed"], filters,
                                marks)
    st.caption(f"{len(missed)} of {len(survey.missed)} papers (after the filters) outside "
               f"the list that at least {MIN_LINKS} of its references cite, or that cite at "
               "least that many of them — newer work included — with why.")
    if missed:
        st.dataframe(
            view.table(missed, marks), key="missed_table", hide_index=True, width="stretch",
            height=min(38 + 35 * len(missed), 460),
            column_order=("rank", "title", "year", "citations", "reasons", "arxiv", "s2"),
            column_config={
                "rank": st.column_config.NumberColumn("#", width="small"),
                "title": st.column_config.TextColumn("Title", width="large"),
                "year": st.column_config.NumberColumn("Year", format="%d", width="small"),
                "citations": st.column_config.NumberColumn("Citations", format="localized"),
                "reasons": st.column_config.TextColumn("Why it may belong in the list",
                                                       width="large"),
                "arxiv": st.column_config.LinkColumn("arXiv", display_text="arXiv"),
                "s2": st.column_config.LinkColumn("S2", display_text="S2"),
            },
        )
        st.download_button(
            f"⬇ Missed papers (CSV, {len(survey.missed)})",
            view.ranked_csv([r for r in ex.ranked if r.relation == "missed"]),
            file_name="missed.csv", mime="text/csv", on_click="ignore", key="dl_missed",
        )

# ------------------------------------------------------------------ reading list

st.markdown("### Reading list")
removed = ss.get("_removed")
if removed is not None:
    gone = by_id.get(removed.paper_id)
    st.info(f"Removed from the reading list: "
            f"{common.md(gone.paper.title if gone else removed.paper_id)} "
            f"({removed.status}" + (f", tags {common.md(', '.join(removed.tags))}"
                                    if removed.tags else "")
            + (", with a note" if removed.note else "") + ")", icon="🗑️")
    st.button("Undo", key="undo_remove", on_click=undo_remove)
items = common.store().list_items()
if items:
    papers = common.store().papers(i.paper_id for i in items)
    listed = view.table(
        [by_id.get(i.paper_id) or Ranked(papers.get(i.paper_id) or Paper(i.paper_id), 0.0,
                                         "") for i in items],
        marks,
    )
    st.dataframe(listed, hide_index=True, width="stretch",
                 column_order=("status", "title", "year", "citations", "arxiv", "pdf", "s2"),
                 column_config={
                     "status": st.column_config.TextColumn("Status"),
                     "title": st.column_config.TextColumn("Title", width="large"),
                     "year": st.column_config.NumberColumn("Year", format="%d"),
                     "arxiv": st.column_config.LinkColumn("arXiv", display_text="arXiv"),
                     "pdf": st.column_config.LinkColumn("PDF", display_text="PDF"),
                     "s2": st.column_config.LinkColumn("S2", display_text="S2"),
                 })
    st.download_button(
        f"⬇ Reading list (CSV, {len(items)} papers)",
        export_bytes(from_list(common.store(), ex), "csv"),
        file_name="reading-list.csv", mime="text/csv", on_click="ignore", key="dl_list",
    )
else:
    st.caption("Empty. Pick a paper above and mark it *to read*, *reading*, *read* or "
               "*not relevant*; the list is kept in the store and shared with the CLI.")
