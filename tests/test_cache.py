"""The byte-budget cache: eviction by bytes, not by count; the newest value always stays."""

from __future__ import annotations

import networkx as nx

from explorer.cache import ByteBudget, graph_bytes


def test_values_are_dropped_by_bytes_least_recently_used_first():
    cache = ByteBudget(1000)
    for k in range(10):
        cache.put(k, str(k), 10)  # ten small values fit, as many as a count limit would allow
    assert len(cache) == 10 and cache.held == 100
    cache.get(0)  # used: now the most recent
    cache.put("big", "B", 950)  # 1,050 bytes: the least recent go until it fits
    assert cache.held == 1000
    assert cache.keys() == [6, 7, 8, 9, 0, "big"]  # 1..5 went; 0, just used, stayed
    assert cache.get(1) is None and cache.get(0) == "0"


def test_a_value_larger_than_the_budget_stays_alone():
    cache = ByteBudget(100)
    cache.put("a", "A", 50)
    cache.put("huge", "H", 500)
    assert cache.keys() == ["huge"] and cache.held == 500
    cache.put("a", "A", 50)
    assert cache.keys() == ["a"]


def test_putting_a_key_again_counts_its_bytes_once():
    cache = ByteBudget(100)
    cache.put("a", 1, 40)
    cache.put("a", 2, 60)
    assert cache.held == 60 and cache.get("a") == 2


def test_get_or_make_makes_once_and_remembers_none():
    cache = ByteBudget(10_000)
    made: list[str] = []

    def make(name):
        def run():
            made.append(name)
            return None if name == "missing" else nx.path_graph(4)
        return run

    first = cache.get_or_make("g", make("g"), graph_bytes)
    assert cache.get_or_make("g", make("g"), graph_bytes) is first
    assert cache.held == graph_bytes(first)
    assert cache.get_or_make("missing", make("missing"), graph_bytes) is None
    assert cache.get_or_make("missing", make("missing"), graph_bytes) is None
    assert made == ["g", "missing"]


def test_a_smaller_budget_drops_values_at_once():
    cache = ByteBudget(1000)
    for k in range(5):
        cache.put(k, k, 100)
    cache.resize(250)
    assert cache.keys() == [3, 4] and cache.held == 200


def test_graph_bytes_grows_with_nodes_and_edges():
    small, big = nx.path_graph(10), nx.path_graph(1000)
    assert 0 < graph_bytes(small) < graph_bytes(big)
    assert graph_bytes(nx.Graph()) == 0
