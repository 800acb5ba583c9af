"""Streamlit helpers shared by ``app.py`` and the multipage pages under ``pages/``.

The ``explorer`` package never imports Streamlit; this module is the one place that glues it to
Streamlit's caching, session and URL query. A page uses it like this::

    import streamlit as st
    from ui import common

    ex = common.current_exploration()      # from the store: never a request
    if ex is None:
        common.no_exploration_yet()        # a hint linking back to the main page
        st.stop()
    st.write(len(ex.ranked), "papers around", common.view_state()[0].seeds)

The API:

``settings() -> Settings``
    ``Settings.from_env()`` (``S2_API_URL``, ``S2_API_KEY``, ``EXPLORER_DB`` ...), read each run.
``store() -> Store``
    The store at ``settings().db_path``, opened once per process (``st.cache_resource``).
``depths() -> tuple``
    The depths the sidebar and a link may ask for: (1, 2), and 3 on a local graph.
``view_state() -> (ViewState, problems)``
    The seeds, depth, direction, top N, filters and selected paper that the URL query holds
    (``?seed=1706.03762&depth=2``), and one line per bad value (dropped).
``set_view_state(state, **extra)``
    Write a :class:`~explorer.tasks.view.ViewState` back to the URL query (only when it
    changed) and keep it in the session: a page whose URL names no seeds shows this one.
``wide_page(title)`` / ``page_links(state)``
    The first call of every page (wide layout), and the sidebar's links to every page, which
    carry the exploration in their query.
``plain_page(name, title) -> Store``
    Both, the title and the store, for a page that leaves the exploration as it is.
``stored_exploration(seeds, depth, direction) -> Exploration | None``
    Rank what the store holds around the seeds, without any request; cached while the store
    and the "not relevant" marks are unchanged. None when the store does not know the seeds.
    ``Exploration.partial`` tells whether the store lacks part of the walk.
``stored_survey(seeds) -> Survey | None`` / ``walk_survey(seeds) -> Survey``
    The same two for survey mode (:func:`explorer.tasks.survey.explore_survey`): one seed is a
    survey whose references become the seed set; several seeds are such a list themselves.
``current_exploration() -> Exploration | None``
    ``stored_exploration`` for the seeds and options of the URL query.
``similar_work() -> bool`` / ``similar_missing(ex) -> bool``
    Whether the sidebar asks for similar work beyond citations (S2's recommendations and
    SPECTER vectors, fetched by ``walk``), and whether the store still lacks some of it.
``walk(seeds, depth, direction) -> Exploration``
    Walk the neighbourhood through Semantic Scholar with a live status (papers, requests,
    pages) and a Cancel button. A failure mid-walk returns what was fetched, with the reason in
    ``report.error`` / ``report.warnings``. Cancel interrupts the run; the next run sees
    ``cancel_requested()``. Bad input raises :class:`~explorer.errors.ExplorerError`.
``kept(key, make, size, spinner) -> value`` / ``exploration_key(exploration)``
    The app's one cache of explorations, layouts, maps and pages, held to
    ``EXPLORER_APP_CACHE_MB`` by their estimated bytes (:class:`explorer.cache.ByteBudget`),
    not to a number of entries: whatever a user opens, it stays under that budget.
``statuses() -> dict[str, str]``
    The reading-list status of every listed paper (shared with the CLI through the store).
``show_report(exploration)``
    The summary line, warnings and the reason a walk stopped early.
``error_text(error) -> str``
    One line for a library error, worded for the app's user: parameters named by their
    widgets (``WIDGETS``), what to do when S2 is out of reach.
``graph(exploration, shown, marks, selected) -> str``
    The graph HTML of the ``shown`` papers (for ``st.iframe``), cached per papers, marks and
    selection; a click on a node puts ``?paper=ID`` in the URL query and runs the page again.
``md(text) -> str`` / ``safe_url(url) -> str | None``
    Escape untrusted text (titles, abstracts) for ``st.markdown``; keep only http(s) links.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from explorer.cache import ByteBudget, graph_bytes
from explorer.config import Settings
from explorer.errors import (
    ExplorerError,
    NotFoundError,
    OfflineMissingError,
    StoreFullError,
    UnreachableError,
)
from explorer.models import Progress, Ranked
from explorer.render.draw import draw_html
from explorer.render.layout import graph_layout
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.explore import Exploration, ExploreOptions, exploration_summary, explore
from explorer.tasks.survey import Survey, explore_survey
from explorer.tasks.view import (
    ViewState,
    link_depths,
    query_from_state,
    safe_url,
    state_from_query,
)

__all__ = [
    "cancel_requested",
    "current_exploration",
    "depths",
    "error_text",
    "exploration_key",
    "kept",
    "WIDGETS",
    "graph",
    "md",
    "safe_url",
    "no_exploration_yet",
    "page_links",
    "plain_page",
    "set_view_state",
    "settings",
    "show_report",
    "statuses",
    "store",
    "similar_missing",
    "similar_work",
    "stored_exploration",
    "stored_survey",
    "view_state",
    "walk",
    "walk_survey",
    "wide_page",
]

T = TypeVar("T")
CANCEL_KEY = "_explorer_cancel_walk"
VIEW_KEY = "_explorer_view"
PAGES = (("app.py", "Explore"), ("pages/1_Who_cites.py", "Who cites"),
         ("pages/2_Maps.py", "Maps"), ("pages/3_Export_and_watch.py", "Export and watch"),
         ("pages/4_Inbox.py", "Inbox"))


def settings() -> Settings:
    """Settings from the environment (cheap; read on every run so tests can change them)."""
    return Settings.from_env()


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    return Store(path)


def store() -> Store:
    """The store of :func:`settings`, one connection per process, shared by every session."""
    return _open_store(str(settings().db_path))


def statuses() -> dict[str, str]:
    return store().statuses()


def depths() -> tuple[int, ...]:
    """The depths the sidebar offers: 3 too when papers come from a local graph. A bad
    setting offers S2's depths here; the walk shows it, in one line."""
    try:
        return link_depths(settings().graph_path is not None)
    except ExplorerError:
        return link_depths(False)


