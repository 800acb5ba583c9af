"""Under fire: the explorer against a fake Semantic Scholar that misbehaves on purpose.

Every test injects a fault the real service is known to produce (429 bursts, 5xx, a hang past
the timeout, malformed or truncated JSON, dropped connections, ``null`` paper ids, empty pages
past offset 1000, 403 for a bad key), runs the real ``explorer`` command in a subprocess, and
checks what a user would see: results (marked partial when incomplete) or one ``error:`` line,
never a traceback; a store with no empty or half-written record; and a rerun that completes
what the fault left missing. Run alone with ``pytest -m faults``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from explorer.errors import ServiceError
from explorer.fake_s2 import FakeS2
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks import explore as pipeline
from explorer.tasks.explore import Exploration, ExploreOptions
from tests.conftest import cli_env, run_cli

pytestmark = pytest.mark.faults

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
SEED = "ARXIV:1706.03762"  # 40 references and 9 citations in the corpus
FAST = {"EXPLORER_MAX_RETRIES": "3", "EXPLORER_BACKOFF": "0.01", "EXPLORER_TIMEOUT": "1"}


def explore(fake: FakeS2, db: Path, *args: str, timeout: float = 60, **env: str
            ) -> subprocess.CompletedProcess[str]:
    return run_cli(["explore", *args], cli_env(fake, db, **{**FAST, **env}), timeout=timeout)


def lib_explore(fake: FakeS2, db: Path, seed: str = SEED, *, depth: int = 1,
                direction: str = "both", retries: int = 3) -> Exploration:
    """The library path the app uses: only an ExplorerError may escape."""
    client = S2Client(fake.url, min_interval=0, backoff=0.01, max_retries=retries, timeout=1)
    store = Store(db)
    try:
        return pipeline.explore([seed], ExploreOptions(depth, direction), store=store,
                                client=client)
    finally:
        client.close()
        store.close()


def summary(res: subprocess.CompletedProcess[str]) -> re.Match[str]:
    m = re.search(r"(\d+) papers, (\d+) edges( \(partial\))? · (\d+) requests", res.stdout)
    assert m, (res.stdout, res.stderr)
    return m


def assert_clean_exit(res: subprocess.CompletedProcess[str], code: int | None = None) -> None:
    """No traceback; a failure is exactly one ``error:`` line."""
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout, res.stderr
    if code is not None:
        assert res.returncode == code, (res.returncode, res.stdout, res.stderr)
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    if res.returncode == 0:
        assert not errors, res.stderr
    else:
        assert len(errors) == 1 and len(errors[0]) < 400, res.stderr


def corpus_edges(fake: FakeS2, paper_id: str, kind: str) -> set[tuple[str, str]]:
    """The edges S2 serves for a paper's citations or references (non-null ids only)."""
    edges = (fake.corpus.citations_of(paper_id) if kind == "citations"
             else fake.corpus.references_of(paper_id))
    return {(e["citingPaperId"], e["citedPaperId"]) for e in edges
            if e.get("citingPaperId") and e.get("citedPaperId")}


