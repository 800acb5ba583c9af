"""What the app shows, as pure functions: filters, the ranked table, citation contexts, and the
view state that lives in the URL query.

Nothing here talks to Streamlit or the network; ``app.py`` and the pages under ``pages/`` hold
the widgets and call these. The state of a view round-trips through the URL query, so a shared
link such as ``?seed=1706.03762&depth=2&top=50`` rebuilds the same view.

Examples
--------
>>> state, problems = state_from_query({"seed": ["1706.03762"], "depth": "1", "top": "x"})
>>> state.seeds, state.depth, state.top, problems
(('1706.03762',), 1, 100, ["top must be a whole number from 1 to 20000, not 'x'"])
>>> query_from_state(state)
{'seed': ['1706.03762'], 'depth': '1'}
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx
import pandas as pd

from explorer.analysis.filters import PaperFilter, passes
from explorer.exports.table import row, write_csv
from explorer.graph import paper_of
from explorer.models import DIRECTIONS, READING_STATUSES, RELATIONS, Paper, Ranked
from explorer.tasks.explore import DEPTHS, ExploreOptions

__all__ = [
    "MAX_TOP",
    "SURVEY_RELATIONS",
    "TABLE_COLUMNS",
    "Connection",
    "Filters",
    "ViewState",
    "apply_filters",
    "connections",
    "link_depths",
    "query_from_state",
    "ranked_csv",
    "read_csv_text",
    "safe_url",
    "top_choices",
    "seeds_missing_offline",
    "state_from_query",
    "table",
    "year_bounds",
]

DEFAULT_TOP = 100
MAX_TOP = 20000
TOP_CHOICES = (10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10000, 20000)
"""The steps of the app's "Papers to show" slider; a shared link may ask for any other count."""
TABLE_COLUMNS = (
    "rank", "title", "year", "score", "citations", "relation", "reasons", "status",
    "arxiv", "pdf", "s2", "paper_id",
)
"""Columns of :func:`table`; ``arxiv``, ``pdf`` and ``s2`` are links (or None)."""
SURVEY_RELATIONS = ("reference", "missed")
"""Relations in survey mode (:mod:`explorer.tasks.survey`): in the list, or missed by it."""
_OFFLINE_GAP = "not in the store (offline): "


@dataclass(frozen=True)
class Filters:
    """Which ranked papers to show. Seeds are always shown: they anchor the graph.

    ``relations`` empty means every relation; ``hide`` lists reading-list statuses to hide.
    """

    year_min: int | None = None
    year_max: int | None = None
    min_citations: int = 0
    keyword: str = ""
    relations: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()


LIBRARY_CHOICES = ("any", "in my library", "not in it")
"""The app's choices of papers by library membership (:func:`by_library`)."""
LIBRARY_LINK = dict(zip(("any", "in", "out"), LIBRARY_CHOICES, strict=True))
"""The ``lib`` values of a link and the library choices they stand for."""


@dataclass(frozen=True)
class ViewState:
    """Everything a shared URL carries: the exploration (seeds, depth, direction) and the view
    of it (how many papers, filters, the library choice, the selected paper), and whether
    similar work beyond citations joins it. Depth and direction default to those of
    :class:`~explorer.tasks.explore.ExploreOptions`: the app walks as the CLI and the Python
    API do."""

    seeds: tuple[str, ...] = ()
    depth: int = ExploreOptions.depth
    direction: str = ExploreOptions.direction
    top: int = DEFAULT_TOP
    filters: Filters = field(default_factory=Filters)
    paper: str | None = None
    survey: bool = False
    library: str = LIBRARY_CHOICES[0]
    similar: bool = False


def _keep(r: Ranked, f: Filters, papers: PaperFilter, statuses: Mapping[str, str]) -> bool:
    if r.relation == "seed":
        return True
    if f.relations and r.relation not in f.relations:
        return False
    if f.hide and statuses.get(r.paper.paper_id) in f.hide:
        return False
    return passes(r.paper, papers)


