"""Watch: baseline, then exactly the new citers, in the report and in a valid Atom feed."""

from __future__ import annotations

from pathlib import Path

import feedparser
from streamlit.testing.v1 import AppTest

from explorer.exports import FORMATS
from explorer.models import Paper
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks import watch
from tests.conftest import cli_env, run_cli

TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
BERT = "340796c8308a8852b207e932c4abf7450b1c284c"

NEW = [  # (paperId, title, authors, cites, context)
    ("1" * 40, "Trăm năm attention: переводчик на трансформерах", ["Nguyễn Văn Ánh", "Ёжиков Б."],
     TRANSFORMER, "Following Vaswani et al. «attention» is all we use."),
    ("2" * 40, "BERT für Deutsch & Ελληνικά <b>", ["Jürgen Groß"], BERT,
     "We fine-tune BERT [3] on 10% of the data."),
    ("3" * 40, "注意力机制综述", ["王小明"], TRANSFORMER, "Transformer 模型 [1] 提出了…"),
]


def set_count(fake, pid: str, delta: int = 0) -> None:
    """Give the fake's record a citationCount (the corpus' synthetic records lack one),
    as S2 keeps it: the number of citers, bumped when a citer appears."""
    record = dict(fake.corpus.papers[pid])
    old = record.get("citationCount")
    record["citationCount"] = len(fake.corpus.citations_of(pid)) if old is None else old + delta
    fake.add_paper(record)


def add_citers(fake) -> None:
    for pid, title, authors, cited, context in NEW:
        fake.add_paper({"paperId": pid, "title": title, "year": 2026,
                        "publicationDate": "2026-11-01", "externalIds": {},
                        "authors": [{"authorId": None, "name": a} for a in authors]})
        fake.add_edge({"citingPaperId": pid, "citedPaperId": cited, "isInfluential": False,
                       "contexts": [context], "intents": []})
        set_count(fake, cited, 1)


def test_baseline_then_exactly_the_new_citers_then_nothing(fake, tmp_path, cli):
    set_count(fake, TRANSFORMER)
    set_count(fake, BERT)
    env = cli_env(fake, tmp_path / "db.sqlite")
    res = cli(["watch", "add", "1706.03762", "https://arxiv.org/abs/1810.04805"], env)
    assert res.returncode == 0 and fake.count() == 1, res.stderr

    fake.reset()
    first = cli(["watch", "check"], env)
    assert first.returncode == 0, first.stderr
    assert "baseline recorded for Attention Is All You Need: 9 citers" in first.stdout
    assert "baseline recorded for BERT" in first.stdout and "new citer" not in first.stdout
    assert fake.count() == 3  # one batch of counts, one page of citers each

    add_citers(fake)
    fake.reset()
    feed_path = tmp_path / "feed.xml"
    second = run_cli(["watch", "check", "--atom", str(feed_path)], env)  # end to end
    assert second.returncode == 0, second.stderr
    assert "3 new citers:" in second.stdout
    reported = [line for line in second.stdout.splitlines() if "  cites: " in line]
    assert sorted(reported) == sorted(
        f"  {title} (2026)  cites: "
        + ("Attention Is All You Need" if cited == TRANSFORMER else
           "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding")
        for _, title, _, cited, _ in NEW
    )
    assert fake.count() == 3  # the batch, and one page for each paper whose count grew

    feed = feedparser.parse(feed_path.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and len(feed.entries) == 3
    by_title = {e.title: e for e in feed.entries}
    assert set(by_title) == {title for _, title, _, _, _ in NEW}
    for pid, title, authors, cited, context in NEW:
        entry = by_title[title]
        assert [a.name for a in entry.authors] == authors
        assert entry.link == f"https://www.semanticscholar.org/paper/{pid}"
        assert context in entry.summary
        assert entry.tags[0].term == cited
        assert ("Attention Is All You Need" if cited == TRANSFORMER else "BERT") in entry.summary
    assert len({e.id for e in feed.entries}) == 3

    fake.reset()
    third = cli(["watch", "check", "--atom", str(feed_path)], env)
    assert third.returncode == 0, third.stderr
    assert "nothing new since the last check" in third.stdout
    assert "2 papers unchanged" in third.stdout
    assert [r.path for r in fake.requests] == ["/graph/v1/paper/batch"]
    assert not feedparser.parse(feed_path.read_bytes()).bozo

    listing = cli(["watch", "list"], env).stdout
    assert "11  " in listing and "6  " in listing  # the counts at the last check
    store = Store(tmp_path / "db.sqlite")
    assert set(store.citations_of(TRANSFORMER)) >= {"1" * 40, "3" * 40}  # kept in the store


def test_check_with_nothing_watched_is_a_one_line_error(fake, tmp_path, cli):
    res = cli(["watch", "check"], cli_env(fake, tmp_path / "db.sqlite"))
    assert res.returncode == 1 and res.stderr.startswith("error: no paper is watched")
    assert fake.count() == 0


def test_atom_feed_escapes_and_drops_xml_illegal_characters():
    citer = Paper("c" * 40, "A <b>bold</b> & \x0b\x01 title ✓", 2025, ("Zoë \x1f", "李"))
    item = watch.NewCiter(Paper("w" * 40, "Watched ☂"), citer, ("ctx </summary>",), 1, 0.0)
    text = watch.atom_feed([item], updated=1_700_000_000)
    feed = feedparser.parse(text.encode("utf-8"))
    assert not feed.bozo, feed.bozo_exception
    entry = feed.entries[0]
    assert entry.title == "A <b>bold</b> & title ✓"
    assert [a.name for a in entry.authors] == ["Zoë", "李"]
    assert "ctx </summary>" in entry.summary and "Watched ☂" in entry.summary
    assert feed.feed.updated == "2023-11-14T22:13:20Z"


PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "3_Export_and_watch.py")


