"""The Maps page's semantic map (SPECTER vectors, PCA) through AppTest against the fake S2."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from explorer.analysis.semantic_map import semantic_layout
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "2_Maps.py")
TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"


def page(fake, db: Path, monkeypatch) -> AppTest:  # type: ignore[no-untyped-def]
    for key, value in (("S2_API_URL", fake.url), ("ARXIV_API_URL", fake.url),
                       ("EXPLORER_DB", str(db)), ("EXPLORER_MIN_INTERVAL", "0")):
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.query_params["seed"] = TRANSFORMER
    return at


def test_semantic_map_places_papers_with_vectors_and_lists_the_others(fake, tmp_path,
                                                                     monkeypatch):
    db = tmp_path / "db.sqlite"
    store = Store(db)
    client = S2Client(fake.url, min_interval=0, timeout=30)
    result = explore([TRANSFORMER], ExploreOptions(depth=1, semantic=True), store=store,
                     client=client)
    dropped = sorted(result.graph)[:3]  # as if S2 had no vector for them
    store.put_embeddings(dict.fromkeys(dropped), "specter_v2")
    store.close()
    fake.reset()
    at = page(fake, db, monkeypatch)
    at.run()
    at.radio[0].set_value("Semantic map").run()
    assert not at.exception, at.exception
    assert fake.count() == 0
    assert any("placed by their SPECTER vectors" in c.value for c in at.caption)
    [expander] = [e for e in at.expander if "no SPECTER vector" in e.label]
    titles = {p: result.graph.nodes[p]["paper"].title or p for p in dropped}
    listed = expander.dataframe[0].value["title"].tolist()
    assert listed and set(listed) <= set(titles.values())
    assert expander.label == f"{len(listed)} papers shown have no SPECTER vector"


def test_without_vectors_the_page_says_how_to_get_them(fake, tmp_path, monkeypatch):
    db = tmp_path / "db.sqlite"
    explore([TRANSFORMER], ExploreOptions(depth=1), store=Store(db),
            client=S2Client(fake.url, min_interval=0, timeout=30))
    at = page(fake, db, monkeypatch)
    at.run()
    at.radio[0].set_value("Semantic map").run()
    assert not at.exception, at.exception
    assert any("no SPECTER vector" in i.value for i in at.info)


def test_layout_is_deterministic_and_skips_odd_sizes():
    rng = np.random.default_rng(3)
    vectors = {f"p{i}": rng.standard_normal(8) for i in range(20)} | {"odd": np.ones(3)}
    ids = [*vectors, "none"]
    first, missing = semantic_layout(ids, vectors)
    again, _ = semantic_layout(ids, dict(reversed(list(vectors.items()))))
    assert first == again and missing == ["odd", "none"]
    assert max(abs(c) for xy in first.values() for c in xy) == 1.0
