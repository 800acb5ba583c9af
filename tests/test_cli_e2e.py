"""End to end: the `explorer` command in a subprocess against the fake S2 on 127.0.0.1."""

from __future__ import annotations

import csv
import math
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from explorer.exports.table import CSV_COLUMNS
from explorer.fake_s2.corpus import read_records
from explorer.store import Store
from tests.conftest import cli_env, run_cli

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"


def corpus_edges(corpus):
    return list(read_records(corpus, "citations.jsonl"))


def requests_printed(stdout: str) -> int:
    return int(re.search(r"(\d+) requests", stdout).group(1))


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_transformer_depth1_lists_every_neighbour_with_reasons(fake, corpus, tmp_path):
    edges = corpus_edges(corpus)
    refs = {e["citedPaperId"] for e in edges if e["citingPaperId"] == TRANSFORMER}
    cits = {e["citingPaperId"] for e in edges if e["citedPaperId"] == TRANSFORMER}
    assert (len(refs), len(cits)) == (40, 9)
    env = cli_env(fake, tmp_path / "db.sqlite")
    out = tmp_path / "out.csv"
    first = run_cli(["explore", "ARXIV:1706.03762", "--depth", "1", "--csv", str(out)], env)
    assert first.returncode == 0, first.stderr
    bound = 1 + math.ceil(len(refs) / 1000) + math.ceil(min(len(cits), 9999) / 1000)
    assert requests_printed(first.stdout) <= bound
    assert fake.count() == requests_printed(first.stdout)
    rows = read_csv(out)
    assert list(rows[0]) == list(CSV_COLUMNS)
    by_relation: dict[str, set[str]] = {}
    for r in rows:
        by_relation.setdefault(r["relation"], set()).add(r["paper_id"])
        assert r["reasons"], r
    assert by_relation["seed"] == {TRANSFORMER}
    assert by_relation.get("reference", set()) | by_relation.get("reference+citation", set()) \
        == refs
    assert by_relation.get("citation", set()) | by_relation.get("reference+citation", set()) \
        == cits
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))

    fake.reset()
    again = run_cli(["explore", "1706.03762v5", "--depth", "1", "--csv", str(out)], env)
    assert again.returncode == 0, again.stderr
    assert requests_printed(again.stdout) == 0 and fake.count() == 0
    assert read_csv(out) == rows