def test_page_shows_whats_new_after_a_check_and_offers_every_export(fake, tmp_path, cli,
                                                                     monkeypatch):
    set_count(fake, TRANSFORMER)
    set_count(fake, BERT)
    env = cli_env(fake, tmp_path / "db.sqlite")
    for args in (["explore", "1706.03762"], ["list", "add", "1706.03762"],
                 ["watch", "add", "1706.03762", "1810.04805"], ["watch", "check"]):
        assert cli(args, env).returncode == 0
    add_citers(fake)
    fake.reset()
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    assert at.subheader[0].value.startswith("0 new citers at the last check")
    at.button(key="watch_check").click().run()
    assert not at.exception and fake.count() == 3
    assert at.subheader[0].value.startswith("3 new citers at the last check")
    shown = "\n".join(m.value for m in at.markdown)
    assert "注意力机制综述" in shown and "&lt;b&gt;" not in shown
    keys = {b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")}
    for source in ("list", "last"):
        for fmt in FORMATS:
            assert any(k.endswith(f"dl_{source}_{fmt}") for k in keys), (source, fmt, keys)
    assert any(k.endswith("dl_atom") for k in keys)


def test_another_record_of_a_work_already_seen_citing_is_no_news(fake, tmp_path):
    set_count(fake, TRANSFORMER)
    store = Store(tmp_path / "db.sqlite")
    client = S2Client(fake.url, min_interval=0, backoff=0.01)
    preprint = {"paperId": "4" * 40, "title": "Sparse attention at scale", "year": 2025,
                "externalIds": {"ArXiv": "2501.00001"},
                "authors": [{"authorId": None, "name": "Ada Lovelace"}]}
    fake.add_paper(preprint)
    fake.add_edge({"citingPaperId": "4" * 40, "citedPaperId": TRANSFORMER})
    set_count(fake, TRANSFORMER, 1)
    watch.add(store, [TRANSFORMER])
    assert not watch.check(store, client).new
    later = [  # the preprint's published version; two records of one new work; a new paper
        {**preprint, "paperId": "5" * 40, "year": 2026, "externalIds": {"DOI": "10.1/sparse"}},
        {"paperId": "6" * 40, "title": "Dense retrieval revisited", "year": 2026,
         "externalIds": {"ArXiv": "2602.00002"}, "authors": [{"name": "Alan Turing"}]},
        {"paperId": "7" * 40, "title": "Dense retrieval revisited", "year": 2026,
         "externalIds": {"DOI": "10.1/dense"}, "venue": "ACL",
         "authors": [{"name": "Alan Turing"}]},
        {"paperId": "8" * 40, "title": "Something else entirely", "year": 2026,
         "externalIds": {}, "authors": [{"name": "Grace Hopper"}]},
    ]
    for record in later:
        fake.add_paper(record)
        fake.add_edge({"citingPaperId": record["paperId"], "citedPaperId": TRANSFORMER})
        set_count(fake, TRANSFORMER, 1)
    report = watch.check(store, client)
    assert sorted(n.citer.paper_id for n in report.new) == ["7" * 40, "8" * 40]
    assert {"5" * 40, "6" * 40} <= set(store.citations_of(TRANSFORMER))  # kept, not reported
    assert not watch.check(store, client).new
