"""The public Python API: ``from explorer import ...``, and the README's example run as written
against the fake Semantic Scholar, so the README cannot drift from the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest

import explorer

ROOT = Path(__file__).resolve().parents[1]
TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.*?)```", section, re.S)
    return code


def test_every_public_name_resolves():
    for name in explorer.__all__:
        assert getattr(explorer, name) is not None, name
    assert set(explorer.__all__) <= set(dir(explorer))
    with pytest.raises(AttributeError):
        explorer.no_such_name  # noqa: B018


def test_importing_explorer_loads_none_of_the_heavy_libraries():
    code = ("import sys, explorer; heavy = {'pandas', 'networkx', 'httpx', 'scipy', 'streamlit',"
            " 'semanticscholar'}; print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_readme_example_runs_against_the_fake(fake, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("S2_API_URL", fake.url)
    monkeypatch.setenv("ARXIV_API_URL", fake.url)
    monkeypatch.setenv("EXPLORER_DB", str(tmp_path / "notebook.sqlite"))
    monkeypatch.setenv("EXPLORER_MIN_INTERVAL", "0")
    names: dict[str, object] = {}
    exec(compile(readme_example(), "README.md", "exec"), names)  # noqa: S102
    result, df = names["result"], names["df"]
    assert not result.partial and fake.count() == 3
    assert list(df.index[:3]) == [1, 2, 3] and df.iloc[0]["paper_id"] == TRANSFORMER
    assert len(df) == len(result.ranked) == 50 and df["reasons"].str.len().gt(0).all()
    entries = bibtexparser.parse_string((tmp_path / "transformer.bib").read_text()).entries
    assert len(entries) == 50
    out = capsys.readouterr().out
    assert "50 papers" in out and "50 papers written" in out
    assert (tmp_path / "notebook.sqlite").is_file()


def test_explore_offline_answers_from_the_store_alone(fake, tmp_path):
    store = explorer.Store(tmp_path / "s.sqlite")
    settings = explorer.Settings(s2_api_url=fake.url, arxiv_api_url=fake.url, min_interval=0)
    first = explorer.explore(["1706.03762"], settings=settings, store=store)
    fake.reset()
    again = explorer.explore("1706.03762", offline=True, store=store)
    assert fake.count() == 0
    assert [r.paper.paper_id for r in again.ranked] == [r.paper.paper_id for r in first.ranked]


def test_a_bad_seed_is_an_explorer_error(tmp_path):
    with pytest.raises(explorer.ExplorerError, match="seed"):
        explorer.explore([], store=explorer.Store(tmp_path / "s.sqlite"), offline=True)


def test_the_api_walks_as_deep_as_the_command_line_by_default():
    import inspect

    from explorer.cli.main import build_parser
    from explorer.tasks.explore import ExploreOptions

    default = inspect.signature(explorer.explore).parameters["depth"].default
    args = build_parser().parse_args(["explore", "1706.03762"])
    assert default == args.depth == ExploreOptions.depth == 2
