"""Global options (``-v``, ``--db``) before or after the command, and the ``app`` command."""

from __future__ import annotations

import pytest

from explorer.cli.main import build_parser
from tests.conftest import cli_env, run_cli

LEAVES = [
    ["explore", "1706.03762"],
    ["show", "1706.03762"],
    ["list", "show"],
    ["export", "--format", "csv", "--out", "x.csv"],
    ["watch", "list"],
    ["cites", "1706.03762"],
    ["connect", "1706.03762", "1810.04805"],
]


@pytest.mark.parametrize("command", LEAVES, ids=lambda c: " ".join(c[:2]))
def test_global_options_before_the_command(command):
    args = build_parser().parse_args(["-v", "--db", "x.sqlite", *command])
    assert (args.verbose, args.db) == (True, "x.sqlite")


@pytest.mark.parametrize("command", LEAVES, ids=lambda c: " ".join(c[:2]))
def test_global_options_after_the_command(command):
    args = build_parser().parse_args([*command, "-v", "--db", "x.sqlite"])
    assert (args.verbose, args.db) == (True, "x.sqlite")


def test_left_out_the_global_options_have_their_defaults():
    args = build_parser().parse_args(["explore", "1706.03762"])
    assert (args.verbose, args.db) == (False, None)


def test_after_the_command_wins_over_before():
    args = build_parser().parse_args(["--db", "a.sqlite", "explore", "x", "--db", "b.sqlite"])
    assert args.db == "b.sqlite"


def test_both_orders_reach_the_same_store(fake, tmp_path):
    env = cli_env(fake, tmp_path / "default.sqlite")
    before, after = tmp_path / "before.sqlite", tmp_path / "after.sqlite"
    first = run_cli(["-v", "--db", str(before), "explore", "1706.03762"], env)
    second = run_cli(["explore", "1706.03762", "-v", "--db", str(after)], env)
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert before.is_file() and after.is_file()
    assert not (tmp_path / "default.sqlite").exists()
    assert first.stdout == second.stdout  # two fresh stores, the same walk
