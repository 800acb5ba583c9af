"""Shared fixtures: the fake Semantic Scholar on 127.0.0.1 and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tenacity
from hypothesis import HealthCheck, settings
from semanticscholar.ApiRequester import ApiRequester

from explorer.fake_s2 import FakeS2
from explorer.fake_s2.zotero import FakeZotero
from tests.inproc import run_main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "s2-sample"
"""The sample corpus in the repository (``data/make_sample.py``), served by every fake."""
# A loaded CI box can make the first draws slow; correctness, not speed, is under test here.
settings.register_profile("explorer", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("explorer")
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ["no_proxy"] = os.environ["NO_PROXY"]


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path, parent):  # type: ignore[no-untyped-def]
    # --doctest-modules (pyproject.toml) is for the package's examples: a test module holds
    # none, and collecting it a second time would count a module-level skip twice.
    collected = yield
    return [c for c in collected if type(c).__name__ != "DoctestModule"]


@pytest.fixture(autouse=True)
def _instant_package_retries(monkeypatch):
    # Should any path reach the package's own retry loop, it runs without sleeping.
    monkeypatch.setattr(ApiRequester._get_data_async.retry, "wait", tenacity.wait_none())


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "papers.jsonl.gz").is_file():
        pytest.fail(f"{CORPUS} has no papers.jsonl.gz: it belongs to the repository")
    return CORPUS


@pytest.fixture
def fake(corpus):
    server = FakeS2(corpus_dir=corpus)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def zotero():
    """The fake Zotero local API serving the sample library (data/zotero-sample)."""
    server = FakeZotero()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def cli(monkeypatch, capfd):
    """Runs the `explorer` command in the test process: ``cli(args, env)`` gives a
    ``CompletedProcess``; a test that means end to end uses :func:`run_cli` instead."""
    return lambda args, env: run_main(args, env, monkeypatch, capfd)


def cli_env(fake: FakeS2, db: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        S2_API_URL=fake.url, ARXIV_API_URL=fake.url, EXPLORER_DB=str(db),
        EXPLORER_MIN_INTERVAL="0", EXPLORER_BACKOFF="0.01", EXPLORER_TIMEOUT="30",
        NO_PROXY="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], timeout: float = 120
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args], env=env, capture_output=True, text=True,
        timeout=timeout,
    )
