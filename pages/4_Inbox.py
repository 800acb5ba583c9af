"""The inbox: new papers of the user's arXiv categories, ranked against the library, with their
reasons and a reading-list status each (marking one changes the next ranking)."""

from __future__ import annotations

import time

import streamlit as st

from explorer.errors import ExplorerError
from explorer.exports.to_inbox import atom_feed, link_of
from explorer.models import READING_STATUSES
from explorer.tasks import inbox
from ui import common

NO_STATUS = "—"
SPANS = {"7 days": "7d", "14 days": "14d", "30 days": "30d"}

store = common.plain_page("inbox", "Inbox")
ss = st.session_state


def set_status(pid: str, key: str) -> None:
    choice = ss[key]
    if choice == NO_STATUS:
        store.list_remove(pid)
    else:
        store.list_set(pid, status=choice)


with st.form("inbox_run"):
    cats = st.text_input("arXiv categories", " ".join(inbox.last_categories(store)),
                         placeholder="cs.LG cs.CL cs.IR", key="inbox_categories")
    span = st.selectbox("Submitted in the last", tuple(SPANS), index=1, key="inbox_span")
    again = st.checkbox("Show again what was shown before", key="inbox_all")
    asked = st.form_submit_button(
        "Check for new papers",
        help="One arXiv request per 2,000 papers listed, one Semantic Scholar request per 500 "
             "new ones; what was shown before is left out.")
if asked:
    try:
        with common.settings().s2_client() as client:
            report = inbox.run(store, client, common.settings().arxiv_client(), cats.split(),
                               since=inbox.parse_since(SPANS[span]), show_all=again)
    except ExplorerError as exc:
        st.error(common.error_text(exc))
    else:
        for warning in report.warnings:
            st.warning(warning)
        st.caption(f"{len(report.items)} new of {report.listed} listed · "
                   f"{report.already_shown} shown before · {report.requests} requests "
                   f"({report.arxiv_requests} arXiv, {report.s2_requests} Semantic Scholar)")

items = inbox.remembered(store)
if not items:
    st.info("Nothing in the inbox yet: name your arXiv categories and check for new papers.")
else:
    statuses = store.statuses()
    st.subheader(f"{len(items)} paper{'s' * (len(items) != 1)} of the last "
                 f"{inbox.DEFAULT_DAYS} days, best first")
    for item in items:
        p = item.paper
        url = common.safe_url(link_of(p))
        title = common.md(p.title or p.paper_id)
        text, choice = st.columns((5, 1))
        text.markdown(f"**{item.rank}. [{title}]({url})**" if url else f"**{title}**")
        text.caption(" · ".join(x for x in (
            common.md(", ".join(p.authors[:6])), common.md(p.publication_date or ""),
            common.md(item.candidate.found_in), f"score {item.score:.2f}") if x))
        for reason in item.reasons:
            text.markdown("- " + common.md(reason))
        if p.paper_id.startswith("arxiv:"):
            choice.caption("not in Semantic Scholar yet: no status")
            continue
        key = f"inbox_status_{item.candidate.key}"
        options = (NO_STATUS, *READING_STATUSES)
        choice.selectbox("Status", options, key=key, on_change=set_status,
                         args=(p.paper_id, key),
                         index=options.index(statuses.get(p.paper_id, NO_STATUS)))
    st.download_button("Atom feed of the inbox",
                       atom_feed(items, updated=time.time()).encode("utf-8"),
                       file_name="inbox.xml", mime="application/atom+xml", key="dl_inbox_atom")