def apply_filters(
    ranked: Iterable[Ranked],
    filters: Filters,
    statuses: Mapping[str, str] | None = None,
    top: int | None = None,
) -> list[Ranked]:
    """The ranked papers passing ``filters``, in ranking order, at most ``top`` of them.

    Years, citations and the keyword are :func:`explorer.analysis.filters.passes`: a paper of
    unknown year fails any year bound; the keyword matches every word of it,
    case-insensitively, in the title, abstract or TL;DR.

    Examples
    --------
    >>> from explorer.models import Paper, Ranked
    >>> rs = [Ranked(Paper("s", year=1950), 1.0, "seed"),
    ...       Ranked(Paper("a", "Deep nets", year=2015), 0.5, "citation"),
    ...       Ranked(Paper("b", "Old logic", year=1960), 0.4, "reference")]
    >>> [r.paper.paper_id for r in apply_filters(rs, Filters(year_min=2000))]
    ['s', 'a']
    >>> [r.paper.paper_id for r in apply_filters(rs, Filters(keyword="LOGIC"))]
    ['s', 'b']
    """
    f = filters
    papers = PaperFilter(f.year_min, f.year_max, f.min_citations, f.keyword)
    statuses = statuses or {}
    out = [r for r in ranked if _keep(r, f, papers, statuses)]
    return out if top is None else out[: max(top, 0)]


def year_bounds(ranked: Iterable[Ranked]) -> tuple[int, int] | None:
    """The earliest and latest known year among the papers, or None."""
    years = [r.paper.year for r in ranked if r.paper.year]
    return (min(years), max(years)) if years else None


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None: records are untrusted, and a
    ``javascript:`` link in a table cell would run when clicked.

    >>> safe_url("javascript:alert(1)"), safe_url("https://arxiv.org/abs/1706.03762")
    (None, 'https://arxiv.org/abs/1706.03762')
    """
    return url if url and url.lower().startswith(("https://", "http://")) else None


def _links(p: Paper) -> tuple[str | None, str | None, str | None]:
    return safe_url(p.arxiv_url), safe_url(p.open_access_pdf), safe_url(p.s2_url)


def by_library(ranked: Sequence[Ranked], members: set[str] | None, choice: str | None
               ) -> list[Ranked]:
    """``ranked`` less the papers ``choice`` leaves out (see :data:`LIBRARY_CHOICES`): those
    outside ``members`` (``"in my library"``) or in it (``"not in it"``); seeds stay."""
    if members is None or choice not in LIBRARY_CHOICES[1:]:
        return list(ranked)
    inside = choice == LIBRARY_CHOICES[1]
    return [r for r in ranked if r.relation == "seed" or (r.paper.paper_id in members) == inside]


def table(ranked: Sequence[Ranked], statuses: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The ranked papers as a DataFrame with :data:`TABLE_COLUMNS` (same order and scores as
    the CLI), reasons joined by ``"; "`` and links to arXiv, the open-access PDF and S2."""
    statuses = statuses or {}
    records: list[dict[str, Any]] = []
    for r in ranked:
        p = r.paper
        arxiv, pdf, s2 = _links(p)
        records.append({
            "rank": r.rank,
            "title": p.title or p.paper_id,
            "year": p.year,
            "score": round(r.score, 4),
            "citations": p.citation_count,
            "relation": r.relation,
            "reasons": "; ".join(r.reasons),
            "status": statuses.get(p.paper_id, ""),
            "arxiv": arxiv,
            "pdf": pdf,
            "s2": s2,
            "paper_id": p.paper_id,
        })
    df = pd.DataFrame.from_records(records, columns=list(TABLE_COLUMNS))
    for col in ("year", "citations"):
        df[col] = df[col].astype("Int64")
    return df


def ranked_csv(ranked: Iterable[Ranked]) -> str:
    """The full ranked table as the core reading-list CSV (:data:`CSV_COLUMNS`)."""
    buf = io.StringIO()
    write_csv((row(r) for r in ranked), buf)
    return buf.getvalue()


def read_csv_text(text: str) -> list[dict[str, str]]:
    """Parse CSV text back into rows (for checks and tests)."""
    return list(csv.DictReader(io.StringIO(text)))


