"""The Zotero local API client against the fake Zotero on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request

import pytest

from explorer.errors import LibraryError, NotFoundError
from explorer.fake_s2.zotero import SAMPLE_LIBRARY, FakeZotero
from explorer.sources.zotero import ZoteroClient
from tests.conftest import CORPUS, ROOT


def item(i: int) -> dict:
    key = f"ITEM{i:04d}"
    return {"key": key, "version": 1, "library": {"type": "user", "id": 0},
            "data": {"key": key, "itemType": "journalArticle", "title": f"Paper number {i}",
                     "collections": ["BIGCOLL1"] if i % 2 else []}}


@pytest.fixture
def big():
    server = FakeZotero({"collections": [{"key": "BIGCOLL1", "data": {"name": "Odd ones"}}],
                         "items": [item(i) for i in range(250)]})
    server.start()
    yield server
    server.stop()


def test_the_fake_pages_as_zotero_does(big):
    with urllib.request.urlopen(f"{big.api_url}/users/0/items?limit=100&start=100") as r:
        page = json.load(r)
        assert r.headers["Zotero-API-Version"] == "3"
        assert r.headers["Total-Results"] == "250"
        assert 'start=200>; rel="next"' in r.headers["Link"]
        assert 'rel="last"' in r.headers["Link"]
    assert [p["key"] for p in page] == [f"ITEM{i:04d}" for i in range(100, 200)]


def test_every_page_is_read_and_nothing_twice(big):
    client = ZoteroClient(big.api_url)
    keys = [i["key"] for i in client.items()]
    assert keys == [f"ITEM{i:04d}" for i in range(250)]
    pages = [r for r in big.requests if r.path == "/api/users/0/items"]
    assert [(r.query["start"], r.query["limit"]) for r in pages] == [
        ("0", "100"), ("100", "100"), ("200", "100")]
    assert all(r.headers.get("zotero-api-version") == "3" for r in pages)


def test_a_collection_is_read_by_key(big):
    client = ZoteroClient(big.api_url)
    assert len(client.items("BIGCOLL1")) == 125
    assert [c["data"]["name"] for c in client.collections()] == ["Odd ones"]
    with pytest.raises(NotFoundError):
        client.items("NOSUCHKY")


def test_the_sample_library_is_served_whole(zotero):
    data = json.loads(SAMPLE_LIBRARY.read_text(encoding="utf-8"))
    client = ZoteroClient(zotero.api_url)
    assert [i["key"] for i in client.items()] == [i["key"] for i in data["items"]]
    assert {c["data"]["name"] for c in client.collections()} == {
        "LLM papers", "Background", "History of AI"}


def test_a_disabled_local_api_is_one_line_saying_how_to_enable_it(zotero):
    zotero.enabled = False
    with pytest.raises(LibraryError) as info:
        ZoteroClient(zotero.api_url).items()
    message = str(info.value)
    assert "\n" not in message and info.value.status == 403
    assert "Local API is not enabled" in message
    assert "Allow other applications on this computer to communicate with Zotero" in message


def test_zotero_not_running_is_one_line_asking_whether_it_runs():
    server = FakeZotero()
    server.start()
    url = server.api_url
    server.stop()  # nothing listens on the port any more
    with pytest.raises(LibraryError) as info:
        ZoteroClient(url).collections()
    assert "\n" not in str(info.value)
    assert "is Zotero running?" in str(info.value)


@pytest.mark.parametrize("raw", [b'[{"key": "A", "data": {}', b'{"key": "A"}', b"[1, 2]"])
def test_malformed_json_is_one_line_and_returns_nothing(zotero, raw):
    zotero.inject(200, raw=raw, path_contains="/items")
    with pytest.raises(LibraryError) as info:
        ZoteroClient(zotero.api_url).items()
    assert "malformed JSON" in str(info.value) and "\n" not in str(info.value)


def test_a_busy_zotero_is_retried_then_read(zotero):
    zotero.inject(503, times=1, path_contains="/collections")
    client = ZoteroClient(zotero.api_url, backoff=0)
    assert len(client.collections()) == 3
    assert [r.status for r in zotero.requests] == [503, 200]


def test_the_standalone_fakes_serve_a_zotero_too():
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer.fake_s2", "--corpus", str(CORPUS), "--port", "0",
         "--zotero-port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(6)]
        env = dict(line.removeprefix("export ").strip().split("=", 1)
                   for line in lines if line.startswith("export "))
        names = {c["data"]["name"] for c in ZoteroClient(env["ZOTERO_API_URL"]).collections()}
        assert names == {"LLM papers", "Background", "History of AI"}
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
