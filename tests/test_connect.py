"""The connector: shortest citation paths on a graph with known answers, through the fake S2
and the store, and ``explorer connect`` end to end on the corpus."""

from __future__ import annotations

import re

import pytest

from explorer.errors import NotFoundError, OfflineMissingError
from explorer.fake_s2 import FakeS2
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.connect import Hop, connect, describe, hops, shortest_paths
from tests.conftest import cli_env, run_cli


def pid(letter: str) -> str:
    return format(ord(letter), "040x")  # a well-formed S2 id


# a -> b means "a cites b". Shortest paths from A to D (3 hops): A-B-C-D and A-F-G-D;
# a longer one A-H-I-J-D (4 hops) must not show; K is cut off.
EDGES = ["ab", "cb", "cd", "fa", "fg", "dg", "ah", "hi", "ij", "jd", "ke"]


@pytest.fixture
def small():
    papers = [{"paperId": pid(x), "title": f"Paper {x.upper()}", "year": 2000 + i,
               "citationCount": 1} for i, x in enumerate("abcdefghijk")]
    edges = [{"citingPaperId": pid(u), "citedPaperId": pid(v), "contexts": [], "intents": [],
              "isInfluential": None} for u, v in EDGES]
    server = FakeS2(papers=papers, edges=edges)
    server.start()
    yield server
    server.stop()


def client_for(server: FakeS2, max_requests: int | None = None) -> S2Client:
    return S2Client(server.url, min_interval=0, backoff=0.01, max_requests=max_requests)


def test_hops_and_path_enumeration_are_pure():
    assert hops(["a", "b"], {("b", "a")}) == [Hop("a", "b", False)]
    parents_a = {"a": set(), "b": {"a"}, "f": {"a"}}
    parents_b = {"d": set(), "b": {"c"}, "c": {"d"}, "f": {"g"}, "g": {"d"}}
    assert shortest_paths(parents_a, parents_b, ["f", "b"]) == [
        ["a", "b", "c", "d"], ["a", "f", "g", "d"]]
    assert shortest_paths(parents_a, parents_b, ["b", "f"], limit=1) == [["a", "b", "c", "d"]]


def test_finds_every_shortest_path_with_directions_then_answers_from_the_store(small):
    store = Store(":memory:")
    client = client_for(small)
    result = connect(pid("a"), pid("d"), store=store, client=client)
    client.close()
    assert result.complete and result.hops == 3
    assert result.paths == [[pid(x) for x in "abcd"], [pid(x) for x in "afgd"]]
    assert [[h.cites for h in steps] for steps in result.steps] == [
        [True, False, True],  # A cites B, B is cited by C, C cites D
        [False, True, False],  # A is cited by F, F cites G, G is cited by D
    ]
    # both ends in one batch, then at most 2 batch requests per level grown
    assert small.count() == result.report.requests <= 1 + 2 * 3
    text = describe(result)
    assert text.splitlines()[0] == "2 shortest paths of 3 hops:"
    assert "Paper A (2000)\n    —cites→ Paper B (2001)\n    ←cited by— Paper C (2002)" in text

    small.reset()
    again = connect(pid("d"), pid("a"), store=store, client=client_for(small))
    assert small.count() == 0  # everything came from the store
    assert again.paths == [[pid(x) for x in "dcba"], [pid(x) for x in "dgfa"]]
    offline = connect(pid("a"), pid("d"), store=store)
    assert offline.paths == result.paths and offline.complete


def test_no_path_within_the_hops_or_the_budget_is_an_answer(small):
    store = Store(":memory:")
    short = connect(pid("a"), pid("d"), store=store, client=client_for(small), max_hops=2)
    assert not short.found and short.hops is None and short.complete
    assert describe(short).startswith("no path of at most 2 hops between Paper A (2000) and "
                                      "Paper D (2003)")
    cut_off = connect(pid("a"), pid("k"), store=store, client=client_for(small), max_hops=8)
    assert not cut_off.found and cut_off.complete  # searched everything: K is not connected

    small.reset()
    broke = connect(pid("a"), pid("d"), store=Store(":memory:"),
                    client=client_for(small, max_requests=2))
    assert small.count() == 2 and not broke.found and not broke.complete
    assert any("budget" in w for w in broke.report.warnings)
    assert "no path" in describe(broke)


def test_unknown_paper_is_bad_input(small):
    with pytest.raises(NotFoundError, match="unknown paper"):
        connect(pid("a"), pid("z"), store=Store(":memory:"), client=client_for(small))
    with pytest.raises(OfflineMissingError):
        connect(pid("a"), pid("d"), store=Store(":memory:"))


def test_cli_connects_resnet_to_turing_through_the_corpus(fake, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    res = run_cli(["connect", "ARXIV:1512.03385", "DOI:10.1093/mind/LIX.236.433"], env)
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert out.splitlines()[0] == "2 shortest paths of 3 hops:"
    first = out.split("path 1:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert first[0].strip() == "Deep Residual Learning for Image Recognition (2016)"
    assert first[-1].strip() == "—cites→ Computing Machinery and Intelligence (1950)"
    assert "←cited by— LLaMA: Open and Efficient Foundation Language Models (2023)" in out
    requests = int(re.search(r"(\d+) requests", out).group(1))
    assert requests == fake.count() <= 10

    fake.reset()
    none = run_cli(["connect", "1512.03385", "10.1093/mind/LIX.236.433", "--max-hops", "2"],
                   env)
    assert none.returncode == 0, none.stderr
    assert none.stdout.startswith("no path of at most 2 hops")
    assert fake.count() == 0  # the store held every link the search needed

    bad = run_cli(["connect", "1512.03385", "--max-hops", "2"], env)
    assert bad.returncode == 1 and bad.stderr.startswith("error:")
