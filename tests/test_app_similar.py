"""The app's "similar work beyond citations" option, through AppTest against the fake."""

from __future__ import annotations

from tests.test_app import all_text, env, new_app, shown_ids  # noqa: F401 - fixture
from ui import common

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"


def test_similar_work_adds_recommendations_with_their_reason(env, fake):  # noqa: F811
    at = new_app()
    at.run()
    at.sidebar.text_area(key="seeds_text").input("1706.03762")
    at.sidebar.checkbox(key="similar").check()
    at.sidebar.button[0].click()  # the form's Explore button
    at.run()
    assert not at.exception and not at.error
    recs = [r for r in fake.requests if r.path.startswith("/recommendations/")]
    vectors = [r for r in fake.requests if "embedding" in r.query.get("fields", "")]
    assert len(recs) == 1 and vectors
    ex = common.stored_exploration((TRANSFORMER,), 1, "both", similar=True)
    reason = "recommended by Semantic Scholar for your seed"
    recommended = {r.paper.paper_id for r in ex.ranked if reason in r.reasons}
    assert recommended & set(shown_ids(at))  # shown in the page's table, with the reason
    assert f"this walk: {len(fake.requests)} requests" in all_text(at)

    fake.reset()
    at.run()  # a rerun answers from the store
    assert not at.exception and fake.count() == 0

    shared = new_app()  # the page's link, opened elsewhere, asks for the same similar work
    for key in at.query_params:
        shared.query_params[key] = at.query_params[key]
    shared.run()
    assert not shared.exception and shared.sidebar.checkbox(key="similar").value
    assert shown_ids(shared) == shown_ids(at) and fake.count() == 0
