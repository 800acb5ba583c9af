"""The fake S2 and arXiv servers, driven by the real clients over a socket on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import arxiv
import httpx
import pytest
import tenacity
from hypothesis import given, settings
from hypothesis import strategies as st
from semanticscholar import SemanticScholar
from semanticscholar.SemanticScholarException import (
    BadQueryParametersException,
    ObjectNotFoundException,
)

from explorer.fake_s2 import (
    MSG_429,
    Corpus,
    FakeArxiv,
    FakeS2,
    cli,
    lookup_key,
    main,
    normalize_title,
)
from explorer.fake_s2.faults import StrictLimiter
from tests.conftest import CORPUS as CORPUS_DIR
from tests.conftest import ROOT

TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
TURING_DOI = "DOI:10.1093/mind/lix.236.433"
ATTENTION = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
GRAPH = "/graph/v1/paper"

@pytest.fixture(scope="module", autouse=True)
def _no_proxy():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NO_PROXY", "127.0.0.1,localhost")
        mp.setenv("no_proxy", "127.0.0.1,localhost")
        yield


@pytest.fixture(scope="module")
def loaded() -> Corpus:
    return Corpus.from_dir(CORPUS_DIR)


@pytest.fixture(scope="module")
def server(loaded):
    with FakeS2(corpus=loaded) as fake:
        yield fake


@pytest.fixture
def s2(server):
    """The shared server, with an empty log, no faults and default behaviour."""
    server.reset()
    server.clear_faults()
    server.set_rate_limit(None)
    server.set_page_size_cap(None)
    server.set_empty_after(None, "both")
    yield server
    server.clear_faults()


@pytest.fixture
def sch(s2) -> SemanticScholar:
    return SemanticScholar(api_url=s2.url, retry=False, timeout=60)


@pytest.fixture(scope="module")
def _client(server):
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


@pytest.fixture
def http(s2, _client) -> httpx.Client:
    return _client


def arxiv_client(base: str, **kw) -> arxiv.Client:
    kw.setdefault("delay_seconds", 0)
    kw.setdefault("num_retries", 0)
    client = arxiv.Client(**kw)
    client.query_url_format = base + "/api/query?{}"
    return client


# --------------------------------------------------------------------------------------------
# Loading


def test_corpus_loads_whole():
    corpus = Corpus.from_dir(CORPUS_DIR)
    assert (len(corpus), corpus.edge_count) == (1788, 2008)
    assert len(corpus.citations_of(TURING)) == 1000
    assert len(corpus.references_of(ATTENTION)) == 40


def write_corpus(folder: Path, papers: list[dict], edges: list[dict], *, gz: bool) -> Path:
    folder.mkdir()
    for name, records in (("papers.jsonl", papers), ("citations.jsonl", edges)):
        text = "".join(json.dumps(r) + "\n" for r in records).encode()
        if gz:
            (folder / f"{name}.gz").write_bytes(gzip.compress(text))
        else:
            (folder / name).write_bytes(text)
    return folder


def test_corpus_reads_gzip_and_plain_alike(tmp_path):
    papers = [{"paperId": "a" * 40, "title": "A"}, {"paperId": "b" * 40, "title": "B"}]
    edges = [{"citingPaperId": "b" * 40, "citedPaperId": "a" * 40}]
    for gz in (True, False):
        corpus = Corpus.from_dir(write_corpus(tmp_path / f"gz{gz}", papers, edges, gz=gz))
        assert (len(corpus), corpus.edge_count) == (2, 1), gz
        assert [e["citingPaperId"] for e in corpus.citations_of("a" * 40)] == ["b" * 40]


def test_standalone_refuses_a_folder_without_papers_in_one_line(tmp_path, capsys):
    assert main(["--corpus", str(tmp_path), "--port", "0"]) == 1
    assert capsys.readouterr().err == (f"error: no papers.jsonl or papers.jsonl.gz in "
                                       f"{tmp_path}\n")


# --------------------------------------------------------------------------------------------
# Semantic Scholar through the semanticscholar package


def test_get_paper_with_fields(sch, s2):
    paper = sch.get_paper("ARXIV:1706.03762", fields=["title", "year", "externalIds"])
    assert (paper.paperId, paper.title, paper.year) == (ATTENTION, "Attention Is All You Need",
                                                        2017)
    assert paper.raw_data == {"paperId": ATTENTION, "externalIds": {"ArXiv": "1706.03762"},
                              "title": "Attention Is All You Need", "year": 2017}
    assert s2.requests[-1].query["fields"] == "title,year,externalIds"


def test_nested_references_on_get_paper(sch):
    paper = sch.get_paper(ATTENTION, fields=["title", "references.title", "references.year"])
    assert len(paper.references) == 40
    assert set(paper.raw_data["references"][0]) == {"paperId", "title", "year"}


def test_batch_with_unknown_id_gives_null_in_place(sch, http):
    ids = ["ARXIV:1706.03762", "CorpusId:1", "10.1093/mind/lix.236.433"]
    papers, missing = sch.get_papers(ids, fields=["title", "externalIds"], return_not_found=True)
    assert [p.paperId for p in papers] == [ATTENTION, TURING] and missing == ["CorpusId:1"]
    raw = http.post(f"{GRAPH}/batch", params={"fields": "title"}, json={"ids": ids}).json()
    assert raw[1] is None and raw[2] == {"paperId": TURING,
                                         "title": "Computing Machinery and Intelligence"}


def test_batch_over_500_ids_is_400(http):
    r = http.post(f"{GRAPH}/batch", json={"ids": ["CorpusId:1"] * 501})
    assert r.status_code == 400 and set(r.json()) == {"error"}


@pytest.mark.parametrize("seed", [TURING_DOI, "DOI:10.1093/MIND/LIX.236.433"])
def test_turing_citations_in_one_page_of_1000(sch, s2, seed):
    citations = sch.get_paper_citations(seed, fields=["title", "contexts"], limit=1000)
    items = list(citations)
    assert len(items) == 1000 and items[0].paper.title and items[0].contexts == []
    pages = [r for r in s2.requests if r.path.endswith("/citations")]
    assert len(pages) == 1 and pages[0].query["limit"] == "1000"


def test_turing_citations_paged_by_250_match_file_order(sch, s2, loaded):
    items = list(sch.get_paper_citations(TURING_DOI, fields=["title"], limit=250))
    expected = [e["citingPaperId"] for e in loaded.citations_of(TURING)]
    assert [c.paper.paperId for c in items] == expected
    offsets = [r.query["offset"] for r in s2.requests]
    assert offsets == ["0", "250", "500", "750"]
    assert s2.count(f"{GRAPH}/{TURING_DOI}/citations") == 4


def test_references_of_attention(sch):
    refs = list(sch.get_paper_references("ARXIV:1706.03762",
                                         fields=["title", "contexts", "intents",
                                                 "isInfluential"], limit=1000))
    assert len(refs) == 40
    assert sum(bool(r.contexts) for r in refs) == 35
    assert all(r.intents == [] and r.isInfluential is None for r in refs)


def test_edge_page_shape_and_next(http):
    first = http.get(f"{GRAPH}/{TURING}/citations", params={"limit": 999}).json()
    assert first["offset"] == 0 and first["next"] == 999 and len(first["data"]) == 999
    assert set(first["data"][0]) == {"citingPaper"}
    assert set(first["data"][0]["citingPaper"]) == {"paperId", "title"}
    last = http.get(f"{GRAPH}/{TURING}/citations", params={"offset": 999, "limit": 999}).json()
    assert "next" not in last and len(last["data"]) == 1
    item = http.get(f"{GRAPH}/{ATTENTION}/references",
                    params={"fields": "contextsWithIntent,citedPaper.year", "limit": 1}).json()
    assert set(item["data"][0]) == {"contextsWithIntent", "citedPaper"}
    assert set(item["data"][0]["citedPaper"]) == {"paperId", "year"}


def test_search_match_title(sch):
    paper = sch.search_paper("attention is ALL you need.", match_title=True,
                             fields=["title", "year"])
    assert paper.paperId == ATTENTION and paper.year == 2017
    with pytest.raises(ObjectNotFoundException, match="Title match not found"):
        sch.search_paper("zzzz qqqq xxxx not a title", match_title=True)


def test_search_and_empty_search(sch, http):
    results = sch.search_paper("attention is all you need", fields=["title"])
    assert results.total >= 1 and results[0].paperId == ATTENTION
    assert http.get(f"{GRAPH}/search", params={"query": "zzqx nothing"}).json() == {
        "total": 0, "offset": 0}
    assert len(sch.search_paper("zzqx nothing")) == 0


def test_404_and_versioned_arxiv_404(sch):
    with pytest.raises(ObjectNotFoundException, match="Paper with id 0 not found"):
        sch.get_paper("0", fields=["title"])
    with pytest.raises(ObjectNotFoundException):
        sch.get_paper("ARXIV:1706.03762v1", fields=["title"])


def test_400_unknown_field_and_nested_on_citations(sch):
    with pytest.raises(BadQueryParametersException) as err:
        sch.get_paper(TURING, fields=["title", "unknown"])
    assert str(err.value) == "Unrecognized or unsupported fields: [unknown]"
    with pytest.raises(BadQueryParametersException, match=r"\[tldr\]"):
        list(sch.get_paper_citations(TURING, fields=["title", "tldr"]))


def test_injected_429_is_visible(sch, s2):
    s2.inject(429)
    with pytest.raises(tenacity.RetryError):
        sch.get_paper(TURING, fields=["title"])
    assert s2.requests[-1].status == 429
    assert sch.get_paper(TURING, fields=["title"]).title  # the fault is used up


def test_503_gives_the_package_an_empty_paper(sch, s2):
    s2.inject(503)
    assert sch.get_paper(TURING, fields=["title"]).paperId is None  # the package's pitfall


# --------------------------------------------------------------------------------------------
# Ids, limits and shapes over plain HTTP


@pytest.mark.parametrize("paper_id", [
    TURING, TURING.upper(), "CorpusId:14636783", "corpusid:14636783", "CorpusID:14636783",
    TURING_DOI, "doi:10.1093/MIND/LIX.236.433", "10.1093/mind/lix.236.433", "MAG:2145482038",
    f"URL:https://www.semanticscholar.org/paper/Computing-Machinery/{TURING}",
])
def test_turing_id_forms(http, paper_id):
    r = http.get(f"{GRAPH}/{paper_id}")
    assert r.status_code == 200 and r.json()["paperId"] == TURING


@pytest.mark.parametrize("paper_id", [
    "ARXIV:1706.03762", "arxiv:1706.03762", "URL:https://arxiv.org/abs/1706.03762",
    "URL:https://arxiv.org/pdf/1706.03762v5",
])
def test_attention_id_forms(http, paper_id):
    assert http.get(f"{GRAPH}/{paper_id}").json()["paperId"] == ATTENTION


def test_limits_of_edge_and_search_endpoints(http):
    def status(path: str, **params) -> int:
        return http.get(path, params=params).status_code

    assert status(f"{GRAPH}/{TURING}/citations", limit=1001) == 400
    r = http.get(f"{GRAPH}/{TURING}/citations", params={"offset": 9000, "limit": 1000})
    assert r.json() == {"error": "The sum of offset and limit must be < 10000"}
    assert status(f"{GRAPH}/{TURING}/citations", offset=9000, limit=999) == 200
    assert status(f"{GRAPH}/search", query="turing", limit=101) == 400
    assert status(f"{GRAPH}/search", query="turing", offset=950, limit=100) == 400
    assert status(f"{GRAPH}/{TURING}/citations", offset="x") == 400


def test_embedded_citations_capped_at_1000():
    hub = {"paperId": "a" * 40, "title": "Hub"}
    citers = [{"paperId": f"{i:040x}", "title": f"Citer {i}"} for i in range(1001)]
    edges = [{"citingPaperId": p["paperId"], "citedPaperId": hub["paperId"]} for p in citers]
    fake = FakeS2(papers=[hub, *citers], edges=edges)
    body = fake.handle("GET", f"{GRAPH}/{'a' * 40}?fields=citations.title").json()
    assert len(body["citations"]) == 1000
    page = fake.handle("GET", f"{GRAPH}/{'a' * 40}/citations?offset=1000&limit=5").json()
    assert page == {"offset": 1000, "data": [{"citingPaper": {"paperId": f"{1000:040x}",
                                                              "title": "Citer 1000"}}]}


def test_unresolved_citing_paper_has_null_id():
    fake = FakeS2(papers=[{"paperId": "c" * 40, "title": "Cited"}],
                  edges=[{"citingPaperId": None, "citedPaperId": "c" * 40,
                          "citingPaper": {"paperId": None, "title": "A footnote"}}])
    page = fake.handle("GET", f"{GRAPH}/{'c' * 40}/citations").json()
    assert page["data"] == [{"citingPaper": {"paperId": None, "title": "A footnote"}}]


def test_page_size_cap_and_empty_pages_past_n(s2, http):
    s2.set_page_size_cap(7)
    capped = http.get(f"{GRAPH}/{ATTENTION}/references", params={"limit": 100}).json()
    assert len(capped["data"]) == 7 and capped["next"] == 7
    s2.set_page_size_cap(None)
    s2.set_empty_after(30, "references")
    ok = http.get(f"{GRAPH}/{ATTENTION}/references", params={"limit": 30}).json()
    assert len(ok["data"]) == 30
    empty = http.get(f"{GRAPH}/{ATTENTION}/references", params={"offset": 25, "limit": 10})
    assert empty.json() == {"offset": 25, "data": []}


def test_add_paper_and_edge_while_running(s2, http):
    new, old = "d" * 40, "e" * 40
    s2.add_paper({"paperId": old, "title": "An Older Paper", "externalIds": {"DOI": "10.5/OLD"}})
    s2.add_paper({"paperId": new, "title": "A Newer Paper", "externalIds": {"ArXiv": "2401.00001"}})
    s2.add_edge({"citingPaperId": new, "citedPaperId": old, "isInfluential": True,
                 "contexts": ["as shown in [1]"], "intents": ["background"]})
    refs = http.get(f"{GRAPH}/ARXIV:2401.00001/references",
                    params={"fields": "title,isInfluential,intents"}).json()
    assert refs["data"] == [{"intents": ["background"], "isInfluential": True,
                             "citedPaper": {"paperId": old, "title": "An Older Paper"}}]
    assert http.get(f"{GRAPH}/doi:10.5/old").json()["paperId"] == old


def test_concurrent_requests_while_adding(s2, http):
    def fetch(i: int) -> int:
        return http.get(f"{GRAPH}/{TURING}/citations?limit=50").status_code

    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(fetch, i) for i in range(24)]
        for i in range(50):
            s2.add_paper({"paperId": f"{i:038x}ff", "title": f"Concurrent {i}"})
        assert {f.result() for f in futures} == {200}


# --------------------------------------------------------------------------------------------
# Faults, keys and rate limits


def test_fault_queue_order_bodies_and_headers(s2, http):
    s2.inject(429, times=2)
    s2.inject(503, headers={"Retry-After": "7"})
    answers = [http.get(f"{GRAPH}/{TURING}") for _ in range(4)]
    assert [r.status_code for r in answers] == [429, 429, 503, 200]
    assert answers[0].json() == {"message": MSG_429, "code": "429"}
    assert answers[2].headers["retry-after"] == "7" and "<html>" in answers[2].text
    assert [r.status for r in s2.requests] == [429, 429, 503, 200]
    assert s2.pending_faults == []


def test_fault_filters_and_persistent_faults(s2, http):
    s2.inject(500, path_contains="/citations", times=None)
    assert http.get(f"{GRAPH}/{TURING}").status_code == 200
    for _ in range(2):
        r = http.get(f"{GRAPH}/{TURING}/citations")
        assert r.status_code == 500 and r.json() == {"message": "Internal Server Error"}
    s2.clear_faults()
    assert http.get(f"{GRAPH}/{TURING}/citations").status_code == 200


def test_delay_longer_than_timeout(s2):
    s2.inject(None, delay=1.0)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(f"{s2.url}{GRAPH}/{TURING}", timeout=0.2)
    s2.inject(200, delay=0.05)  # 200 without a body: the normal answer, late
    assert httpx.get(f"{s2.url}{GRAPH}/{TURING}", timeout=60).json()["paperId"] == TURING


def test_malformed_truncated_and_dropped_answers(s2):
    url = f"{s2.url}{GRAPH}/{TURING}"
    s2.inject(200, raw=b'{"data": [')
    with pytest.raises(json.JSONDecodeError):
        httpx.get(url, timeout=60).json()
    s2.inject(200, raw=b'{"paperId": "' + b"x" * 200 + b'"}', truncate=20)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url, timeout=60)
    s2.inject(200, disconnect=True)
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(url, timeout=60)
    assert httpx.get(url, timeout=60).status_code == 200
    assert [r.status for r in s2.requests] == [200, 200, 0, 200]


def test_api_key_checked_and_recorded_on_every_request(loaded):
    with FakeS2(corpus=loaded, api_key="k3y") as fake:
        sch = SemanticScholar(api_url=fake.url, api_key="k3y", retry=False, timeout=60)
        assert sch.get_paper(TURING, fields=["title"]).title
        with pytest.raises(PermissionError):  # the package drops the key on paged endpoints
            list(sch.get_paper_citations(TURING, fields=["title"]))
        assert [(r.api_key, r.status) for r in fake.requests] == [("k3y", 200), (None, 403)]
        r = httpx.post(f"{fake.url}{GRAPH}/batch", json={"ids": [TURING]},
                       headers={"x-api-key": "wrong"})
        assert r.status_code == 403 and r.json() == {"message": "Forbidden"}
        with httpx.Client(base_url=fake.url, headers={"x-api-key": "k3y"}) as client:
            for offset in (0, 500):
                client.get(f"{GRAPH}/{TURING}/citations", params={"offset": offset,
                                                                 "limit": 500})
        assert all(r.headers["x-api-key"] == "k3y" for r in fake.requests[-2:])


def test_rate_limit_per_key(s2, http):
    s2.set_rate_limit(2)
    statuses = [http.get(f"{GRAPH}/{TURING}").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert http.get(f"{GRAPH}/{TURING}", headers={"x-api-key": "other"}).status_code == 200
    assert s2.requests[2].status == 429



def test_strict_limiter_counts_from_the_previous_arrival_or_answer():
    arrival = StrictLimiter(1.0)  # the default: S2's "1 request per second"
    assert arrival.allow("k", now=0.0) and not arrival.allow("k", now=0.99)
    assert arrival.allow("k", now=1.0)  # the first is still being answered: that is allowed
    arrival.answered("k", now=1.5)
    assert not arrival.allow("k", now=1.9) and arrival.allow("other", now=1.9)
    answer = StrictLimiter(1.0, "answer")
    assert answer.allow("k", now=0.0) and not answer.allow("k", now=5.0)  # one at a time
    answer.answered("k", now=6.0)
    assert not answer.allow("k", now=6.9) and answer.allow("k", now=7.0)
    with pytest.raises(ValueError, match="counts must be one of"):
        StrictLimiter(1.0, "start")


def test_standalone_takes_the_strict_limit_and_its_mode(monkeypatch):
    made: list[dict] = []

    class Stop(Exception):
        pass

    def record(*args, **kw):
        made.append(kw)
        raise Stop

    monkeypatch.setattr(cli, "FakeS2", record)
    for argv, limit in ((["--strict-interval", "1"], "arrival"),
                        (["--strict-interval", "1", "--strict-limit", "answer"], "answer")):
        with pytest.raises(Stop):
            main(["--port", "0", *argv])
        assert (made[-1]["strict_interval"], made[-1]["strict_limit"]) == (1.0, limit)


# --------------------------------------------------------------------------------------------
# arXiv through the arxiv package


def test_arxiv_by_id_versioned_unknown_and_malformed(s2):
    client = arxiv_client(s2.url)
    [paper] = client.results(arxiv.Search(id_list=["1706.03762"]))
    assert paper.title == "Attention Is All You Need"
    assert paper.entry_id == "http://arxiv.org/abs/1706.03762v1"
    assert paper.authors[0].name == "Ashish Vaswani" and paper.summary.startswith("The domin")
    assert paper.pdf_url == "https://arxiv.org/pdf/1706.03762v1" and paper.published.year == 2017
    [v5] = client.results(arxiv.Search(id_list=["1706.03762v5"]))
    assert v5.entry_id.endswith("1706.03762v5")
    assert list(client.results(arxiv.Search(id_list=["0000.0000"]))) == []
    with pytest.raises(arxiv.HTTPError) as err:
        list(client.results(arxiv.Search(id_list=["abc"])))
    assert err.value.status == 400
    assert s2.count("/api/query") == 4


def test_arxiv_default_client_as_in_the_brief(s2):
    c = arxiv.Client()
    c.query_url_format = s2.url + "/api/query?{}"
    assert [r.title for r in c.results(arxiv.Search(id_list=["1810.04805"]))] == [
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"]


def test_arxiv_search_pages(s2):
    client = arxiv_client(s2.url, page_size=2)
    results = list(client.results(arxiv.Search(query="ti:attention", max_results=100)))
    assert len(results) == 6 and all("attention" in r.title.lower() for r in results)
    assert s2.count("/api/query") == 3


def test_fake_arxiv_alone_with_faults(loaded):
    with FakeArxiv(corpus=loaded) as fake:
        client = arxiv_client(fake.url)
        assert fake.query_url_format == fake.url + "/api/query?{}"
        fake.inject(503)
        with pytest.raises(arxiv.HTTPError):
            list(client.results(arxiv.Search(id_list=["1706.03762"])))
        assert len(list(client.results(arxiv.Search(id_list=["1706.03762"])))) == 1
        assert [r.status for r in fake.requests] == [503, 200]
        assert httpx.get(f"{fake.url}{GRAPH}/{TURING}").status_code == 404


# --------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=60, deadline=None)
@given(offset=st.integers(0, 1100), limit=st.integers(0, 1000))
def test_citation_pages_are_slices_with_next_iff_more(server, offset, limit):
    body = server.handle("GET", f"{GRAPH}/{TURING}/citations?offset={offset}&limit={limit}"
                         ).json()
    expected = [e["citingPaperId"] for e in server.corpus.citations_of(TURING)]
    assert [d["citingPaper"]["paperId"] for d in body["data"]] == expected[offset:offset + limit]
    assert ("next" in body) == (offset + limit < len(expected))


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_dois_resolve_in_any_case(loaded, data):
    dois = sorted({p["externalIds"]["DOI"] for p in loaded.papers.values()
                   if "DOI" in (p.get("externalIds") or {})})
    doi = data.draw(st.sampled_from(dois))
    flips = data.draw(st.lists(st.booleans(), min_size=len(doi), max_size=len(doi)))
    cased = "".join(c.upper() if f else c.lower() for c, f in zip(doi, flips, strict=True))
    expected = loaded.resolve(f"DOI:{doi}")
    assert expected is not None
    assert loaded.resolve(f"DOI:{cased}") is expected and loaded.resolve(cased) is expected


@given(st.text())
def test_normalize_title_is_idempotent(title):
    once = normalize_title(title)
    assert normalize_title(once) == once and lookup_key(f"CorpusId:{len(title)}") is not None


# --------------------------------------------------------------------------------------------
# Command line


def test_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and "example:" in out and "--arxiv-port" in out


def test_standalone_serves_until_interrupted():
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer.fake_s2", "--corpus", str(CORPUS_DIR), "--port", "0",
         "--arxiv-port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(5)]
        env = dict(line.removeprefix("export ").strip().split("=", 1)
                   for line in lines if line.startswith("export "))
        r = httpx.get(env["S2_API_URL"] + f"{GRAPH}/ARXIV:1706.03762", timeout=60)
        assert r.json()["paperId"] == ATTENTION
        feed = httpx.get(env["ARXIV_API_URL"] + "/api/query?id_list=1706.03762", timeout=60)
        assert "Attention Is All You Need" in feed.text
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0


def test_a_client_that_hangs_up_is_no_traceback_and_a_server_error_still_is(capsys) -> None:
    from explorer.fake_s2.server import _Server

    server = _Server.__new__(_Server)  # handle_error reads nothing of a started server
    for exc in (ConnectionResetError(104, "Connection reset by peer"), BrokenPipeError()):
        try:
            raise exc
        except ConnectionError:
            server.handle_error(None, ("127.0.0.1", 1))
    assert capsys.readouterr().err == ""
    try:
        raise ValueError("a bug in the fake")
    except ValueError:
        server.handle_error(None, ("127.0.0.1", 1))
    assert "ValueError: a bug in the fake" in capsys.readouterr().err
