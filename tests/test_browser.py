"""The app in a real browser: ``streamlit run app.py`` in a subprocess against the fake S2,
driven by headless Chromium through Playwright.

Needs Debian's ``chromium`` at /usr/bin/chromium (never downloaded: ``playwright install`` is
not used). A screenshot is saved under ``artifacts/`` (git-ignored).
"""

from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from explorer.export import CSV_COLUMNS
from tests.conftest import cli_env

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
XSS = "<img src=x onerror=alert(1)>"
XSS_ID = "f" * 40

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start in 60 s")


@pytest.fixture
def app(fake, tmp_path) -> Iterator[str]:
    fake.add_paper({"paperId": XSS_ID, "title": XSS, "year": 2024, "citationCount": 7,
                    "authors": [{"authorId": "1", "name": "<script>alert(2)</script>"}],
                    "abstract": "<b onmouseover=alert(3)>hover</b>", "externalIds": {}})
    fake.add_edge({"citingPaperId": XSS_ID, "citedPaperId": TRANSFORMER,
                   "contexts": ["<img src=y onerror=alert(4)> as in [1]"], "intents": [],
                   "isInfluential": True})
    port = free_port()
    proc = start_app(cli_env(fake, tmp_path / "browser.sqlite"), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def page(tmp_path):  # type: ignore[no-untyped-def]
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1100},
                                      accept_downloads=True)
        pg = context.new_page()
        pg.dialogs = []  # type: ignore[attr-defined]
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
        yield pg
        browser.close()


def graph_frame(pg, timeout: float = 90):  # type: ignore[no-untyped-def]
    """The iframe holding the graph, once its layout is done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in pg.frames:
            try:
                if frame.evaluate("() => document.getElementById('graph')?.dataset.ready"
                                  " === '1'"):
                    return frame
            except sync_api.Error:
                continue
        time.sleep(0.25)
    raise AssertionError("the graph was not drawn")


def shown_rows(pg) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    text = pg.get_by_text(re.compile(r"Showing \d+ of \d+ ranked papers")).inner_text()
    shown, total = re.search(r"Showing (\d+) of (\d+)", text).groups()  # type: ignore[union-attr]
    return int(shown), int(total)


def test_explore_in_the_browser_graph_table_and_csv(app, fake, page, tmp_path):
    page.goto(app)
    page.get_by_role("textbox", name="Seed papers, one a line").fill("1706.03762")
    page.get_by_role("button", name="Explore").click()
    frame = graph_frame(page)
    drawn = int(frame.evaluate("() => document.getElementById('graph').dataset.drawnNodes"))
    shown, total = shown_rows(page)
    assert drawn == shown == total == 51  # the seed, 40 references, 9 + 1 citers
    grid = page.locator("[data-testid='stDataFrame'] table[role='grid']").first
    assert int(grid.get_attribute("aria-rowcount")) == shown + 1  # with the header row
    assert "1706.03762" in page.url

    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(r"Ranked table \(CSV")).click()
    path = tmp_path / "ranked.csv"
    info.value.save_as(path)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == total and rows[0]["paper_id"] == TRANSFORMER
    assert XSS in [r["title"] for r in rows]

    artifacts = ROOT / "artifacts"
    artifacts.mkdir(exist_ok=True)
    page.screenshot(path=str(artifacts / "browser.png"), full_page=True)
    assert page.dialogs == []


def test_hostile_title_is_literal_text_in_hover_table_and_details(app, fake, page):
    page.goto(f"{app}/?seed=1706.03762")  # a first visit walks
    graph_frame(page)
    fake.reset()
    page.goto(f"{app}/?seed=1706.03762&q=onerror&paper={XSS_ID}")  # a shared link
    frame = graph_frame(page)
    assert fake.count() == 0  # rebuilt from the store

    # hover: move the mouse onto the node and read the tooltip
    box = page.locator("iframe").first.bounding_box()
    point = frame.evaluate(
        "(id) => window.explorerNetwork.canvasToDOM(window.explorerNetwork.getPositions([id])[id])",
        XSS_ID,
    )
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = frame.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=10000)
    text = tooltip.inner_text()
    assert XSS in text and "<script>alert(2)</script>" in text
    assert frame.locator("img").count() == 0 and frame.locator("script[src]").count() == 0

    # table: the grid's cells hold the literal text
    grid = page.locator("[data-testid='stDataFrame'] table[role='grid']").first
    assert XSS in grid.inner_text()
    # details: the heading and authors are literal text, no element made from them
    details = page.get_by_role("heading", name=XSS)
    assert details.count() >= 1
    assert page.get_by_text("<script>alert(2)</script>").count() >= 1
    assert page.locator("img[src='x'], img[src='y'], b[onmouseover]").count() == 0
    page.wait_for_timeout(500)
    assert page.dialogs == []
