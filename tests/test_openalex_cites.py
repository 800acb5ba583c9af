"""`explorer cites --source openalex|both` against the fake S2 and the fake OpenAlex."""

from __future__ import annotations

import base64
import logging
import math
import re
import sqlite3
from contextlib import closing

import pytest

from explorer.fake_openalex import FakeOpenAlex, inverted_index
from explorer.store import Store
from explorer.tasks.openalex_cites import SOURCE, coverage
from tests.conftest import cli_env

TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
TURING_DOI = "DOI:10.1093/mind/LIX.236.433"
KEY = "oa-s3cret-4c1d"
EXTRA = 1600  # citers only OpenAlex knows
SKIP = 10  # every 10th S2 citer is one OpenAlex misses


@pytest.fixture
def oa(corpus):
    server = FakeOpenAlex(corpus_dir=corpus, api_key=KEY, skip_citations_of={TURING: SKIP})
    server.works.add_citers(server.works.of_s2[TURING], EXTRA)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def run(cli, fake, oa, tmp_path, monkeypatch):
    """``run(args, key=KEY, **env)``: the CLI in-process, with both fakes and a fresh store."""
    db = tmp_path / "store.sqlite"

    def go(args, key=KEY, **extra):
        for name, value in {"OPENALEX_API_URL": oa.url, "EXPLORER_MAX_RETRIES": "2",
                            **extra}.items():
            monkeypatch.setenv(name, value)
        if key is None:
            monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
        else:
            monkeypatch.setenv("OPENALEX_API_KEY", key)
        return cli(["cites", *args], cli_env(fake, db, **extra))

    go.db = db
    return go


def cursor_of(offset: int) -> str:
    """The fake's cursor for the page starting at ``offset``, without its padding."""
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def test_a_classic_from_both_sources_every_citer_in_ceil_c_over_100_plus_one_calls(run, oa):
    openalex_citers = len(oa.works.citing(oa.works.of_s2[TURING]))
    assert openalex_citers == 900 + EXTRA
    r = run([TURING_DOI, "--source", "both", "--no-references", "--limit", "5"])
    assert r.returncode == 0, r.stderr
    assert oa.count() == math.ceil(openalex_citers / 100) + 1
    assert oa.count("/works/") == 1
    assert ("S2 1,000 · OpenAlex 2,500 · both 2,600 · only in S2 100 · only in OpenAlex 1,600"
            in r.stdout)
    assert re.search(r"OpenAlex: 26 requests \(25 pages\) · cost \$0\.0025 · \$0\.9975 left",
                     r.stdout)
    # the coverage line counts records; the list counts works, and two of Turing's citers are
    # the preprint and the published version of one work
    assert "5 of 2599 citers" in r.stdout
    with closing(Store(run.db)) as store:
        assert coverage(store, TURING).both == 2600
        ids = store.source_citers(TURING, SOURCE)
        assert len(ids) == 2500 and sum(i.startswith("W") for i in ids) == EXTRA
        generated = store.paper(next(i for i in ids if i.startswith("W")))
        assert generated.title.startswith("Generated citer") and generated.abstract
        kept = next(i for i in ids if not i.startswith("W"))
        assert store.resolve(f"OPENALEX:{oa.works.of_s2[kept]}") == kept
    oa.reset()
    again = run([TURING_DOI, "--source", "both", "--no-references"])
    assert again.returncode == 0 and oa.count() == 0
    assert "OpenAlex: answered from the store (0 requests)" in again.stdout


def test_openalex_alone_needs_no_semantic_scholar(run, fake, oa):
    r = run([TURING_DOI, "--source", "openalex"])
    assert r.returncode == 0, r.stderr
    # the lookup, 25 pages of citers, and one call for the 8 references the store lacks
    assert fake.count() == 0 and oa.count() == 27
    assert "OpenAlex: 27 requests (25 pages) · cost $0.0026" in r.stdout
    assert "OpenAlex gave 8 references the store lacked" in r.stdout
    assert "S2 0 · OpenAlex 2,500 · both 2,500 · only in S2 0 · only in OpenAlex 2,500" in r.stdout


@pytest.mark.parametrize("source", ["openalex", "both"])
def test_without_a_key_one_line_says_where_to_get_one_and_nothing_is_asked(run, fake, oa,
                                                                           source):
    r = run([TURING_DOI, "--source", source], key=None)
    assert r.returncode == 1
    assert r.stdout == ""
    (line,) = r.stderr.strip().splitlines()
    assert "free" in line and "https://openalex.org/settings/api" in line
    assert "OPENALEX_API_KEY" in line
    assert fake.count() == 0 and oa.count() == 0


def test_429_then_success_and_5xx_are_retried_and_lose_nothing(run, oa):
    oa.inject(429, headers={"Retry-After": "0"}, times=1, path_contains=cursor_of(300))
    oa.inject(503, times=1, path_contains=cursor_of(700))
    r = run([TURING_DOI, "--source", "openalex"])
    assert r.returncode == 0, r.stderr
    assert [q.status for q in oa.requests].count(200) == 27 and oa.count() == 29
    with closing(Store(run.db)) as store:
        assert len(store.source_citers(oa.works.of_s2[TURING], SOURCE)) == 2500


@pytest.mark.parametrize("fault", [
    {"status": 200, "raw": b'{"meta": {"count": 25', "times": None},
    {"status": None, "delay": 30, "times": None},
    {"status": 500, "times": None},
])
def test_a_page_that_keeps_failing_is_one_line_and_the_pages_before_are_kept(run, oa, fault):
    oa.inject(**fault, path_contains=cursor_of(300))
    r = run([TURING_DOI, "--source", "openalex"], EXPLORER_TIMEOUT="1")
    assert r.returncode == 2
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "OpenAlex" in errors[0] and "partial" in errors[0]
    with closing(Store(run.db)) as store:
        assert len(store.source_citers(oa.works.of_s2[TURING], SOURCE)) == 300
        assert store.integrity_ok()
    oa.clear_faults()
    again = run([TURING_DOI, "--source", "openalex"])
    assert again.returncode == 0, again.stderr
    with closing(Store(run.db)) as store:
        assert len(store.source_citers(oa.works.of_s2[TURING], SOURCE)) == 2500


