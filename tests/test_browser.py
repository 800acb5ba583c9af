"""The app in a real browser: ``streamlit run app.py`` in a subprocess against the fake S2,
driven by headless Chromium through Playwright: the main page, and every other page
(Who cites, Maps with its views and connector, Export and watch) showing papers whose titles,
authors, abstracts, links and citation contexts carry HTML and JS as literal text, with no
dialog and no element made from them.

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
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from explorer.exports.table import CSV_COLUMNS
from tests.conftest import cli_env

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("EXPLORER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
XSS = "<img src=x onerror=alert(1)>"
XSS_ID = "f" * 40
# A small hostile neighbourhood, apart from the Transformer's: a seed cited by three papers
# whose titles, abstracts, links and citation contexts carry HTML, JS and javascript: links.
SEED_ID, H1, H2, H3, LATE = ("a" * 40, "b" * 40, "c" * 40, "d" * 40, "e" * 40)
SEED_TITLE = '<a href="javascript:alert(5)">seed</a> [click](javascript:alert(6))'
TITLES = {H1: XSS, H2: "<script>alert(2)</script>", H3: '"><svg onload=alert(3)>'}
LATE_TITLE = "<iframe src=javascript:alert(7)></iframe>"
ABSTRACT = 'See <a href="javascript:alert(8)">this</a> and [that](javascript:alert(9)).'
CONTEXT = "<img src=y onerror=alert(10)> as in [1]"
# what no page may contain, in any frame: elements made from the untrusted text
INJECTED = ("img[src='x'], img[src='y'], svg[onload], b[onmouseover], iframe[src^='javascript'],"
            " a[href^='javascript']")



def missing(why: str) -> None:
    """Skip this module for ``why``; under CI, where the browser must run, fail instead."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{why}, and CI must run the browser tests", pytrace=False)
    pytest.skip(why, allow_module_level=True)


if not os.path.exists(CHROMIUM):
    missing(f"{CHROMIUM} is missing (apt-get install chromium)")
try:
    from playwright import sync_api
    from playwright.sync_api import expect
except ImportError:
    missing("playwright is not installed (pip install -e '.[test]')")