def view_state() -> tuple[ViewState, list[str]]:
    """The view the URL query describes, and the problems with it (one line each).

    A query naming no seeds (a page opened from the sidebar, or Back to such a page) means the
    exploration this session last showed: every page shares it."""
    query = {key: st.query_params.get_all(key) for key in st.query_params}
    state, problems = state_from_query(query, max(depths()))
    saved = st.session_state.get(VIEW_KEY)
    if not state.seeds and isinstance(saved, ViewState):
        return saved, problems
    return state, problems


def set_view_state(state: ViewState, **extra: str) -> None:
    """Put ``state`` (and the page's own ``extra`` values) in the URL query, so the address bar
    is a link to this view, and keep it in the session for the other pages."""
    st.session_state[VIEW_KEY] = state
    wanted = query_from_state(state) | extra
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    normal = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if normal != current:
        st.query_params.from_dict(wanted)


def wide_page(title: str) -> None:
    """The page's title and wide layout; the first call of every page."""
    st.set_page_config(page_title=f"explorer · {title}", layout="wide")


def page_links(state: ViewState, where: Any = None) -> None:
    """The links to every page, carrying the exploration in their query, and the exploration
    they share: in ``where`` (a container; default the sidebar)."""
    query = query_from_state(state)
    with where if where is not None else st.sidebar:
        for path, label in PAGES:
            try:
                st.page_link(path, label=label, query_params=query)
            except StreamlitPageNotFoundError:  # a page run on its own, outside the app
                break
        if state.seeds:
            st.caption("Exploration: " + md(", ".join(state.seeds))
                       + (" · as a survey" if state.survey else
                          f" · depth {state.depth}, {state.direction}"))
        st.divider()