def test_the_key_never_appears_in_output_logs_or_the_store(run, oa, caplog):
    caplog.set_level(logging.DEBUG)
    oa.inject(503, times=2, path_contains=cursor_of(100))
    oa.inject(200, raw=b"{", times=None, path_contains=cursor_of(200))
    r = run(["--verbose", TURING_DOI, "--source", "both", "--no-references"])
    assert r.returncode == 2
    assert KEY not in r.stdout + r.stderr
    logged = [x.getMessage() for x in caplog.records if not x.name.startswith("explorer.fake")]
    assert any("retrying" in m for m in logged)
    assert not any(KEY in m for m in logged)
    oa.clear_faults()
    assert run(["-v", TURING_DOI, "--source", "both"]).returncode == 0
    for path in run.db.parent.iterdir():
        assert KEY.encode() not in path.read_bytes(), path
    db = sqlite3.connect(run.db)
    rows = [r for t in ("papers", "aliases", "meta", "source_links", "fetches")
            for r in db.execute(f"SELECT * FROM {t}")]  # noqa: S608 - fixed names
    db.close()
    assert rows and not any(KEY in str(row) for row in rows)


def test_an_unreachable_openalex_names_its_own_setting(run, oa):
    oa.stop()
    r = run([TURING_DOI, "--source", "openalex"])
    assert r.returncode == 2
    (line,) = r.stderr.strip().splitlines()
    assert "cannot reach OpenAlex" in line and "OPENALEX_API_URL" in line
    assert "S2_API_URL" not in line


def test_a_citer_both_know_fills_only_what_s2_lacks(run, fake, oa):
    shared = set(oa.works.citing(oa.works.of_s2[TURING]))
    citers = [c for c in (e["citingPaperId"] for e in fake.corpus.citations_of(TURING))
              if oa.works.of_s2.get(c) in shared]
    bare = next(c for c in citers if not fake.corpus.papers[c].get("abstract")
                and c in oa.works.of_s2 and fake.corpus.papers[c].get("venue") is not None)
    full = next(c for c in citers if fake.corpus.papers[c].get("abstract")
                and (fake.corpus.papers[c].get("externalIds") or {}).get("DOI")
                and c in oa.works.of_s2 and c != bare)
    for s2_id, text in ((bare, "filled from openalex"), (full, "openalex's other abstract")):
        oa.works.get(oa.works.of_s2[s2_id])["abstract_inverted_index"] = inverted_index(text)
    oa.works.get(oa.works.of_s2[full])["title"] = "A title S2 does not use"
    assert run([TURING_DOI, "--source", "both", "--no-references"]).returncode == 0
    with closing(Store(run.db)) as store:
        assert store.paper(bare).abstract == "filled from openalex"
        kept = store.paper(full)
        assert kept.abstract == fake.corpus.papers[full]["abstract"]
        assert kept.title == fake.corpus.papers[full]["title"]
        assert store.resolve(f"OPENALEX:{oa.works.of_s2[full]}") == full


def test_a_seed_openalex_cannot_look_up_keeps_what_s2_gave_and_says_why(run, oa):
    gpt2 = "b69ce52983ededefd7915bc216ebda4187238e5d"  # no DOI, no arXiv id in the sample
    r = run([gpt2, "--source", "both", "--no-references"])
    assert r.returncode == 1
    assert "5 of 5 citers" in r.stdout and "S2 5 · OpenAlex 0" in r.stdout
    (line,) = [x for x in r.stderr.splitlines() if x.startswith("error:")]
    assert "OpenAlex cannot look up" in line and "no DOI or arXiv id" in line
    assert oa.count() == 0


def test_answers_without_budget_headers_say_the_cost_was_not_reported(run, oa):
    oa.budget_headers = False
    r = run([TURING_DOI, "--source", "openalex"])
    assert r.returncode == 0, r.stderr
    assert "OpenAlex: 27 requests (25 pages) · cost not reported" in r.stdout
    assert not any("$" in line for line in r.stdout.splitlines() if "OpenAlex" in line)


def test_references_the_store_lacks_come_from_openalex_100_a_call(run, fake, oa):
    turing = oa.works.of_s2[TURING]
    citer = next(c for c in (e["citingPaperId"] for e in fake.corpus.citations_of(TURING))
                 if (fake.corpus.papers[c].get("externalIds") or {}).get("DOI")
                 and oa.works.of_s2.get(c) in set(oa.works.citing(turing)))
    doi = fake.corpus.papers[citer]["externalIds"]["DOI"]
    wid = oa.works.of_s2[citer]
    refs = [r.rsplit("/", 1)[-1] for r in oa.works.get(wid)["referenced_works"]]
    r = run([f"DOI:{doi}", "--source", "openalex"])
    assert r.returncode == 0, r.stderr
    assert f"OpenAlex gave {len(refs)} references the store lacked" in r.stdout
    lists = [q for q in oa.requests if q.path == "/works"]
    assert [q.query["filter"] for q in lists] == [f"cites:{wid}", "openalex:" + "|".join(refs)]
    with closing(Store(run.db)) as store:
        assert sorted(store.source_references(wid, SOURCE)) == sorted(refs)
        assert store.paper(turing).title == "Computing Machinery and Intelligence"
