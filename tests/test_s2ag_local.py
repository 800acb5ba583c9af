"""The local S2AG graph as a source: the same records and listings as the fake serves from the
same corpus, every id form, no caps, no requests, one clear error for what it cannot answer."""

from __future__ import annotations

import json

import pytest

from explorer.errors import BadInputError, GraphError, GraphUnsupportedError, NotFoundError
from explorer.fake_s2 import FakeS2
from explorer.fake_s2.classic import add_classic
from explorer.fake_s2.corpus import Corpus
from explorer.s2ag.local import LocalGraph
from explorer.seeds.ids import parse_seed
from explorer.sources.s2 import (
    NESTED_CITATION_FIELDS,
    NESTED_REFERENCE_FIELDS,
    REACHABLE,
    SEED_FIELDS,
    S2Client,
)
from explorer.sources.s2_search import fetch_page
from explorer.store import Store
from explorer.walk import Walker
from tests.s2ag_graph import write_graph

TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
NOT_IN_DATASETS = ("tldr", "citationStyles")


@pytest.fixture(scope="module")
def sample(corpus):
    return Corpus.from_dir(corpus)


@pytest.fixture(scope="module")
def graph(sample, tmp_path_factory):
    with LocalGraph(write_graph(sample, tmp_path_factory.mktemp("graph")), threads=1) as g:
        yield g


@pytest.fixture(scope="module")
def api(corpus):
    server = FakeS2(corpus_dir=corpus)
    server.start()
    client = S2Client(server.url, min_interval=0)
    yield client
    client.close()
    server.stop()


def _listing(client, paper_id, kind):
    items, offset = [], 0
    while True:
        page = client.page(paper_id, kind, offset)
        items += page.items
        if page.next is None:
            return items
        offset = page.next


def _as_in_the_datasets(item):
    """An API listing item as the datasets can hold it: ``isinfluential`` is a boolean there
    (the sample's unknown ones are false) and ``openaccessinfo`` always has a license."""
    side = "citingPaper" if "citingPaper" in item else "citedPaper"
    if side not in item:  # an embedded paper
        return _without_null_license(dict(item))
    return {**item, "isInfluential": bool(item.get("isInfluential")),
            side: _without_null_license(dict(item[side]))}


def _by_paper(items):
    items = [_as_in_the_datasets(i) for i in items]
    return sorted(items, key=lambda i: (i.get("citingPaper") or i.get("citedPaper") or i)
                  .get("paperId") or "")


def _without_null_license(record):
    # The datasets' openaccessinfo always has a license (the contract's openAccessPdf is
    # url, status, license); the sample's records, from an older API, lack the key.
    pdf = record.get("openAccessPdf")
    if isinstance(pdf, dict) and pdf.get("license", 0) is None:
        record["openAccessPdf"] = {k: v for k, v in pdf.items() if k != "license"}
    return record


def test_records_are_the_apis_for_every_paper(sample, graph, api):
    ids = list(sample.papers)
    fields = tuple(f for f in SEED_FIELDS if f not in NOT_IN_DATASETS)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        mine = [_without_null_license(p) for p in graph.papers(chunk, fields)]
        assert mine == api.papers(chunk, fields)


@pytest.mark.parametrize("nested", [NESTED_REFERENCE_FIELDS, NESTED_CITATION_FIELDS])
def test_embedded_lists_hold_the_same_papers(sample, graph, api, nested):
    ids = [pid for pid in sample.papers if sample.references_of(pid) or sample.citations_of(pid)]
    fields = ("paperId",) + nested
    name = nested[0].split(".")[0]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for mine, theirs in zip(graph.papers(chunk, fields), api.papers(chunk, fields),
                                strict=True):
            assert _by_paper(mine[name]) == _by_paper(theirs[name])


def test_listings_are_the_apis_in_one_page(sample, graph, api):
    # Every 20th paper, and the landmarks with the longest listings.
    busy = sorted(sample.papers, key=lambda p: -len(sample.references_of(p)))[:10]
    ids = [TURING, *busy, *sorted(sample.papers)[::20]]
    for pid in ids:
        for kind in ("citations", "references"):
            page = graph.page(pid, kind)
            assert page.next is None and not page.capped
            assert _by_paper(page.items) == _by_paper(_listing(api, pid, kind))
    assert len(graph.page(TURING, "citations").items) == 1000
    assert graph.requests == 0


def test_listing_order_is_the_other_papers_corpus_id(graph):
    items = graph.page(TURING, "citations", fields=("corpusId",)).items
    ids = [i["citingPaper"]["corpusId"] for i in items if i["citingPaper"]["corpusId"]]
    assert ids == sorted(ids) and len(ids) > 900


def test_every_id_form_names_the_same_paper(graph):
    raw = graph.paper("00af81e79faf2e997d9c3d171889e4bd7b72e601")
    forms = ["00AF81E79FAF2E997D9C3D171889E4BD7B72E601", "CorpusId:258412612",
             "DOI:10.1016/J.EJPB.2023.04.020", "10.1016/j.ejpb.2023.04.020", "PMID:37120067",
             "URL:https://www.semanticscholar.org/paper/00af81e79faf2e997d9c3d171889e4bd7b72e601"]
    assert [p and p["paperId"] for p in graph.papers(forms, ("paperId",))] == \
        [raw["paperId"]] * len(forms)
    meta = graph.paper("ARXIV:2205.05268", ("paperId", "externalIds"))
    assert meta["externalIds"]["ArXiv"] == "2205.05268"
    assert graph.paper("URL:https://arxiv.org/abs/2205.05268v2")["paperId"] == meta["paperId"]


