"""What's new (the watch's latest new citers, a check button) and exports in every format."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import streamlit as st

from explorer.errors import ExplorerError, OfflineMissingError
from explorer.exports import FORMATS, ExportSet, export, export_bytes, format_of
from explorer.exports.to_markdown import NAMINGS, default_folder, vault_folder
from explorer.tasks import watch
from explorer.tasks.export import from_last, from_list
from explorer.tasks.reading import resolve_papers
from ui import common

store = common.plain_page("export and watch", "Export and watch")

# What's new

st.header("What's new")
watched = watch.watched(store)
with st.form("watch_add", clear_on_submit=True):
    wanted = st.text_input("Watch a paper (arXiv id, DOI, S2 id or URL, or title)")
    if st.form_submit_button("Watch") and wanted.strip():
        try:
            with common.settings().s2_client() as client:
                added = watch.add(store, resolve_papers([wanted.strip()], store, client))
            st.success(f"Watching {added} more paper(s); run a check to record a baseline.")
            watched = watch.watched(store)
        except ExplorerError as exc:
            st.error(str(exc))

if not watched:
    st.info("No paper is watched yet. Add one above.")
else:
    st.caption(f"{len(watched)} watched: " + "; ".join(
        common.md(w.paper.title or w.paper.paper_id) for w in watched))
    if st.button("Check for new citers", key="watch_check",
                 help="One request for all watched papers, plus a page for each paper whose "
                      "citation count changed."):
        try:
            with common.settings().s2_client() as client:
                report = watch.check(store, client)
        except ExplorerError as exc:
            st.error(str(exc))
        else:
            for paper, n in report.baselines:
                st.info(f"Baseline recorded for {common.md(paper.title or paper.paper_id)}: "
                        f"{n} citers known; the next checks report new ones.")
            for warning in report.warnings:
                st.warning(warning)
            st.caption(f"{report.requests} requests · {report.unchanged} papers unchanged")

latest = watch.latest_check(store)
if latest is not None:
    check_id, checked_at, requests = latest
    new = watch.new_citers(store, check_id=check_id)
    when = datetime.fromtimestamp(checked_at).strftime("%Y-%m-%d %H:%M")
    st.subheader(f"{len(new)} new citer{'s' * (len(new) != 1)} at the last check ({when})")
    for item in new:
        c = item.citer
        url = common.safe_url(c.best_url)
        title = common.md(c.title or c.paper_id)
        st.markdown(f"**[{title}]({url})**" if url else f"**{title}**")
        st.caption(" · ".join(x for x in (common.md(", ".join(c.authors[:6])),
                                          str(c.year or ""),
                                          "cites " + common.md(item.watched.title or ""))
                              if x))
        for ctx in item.contexts[:2]:
            st.markdown("> " + common.md(ctx))
    feed = watch.atom_feed(watch.new_citers(store), updated=checked_at)
    st.download_button("Atom feed of new citers", feed.encode("utf-8"),
                       file_name="new-citations.xml", mime="application/atom+xml",
                       key="dl_atom")

# Exports

st.header("Export")


def _version() -> str:
    items = [(i.paper_id, i.status, i.tags, i.note, i.updated_at) for i in store.list_items()]
    return json.dumps([store.count_papers(), store.count_edges(), items,
                       store.last_exploration()], default=str)


@st.cache_data(show_spinner="Preparing the exports…", max_entries=8)
def _exports(path: str, source: str, version: str, naming: str) -> dict[str, bytes] | None:
    try:
        data = _data(source)
    except OfflineMissingError:
        return None
    if not data.entries:
        return None
    return {fmt: export_bytes(data, fmt, naming=naming) for fmt in FORMATS}


def _data(source: str) -> ExportSet:
    return from_list(store) if source == "list" else from_last(store)


naming = st.radio("Markdown notes named by", NAMINGS, horizontal=True, key="md_naming",
                  format_func=lambda n: "@citekey (Citations plugin)" if n == "citekey" else n,
                  help="@citekey notes link as [[@citekey]]; the keys are the BibTeX export's.")
version = _version()
for source, label, stem in (("list", "Reading list", "reading-list"),
                            ("last", "Last exploration", "exploration")):
    st.subheader(label)
    files = _exports(str(store.path), source, version, naming)
    if files is None:
        st.caption("Nothing to export yet." if source == "list" else
                   "No exploration yet: explore a seed on the main page first.")
        continue
    columns = st.columns(len(FORMATS))
    for column, fmt in zip(columns, FORMATS, strict=True):
        spec = format_of(fmt)
        column.download_button(fmt if fmt != "markdown" else "markdown (zip)", files[fmt],
                               file_name=stem + spec.suffix, mime=spec.mime,
                               key=f"dl_{source}_{fmt}")

st.subheader("Into an Obsidian vault")
with st.form("vault_export"):
    vault_dir = st.text_input("Vault folder", key="vault_dir",
                              help="The notes the vault already has (found by citekey, DOI or "
                                   "arXiv id in their front matter) are linked to, never "
                                   "rewritten.")
    folder = st.text_input("Notes folder inside the vault", key="vault_folder",
                           placeholder=default_folder(naming) or "(the vault itself)",
                           help="Left blank: 'Reading notes' for @citekey notes, else the "
                                "vault itself.")
    source = st.radio("Export", ("list", "last"), horizontal=True, key="vault_source",
                      format_func={"list": "Reading list", "last": "Last exploration"}.get)
    if st.form_submit_button("Write the notes") and vault_dir.strip():
        vault = Path(vault_dir.strip()).expanduser()
        try:
            out = vault_folder(vault, folder.strip() or None, naming)
            written = export(_data(source), "markdown", out, naming=naming, vault=vault)
        except (ExplorerError, OSError) as exc:
            st.error(str(exc))
        else:
            st.success(f"Wrote {written} notes to {common.md(str(out))}.")
