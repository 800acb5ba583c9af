"""Who cites a classic: the `cites` command against the fake S2, and the pure filter/sort."""

from __future__ import annotations

import csv
import json
import re

from explorer.exports.table import CSV_COLUMNS
from explorer.fake_s2.corpus import read_records
from explorer.models import Edge, Paper, Ranked
from explorer.store import Store
from explorer.tasks.cites import (
    CITE_COLUMNS,
    CiteFilters,
    Citer,
    filter_citers,
    per_year,
    score_citers,
    sort_citers,
    velocity,
)
from tests.conftest import cli_env, run_cli

TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"


def load_corpus(corpus):
    papers = {p["paperId"]: p for p in read_records(corpus, "papers.jsonl")}
    return papers, list(read_records(corpus, "citations.jsonl"))


def fold(text):
    return " ".join((text or "").split()).casefold()


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def requests_printed(stdout):
    return int(re.search(r"(\d+) requests", stdout).group(1))


def test_turing_since_2023_language_model_is_exactly_the_corpus_set(fake, corpus, tmp_path):
    papers, edges = load_corpus(corpus)
    citing = {e["citingPaperId"]: e for e in edges
              if e["citedPaperId"] == TURING and e["citingPaperId"]}
    needle = "language model"

    def hit(pid):
        p = papers[pid]
        return (needle in fold(p.get("title")) or needle in fold(p.get("abstract"))
                or any(needle in fold(c) for c in citing[pid].get("contexts") or ()))

    expected = {pid for pid in citing if (papers[pid].get("year") or 0) >= 2023 and hit(pid)}
    assert 5 < len(expected) < len(citing)

    env = cli_env(fake, tmp_path / "db.sqlite")
    out = tmp_path / "out.csv"
    res = run_cli(["cites", "DOI:10.1093/mind/LIX.236.433", "--since", "2023",
                   "--query", "Language Model", "--csv", str(out)], env)
    assert res.returncode == 0, res.stderr
    assert sum(r.path.endswith("/citations") for r in fake.requests) == 1
    rows = read_csv(out)
    assert list(rows[0]) == list(CSV_COLUMNS) + ["contexts", "intents", "is_influential"]
    assert {r["paper_id"] for r in rows} == expected
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    for r in rows:
        assert r["relation"] == "citation" and r["reasons"]
        pid = r["paper_id"]
        in_context = [c for c in citing[pid].get("contexts") or () if needle in fold(c)]
        if in_context:  # the matching context is quoted in the reasons and kept in full
            assert r["reasons"].startswith("cites it as:")
            assert needle in fold(r["contexts"])
        else:
            assert "mention" in r["reasons"].split(";")[0]
    # S2's count vs what it served: 1,000 records, of which the two versions of "Proof in the
    # time of machines" are one work
    assert "10,059" in res.stderr and "collected 999" in res.stderr

    fake.reset()
    js = tmp_path / "out.json"
    again = run_cli(["cites", "10.1093/mind/lix.236.433", "--until", "2022", "--min-citations",
                     "20", "--sort", "citations", "--json", str(js)], env)
    assert again.returncode == 0, again.stderr
    assert fake.count() == 0 and requests_printed(again.stdout) == 0
    records = json.loads(js.read_text(encoding="utf-8"))
    old = {pid for pid in citing if (papers[pid].get("year") or 9999) <= 2022
           and (papers[pid].get("citationCount") or 0) >= 20}
    assert old and {r["paper_id"] for r in records} == old
    counts = [r["citation_count"] or 0 for r in records]
    assert counts == sorted(counts, reverse=True)
    assert set(records[0]) >= set(CITE_COLUMNS)


# pure functions, on a hand-made example


def _citer(pid, year, cites, *, infl=None, intents=(), contexts=(), title="", abstract=None):
    paper = Paper(pid, title=title or pid, year=year, citation_count=cites, abstract=abstract)
    return Citer(Ranked(paper, 0.0, "citation", ("r",), {}), Edge(pid, "C", infl,
                                                                 tuple(contexts), tuple(intents)))


