"""The fake Datasets API over a real socket: releases, dataset links behind a key, signed
download URLs (tampered, expired), HTTP Range to resume a download, and the chain of diffs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from explorer.fake_s2 import FakeS2
from explorer.fake_s2.cli import main as fake_main
from explorer.s2ag.releases import record_key
from explorer.s2ag.shard_files import DATASETS, dataset_files
from explorer.s2ag.shards import main as shards_main
from tests.conftest import CORPUS

A, B, C = "2026-11-24", "2026-12-01", "2026-12-08"
KEY = "test-key"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("releases")
    assert shards_main(["--corpus", str(CORPUS), "--out", str(out), "--release", A,
                        "--newer", B, "--newer", C]) == 0
    return out


@pytest.fixture()
def fake(root):
    with FakeS2(datasets=root, api_key=KEY) as server:
        yield server


@pytest.fixture()
def client(fake):
    with httpx.Client(base_url=fake.url, timeout=30) as http:
        yield http


def _links(client, path: str) -> dict:
    resp = client.get(path, headers={"x-api-key": KEY})
    assert resp.status_code == 200, resp.text
    return resp.json()


def _records(client, urls: list[str]) -> list[dict]:
    out = []
    for url in urls:
        resp = client.get(url)
        assert resp.status_code == 200
        out += [json.loads(line) for line in gzip.decompress(resp.content).splitlines()]
    return out


def test_the_releases_and_their_datasets_need_no_key(client):
    assert client.get("/datasets/v1/release/").json() == [A, B, C]
    latest = client.get("/datasets/v1/release/latest").json()
    assert latest["release_id"] == C and "ODC-BY" in latest["README"]
    assert sorted(d["name"] for d in latest["datasets"]) == sorted(DATASETS)
    assert all(d["description"] and d["README"] for d in latest["datasets"])
    assert client.get(f"/datasets/v1/release/{A}").json()["release_id"] == A


@pytest.mark.parametrize("path", [
    "/datasets/v1/release/2020-01-07", "/datasets/v1/release/2020-01-07/dataset/papers",
    f"/datasets/v1/release/{A}/dataset/authors", f"/datasets/v1/diffs/{A}/to/2030-01-01/papers",
    f"/datasets/v1/diffs/2020-01-07/to/{C}/papers"])
def test_unknown_releases_and_datasets_are_404(client, path):
    resp = client.get(path, headers={"x-api-key": KEY})
    assert resp.status_code == 404 and "not found" in resp.json()["error"]


@pytest.mark.parametrize("path", [f"/datasets/v1/release/{A}/dataset/papers",
                                  f"/datasets/v1/diffs/{A}/to/latest/papers"])
@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong"}])
def test_links_need_the_key(client, fake, path, headers):
    resp = client.get(path, headers=headers)
    assert resp.status_code == 403 and resp.json() == {"message": "Forbidden"}
    assert fake.count("/datasets/v1/") == 1


def test_dataset_files_are_signed_urls_back_to_the_fake(client, fake, root):
    meta = _links(client, f"/datasets/v1/release/{A}/dataset/citations")
    assert meta["name"] == "citations" and meta["description"]
    on_disk = dataset_files(root / A / "citations")
    assert len(meta["files"]) == len(on_disk) == 4
    for url, path in zip(meta["files"], on_disk, strict=True):
        parts = urlsplit(url)
        assert url.startswith(fake.url) and "X-Amz-Signature=" in parts.query
        assert "X-Amz-Expires=" in parts.query and KEY not in url
        assert client.get(url).content == path.read_bytes()
    assert fake.count("/s3/") == 4


def _url(client) -> str:
    return _links(client, f"/datasets/v1/release/{A}/dataset/papers")["files"][0]


@pytest.mark.parametrize("change, code", [
    (lambda u: u.replace("X-Amz-Signature=", "X-Amz-Signature=0"), "SignatureDoesNotMatch"),
    (lambda u: u.replace("part-00000", "part-00001"), "SignatureDoesNotMatch"),
    (lambda u: u.replace("X-Amz-Expires=3600", "X-Amz-Expires=999999"),
     "SignatureDoesNotMatch"),
    (lambda u: u.split("?")[0], "AccessDenied")])
def test_a_bad_signature_is_s3s_403(client, change, code):
    resp = client.get(change(_url(client)))
    assert resp.status_code == 403
    assert resp.headers["content-type"] == "application/xml"
    assert f"<Code>{code}</Code>" in resp.text and resp.text.startswith("<?xml")


def test_an_expired_url_is_403_request_has_expired(client, fake):
    url = _url(client)
    now = fake.datasets.clock()
    fake.datasets.clock = lambda: now + 3601
    resp = client.get(url)
    assert resp.status_code == 403 and "<Message>Request has expired</Message>" in resp.text
    fake.datasets.clock = lambda: now + 3000
    assert client.get(url).status_code == 200


def test_a_signed_url_of_a_missing_file_is_no_such_key(client, fake, root):
    url = fake.datasets.signed_url(fake.url, root / A / "papers" / "part-09999.jsonl.gz")
    resp = client.get(url)
    assert resp.status_code == 404 and "<Code>NoSuchKey</Code>" in resp.text


def test_range_requests(client, root):
    url = _url(client)
    data = (root / A / "papers" / "part-00000.jsonl.gz").read_bytes()
    size = len(data)
    whole = client.get(url)
    assert whole.headers["accept-ranges"] == "bytes" and whole.content == data
    for header, start, end in [("bytes=100-", 100, size - 1), ("bytes=0-99", 0, 99),
                               ("bytes=-50", size - 50, size - 1),
                               (f"bytes=10-{size + 5}", 10, size - 1)]:
        resp = client.get(url, headers={"Range": header})
        assert resp.status_code == 206, header
        assert resp.headers["content-range"] == f"bytes {start}-{end}/{size}"
        assert resp.content == data[start:end + 1]
    bad = client.get(url, headers={"Range": f"bytes={size}-"})
    assert bad.status_code == 416 and bad.headers["content-range"] == f"bytes */{size}"
    assert "<Code>InvalidRange</Code>" in bad.text


def test_a_cut_download_resumes_with_range(client, fake, root):
    url = _url(client)
    data = (root / A / "papers" / "part-00000.jsonl.gz").read_bytes()
    fake.inject(None, truncate=1000, path_contains="/s3/")
    got = bytearray()
    with client.stream("GET", url) as resp:
        assert resp.status_code == 200
        with pytest.raises(httpx.RemoteProtocolError):
            _read_into(resp, got)
    assert len(got) == 1000
    rest = client.get(url, headers={"Range": f"bytes={len(got)}-"})
    assert rest.status_code == 206
    assert bytes(got) + rest.content == data
    assert gzip.decompress(bytes(got) + rest.content).count(b"\n") > 100


def _read_into(resp: httpx.Response, buffer: bytearray) -> None:
    for chunk in resp.iter_bytes():
        buffer += chunk


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_diff_chain_turns_the_first_release_into_the_latest(client, dataset):
    chain = _links(client, f"/datasets/v1/diffs/{A}/to/latest/{dataset}")
    assert (chain["dataset"], chain["start_release"], chain["end_release"]) == (dataset, A, C)
    assert [(d["from_release"], d["to_release"]) for d in chain["diffs"]] == [(A, B), (B, C)]
    first = _links(client, f"/datasets/v1/release/{A}/dataset/{dataset}")["files"]
    table = {record_key(dataset, r): r for r in _records(client, first)}
    for diff in chain["diffs"]:
        assert diff["update_files"] and diff["delete_files"]
        for record in _records(client, diff["update_files"]):
            table[record_key(dataset, record)] = record
        for record in _records(client, diff["delete_files"]):
            table.pop(record_key(dataset, record))
    last = _links(client, f"/datasets/v1/release/{C}/dataset/{dataset}")["files"]
    assert table == {record_key(dataset, r): r for r in _records(client, last)}


def test_the_diff_chain_edges(client):
    same = _links(client, f"/datasets/v1/diffs/{B}/to/{B}/papers")
    assert same["diffs"] == []
    one = _links(client, f"/datasets/v1/diffs/{B}/to/{C}/papers")
    assert [(d["from_release"], d["to_release"]) for d in one["diffs"]] == [(B, C)]
    backwards = client.get(f"/datasets/v1/diffs/{C}/to/{A}/papers", headers={"x-api-key": KEY})
    assert backwards.status_code == 400 and "error" in backwards.json()


def test_any_key_when_the_fake_was_given_none(root):
    with FakeS2(datasets=root) as fake, httpx.Client(base_url=fake.url) as http:
        path = f"/datasets/v1/release/{A}/dataset/papers"
        assert http.get(path).status_code == 403
        assert http.get(path, headers={"x-api-key": "anything"}).status_code == 200


def test_the_fake_s2_still_answers_the_graph_api(root):
    with FakeS2(CORPUS, datasets=root) as fake, httpx.Client(base_url=fake.url) as http:
        resp = http.get("/graph/v1/paper/CorpusId:269785218", params={"fields": "title"})
        assert resp.json()["title"].startswith("XAI Human-Machine")
        assert http.get("/datasets/v1/release/").json() == [A, B, C]


def test_the_command_refuses_a_missing_folder(tmp_path, capsys):
    assert fake_main(["--datasets", str(tmp_path / "nope"), "--port", "0"]) == 1
    assert capsys.readouterr().err.count("\n") == 1

