"""explorer.tasks.view: filters, the ranked table, citation contexts, the URL query state."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from explorer.analysis.rank import rank
from explorer.exports.table import CSV_COLUMNS
from explorer.graph import build_graph
from explorer.models import READING_STATUSES, RELATIONS, Edge, Paper, Ranked
from explorer.tasks.explore import ExploreOptions
from explorer.tasks.view import (
    LIBRARY_CHOICES,
    MAX_TOP,
    TABLE_COLUMNS,
    Filters,
    ViewState,
    apply_filters,
    connections,
    link_depths,
    query_from_state,
    ranked_csv,
    read_csv_text,
    state_from_query,
    table,
    year_bounds,
)


def ranked_sample() -> list[Ranked]:
    return [
        Ranked(Paper("s", "The seed", year=1950, citation_count=9000), 1.0, "seed", ("seed",), {},
               1),
        Ranked(Paper("a", "Deep nets for vision", year=2015, citation_count=50,
                     abstract="We train large networks.", arxiv_id="1512.03385",
                     open_access_pdf="https://arxiv.org/pdf/1512.03385"),
               0.9, "citation", ("cites the seed",), {}, 2),
        Ranked(Paper("b", "Old logic", year=1960, citation_count=5), 0.5, "reference",
               ("cited by the seed",), {}, 3),
        Ranked(Paper("c", "No year at all", citation_count=None), 0.4, "second-order", (), {}, 4),
        Ranked(Paper("d", "Attention everywhere", year=2020, citation_count=500,
                     tldr="Attention helps."), 0.3, "citation", (), {}, 5),
    ]


def ids(rs: list[Ranked]) -> list[str]:
    return [r.paper.paper_id for r in rs]


def test_filters_keep_seeds_and_ranking_order():
    rs = ranked_sample()
    assert ids(apply_filters(rs, Filters())) == ["s", "a", "b", "c", "d"]
    assert ids(apply_filters(rs, Filters(year_min=2000))) == ["s", "a", "d"]
    assert ids(apply_filters(rs, Filters(year_max=1999))) == ["s", "b"]
    assert ids(apply_filters(rs, Filters(year_min=1955, year_max=2016))) == ["s", "a", "b"]
    assert ids(apply_filters(rs, Filters(min_citations=50))) == ["s", "a", "d"]
    assert ids(apply_filters(rs, Filters(relations=("citation",)))) == ["s", "a", "d"]
    assert ids(apply_filters(rs, Filters(relations=("reference", "second-order")))) == [
        "s", "b", "c"]


def test_keyword_matches_every_word_in_title_abstract_or_tldr_ignoring_case():
    rs = ranked_sample()
    assert ids(apply_filters(rs, Filters(keyword="NETWORKS"))) == ["s", "a"]  # abstract
    assert ids(apply_filters(rs, Filters(keyword="attention helps"))) == ["s", "d"]  # tldr
    assert ids(apply_filters(rs, Filters(keyword="deep logic"))) == ["s"]


def test_hide_statuses_and_top():
    rs = ranked_sample()
    marks = {"a": "read", "b": "not relevant", "d": "reading", "s": "read"}
    assert ids(apply_filters(rs, Filters(hide=("read",)), marks)) == ["s", "b", "c", "d"]
    assert ids(apply_filters(rs, Filters(hide=("read", "not relevant")), marks)) == [
        "s", "c", "d"]
    assert ids(apply_filters(rs, Filters(), marks, top=2)) == ["s", "a"]
    assert apply_filters(rs, Filters(), marks, top=0) == []


def test_year_bounds():
    assert year_bounds(ranked_sample()) == (1950, 2020)
    assert year_bounds([Ranked(Paper("x"), 0.0, "seed")]) is None


def test_table_has_links_reasons_and_statuses():
    df = table(ranked_sample(), {"a": "reading"})
    assert list(df.columns) == list(TABLE_COLUMNS)
    a = df[df.paper_id == "a"].iloc[0]
    assert a["arxiv"] == "https://arxiv.org/abs/1512.03385"
    assert a["pdf"] == "https://arxiv.org/pdf/1512.03385"
    assert a["s2"] == "https://www.semanticscholar.org/paper/a"
    assert a["status"] == "reading" and a["reasons"] == "cites the seed" and a["rank"] == 2
    b = df[df.paper_id == "b"].iloc[0]
    assert pd.isna(b["arxiv"]) and pd.isna(b["pdf"])
    evil = table([Ranked(Paper("e", url="javascript:alert(1)"), 0.1, "citation")])
    assert pd.isna(evil.iloc[0]["s2"])
    assert df["year"].isna().sum() == 1 and df["citations"].isna().sum() == 1
    assert list(df["rank"]) == [1, 2, 3, 4, 5]


def test_ranked_csv_is_the_cli_csv():
    rows = read_csv_text(ranked_csv(ranked_sample()))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [r["paper_id"] for r in rows] == ["s", "a", "b", "c", "d"]


def test_connections_put_contexts_first():
    g = build_graph(
        {x: Paper(x, x.upper()) for x in "sabc"},
        [Edge("s", "a"), Edge("s", "b", True, ("as shown in [2]",), ("methodology",)),
         Edge("c", "s", False, ("we extend [7]",))],
    )
    got = [(c.direction, c.other.paper_id, c.contexts, c.intents, c.influential)
           for c in connections(g, "s")]
    assert got == [
        ("cites", "b", ("as shown in [2]",), ("methodology",), True),
        ("cited by", "c", ("we extend [7]",), (), False),
        ("cites", "a", (), (), False),
    ]
    assert connections(g, "nope") == [] and len(connections(g, "s", limit=1)) == 1


def test_query_state_round_trip_and_short_links():
    state = ViewState(("1706.03762", "Attention is all you need"), 2, "citations", 50,
                      Filters(2015, 2020, 10, "graph nets", ("reference", "citation"),
                              ("read",)), "abc")
    query = query_from_state(state)
    assert state_from_query(query) == (state, [])
    assert query_from_state(ViewState(("1706.03762",))) == {"seed": ["1706.03762"]}
    assert state_from_query({}) == (ViewState(), [])


def test_a_link_carries_the_library_choice_and_similar_work():
    state = ViewState(("1706.03762",), library="not in it", similar=True)
    query = query_from_state(state)
    assert query == {"seed": ["1706.03762"], "lib": "out", "similar": "1"}
    assert state_from_query(query) == (state, [])
    state, problems = state_from_query({"seed": ["1706.03762"], "lib": "mine",
                                        "similar": "maybe"})
    assert (state.library, state.similar) == ("any", False)
    assert problems == ["lib must be one of any, in, out, not 'mine'",
                        "similar must be 1 or 0, not 'maybe'"]


def test_a_link_asks_for_depth_3_only_where_the_app_offers_it():
    query = {"seed": ["1706.03762"], "depth": "3"}
    assert state_from_query(query, max(link_depths(True))) == (
        ViewState(("1706.03762",), depth=3), [])
    state, problems = state_from_query(query, max(link_depths(False)))
    assert state.depth == ViewState.depth
    assert problems == ["depth must be a whole number from 1 to 2, not '3'"]


def test_a_link_without_depth_or_direction_is_the_walk_of_the_cli_and_the_api():
    state, problems = state_from_query({"seed": ["1706.03762"]})
    assert problems == [] and (state.depth, state.direction) == (2, "both")
    default = ExploreOptions()
    assert (ViewState().depth, ViewState().direction) == (default.depth, default.direction)
    assert query_from_state(state) == {"seed": ["1706.03762"]}  # the default stays unsaid
    assert query_from_state(replace(state, depth=1)) == {"seed": ["1706.03762"], "depth": "1"}
    assert state_from_query({"seed": ["1706.03762"], "depth": "1"})[0].depth == 1


def test_bad_query_values_are_dropped_with_one_line_each():
    state, problems = state_from_query({
        "seed": ["1706.03762|1810.04805", "1706.03762"], "depth": "3", "direction": "up",
        "top": "50000", "from": "x", "rel": "reference,cousin", "hide": "read",
    })
    assert state.seeds == ("1706.03762", "1810.04805")
    assert (state.depth, state.direction, state.top, state.filters.year_min) == (
        ExploreOptions.depth, "both", 100, None)
    assert state.filters.relations == ("reference",) and state.filters.hide == ("read",)
    assert len(problems) == 5 and all("\n" not in p for p in problems)
    assert any("depth" in p and "'3'" in p for p in problems)
    assert any("cousin" in p for p in problems)


text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)


@given(
    seeds=st.lists(text.filter(lambda s: s.strip() and "|" not in s and s == s.strip()),
                   max_size=3, unique=True),
    depth=st.sampled_from([1, 2]),
    direction=st.sampled_from(["both", "references", "citations"]),
    top=st.integers(1, MAX_TOP),
    year_min=st.none() | st.integers(0, 9999),
    min_cites=st.integers(0, 10**6),
    keyword=text.map(lambda s: " ".join(s.split())),
    rels=st.lists(st.sampled_from(RELATIONS), unique=True),
    hide=st.lists(st.sampled_from(READING_STATUSES), unique=True),
    library=st.sampled_from(LIBRARY_CHOICES),
    similar=st.booleans(),
)
def test_query_round_trip_property(seeds, depth, direction, top, year_min, min_cites, keyword,
                                   rels, hide, library, similar):
    state = ViewState(tuple(seeds), depth, direction, top,
                      Filters(year_min, None, min_cites, keyword, tuple(rels), tuple(hide)),
                      library=library, similar=similar)
    assert state_from_query(query_from_state(state)) == (state, [])


def test_filters_on_a_real_ranking():
    g = build_graph({x: Paper(x, f"paper {x}", year=2000 + i) for i, x in enumerate("sabcd")},
                    [Edge("s", "a"), Edge("b", "s"), Edge("c", "a"), Edge("d", "c")])
    ranked = rank(g, ["s"], current_year=2025)
    shown = apply_filters(ranked, Filters(relations=("second-order",)))
    assert ids(shown) == ["s"] + sorted(ids(shown)[1:], key=ids(ranked).index)
    assert {r.relation for r in shown} == {"seed", "second-order"}