# Every read waits for the state it checks; a loaded box may need long to reach it.
WAIT_MS = 90_000
expect.set_options(timeout=WAIT_MS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(env: dict[str, str], port: int, command: list[str] | None = None,
              cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    """The app of the checkout (or the one ``command`` serves on ``port``), once healthy."""
    proc = subprocess.Popen(
        command or [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                    "--server.port", str(port), "--server.address", "127.0.0.1",
                    "--server.headless", "true", "--browser.gatherUsageStats", "false",
                    "--server.fileWatcherType", "none"],
        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
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


def hostile(paper_id: str, title: str, year: int, cites: int) -> dict[str, object]:
    return {"paperId": paper_id, "title": title, "year": year, "citationCount": cites,
            "abstract": ABSTRACT, "url": "javascript:alert(11)", "externalIds": {},
            "authors": [{"authorId": "2", "name": "<script>alert(2)</script> Doe"}]}


def add_hostile(fake) -> None:  # type: ignore[no-untyped-def]
    fake.add_paper(hostile(SEED_ID, SEED_TITLE, 2019, len(TITLES)))
    for year, (pid, title) in enumerate(TITLES.items(), start=2020):
        fake.add_paper(hostile(pid, title, year, 0))
        fake.add_edge({"citingPaperId": pid, "citedPaperId": SEED_ID, "contexts": [CONTEXT],
                       "intents": ["background"], "isInfluential": False})
    fake.add_edge({"citingPaperId": H3, "citedPaperId": H2, "contexts": [], "intents": [],
                   "isInfluential": False})


@pytest.fixture
def app(fake, tmp_path) -> Iterator[str]:
    fake.add_paper({"paperId": XSS_ID, "title": XSS, "year": 2024, "citationCount": 7,
                    "authors": [{"authorId": "1", "name": "<script>alert(2)</script>"}],
                    "abstract": "<b onmouseover=alert(3)>hover</b>", "externalIds": {}})
    fake.add_edge({"citingPaperId": XSS_ID, "citedPaperId": TRANSFORMER,
                   "contexts": ["<img src=y onerror=alert(4)> as in [1]"], "intents": [],
                   "isInfluential": True})
    add_hostile(fake)
    with running_app(cli_env(fake, tmp_path / "browser.sqlite")) as url:
        yield url


@contextmanager
def running_app(env: dict[str, str]) -> Iterator[str]:
    """The checkout's app on a free port, stopped when the block ends."""
    port = free_port()
    proc = start_app(env, port)
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
        pg.set_default_timeout(WAIT_MS)
        pg.dialogs = []  # type: ignore[attr-defined]
        pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
        yield pg
        browser.close()


def graph_frame(pg, timeout: float = 90, when: str = "true"):  # type: ignore[no-untyped-def]
    """The iframe holding the graph, once its layout is done; ``when`` is a JS condition on
    ``legend`` (the legend's text) telling the views apart."""
    check = ("() => { const legend = document.getElementById('legend')?.innerText || '';"
             " return document.getElementById('graph')?.dataset.ready === '1' && (" + when + "); }")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in pg.frames:
            try:
                if frame.evaluate(check):
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
    page.goto(f"{app}/?depth=1")
    page.get_by_role("textbox", name="Seed papers, one a line").fill("1706.03762")
    page.get_by_role("button", name="Explore").click()
    frame = graph_frame(page)
    drawn = int(frame.evaluate("() => document.getElementById('graph').dataset.drawnNodes"))
    shown, total = shown_rows(page)
    assert drawn == shown == total == 51  # depth 1: the seed, 40 references, 9 + 1 citers
    grid = page.locator("[data-testid='stDataFrame'] table[role='grid']").first
    expect(grid).to_have_attribute("aria-rowcount", str(shown + 1))  # with the header row
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
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert XSS in text and "<script>alert(2)</script>" in text
    assert frame.locator("img").count() == 0 and frame.locator("script[src]").count() == 0

    # table: the grid's cells hold the literal text
    grid = page.locator("[data-testid='stDataFrame'] table[role='grid']").first
    expect(grid).to_contain_text(XSS)
    # details: the heading and authors are literal text, no element made from them
    page.get_by_role("heading", name=XSS).first.wait_for()
    page.get_by_text("<script>alert(2)</script>").first.wait_for()
    assert_inert(page)


def tooltips(frame) -> dict[str, tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """Each node's tooltip in a graph frame: its text and the tags of any element inside it
    other than the page's own markup (which would have been made from a title)."""
    return frame.evaluate("""() => Object.fromEntries(window.explorerNetwork.body.data.nodes.get()
        .map(n => [n.id, [n.title ? n.title.textContent : '',
                          n.title ? [...n.title.querySelectorAll('*')].map(e => e.tagName)
                            .filter(t => !['B', 'DIV', 'UL', 'LI'].includes(t)) : []]]))""")


def assert_titles_in(frame, wanted: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    tips = tooltips(frame)
    for pid, title in wanted.items():
        text, made = tips[pid]
        assert title in text and made == [], (pid, text, made)


def wait_titles(pg, wanted: dict[str, str], when: str = "true", timeout: float = 90
                ) -> None:  # type: ignore[no-untyped-def]
    """Wait for a drawn graph (``when`` as in :func:`graph_frame`) holding every paper of
    ``wanted``, then check their tooltips: a frame Streamlit replaces while it is read, or the
    previous view's frame still on the page, is passed over, not taken for the answer."""
    deadline = time.monotonic() + timeout
    while True:
        frame = graph_frame(pg, max(deadline - time.monotonic(), 1), when)
        try:
            tips = tooltips(frame)
        except sync_api.Error:
            tips = {}
        if all(pid in tips for pid in wanted) or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert_titles_in(frame, wanted)


def assert_inert(pg) -> None:  # type: ignore[no-untyped-def]
    """No dialog fired and no frame holds an element or script made from untrusted text."""
    for frame in pg.frames:
        assert frame.locator(INJECTED).count() == 0, frame.url
        assert not frame.evaluate(
            "() => [...document.scripts].some(s => /^\\s*alert\\(/.test(s.text))")
    # A dialog could only come from such an element or script, and there is none to fire one.
    assert pg.dialogs == []


def grid_text(pg) -> str:  # type: ignore[no-untyped-def]
    grids = pg.locator("[data-testid='stDataFrame'] table[role='grid']")
    return "\n".join(grids.nth(i).inner_text() for i in range(grids.count()))


def wait_in_grid(pg, text: str) -> None:  # type: ignore[no-untyped-def]
    """Wait for a table cell holding exactly ``text`` (in the accessible table that is hidden
    under the grid's canvas)."""
    pg.locator("[data-testid='stDataFrame']").get_by_text(text, exact=True).first.wait_for(
        state="attached")


def test_who_cites_page_shows_hostile_citers_as_text(app, page):
    page.goto(f"{app}/Who_cites?cites={SEED_ID}")
    page.get_by_role("button", name="Fetch the citers from Semantic Scholar").click()
    page.get_by_text("3 of 3 citers match").wait_for()
    page.get_by_role("textbox", name="Text in title, abstract or citation context").fill("onerror")
    page.keyboard.press("Enter")
    wait_in_grid(page, CONTEXT)
    text = grid_text(page)
    assert all(title in text for title in TITLES.values()) and CONTEXT in text
    assert "javascript:" not in text.replace(SEED_TITLE, "")  # the links are S2's pages
    # the title once, as typed, then how many citers were collected
    expect(page.get_by_text(re.compile("^Citers of " + re.escape(SEED_TITLE) + "( · .*)?$"))
           ).to_have_count(1)
    assert_inert(page)


def test_maps_page_views_and_connector_show_hostile_titles_as_text(app, page):
    everyone = {SEED_ID: SEED_TITLE, **TITLES}
    page.goto(f"{app}/Maps?seed={SEED_ID}&depth=2")  # depth 2 knows that H3 cites H2
    page.get_by_role("button", name="Walk the citation graph").click()
    wait_titles(page, everyone)
    page.get_by_text("Similarity map", exact=True).first.click()  # a rerun may show it twice
    wait_titles(page, everyone, when="legend.includes('clusters') && !legend.includes('older')")
    page.get_by_text("Timeline", exact=True).first.click()  # a rerun may show it twice
    wait_titles(page, everyone, when="legend.includes('older')")
    assert_inert(page)

    page.get_by_role("tab", name="Prior & derivative works").click()
    wait_in_grid(page, TITLES[H3])  # it cites the seed and H2: a derivative work

    page.get_by_role("tab", name="Connector").click()
    page.get_by_role("textbox", name="To").fill(H1)
    page.keyboard.press("Enter")
    page.get_by_text("Store only (no requests)").first.click()
    page.get_by_role("button", name="Find paths").click()
    path = graph_frame(page, when="legend.includes('the two papers')")
    assert_titles_in(path, {SEED_ID: SEED_TITLE, H1: TITLES[H1]})
    page.get_by_text(TITLES[H1]).first.wait_for()  # the path described in words
    assert_inert(page)


def test_export_page_watch_shows_hostile_citers_as_text(app, fake, page):
    page.goto(f"{app}/Export_and_watch")
    page.get_by_role("textbox", name=re.compile("Watch a paper")).fill(SEED_ID)
    page.get_by_role("button", name="Watch", exact=True).click()
    page.get_by_text(re.compile("Watching 1 more paper")).wait_for()
    expect(page.get_by_text(f"1 watched: {SEED_TITLE}", exact=True)).to_have_count(1)
    page.get_by_role("button", name="Check for new citers").click()
    expect(page.get_by_text(f"Baseline recorded for {SEED_TITLE}", exact=False)).to_have_count(1)

    fake.add_paper(hostile(LATE, LATE_TITLE, 2024, 0))  # a new citer appears at S2
    fake.add_edge({"citingPaperId": LATE, "citedPaperId": SEED_ID, "contexts": [CONTEXT],
                   "intents": [], "isInfluential": False})
    fake.add_paper(hostile(SEED_ID, SEED_TITLE, 2019, len(TITLES) + 1))
    page.get_by_role("button", name="Check for new citers").click()
    page.get_by_text(re.compile("1 new citer at the last check")).wait_for()
    link = page.get_by_role("link", name=LATE_TITLE, exact=True)
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", re.compile(r"^https://"))
    expect(page.get_by_text(CONTEXT, exact=True)).to_have_count(1)
    expect(page.get_by_text(f"cites {SEED_TITLE}", exact=False)).to_have_count(1)
    assert_inert(page)


def test_cancel_ends_a_walk_while_its_request_is_in_flight(fake, page, tmp_path):
    # The seed lookup stalls far longer than the test waits: only a cancel that ends the
    # request in flight can bring the page back.
    fake.inject(None, delay=3600, path_contains="/paper/batch")
    with running_app(cli_env(fake, tmp_path / "cancel.sqlite", EXPLORER_TIMEOUT="3600")) as url:
        page.goto(url)
        page.get_by_role("textbox", name="Seed papers, one a line").fill("1706.03762")
        page.get_by_role("button", name="Explore").click()
        page.get_by_text(re.compile(r"walking for \d+ s")).wait_for()  # the request is in flight
        assert fake.count("/graph/v1/paper/batch") == 1
        page.get_by_role("button", name="Cancel the walk").click()
        page.get_by_text("Walk cancelled", exact=False).wait_for()
        assert page.dialogs == []


PAGES = ("Explore", "Who cites", "Maps", "Export and watch")


def assert_on_the_exploration(pg, seed: str) -> None:  # type: ignore[no-untyped-def]
    """The page shows no traceback, names the exploration of ``seed`` in its sidebar and in
    the address bar, and is in the wide layout."""
    pg.locator("[data-testid='stSidebar']").get_by_text(f"Exploration: {seed}",
                                                        exact=False).first.wait_for()
    expect(pg.locator("[data-testid='stException']")).to_have_count(0)
    expect(pg.get_by_text("No exploration yet", exact=False)).to_have_count(0)
    assert seed in pg.url, pg.url
    width = pg.locator("[data-testid='stMainBlockContainer']").first.bounding_box()["width"]
    assert width > 1000, width  # the centred layout is 736 px wide at most


def go_to(pg, name: str) -> None:  # type: ignore[no-untyped-def]
    pg.locator("[data-testid='stSidebar']").get_by_role("link", name=name, exact=True).click()
    pg.wait_for_url(re.compile(("/" if name == "Explore" else "/" + name.replace(" ", "_"))
                               + r"\?"))


def test_every_page_to_every_other_and_back_keeps_the_exploration(app, page):
    page.goto(f"{app}/?seed=1706.03762")
    graph_frame(page)
    assert_on_the_exploration(page, "1706.03762")
    for here in PAGES:
        for there in PAGES:
            if there == here:
                continue
            go_to(page, here)
            assert_on_the_exploration(page, "1706.03762")
            go_to(page, there)
            assert_on_the_exploration(page, "1706.03762")
            page.go_back()
            assert_on_the_exploration(page, "1706.03762")
    go_to(page, "Explore")
    graph_frame(page)
    page.get_by_role("heading", name=re.compile("Attention Is All You Need")).first.wait_for()
    assert_on_the_exploration(page, "1706.03762")


def click_node(pg, frame, paper_id: str) -> None:  # type: ignore[no-untyped-def]
    box = pg.locator("iframe").first.bounding_box()
    point = frame.evaluate(
        "(id) => window.explorerNetwork.canvasToDOM(window.explorerNetwork.getPositions([id])[id])",
        paper_id,
    )
    pg.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_clicking_a_node_opens_its_details_and_explore_from_here_walks_around_it(app, page):
    page.goto(f"{app}/?seed=1706.03762&depth=1")  # the hostile citer among the 100 drawn
    frame = graph_frame(page)
    click_node(page, frame, XSS_ID)
    page.get_by_role("heading", name=XSS).first.wait_for()  # its details, beside the graph
    graph_frame(page, when=f"document.getElementById('graph').dataset.selected === '{XSS_ID}'")
    assert f"paper={XSS_ID}" in page.url
    assert_inert(page)

    page.get_by_role("button", name="Explore from here").click()
    page.locator("[data-testid='stSidebar']").get_by_text(f"Exploration: {XSS_ID}").wait_for()
    frame = graph_frame(page)
    drawn = frame.evaluate("() => window.explorerNetwork.body.data.nodes.getIds()")
    assert XSS_ID in drawn and TRANSFORMER in drawn  # the clicked paper and what it cites
    assert f"seed={XSS_ID}" in page.url
