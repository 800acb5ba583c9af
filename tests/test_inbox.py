"""The inbox over the fakes: two weeks of three arXiv categories ranked against the library,
with reasons; a rerun shows nothing new; the feed and the digest; what it costs."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from streamlit.testing.v1 import AppTest

from explorer.config import Settings
from explorer.errors import ExplorerError
from explorer.exports.to_inbox import link_of
from explorer.fake_s2 import FakeArxiv
from explorer.fake_s2.corpus import Corpus
from explorer.fake_s2.plant import CATEGORIES, paper_id_of, plant_inbox
from explorer.models import Paper
from explorer.sources.arxiv import ArxivClient
from explorer.store import INBOX_SCHEMA, SCHEMA, Store
from explorer.tasks import inbox, watch
from tests.conftest import cli_env, run_cli

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
BERT = "340796c8308a8852b207e932c4abf7450b1c284c"
LIBRARY = (TRANSFORMER, BERT)
CATS = list(CATEGORIES)


def clients(fake) -> tuple:
    settings = Settings(s2_api_url=fake.url, arxiv_api_url=fake.url, min_interval=0,
                        backoff=0.01, arxiv_delay=0)
    return settings.s2_client(), settings.arxiv_client()


@pytest.fixture
def env(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLORER_ARXIV_DELAY", "0")  # the in-process runner sets the rest
    return cli_env(fake, tmp_path / "db.sqlite", EXPLORER_ARXIV_DELAY="0")


def now() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=1)


def test_relevant_papers_first_with_reasons_then_a_rerun_shows_nothing_new(fake, tmp_path, env,
                                                                           cli):
    assert cli(["list", "add", "1706.03762", "1810.04805"], env).returncode == 0
    planted = plant_inbox(fake, LIBRARY, now=now())
    fake.reset()
    first = cli(["inbox", "--category", *CATS], env)
    assert first.returncode == 0, first.stderr
    lines = [m.group(1) for ln in first.stdout.splitlines()
             if (m := re.match(r"^\s*\d+\.\s+-?[\d.]+  (.*)  \[.*\]$", ln))]
    assert len(lines) == len(planted.listed)
    top = lines[:len(planted.relevant)]
    titles = {a: fake.corpus.by_arxiv(a)["title"] for a in planted.listed}
    assert sorted(top) == sorted(f"{titles[a]} ({now().year})" for a in planted.relevant)
    assert "cites 2 papers in your reading list: “BERT: Pre-training of Deep Bidirectional " \
        "Transformers for Language Understanding (2018)”; “Attention Is All You Need (2017)”" \
        in first.stdout
    assert "close in wording to “BERT: Pre-training of Deep Bidirectional Transformers for " \
        "Language Understanding (2018)” (your reading list), 0." in first.stdout
    assert f"{len(planted.listed)} new papers shown of {len(planted.listed)} listed" \
        in first.stdout
    # 3 categories x 14 days: one arXiv page (<= 2000) and one S2 batch (<= 500)
    assert [r.path for r in fake.requests] == ["/api/query", "/graph/v1/paper/batch"]
    assert "2 requests: 1 arXiv, 1 Semantic Scholar" in first.stdout
    assert all(o not in first.stdout for o in planted.outside)

    fake.reset()
    second = cli(["inbox"], env)  # the categories of the last run
    assert second.returncode == 0, second.stderr
    assert f"0 new papers shown of {len(planted.listed)} listed" in second.stdout
    assert f"({len(planted.listed)} shown before)" in second.stdout
    assert [r.path for r in fake.requests] == ["/api/query"]

    fake.reset()
    again = cli(["inbox", "--all", "--limit", "5"], env)
    assert again.returncode == 0 and again.stdout.count("https://arxiv.org/abs/") == 5
    assert [r.path for r in fake.requests] == ["/api/query"]  # the store knows them all


def test_the_cost_of_two_thousand_papers_in_pages_and_batches(fake, tmp_path):
    planted = plant_inbox(fake, LIBRARY, now=now(), per_day=150)
    assert len(planted.listed) == 2100
    store = Store(tmp_path / "db.sqlite")
    store.list_set(TRANSFORMER, status="to read")
    s2_context, arxiv = clients(fake)
    with s2_context as s2:
        first = inbox.run(store, s2, arxiv, CATS, limit=10)
        assert (first.arxiv_requests, first.s2_requests) == (2, 5)  # ⌈2100/2000⌉, ⌈2100/500⌉
        assert len(first.items) == 10 and first.held_back == 2090
        rerun = inbox.run(store, s2, arxiv, CATS, limit=10)
        assert (rerun.arxiv_requests, rerun.s2_requests) == (2, 0)
        assert len(rerun.items) == 10 and rerun.already_shown == 10
    assert fake.count("/graph/v1/paper/batch") == 5


def test_feed_and_digest_are_valid_and_every_link_resolves(fake, tmp_path, env):
    vault = tmp_path / "vault"
    vault.mkdir()
    assert run_cli(["list", "add", "1706.03762", "1810.04805"], env).returncode == 0
    assert run_cli(["export", "--from", "list", "--format", "markdown", "--out", str(vault)],
                   env).returncode == 0
    (vault / "Index.md").unlink()
    bert_note = next(p for p in vault.glob("BERT*.md"))
    bert_note.unlink()  # only the Transformer's note is left: no link may name BERT's
    planted = plant_inbox(fake, LIBRARY, now=now())
    hostile = {"paperId": "f" * 40, "externalIds": {"ArXiv": "2611.99999"},
               "title": "Attention ]] [[Index]] [x](javascript:alert(1)) <script>\x1b[2J\u202e",
               "abstract": "<b>all</b> attention is all you need", "year": 2026,
               "authors": [{"name": "Mallory \x07 [[Evil]]"}],
               "arxiv": {"categories": ["cs.LG"],
                         "submitted": f"{now() - timedelta(hours=3):%Y-%m-%dT%H:%M:%SZ}"}}
    fake.add_paper(hostile)
    fake.add_edge({"citingPaperId": "f" * 40, "citedPaperId": TRANSFORMER})
    feed_path, note_path = tmp_path / "inbox.xml", vault / "Inbox 2026-12-02.md"
    res = run_cli(["inbox", "--category", *CATS, "--atom", str(feed_path), "--digest",
                   str(note_path)], env)
    assert res.returncode == 0, res.stderr
    assert "\x1b" not in res.stdout and "\u202e" not in res.stdout and "\\x1b[2J" in res.stdout

    feed = feedparser.parse(feed_path.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    listed = set(planted.listed) | {"2611.99999"}
    assert len(feed.entries) == len(listed)
    assert {e.link for e in feed.entries} == {f"https://arxiv.org/abs/{a}" for a in listed}
    evil = next(e for e in feed.entries if "2611.99999" in e.link)
    assert "<script>" in evil.title and "cites 1 paper in your reading list" in evil.summary

    text = note_path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "\ntags:\n- inbox\n" in text
    assert f"\npapers: {len(listed)}\n" in text
    wikilinks = re.findall(r"(?<!\\)\[\[([^\]]+)\]\]", text)
    assert wikilinks and all((vault / f"{name}.md").is_file() for name in wikilinks)
    assert not any("BERT" in name for name in wikilinks)
    urls = re.findall(r"(?<!\\)\]\((\S+?)\)", text)  # an escaped \]( is no link
    assert len(urls) == len(listed)
    assert set(urls) == {f"https://arxiv.org/abs/{a}" for a in listed}
    assert not any(c in text for c in ("<script>", "\x1b", "\x07", "\u202e"))


def test_marking_a_paper_changes_the_next_ranking(fake, tmp_path):
    planted = plant_inbox(fake, LIBRARY, now=now())
    store = Store(tmp_path / "db.sqlite")
    store.list_set(TRANSFORMER, status="to read")
    s2_context, arxiv = clients(fake)
    with s2_context as s2:
        before = {i.candidate.key: i for i in inbox.run(store, s2, arxiv, CATS).items}
        liked = paper_id_of(planted.others[0])  # "Measuring protein folding with sensors ..."
        store.list_set(liked, status="to read")
        disliked = paper_id_of(planted.close[0])
        store.list_set(disliked, status="not relevant")
        after = {i.candidate.key: i for i in inbox.run(store, s2, arxiv, CATS,
                                                       show_all=True).items}
    topic = " ".join(fake.corpus.by_arxiv(planted.others[0])["title"].split()[:3])
    same_topic = [a for a in planted.others[1:]
                  if fake.corpus.by_arxiv(a)["title"].startswith(topic)]
    assert same_topic
    for a in same_topic:
        key = f"arxiv:{a}"
        assert after[key].score > before[key].score
        assert any("your reading list" in r and topic in r for r in after[key].reasons)
    others_close = [a for a in planted.close[1:]
                    if fake.corpus.by_arxiv(a)["title"]
                    == fake.corpus.by_arxiv(planted.close[0])["title"]]
    for a in others_close:
        assert after[f"arxiv:{a}"].score < before[f"arxiv:{a}"].score
        assert any("marked not relevant" in r for r in after[f"arxiv:{a}"].reasons)


def test_new_citers_of_watched_papers_and_recommendations_join_in(fake, tmp_path):
    store = Store(tmp_path / "db.sqlite")
    record = dict(fake.corpus.papers[BERT])
    record["citationCount"] = len(fake.corpus.citations_of(BERT))
    fake.add_paper(record)
    s2_context, arxiv = clients(fake)
    with s2_context as s2:
        store.put_papers([s2.paper(BERT)])
        watch.add(store, [BERT])
        inbox.run(store, s2, arxiv, CATS)  # the watch's baseline
        citer = {"paperId": "9" * 40, "title": "A new BERT for tables", "year": 2026,
                 "externalIds": {}, "authors": []}
        fake.add_paper(citer)
        fake.add_edge({"citingPaperId": "9" * 40, "citedPaperId": BERT})
        record["citationCount"] += 1
        fake.add_paper(record)
        asked: list[list[str]] = []

        def recommend(kept: list[Paper]) -> list[Paper]:
            asked.append([p.paper_id for p in kept])
            return [Paper(TRANSFORMER, "Attention Is All You Need", 2017)]

        report = inbox.run(store, s2, arxiv, CATS, recommend=recommend)
    by_key = {i.candidate.key: i for i in report.items}
    assert by_key["9" * 40].candidate.found_in == "new citer of a watched paper"
    assert any(r.startswith("cites 1 watched paper: “BERT") for r in by_key["9" * 40].reasons)
    assert asked == [[BERT]] and by_key[TRANSFORMER].candidate.found_in == "recommended"


def test_bad_input_is_one_line_and_costs_nothing(fake, env, cli):
    for args, words in ((["inbox"], "name your arXiv categories once"),
                        (["inbox", "--category", "cs LG"], "an arXiv category looks like"),
                        (["inbox", "--category", "cs.LG", "--since", "fortnight"],
                         "a span looks like 14d"),
                        (["inbox", "--category", "cs.LG", "--limit", "0"],
                         "error: --limit must be 1 or more")):
        res = cli(args, env)
        assert res.returncode == 1 and words in res.stderr and res.stderr.count("\n") == 1
    assert fake.count() == 0


def test_a_version_2_store_gains_the_inbox_tables_and_keeps_its_data(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(SCHEMA.replace(INBOX_SCHEMA, ""))
    db.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    db.execute("INSERT INTO reading_list VALUES ('p', 'to read', '[]', '', 0, 0)")
    db.commit()
    db.close()
    store = Store(path)
    assert inbox.remembered(store) == [] and [i.paper_id for i in store.list_items()] == ["p"]


def test_an_unknown_arxiv_host_is_one_line(tmp_path, env, cli):
    res = cli(["inbox", "--category", "cs.LG"], env | {"ARXIV_API_URL": "http://127.0.0.1:9"})
    assert res.returncode == 2 and res.stderr.startswith("error:") and "127.0.0.1:9" in res.stderr


def test_listing_through_the_client_alone_needs_no_store(fake):
    plant_inbox(fake, LIBRARY, now=now())
    found = ArxivClient(fake.url, delay_seconds=0).listing(["cs.IR"], now() - timedelta(days=14),
                                                            now())
    assert found and all("cs.IR" in r.categories for r in found)


PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "4_Inbox.py")


def test_the_inbox_page_lists_ranks_and_keeps_a_status(fake, tmp_path, env, cli, monkeypatch):
    assert cli(["list", "add", "1706.03762", "1810.04805"], env).returncode == 0
    planted = plant_inbox(fake, LIBRARY, now=now())
    for key in ("S2_API_URL", "ARXIV_API_URL", "EXPLORER_DB", "EXPLORER_MIN_INTERVAL"):
        monkeypatch.setenv(key, env[key])
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception and "Nothing in the inbox yet" in at.info[0].value
    at.text_input(key="inbox_categories").set_value(" ".join(CATS))
    at.button[0].click().run()
    assert not at.exception
    assert at.subheader[0].value == f"{len(planted.listed)} papers of the last 14 days, best first"
    shown = [re.sub(r"\\(.)", r"\1", m.group(1)) for t in at.markdown
             if (m := re.match(r"^\*\*\d+\. \[(.*)\]\(https://arxiv\.org/abs/", t.value))]
    assert len(shown) == len(planted.listed)
    assert sorted(shown[:len(planted.relevant)]) == sorted(
        fake.corpus.by_arxiv(a)["title"] for a in planted.relevant)
    assert any(m.value.startswith("- cites ") for m in at.markdown)
    key = f"arxiv:{planted.others[0]}"
    at.selectbox(key=f"inbox_status_{key}").select("not relevant").run()
    assert not at.exception
    assert Store(Path(env["EXPLORER_DB"])).statuses()[paper_id_of(planted.others[0])] \
        == "not relevant"
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()  # a new session reads the status back from the store
    assert at.selectbox(key=f"inbox_status_{key}").value == "not relevant"
    assert fake.count("/api/query") == 1


def test_papers_you_explored_are_part_of_the_library(fake, tmp_path, env, cli):
    assert cli(["explore", "1706.03762", "--direction", "references"], env).returncode == 0
    planted = plant_inbox(fake, (TRANSFORMER,), now=now())
    res = cli(["inbox", "--category", *CATS, "--limit", str(len(planted.relevant))], env)
    assert res.returncode == 0, res.stderr
    assert res.stdout.count("cites 1 paper you explored: “Attention Is All You Need (2017)”") \
        == len(planted.relevant)
    assert f"{len(planted.listed) - len(planted.relevant)} held back for the next run" \
        in res.stdout


def test_help_has_examples(env, cli):
    res = cli(["inbox", "--help"], env)
    assert res.returncode == 0 and "examples:\n  explorer inbox --category" in res.stdout


def test_a_failed_lookup_remembers_nothing_and_the_next_run_shows_everything(fake, tmp_path):
    planted = plant_inbox(fake, LIBRARY, now=now())
    store = Store(tmp_path / "db.sqlite")
    store.list_set(TRANSFORMER, status="to read")
    settings = Settings(s2_api_url=fake.url, arxiv_api_url=fake.url, min_interval=0,
                        backoff=0.01, arxiv_delay=0, max_retries=0)
    fake.inject(503, times=None, path_contains="/paper/batch")
    with settings.s2_client() as s2, pytest.raises(ExplorerError):
        inbox.run(store, s2, settings.arxiv_client(), CATS)
    assert inbox.remembered(store) == [] and store.integrity_ok()
    fake.clear_faults()
    with settings.s2_client() as s2:
        report = inbox.run(store, s2, settings.arxiv_client(), CATS)
    assert len(report.items) == len(planted.listed) and report.already_shown == 0


def test_a_paper_semantic_scholar_lacks_is_ranked_by_its_words(fake, tmp_path):
    store = Store(tmp_path / "db.sqlite")
    store.put_papers([dict(fake.corpus.papers[TRANSFORMER])])
    store.list_set(TRANSFORMER, status="to read")
    abstract = fake.corpus.papers[TRANSFORMER]["abstract"]
    lone = Corpus(papers=[{
        "paperId": "e" * 40, "title": "Attention is all you need, again", "abstract": abstract,
        "externalIds": {"ArXiv": "2611.98765"},
        "arxiv": {"categories": ["cs.CL"], "submitted": f"{now():%Y-%m-%dT%H:%M:%SZ}"}}])
    s2_context, _ = clients(fake)
    with FakeArxiv(corpus=lone) as only_arxiv, s2_context as s2:
        report = inbox.run(store, s2, ArxivClient(only_arxiv.url, delay_seconds=0), CATS)
        assert inbox.run(store, s2, ArxivClient(only_arxiv.url, delay_seconds=0),
                         CATS).items == []
    [item] = report.items
    assert report.not_in_s2 == 1 and item.paper.paper_id == "arxiv:2611.98765"
    assert item.reasons[0].startswith("close in wording to “Attention Is All You Need (2017)”")
    assert link_of(item.paper) == "https://arxiv.org/abs/2611.98765"
    assert [r.path for r in fake.requests] == ["/graph/v1/paper/batch"]  # the rerun: shown


def test_recommend_adds_s2s_papers_like_the_reading_list_for_one_request(fake, tmp_path, env,
                                                                         cli):
    assert cli(["list", "add", "1706.03762", "--status", "read"], env).returncode == 0
    plant_inbox(fake, LIBRARY, now=now())
    fake.reset()
    plain = cli(["inbox", "--category", *CATS], env)
    assert plain.returncode == 0 and "[recommended]" not in plain.stdout
    before = len(fake.requests)
    fake.reset()
    res = cli(["inbox", "--category", *CATS, "--recommend", "--all"], env)
    assert res.returncode == 0, res.stderr
    recs = [r for r in fake.requests if r.path.startswith("/recommendations/")]
    assert len(recs) == 1 and recs[0].method == "POST"
    assert "[recommended]" in res.stdout
    assert len(fake.requests) <= before + 1