@dataclass(frozen=True)
class Connection:
    """One citation between a paper and another paper of the graph."""

    direction: str  # "cites" (the paper cites other) or "cited by" (other cites the paper)
    other: Paper
    contexts: tuple[str, ...]
    intents: tuple[str, ...]
    influential: bool


def connections(g: nx.DiGraph, paper_id: str, limit: int | None = None) -> list[Connection]:
    """The citations linking ``paper_id`` to the rest of the graph, with their contexts.

    Citations that carry context sentences come first, then influential ones, then the rest,
    each group by the other paper's title. ``limit`` caps the result.

    Examples
    --------
    >>> from explorer.graph import build_graph
    >>> from explorer.models import Edge, Paper
    >>> g = build_graph({"a": Paper("a", "A"), "b": Paper("b", "B")},
    ...                 [Edge("a", "b", True, ("as in [3]",))])
    >>> [(c.direction, c.other.title, c.contexts) for c in connections(g, "b")]
    [('cited by', 'A', ('as in [3]',))]
    """
    if paper_id not in g:
        return []
    out: list[Connection] = []
    for direction, pairs in (
        ("cites", ((v, g.edges[paper_id, v]) for v in g.successors(paper_id))),
        ("cited by", ((u, g.edges[u, paper_id]) for u in g.predecessors(paper_id))),
    ):
        for other, data in pairs:
            out.append(Connection(
                direction, paper_of(g, other), tuple(data.get("contexts") or ()),
                tuple(data.get("intents") or ()), bool(data.get("is_influential")),
            ))
    out.sort(key=lambda c: (not c.contexts, not c.influential,
                            (c.other.title or c.other.paper_id).casefold()))
    return out if limit is None else out[:limit]


# --------------------------------------------------------------------------- URL query state


def _one(query: Mapping[str, Any], key: str) -> str | None:
    value = query.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _all(query: Mapping[str, Any], key: str) -> list[str]:
    value = query.get(key)
    if value is None:
        return []
    values = list(value) if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


def _int(query: Mapping[str, Any], key: str, low: int, high: int, problems: list[str],
         what: str) -> int | None:
    text = _one(query, key)
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        problems.append(f"{what} must be a whole number from {low} to {high}, not {text!r}")
        return None
    return value


def _choices(query: Mapping[str, Any], key: str, allowed: Sequence[str], problems: list[str]
             ) -> tuple[str, ...]:
    wanted = [v.strip() for text in _all(query, key) for v in text.split(",") if v.strip()]
    bad = [v for v in wanted if v not in allowed]
    if bad:
        problems.append(f"{key} must be among {', '.join(allowed)}, not {', '.join(bad)}")
    return tuple(dict.fromkeys(v for v in wanted if v in allowed))


def top_choices(current: int) -> list[int]:
    """The slider's steps (:data:`TOP_CHOICES`) with ``current`` among them.

    Examples
    --------
    >>> top_choices(37)[:6]
    [10, 20, 30, 37, 50, 75]
    """
    return sorted({*TOP_CHOICES, current})


def link_depths(local_graph: bool) -> tuple[int, ...]:
    """The depths the app offers and a link may ask for: 3 only on a local graph, where it
    costs no request; from S2 a third ring would cost a request per 500 of its papers.

    >>> link_depths(False), link_depths(True)
    ((1, 2), (1, 2, 3))
    """
    return DEPTHS if local_graph else DEPTHS[:2]


