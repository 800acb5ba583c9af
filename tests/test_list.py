"""The reading list: `explorer list` end to end against the fake, and its effect on rankings."""

from __future__ import annotations

import csv

from explorer.store import Store
from tests.conftest import cli_env, run_cli

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
BERT = "340796c8308a8852b207e932c4abf7450b1c284c"
TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"


def ok(res):
    assert res.returncode == 0, res.stderr
    return res.stdout


def last_csv(run, env) -> list[dict[str, str]]:
    out = env["EXPLORER_DB"] + ".last.csv"
    ok(run(["export", "--from", "last", "--format", "csv", "--out", out], env))
    with open(out, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_add_set_show_remove_with_any_id_form_in_one_batch(fake, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    out = ok(run_cli(["list", "add", "https://arxiv.org/abs/1706.03762v5",
                      "10.1093/MIND/LIX.236.433", "arXiv:1810.04805", "--tag", "核心",
                      "--tag", "nlp"], env))
    assert "3 papers on the reading list" in out
    assert [r.path for r in fake.requests] == ["/graph/v1/paper/batch"]

    fake.reset()
    out = ok(run_cli(["list", "set", "1810.04805", "--status", "read", "--note",
                      "masked LM, §3.1"], env))
    assert out.startswith("read: BERT")
    shown = ok(run_cli(["list", "show"], env))
    lines = shown.splitlines()[1:]
    assert [line[:12].strip() for line in lines] == ["to read", "to read", "read"]
    assert [line.split()[-1] for line in lines] == [TRANSFORMER, TURING, BERT]
    assert "masked LM, §3.1" in shown and "核心, nlp" in shown
    only_read = ok(run_cli(["list", "show", "--status", "read"], env)).splitlines()[1:]
    assert len(only_read) == 1 and BERT in only_read[0]
    assert "no paper" in ok(run_cli(["list", "show", "--tag", "absent"], env))
    assert fake.count() == 0  # every later command answered from the store

    ok(run_cli(["list", "remove", "DOI:10.1093/mind/lix.236.433"], env))
    items = Store(tmp_path / "db.sqlite").list_items()
    assert {i.paper_id for i in items} == {TRANSFORMER, BERT}
    assert next(i for i in items if i.paper_id == BERT).tags == ("核心", "nlp")


def test_bad_status_and_unknown_paper_are_one_line_errors(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    res = cli(["list", "add", "1706.03762", "--status", "done"], env)
    assert res.returncode == 1 and res.stderr.startswith("error:")
    res = cli(["list", "add", "10.9999/nothing.here"], env)
    assert res.returncode == 1 and "unknown paper" in res.stderr
    assert "Traceback" not in res.stderr
    res = cli(["list", "add", "1706.03762", "--tag", "\x1b[2J"], env)
    assert res.returncode == 1 and "printable" in res.stderr and "\x1b" not in res.stderr
    assert Store(tmp_path / "db.sqlite").list_items() == []


def test_read_papers_are_flagged_not_hidden(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    ok(cli(["explore", "ARXIV:1706.03762", "--top", "5"], env))
    third = last_csv(cli, env)[2]
    ok(cli(["list", "add", third["paper_id"], "--status", "read"], env))
    again = ok(cli(["explore", "ARXIV:1706.03762", "--top", "5"], env))
    # still listed (a read paper is a weak seed, so its place may move), and flagged
    row = next(line for line in again.splitlines() if third["title"][:20] in line)
    assert "[read]" in row
    assert sum("[read]" in line for line in again.splitlines()) == 1


def test_not_relevant_mark_changes_the_next_ranking_of_the_same_exploration(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    ok(cli(["explore", "ARXIV:1706.03762", "--depth", "2"], env))
    before = {r["paper_id"]: r for r in last_csv(cli, env)}
    store = Store(tmp_path / "db.sqlite")
    non_seeds = [r for r in before.values() if r["relation"] != "seed"]

    def neighbours(pid: str) -> set[str]:
        return (set(store.references_of(pid)) | set(store.citations_of(pid))) & set(before) \
            - {TRANSFORMER}

    marked = next(r for r in sorted(non_seeds, key=lambda r: int(r["rank"]))
                  if len(neighbours(r["paper_id"])) >= 2)
    hit = neighbours(marked["paper_id"])
    ok(cli(["list", "add", marked["paper_id"], "--status", "not relevant"], env))

    fake.reset()
    after = {r["paper_id"]: r for r in last_csv(cli, env)}
    assert fake.count() == 0
    assert marked["paper_id"] not in after
    assert set(after) == set(before) - {marked["paper_id"]}
    for pid in hit:  # demoted a little
        assert float(after[pid]["score"]) < float(before[pid]["score"])
    ranks_before = [p for p in sorted(before, key=lambda p: int(before[p]["rank"]))
                    if p != marked["paper_id"]]
    ranks_after = sorted(after, key=lambda p: int(after[p]["rank"]))
    assert ranks_before != ranks_after

    again = ok(cli(["explore", "ARXIV:1706.03762", "--depth", "2", "--top", "500"], env))
    assert "0 requests" in again and marked["title"][:30] not in again
