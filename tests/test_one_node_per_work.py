"""One node per work where a user sees papers: the ranking, `explorer cites`, the exports; and
end to end through the CLI against the fake S2 on the sample's "Proof in the time of machines"
pair (arXiv 2305.02329 and Bull. AMS 10.1090/bull/1826, both citers of Turing's paper)."""

from __future__ import annotations

import csv
import json

import bibtexparser
import rispy

from explorer.exports import export_bytes
from explorer.exports.to_bibtex import unescape
from explorer.exports.to_markdown import notes
from explorer.models import Edge, Paper
from explorer.store import Store
from explorer.tasks.cites import collect
from explorer.tasks.details import describe
from explorer.tasks.explore import ExploreOptions, rank_stored
from explorer.tasks.export import from_exploration, from_list
from explorer.tasks.survey import survey_of_references
from explorer.walk import Walker
from tests.conftest import cli_env, run_cli

ARXIV_ID, JOURNAL_ID = "af02f2c6b315f8a3db555a6386fbd37165e6ecdb", \
    "7ce0067a715c27421a72dbfba3a6423b1e40d8c0"
TURING = "2d5673caa9e6af3a7b82a43f19ee920992db07ad"
TITLE = "Proof in the time of machines"
REASON = ("same work as arXiv 2305.02329: same title, first author and year "
          "(2023 and 2024)")
ARXIV = {"paperId": ARXIV_ID, "title": TITLE, "year": 2023, "citationCount": 1,
         "authors": [{"name": "Andrew Granville"}], "venue": "arXiv.org",
         "externalIds": {"ArXiv": "2305.02329", "DOI": "10.48550/arXiv.2305.02329"}}
JOURNAL = {"paperId": JOURNAL_ID, "title": TITLE, "year": 2024, "citationCount": 0,
           "authors": [{"name": "Andrew Granville"}],
           "venue": "Bulletin of the American Mathematical Society",
           "externalIds": {"DOI": "10.1090/bull/1826"}}
CITERS = {"c-both": (ARXIV_ID, JOURNAL_ID), "c-arxiv": (ARXIV_ID,), "c-journal": (JOURNAL_ID,)}


def citer(pid: str) -> dict:
    return {"paperId": pid, "title": f"A paper that cites proofs ({pid})", "year": 2025,
            "citationCount": 0, "authors": [{"name": "Some Reader"}], "externalIds": {}}


def filled_store() -> Store:
    """Turing's paper, both versions citing it, and three citers of the versions."""
    store = Store(":memory:")
    store.put_papers([ARXIV, JOURNAL, {"paperId": TURING, "title": "Computing machinery and "
                                       "intelligence", "year": 1950},
                      *(citer(c) for c in CITERS)])
    store.put_edges([Edge(ARXIV_ID, TURING), Edge(JOURNAL_ID, TURING),
                     *(Edge(c, v, None, (f"{c} on proof",)) for c, vs in CITERS.items()
                       for v in vs)])
    for pid in (TURING, ARXIV_ID, JOURNAL_ID):
        for kind in ("references", "citations"):
            store.set_fetch_state(pid, kind, 0, True)
    return store


def test_every_export_has_one_entry_per_work_with_every_id() -> None:
    store = filled_store()
    data = from_exploration(rank_stored(store, [TURING], ExploreOptions(depth=1)), store)
    lib = bibtexparser.parse_string(export_bytes(data, "bibtex").decode())
    proofs = [e for e in lib.entries if unescape(e.fields_dict["title"].value) == TITLE]
    assert len(proofs) == 1
    fields = {k: v.value for k, v in proofs[0].fields_dict.items()}
    assert (fields["eprint"], fields["archiveprefix"], fields["doi"]) == \
        ("2305.02329", "arXiv", "10.1090/bull/1826")

    rows = [r for r in csv.DictReader(export_bytes(data, "csv").decode().splitlines())
            if r["title"] == TITLE]
    assert [(r["paper_id"], r["arxiv_id"], r["doi"], r["versions"]) for r in rows] == \
        [(JOURNAL_ID, "2305.02329", "10.1090/bull/1826", ARXIV_ID)]
    assert rows[0]["reasons"].endswith(REASON)
    papers = [p for p in json.loads(export_bytes(data, "json"))["papers"]
              if p["title"] == TITLE]
    assert [(p["paper_id"], p["versions"]) for p in papers] == [(JOURNAL_ID, [ARXIV_ID])]
    ris = [r for r in rispy.loads(export_bytes(data, "ris").decode())
           if r.get("title") == TITLE]
    assert [(r["id"], r["doi"], r["custom1"], r["custom2"]) for r in ris] == \
        [(JOURNAL_ID, "10.1090/bull/1826", "arXiv:2305.02329", f"S2 versions: {ARXIV_ID}")]
    proof_notes = [text for text in notes(data).values() if f"title: {TITLE}" in text]
    assert len(proof_notes) == 1 and ARXIV_ID in proof_notes[0]


