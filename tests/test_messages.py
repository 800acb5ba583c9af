"""The library and the app name parameters, never CLI flags; the CLI words them as flags."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from explorer.cli.common import FLAGS, error_line
from explorer.errors import BadInputError, OfflineMissingError
from explorer.models import Paper
from explorer.store import Store
from explorer.tasks.cites import CiteFilters
from explorer.tasks.connect import Connection, connect, describe
from explorer.tasks.details import find_paper
from tests.conftest import cli_env
from tests.inproc import run_main

ROOT = Path(__file__).resolve().parent.parent
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def _bad_years():
    CiteFilters(since=2024, until=2020)


def _negative_citations():
    CiteFilters(min_citations=-1)


def _no_hops():
    connect("ARXIV:1706.03762", "ARXIV:1810.04805", store=Store(":memory:"), client=None,
            max_hops=0)


def _offline_show():
    find_paper("ARXIV:1706.03762", Store(":memory:"), None)


# (what raises, the error, its parameter, value and bound, the CLI's line)
RAISERS = [
    (_bad_years, BadInputError, ("since", 2024, 2020),
     "error: --since 2024 is after --until 2020"),
    (_negative_citations, BadInputError, ("min_citations", -1, 0),
     "error: --min-citations must not be negative"),
    (_no_hops, BadInputError, ("max_hops", 0, 1), "error: --max-hops must be at least 1"),
    (_offline_show, OfflineMissingError, None,
     "error: not in the store: ARXIV:1706.03762 (run without --offline)"),
]


@pytest.mark.parametrize(("raise_it", "kind", "data", "line"), RAISERS,
                         ids=[r[0].__name__ for r in RAISERS])
def test_library_errors_name_no_flag_and_the_cli_words_them_as_flags(raise_it, kind, data,
                                                                     line):
    with pytest.raises(kind) as err:
        raise_it()
    assert not FLAG.search(str(err.value)), str(err.value)
    if data is not None:
        assert (err.value.parameter, err.value.value, err.value.bound) == data
        assert data[0] in str(err.value)
    else:
        assert err.value.missing == "ARXIV:1706.03762"
    assert error_line(err.value) == line


def test_worded_names_parameters_as_given_and_leaves_other_errors_alone():
    with pytest.raises(BadInputError) as err:
        _bad_years()
    assert str(err.value) == "since 2024 is after until 2020"
    assert err.value.worded({"since": "“Since year”", "until": "“Until year”"}) == (
        "“Since year” 2024 is after “Until year” 2020")
    braces = BadInputError("not a seed: '{since}'")  # user text with braces stays as typed
    assert braces.worded(FLAGS) == str(braces) == "not a seed: '{since}'"


def _not_found(complete: bool) -> Connection:
    papers = {"a": Paper("a", title="First"), "b": Paper("b", title="Second")}
    return Connection("a", "b", [], None, complete, papers=papers, max_hops=2)


@pytest.mark.parametrize("complete", [True, False])
def test_connect_describe_names_parameters_the_way_it_is_told(complete):
    plain = describe(_not_found(complete))
    assert not FLAG.search(plain), plain
    assert plain.endswith("raise max_hops or max_requests to search further")
    cli = describe(_not_found(complete), FLAGS)
    assert cli.endswith("raise --max-hops or --max-requests to search further")
    assert cli.startswith("no path of at most 2 hops between First and Second")


def _literals(path: Path) -> list[tuple[int, str]]:
    """The string literals of ``path`` that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                 ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docs]


def test_no_string_in_the_library_or_the_app_names_a_flag():
    folders = ("tasks", "analysis", "seeds", "render", "exports", "sources")
    paths = [p for f in folders for p in (ROOT / "explorer" / f).rglob("*.py")]
    paths += [*(ROOT / "explorer").glob("*.py"), ROOT / "app.py",
              *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]
    found = [f"{p.relative_to(ROOT)}:{line}: {text!r}" for p in paths
             for line, text in _literals(p) if FLAG.search(text)]
    assert found == []


def test_the_cli_still_prints_the_flags(fake, tmp_path, monkeypatch, capfd):
    env = cli_env(fake, tmp_path / "s.sqlite")
    res = run_main(["cites", "ARXIV:1706.03762", "--since", "2024", "--until", "2020",
                    "--offline"], env, monkeypatch, capfd)
    assert res.returncode == 1
    assert res.stderr.strip() == "error: --since 2024 is after --until 2020"
    res = run_main(["show", "ARXIV:1706.03762", "--offline"], env, monkeypatch, capfd)
    assert res.returncode == 1
    assert res.stderr.strip() == (
        "error: not in the store: ARXIV:1706.03762 (run without --offline)")
    assert fake.count() == 0