def plain_page(name: str, title: str) -> Store:
    """Open a page that leaves the shared exploration as it is: its layout, the links to
    every page, its title; the store."""
    wide_page(name)
    state = view_state()[0]
    set_view_state(state)
    page_links(state)
    st.title(title)
    return store()


def _store_version(s: Store) -> int:
    """What an exploration cached from the store is keyed by: any change to its papers, links,
    reading list (read and to-read papers are weak seeds) or vectors gives another."""
    return s.changes()


@st.cache_resource(show_spinner=False)
def _budget() -> ByteBudget:
    return ByteBudget(0)


def kept(key: tuple[Any, ...], make: Callable[[], T], size: Callable[[T], int],
         spinner: str | None = None) -> T:
    """``make()``, kept by ``key`` in the process's one cache of explorations and what is
    computed from them, whose ``size`` (bytes) together stay under ``EXPLORER_APP_CACHE_MB``:
    the least recently used go first. ``spinner`` is shown while ``make`` runs."""
    cache = _budget()
    cache.resize(settings().app_cache_mb * 2**20)
    if key in cache or spinner is None:
        return cast(T, cache.get_or_make(key, make, size))
    with st.spinner(spinner):
        return cast(T, cache.get_or_make(key, make, size))


def exploration_key(ex: Exploration) -> tuple[Any, ...]:
    """What tells one exploration from another in :func:`kept`."""
    return (tuple(ex.seeds), ex.options.depth, ex.options.direction, ex.graph.number_of_nodes(),
            ex.graph.number_of_edges())


def _stored(path: str, seeds: tuple[str, ...], depth: int, direction: str,
            version: int, similar: bool = False) -> Exploration | None:
    def make() -> Exploration | None:
        try:
            return explore(list(seeds), ExploreOptions(depth, direction, offline=True,
                                                       recommend=similar),
                           store=_open_store(path))
        except OfflineMissingError:
            return None

    return kept(("exploration", path, seeds, depth, direction, version, similar), make,
                lambda ex: graph_bytes(ex.graph) if ex else 0)


def stored_exploration(seeds: Sequence[str], depth: int = ExploreOptions.depth,
                       direction: str = ExploreOptions.direction,
                       similar: bool | None = None) -> Exploration | None:
    """The ranked neighbourhood of ``seeds`` from the store alone (0 requests), cached;
    ``similar`` (default: the sidebar's choice) adds the stored recommendations.

    Raises :class:`~explorer.errors.BadInputError` for seeds that are not ids or titles.
    The result is shared between sessions: treat it as read-only.
    """
    s = store()
    if similar is None:
        similar = similar_work()
    return _stored(str(s.path), tuple(seeds), depth, direction, _store_version(s), similar)


def similar_work() -> bool:
    """Whether the sidebar asks for similar work beyond citations."""
    return bool(st.session_state.get("similar"))


def similar_missing(ex: Exploration | None) -> bool:
    """Whether similar work is asked for but the store lacks a seed's recommendations."""
    if ex is None or not similar_work():
        return False
    s = store()
    return any(s.recommendations(seed, "recent") is None for seed in ex.seeds)


def _survey_target(seeds: Sequence[str]) -> str | list[str]:
    return seeds[0] if len(seeds) == 1 else list(seeds)


def _stored_survey(path: str, seeds: tuple[str, ...], version: int) -> Survey | None:
    def make() -> Survey | None:
        try:
            return explore_survey(_survey_target(seeds), store=_open_store(path), offline=True)
        except (OfflineMissingError, NotFoundError):  # NotFound: the references are not stored
            return None

    return kept(("survey", path, seeds, version), make,
                lambda survey: graph_bytes(survey.exploration.graph) if survey else 0)


