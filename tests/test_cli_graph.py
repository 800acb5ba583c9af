"""`--graph PATH` and ``EXPLORER_GRAPH``: every command reads papers and citations from the
local S2AG graph with no request, and ranks exactly as the API walk through the fake does on
the same corpus; what the datasets cannot answer is one clear line."""

from __future__ import annotations

import json

import pytest

from explorer.fake_s2.classic import add_classic
from explorer.fake_s2.corpus import Corpus
from tests.conftest import ROOT, cli_env
from tests.s2ag_graph import write_graph

SEED = "ARXIV:1706.03762"
TURING = "DOI:10.1093/mind/LIX.236.433"


@pytest.fixture(scope="module")
def graph_dir(corpus, tmp_path_factory):
    return write_graph(Corpus.from_dir(corpus), tmp_path_factory.mktemp("graph"))


@pytest.fixture(autouse=True)
def _no_graph_from_outside(monkeypatch):
    monkeypatch.delenv("EXPLORER_GRAPH", raising=False)


def _both(cli, fake, tmp_path, graph_dir, args, out="out.json"):
    """Run ``args`` through the fake, then on the local graph with a fresh store; the two
    JSON outputs and the fake's request count during the local run."""
    api_out, local_out = tmp_path / f"api-{out}", tmp_path / f"local-{out}"
    api = cli([*args, "--json", str(api_out)], cli_env(fake, tmp_path / "api.sqlite"))
    assert api.returncode == 0, api.stderr
    assert fake.count() > 0
    fake.reset()
    local = cli([*args, "--json", str(local_out), "--graph", str(graph_dir)],
                cli_env(fake, tmp_path / "local.sqlite"))
    assert local.returncode == 0, local.stderr
    return (json.loads(api_out.read_text()), json.loads(local_out.read_text()), fake.count(),
            local)


@pytest.mark.parametrize("depth", ["1", "2", "3"])
def test_explore_ranks_as_the_api_walk_with_no_request(cli, fake, tmp_path, graph_dir, depth):
    api, local, requests, run = _both(cli, fake, tmp_path, graph_dir,
                                      ["explore", SEED, "--depth", depth, "--top", "500"])
    assert requests == 0
    assert local == api and len(api) > 20
    assert "0 requests" in run.stderr or "requests" not in run.stderr


def test_depth_3_reaches_past_depth_2(cli, fake, tmp_path, graph_dir):
    env = cli_env(fake, tmp_path / "s.sqlite")
    sizes = []
    for depth in ("2", "3"):
        out = tmp_path / f"d{depth}.json"
        res = cli(["explore", SEED, "--depth", depth, "--top", "100000", "--json", str(out),
                   "--graph", str(graph_dir)], env)
        assert res.returncode == 0, res.stderr
        sizes.append({r["paper_id"] for r in json.loads(out.read_text())})
    assert sizes[0] < sizes[1]
    assert fake.count() == 0


def test_cites_ranks_as_the_api_walk_with_no_request(cli, fake, tmp_path, graph_dir):
    api, local, requests, _ = _both(cli, fake, tmp_path, graph_dir, ["cites", TURING])
    assert requests == 0
    # The datasets' isinfluential is a boolean: the sample's unknown (null) ones are false.
    api = [{**c, "is_influential": bool(c["is_influential"])} for c in api]
    assert local == api and len(api) > 900


def test_connect_finds_the_same_paths_with_no_request(cli, fake, tmp_path, graph_dir):
    args = ["connect", SEED, TURING]
    api = cli(args, cli_env(fake, tmp_path / "api.sqlite"))
    fake.reset()
    local = cli([*args, "--graph", str(graph_dir)], cli_env(fake, tmp_path / "local.sqlite"))
    assert local.returncode == api.returncode == 0, local.stderr
    assert fake.count() == 0
    paths, cost = local.stdout.rsplit("\n\n", 1)
    assert paths == api.stdout.rsplit("\n\n", 1)[0] and "cites→" in paths
    assert cost.startswith("0 requests · ")


def test_explorer_graph_in_the_environment_does_what_the_option_does(
        cli, fake, tmp_path, graph_dir, monkeypatch):
    monkeypatch.setenv("EXPLORER_GRAPH", str(graph_dir))
    res = cli(["cites", TURING, "--limit", "5"], cli_env(fake, tmp_path / "s.sqlite"))
    assert res.returncode == 0, res.stderr
    assert fake.count() == 0 and len(res.stdout.splitlines()) >= 5


def test_the_store_keeps_the_users_state_and_answers_offline_after(
        cli, fake, tmp_path, graph_dir):
    env = cli_env(fake, tmp_path / "s.sqlite")
    assert cli(["explore", SEED, "--graph", str(graph_dir)], env).returncode == 0
    added = cli(["list", "add", SEED, "--graph", str(graph_dir)], env)
    assert added.returncode == 0, added.stderr
    listed = cli(["list", "show"], env)
    assert "Attention Is All You Need" in listed.stdout
    shown = cli(["show", SEED, "--offline"], env)
    assert shown.returncode == 0 and "Attention Is All You Need" in shown.stdout, shown.stderr
    assert fake.count() == 0


@pytest.mark.parametrize("args", [["search", "turing test"], ["similar", SEED]])
def test_what_the_datasets_cannot_answer_is_one_line(cli, fake, tmp_path, graph_dir, args):
    res = cli([*args, "--graph", str(graph_dir)], cli_env(fake, tmp_path / "s.sqlite"))
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "needs the Semantic Scholar API" in lines[0], res.stderr
    assert fake.count() == 0


