"""The user's library as an input, against the fake Zotero and the fake S2 on 127.0.0.1:
a collection as seeds, the in-library flags, what the library is missing, and failures that
store nothing."""

from __future__ import annotations

import csv
import json
import re

import pytest

from explorer.errors import ServiceError
from explorer.fake_s2.corpus import read_records
from explorer.fake_s2.zotero import SAMPLE_LIBRARY, FakeZotero
from explorer.seeds.library import from_csl_json, from_zotero, parse_library_file
from explorer.sources.s2 import S2Client
from explorer.sources.zotero import ZoteroClient
from explorer.store import LibraryRow, Store
from explorer.tasks.library import citekeys, in_library, read_zotero, sync_library
from tests.conftest import cli_env
from tests.inproc import run_main

GPT3 = "640654714765473f52ac3d80aa8e85ef11f79fd3"
INSTRUCT = "e91a4bb90b7be7e1d32d9c63440e9a24c9c9ec28"
COT = "c2aefb60301b59f6bb44fbb5a877fb6277e2a541"
LLAMA = "57e849d0de13ed5f91d086936296721d4ff75a75"
BERT = "340796c8308a8852b207e932c4abf7450b1c284c"
TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
RESNET = "6d7166202d8b842cec4477b6ba49d1ba44708513"
LLM_COLLECTION = {GPT3, INSTRUCT, COT, LLAMA}
LIBRARY = LLM_COLLECTION | {BERT, TURING, RESNET}
"""The papers planted in data/zotero-sample/library.json (NOTINS2A is unknown to S2)."""


