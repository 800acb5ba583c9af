"""The README's screenshots, taken in headless Chromium: the app against the fake Semantic
Scholar serving the sample corpus, a fresh store, two seeds.

Run: ``.venv/bin/python docs/screenshots.py`` (needs /usr/bin/chromium); writes
``docs/screenshot.png`` (the main page with a paper clicked in the graph), ``docs/maps.png``
(the timeline), ``docs/similarity.png`` (the similarity map) and ``docs/webgl.png`` (a graph of
more than 1,000 papers, drawn with WebGL).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from explorer.fake_s2 import FakeS2  # noqa: E402
from tests.conftest import cli_env  # noqa: E402
from tests.test_browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    click_node,
    free_port,
    graph_frame,
    start_app,
)

SEEDS = "seed=1706.03762&seed=1810.04805"
BERT = "df2b0e26d0599ce3e70df8a9da02e51594e0e992"


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Once the app's run is over: its running indicator gone, the sidebar's links drawn."""
    page.get_by_role("button", name="Stop", exact=True).wait_for(state="hidden")
    page.locator("[data-testid='stSidebar']").get_by_role(
        "link", name="Explore", exact=True).wait_for()


def main() -> None:
    fake = FakeS2(corpus_dir=ROOT / "data" / "s2-sample")
    fake.start()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        proc = start_app(cli_env(fake, Path(tmp) / "shots.sqlite"), port)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                page.set_default_timeout(120_000)
                page.goto(f"http://127.0.0.1:{port}/?{SEEDS}")
                frame = graph_frame(page, timeout=180)
                ids = frame.evaluate("() => window.explorerNetwork.body.data.nodes.getIds()")
                third = ids[2] if len(ids) > 2 else ids[0]
                clicked = BERT if BERT in ids else third
                title = frame.evaluate(
                    "(id) => window.explorerNetwork.body.data.nodes.get(id).title"
                    ".querySelector('b').textContent", clicked)
                click_node(page, frame, clicked)
                page.mouse.move(5, 5)
                page.get_by_role("heading", name=title).first.wait_for()
                settled(page)
                graph_frame(page, timeout=180,
                            when="document.getElementById('graph').dataset.selected")
                page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))
                page.locator("[data-testid='stSidebar']").get_by_role(
                    "link", name="Maps", exact=True).click()
                page.get_by_text("Timeline", exact=True).click()
                settled(page)
                graph_frame(page, timeout=180, when="legend.includes('older')")
                page.screenshot(path=str(ROOT / "docs" / "maps.png"))
                page.get_by_text("Similarity map", exact=True).click()
                settled(page)
                graph_frame(page, timeout=180,
                            when="legend.includes('clusters') && !legend.includes('older')")
                page.locator("iframe").first.screenshot(path=str(ROOT / "docs" / "similarity.png"))
                page.goto(f"http://127.0.0.1:{port}/?seed=ARXIV:2302.13971&depth=2&top=2000")
                graph_frame(page, timeout=300,
                            when="document.getElementById('graph').dataset.renderer === 'webgl'")
                settled(page)
                page.screenshot(path=str(ROOT / "docs" / "webgl.png"))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(10)
            fake.stop()


if __name__ == "__main__":
    main()
