"""The app's library side through AppTest, against the fake Zotero and the fake S2: a Zotero
collection as the seeds, the "in library" column and the library filter."""

from __future__ import annotations

import pytest

from tests.test_app import env, new_app, param, shown_ids  # noqa: F401 - env is a fixture
from tests.test_library import LIBRARY, LLM_COLLECTION


@pytest.fixture
def zotero_env(env, zotero, monkeypatch):  # noqa: F811 - the imported fixture
    monkeypatch.setenv("ZOTERO_API_URL", zotero.api_url)
    return env


def from_collection(name: str):  # type: ignore[no-untyped-def]
    at = new_app()
    at.run()
    at.sidebar.text_input(key="zotero_collection").input(name)
    at.sidebar.button[0].click()  # the form's Explore button
    return at.run()


def ranked_table(at):  # type: ignore[no-untyped-def]
    [table] = [d for d in at.dataframe if "in_library" in d.value.columns]
    return table.value


def test_a_zotero_collection_is_the_seeds_and_the_library_is_flagged(zotero_env, fake):
    at = from_collection("LLM papers")
    assert not at.exception and not at.error and not at.sidebar.error
    df = ranked_table(at)
    assert set(df[df["relation"] == "seed"]["paper_id"]) == LLM_COLLECTION
    assert set(df[df["in_library"]]["paper_id"]) == LIBRARY & set(df["paper_id"])
    assert all(r.startswith("in your Zotero library")
               for r in df[df["in_library"]]["reasons"])

    at.sidebar.radio(key="in_library").set_value("not in it").run()
    df = ranked_table(at)
    assert set(df[df["in_library"]]["paper_id"]) == LLM_COLLECTION  # the seeds stay
    assert len(df) > len(LLM_COLLECTION)
    at.sidebar.radio(key="in_library").set_value("in my library").run()
    assert set(shown_ids(at)) == LIBRARY & set(shown_ids(at))
    assert set(shown_ids(at)) >= LLM_COLLECTION
    assert param(at, "lib") == "in"  # the link keeps the choice
    again = new_app()
    for key in at.query_params:
        again.query_params[key] = at.query_params[key]
    again.run()
    assert not again.exception and again.sidebar.radio(key="in_library").value == "in my library"
    assert shown_ids(again) == shown_ids(at)


def test_a_disabled_zotero_is_one_line_in_the_sidebar(zotero_env, zotero, fake):
    zotero.enabled = False
    at = from_collection("LLM papers")
    assert not at.exception
    [err] = at.sidebar.error
    assert "Allow other applications" in err.value and "\n" not in err.value
    assert fake.count() == 0 and not at.session_state["seeds"]
