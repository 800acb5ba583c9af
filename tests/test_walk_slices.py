"""Citers past S2's 9,999 window, by publication-date slices, against the fake over a socket:
every citer of a generated 25,000-citer classic, in about ⌈C/1000⌉ pages plus one probe a
slice; a killed run resumes asking again only for the request in flight; a paper under the
window is listed exactly as before."""

from __future__ import annotations

import csv
import json
import math
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from explorer.errors import BudgetExhaustedError
from explorer.fake_s2 import FakeS2, RecordedRequest
from explorer.fake_s2.classic import add_classic
from explorer.models import Edge, Paper, Progress, Ranked, WalkReport
from explorer.seeds.ids import parse_seed
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks import watch
from explorer.tasks.cites import Citations, Citer
from explorer.walk import Walker
from explorer.walk_slices import SliceWalk
from tests.conftest import cli_env, run_cli

C = 25_000


def listing(fake: FakeS2) -> list[RecordedRequest]:
    return [r for r in fake.requests if r.path.endswith("/citations")]


def asked(requests: list[RecordedRequest]) -> list[tuple[str | None, str, str]]:
    return [(r.query.get("publicationDateOrYear"), r.query["offset"], r.query["limit"])
            for r in requests]


def served(fake: FakeS2, request: RecordedRequest) -> set[str]:
    """The citers the fake answers ``request`` with (asked again in-process)."""
    body = fake.handle("GET", f"{request.path}?{urlencode(request.query)}").body
    return {item["citingPaper"]["paperId"] for item in json.loads(body)["data"]}


def cited_ids(db: Path, paper_id: str) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT citing FROM edges WHERE cited = ?",
                                          (paper_id,))}
    finally:
        con.close()


def walk(fake: FakeS2, db: Path, seed: str) -> tuple[Walker, str]:
    client = S2Client(fake.url, min_interval=0, backoff=0.01)
    walker = Walker(Store(db), client)
    (pid,) = walker.resolve([parse_seed(seed)])
    walker.walk([pid], 1, "citations")
    client.close()
    return walker, pid


def test_cites_collects_all_25000_citers_of_a_classic_by_date_slices(fake, tmp_path):
    classic = add_classic(fake.corpus, C, crowded=(2020, 12_000))
    out = tmp_path / "all.csv"
    res = run_cli(["cites", f"DOI:{classic.doi}", "--no-references", "--csv", str(out)],
                  cli_env(fake, tmp_path / "db.sqlite"), timeout=600)
    assert res.returncode == 0, res.stderr
    pages = listing(fake)
    slices = {r.query.get("publicationDateOrYear") for r in pages}
    # S2's count is past the window: after the first page of the whole listing, slices.
    assert [a for a in asked(pages) if a[0] is None] == [(None, "0", "1000")]
    slices.discard(None)
    assert {"2020:2020-06", "2020-07:2020"} <= slices  # 2020 alone overflows: halved by month
    assert {r.query["limit"] for r in pages} == {"1000", "1"}  # full pages, one-item probes
    assert len(pages) <= math.ceil(C / 1000) + len(slices) + 4, (len(pages), len(slices))
    assert "collected 25,000 of S2's 25,000 citers" in res.stdout
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len({r["paper_id"] for r in rows}) == C
    served = {e["citingPaperId"] for e in fake.corpus.citations_of(classic.paper_id)}
    assert {r["paper_id"] for r in rows} == served


