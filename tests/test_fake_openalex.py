"""The fake OpenAlex answers as the real API does (asked in-process through its handler)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from decimal import Decimal
from types import SimpleNamespace

import pytest

from explorer.fake_openalex import LIST_COST, FakeOpenAlex, Works, inverted_index
from explorer.sources.openalex_records import abstract_text
from tests.conftest import ROOT, cli_env, run_cli

TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
KEY = "k"


@pytest.fixture(scope="module")
def fake(corpus):
    return FakeOpenAlex(corpus_dir=corpus)


def get(fake, target):
    resp = fake.handle("GET", target)
    return resp.status, (resp.json() if resp.body else None), resp.headers


def test_works_are_the_sample_papers_with_doi_arxiv_location_and_inverted_abstract(fake):
    paper = fake.corpus.papers[TRANSFORMER]
    status, work, _ = get(fake, "/works/doi:10.48550/arXiv.1706.03762")
    assert status == 200 and work["title"] == paper["title"]
    assert work["id"] == "https://openalex.org/" + fake.works.of_s2[TRANSFORMER]
    assert any("arxiv.org/abs/1706.03762" in (loc.get("landing_page_url") or "")
               for loc in work["locations"])
    assert abstract_text(work["abstract_inverted_index"]) == " ".join(paper["abstract"].split())
    assert get(fake, "/works/https://doi.org/10.1093/MIND/LIX.236.433")[1]["title"] == \
        "Computing Machinery and Intelligence"


def test_cursor_paging_needs_a_key_and_a_dangling_id_is_404(fake):
    wid = fake.works.of_s2[TURING]
    assert get(fake, f"/works?filter=cites:{wid}&cursor=*")[0] == 401
    assert get(fake, f"/works?filter=cites:{wid}&cursor=*&api_key={KEY}")[0] == 200
    assert get(fake, "/works/W1")[0] == 404


def test_limits_answer_400(fake):
    wid = fake.works.of_s2[TURING]
    assert get(fake, f"/works?filter=cites:{wid}&per_page=100&api_key={KEY}")[0] == 200
    assert get(fake, f"/works?filter=cites:{wid}&per_page=101&api_key={KEY}")[0] == 400
    assert get(fake, f"/works?filter=cites:{wid}&per-page=0&api_key={KEY}")[0] == 400
    many = "|".join(f"W{i}" for i in range(101))
    status, body, _ = get(fake, f"/works?filter=openalex:{many}&api_key={KEY}")
    assert status == 400 and "100" in body["message"]
    assert get(fake, f"/works?filter=openalex:{many[:many.rindex('|')]}&api_key={KEY}")[0] == 200
    assert get(fake, f"/works?filter=cites:{wid}&per_page=100&page=101&api_key={KEY}")[0] == 400


def test_cursor_pages_cover_every_citer_once(fake):
    wid = fake.works.of_s2[TURING]
    cursor, seen = "*", []
    while cursor:
        _, body, _ = get(fake, f"/works?filter=cites:{wid}&per_page=100&cursor={cursor}"
                               f"&api_key={KEY}")
        seen += [w["id"] for w in body["results"]]
        cursor = body["meta"]["next_cursor"]
    assert len(seen) == len(set(seen)) == body["meta"]["count"] == len(fake.works.citing(wid))


def test_budget_headers_count_list_calls_and_a_spent_budget_answers_429(corpus):
    fake = FakeOpenAlex(corpus_dir=corpus)
    fake.budgets["poor"] = LIST_COST * 2
    wid = fake.works.of_s2[TURING]
    _, _, headers = get(fake, f"/works/{wid}?api_key=poor")
    assert headers["X-RateLimit-Cost-USD"] == "0"
    statuses = []
    for _ in range(3):
        status, _, headers = get(fake, f"/works?filter=cites:{wid}&api_key=poor")
        statuses.append((status, Decimal(headers["X-RateLimit-Remaining-USD"])))
    assert statuses == [(200, LIST_COST), (200, Decimal(0)), (429, Decimal(0))]


def test_a_merged_work_redirects_but_a_doi_list_misses_it():
    works = Works([{"id": "https://openalex.org/W1", "doi": "https://doi.org/10.1/old"},
                   {"id": "https://openalex.org/W2", "doi": "https://doi.org/10.1/new"}])
    works.merge("W1", "W2")
    fake = FakeOpenAlex(works=works)
    assert fake.handle("GET", "/works/W1").headers["Location"] == "/works/W2"
    assert fake.handle("GET", "/works/doi:10.1/OLD").status == 301
    _, body, _ = get(fake, "/works?filter=doi:10.1/old|10.1/new&api_key=k")
    assert [w["id"] for w in body["results"]] == ["https://openalex.org/W2"]


def test_inverted_index_round_trips():
    text = "a rose is a rose is a rose"
    assert abstract_text(inverted_index(text)) == text


def test_standalone_beside_the_fake_s2_serves_the_cites_command_end_to_end(corpus, tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer.fake_s2", "--corpus", str(corpus), "--port", "0",
         "--openalex-port", "0", "--openalex-citers", "150"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        lines = []
        while not lines or not lines[-1].startswith("Serving"):
            lines.append(proc.stdout.readline())
            assert lines[-1], lines  # the fake exited
        exports = dict(line.removeprefix("export ").split("#")[0].strip().split("=", 1)
                       for line in lines if line.startswith("export "))
        env = cli_env(SimpleNamespace(url=exports["S2_API_URL"]), tmp_path / "s.sqlite",
                      **exports)
        done = run_cli(["cites", "DOI:10.1093/mind/LIX.236.433", "--source", "both",
                        "--no-references", "--limit", "3"], env)
        assert done.returncode == 0, done.stderr
        assert "S2 1,000 · OpenAlex 1,150 · both 1,150 · only in S2 0 · only in OpenAlex 150" \
            in done.stdout
        assert "OpenAlex: 13 requests (12 pages) · cost $0.0012" in done.stdout
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
