"""`explorer search` and ambiguous title seeds, end to end against the fake S2 on 127.0.0.1:
a topic search, a pick by number, the exploration of the pick; the matches of an ambiguous
title; paging within S2's window."""

from __future__ import annotations

import json

from explorer.fake_s2 import FakeS2
from explorer.store import Store
from tests.conftest import cli_env, run_cli

SEARCH = "/graph/v1/paper/search"
MATCH = "/graph/v1/paper/search/match"
DECOMPOSABLE = "2a6294bbe9b9d15aab1e9915dfd04156891c5765"  # "A decomposable attention model"
FOR_NLI = "137399f79d64ce5169959461b1b86416e5532336"  # "... for natural language inference"
TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"


def paths(fake: FakeS2) -> list[str]:
    return [r.path for r in fake.requests]


def test_search_then_explore_a_pick_by_number(fake, tmp_path):
    env = cli_env(fake, tmp_path / "s.sqlite")
    res = run_cli(["search", "decomposable attention model"], env)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[0] == "1. A decomposable attention model"
    assert "2. A decomposable attention model for natural language inference" in res.stdout
    assert f"S2 {FOR_NLI}" in res.stdout
    assert "2 of about 2 results · 1 request" in res.stderr
    assert f"explorer explore @1 (or @1 @3, or by id: explorer explore {DECOMPOSABLE})" in (
        res.stderr)
    assert paths(fake) == [SEARCH]
    fake.reset()
    res = run_cli(["explore", "@2", "--depth", "1", "--top", "3"], env)
    assert res.returncode == 0, res.stderr
    assert SEARCH not in paths(fake) and MATCH not in paths(fake)
    first = res.stdout.splitlines()[1]
    assert "A decomposable attention model for natural" in first and "seed" in first
    assert Store(tmp_path / "s.sqlite").last_exploration()[0] == [FOR_NLI]


def test_limit_250_is_three_requests_of_100_and_json_lists_picks(fake, tmp_path):
    env = cli_env(fake, tmp_path / "s.sqlite")
    res = run_cli(["search", "language models", "--limit", "250", "--json"], env)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["requests"] == 3 and len(out["papers"]) == 250
    assert out["papers"][249]["pick"] == "@250"
    assert [(r.query["offset"], r.query["limit"]) for r in fake.requests] == [
        ("0", "100"), ("100", "100"), ("200", "50")]


def test_past_the_window_is_one_line_and_no_request(fake, tmp_path):
    env = cli_env(fake, tmp_path / "s.sqlite")
    res = run_cli(["search", "the", "--offset", "950", "--limit", "100"], env)
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.strip() == (
        "error: Semantic Scholar ranks only the first 1000 results of a search: --offset 950 + "
        "--limit 100 goes past them; ask for fewer, or narrow the search with filters")
    assert fake.count() == 0


def test_filters_and_untrusted_text_stay_inert(tmp_path):
    evil = {"paperId": "e" * 40, "title": "Graph \x1b[2J attack\u202e", "year": 2021,
            "venue": "Evil\x07Conf", "citationCount": 3, "fieldsOfStudy": ["Computer Science"],
            "tldr": {"model": "tldr@v2.0.0", "text": "We \x1b]0;pwned\x07 win."}}
    plain = {"paperId": "f" * 40, "title": "Graph attack survey", "year": 2010}
    with FakeS2(papers=[evil, plain]) as fake:
        env = cli_env(fake, tmp_path / "s.sqlite")
        res = run_cli(["search", "graph attack", "--year", "2020-", "--fields-of-study",
                       "Computer Science"], env)
        assert res.returncode == 0, res.stderr
        assert fake.requests[0].query["year"] == "2020-"
        assert fake.requests[0].query["fieldsOfStudy"] == "Computer Science"
    assert "\x1b" not in res.stdout and "\u202e" not in res.stdout and "\x07" not in res.stdout
    assert "1. Graph \\x1b[2J attack\\u202e" in res.stdout
    assert "2021 · Evil\\x07Conf · 3 citations" in res.stdout
    assert "TL;DR: We \\x1b]0;pwned\\x07 win." in res.stdout
    assert "Graph attack survey" not in res.stdout


def test_no_result_is_one_line(fake, tmp_path):
    res = run_cli(["search", "zzqx nothing here"], cli_env(fake, tmp_path / "s.sqlite"))
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr.strip() == "error: no papers found for 'zzqx nothing here'"


def test_an_ambiguous_title_lists_its_matches_and_a_number_picks_one(fake, tmp_path):
    env = cli_env(fake, tmp_path / "s.sqlite")
    res = run_cli(["explore", "decomposable attention model", "--depth", "1"], env)
    assert res.returncode == 1
    lines = res.stdout.splitlines()
    assert lines[0] == "'decomposable attention model' matches 2 papers:"
    assert lines[1] == "1. A decomposable attention model"
    assert lines[2].startswith("   2016 · ") and DECOMPOSABLE in lines[2]
    assert lines[3] == "2. A decomposable attention model for natural language inference"
    errors = [line for line in res.stderr.splitlines() if line.startswith("error")]
    assert errors == ["error: the title 'decomposable attention model' matches 2 papers: give "
                      "its number from the list above in its place (explorer explore @1) or "
                      "its id"]
    assert paths(fake) == [MATCH, SEARCH]
    store = Store(tmp_path / "s.sqlite")
    assert store.paper(DECOMPOSABLE) is None and store.last_exploration() is None
    fake.reset()
    res = run_cli(["explore", "@1", "--depth", "1"], env)
    assert res.returncode == 0, res.stderr
    assert MATCH not in paths(fake) and SEARCH not in paths(fake)
    assert Store(tmp_path / "s.sqlite").last_exploration()[0] == [DECOMPOSABLE]


def test_an_unambiguous_title_is_one_match_request_as_before(fake, tmp_path):
    env = cli_env(fake, tmp_path / "s.sqlite")
    res = run_cli(["explore", "Attention is all you need", "--depth", "1", "--top", "1"], env)
    assert res.returncode == 0, res.stderr
    assert "Attention Is All You Need" in res.stdout.splitlines()[1]
    seed_requests = [p for p in paths(fake) if p.startswith(SEARCH)]
    assert seed_requests == [MATCH]


def test_a_pick_with_no_list_says_what_to_run(fake, tmp_path):
    env = cli_env(fake, tmp_path / "s.sqlite")
    res = run_cli(["explore", "@1"], env)
    assert res.returncode == 1 and fake.count() == 0
    assert res.stderr.strip() == ("error: no list to pick from yet: run `explorer search "
                                  "QUERY` first, then pick by number")


def test_search_help_has_examples():
    res = run_cli(["search", "--help"], {})
    assert res.returncode == 0
    assert "explorer explore @1 @3" in res.stdout and "--limit 250" in res.stdout