def test_a_killed_cites_resumes_and_asks_again_only_for_the_request_in_flight(fake, tmp_path):
    classic = add_classic(fake.corpus, 12_000)
    db = tmp_path / "db.sqlite"
    env = cli_env(fake, db)
    args = ["cites", f"DOI:{classic.doi}", "--no-references"]
    # Six citation requests are answered; the seventh is held until the process is killed.
    fake.inject(None, times=6, path_contains="/citations")
    fake.inject(None, delay=600, times=None, path_contains="/citations")
    proc = subprocess.Popen([sys.executable, "-m", "explorer", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while len(listing(fake)) < 7 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the run ended before its seventh citation request"
        # The seventh went out, so the six answers before it are stored with their markers.
        answered = listing(fake)[:6]
        pages = [r for r in answered if r.query["limit"] == "1000"]
        con = sqlite3.connect(db)
        marker = con.execute(
            "SELECT next_offset, done FROM fetches WHERE paper_id = ? AND kind = ?",
            (classic.paper_id, f"citations {pages[-1].query['publicationDateOrYear']}"),
        ).fetchone()
        con.close()
        assert marker == (int(pages[-1].query["offset"]) + 1000, 0)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    first = asked(listing(fake))
    assert cited_ids(db, classic.paper_id) == set().union(*(served(fake, r) for r in pages))
    fake.clear_faults()
    fake.reset()
    res = run_cli(args, env, timeout=600)
    assert res.returncode == 0, res.stderr
    second = asked(listing(fake))
    assert len(set(first) & set(second)) <= 1, (first, second)
    assert second[0] == first[-1]  # resumed with the request that was in flight
    assert "collected 12,000 of S2's 12,000 citers" in res.stdout
    assert len(cited_ids(db, classic.paper_id)) == 12_000


def test_a_paper_under_the_window_is_listed_exactly_as_before(fake, tmp_path):
    classic = add_classic(fake.corpus, 2_500)
    res = run_cli(["cites", f"DOI:{classic.doi}", "--no-references"],
                  cli_env(fake, tmp_path / "db.sqlite"))
    assert res.returncode == 0, res.stderr
    assert asked(listing(fake)) == [(None, "0", "1000"), (None, "1000", "1000"),
                                    (None, "2000", "1000")]
    assert "collected 2,500 of S2's 2,500 citers" in res.stdout


def test_a_listing_that_hits_the_window_goes_on_by_date_slices(fake, tmp_path):
    classic = add_classic(fake.corpus, 12_000, citation_count=5_000)  # S2's count lags
    walker, pid = walk(fake, tmp_path / "db.sqlite", f"DOI:{classic.doi}")
    plain = [a for a in asked(listing(fake)) if a[0] is None]
    assert [int(a[1]) for a in plain] == list(range(0, 10_000, 1000))
    assert len(cited_ids(tmp_path / "db.sqlite", pid)) == 12_000
    assert walker.report.slices >= 2 and not walker.report.partial
    assert Store(tmp_path / "db.sqlite").done(pid, "citations")


def test_citers_without_a_date_or_year_are_counted_as_maybe_missing(fake, tmp_path):
    classic = add_classic(fake.corpus, 10_400, undated=200)
    walker, pid = walk(fake, tmp_path / "db.sqlite", f"DOI:{classic.doi}")
    assert len(cited_ids(tmp_path / "db.sqlite", pid)) == 10_200
    (warning,) = walker.report.warnings
    assert "collected 10,200 of Semantic Scholar's 10,400 citers" in warning
    assert "the other 200 may have no publication date or year" in warning


def test_more_citers_on_one_day_than_s2_serves_are_collected_up_to_the_window(tmp_path):
    cited = "d" * 40
    papers = [{"paperId": cited, "title": "cited", "year": 2019, "citationCount": 10_100,
               "externalIds": {"DOI": "10.5555/one.day"}}]
    edges = []
    for i in range(10_100):  # year only: S2 dates them all 1 January 2020
        papers.append({"paperId": f"{i:040x}", "title": f"citer {i}", "year": 2020})
        edges.append({"citingPaperId": f"{i:040x}", "citedPaperId": cited})
    with FakeS2(papers=papers, edges=edges) as fake:
        walker, pid = walk(fake, tmp_path / "db.sqlite", "DOI:10.5555/one.day")
        days = {a[0] for a in asked(listing(fake))}
    assert "2020-01-01" in days
    assert len(cited_ids(tmp_path / "db.sqlite", pid)) == 9_999
    assert any("more than 9,999 citers are dated 2020-01-01" in w
               for w in walker.report.warnings)


def test_a_finished_slice_walk_is_a_store_hit_the_next_time(fake, tmp_path):
    classic = add_classic(fake.corpus, 10_500)
    db = tmp_path / "db.sqlite"
    walk(fake, db, f"DOI:{classic.doi}")
    fake.reset()
    client = S2Client(fake.url, min_interval=0)
    walker = Walker(Store(db), client)
    (pid,) = walker.resolve([parse_seed(f"DOI:{classic.doi}")])
    walker.walk([pid], 1, "citations")
    client.close()
    assert listing(fake) == [] and walker.report.requests == 0


def test_a_watch_baseline_of_a_classic_holds_every_citer(fake, tmp_path):
    classic = add_classic(fake.corpus, 10_500)
    store = Store(tmp_path / "db.sqlite")
    client = S2Client(fake.url, min_interval=0)
    Walker(store, client).resolve([parse_seed(f"DOI:{classic.doi}")])
    watch.add(store, [classic.paper_id])
    report = watch.check(store, client)
    client.close()
    assert [n for _, n in report.baselines] == [10_500]
    assert any(r.query.get("publicationDateOrYear") for r in listing(fake))


def test_progress_names_the_slice_and_how_many_are_listed(fake, tmp_path):
    classic = add_classic(fake.corpus, 10_500)
    seen: list[Progress] = []
    client = S2Client(fake.url, min_interval=0)
    walker = Walker(Store(tmp_path / "db.sqlite"), client, progress=seen.append)
    (pid,) = walker.resolve([parse_seed(f"DOI:{classic.doi}")])
    walker.walk([pid], 1, "citations")
    client.close()
    sliced = [p for p in seen if p.message.startswith("citers by date:")]
    assert any("probing :" in p.message for p in sliced)
    assert any(re.search(r"from 1,000 in \S+ \(\d+ slices listed, \d+ halved\)", p.message)
               for p in sliced)
    assert sliced[-1].papers > 9_000 and sliced[-1].pages > 10


def test_a_slice_listed_without_a_probe_that_reaches_the_window_is_halved(fake, tmp_path):
    # S2 counts 10,500: once the slice up to 2008 is listed, the rest seems to fit in one
    # listing and is not probed, but 2009 on holds 13,000 citers.
    classic = add_classic(fake.corpus, 15_000, crowded=(2020, 12_000), citation_count=10_500)
    walker, pid = walk(fake, tmp_path / "db.sqlite", f"DOI:{classic.doi}")
    requests = asked(listing(fake))
    assert ("2009:", "9000", "999") in requests and ("2009:", "9998", "1") not in requests
    assert {"2009:2017", "2018:"} <= {a[0] for a in requests}
    assert len(cited_ids(tmp_path / "db.sqlite", pid)) == 15_000
    assert not walker.report.partial and walker.report.warnings == []


def test_the_count_beside_s2s_and_what_a_shortfall_says():
    def found(total: int | None, got: int, slices: int = 0) -> Citations:
        citers = [Citer(Ranked(Paper(f"{i:040x}"), 0.0, "citation", (), {}),
                        Edge(f"{i:040x}", "c" * 40)) for i in range(got)]
        return Citations(Paper("c" * 40, citation_count=total), citers,
                         WalkReport(slices=slices))

    assert found(25_000, 25_000).coverage == "collected 25,000 of S2's 25,000 citers"
    assert found(None, 3).coverage is None and found(25_000, 25_000).shortfall is None
    assert "more than the 9,999 one listing serves" in (found(25_000, 9_999 - 1).shortfall or "")
    assert "the other 300 may have no publication date or year" in (
        found(25_000, 24_700).shortfall or "")
    assert found(25_000, 24_700, slices=5).shortfall is None  # the walk's warning says it


def test_a_service_that_ignores_the_date_range_ends_the_slices_at_once(fake, tmp_path):
    classic = add_classic(fake.corpus, 10_500)
    stray = {"offset": 9998, "next": 9999, "data": [
        {"citingPaper": {"paperId": "e" * 40, "year": 2024, "publicationDate": "2024-05-01"}}]}
    fake.inject(200, body=stray, times=None, path_contains="publicationDateOrYear=:")
    walker, pid = walk(fake, tmp_path / "db.sqlite", f"DOI:{classic.doi}")
    assert [a[0] for a in asked(listing(fake))] == [None, ":2008"]
    assert walker.report.partial and not Store(tmp_path / "db.sqlite").done(pid, "citations")
    assert any("did not narrow the citations by publication date" in w
               for w in walker.report.warnings)


def test_a_walk_resumed_in_a_new_year_finds_the_same_slices(fake, tmp_path):
    classic = add_classic(fake.corpus, 10_500)
    store = Store(tmp_path / "db.sqlite")

    def keep(pid, kind, papers, edges, nxt, done):
        with store.transaction() as db:
            store.put_papers(papers, db)
            store.put_edges(edges, db)
            store.set_fetch_state(pid, kind, nxt, done, db)

    def run(last_year: int, budget: int | None) -> None:
        client = S2Client(fake.url, min_interval=0, max_requests=budget)
        try:
            SliceWalk(store, client, classic.paper_id, keep=keep, tick=lambda _: None,
                      first_year=1990, last_year=last_year, counted=10_500).run()
        finally:
            client.close()

    with pytest.raises(BudgetExhaustedError):
        run(2026, 4)
    first = asked(listing(fake))
    fake.reset()
    run(2030, None)  # a new year would move the halves: (1990 + 2030) // 2 is 2010
    second = asked(listing(fake))
    assert len(first) == 4 and not set(first) & set(second), (first, second)
    slice_, offset, _ = first[-1]
    assert second[0] == (slice_, str(int(offset) + 1000), "1000")  # on where it stopped
    assert len(store.citations_of(classic.paper_id)) == 10_500
