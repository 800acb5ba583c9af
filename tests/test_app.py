"""The Streamlit app through streamlit.testing's AppTest, against the fake Semantic Scholar.

The app runs in this process and talks to the fake over a socket with the real clients, like
the CLI does; its store is a temporary SQLite file the tests then read directly and through
the ``explorer`` command.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from explorer.exports import to_csv
from explorer.exports.table import CSV_COLUMNS
from explorer.store import Store
from explorer.tasks import view
from explorer.tasks.explore import ExploreOptions
from explorer.tasks.explore import explore as explore_task
from explorer.tasks.export import from_list
from explorer.tasks.view import read_csv_text
from tests.conftest import cli_env, run_cli
from ui import common

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
XSS = "<img src=x onerror=alert(1)>"
XSS_ID = "f" * 40


@pytest.fixture
def env(fake, tmp_path, monkeypatch):
    values = cli_env(fake, tmp_path / "app.sqlite", EXPLORER_MAX_RETRIES="0")
    for key in ("S2_API_URL", "ARXIV_API_URL", "EXPLORER_DB", "EXPLORER_MIN_INTERVAL",
                "EXPLORER_BACKOFF", "EXPLORER_TIMEOUT", "EXPLORER_MAX_RETRIES"):
        monkeypatch.setenv(key, values[key])
    return values


@pytest.fixture
def media(monkeypatch):
    """Every media store AppTest creates, so a download button's bytes can be read back."""
    made: list[MemoryMediaFileStorage] = []
    original = MemoryMediaFileStorage.__init__

    def init(self, endpoint):  # type: ignore[no-untyped-def]
        original(self, endpoint)
        made.append(self)

    monkeypatch.setattr(MemoryMediaFileStorage, "__init__", init)
    return made