def test_a_folder_that_holds_no_graph_is_one_line(cli, fake, tmp_path, monkeypatch):
    env = cli_env(fake, tmp_path / "s.sqlite")
    res = cli(["cites", TURING, "--graph", str(tmp_path)], env)
    assert res.returncode == 1 and res.stderr.count("\n") == 1
    assert "no usable local S2AG graph" in res.stderr and "manifest.json" in res.stderr
    monkeypatch.setenv("EXPLORER_GRAPH", str(tmp_path / "nowhere"))
    res = cli(["cites", TURING], env)
    assert res.returncode == 1 and res.stderr.count("\n") == 1
    assert res.stderr.startswith("error: EXPLORER_GRAPH is") and "no such folder" in res.stderr
    assert fake.count() == 0


def test_the_app_is_handed_the_graph(cli, fake, tmp_path, graph_dir, monkeypatch):
    seen = {}

    def execve(path, argv, env):
        seen.update(env)
        raise SystemExit(0)

    monkeypatch.setattr("os.execve", execve)
    monkeypatch.setattr("subprocess.call", lambda argv, env: execve(None, argv, env))
    cli(["app", "--graph", str(graph_dir)], cli_env(fake, tmp_path / "s.sqlite"))
    assert seen.get("EXPLORER_GRAPH") == str(graph_dir)


def _app_on(page, fake, tmp_path, monkeypatch, graph_dir):
    from streamlit.testing.v1 import AppTest

    for key, value in (("S2_API_URL", fake.url), ("ARXIV_API_URL", fake.url),
                       ("EXPLORER_DB", str(tmp_path / "db.sqlite")),
                       ("EXPLORER_MIN_INTERVAL", "0"), ("EXPLORER_GRAPH", str(graph_dir))):
        monkeypatch.setenv(key, value)
    return AppTest.from_file(str(ROOT / page), default_timeout=90)


def test_who_cites_in_the_app_reads_the_graph(fake, tmp_path, monkeypatch, graph_dir):
    at = _app_on("pages/1_Who_cites.py", fake, tmp_path, monkeypatch, graph_dir)
    at.run()
    at.text_input[0].set_value(TURING).run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == "999 of 999 citers match"
    assert fake.count() == 0


def test_maps_in_the_app_read_the_graph(fake, tmp_path, monkeypatch, graph_dir):
    at = _app_on("pages/2_Maps.py", fake, tmp_path, monkeypatch, graph_dir)
    at.query_params["seed"] = ["ARXIV:1808.09781", "ARXIV:2005.14165"]
    at.run()
    at.button[0].click().run()  # walk
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) > 1  # the clusters of what was walked
    at.text_input[0].set_value("ARXIV:1808.09781")
    at.text_input[1].set_value("ARXIV:2005.14165")
    at.button[-1].click().run()
    assert any("shortest path" in t.value for t in at.text), [t.value for t in at.text]
    assert fake.count() == 0


def test_the_app_offers_depth_3_on_a_graph_and_its_link_keeps_it(fake, tmp_path, monkeypatch,
                                                                 graph_dir):
    from ui import common

    at = _app_on("app.py", fake, tmp_path, monkeypatch, graph_dir)
    at.query_params["seed"] = [SEED]
    at.query_params["depth"] = ["3"]
    at.run()
    depth = at.sidebar.radio(key="depth")
    assert list(depth.options) == ["1", "2", "3"] and depth.value == 3
    at.sidebar.button[0].click().run()  # the form's Explore button
    assert not at.exception and not at.error, at.exception
    assert at.query_params["depth"] in ("3", ["3"])
    assert fake.count() == 0
    deep = common.stored_exploration((SEED,), 3, "both")
    at.sidebar.radio(key="depth").set_value(2)
    at.sidebar.button[0].click().run()
    shallow = common.stored_exploration((SEED,), 2, "both")
    assert deep is not None and shallow is not None
    assert deep.graph.number_of_nodes() > shallow.graph.number_of_nodes()
    assert fake.count() == 0


def test_every_citer_of_a_classic_past_s2s_window_with_no_request(cli, fake, tmp_path):
    corpus = Corpus()
    classic = add_classic(corpus, citers=12_000)
    graph = write_graph(corpus, tmp_path / "classic")
    out = tmp_path / "citers.json"
    res = cli(["cites", f"DOI:{classic.doi}", "--graph", str(graph), "--json", str(out)],
              cli_env(fake, tmp_path / "s.sqlite"))
    assert res.returncode == 0, res.stderr
    assert len(json.loads(out.read_text())) == 12_000
    assert "collected 12,000 of S2's 12,000 citers" in res.stdout + res.stderr
    assert "slice" not in res.stdout + res.stderr
    assert fake.count() == 0


def test_watch_checks_on_the_graph_with_no_request(cli, fake, tmp_path, graph_dir):
    env = cli_env(fake, tmp_path / "s.sqlite")
    added = cli(["watch", "add", TURING, "--graph", str(graph_dir)], env)
    assert added.returncode == 0, added.stderr
    checked = cli(["watch", "check", "--graph", str(graph_dir)], env)
    assert checked.returncode == 0, checked.stderr
    assert "1,000" in checked.stdout or "1000" in checked.stdout or "999" in checked.stdout
    assert fake.count() == 0
