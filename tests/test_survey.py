"""Survey mode: the GPT-3 paper's references as the seeds, ranked, and what it missed."""

from __future__ import annotations

import csv
import re

from explorer.fake_s2.corpus import read_records
from tests.conftest import cli_env, run_cli
from tests.inproc import run_main

GPT3 = "640654714765473f52ac3d80aa8e85ef11f79fd3"


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_gpt3_survey_ranks_its_references_and_lists_what_it_missed(fake, corpus, tmp_path):
    edges = list(read_records(corpus, "citations.jsonl"))
    years = {p["paperId"]: p.get("year") for p in read_records(corpus, "papers.jsonl")}
    refs = {e["citedPaperId"] for e in edges if e["citingPaperId"] == GPT3 and e["citedPaperId"]}
    links: dict[str, set[str]] = {}  # paper outside the list -> references it is linked to
    for e in edges:
        a, b = e["citingPaperId"], e["citedPaperId"]
        if a in refs and b and b not in refs and b != GPT3:
            links.setdefault(b, set()).add(a)
        if b in refs and a and a not in refs and a != GPT3:
            links.setdefault(a, set()).add(b)
    expected_missed = {p for p, linked in links.items() if len(linked) >= 2}
    assert len(refs) == 143 and expected_missed

    env = cli_env(fake, tmp_path / "db.sqlite")
    out = tmp_path / "survey.csv"
    res = run_cli(["explore", "--survey", "ARXIV:2005.14165", "--csv", str(out)], env)
    assert res.returncode == 0, res.stderr
    assert int(re.search(r"(\d+) requests", res.stdout).group(1)) == fake.count() <= 5
    rows = read_csv(out)
    in_list = [r for r in rows if r["relation"] == "reference"]
    missed = [r for r in rows if r["relation"] == "missed"]
    assert {r["paper_id"] for r in in_list} == refs
    assert {r["paper_id"] for r in missed} == expected_missed
    assert all(r["reasons"] for r in missed)
    scores = [float(r["score"]) for r in in_list]
    assert scores == sorted(scores, reverse=True)
    assert "the other references" in in_list[0]["reasons"]
    assert "seed" not in " ".join(r["reasons"] for r in rows)
    newer = [r for r in missed if (years.get(r["paper_id"]) or 0) > 2020]
    assert newer and all("newer than the survey" in r["reasons"] for r in newer)
    assert "What it missed" in res.stdout

    fake.reset()
    again = run_cli(["explore", "--survey", "2005.14165", "--csv", str(out)], env)
    assert again.returncode == 0, again.stderr
    assert fake.count() == 0 and read_csv(out) == rows


def test_export_from_last_replays_the_survey_with_what_it_missed(fake, tmp_path, monkeypatch,
                                                                 capfd):
    env = cli_env(fake, tmp_path / "db.sqlite")
    first, replay = tmp_path / "a.csv", tmp_path / "b.csv"

    def cli(args):
        return run_main(args, env, monkeypatch, capfd)

    res = cli(["explore", "--survey", "ARXIV:2005.14165", "--csv", str(first)])
    assert res.returncode == 0, res.stderr
    fake.reset()
    res = cli(["export", "--from", "last", "--format", "csv", "--out", str(replay)])
    assert res.returncode == 0, res.stderr
    assert fake.count() == 0
    before, after = read_csv(first), read_csv(replay)
    assert {r["relation"] for r in before} == {"reference", "missed"}
    assert [(r["rank"], r["paper_id"], r["relation"], r["score"]) for r in after] == \
        [(r["rank"], r["paper_id"], r["relation"], r["score"]) for r in before]
