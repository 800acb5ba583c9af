"""The "Who cites" page through Streamlit's AppTest against the fake S2."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "1_Who_cites.py")


def _page_on(fake, tmp_path, monkeypatch) -> AppTest:
    """The page over the fake, asked for a paper whose citers the store does not hold."""
    monkeypatch.setenv("S2_API_URL", fake.url)
    monkeypatch.setenv("ARXIV_API_URL", fake.url)
    monkeypatch.setenv("EXPLORER_DB", str(tmp_path / "db.sqlite"))
    monkeypatch.setenv("EXPLORER_MIN_INTERVAL", "0")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    at.text_input[0].set_value("DOI:10.1093/mind/LIX.236.433").run()
    return at


def test_page_fetches_once_then_filters_from_the_store(fake, tmp_path, monkeypatch):
    at = _page_on(fake, tmp_path, monkeypatch)
    assert fake.count() == 0  # the store is asked first
    at.button[0].click().run()
    assert not at.exception
    # 1,000 citer records: the two versions of "Proof in the time of machines" are one citer
    assert at.subheader[0].value == "999 of 999 citers match"
    assert any("10,059" in i.value for i in at.info)
    fetched = fake.count()
    at.text_input[1].set_value("language model").run()
    at.number_input[0].set_value(2023).run()
    assert fake.count() == fetched  # filtering makes no request
    shown = at.dataframe[0].value
    assert 0 < len(shown) < 1000 and (shown["year"] >= 2023).all()
    assert shown["reasons"].str.len().gt(0).all()
    said = [m.value for m in at.markdown if "Where the citers say" in m.value]
    assert said, "the matching sentences are listed in full"
    sentences = [m.value for m in at.markdown if "“" in m.value and "**" in m.value
                 and m.value.startswith("- ")]
    assert sentences and all("**language model**" in s.lower() for s in sentences[0].split("\n"))


def test_a_bad_filter_is_worded_with_the_widgets_names(fake, tmp_path, monkeypatch):
    at = _page_on(fake, tmp_path, monkeypatch)
    at.button[0].click().run()
    at.number_input[0].set_value(2024).run()
    at.number_input[1].set_value(2020).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["“Since year” 2024 is after “Until year” 2020"]
