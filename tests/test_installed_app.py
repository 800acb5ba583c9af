"""The wheel installed into a new venv outside any checkout: ``explorer app`` answers on
``/_stcore/health``, draws the graph for a seed against the fake Semantic Scholar and opens
every page without a traceback, in headless Chromium.

The venv borrows the third-party packages of the interpreter running the tests through a
``.pth`` file, so nothing is downloaded and only the wheel itself is installed into it.
"""

from __future__ import annotations

import os
import signal
import site
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_browser, test_wheel
from tests.conftest import cli_env
from tests.test_browser import free_port, graph_frame, start_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]
page, wheel = test_browser.page, test_wheel.wheel  # the fixtures, shared


@pytest.fixture
def venv(wheel, tmp_path) -> Path:
    home = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(home)], check=True)
    python = home / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # no checkout in sight
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
         str(wheel)], capture_output=True, text=True, timeout=300, env=env, cwd=home,
    )
    assert installed.returncode == 0, installed.stderr[-2000:]
    purelib = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "borrowed_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return home


@pytest.fixture
def installed_app(venv, fake, tmp_path) -> Iterator[str]:
    env = cli_env(fake, tmp_path / "installed.sqlite")
    env.pop("PYTHONPATH", None)
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import explorer; print(explorer.__file__)"],
                           env=env, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(venv))  # the wheel's package, not the checkout's
    port = free_port()
    proc = start_app(env, port, [str(venv / "bin" / "explorer"), "app", "--port", str(port)],
                     cwd=tmp_path)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_installed_wheel_serves_every_page_and_draws_the_graph(installed_app, page):
    page.goto(f"{installed_app}/?seed=1706.03762")
    frame = graph_frame(page)
    assert int(frame.evaluate("() => document.getElementById('graph').dataset.drawnNodes")) > 1
    for path, heading in [("Who_cites", "Who cites a paper"), ("Maps", "Maps of a field"),
                          ("Export_and_watch", "Export and watch")]:
        page.goto(f"{installed_app}/{path}?seed=1706.03762")
        page.get_by_role("heading", name=heading).wait_for()
        assert page.locator("[data-testid='stException']").count() == 0, path
    page.goto(f"{installed_app}/Maps?seed=1706.03762")
    graph_frame(page)  # from the store the main page filled
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.dialogs == []