def test_turing_pages_all_1000_citers_in_pages_of_1000(fake, corpus, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    out = tmp_path / "t.csv"
    res = run_cli(["explore", "DOI:10.1093/mind/LIX.236.433", "--csv", str(out)], env)
    assert res.returncode == 0, res.stderr
    pages = [r for r in fake.requests if r.path.endswith("/citations")]
    assert len(pages) == 1 and pages[0].query["limit"] == "1000"
    rows = read_csv(out)
    # 1,000 citer records, 999 works: the two versions of "Proof in the time of machines"
    # are one row, which lists the other record
    citers = [r for r in rows if r["relation"] in ("citation", "reference+citation")]
    assert len(citers) + sum(len(r["versions"].split("; ")) for r in citers
                             if r["versions"]) == 1000
    assert len(citers) == 999


def test_depth2_adds_at_most_two_batches_per_500_neighbours(fake, corpus, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    res = run_cli(["explore", "ARXIV:1706.03762", "--depth", "2"], env)
    assert res.returncode == 0, res.stderr
    # 49 first-order neighbours: one batch for the seed, two pages, one batch for the
    # neighbours' references and one for their citers.
    assert requests_printed(res.stdout) <= 3 + 2
    assert "second-order" in open_csv_relations(env, tmp_path)
    fake.reset()
    again = run_cli(["explore", "ARXIV:1706.03762", "--depth", "2"], env)
    assert requests_printed(again.stdout) == 0 and fake.count() == 0


def open_csv_relations(env, tmp_path) -> set[str]:
    out = tmp_path / "d2.csv"
    res = run_cli(["explore", "ARXIV:1706.03762", "--depth", "2", "--offline", "--csv",
                   str(out)], env)
    assert res.returncode == 0, res.stderr
    return {r["relation"] for r in read_csv(out)}


def test_429_429_200_and_503_never_stored_empty(fake, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    fake.inject(429, times=2)
    res = run_cli(["explore", "ARXIV:1706.03762"], env)
    assert res.returncode == 0, res.stderr
    fake.inject(503, times=2, path_contains="/paper/batch")
    res = run_cli(["explore", "ARXIV:1810.04805", "--direction", "references"], env)
    assert res.returncode == 0, res.stderr
    fake.inject(503, times=100)
    res = run_cli(["explore", "ARXIV:2302.13971"], env)
    assert res.returncode == 2
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "503" in errors[0] and "Traceback" not in res.stderr
    store = Store(tmp_path / "db.sqlite")
    llama = store.resolve("ARXIV:2302.13971")  # known as a citer of the Transformer
    assert llama and not store.done(llama, "paper")
    every = [r[0] for r in store._query("SELECT paper_id FROM papers")]
    assert every and all(p.title for p in store.papers(every).values())


def test_sigkill_mid_walk_refetches_at_most_one_page(fake, tmp_path):
    hub = "b" * 40
    fake.add_paper({"paperId": hub, "title": "A hub paper", "year": 2015,
                    "externalIds": {"DOI": "10.5555/hub"}, "authors": []})
    for i in range(4500):
        pid = f"{i:040x}"
        fake.add_paper({"paperId": pid, "title": f"Citer number {i}", "year": 2020,
                        "externalIds": {}, "authors": [{"authorId": None, "name": "A B"}]})
        fake.add_edge({"citingPaperId": pid, "citedPaperId": hub, "isInfluential": i % 7 == 0,
                       "contexts": [], "intents": []})
    db = tmp_path / "db.sqlite"
    env = cli_env(fake, db)
    fake.inject(200, delay=0.4, times=100, path_contains="/citations")
    proc = subprocess.Popen([sys.executable, "-m", "explorer", "explore", "DOI:10.5555/hub",
                             "--direction", "citations"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    store = Store(db)
    deadline = time.monotonic() + 60
    while store.fetch_state(hub, "citations")[0] < 2000 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    before = [r.query.get("offset") for r in fake.requests if r.path.endswith("/citations")]
    assert store.integrity_ok()
    fake.reset()
    res = run_cli(["explore", "DOI:10.5555/hub", "--direction", "citations"], env)
    assert res.returncode == 0, res.stderr
    after = [r.query.get("offset") for r in fake.requests if r.path.endswith("/citations")]
    refetched = set(before) & set(after)
    assert len(refetched) <= 1, (before, after)
    assert len(Store(db).citations_of(hub)) == 4500


MALFORMED = [
    "", "   ", "abc", "1706.999999", "1706.0376", "arXiv:abc", "10.1234", "doi:", "12345",
    "a" * 5000, "CorpusId:", "CorpusId:abc", "https://arxiv.org/abs/", "0" * 39, "f" * 41,
    "https://doi.org/", "\x01\x02", "...", "hep-th/99", "ARXIV:1706.03762.1",
]


@pytest.mark.parametrize("seed", MALFORMED)
def test_malformed_seeds_give_one_line_and_exit_1(fake, tmp_path, seed):
    res = run_cli(["explore", seed], cli_env(fake, tmp_path / "db.sqlite"), timeout=30)
    assert res.returncode == 1, (seed, res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), res.stderr
    assert "Traceback" not in res.stderr and len(lines[0]) < 400
    assert fake.count() == 0


def test_unknown_paper_and_offline_miss(fake, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    res = run_cli(["explore", "10.9999/nothing.here"], env)
    assert res.returncode == 1 and "unknown paper" in res.stderr
    res = run_cli(["explore", "ARXIV:1706.03762", "--offline"], env)
    assert res.returncode == 1 and "not in the store" in res.stderr
    assert fake.count() == 1


def test_budget_stops_cleanly_and_rerun_completes(fake, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    res = run_cli(["explore", "ARXIV:1706.03762", "--depth", "1", "--max-requests", "2"], env)
    assert res.returncode == 0, res.stderr
    assert "budget" in res.stderr and "(partial)" in res.stdout
    assert requests_printed(res.stdout) == 2
    res = run_cli(["explore", "ARXIV:1706.03762", "--depth", "1"], env)
    assert requests_printed(res.stdout) == 1


def test_show_from_store_and_help_has_examples(fake, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    res = run_cli(["show", "https://arxiv.org/abs/1706.03762v5"], env)
    assert res.returncode == 0 and "Attention Is All You Need" in res.stdout
    fake.reset()
    res = run_cli(["show", "1706.03762", "--offline"], env)
    assert res.returncode == 0 and fake.count() == 0
    for command in ("explore", "show"):
        res = run_cli([command, "--help"], env)
        assert res.returncode == 0 and "example" in res.stdout and "explorer " in res.stdout


def test_offline_says_plainly_what_is_missing(fake, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    assert run_cli(["explore", "1706.03762", "--direction", "references"], env).returncode == 0
    fake.reset()
    res = run_cli(["explore", "1706.03762", "--offline"], env)
    assert res.returncode == 0 and fake.count() == 0
    assert "(partial)" in res.stdout
    assert "lacks the citations of 'Attention Is All You Need'" in res.stderr
    assert "Layer normalization" in res.stdout or "references" in res.stdout


def test_an_empty_output_name_is_an_error_not_a_silent_skip(fake, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    res = run_cli(["explore", "1706.03762", "--csv", ""], env)
    assert res.returncode == 1 and "give a file name" in res.stderr
    res = run_cli(["cites", "1706.03762", "--json", str(tmp_path / "no" / "such.json")], env)
    assert res.returncode == 1 and "no folder" in res.stderr
    assert fake.count() == 0  # refused before any request
