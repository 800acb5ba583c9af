"""The Maps page through Streamlit's AppTest against the fake S2: walk, switch views, read
the clusters and lineage, connect two papers."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "2_Maps.py")


def test_maps_page_views_clusters_lineage_and_connector(fake, tmp_path, monkeypatch):
    for key, value in (("S2_API_URL", fake.url), ("ARXIV_API_URL", fake.url),
                       ("EXPLORER_DB", str(tmp_path / "db.sqlite")),
                       ("EXPLORER_MIN_INTERVAL", "0")):
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.query_params["seed"] = ["ARXIV:1808.09781", "ARXIV:2005.14165"]
    at.run()
    assert not at.exception
    assert fake.count() == 0  # the store is asked first
    at.button[0].click().run()  # walk
    assert not at.exception, at.exception
    walked = fake.count()
    assert walked > 0
    at.run()  # now from the store
    for view in ("Similarity map", "Timeline", "Citation graph"):
        at.radio[0].set_value(view).run()
        assert not at.exception, (view, at.exception)
    assert fake.count() == walked  # switching views makes no request
    clusters = at.dataframe[0].value
    assert len(clusters) > 1 and clusters["cluster"].str.len().gt(0).all()
    prior = at.dataframe[1].value
    assert prior["why"].str.startswith("cited by").all()

    at.text_input[0].set_value("ARXIV:1808.09781")
    at.text_input[1].set_value("ARXIV:2005.14165")
    at.button[-1].click().run()
    assert not at.exception, at.exception
    assert any("shortest path" in t.value for t in at.text), [t.value for t in at.text]