def stored_survey(seeds: Sequence[str]) -> Survey | None:
    """Survey mode from the store alone (0 requests), cached like :func:`stored_exploration`:
    one seed is a survey, several are a list analysed as a survey's references."""
    s = store()
    return _stored_survey(str(s.path), tuple(seeds), _store_version(s))


def current_exploration() -> Exploration | None:
    """The exploration of the URL query's seeds and options, from the store; None if the
    query names no seeds, they are bad, or the store does not hold them yet."""
    state, _ = view_state()
    if not state.seeds:
        return None
    try:
        return stored_exploration(state.seeds, state.depth, state.direction)
    except ExplorerError:
        return None


def no_exploration_yet() -> None:
    """A hint for pages opened before any exploration."""
    st.info("No exploration yet: enter a seed on the main page (for example `1706.03762`), "
            "then come back here.")


def cancel_requested() -> bool:
    """True on the run that follows a click on the walk's Cancel button."""
    return bool(st.session_state.get(CANCEL_KEY))


def walk(seeds: Sequence[str], depth: int = ExploreOptions.depth,
         direction: str = ExploreOptions.direction) -> Exploration:
    """Walk through Semantic Scholar with a live status and a Cancel button; see the module
    docstring. Clears the cache of :func:`stored_exploration` afterwards. With the sidebar's
    similar work on, S2's recommendations and the SPECTER vectors are fetched too."""
    similar = similar_work()
    options = ExploreOptions(depth, direction, recommend=similar, semantic=similar)

    def run(client: S2Client, progress: Callable[[Progress], None]) -> Exploration:
        return explore(list(seeds), options, store=store(), client=client,
                       arxiv=settings().arxiv_or_none(False), progress=progress,
                       cancel=cancel_requested)

    return _walking("Walking the citation graph around " + ", ".join(seeds), run)


def walk_survey(seeds: Sequence[str]) -> Survey:
    """:func:`walk` for survey mode (see :func:`stored_survey`)."""
    found: list[Survey] = []

    def run(client: S2Client, progress: Callable[[Progress], None]) -> Exploration:
        found.append(explore_survey(_survey_target(seeds), store=store(), client=client,
                                    arxiv=settings().arxiv_or_none(False), progress=progress,
                                    cancel=cancel_requested))
        return found[0].exploration

    what = f"the survey {seeds[0]}" if len(seeds) == 1 else f"a list of {len(seeds)} papers"
    _walking(f"Collecting the references, citers and cited papers of {what}", run)
    return found[0]


def _walking(label: str, run: Callable[[S2Client, Callable[[Progress], None]], Exploration]
             ) -> Exploration:
    cancel_slot = st.empty()
    cancel_slot.button("Cancel the walk", key=CANCEL_KEY,
                       help="Stop fetching; what was fetched so far is kept and shown.")
    with st.status(label, expanded=True) as box:
        line = st.empty()

        def progress(p: Progress) -> None:
            line.markdown(f"**{p.papers:,}** papers · **{p.requests}** requests · "
                          f"**{p.pages}** pages — {md(p.message)}")

        try:
            with settings().s2_client(cancel=_heartbeat(st.empty())) as client:
                result = run(client, progress)
        except ExplorerError as exc:
            box.update(label=f"Walk failed: {error_text(exc)}", state="error", expanded=False)
            raise
        finally:
            _budget().clear()  # the store changed: every exploration is recomputed
            cancel_slot.empty()
        summary = exploration_summary(result)
        done = (f"{summary['papers']:,} papers, {summary['edges']:,} citations · "
                f"{summary['requests']} requests ({summary['pages']} pages)")
        if result.partial:
            box.update(label=f"Walk stopped early — {done}", state="error", expanded=False)
        else:
            box.update(label=f"Walk done — {done}", state="complete", expanded=False)
    return result