def test_both_versions_on_the_reading_list_are_one_entry() -> None:
    store = filled_store()
    store.list_set(ARXIV_ID, status="to read", tags=("proofs",))
    store.list_set(TURING, status="read")
    store.list_set(JOURNAL_ID, status="to read", tags=("ams",), note="the journal version")
    data = from_list(store, scores=None)
    assert sorted(e.paper.paper_id for e in data.entries) == sorted([JOURNAL_ID, TURING])
    assert sorted(e.rank for e in data.entries) == [1, 2]
    work = next(e for e in data.entries if e.paper.paper_id == JOURNAL_ID)
    assert (work.status, set(work.tags), work.note) == ("to read", {"proofs", "ams"},
                                                        "the journal version")
    assert (work.paper.arxiv_id, work.paper.doi) == ("2305.02329", "10.1090/bull/1826")
    assert REASON in work.reasons
    assert sorted(data.graph.edges) == [(JOURNAL_ID, TURING)]


def test_cites_collects_every_version_and_counts_a_citer_of_both_once() -> None:
    found = collect("ARXIV:2305.02329", store=filled_store(), current_year=2026)
    assert found.paper.paper_id == JOURNAL_ID and found.paper.versions == (ARXIV_ID,)
    assert sorted(c.paper.paper_id for c in found.citers) == sorted(CITERS)
    both = next(c for c in found.citers if c.paper.paper_id == "c-both")
    assert both.edge.contexts == ("c-both on proof",)


def test_end_to_end_explore_export_and_cites_on_the_sample_pair(fake, tmp_path) -> None:
    for pid, versions in CITERS.items():
        fake.add_paper(citer(pid))
        for v in versions:
            fake.add_edge({"citingPaperId": pid, "citedPaperId": v, "isInfluential": None,
                           "contexts": [f"{pid} on proof"], "intents": []})
    env = cli_env(fake, tmp_path / "db.sqlite")
    out = tmp_path / "turing.csv"
    res = run_cli(["explore", "DOI:10.1093/mind/LIX.236.433", "--depth", "1",
                   "--csv", str(out)], env)
    assert res.returncode == 0, res.stderr
    with out.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["title"] == TITLE]
    assert [(r["paper_id"], r["arxiv_id"], r["doi"], r["versions"]) for r in rows] == \
        [(JOURNAL_ID, "2305.02329", "10.1090/bull/1826", ARXIV_ID)]
    assert REASON in rows[0]["reasons"]

    bib = tmp_path / "last.bib"
    res = run_cli(["export", "--from", "last", "--format", "bibtex", "--out", str(bib)], env)
    assert res.returncode == 0, res.stderr
    lib = bibtexparser.parse_string(bib.read_text(encoding="utf-8"))
    proofs = [e for e in lib.entries if unescape(e.fields_dict["title"].value) == TITLE]
    assert len(proofs) == 1
    assert proofs[0].fields_dict["eprint"].value == "2305.02329"
    assert proofs[0].fields_dict["doi"].value == "10.1090/bull/1826"

    cited = tmp_path / "cites.csv"
    res = run_cli(["cites", "2305.02329", "--csv", str(cited)], env)
    assert res.returncode == 0, res.stderr
    with cited.open(encoding="utf-8", newline="") as f:
        citers = [r["paper_id"] for r in csv.DictReader(f)]
    assert sorted(citers) == sorted(CITERS)
    assert f"3 of 3 citers of {TITLE!r}" in res.stdout


def test_a_survey_citing_both_versions_lists_the_work_once() -> None:
    store = filled_store()
    survey = Paper("survey", "A survey of machine proofs", 2025, ("S. Urvey",))
    refs = [ARXIV_ID, JOURNAL_ID, TURING]
    store.put_papers([{"paperId": "survey", "title": survey.title, "year": 2025}])
    store.put_edges([Edge("survey", r) for r in refs])
    for pid in refs:
        for kind in ("embedded-references", "embedded-citations"):
            store.set_fetch_state(pid, kind, 0, True)
    result = survey_of_references(store, refs, Walker(store, None, None), survey)
    listed = [r.paper.paper_id for r in result.references]
    assert sorted(listed) == sorted([JOURNAL_ID, TURING])
    work = next(r for r in result.references if r.paper.paper_id == JOURNAL_ID)
    assert REASON in work.reasons and work.paper.versions == (ARXIV_ID,)


def test_the_details_of_either_version_name_the_merge() -> None:
    store = filled_store()
    journal = describe(store.paper(JOURNAL_ID), store)
    assert REASON in journal.splitlines()
    preprint = describe(store.paper(ARXIV_ID), store)
    assert f"merged into S2:{JOURNAL_ID}: {REASON}" in preprint.splitlines()
    alone = describe(store.paper(TURING), store)
    assert "same work" not in alone