@pytest.fixture
def run(fake, zotero, tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("ZOTERO_API_URL", zotero.api_url)
    env = cli_env(fake, tmp_path / "db.sqlite")
    return lambda *args: run_main(list(args), env, monkeypatch, capfd)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def sample_library():
    data = json.loads(SAMPLE_LIBRARY.read_text(encoding="utf-8"))
    return from_zotero(data["items"], data["collections"])


def test_zotero_items_become_works_with_seeds_and_citekeys():
    works = {w.key: w for w in sample_library().items}
    assert "NOTEGPT3" not in works and "PDFLLAMA" not in works  # child items are no works
    assert works["GPT3AAAA"].seed.value == "ARXIV:2005.14165"  # from its arXiv URL
    assert works["COTPROMP"].seed.value == "ARXIV:2201.11903"  # from "arXiv:" in extra
    assert works["LLAMAAAA"].seed.value == "ARXIV:2302.13971"  # from its arXiv DOI
    assert works["TURING50"].seed.value == "DOI:10.1093/mind/lix.236.433"
    assert works["INSTRUCT"].seed.kind == "title"
    assert works["RESNETAA"].seed.value == "ARXIV:1512.03385"  # from a PDF URL
    assert works["COTPROMP"].citekey == "wei2022chain"  # "Citation Key:" in extra
    assert works["LLAMAAAA"].citekey == "touvron2023llama"  # Zotero's citationKey field
    assert works["TURING50"].collections == ("BACKGRN3", "HISTORY4")


def test_a_better_bibtex_csl_json_export_is_a_library():
    text = json.dumps([
        {"id": "turing1950computing", "citation-key": "turing1950computing", "type":
         "article-journal", "title": "Computing Machinery and Intelligence",
         "DOI": "10.1093/mind/LIX.236.433"},
        {"id": "wei2022chain", "type": "paper-conference", "title": "Chain-of-Thought "
         "Prompting Elicits Reasoning in Large Language Models", "note": "arXiv: 2201.11903"},
    ])
    lib = from_csl_json(text, "My Library.json")
    assert [(w.citekey, w.seed.value) for w in lib.items] == [
        ("turing1950computing", "DOI:10.1093/mind/lix.236.433"),
        ("wei2022chain", "ARXIV:2201.11903")]
    bib = parse_library_file(b"@article{turing50, title={Computing Machinery and Intelligence},"
                             b" doi={10.1093/mind/LIX.236.433}}\n"
                             b"@online{wei2022chain, title={Chain-of-Thought Prompting},"
                             b" eprinttype={arxiv}, eprint={2201.11903}}\n", "refs.bib")
    assert [(w.citekey, w.seed.value) for w in bib.items] == [
        ("turing50", "DOI:10.1093/mind/lix.236.433"), ("wei2022chain", "ARXIV:2201.11903")]


def test_sync_resolves_the_planted_papers_in_one_batch_and_one_title_match(fake, zotero):
    store = Store(":memory:")
    library = read_zotero(ZoteroClient(zotero.api_url))
    client = S2Client(fake.url, min_interval=0, backoff=0.01)
    synced = sync_library(library, store, client)
    assert in_library(store) == LIBRARY
    assert [r.item_key for r in synced.not_found] == ["NOTINS2A"]
    assert "unknown paper" in synced.not_found[0].problem
    paths = [r.path for r in fake.requests]
    assert paths.count("/graph/v1/paper/batch") == 1
    assert paths.count("/graph/v1/paper/search/match") == 1  # InstructGPT, by title only
    assert citekeys(store)[COT] == "wei2022chain"
    assert citekeys(store)[TURING] == "turing1950computing"
    assert citekeys(store)[RESNET] == "he2016deep"  # Better BibTeX's, not in the item

    fake.reset()
    sync_library(library, store, client)  # store hits, but S2 may know NOTINS2A by now
    assert [(r.path, json.loads(r.body)) for r in fake.requests] == [
        ("/graph/v1/paper/batch", {"ids": ["DOI:10.5555/explorer.not-in-s2"]})]
    assert in_library(store) == LIBRARY


def test_a_collection_as_seeds_flags_the_library_and_lists_what_it_misses(run, corpus,
                                                                         tmp_path):
    out = tmp_path / "ranked.csv"
    res = run("explore", "--zotero", "LLM papers", "--depth", "1", "--missing",
              "--csv", str(out), "--top", "400")
    assert res.returncode == 0, res.stderr
    rows = read_csv(out)
    assert {r["paper_id"] for r in rows if r["relation"] == "seed"} == LLM_COLLECTION
    flagged = {r["paper_id"] for r in rows if r["in_library"] == "yes"}
    assert flagged == LIBRARY & {r["paper_id"] for r in rows}
    assert flagged == LIBRARY - {RESNET}  # ResNet is in the library, not around the seeds
    assert all(r["reasons"].startswith("in your Zotero library") for r in rows
               if r["paper_id"] in flagged)
    assert not any("in your Zotero library" in r["reasons"] for r in rows
                   if r["paper_id"] not in flagged)

    edges = [(e["citingPaperId"], e["citedPaperId"])
             for e in read_records(corpus, "citations.jsonl")]
    explored = {r["paper_id"] for r in rows}
    missing = res.stdout.split("What your library is missing:", 1)[1]
    shown = re.findall(r"cited by (\d+) papers? in your library", missing)
    assert len(shown) >= 10
    rows_shown = [re.match(r"\s*\d+  (.*?)\s{2,}", line) for line in missing.splitlines()]
    lines = {m.group(1): m.string for m in rows_shown if m}
    checked = 0
    for r in rows[:60]:
        pid, title = r["paper_id"], r["title"][:40]
        cited_by = sum(1 for a, b in edges if b == pid and a in LIBRARY and a in explored)
        cites = sum(1 for a, b in edges if a == pid and b in LIBRARY and b in explored)
        listed = [line for shown_title, line in lines.items() if shown_title.startswith(title)]
        if pid in flagged or not (cited_by or cites):
            assert not listed, title
            continue
        assert len(listed) == 1, title
        checked += 1
        if cited_by:
            plural = "s" if cited_by != 1 else ""
            assert f"cited by {cited_by} paper{plural} in your library" in listed[0]
        if cites:
            assert f"cites {cites} paper{'s' if cites != 1 else ''} in your library" in listed[0]
    assert checked >= 10


def test_library_missing_replays_the_last_exploration_from_the_store(run, fake, tmp_path):
    assert run("explore", "--zotero", "LLM papers", "--depth", "1").returncode == 0
    fake.reset()
    out = tmp_path / "missing.json"
    res = run("library", "missing", "--json", str(out))
    assert res.returncode == 0, res.stderr
    assert fake.count() == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    assert records and not {r["paper_id"] for r in records} & LIBRARY
    assert all(re.match(r"(cited by|cites) \d+ papers? in your library", r["reasons"][0])
               for r in records)


def test_a_plain_exploration_flags_the_synced_library(run, tmp_path):
    assert run("library", "sync").returncode == 0
    out = tmp_path / "ranked.json"
    res = run("explore", GPT3, "--depth", "1", "--json", str(out))
    assert res.returncode == 0, res.stderr
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {r["paper_id"] for r in records if r["in_library"]} == LIBRARY & {
        r["paper_id"] for r in records}
    assert "[lib] Language Models are Few-Shot Learners" in res.stdout


def test_a_disabled_local_api_is_one_line_and_stores_nothing(run, zotero, fake, tmp_path):
    zotero.enabled = False
    res = run("explore", "--zotero", "LLM papers")
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0
    assert "Allow other applications on this computer to communicate with Zotero" in res.stderr
    assert fake.count() == 0
    store = Store(tmp_path / "db.sqlite")
    assert store.library_source() is None and store.count_papers() == 0


def test_zotero_not_running_is_one_line_and_keeps_the_last_snapshot(run, zotero, fake,
                                                                    tmp_path):
    assert run("library", "sync").returncode == 0
    zotero.stop()
    fake.reset()
    res = run("library", "sync")
    assert res.returncode == 2
    assert res.stderr.startswith("error: cannot reach Zotero at ")
    assert "is Zotero running?" in res.stderr and res.stderr.strip().count("\n") == 0
    assert fake.count() == 0
    assert in_library(Store(tmp_path / "db.sqlite")) == LIBRARY


def test_an_unknown_collection_names_those_there_are(run):
    res = run("explore", "--zotero", "No such shelf")
    assert res.returncode == 1
    assert "'LLM papers'" in res.stderr and "'Background'" in res.stderr


def test_a_collection_offline_comes_from_the_snapshot(run, zotero, fake):
    assert run("explore", "--zotero", "LLM papers", "--depth", "1").returncode == 0
    zotero.stop()
    fake.reset()
    res = run("explore", "--zotero", "llm papers", "--depth", "1", "--offline")
    assert res.returncode == 0, res.stderr
    assert fake.count() == 0 and "[lib] LLaMA" in res.stdout


def test_a_library_file_is_the_seeds_and_the_library(run, tmp_path):
    path = tmp_path / "My Library.json"
    path.write_text(json.dumps([
        {"id": "brown2020language", "title": "Language Models are Few-Shot Learners",
         "URL": "https://arxiv.org/abs/2005.14165"},
        {"id": "devlin2019bert", "title": "BERT", "DOI": "10.48550/arXiv.1810.04805"},
    ]), encoding="utf-8")
    out = tmp_path / "ranked.csv"
    res = run("explore", "--library", str(path), "--depth", "1", "--csv", str(out))
    assert res.returncode == 0, res.stderr
    rows = read_csv(out)
    assert {r["paper_id"] for r in rows if r["relation"] == "seed"} == {GPT3, BERT}
    assert {r["paper_id"] for r in rows if r["in_library"] == "yes"} == {GPT3, BERT}
    assert "in your library (My Library.json)" in rows[0]["reasons"]


def test_a_malformed_library_file_is_one_line_naming_it(run, tmp_path, fake):
    path = tmp_path / "lib.json"
    path.write_text('[{"id": "a", "title": "x"', encoding="utf-8")
    res = run("library", "sync", "--file", str(path))
    assert res.returncode == 1
    assert res.stderr.startswith("error: lib.json line 1: not JSON")
    assert fake.count() == 0


def test_without_better_bibtex_the_keys_come_from_the_items(fake):
    data = json.loads(SAMPLE_LIBRARY.read_text(encoding="utf-8"))
    del data["better_bibtex"]
    with FakeZotero(data) as plain:
        zotero = ZoteroClient(plain.api_url)
        library = read_zotero(zotero)
        assert [r.status for r in plain.requests if r.method == "POST"] == [404]
    keys = {w.key: w.citekey for w in library.items}
    assert keys["RESNETAA"] is None and keys["COTPROMP"] == "wei2022chain"
    assert keys["LLAMAAAA"] == "touvron2023llama"


def test_titles_past_the_cap_wait_for_the_next_sync(fake, zotero, monkeypatch):
    monkeypatch.setattr("explorer.tasks.library.MAX_TITLE_LOOKUPS", 0)
    store = Store(":memory:")
    library = read_zotero(ZoteroClient(zotero.api_url))
    synced = sync_library(library, store, S2Client(fake.url, min_interval=0, backoff=0.01))
    assert fake.count("/graph/v1/paper/search") == 0
    [later] = [r for r in synced.not_found if r.item_key == "INSTRUCT"]
    assert "sync again for the next ones" in later.problem
    assert in_library(store) == LIBRARY - {INSTRUCT}


def test_a_library_with_another_seed_list_is_refused_before_any_request(run, zotero, fake):
    res = run("explore", "--zotero", "LLM papers", "--bib", "refs.bib")
    assert res.returncode == 1 and "give no --survey, --bib or --ris" in res.stderr
    assert zotero.count() == 0 and fake.count() == 0


def test_semantic_scholar_failing_mid_sync_keeps_the_previous_snapshot(fake, zotero):
    store = Store(":memory:")
    store.put_library("zotero", [LibraryRow("OLD1", GPT3, "old", "Old")], {})
    library = read_zotero(ZoteroClient(zotero.api_url))
    fake.inject(500, times=None, path_contains="/paper/batch")
    with pytest.raises(ServiceError):
        sync_library(library, store, S2Client(fake.url, min_interval=0, max_retries=0))
    assert store.library_rows() == [LibraryRow("OLD1", GPT3, "old", "Old")]
