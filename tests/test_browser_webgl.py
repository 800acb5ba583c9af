"""The WebGL graph (sigma.js) in Chromium: 20,000 papers drawn, hovered and clicked on their
own, and a large exploration in the app, where a click on a node opens its details."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.render.webgl import webgl_html
from tests.conftest import cli_env
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, graph_frame, page, running_app, sync_api
from tests.test_webgl import XSS, synthetic

pytestmark = pytest.mark.browser
__all__ = ["page"]  # the fixture, used by name


def loneliest(pos: dict[str, tuple[float, float]], among: list[str]) -> str:
    """The paper of ``among`` farthest from any other paper: nothing else is under the mouse."""
    xy = np.array(list(pos.values()))
    def room(pid: str) -> float:
        d = np.hypot(*(xy - np.array(pos[pid])).T)
        return float(np.sort(d)[1])
    return max(among, key=room)


def focus(pg, paper_id: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Zoom in on a paper, so no other node is under the mouse, and say where it is."""
    return pg.evaluate("(id) => { const r = window.explorerSigma, d = r.getNodeDisplayData(id);"
                       " r.getCamera().setState({x: d.x, y: d.y, ratio: 0.01}); r.refresh();"
                       " return r.framedGraphToViewport(d); }", paper_id)


def test_20000_papers_are_drawn_and_a_click_selects_the_paper(tmp_path):
    g, ranked, pos = synthetic(20000)
    path = tmp_path / "big.html"
    path.write_text(webgl_html(g, ranked, None, None, pos), encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1200, "height": 800})
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.goto(path.as_uri())
        sync_api.expect(pg.locator("#graph")).to_have_attribute("data-ready", "1",
                                                                 timeout=120_000)
        assert pg.locator("#graph").get_attribute("data-drawn-nodes") == "20000"
        target = loneliest(pos, [r.paper.paper_id for r in ranked[:50]])
        point = focus(pg, target)
        pg.mouse.move(point["x"], point["y"])
        sync_api.expect(pg.locator("#tip")).to_be_visible()
        pg.mouse.click(point["x"], point["y"])
        sync_api.expect(pg.locator("#graph")).to_have_attribute("data-selected", target)
        hostile = focus(pg, loneliest(pos, [f"p{i}" for i in range(1, 20000, 100)]))
        pg.mouse.move(hostile["x"], hostile["y"])
        sync_api.expect(pg.locator("#tip b")).to_have_text(XSS)
        assert pg.locator("#tip img, #tip script").count() == 0 and not dialogs
        browser.close()


CLASSIC = "9" * 40


def test_the_app_draws_a_large_exploration_with_webgl_and_a_click_opens_details(fake, page,
                                                                                  tmp_path):
    fake.add_paper({"paperId": CLASSIC, "title": "A classic", "year": 1990,
                    "citationCount": 1200, "authors": [{"authorId": "9", "name": "Ada Old"}],
                    "externalIds": {}})
    for i in range(1200):
        pid = f"{i:040x}"
        fake.add_paper({"paperId": pid, "title": f"Citer number {i}", "year": 2000 + i % 25,
                        "citationCount": i, "authors": [{"authorId": str(i), "name": f"A {i}"}],
                        "externalIds": {}})
        fake.add_edge({"citingPaperId": pid, "citedPaperId": CLASSIC, "contexts": [],
                       "intents": [], "isInfluential": False})
    with running_app(cli_env(fake, tmp_path / "big.sqlite")) as url:
        page.goto(f"{url}/?seed={CLASSIC}&direction=citations&top=2000")
        frame = graph_frame(page, when="document.getElementById('graph').dataset.renderer"
                                       " === 'webgl'")
        assert frame.evaluate("() => window.explorerGraph.order") == 1201
        target = f"{7:040x}"
        point = focus(frame, target)
        box = page.locator("iframe").first.bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.get_by_role("heading", name="Citer number 7").first.wait_for()
        assert f"paper={target}" in page.url