def new_app(**query: str | list[str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    return at


def param(at: AppTest, key: str) -> str | list[str]:
    """A URL query value, one value as a str: the AppTest of Streamlit 1.56 (the floor) gives
    every value as a list, later versions only the repeated ones."""
    value = at.query_params[key]
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def explore(at: AppTest, text: str, depth: int | None = None) -> AppTest:
    """Explore ``text`` from the sidebar, at ``depth`` (default: the app's default)."""
    at.run()
    at.sidebar.text_area(key="seeds_text").input(text)
    if depth is not None:
        at.sidebar.radio(key="depth").set_value(depth)
    at.sidebar.button[0].click()  # the form's Explore button
    return at.run()


def shown_ids(at: AppTest) -> list[str]:
    return list(at.session_state["_shown"])


def at_ranked(at: AppTest):  # type: ignore[no-untyped-def]
    ex = common.stored_exploration(tuple(at.session_state["seeds"]),
                                   int(at.session_state["depth"]), "both")
    assert ex is not None
    return ex.ranked


def all_text(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.error, *at.warning, *at.info)]
    return "\n".join(str(p) for p in parts)


def download(at: AppTest, media: list[MemoryMediaFileStorage], key: str) -> str:
    [button] = [b for b in at.get("download_button") if b.proto.id.endswith(key)]
    name = button.proto.url.rsplit("/", 1)[-1]
    for storage in reversed(media):
        try:
            return storage.get_file(name).content.decode("utf-8")
        except Exception:  # noqa: BLE001 - another run's storage
            continue
    raise AssertionError(f"no media file {name}")


def test_landing_page_then_explore_a_seed(env, fake):
    at = new_app()
    at.run()
    assert not at.exception
    assert "Explore the citation graph" in all_text(at)
    explore(at, "1706.03762", depth=1)
    assert not at.exception and not at.error
    ids = shown_ids(at)
    assert ids[0] == TRANSFORMER and len(ids) == 50  # the seed, 40 references, 9 citers
    assert fake.count() == 3  # one batch for the seed, one page of references, one of citers
    assert "this walk: 3 requests" in all_text(at)
    assert param(at, "seed") == "1706.03762" and param(at, "depth") == "1"
    assert len(at.selectbox(key="paper").options) == 50


def test_the_app_walks_and_ranks_as_the_cli_does_by_default(env, fake, media, tmp_path):
    at = explore(new_app(), "1706.03762")
    assert not at.exception and not at.error
    assert at.sidebar.radio(key="depth").value == 2 and "depth" not in at.query_params
    walked = fake.count()
    assert walked == 5  # the seed, its references and citers, then the neighbours' of each
    app_ids = [r["paper_id"] for r in read_csv_text(download(at, media, "dl_ranked"))]
    fake.reset()
    out = tmp_path / "cli.csv"
    cli = cli_env(fake, tmp_path / "cli.sqlite")  # a store of its own: the CLI walks too
    res = run_cli(["explore", "1706.03762", "--csv", str(out)], cli)
    assert res.returncode == 0, res.stderr
    assert fake.count() == walked
    assert [r["paper_id"] for r in read_csv_text(out.read_text(encoding="utf-8"))] == app_ids
    assert len(app_ids) > 51  # more than the depth-1 neighbourhood


def test_bad_input_is_one_line_in_the_page(env, fake):
    at = new_app()
    explore(at, "1706.999999")
    assert not at.exception
    [err] = at.sidebar.error
    assert "not a paper id or title: '1706.999999'" in err.value and "\n" not in err.value
    assert fake.count() == 0
    at.sidebar.text_area(key="seeds_text").input("2501.99999")  # well-formed, unknown
    at.sidebar.button[0].click()
    at.run()
    assert not at.exception
    assert any("2501.99999" in e.value and "\n" not in e.value for e in at.error)


def test_filters_rerun_without_requests(env, fake):
    at = explore(new_app(), "1706.03762", depth=1)
    fake.reset()
    at.text_input(key="keyword").input("translation").run()
    kept = shown_ids(at)
    assert 1 < len(kept) < 50 and kept[0] == TRANSFORMER
    store = Store(env["EXPLORER_DB"])
    for pid in kept[1:]:
        p = store.paper(pid)
        assert "translation" in f"{p.title} {p.abstract} {p.tldr}".lower()
    at.text_input(key="keyword").input("").run()
    at.multiselect(key="relations").set_value(["citation"]).run()
    cites = set(store.citations_of(TRANSFORMER))
    assert set(shown_ids(at)[1:]) == cites and len(cites) == 9
    at.multiselect(key="relations").set_value([]).run()
    at.number_input(key="min_cites").set_value(1000).run()
    for pid in shown_ids(at)[1:]:
        assert (store.paper(pid).citation_count or 0) >= 1000
    at.select_slider(key="top").set_value(10).run()
    assert len(shown_ids(at)) <= 10
    assert param(at, "min_cites") == "1000" and param(at, "top") == "10"
    assert fake.count() == 0  # no filter change refetches


def test_shared_url_rebuilds_the_view_from_the_store_with_no_request(env, fake, tmp_path):
    first = explore(new_app(), "1706.03762")
    first.text_input(key="keyword").input("neural").run()
    link = {k: first.query_params[k] for k in first.query_params}
    fake.reset()
    second = new_app(**link)
    second.run()
    assert not second.exception
    assert fake.count() == 0
    assert shown_ids(second) == shown_ids(first)
    assert second.text_input(key="keyword").value == "neural"
    # and it is the CLI's ranking, from the same store
    out = tmp_path / "cli.csv"
    res = run_cli(["explore", "1706.03762", "--offline", "--csv", str(out)], env)
    assert res.returncode == 0, res.stderr
    cli_ids = [r["paper_id"] for r in read_csv_text(out.read_text(encoding="utf-8"))]
    at_all = new_app(seed="1706.03762", top="1000")
    at_all.run()
    assert shown_ids(at_all) == cli_ids


def test_failure_mid_walk_shows_what_was_fetched_and_why(env, fake):
    fake.inject(500, path_contains="/citations", times=None)
    at = explore(new_app(), "1706.03762", depth=1)
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "stopped early" in errors and "500" in errors
    assert len(shown_ids(at)) == 41  # the seed and its references were kept
    fake.clear_faults()
    fake.reset()
    [resume] = [b for b in at.button if b.label == "Continue the walk"]
    resume.click().run()
    assert not at.exception and not at.error
    assert len(shown_ids(at)) == 50
    assert fake.count() == 1  # only the missing citations page


def test_reading_list_is_kept_in_the_store_and_shared_with_the_cli(env, fake):
    at = explore(new_app(), "1706.03762")
    pid = shown_ids(at)[3]
    at.selectbox(key="paper").set_value(pid).run()
    at.button_group(key=f"status_{pid}").set_value("reading").run()
    assert not at.exception
    assert [(i.paper_id, i.status) for i in Store(env["EXPLORER_DB"]).list_items()] == [
        (pid, "reading")]
    res = run_cli(["show", pid, "--offline"], env)
    assert res.returncode == 0 and "reading list: reading" in res.stdout
    # marked read and hidden
    at.button_group(key=f"status_{pid}").set_value("read").run()
    at.checkbox(key="hide_read").check().run()
    assert pid not in shown_ids(at)
    at.checkbox(key="hide_read").uncheck().run()
    at.selectbox(key="paper").set_value(pid).run()
    at.button_group(key=f"status_{pid}").set_value("—").run()
    assert Store(env["EXPLORER_DB"]).list_items() == []


def test_downloads_are_the_core_csv(env, fake, media):
    at = explore(new_app(), "1706.03762", depth=1)
    ranked = read_csv_text(download(at, media, "dl_ranked"))
    assert list(ranked[0]) == list(CSV_COLUMNS)
    assert len(ranked) == 50 and ranked[0]["paper_id"] == TRANSFORMER
    assert [int(r["rank"]) for r in ranked] == list(range(1, 51))
    picks = shown_ids(at)[1:3]
    for pid in picks:
        at.selectbox(key="paper").set_value(pid).run()
        at.button_group(key=f"status_{pid}").set_value("to read").run()
    listed = read_csv_text(download(at, media, "dl_list"))
    assert list(listed[0]) == list(to_csv.COLUMNS)
    assert [r["paper_id"] for r in listed] == picks


def test_reading_list_csv_is_the_export_with_every_paper_status_tags_and_note(env, fake, media):
    at = explore(new_app(), "1706.03762")
    picks = shown_ids(at)[1:6]
    store = Store(env["EXPLORER_DB"])
    for pid, status in zip(picks, ("to read", "reading", "read", "not relevant", "to read"),
                           strict=True):
        store.list_set(pid, status=status)
    store.list_set(picks[0], tags=["nlp", "core"], note="section 3")
    at.run()
    listed = read_csv_text(download(at, media, "dl_list"))
    assert [r["paper_id"] for r in listed] == picks  # all five, "not relevant" too
    assert list(listed[0]) == list(to_csv.COLUMNS)
    first = listed[0]
    assert (first["status"], first["tags"], first["note"]) == ("to read", "nlp; core",
                                                               "section 3")
    assert listed[3]["status"] == "not relevant"
    ex = common.stored_exploration(("1706.03762",))  # the app's default, as it explored
    assert download(at, media, "dl_list") == to_csv.render(from_list(store, ex))


def test_hostile_title_is_literal_text(env, fake):
    fake.add_paper({"paperId": XSS_ID, "title": XSS, "year": 2024, "citationCount": 1,
                    "authors": [{"authorId": "1", "name": "<script>alert(3)</script>"}],
                    "abstract": "[click](javascript:alert(4)) **bold**", "externalIds": {}})
    fake.add_edge({"citingPaperId": XSS_ID, "citedPaperId": TRANSFORMER,
                   "contexts": ["<b>as in</b> [1]"], "intents": [], "isInfluential": True})
    at = explore(new_app(), "1706.03762", depth=1)  # among the 100 shown
    at.selectbox(key="paper").set_value(XSS_ID).run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert f"#### {common.md(XSS)}" in shown  # the details heading, every < escaped
    assert common.md(XSS) == r"\<img src=x onerror=alert\(1\)\>"
    assert not any(re.search(r"(?<!\\)<(img|script|b)", m) for m in shown)
    assert not any("](javascript" in m for m in shown)
    row = view.table([r for r in at_ranked(at) if r.paper.paper_id == XSS_ID]).iloc[0]
    assert row["title"] == XSS  # the table cell holds the text itself (a grid cell, not HTML)


# ------------------------------------------------------------------ survey mode, bibliographies

GPT3 = "640654714765473f52ac3d80aa8e85ef11f79fd3"
BERT = "340796c8308a8852b207e932c4abf7450b1c284c"
THREE = """@article{vaswani2017, title = {Attention Is All You Need},
  eprint = {1706.03762}, archivePrefix = {arXiv}}
@article{devlin2018, title = {{BERT}}, doi = {10.48550/arXiv.1810.04805}}
@article{brown2020, title = {Language Models are Few-Shot Learners}}
@article{ghost2024, title = {A paper nobody wrote}, eprint = {2401.99999}}
"""


def submit(at: AppTest, text: str = "", *, survey: bool = False,
           upload: tuple[str, bytes] | None = None) -> AppTest:
    at.sidebar.text_area(key="seeds_text").input(text)
    at.sidebar.checkbox(key="survey").set_value(survey)
    if upload:
        at.sidebar.file_uploader[0].set_value((*upload, "application/octet-stream"))
    at.sidebar.button[0].click()
    return at.run()


def test_survey_checkbox_ranks_the_references_and_shows_what_it_missed(env, fake, media):
    at = new_app()
    at.run()
    submit(at, "ARXIV:2005.14165", survey=True)
    assert not at.exception and not at.error
    assert param(at, "survey") == "1"
    assert fake.count() <= 5  # the survey, its references, two batches for their links
    store = Store(env["EXPLORER_DB"])
    refs = set(store.references_of(GPT3))
    rows = read_csv_text(download(at, media, "dl_ranked"))
    relations = [r["relation"] for r in rows]
    n = relations.count("reference")
    assert {r["paper_id"] for r in rows[:n]} == refs and len(refs) == 143
    assert relations[n:] and set(relations[n:]) == {"missed"}  # the references first
    scores = [float(r["score"]) for r in rows[:n]]
    assert scores == sorted(scores, reverse=True)
    assert "the other references" in rows[0]["reasons"]
    assert GPT3 not in {r["paper_id"] for r in rows}
    text = all_text(at)
    assert r"## Survey\: Language Models are Few\-Shot Learners" in text
    assert "What the survey missed" in text
    ranked_table, missed_table = at.dataframe  # no reading list yet
    missed = missed_table.value
    assert set(ranked_table.value["relation"]) == {"reference"}  # the top 100 of 143
    assert set(missed["relation"]) == {"missed"}
    assert list(missed["paper_id"]) == [r["paper_id"] for r in rows[n:]][: len(missed)]
    assert len(missed) == len(rows) - n and all(missed["reasons"])
    assert any("newer than the survey" in x for x in missed["reasons"])
    assert read_csv_text(download(at, media, "dl_missed")) == rows[n:]
    # the graph and details follow the survey's ranking
    assert shown_ids(at)[0] == rows[0]["paper_id"]
    assert at.selectbox(key="paper").value == rows[0]["paper_id"]
    # a rerun, a filter and the shared link make no request
    fake.reset()
    at.run()
    at.multiselect(key="relations").set_value(["missed"]).run()
    assert not at.exception and set(shown_ids(at)) == set(missed["paper_id"])
    link = {k: at.query_params[k] for k in at.query_params}
    again = new_app(**link)
    again.run()
    assert not again.exception and again.checkbox(key="survey").value
    assert shown_ids(again) == shown_ids(at)
    assert fake.count() == 0


def test_bibliography_upload_explores_its_entries_and_lists_the_unresolved(env, fake):
    at = explore(new_app(), "1706.03762")  # one of the three is in the store already
    assert not at.error
    at = submit(at, upload=("three.bib", THREE.encode()))
    assert not at.exception and not at.error
    seeds = {r.paper.paper_id for r in at_ranked(at) if r.relation == "seed"}
    assert seeds == {TRANSFORMER, BERT, GPT3}
    assert set(shown_ids(at)) >= seeds
    [warning] = [w.value for w in at.warning if "not found" in w.value]
    assert warning.startswith("1 of 4 entries of three\\.bib not found")
    assert "ghost2024 (line 5)" in warning.replace("\\", "")
    assert at.query_params["seed"] == ["ARXIV:1706.03762", "ARXIV:1810.04805",
                                     "Language Models are Few-Shot Learners", "ARXIV:2401.99999"]
    assert any("not part of the page's link" in c.value for c in at.sidebar.caption)
    fake.reset()
    at.run()
    assert not at.exception and fake.count() == 0


def test_malformed_bibliography_is_one_line_naming_the_line(env, fake):
    at = new_app()
    at.run()
    broken = b"@article{ok, title={Fine}, eprint={1706.03762}}\n\n@article{bad,\n  title = {x\n"
    submit(at, upload=("broken.bib", broken))
    assert not at.exception
    [err] = at.sidebar.error
    assert err.value.startswith("broken.bib line 3: ") and "\n" not in err.value
    assert fake.count() == 0 and not at.session_state["seeds"]


def test_a_seed_added_to_a_stored_exploration_is_fetched(env, fake):
    at = explore(new_app(), "1706.03762")
    fake.reset()
    at = explore(at, "1706.03762\n10.1093/mind/LIX.236.433")  # the store has no Turing yet
    assert not at.exception and not at.warning
    seeds = [r.paper for r in at_ranked(at) if r.relation == "seed"]
    assert len(seeds) == 2 and any("Computing Machinery" in (p.title or "") for p in seeds)
    assert fake.count() >= 1


def test_unreachable_service_is_one_line_naming_the_host(env, fake, monkeypatch):
    # The defaults' retries and spacing: a missing host must still fail at once.
    for key, value in (("S2_API_URL", "http://127.0.0.1:9"), ("EXPLORER_MAX_RETRIES", "6"),
                       ("EXPLORER_BACKOFF", "1"), ("EXPLORER_MIN_INTERVAL", "1")):
        monkeypatch.setenv(key, value)
    at = explore(new_app(), "1706.03762")
    assert not at.exception
    [line] = [e.value for e in at.error if "127.0.0.1:9" in e.value]
    assert "cannot reach Semantic Scholar" in line and "make demo" in line
    assert "\n" not in line and fake.count() == 0


def test_bad_setting_is_one_line_in_the_page(env, fake, monkeypatch):
    monkeypatch.setenv("EXPLORER_TIMEOUT", "nan")
    at = explore(new_app(), "1706.03762")
    assert not at.exception
    [line] = [e.value for e in at.error]
    assert line.startswith("EXPLORER_TIMEOUT is 'nan'") and "\n" not in line
    assert fake.count() == 0


def test_reclicking_a_status_keeps_the_entry_and_a_removal_can_be_undone(env, fake):
    at = explore(new_app(), "1706.03762")
    pid = shown_ids(at)[2]
    Store(env["EXPLORER_DB"]).list_set(pid, status="reading", tags=["nlp"], note="read §3")
    at.run()
    at.selectbox(key="paper").set_value(pid).run()
    # the segmented control sends None when the selected status is clicked again
    at.button_group(key=f"status_{pid}").set_value(None).run()
    assert not at.exception
    [item] = Store(env["EXPLORER_DB"]).list_items()
    assert (item.paper_id, item.status, item.tags, item.note) == (
        pid, "reading", ("nlp",), "read §3")
    assert at.button_group(key=f"status_{pid}").value == "reading"

    at.button_group(key=f"status_{pid}").set_value("—").run()
    assert Store(env["EXPLORER_DB"]).list_items() == []
    [undo] = [b for b in at.button if b.key == "undo_remove"]
    undo.click().run()
    assert not at.exception
    [item] = Store(env["EXPLORER_DB"]).list_items()
    assert (item.paper_id, item.status, item.tags, item.note) == (
        pid, "reading", ("nlp",), "read §3")
    assert not [b for b in at.button if b.key == "undo_remove"]


def test_a_paper_marked_to_read_reranks_the_exploration_as_the_cli_would(env, fake):
    at = explore(new_app(), "1706.03762")
    before = shown_ids(at)
    pid = before[3]
    at.selectbox(key="paper").set_value(pid).run()
    at.button_group(key=f"status_{pid}").set_value("to read").run()
    assert not at.exception
    again = explore_task(["1706.03762"], ExploreOptions(offline=True),
                         store=Store(env["EXPLORER_DB"]), record=False)
    expected = [r.paper.paper_id for r in again.ranked][:len(before)]
    assert expected != before  # a paper to read is a weak seed: its neighbours rise
    assert shown_ids(at) == expected
