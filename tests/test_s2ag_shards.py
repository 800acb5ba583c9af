"""S2AG release shards written from the sample corpus: the real record shapes, every quirk of
the real datasets, byte-identical reruns, and a diff that turns one release into the next."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from explorer.fake_s2.corpus import read_records
from explorer.s2ag.releases import record_key
from explorer.s2ag.shard_files import DATASETS, dataset_files, read_dataset, read_file
from explorer.s2ag.shard_records import SYNTHETIC_BASE, nested_intents
from explorer.s2ag.shards import main
from tests.conftest import CORPUS

OLD, NEW = "2026-11-24", "2026-12-01"


def _write(out: Path) -> Path:
    assert main(["--corpus", str(CORPUS), "--out", str(out), "--release", OLD,
                 "--newer", NEW]) == 0
    return out


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("s2ag"))


def _records(root: Path, dataset: str, release: str = OLD) -> list[dict]:
    return list(read_dataset(root / release / dataset))


def _citation_files(root: Path) -> list[list[dict]]:
    return [list(read_file(p)) for p in dataset_files(root / OLD / "citations")]


def test_a_paper_record_has_the_real_shape(root):
    paper = next(p for p in _records(root, "papers") if p["corpusid"] == 269785218)
    assert list(paper) == [
        "corpusid", "externalids", "url", "title", "authors", "venue", "publicationvenueid",
        "year", "referencecount", "citationcount", "influentialcitationcount", "isopenaccess",
        "s2fieldsofstudy", "publicationtypes", "publicationdate", "journal"]
    assert paper["externalids"] == {
        "DOI": "10.3389/fcomp.2024.1321238", "ArXiv": None, "ACL": None, "MAG": None,
        "DBLP": None, "PubMed": None, "PubMedCentral": None, "CorpusId": "269785218"}
    assert paper["url"] == ("https://www.semanticscholar.org/paper/"
                            "004f5a298c3c8d19fb67d948ec8fc51d26831a52")
    assert paper["title"] == "XAI Human-Machine collaboration applied to network security"
    assert paper["authors"][0] == {"authorId": "2187683550", "name": "Steve Moyle"}
    assert paper["year"] == 2024 and paper["venue"] == "Frontiers of Computer Science"
    assert paper["journal"] == {"name": "Frontiers in Computer Science"}


def test_fields_of_study_are_the_external_categories(root):
    api = {p["corpusId"]: p for p in read_records(CORPUS, "papers.jsonl") if p["corpusId"]}
    for paper in _records(root, "papers"):
        fos = api.get(paper["corpusid"], {}).get("fieldsOfStudy")
        external = [f["category"] for f in paper["s2fieldsofstudy"] or ()
                    if f["source"] == "external"]
        assert (external or None) == fos
    assert any(f["source"] == "s2-fos-model" for p in _records(root, "papers")
               for f in p["s2fieldsofstudy"] or ())


def test_an_abstract_record_carries_the_open_access_info(root):
    record = next(a for a in _records(root, "abstracts") if a["corpusid"] == 269785218)
    assert record["abstract"].startswith("Cyber attacking is easier than cyber defending")
    info = record["openaccessinfo"]
    assert info["url"].startswith("https://www.frontiersin.org/articles/10.3389/fcomp")
    assert info["externalids"]["DOI"] == "10.3389/fcomp.2024.1321238"


def test_citations_have_string_ids_and_unresolved_references(root):
    papers = {p["corpusid"] for p in _records(root, "papers")}
    citations = _records(root, "citations")
    assert all(isinstance(c["citingcorpusid"], str) for c in citations)
    assert all(int(c["citingcorpusid"]) in papers for c in citations)
    resolved = [c for c in citations if c["citedcorpusid"] is not None]
    assert all(isinstance(c["citedcorpusid"], str) and int(c["citedcorpusid"]) in papers
               for c in resolved)
    unresolved = [c for c in citations if c["citedcorpusid"] is None]
    assert len(unresolved) >= 10
    assert len({(c["citingcorpusid"], c["citedcorpusid"]) for c in resolved}) == 2008


def test_both_shapes_of_citation_shards(root):
    files = _citation_files(root)
    assert len(files) == 4
    older, newer = files[:2], files[2:]
    for records in older:
        assert records and all("citationid" not in c for c in records)
        nested = [c["intents"] for c in records if c["intents"] is not None]
        assert nested and all(isinstance(i, list) and all(isinstance(x, list) for x in i)
                              for i in nested)
        assert any(len(i) == 2 for i in nested)  # one list per context
        assert any(c["contexts"] is None for c in records)
    for records in newer:
        assert records and all(isinstance(c["citationid"], int) for c in records)
        assert all(isinstance(c["intents"], list) and all(isinstance(x, str)
                   for x in c["intents"]) for c in records)
        assert any(c["intents"] for c in records)


def test_some_edges_appear_identically_in_two_shards(root):
    lines = Counter()
    where: dict[str, set[int]] = {}
    for i, path in enumerate(dataset_files(root / OLD / "citations")):
        with gzip.open(path, "rt") as handle:
            for line in handle:
                lines[line] += 1
                where.setdefault(line, set()).add(i)
    twice = [line for line, n in lines.items() if n == 2]
    assert len(twice) >= 10 and max(lines.values()) == 2
    assert all(len(where[line]) == 2 for line in twice)
    assert any("citationid" not in json.loads(line) for line in twice)
    assert any("citationid" in json.loads(line) for line in twice)


def test_every_dataset_is_several_files_and_the_release_is_named(root):
    for dataset in DATASETS:
        assert len(dataset_files(root / OLD / dataset)) >= 2
    assert (root / OLD / "RELEASE").read_text() == f"{OLD}\n"


def test_paper_ids_map_every_sha_one_primary_and_some_extra(root):
    api = list(read_records(CORPUS, "papers.jsonl"))
    ids = _records(root, "paper-ids")
    primary = {r["sha"]: r["corpusid"] for r in ids if r["primary"]}
    assert sorted(primary) == sorted(p["paperId"] for p in api)
    assert len(set(primary.values())) == len(primary)  # one primary sha a corpus id
    extra = [r for r in ids if not r["primary"]]
    assert len(extra) >= 10
    assert all(r["corpusid"] in primary.values() and r["sha"] not in primary for r in extra)
    for paper in api:
        corpusid = primary[paper["paperId"]]
        if paper["corpusId"] is None:
            assert corpusid >= SYNTHETIC_BASE
        else:
            assert corpusid == paper["corpusId"] < SYNTHETIC_BASE


def test_a_rerun_is_byte_identical(root, tmp_path):
    again = _write(tmp_path)
    files = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert len(files) == 2 * (3 * 2 + 4 + 1) + 4 * 2  # two releases and a diff
    assert all((root / f).read_bytes() == (again / f).read_bytes() for f in files)


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_old_release_plus_the_diff_is_the_new_release(root, dataset):
    table = {record_key(dataset, r): r for r in _records(root, dataset, OLD)}
    diff = root / "diffs" / f"{OLD}--{NEW}" / dataset
    updates, deletes = list(read_dataset(diff / "updates")), list(read_dataset(diff / "deletes"))
    assert updates and deletes
    for record in updates:
        table[record_key(dataset, record)] = record
    for key in deletes:
        del table[record_key(dataset, key)]
    newer = {record_key(dataset, r): r for r in _records(root, dataset, NEW)}
    assert table == newer
    assert len(updates) < len(newer) / 2  # a diff, not the whole release


def test_the_newer_release_updates_deletes_and_adds_papers(root):
    old = {p["corpusid"]: p for p in _records(root, "papers", OLD)}
    new = {p["corpusid"]: p for p in _records(root, "papers", NEW)}
    assert old.keys() - new.keys() and new.keys() - old.keys()
    assert any(new[k] != old[k] for k in old.keys() & new.keys())
    gone = {str(k) for k in old.keys() - new.keys()}
    assert not any(c["citingcorpusid"] in gone or c["citedcorpusid"] in gone
                   for c in _records(root, "citations", NEW))


@pytest.mark.parametrize("intents, contexts", [
    (["methodology", "background"], 3), (["result"], 1), (["background", "result"], 0)])
def test_nested_intents_flatten_back(intents, contexts):
    nested = nested_intents(intents, contexts)
    assert len(nested) == max(1, contexts)
    assert list(dict.fromkeys(i for group in nested for i in group)) == intents


def test_help_ends_with_examples(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "python -m explorer.s2ag.shards --corpus data/s2-sample" in capsys.readouterr().out


def test_a_folder_without_papers_is_one_line_and_writes_nothing(tmp_path, capsys):
    assert main(["--corpus", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "papers.jsonl" in err
    assert not (tmp_path / "out").exists()
