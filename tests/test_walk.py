"""Tests for explorer.walk: the walker on hand-made fakes, and the two-orders test.

The walker talks to the real client over a socket to the fake on 127.0.0.1; what it leaves in
the store and what it asks for are checked, never mocked.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest

from explorer.fake_s2 import FakeS2
from explorer.models import EMBEDDED_STATE
from explorer.seeds.ids import parse_seed
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore
from explorer.walk import Walker

LLAMA = "ARXIV:2302.13971"
BERT = "ARXIV:1810.04805"


def client_for(fake: FakeS2) -> S2Client:
    return S2Client(fake.url, min_interval=0, backoff=0.01)


def snapshot(store: Store, fake: FakeS2, seed: str, depth: int) -> dict[str, Any]:
    """Everything an exploration shows: the ranking with scores, edges, papers."""
    result = explore([seed], ExploreOptions(depth=depth), store=store, client=client_for(fake))
    assert not result.partial, result.report
    g = result.graph
    return {
        "ranked": [(r.paper.paper_id, r.score, r.relation, r.reasons) for r in result.ranked],
        "edges": sorted((u, v, d["is_influential"], d["contexts"], d["intents"])
                        for u, v, d in g.edges(data=True)),
        "papers": {n: g.nodes[n]["paper"] for n in g},
    }


PLAN = ((LLAMA, 2), (BERT, 1))


def test_the_same_explorations_in_either_order_or_alone_give_identical_results(
        fake, tmp_path):
    alone = {}
    for n, (seed, depth) in enumerate(PLAN):
        alone[seed] = snapshot(Store(tmp_path / f"alone{n}.sqlite"), fake, seed, depth)
    forward = Store(tmp_path / "forward.sqlite")
    backward = Store(tmp_path / "backward.sqlite")
    ran = {"forward": {}, "backward": {}}
    for seed, depth in PLAN:
        ran["forward"][seed] = snapshot(forward, fake, seed, depth)
    for seed, depth in reversed(PLAN):
        ran["backward"][seed] = snapshot(backward, fake, seed, depth)
    bert = alone[BERT]
    assert sum(bool(e[3]) for e in bert["edges"]) > 0  # the data at stake is there
    assert sum(bool(p.abstract) for p in bert["papers"].values()) > 3
    for order, results in ran.items():
        for seed, _ in PLAN:
            got, want = results[seed], alone[seed]
            assert got["edges"] == want["edges"], (order, seed)
            assert got["papers"] == want["papers"], (order, seed)
            assert got["ranked"] == want["ranked"], (order, seed)


# A hand-made world: f cites a and b, c cites f; a cites d, b cites e. Every link has a context.
def pid(name: str) -> str:
    return (name * 40)[:40]


S, A, B, C, D, E = (pid(n) for n in "fabcde")
LINKS = ((S, A), (S, B), (C, S), (A, D), (B, E))


@pytest.fixture
def world():
    papers = [{"paperId": p, "title": f"Paper {p[0]}", "year": 2001, "abstract": f"About {p[0]}",
               "externalIds": {}, "authors": []} for p in (S, A, B, C, D, E)]
    edges = [{"citingPaperId": u, "citedPaperId": v, "contexts": [f"{u[0]} cites {v[0]}"],
              "intents": ["background"], "isInfluential": True} for u, v in LINKS]
    server = FakeS2(papers=papers, edges=edges)
    server.start()
    yield server
    server.stop()


def walk(store: Store, fake: FakeS2, seeds: Sequence[str], depth: int = 1,
         direction: str = "both") -> Walker:
    walker = Walker(store, client_for(fake))
    walker.walk(walker.resolve([parse_seed(s) for s in seeds]), depth, direction)
    return walker


def asked(fake: FakeS2) -> list[str]:
    """What was asked for, in order, except that listings asked for together (two may be in
    flight, and either may arrive first) are sorted among themselves."""
    out: list[str] = []
    run: list[str] = []
    for r in fake.requests:
        if "/paper/batch" in r.path:
            out += sorted(run) + ["batch"]
            run = []
        else:
            run.append(r.path.rsplit("/", 1)[-1])
    return out + sorted(run)


def test_depth1_costs_a_lookup_and_one_page_each_way_then_nothing(tmp_path, world) -> None:
    store = Store(tmp_path / "s.sqlite")
    first = walk(store, world, [S])
    assert asked(world) == ["batch", "citations", "references"]
    assert first.report.requests == 3 and first.report.pages == 2
    assert store.fetch_state(S, "references") == (2, True)
    world.reset()
    again = walk(store, world, [S])
    assert world.count() == 0 and again.report.store_hits == 3


def test_depth2_keeps_embedded_references_apart_from_reference_pages(tmp_path, world) -> None:
    store = Store(tmp_path / "s.sqlite")
    walk(store, world, [S], depth=2)
    assert asked(world) == ["batch", "citations", "references", "batch"]
    for n in (A, B, C):
        assert store.done(n, EMBEDDED_STATE["references"])
        assert store.fetch_state(n, "references") == (0, False)
    world.reset()
    walk(store, world, [A], depth=1)
    # a as a seed needs its full page: the embedded list had no contexts.
    assert asked(world) == ["batch", "citations", "references"]
    (edge,) = store.edges_from([A])
    assert edge.contexts == ("a cites d",) and edge.is_influential is True


def test_a_stored_reference_page_serves_a_depth2_neighbour_without_a_request(
        tmp_path, world) -> None:
    store = Store(tmp_path / "s.sqlite")
    walk(store, world, [A, B, C], direction="references")
    world.reset()
    walk(store, world, [S], depth=2)
    # a, b and c have full pages: no batch lookup for the neighbours.
    assert asked(world) == ["batch", "citations", "references"]


def test_a_neighbour_batch_asks_only_for_what_the_store_lacks(tmp_path, world) -> None:
    store = Store(tmp_path / "s.sqlite")
    walk(store, world, [A], direction="references")
    world.reset()
    walk(store, world, [S], depth=2)
    (batch,) = [r for r in world.requests if r.path.endswith("/paper/batch")][1:]
    assert sorted(json.loads(batch.body)["ids"]) == sorted([B, C])


def test_refresh_fetches_the_pages_again_once(tmp_path, world) -> None:
    store = Store(tmp_path / "s.sqlite")
    walk(store, world, [S])
    world.reset()
    walker = Walker(store, client_for(world), refresh=True)
    walker.walk(walker.resolve([parse_seed(S)]), 1, "both")
    assert asked(world) == ["batch", "citations", "references"]


class StoreWatchingTheFake(Store):
    """A store that, when asked to keep the first reference page, waits (up to a minute) for
    the fake to receive the request for the second one, and records whether it came."""

    def __init__(self, path: Any, fake: FakeS2) -> None:
        self.fake = fake
        self.overlapped: list[bool] = []
        super().__init__(path)

    def _references_asked(self) -> int:
        return sum(r.path.endswith("/references") for r in self.fake.requests)

    def transaction(self, **kw):  # type: ignore[no-untyped-def]
        if self._references_asked() == 1 and not self.overlapped:
            deadline = time.monotonic() + 60
            while self._references_asked() < 2 and time.monotonic() < deadline:
                threading.Event().wait(0.01)
            self.overlapped.append(self._references_asked() >= 2)
        return super().transaction(**kw)


def test_the_next_page_is_asked_for_while_the_previous_one_is_stored(tmp_path, world) -> None:
    world.set_page_size_cap(1)  # S's two references come in two pages
    store = StoreWatchingTheFake(tmp_path / "s.sqlite", world)
    walker = walk(store, world, [S], depth=2)
    assert store.overlapped == [True]
    assert not walker.report.partial and walker.report.pages == 4
    assert store.fetch_state(S, "references") == (2, True)
    assert sorted(store.references_of(S)) == sorted([A, B])


TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"


def paced_walker(store: Store, fake: FakeS2) -> Walker:
    """A walker paced at 0.2 s against S2's strict arrival limiter at 0.2 s, each answer
    taking 0.3 s; with no retries, a single 429 would end the walk partial."""
    fake.set_strict_interval(0.2)
    fake.latency = 0.3
    return Walker(store, S2Client(fake.url, min_interval=0.2, backoff=0.01, max_retries=0))


def test_listings_go_out_two_at_a_time_within_the_pacing(tmp_path, world) -> None:
    store = Store(tmp_path / "s.sqlite")
    walker = paced_walker(store, world)
    seeds = walker.resolve([parse_seed(S), parse_seed(A)])
    world.reset()
    world.hold_answers(2)  # answers wait until two requests overlap (or half a minute)
    report = walker.walk(seeds, 1)
    assert world.most_in_flight == 2
    assert not report.partial and [r.status for r in world.requests] == [200] * 4
    assert asked(world) == ["citations"] * 2 + ["references"] * 2 and report.requests == 5
    for pid, kind in ((S, "references"), (S, "citations"), (A, "references")):
        assert store.fetch_state(pid, kind)[1], (pid, kind)
    assert sorted(store.references_of(S)) == sorted([A, B])


def test_neighbour_batches_go_out_two_at_a_time_stored_in_order(tmp_path, fake) -> None:
    store = Store(tmp_path / "s.sqlite")
    walk(store, fake, [TURING], direction="citations")
    citers = sorted(store.citations_of(TURING))
    assert len(citers) > 500  # two batches
    walker = paced_walker(store, fake)
    fake.reset()
    fake.hold_answers(2)
    report = walker.embedded(citers)
    assert fake.most_in_flight == 2
    batches = [json.loads(r.body)["ids"] for r in fake.requests]
    assert batches == [citers[:500], citers[500:]] and report.pages == 2
    assert not report.partial and all(r.status == 200 for r in fake.requests)
    assert store.done_among(citers, (EMBEDDED_STATE["references"],)) == set(citers)


def test_a_failure_in_flight_keeps_the_batch_before_it_and_nothing_of_its_own(
        tmp_path, fake) -> None:
    store = Store(tmp_path / "s.sqlite")
    walk(store, fake, [TURING], direction="citations")
    citers = sorted(store.citations_of(TURING))
    fake.reset()
    fake.inject(None, times=1, path_contains="/paper/batch")  # the first to arrive passes
    fake.inject(500, times=None, path_contains="/paper/batch")  # the second fails
    # Paced, so that the first asked is the first to arrive.
    walker = Walker(store, S2Client(fake.url, min_interval=0.2, backoff=0.01, max_retries=0))
    report = walker.embedded(citers)
    assert report.partial and report.error is not None and report.pages == 1
    state = EMBEDDED_STATE["references"]
    assert store.done_among(citers, (state,)) == set(citers[:500])
    assert report.requests == 2 == fake.count()



class StoreWaitingForABatch(Store):
    """A store that, when asked to keep the last listing of ``paper_id``, waits (up to a
    minute) for the fake to receive a batch lookup, and records whether one came."""

    def __init__(self, path: Any, fake: FakeS2, paper_id: str) -> None:
        self.fake, self.paper_id = fake, paper_id
        self.batch_first: list[bool] = []
        super().__init__(path)

    def _batches(self) -> int:
        return sum("/paper/batch" in r.path for r in self.fake.requests)

    def set_fetch_state(self, paper_id: str, kind: str, *args: Any, **kw: Any) -> None:
        if (paper_id, kind) == (self.paper_id, "citations"):
            deadline = time.monotonic() + 60
            while not self._batches() and time.monotonic() < deadline:
                threading.Event().wait(0.01)
            self.batch_first.append(self._batches() > 0)
        super().set_fetch_state(paper_id, kind, *args, **kw)


def test_a_seeds_neighbours_go_out_before_the_last_seeds_listings_are_in(tmp_path) -> None:
    # x is cited by 600 papers; y and z by two each; none cites another seed.
    x, y, z = pid("7"), pid("8"), pid("9")
    citers = {x: [f"{n:040d}" for n in range(600)], y: [pid("a"), pid("b")],
              z: [pid("c"), pid("d")]}
    papers = [{"paperId": p, "title": f"Paper {p}", "year": 2001}
              for p in [x, y, z, *(c for cs in citers.values() for c in cs)]]
    edges = [{"citingPaperId": c, "citedPaperId": s} for s, cs in citers.items() for c in cs]
    fake = FakeS2(papers=papers, edges=edges)
    fake.start()
    try:
        store = StoreWaitingForABatch(tmp_path / "s.sqlite", fake, z)
        walker = Walker(store, client_for(fake))
        seeds = walker.resolve([parse_seed(s) for s in (x, y, z)])
        fake.reset()
        report = walker.walk(seeds, 2)
        batches = [json.loads(r.body)["ids"] for r in fake.requests if "/paper/batch" in r.path]
    finally:
        fake.stop()
    assert not report.partial and all(r.status == 200 for r in fake.requests)
    # x's first 500 neighbours were asked for while z's citers were still to be kept.
    assert store.batch_first == [True]
    # Still ⌈N/500⌉ batches for the N neighbours, each asked for once.
    assert batches[0] == sorted(citers[x])[:500] and len(batches) == 2
    assert sorted(sum(batches, [])) == sorted(sum(citers.values(), []))



def test_the_first_reference_page_goes_out_while_the_seeds_are_looked_up(tmp_path, world):
    store = Store(tmp_path / "s.sqlite")
    walker = paced_walker(store, world)
    world.reset()
    world.hold_answers(2)  # the lookup's answer waits until a second request is in flight
    seeds = walker.resolve([parse_seed(S), parse_seed(A)], first="references")
    assert world.most_in_flight == 2
    report = walker.walk(seeds, 1)
    assert not report.partial and [r.status for r in world.requests] == [200] * 5
    assert asked(world) == ["batch", "citations", "citations", "references", "references"]
    assert world.requests[1].path.endswith(f"/paper/{S}/references")  # S's page, asked once
    assert sorted(store.references_of(S)) == sorted([A, B])
    assert store.fetch_state(S, "references")[1]


def test_a_lookup_answered_before_the_pacing_lets_the_page_go_costs_nothing(tmp_path, world):
    resolved = threading.Event()  # the pacing's waits last until the seeds are resolved
    client = S2Client(world.url, min_interval=1.0, backoff=0.01,
                      sleep=lambda seconds: resolved.wait(60))
    walker = Walker(Store(tmp_path / "s.sqlite"), client)
    world.reset()
    seeds = walker.resolve([parse_seed(S)], first="references")
    resolved.set()
    report = walker.walk(seeds, 1)
    assert asked(world) == ["batch", "citations", "references"] and report.requests == 3
    assert walker.store.fetch_state(S, "references")[1]


def test_an_unknown_first_seed_whose_page_went_early_leaves_the_walk_whole(tmp_path, world):
    store = Store(tmp_path / "s.sqlite")
    walker = paced_walker(store, world)
    world.reset()
    world.hold_answers(2)
    seeds = walker.resolve([parse_seed(pid("9")), parse_seed(S)], first="references")
    report = walker.walk(seeds, 1)
    assert world.most_in_flight == 2 and [r.status for r in world.requests][:2] == [200, 404]
    assert not report.partial and report.warnings == [f"unknown paper: {pid('9')}"]
    assert store.fetch_state(S, "references")[1] and report.requests == 4
