"""explorer.text: untrusted text made inert, and every CLI command that prints records using it."""

from __future__ import annotations

import doctest
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import explorer.text
from explorer.text import BIDI_CONTROLS, for_terminal, has_control, one_line
from tests.conftest import cli_env, run_cli

ACTIVE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def test_doctests() -> None:
    assert doctest.testmod(explorer.text).failed == 0


@given(st.text())
def test_one_line_is_printable_idempotent_and_keeps_words(text: str) -> None:
    line = one_line(text)
    assert one_line(line) == line
    assert "\n" not in line and not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", line)
    assert line.split() == [w for w in line.split() if w]


@given(st.text())
def test_for_terminal_leaves_nothing_active(text: str) -> None:
    shown = for_terminal(text)
    assert not ACTIVE.search(shown) and "\n" not in shown and "\r" not in shown
    assert not has_control(shown)
    assert for_terminal(text, keep="\n").count("\n") == text.count("\n")


def test_escapes_are_visible_as_text() -> None:
    assert for_terminal("a\x1b[2Jb\x07\u202ec") == "a\\x1b[2Jb\\x07\\u202ec"


HOSTILE = "\x1b]0;owned\x07\x1b[2J\x1b[31mEvil \u202etitle\u2066 with\x00 a\x9b1m NUL"
AUTHOR = "Mallory\x1b[8m hidden\u202d"
VENUE = "Journal\x07 of\u2069 Bells"


@pytest.fixture
def hostile(fake, tmp_path):  # type: ignore[no-untyped-def]
    hub, evil = "e" * 40, "f" * 40
    fake.add_paper({"paperId": hub, "title": "A hub paper", "year": 2000, "citationCount": 1,
                    "authors": [{"authorId": "1", "name": "Hub Author"}]})
    fake.add_paper({"paperId": evil, "title": HOSTILE, "year": 2021, "venue": VENUE,
                    "abstract": "An \x1b[2J abstract", "citationCount": 3,
                    "authors": [{"authorId": None, "name": AUTHOR}]})
    fake.add_edge({"citingPaperId": evil, "citedPaperId": hub, "isInfluential": True,
                   "contexts": ["as \x1b[5m shown\u202e in [1]"], "intents": []})
    env = cli_env(fake, tmp_path / "db.sqlite")
    return lambda *args: run_cli(list(args), env), hub, evil


def test_no_command_prints_an_active_character(hostile) -> None:  # type: ignore[no-untyped-def]
    cli, hub, evil = hostile
    runs = [cli("explore", hub), cli("show", evil), cli("cites", hub),
            cli("list", "add", evil), cli("list", "show"), cli("show", evil, "--offline"),
            cli("connect", evil, hub), cli("watch", "add", evil), cli("watch", "list")]
    for res in runs:
        assert res.returncode == 0, (res.args, res.stderr[-500:])
        out = res.stdout + res.stderr
        assert not ACTIVE.search(out), (res.args[3:], repr(ACTIVE.findall(out)[:5]))
    shown = runs[1].stdout
    assert "Evil \\u202etitle" in shown and "\\x1b[2J" in shown  # visible, not acting
    assert "Mallory" in shown and "Journal\\x07 of" in shown
    assert "Evil" in runs[0].stdout and "Evil" in runs[4].stdout
