"""The walk's neighbour-citers step (explorer.walk, explorer.graph), against the fake S2 on
127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from explorer.fake_s2 import FakeS2
from explorer.graph import neighbourhood
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore


def pid(letter: str) -> str:
    return format(ord(letter), "040x")


# s is the seed; s cites r, c cites s. x cites r (coupled with s), y cites c (newer work on
# s's citer), z cites x (three steps away: never fetched).
EDGES = ["sr", "cs", "xr", "yc", "zx"]


@pytest.fixture
def fake() -> Iterator[FakeS2]:
    papers = [{"paperId": pid(x), "title": f"Paper {x}", "year": 2000, "citationCount": 1}
              for x in "srcxyz"]
    edges = [{"citingPaperId": pid(u), "citedPaperId": pid(v), "contexts": [], "intents": [],
              "isInfluential": None} for u, v in EDGES]
    with FakeS2(papers=papers, edges=edges) as server:
        yield server


def run(fake: FakeS2, options: ExploreOptions) -> tuple[set[str], int, Store]:
    store = Store(":memory:")
    client = S2Client(fake.url, min_interval=0, backoff=0.01)
    fake.reset()
    try:
        result = explore([pid("s")], options, store=store, client=client)
    finally:
        client.close()
    return set(result.graph.nodes), fake.count(), store


def test_default_walk_brings_the_neighbours_citers_for_one_more_request(fake: FakeS2) -> None:
    nodes, requests, store = run(fake, ExploreOptions())
    # seed lookup, references page, citations page, neighbours' references, their citers
    assert requests == 5
    assert nodes == {pid(x) for x in "srcxy"}
    assert neighbourhood(store, [pid("s")], 2, "both", neighbour_citers=True) == nodes
    again = run(fake, ExploreOptions())
    assert again[0] == nodes


def test_depth_two_without_the_citers_is_the_old_walk(fake: FakeS2) -> None:
    nodes, requests, _ = run(fake, ExploreOptions(depth=2, neighbour_citers=False))
    assert requests == 4
    assert nodes == {pid(x) for x in "src"}


def test_depth_one_ignores_the_citers_option(fake: FakeS2) -> None:
    nodes, requests, _ = run(fake, ExploreOptions(depth=1))
    assert requests == 3
    assert nodes == {pid(x) for x in "src"}