def test_filters_each_constraint_and_quote_the_matching_context():
    a = _citer("a", 2020, 10, infl=True, intents=("methodology",),
               contexts=("They use the C test of Large  Language Models.",))
    b = _citer("b", 2024, 3, intents=("background",), title="A language model survey")
    c = _citer("c", None, 50, abstract="nothing here")
    ids = lambda cs: [x.paper.paper_id for x in cs]  # noqa: E731
    assert ids(filter_citers([a, b, c], CiteFilters(since=2021))) == ["b"]
    assert ids(filter_citers([a, b, c], CiteFilters(until=2021))) == ["a"]
    assert ids(filter_citers([a, b, c], CiteFilters(min_citations=10))) == ["a", "c"]
    assert ids(filter_citers([a, b, c], CiteFilters(influential=True))) == ["a"]
    assert ids(filter_citers([a, b, c], CiteFilters(intent="background"))) == ["b"]
    hits = filter_citers([a, b, c], CiteFilters(query="LANGUAGE model"))
    assert ids(hits) == ["a", "b"]
    assert hits[0].matches == ("They use the C test of Large  Language Models.",)
    assert hits[0].ranked.reasons[0].startswith('cites it as: "They use the C test of Large')
    assert hits[1].matches == ("title",)


def test_sort_orders_and_per_year_counts():
    a = _citer("a", 2020, 10, infl=True)
    b = _citer("b", 2024, 3)
    c = _citer("c", 2010, 50)
    year = 2025
    for x in (a, b, c):
        x.ranked.components["velocity_raw"] = velocity(x.paper, year)  # type: ignore[index]
    ids = lambda cs: [x.paper.paper_id for x in cs]  # noqa: E731
    assert ids(sort_citers([a, b, c], "citations")) == ["c", "a", "b"]
    assert ids(sort_citers([a, b, c], "year")) == ["b", "a", "c"]
    assert ids(sort_citers([a, b, c], "influential"))[0] == "a"
    # velocity: a 10/6 = 1.67, b 3/2 = 1.5, c 50/16 = 3.1
    assert ids(sort_citers([a, b, c], "velocity")) == ["c", "a", "b"]
    assert [x.ranked.rank for x in sort_citers([a, b, c], "year", limit=2)] == [1, 2]
    assert per_year([a, b, c], [a]) == {2010: (1, 0), 2020: (1, 1), 2024: (1, 0)}


def test_relevance_prefers_method_use_co_citation_and_velocity_over_a_background_mention():
    store = Store(":memory:")
    papers = [{"paperId": p, "title": p, "year": 2020, "citationCount": 10}
              for p in ("C", "bg", "method", "cocited", "x", "r1", "r2")]
    store.put_papers(papers)
    store.put_edges([
        Edge("bg", "C", False, (), ("background",)),
        Edge("method", "C", True, (), ("methodology",)),
        Edge("cocited", "C", False, (), ("background",)),
        Edge("x", "C"), Edge("x", "cocited"),          # x cites both: co-citation
        Edge("C", "r1"), Edge("C", "r2"), Edge("cocited", "r1"),  # one shared reference
    ])
    scored = {c.paper.paper_id: c for c in score_citers(store, "C", ["bg", "method", "cocited",
                                                                     "x"], current_year=2025)}
    order = [c.paper.paper_id for c in sort_citers(scored.values())]
    assert order.index("method") < order.index("bg")
    assert order.index("cocited") < order.index("bg")
    assert {"an influential citation (S2)", "uses its method"} <= set(
        scored["method"].ranked.reasons)
    assert "mentions it as background" in scored["bg"].ranked.reasons
    assert "co-cited with it by 1 other citer" in scored["cocited"].ranked.reasons
    assert "shares 1 reference with it" in scored["cocited"].ranked.reasons
    assert "1.7 citations a year since 2020" in scored["bg"].ranked.reasons  # 10 in 6 years
    assert all(c.ranked.reasons for c in scored.values())
