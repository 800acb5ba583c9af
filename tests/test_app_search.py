"""The app's topic search and ambiguous title seeds, through AppTest against the fake S2 over
a socket: search, check, add to the seeds, Explore; an ambiguous title offers its matches."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app import env, explore, new_app  # noqa: F401 (env: the app's environment)

pytestmark = pytest.mark.usefixtures("env")

SEARCH = "/graph/v1/paper/search"
MATCH = "/graph/v1/paper/search/match"
DECOMPOSABLE = "2a6294bbe9b9d15aab1e9915dfd04156891c5765"
FOR_NLI = "137399f79d64ce5169959461b1b86416e5532336"


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    [found] = [b for b in at.button if b.label == label]
    return found


def hits(at: AppTest) -> list[str]:
    return [c.label for c in at.sidebar.checkbox if (c.key or "").startswith("hit_")]


def topic_search(at: AppTest, words: str, years: str = "") -> AppTest:
    at.sidebar.text_input(key="topic_query").input(words)
    at.sidebar.text_input(key="topic_years").input(years)
    button(at, "Search").click()
    return at.run()


def test_search_check_add_to_seeds_then_explore(fake):
    at = new_app()
    at.run()
    topic_search(at, "decomposable attention model")
    assert not at.exception and not at.sidebar.error
    assert [r.path for r in fake.requests] == [SEARCH]
    assert fake.requests[0].query["limit"] == "20"
    assert hits(at) == ["A decomposable attention model",
                          "A decomposable attention model for natural language inference"]
    assert any("2 of about 2 results" in c.value for c in at.sidebar.caption)
    at.sidebar.checkbox(key=f"hit_{FOR_NLI}").check()
    button(at, "Add to seeds").click()
    at.run()
    assert at.session_state["seeds_text"] == FOR_NLI
    assert not at.sidebar.checkbox(key=f"hit_{FOR_NLI}").value
    fake.reset()
    at.sidebar.button[0].click()  # the seeds form's Explore
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["seeds"] == (FOR_NLI,)
    assert at.session_state["_shown"][0] == FOR_NLI
    assert SEARCH not in [r.path for r in fake.requests]


def test_years_filter_and_a_failed_search_is_one_line(fake):
    at = new_app()
    at.run()
    topic_search(at, "decomposable attention model", "2017-")
    assert fake.requests[0].query["year"] == "2017-"
    assert hits(at) == []
    assert any(c.value == "No papers found." for c in at.sidebar.caption)
    topic_search(at, "   ")
    assert not at.exception
    [err] = at.sidebar.error
    assert err.value == "give the words to search for"
    fake.inject(503, times=10, path_contains="/paper/search")
    topic_search(at, "attention")
    assert not at.exception
    [err] = at.sidebar.error
    assert "503" in err.value and "\n" not in err.value


def test_an_ambiguous_title_offers_its_matches_and_one_is_explored(fake):
    at = explore(new_app(), "decomposable attention model")
    assert not at.exception
    assert any("matches 2 papers: choose the one you mean" in w.value for w in at.warning)
    uses = [b for b in at.button if b.label == "Use this one"]
    assert len(uses) == 2
    assert "A decomposable attention model for natural language inference" in "\n".join(
        m.value for m in at.markdown)
    assert [r.path for r in fake.requests] == [MATCH, SEARCH]
    uses[1].click()
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["seeds"] == (FOR_NLI,)
    assert at.session_state["_shown"][0] == FOR_NLI


def test_an_unambiguous_title_is_explored_after_one_match_request(fake):
    at = explore(new_app(), "Attention is all you need")
    assert not at.exception and not at.error and not at.warning
    assert [r.path for r in fake.requests if r.path.startswith(SEARCH)] == [MATCH]
    assert at.session_state["_shown"][0] == "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