def state_from_query(query: Mapping[str, Any],
                     max_depth: int = 2) -> tuple[ViewState, list[str]]:
    """Read a :class:`ViewState` from URL query parameters; also return the problems found.

    Keys: ``seed`` (repeatable, or several separated by ``|``), ``depth``, ``direction``,
    ``top``, ``from`` and ``to`` (years), ``min_cites``, ``q`` (keyword), ``rel``
    (comma-separated relations), ``hide`` (comma-separated statuses), ``paper`` (selected
    paper id), ``survey`` (``1``: the seed is a survey, or the seeds are a list, analysed by
    :func:`explorer.tasks.survey.explore_survey`), ``lib`` (``in`` or ``out``: only the papers in
    the user's library, or only those it lacks), ``similar`` (``1``: similar work beyond
    citations joins the exploration). Values are lists (several occurrences) or
    strings. A bad value is dropped (its default is used) and described in the problems, one
    line each; seeds are not parsed here. The depth goes up to ``max_depth`` (see
    :func:`link_depths`).
    """
    problems: list[str] = []
    seeds = tuple(dict.fromkeys(s.strip() for text in _all(query, "seed")
                                for s in text.split("|") if s.strip()))
    depth = _int(query, "depth", 1, max_depth, problems, "depth")
    direction = _one(query, "direction")
    if direction is not None and direction not in DIRECTIONS:
        problems.append(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
        direction = None
    top = _int(query, "top", 1, MAX_TOP, problems, "top")
    filters = Filters(
        year_min=_int(query, "from", 0, 9999, problems, "from"),
        year_max=_int(query, "to", 0, 9999, problems, "to"),
        min_citations=_int(query, "min_cites", 0, 10**9, problems, "min_cites") or 0,
        keyword=_one(query, "q") or "",
        relations=_choices(query, "rel", (*RELATIONS, "missed"), problems),
        hide=_choices(query, "hide", READING_STATUSES, problems),
    )
    library = _one(query, "lib") or "any"
    if library not in LIBRARY_LINK:
        problems.append(f"lib must be one of {', '.join(LIBRARY_LINK)}, not {library!r}")
        library = "any"
    state = ViewState(seeds, depth or ViewState.depth, direction or ViewState.direction,
                      top or DEFAULT_TOP, filters, _one(query, "paper"),
                      _flag(query, "survey", problems), LIBRARY_LINK[library],
                      _flag(query, "similar", problems))
    return state, problems


def _flag(query: Mapping[str, Any], key: str, problems: list[str]) -> bool:
    text = _one(query, key)
    if text is not None and text.lower() not in ("0", "1", "true", "false"):
        problems.append(f"{key} must be 1 or 0, not {text!r}")
        return False
    return (text or "0").lower() in ("1", "true")


def query_from_state(state: ViewState) -> dict[str, str | list[str]]:
    """The URL query of a :class:`ViewState`: only values that differ from the defaults, so
    links stay short. :func:`state_from_query` reads it back to an equal state."""
    f, d = state.filters, Filters()
    out: dict[str, str | list[str]] = {}
    if state.seeds:
        out["seed"] = list(state.seeds)
    pairs: list[tuple[str, Any, Any]] = [
        ("depth", state.depth, ViewState.depth),
        ("direction", state.direction, ViewState.direction),
        ("top", state.top, DEFAULT_TOP),
        ("from", f.year_min, d.year_min),
        ("to", f.year_max, d.year_max),
        ("min_cites", f.min_citations, d.min_citations),
        ("q", f.keyword.strip(), ""),
        ("rel", ",".join(f.relations), ""),
        ("hide", ",".join(f.hide), ""),
        ("paper", state.paper, None),
        ("survey", "1" if state.survey else "0", "0"),
        ("lib", {v: k for k, v in LIBRARY_LINK.items()}.get(state.library, "any"), "any"),
        ("similar", "1" if state.similar else "0", "0"),
    ]
    for key, value, default in pairs:
        if value != default:
            out[key] = str(value)
    return out


def seeds_missing_offline(warnings: Iterable[str]) -> list[str]:
    """The seeds an offline exploration could not find in the store (from its report's
    warnings): the app walks again for them, as for a partial walk.

    >>> seeds_missing_offline(["not in the store (offline): 1810.04805", "other"])
    ['1810.04805']
    """
    return [w[len(_OFFLINE_GAP):] for w in warnings if w.startswith(_OFFLINE_GAP)]


def with_paper(state: ViewState, paper_id: str | None) -> ViewState:
    """The same view with another selected paper."""
    return replace(state, paper=paper_id)
