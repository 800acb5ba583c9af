"""Downloading S2AG releases and diffs from the fake Datasets API over a real socket: the key
only as ``x-api-key`` on the JSON calls and never shown, signed URLs never shown whole, a cut
download continued with Range, an expired link asked for again, then the import."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from explorer.fake_s2 import FakeS2
from explorer.s2ag.download import DatasetsApi
from explorer.s2ag.importer import import_release
from explorer.s2ag.shards import main as shards_main
from tests.conftest import CORPUS
from tests.test_s2ag_import import every_table

A, B = "2026-11-24", "2026-12-01"
KEY = "sekrit-test-key-0123456789"


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("releases")
    assert shards_main(["--corpus", str(CORPUS), "--out", str(out), "--release", A,
                        "--newer", B]) == 0
    return out


@pytest.fixture
def fake(root):
    with FakeS2(datasets=root, api_key=KEY) as server:
        yield server


@pytest.fixture
def cli(cli, monkeypatch):
    """The in-process runner, with the ``S2_API_KEY`` and ``EXPLORER_MAX_RETRIES`` of the
    environment it is given (the runner sets only the URLs, pacing and the store)."""
    def run(args, env):
        monkeypatch.setenv("S2_API_KEY", env["S2_API_KEY"])
        monkeypatch.setenv("EXPLORER_MAX_RETRIES", env.get("EXPLORER_MAX_RETRIES", "6"))
        return cli(args, env)
    return run


@pytest.fixture
def env(fake, tmp_path) -> dict[str, str]:
    return {**os.environ, "S2_API_URL": fake.url, "ARXIV_API_URL": fake.url,
            "S2_API_KEY": KEY, "EXPLORER_DB": str(tmp_path / "store.sqlite"),
            "EXPLORER_MIN_INTERVAL": "0", "EXPLORER_BACKOFF": "0", "EXPLORER_TIMEOUT": "30"}


def _no_secret_in(*texts: str) -> None:
    for text in texts:
        assert KEY not in text and "X-Amz-Signature" not in text and "X-Amz-Date" not in text


def test_release_latest_downloads_every_dataset_and_imports_it(cli, env, fake, root, tmp_path):
    graph = tmp_path / "graph"
    done = cli(["import-s2ag", "--release", "latest", "--graph", str(graph)], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"imported release {B} into {graph}: ")
    assert "download 1/" in done.stderr and "papers/part-00000.jsonl.gz" in done.stderr
    fresh = tmp_path / "fresh"
    import_release(root / B, fresh)
    assert every_table(graph) == every_table(fresh)
    manifest = (graph / "manifest.json").read_text()
    _no_secret_in(done.stdout, done.stderr, manifest)
    api_calls = [r for r in fake.requests if r.path.startswith("/datasets/")]
    downloads = [r for r in fake.requests if r.path.startswith("/s3/")]
    assert api_calls and downloads
    assert all(r.headers.get("x-api-key") == KEY for r in api_calls)
    assert all("x-api-key" not in r.headers for r in downloads)
    assert (graph / ".downloads" / B / "RELEASE").read_text().strip() == B


def test_a_second_run_fetches_nothing_it_has(cli, env, fake, tmp_path):
    graph = tmp_path / "graph"
    assert cli(["import-s2ag", "--release", A, "--graph", str(graph)], env).returncode == 0
    fake.requests.clear()
    done = cli(["import-s2ag", "--release", A, "--graph", str(graph)], env)
    assert done.returncode == 0, done.stderr
    assert not [r for r in fake.requests if r.path.startswith("/s3/")]
    assert "whole already" in done.stderr


def test_no_key_costs_no_request_and_a_wrong_key_is_one_line(cli, env, fake, tmp_path):
    graph = str(tmp_path / "graph")
    done = cli(["import-s2ag", "--release", "latest", "--graph", graph],
               {**env, "S2_API_KEY": ""})
    assert done.returncode == 1 and "set S2_API_KEY" in done.stderr
    assert fake.requests == []
    done = cli(["import-s2ag", "--release", "latest", "--graph", graph],
               {**env, "S2_API_KEY": "wrong-key"})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: Semantic Scholar refused the API key (403): check S2_API_KEY"]
    assert "wrong-key" not in done.stderr


def test_a_cut_download_is_continued_with_range(fake, root, tmp_path):
    api = DatasetsApi(fake.url, KEY, min_interval=0, backoff=0)
    try:
        url = api.files(A, "citations")[0]
        target = tmp_path / "part-00000.jsonl.gz"
        fake.inject(None, truncate=1000, path_contains="/s3/")
        got, resumed, kept = api.fetch(url, target, lambda: url)
    finally:
        api.close()
    assert target.read_bytes() == (root / A / "citations" / "part-00000.jsonl.gz").read_bytes()
    ranges = [r.headers.get("range") for r in fake.requests if r.path.startswith("/s3/")]
    assert ranges == [None, "bytes=1000-"]
    assert not target.with_name(target.name + ".part").exists()


def test_a_part_left_by_a_killed_run_is_continued(fake, root, tmp_path):
    source = (root / A / "papers" / "part-00000.jsonl.gz").read_bytes()
    target = tmp_path / "part-00000.jsonl.gz"
    target.with_name(target.name + ".part").write_bytes(source[:500])
    api = DatasetsApi(fake.url, KEY, min_interval=0, backoff=0)
    try:
        url = api.files(A, "papers")[0]
        got, resumed, _ = api.fetch(url, target, lambda: url)
    finally:
        api.close()
    assert (got, resumed) == (len(source) - 500, True)
    assert target.read_bytes() == source


def test_an_expired_link_is_asked_for_again(fake, root, tmp_path):
    api = DatasetsApi(fake.url, KEY, min_interval=0, backoff=0)
    try:
        stale = api.files(A, "papers")[0]
        now = fake.datasets.clock()
        fake.datasets.clock = lambda: now + 7200
        target = tmp_path / "part-00000.jsonl.gz"
        api.fetch(stale, target, lambda: api.files(A, "papers")[0])
    finally:
        api.close()
    assert target.read_bytes() == (root / A / "papers" / "part-00000.jsonl.gz").read_bytes()
    statuses = [r.status for r in fake.requests if r.path.startswith("/s3/")]
    assert statuses == [403, 200]


def test_diff_latest_downloads_and_applies_the_diffs_since_the_graphs_release(
        cli, env, fake, root, tmp_path):
    graph = tmp_path / "graph"
    assert cli(["import-s2ag", "--release", A, "--graph", str(graph)], env).returncode == 0
    done = cli(["import-s2ag", "--diff", "latest", "--graph", str(graph)], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"applied the diff to release {B} to {graph}: ")
    _no_secret_in(done.stdout, done.stderr, (graph / "manifest.json").read_text())
    fresh = tmp_path / "fresh"
    import_release(root / B, fresh)
    assert every_table(graph) == every_table(fresh)
    assert json.loads((graph / "manifest.json").read_text())["release"] == B
    again = cli(["import-s2ag", "--diff", "latest", "--graph", str(graph)], env)
    assert again.returncode == 0 and "no diff to apply" in again.stdout


def test_a_busy_file_host_is_tried_again_and_a_failing_one_is_one_line(
        cli, env, fake, root, tmp_path):
    api = DatasetsApi(fake.url, KEY, min_interval=0, backoff=0)
    try:
        url = api.files(A, "papers")[0]
        fake.inject(503, path_contains="/s3/")
        target = tmp_path / "part-00000.jsonl.gz"
        api.fetch(url, target, lambda: url)
    finally:
        api.close()
    assert target.read_bytes() == (root / A / "papers" / "part-00000.jsonl.gz").read_bytes()
    fake.inject(503, path_contains="/s3/", times=None)
    done = cli(["import-s2ag", "--release", A, "--graph", str(tmp_path / "graph")],
               {**env, "EXPLORER_MAX_RETRIES": "2"})
    assert done.returncode == 2
    error = done.stderr.strip().splitlines()[-1]
    assert error.startswith("error: the download of /s3/ai2-s2ag/2026-11-24/")
    assert "HTTP 503" in error
    _no_secret_in(done.stderr)
