"""Gates on the suite itself: a missing browser is a skip on a laptop and a failure under CI;
no test times itself; the lint rejects a test that cannot fail."""

from __future__ import annotations

import ast
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run_browser_tests(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ.update(env, EXPLORER_CHROMIUM=str(tmp_path / "no-chromium"))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           "tests/test_browser.py"], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=300)


def test_missing_chromium_is_a_skip_outside_ci(tmp_path):
    done = run_browser_tests(tmp_path)
    assert done.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, done.stdout
    assert "1 skipped" in done.stdout and "no-chromium is missing" in done.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_missing_chromium_fails_under_ci(tmp_path, ci):
    done = run_browser_tests(tmp_path, CI=ci)
    assert done.returncode != 0 and "skipped" not in done.stdout, done.stdout
    assert "no-chromium is missing" in done.stdout and "CI must run the browser" in done.stdout


def test_no_test_measures_its_own_speed():
    # Speed is measured in bench/; a timed assertion in a test fails on a loaded machine.
    timed = [f"{path.name}:{n}" for path in sorted((ROOT / "tests").glob("*.py"))
             if path.name != "test_suite_gates.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if "perf_counter" in line or "process_time" in line]
    assert timed == []


CANNOT_FAIL = '''\
import pytest


def test_cannot_fail(reasons, x):
    assert "1.7 citations a year"  # in reasons
    assert 1 == 1
    assert x == x
    x == 2
    ValueError("not raised")
    with pytest.raises(ValueError):
        int("x")
'''


def test_the_lint_rejects_tests_that_cannot_fail():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format",
                           "concise", "--stdin-filename", "tests/test_cannot_fail.py", "-"],
                          cwd=ROOT, input=CANNOT_FAIL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    found = {line.split(": ", 1)[1].split()[0] for line in done.stdout.splitlines()
             if line.startswith("tests/test_cannot_fail.py:")}
    assert found == {"PLW0129", "PLR0133", "PLR0124", "B015", "PLW0133", "PT011"}, done.stdout


def test_pytest_with_no_arguments_runs_the_package_doctests():
    # `make test` is `pytest -q`: what it collects from the package are the docstring examples.
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                           "-p", "no:cacheprovider", "--ignore=tests"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    modules = {line.split("::")[0] for line in done.stdout.splitlines() if "::" in line}
    assert {"explorer/analysis/rank.py", "explorer/graph.py", "explorer/seeds/ids.py",
            "explorer/tasks/view.py", "explorer/analysis/lineage.py", "explorer/text.py",
            "explorer/analysis/similarity.py", "explorer/analysis/clusters.py"} <= modules


def test_one_cli_fixture_for_the_whole_suite():
    # A module may bind the shared `cli` to its own fake and store, not define another.
    roots = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.FunctionDef) and node.name == "cli"
                    and any("fixture" in ast.unparse(d) for d in node.decorator_list)
                    and "cli" not in [a.arg for a in node.args.args]):
                roots.append(path.name)
    assert roots == ["conftest.py"]
