"""Export sets built from the store (explorer.tasks.export): the last exploration is replayed
through the task that made it, with the options and weights it was saved with. Survey mode end
to end is in test_survey.py."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from explorer.config import Settings
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore
from explorer.tasks.export import from_last, last_exploration
from explorer.tasks.survey import explore_survey

WEIGHTS = {"cited_by": 0.1, "citations": 0.9}


def explorations(db):
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT COUNT(*) FROM explorations").fetchone()[0]


def ranking(result):
    return [(r.rank, r.paper.paper_id, r.relation, r.score) for r in result.ranked]


def test_the_last_exploration_replays_its_options_and_weights_with_no_request(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    settings = Settings(s2_api_url=fake.url, arxiv_api_url=fake.url, min_interval=0)
    with settings.s2_client() as client:
        first = explore(["ARXIV:1706.03762"], ExploreOptions(depth=1, direction="references"),
                        store=store, client=client, weights=WEIGHTS)
    saved = explorations(tmp_path / "s.sqlite")
    fake.reset()
    replayed = last_exploration(store)
    assert fake.count() == 0 and replayed is not None
    assert ranking(replayed) == ranking(first)
    assert {r.relation for r in replayed.ranked} == {"seed", "reference"}
    data = from_last(store)
    assert data.title == "Exploration of Attention Is All You Need"
    assert [(e.rank, e.paper.paper_id) for e in data.entries] == \
        [(r.rank, r.paper.paper_id) for r in first.ranked]
    assert explorations(tmp_path / "s.sqlite") == saved == 1  # a replay adds no history line


def test_no_exploration_yet_is_none(tmp_path):
    assert last_exploration(Store(tmp_path / "s.sqlite")) is None


def test_a_list_surveyed_as_references_replays_with_what_it_missed(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    settings = Settings(s2_api_url=fake.url, arxiv_api_url=fake.url, min_interval=0)
    with settings.s2_client() as client:
        first = explore_survey(["ARXIV:1706.03762", "ARXIV:1810.04805", "ARXIV:2005.14165"],
                               store=store, client=client, min_links=1)
    assert first.missed
    fake.reset()
    replayed = last_exploration(store)
    assert fake.count() == 0 and replayed is not None
    assert ranking(replayed) == ranking(first.as_exploration())
    assert from_last(store).title == "Survey of the list"
