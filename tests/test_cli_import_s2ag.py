"""``explorer import-s2ag`` on hand-written shards: the import, a slice, a diff, and bad
input as one line with exit code 1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.s2ag_shards import RELEASE_A, release_b, write_diff, write_gz, write_shards
from tests.test_s2ag_import import every_table


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    # No command here makes a request; the URLs only satisfy the settings.
    return {**os.environ, "S2_API_URL": "http://127.0.0.1:9", "ARXIV_API_URL": "http://127.0.0.1:9",
            "EXPLORER_DB": str(tmp_path / "store.sqlite"), "EXPLORER_MIN_INTERVAL": "0",
            "EXPLORER_BACKOFF": "0", "EXPLORER_TIMEOUT": "5"}


@pytest.fixture
def release(tmp_path) -> Path:
    return write_shards(tmp_path / "2026-11-17", RELEASE_A, "2026-11-17")


def test_import_prints_a_line_per_shard_and_a_summary(cli, env, release, tmp_path):
    graph = tmp_path / "graph"
    done = cli(["import-s2ag", str(release), "--graph", str(graph)], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"imported release 2026-11-17 into {graph}: 5 papers, 5 citations (2 unresolved and "
        f"1 duplicate references dropped), 2 abstracts, 5 paper ids; 6 shards read, 0 read "
        f"before, in " + done.stdout.strip().rsplit(" in ", 1)[1])
    lines = done.stderr.splitlines()
    assert len(lines) == 6 and lines[0].startswith("1/6 papers part-00000.jsonl.gz: 2 records")
    assert "4/6 citations part-00000.jsonl.gz: 3 records" in lines[3]
    assert "2 edges (" in lines[3] and "edges/s)" in lines[3]
    assert (graph / "citations_by_cited.parquet").is_file()


def test_a_slice_by_fields_and_years_is_recorded_in_the_manifest(cli, env, release, tmp_path):
    graph = tmp_path / "cs"
    done = cli(["import-s2ag", str(release), "--graph", str(graph), "--fields",
                "Computer Science", "Biology", "--years", "2015-2024"], env)
    assert done.returncode == 0, done.stderr
    assert "4 papers (a slice, with the papers its citations reach)" in done.stdout
    manifest = json.loads((graph / "manifest.json").read_text())
    assert manifest["slice"] == {"fields": ["Computer Science", "Biology"],
                                 "years": [2015, 2024]}


def test_a_diff_brings_the_graph_to_the_newer_release(cli, env, release, tmp_path):
    graph, fresh = tmp_path / "graph", tmp_path / "fresh"
    assert cli(["import-s2ag", str(release), "--graph", str(graph)], env).returncode == 0
    diff = write_diff(tmp_path / "diffs" / "2026-11-17--2026-11-24")
    done = cli(["import-s2ag", "--diff", str(diff), "--graph", str(graph)], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"applied the diff {diff} to {graph}: 5 papers")
    newer = write_shards(tmp_path / "2026-11-24", release_b(), "2026-11-24")
    assert cli(["import-s2ag", str(newer), "--graph", str(fresh)], env).returncode == 0
    assert every_table(graph) == every_table(fresh)


@pytest.mark.parametrize("args, message", [
    (["--years", "2024-2015"], "error: --years 2024-2015: 2024 is after 2015"),
    (["--years", "recent"], "error: --years takes YEAR or FROM-TO (2015-2024), not 'recent'"),
    (["--memory-limit", "lots"], "error: --memory-limit must be a size such as 1GB"),
    (["--diff", "x"], "error: give DIR to import a release or --diff to apply a diff, not both"),
])
def test_bad_arguments_are_one_line_and_exit_1(cli, env, release, tmp_path, args, message):
    done = cli(["import-s2ag", str(release), "--graph", str(tmp_path / "g"), *args], env)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith(message)
    assert not (tmp_path / "g" / "papers.parquet").exists()


def test_a_bad_shard_or_folder_is_one_line_naming_it_and_the_graph_is_kept(
        cli, env, release, tmp_path):
    graph = tmp_path / "graph"
    assert cli(["import-s2ag", str(release), "--graph", str(graph)], env).returncode == 0
    before = every_table(graph)
    shard = release / "paper-ids" / "part-00000.jsonl.gz"
    write_gz(shard, [{"sha": "a" * 40, "corpusid": "not a number", "primary": True}])
    done = cli(["import-s2ag", str(release), "--graph", str(graph)], env)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [done.stderr.splitlines()[-1]]
    assert errors[0].startswith(f"error: cannot read the shard {shard}: ")
    assert every_table(graph) == before
    empty = tmp_path / "empty"
    empty.mkdir()
    done = cli(["import-s2ag", str(empty), "--graph", str(graph)], env)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"error: {empty} lacks the shards of papers, abstracts, citations, paper-ids: a "
        f"release folder holds papers/, abstracts/, citations/, paper-ids/ each with .gz shards")


def test_help_ends_in_examples_and_the_command_runs_as_a_program(env, release, tmp_path):
    shown = run_cli(["import-s2ag", "--help"], env)
    assert shown.returncode == 0
    assert "examples:\n  explorer import-s2ag " in shown.stdout
    done = run_cli(["import-s2ag", str(release), "--graph", str(tmp_path / "graph")], env)
    assert done.returncode == 0, done.stderr
    assert "imported release 2026-11-17" in done.stdout