def assert_store_sound(db: Path, fake: FakeS2) -> None:
    """Integrity, no untitled paper, and every fetch marker agrees with the stored edges."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for pid, data in con.execute("SELECT paper_id, data FROM papers"):
            raw = json.loads(data)
            assert raw.get("paperId") == pid and (raw.get("title") or "").strip(), raw
        stored = set(con.execute("SELECT citing, cited FROM edges"))
        known = {r[0] for r in con.execute("SELECT paper_id FROM papers")}
        assert {p for e in stored for p in e} <= known, "an edge to a paper never stored"
        for pid, kind, nxt, done in con.execute(
            "SELECT paper_id, kind, next_offset, done FROM fetches"
        ):
            assert pid in known, (pid, kind)
            if kind == "paper":
                assert done
                continue
            if kind not in ("citations", "references"):  # e.g. citers embedded in a batch
                continue
            mine = {e for e in stored if (e[1] if kind == "citations" else e[0]) == pid}
            served = corpus_edges(fake, pid, kind)
            assert mine <= served, (pid, kind)
            if done:
                assert mine == served, (pid, kind, len(mine), len(served))
            else:
                assert nxt % 1000 == 0 and len(mine) <= nxt, (pid, kind, nxt, len(mine))
    finally:
        con.close()


def assert_complete(db: Path, fake: FakeS2, paper_id: str = TRANSFORMER) -> None:
    store = Store(db)
    try:
        for kind in ("references", "citations"):
            assert store.done(paper_id, kind), kind
        assert {(paper_id, c) for c in store.references_of(paper_id)} == \
            corpus_edges(fake, paper_id, "references")
        assert {(c, paper_id) for c in store.citations_of(paper_id)} == \
            corpus_edges(fake, paper_id, "citations")
    finally:
        store.close()
    assert_store_sound(db, fake)


def statuses(fake: FakeS2) -> list[int]:
    return [r.status for r in fake.requests if r.path.startswith("/graph/")]


# transient faults: retried, and the exploration completes


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_burst_of_transient_errors_is_retried_to_completion(fake, tmp_path, status):
    fake.inject(status, times=3)
    result = lib_explore(fake, tmp_path / "db.sqlite")
    assert not result.partial and result.graph.number_of_edges() == 49
    assert statuses(fake)[:3] == [status] * 3
    assert_complete(tmp_path / "db.sqlite", fake)


def test_429_on_every_page_in_turn_still_completes(fake, tmp_path):
    # Two 429s before each of the seed lookup and both pages: each request is retried alone.
    for where in ("/paper/batch", "/references", "/citations"):
        fake.inject(429, times=2, path_contains=where)
    res = explore(fake, tmp_path / "db.sqlite", SEED, "--depth", "1")
    assert_clean_exit(res, 0)
    assert statuses(fake).count(429) == 6 and statuses(fake).count(200) == 3
    assert_complete(tmp_path / "db.sqlite", fake)


def test_retry_after_is_honoured_over_a_long_backoff(fake, tmp_path):
    # With Retry-After: 0 the client must not sleep its (here absurd) 100 s backoff.
    fake.inject(429, times=3, headers={"Retry-After": "0"})
    res = explore(fake, tmp_path / "db.sqlite", SEED, timeout=40, EXPLORER_BACKOFF="100")
    assert_clean_exit(res, 0)
    assert_complete(tmp_path / "db.sqlite", fake)


def test_rate_limited_server_is_outlasted_without_losing_pages(fake, tmp_path):
    # As S2 does with a key: 1 request a second, 429 beyond. Spacing is off, backoff short.
    fake.set_rate_limit(1)
    res = explore(fake, tmp_path / "db.sqlite", SEED, "--depth", "2",
                  EXPLORER_MAX_RETRIES="8", EXPLORER_BACKOFF="0.3")
    assert_clean_exit(res, 0)
    # seed batch, two pages, a batch of the neighbours' references and one of their citers
    assert statuses(fake).count(200) == 5
    assert_complete(tmp_path / "db.sqlite", fake)


@pytest.mark.parametrize("fault", [
    {"status": None, "delay": 2.5},  # hangs past the 1 s timeout
    {"status": 200, "raw": b'{"offset": 0, "data": [{"citedPaper": {"paperId": '},
    {"status": 200, "raw": b'{"offset": 0, "next": 1000, "data": []}' * 3, "truncate": 17},
    {"status": None, "disconnect": True},
    {"status": 200, "raw": b"<html><body>upstream error</body></html>"},
], ids=["hang", "malformed-json", "truncated", "disconnect", "html-200"])
def test_broken_answer_once_is_retried(fake, tmp_path, fault):
    fake.inject(path_contains="/references", times=1, **fault)
    result = lib_explore(fake, tmp_path / "db.sqlite")
    assert not result.partial and result.graph.number_of_edges() == 49
    assert len([r for r in fake.requests if r.path.endswith("/references")]) == 2
    assert_complete(tmp_path / "db.sqlite", fake)


# persistent faults: partial results or one error line, and a rerun completes


@pytest.mark.parametrize("fault", [
    {"status": 503},
    {"status": 429},
    {"status": None, "delay": 2.5},
    {"status": 200, "raw": b'{"data": ['},
    {"status": None, "disconnect": True},
    {"status": 200, "body": {"offset": 0, "data": "not a list", "next": 1000}},
    {"status": 200, "body": {"offset": "x", "next": "y",
                             "data": [{"citingPaper": {"paperId": "f" * 40, "title": "T"}}]}},
    {"status": 200, "body": {"offset": 0, "data": ["junk", 7, None,
                                                    {"citingPaper": "not an object"}]}},
    {"status": 200, "body": [1, 2, 3]},
], ids=["503", "429", "hang", "malformed", "disconnect", "data-not-list", "bad-offsets",
        "junk-items", "list-body"])
def test_persistent_fault_mid_walk_gives_partial_results_then_rerun_completes(
    fake, tmp_path, fault
):
    db = tmp_path / "db.sqlite"
    fake.inject(path_contains="/citations", times=None, **fault)
    result = lib_explore(fake, db, retries=1)
    assert result.partial and isinstance(result.report.error, ServiceError)
    assert "\n" not in str(result.report.error)
    assert result.graph.number_of_edges() == 40  # the references arrived
    store = Store(db)
    assert not store.done(TRANSFORMER, "citations") and not store.citations_of(TRANSFORMER)
    store.close()
    assert_store_sound(db, fake)
    fake.clear_faults()
    fake.reset()
    again = lib_explore(fake, db)
    assert [r.path.rsplit("/", 1)[-1] for r in fake.requests] == ["citations"]
    assert not again.partial and again.graph.number_of_edges() == 49
    assert_complete(db, fake)


def test_persistent_503_on_the_command_line_is_partial_with_one_error_line(fake, tmp_path):
    db = tmp_path / "db.sqlite"
    fake.inject(503, path_contains="/citations", times=None)
    res = explore(fake, db, SEED, "--depth", "1")
    assert_clean_exit(res, 2)
    m = summary(res)
    assert m.group(3) == " (partial)" and int(m.group(2)) == 40
    assert "503" in res.stderr and "run again" in res.stderr
    assert_store_sound(db, fake)
    fake.clear_faults()
    again = explore(fake, db, SEED, "--depth", "1")
    assert_clean_exit(again, 0)
    assert not summary(again).group(3) and int(summary(again).group(2)) == 49
    assert_complete(db, fake)


def test_seed_lookup_failing_for_good_is_one_line_and_stores_nothing(fake, tmp_path):
    db = tmp_path / "db.sqlite"
    fake.inject(502, times=None)
    res = explore(fake, db, SEED, EXPLORER_MAX_RETRIES="1")
    assert_clean_exit(res, 2)
    assert "502" in res.stderr and not res.stdout.strip()
    assert_store_sound(db, fake)
    assert Store(db).count_papers() == 0


def test_malformed_batch_answer_is_one_line(fake, tmp_path):
    fake.inject(200, body={"data": []}, times=None, path_contains="/paper/batch")
    res = explore(fake, tmp_path / "db.sqlite", SEED)
    assert_clean_exit(res, 2)
    assert "malformed" in res.stderr
    assert_store_sound(tmp_path / "db.sqlite", fake)


def test_depth2_neighbour_batch_failing_keeps_depth1_and_rerun_fetches_only_it(fake, tmp_path):
    db = tmp_path / "db.sqlite"
    fake.inject(200, raw=b"[null, {", times=None, path_contains="references.paperId")
    res = explore(fake, db, SEED, "--depth", "2")
    assert_clean_exit(res, 2)
    assert summary(res).group(3) == " (partial)" and int(summary(res).group(2)) >= 49
    assert_store_sound(db, fake)
    fake.clear_faults()
    fake.reset()
    again = explore(fake, db, SEED, "--depth", "2")
    assert_clean_exit(again, 0)
    # the references batch that failed, then the neighbours' citers it never reached
    assert len(fake.requests) == 2 and all(r.path.endswith("/paper/batch") for r in fake.requests)
    assert_store_sound(db, fake)


# S2's odd-but-valid answers


def _citers(fake: FakeS2, hub: str, n: int, *, unresolved: int = 0) -> None:
    fake.add_paper({"paperId": hub, "title": "A much cited paper", "year": 2010,
                    "externalIds": {"DOI": f"10.5555/{hub[:8]}"}, "authors": []})
    for i in range(n):
        pid = f"{hub[:8]}{i:032x}"
        fake.add_paper({"paperId": pid, "title": f"Citer {i}", "year": 2020,
                        "externalIds": {}, "authors": [{"authorId": None, "name": "A B"}]})
        fake.add_edge({"citingPaperId": pid, "citedPaperId": hub, "isInfluential": False,
                       "contexts": [], "intents": []})
    for i in range(unresolved):
        fake.add_edge({"citingPaperId": None, "citedPaperId": hub, "isInfluential": None,
                       "contexts": ["an unresolved citer"], "intents": [],
                       "citingPaper": {"paperId": None, "title": f"Unresolved {i}"}})


def test_null_paper_ids_in_pages_are_skipped_not_stored(fake, tmp_path):
    hub = "c" * 40
    _citers(fake, hub, 1500, unresolved=30)
    db = tmp_path / "db.sqlite"
    res = explore(fake, db, f"DOI:10.5555/{hub[:8]}", "--direction", "citations")
    assert_clean_exit(res, 0)
    pages = [r for r in fake.requests if r.path.endswith("/citations")]
    assert len(pages) == 2  # 1530 items in two pages of 1000
    assert not summary(res).group(3) and int(summary(res).group(2)) == 1500
    assert Store(db).fetch_state(hub, "citations") == (1530, True)
    assert_store_sound(db, fake)


def test_empty_page_past_offset_1000_is_partial_and_rerun_completes(fake, tmp_path):
    hub = "d" * 40
    _citers(fake, hub, 2500)
    db = tmp_path / "db.sqlite"
    fake.set_empty_after(1000, "citations")
    res = explore(fake, db, f"DOI:10.5555/{hub[:8]}", "--direction", "citations")
    assert_clean_exit(res)
    m = summary(res)
    assert m.group(3) == " (partial)" and int(m.group(2)) == 1000
    assert "1000" in res.stderr and "warning:" in res.stderr
    assert Store(db).fetch_state(hub, "citations") == (1000, False)
    assert_store_sound(db, fake)

    fake.set_empty_after(None, "citations")
    fake.reset()
    again = explore(fake, db, f"DOI:10.5555/{hub[:8]}", "--direction", "citations")
    assert_clean_exit(again, 0)
    offsets = [r.query["offset"] for r in fake.requests if r.path.endswith("/citations")]
    assert offsets == ["1000", "2000"]
    assert not summary(again).group(3) and int(summary(again).group(2)) == 2500
    assert_store_sound(db, fake)


# the key


def test_bad_key_is_one_line_naming_the_variable_and_never_the_key(corpus, tmp_path):
    with FakeS2(corpus_dir=corpus, api_key="the-right-key") as fake:
        db = tmp_path / "db.sqlite"
        res = explore(fake, db, SEED, "--top", "5",
                      S2_API_KEY="wrong-key-0123456789")
        assert_clean_exit(res, 2)
        assert "403" in res.stderr and "S2_API_KEY" in res.stderr
        assert "wrong-key-0123456789" not in res.stdout + res.stderr
        assert fake.count() == 1  # a refused key is not retried
        assert_store_sound(db, fake)


def test_key_refused_mid_walk_keeps_what_was_fetched(fake, tmp_path):
    db = tmp_path / "db.sqlite"
    fake.inject(403, times=None, path_contains="/citations")
    res = explore(fake, db, SEED, S2_API_KEY="k-123")
    assert_clean_exit(res, 2)
    assert summary(res).group(3) == " (partial)" and "S2_API_KEY" in res.stderr
    assert len([r for r in fake.requests if r.path.endswith("/citations")]) == 1
    assert_store_sound(db, fake)
    fake.clear_faults()
    assert_clean_exit(explore(fake, db, SEED, S2_API_KEY="k-123"), 0)
    assert_complete(db, fake)
