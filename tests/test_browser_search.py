"""Topic search and an ambiguous title in a real browser: ``streamlit run app.py`` against the
fake S2, driven by headless Chromium (see :mod:`tests.test_browser`; every step waits for the
state it needs, never for a fixed time)."""

from __future__ import annotations

import pytest

from tests.conftest import cli_env
from tests.test_browser import (  # noqa: F401 (page: the browser fixture)
    WAIT_MS,
    XSS,
    assert_inert,
    expect,
    graph_frame,
    page,
    running_app,
)

pytestmark = pytest.mark.browser

FOR_NLI = "137399f79d64ce5169959461b1b86416e5532336"
NLI_TITLE = "A decomposable attention model for natural language inference"
HOSTILE = {"paperId": "9" * 40, "title": f"{XSS} decomposable attention model", "year": 2020,
           "venue": "<b onmouseover=alert(3)>venue</b>", "citationCount": 1,
           "authors": [{"authorId": "1", "name": "<script>alert(2)</script>"}],
           "tldr": {"model": "tldr@v2.0.0", "text": "<img src=y onerror=alert(4)> in short"}}


def test_search_add_explore_then_an_ambiguous_title_is_chosen(fake, page, tmp_path):  # noqa: F811
    fake.add_paper(HOSTILE)
    with running_app(cli_env(fake, tmp_path / "browser.sqlite")) as url:
        page.goto(url)
        page.get_by_role("textbox", name="Search by topic").fill("decomposable attention model")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page.get_by_text(HOSTILE["title"], exact=True)).to_be_visible()
        expect(page.get_by_text("TL;DR: <img src=y onerror=alert(4)> in short")).to_be_visible()
        assert_inert(page)
        page.get_by_text(NLI_TITLE, exact=True).click()  # the checkbox's label
        page.get_by_role("button", name="Add to seeds").click()
        seeds = page.get_by_role("textbox", name="Seed papers, one a line")
        expect(seeds).to_have_value(FOR_NLI)
        page.get_by_role("button", name="Explore", exact=True).click()
        graph_frame(page, timeout=WAIT_MS / 1000)
        expect(page.get_by_role("heading", name=NLI_TITLE).first).to_be_visible()

        seeds.fill("decomposable attention model")
        page.get_by_role("button", name="Explore", exact=True).click()
        expect(page.get_by_text("choose the one you mean")).to_be_visible()
        uses = page.get_by_role("button", name="Use this one")
        expect(uses).to_have_count(3)
        expect(page.get_by_text("<script>alert(2)</script>")).to_be_visible()
        assert_inert(page)
        uses.nth(0).click()
        expect(page.get_by_role("heading", name="A decomposable attention model",
                                exact=True).first).to_be_visible()
        graph_frame(page, timeout=WAIT_MS / 1000)
        assert_inert(page)