def _heartbeat(slot: Any) -> Callable[[], bool]:
    """The cancel hook the client polls while a request is in flight. Streamlit stops a run
    for a click only when the run next writes to the page, so the hook writes the time spent
    waiting once a second: a Cancel click then ends the request at once, not when it answers."""
    started = time.monotonic()
    shown = [0]

    def cancel() -> bool:
        waited = int(time.monotonic() - started)
        if waited > shown[0]:
            shown[0] = waited
            slot.caption(f"walking for {waited} s")
        return cancel_requested()

    return cancel


def show_report(ex: Exploration) -> None:
    """Warnings and the reason a walk stopped early, one line each."""
    for warning in ex.report.warnings:
        st.warning(warning, icon="⚠️")
    if ex.report.error is not None:
        st.error(f"The walk stopped early: {error_text(ex.report.error)}. Showing what was "
                 "fetched; use “Continue the walk” to fetch the rest.", icon="⛔")


WIDGETS = {
    "since": "“Since year”", "until": "“Until year”", "min_citations": "“At least N citations”",
    "max_hops": "“Max hops”", "max_requests": "“Max requests”",
}
"""The widget that sets each library parameter a message may name."""


def error_text(error: ExplorerError) -> str:
    """One line for ``error``, parameters named by their widgets (:data:`WIDGETS`); when S2
    is out of reach, say what still works."""
    if isinstance(error, UnreachableError):
        return (f"{error}. Check the network and S2_API_URL; what the store holds is still "
                "shown, and `make demo` runs the app on the offline sample")
    if isinstance(error, StoreFullError):
        return f"{error}. Free some space, then use “Continue the walk”."
    return error.worded(WIDGETS)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md(text: str | None) -> str:
    """Untrusted text as literal Markdown: every character Markdown or HTML would act on is
    backslash-escaped, so a title like ``<img src=x onerror=...>`` shows as typed."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def highlight(text: str, query: str) -> str:
    """Untrusted ``text`` as literal Markdown (:func:`md`) with each occurrence of ``query``
    (any case) in bold."""
    parts = re.split(f"({re.escape(query)})", " ".join(text.split()), flags=re.IGNORECASE)
    return "".join(f"**{md(part)}**" if i % 2 else md(part) for i, part in enumerate(parts))


POSITION_BYTES = 200
"""Bytes a node's position holds in a layout (its key, a tuple and two floats)."""


def positions_bytes(pos: dict[str, tuple[float, float]]) -> int:
    return POSITION_BYTES * len(pos)


def _layout(key: tuple[Any, ...], ex: Exploration) -> dict[str, tuple[float, float]]:
    return kept(("layout", *key),
                lambda: graph_layout(ex.graph, [r.paper.paper_id for r in ex.ranked]),
                positions_bytes, "Laying out the graph…")


def _graph_html(key: tuple[Any, ...], shown: tuple[str, ...], marks: tuple[tuple[str, str], ...],
                selected: str | None, ex: Exploration) -> str:
    def make() -> str:
        by_id = {r.paper.paper_id: r for r in ex.ranked}
        return draw_html(ex.graph, [by_id[p] for p in shown if p in by_id], dict(marks),
                         selected, _layout(key[:-1], ex))

    return kept(("graph html", key, shown, marks, selected), make, len)


def graph(ex: Exploration, shown: Sequence[Ranked], marks: dict[str, str],
          selected: str | None = None) -> str:
    """The graph page of ``shown`` (see :func:`explorer.render.draw.draw_html`) with
    ``selected`` highlighted, cached: the same papers with the same reading-list marks and
    selection are rendered once. The papers sit where a layout of the whole exploration put
    them (computed once per exploration), so filters leave them in place. A click on a node
    puts ``?paper=ID`` in the URL query."""
    key = exploration_key(ex)
    ids = tuple(r.paper.paper_id for r in shown)
    drawn = set(ids)
    wanted = tuple(sorted((p, s) for p, s in marks.items() if p in drawn))
    relations = tuple(r.relation for r in shown)  # survey mode draws the same ids otherwise
    return _graph_html((*key, relations), ids, wanted, selected, ex)