def test_unknown_papers_are_none_in_a_batch_and_not_found_alone(graph):
    assert graph.papers(["DOI:10.1/nothing", "ARXIV:1706.03762v1", "nonsense"]) == [None] * 3
    with pytest.raises(NotFoundError, match="Paper with id DOI:10.1/nothing not found"):
        graph.paper("DOI:10.1/nothing")
    with pytest.raises(NotFoundError):
        graph.page("CorpusId:1", "citations")


def test_synthetic_corpus_ids_are_never_shown(sample, graph):
    synthetic = next(p for p, r in sample.papers.items() if r.get("corpusId") is None)
    got = graph.paper(synthetic, ("corpusId", "externalIds"))
    assert got["corpusId"] is None and "CorpusId" not in (got["externalIds"] or {})


def test_title_match_takes_whole_titles_as_s2_normalises_them(graph):
    hit = graph.match_title("computing machinery and  INTELLIGENCE!")
    assert hit["paperId"] == TURING and hit["matchScore"] == 200.0
    with pytest.raises(NotFoundError, match="whole titles"):
        graph.match_title("computing machinery")


def test_dates_keep_the_citers_published_in_the_range(graph, api):
    mine = graph.page(TURING, "citations", dates="2019:2020", fields=("year",))
    theirs = _listing(api, TURING, "citations")
    expected = [i for i in theirs if i["citingPaper"]["year"] in (2019, 2020)]
    assert {i["citingPaper"]["paperId"] for i in mine.items} == \
        {i["citingPaper"]["paperId"] for i in expected}
    with pytest.raises(BadInputError):
        graph.page(TURING, "citations", dates="in 2019")


def test_a_limit_gives_pages(graph):
    whole = graph.page(TURING, "citations", fields=("paperId",)).items
    first = graph.page(TURING, "citations", 0, limit=600, fields=("paperId",))
    rest = graph.page(TURING, "citations", 600, limit=600, fields=("paperId",))
    assert first.next == 600 and rest.next is None
    assert first.items + rest.items == whole


def test_every_citer_of_a_classic_past_s2s_window(tmp_path):
    corpus = Corpus()
    classic = add_classic(corpus, citers=12_000)
    with LocalGraph(write_graph(corpus, tmp_path / "g"), threads=1) as graph:
        page = graph.page(f"DOI:{classic.doi}", "citations")
        assert len(page.items) == 12_000 and page.next is None and not page.capped
        citers = {i["citingPaper"]["paperId"] for i in page.items}
        assert citers == {e["citingPaperId"] for e in corpus.citations_of(classic.paper_id)}
        assert graph.requests == 0


def test_what_the_datasets_lack_is_one_clear_error(graph):
    with pytest.raises(GraphUnsupportedError, match="searching by words needs the Semantic"):
        fetch_page(graph, "turing test", ("title",), limit=10)  # type: ignore[arg-type]
    with pytest.raises(GraphUnsupportedError, match="SPECTER vectors"):
        graph.papers([TURING], ("embedding.specter_v2",))


@pytest.mark.parametrize("damage, reason", [
    (lambda d: (d / "manifest.json").unlink(), "no manifest.json"),
    (lambda d: (d / "manifest.json").write_text('{"format": 9}'), "format 9"),
    (lambda d: (d / "manifest.json").write_text("{"), "not JSON"),
    (lambda d: (d / "manifest.json").write_text('{"format": 1, "pending": {"parts": {}}}'),
     "not finished"),
    (lambda d: (d / "citations_by_cited.parquet").unlink(), "citations_by_cited.parquet"),
])
def test_a_broken_graph_folder_is_one_line(tmp_path, damage, reason):
    folder = write_graph(Corpus([{"paperId": "a" * 40, "title": "A"}]), tmp_path / "g")
    damage(folder)
    with pytest.raises(GraphError, match=reason) as err:
        LocalGraph(folder)
    assert "\n" not in str(err.value) and str(folder) in str(err.value)
    assert json.dumps(err.value.path)


def test_the_walker_lists_a_classic_whole_even_after_an_api_walk_stopped(tmp_path):
    # An API walk stopped past the window leaves a marker that would send it to date slices.
    corpus = Corpus()
    classic = add_classic(corpus, citers=10_500)
    store = Store(tmp_path / "s.sqlite")
    with LocalGraph(write_graph(corpus, tmp_path / "g"), threads=1) as graph:
        walker = Walker(store, graph)  # type: ignore[arg-type]
        pid = walker.resolve([parse_seed(f"DOI:{classic.doi}")])[0]
        store.set_fetch_state(pid, "citations", REACHABLE, False)
        report = walker.walk([pid], 1, "citations")
    assert report.slices == 0 and not report.warnings and not report.partial
    assert len(store.citations_of(pid)) == 10_500 and report.requests == 0
