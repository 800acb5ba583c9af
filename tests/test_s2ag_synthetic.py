"""The synthetic S2AG release: exactly N edges to older papers, citation counts that match
the edges and have a heavy tail, the real datasets' quirks, the same bytes for the same seed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from explorer.fake_s2.corpus import Corpus
from explorer.s2ag.shard_files import DATASETS, dataset_files, read_dataset, read_file
from explorer.s2ag.shard_records import paper_record
from explorer.s2ag.synthetic import FIELDS, main, paper_count, write_synthetic

EDGES = 3000


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    write_synthetic(EDGES, out, seed=7)
    return out


def _edges(release: Path) -> dict[tuple[str, str | None], dict]:
    return {(c["citingcorpusid"], c["citedcorpusid"]): c
            for c in read_dataset(release / "citations")}


def test_exactly_n_resolved_edges_each_to_an_older_paper(release):
    papers = {p["corpusid"]: p for p in read_dataset(release / "papers")}
    resolved = [k for k in _edges(release) if k[1] is not None]
    assert len(resolved) == EDGES and len(papers) == paper_count(EDGES)
    for citing, cited in resolved:
        assert int(cited) < int(citing)
        assert papers[int(cited)]["year"] <= papers[int(citing)]["year"]


def test_citation_and_reference_counts_match_the_edges(release):
    edges = [k for k in _edges(release) if k[1] is not None]
    cited_by = Counter(int(cited) for _, cited in edges)
    refs = Counter(int(citing) for citing, _ in edges)
    influential = Counter(int(k[1]) for k, c in _edges(release).items()
                          if k[1] is not None and c["isinfluential"])
    for paper in read_dataset(release / "papers"):
        assert paper["citationcount"] == cited_by[paper["corpusid"]]
        assert paper["referencecount"] == refs[paper["corpusid"]]
        assert paper["influentialcitationcount"] == influential[paper["corpusid"]]


def test_citation_counts_have_a_heavy_tail_and_papers_a_few_fields(release):
    counts = sorted(p["citationcount"] for p in read_dataset(release / "papers"))
    median = counts[len(counts) // 2]
    assert counts[-1] > 20 * max(median, 1)
    fields = Counter(p["s2fieldsofstudy"][0]["category"] for p in read_dataset(release / "papers"))
    assert set(fields) == set(FIELDS)


def test_the_quirks_of_the_real_datasets(release):
    assert all(len(dataset_files(release / d)) >= 2 for d in DATASETS)
    files = [list(read_file(p)) for p in dataset_files(release / "citations")]
    assert all(records and all("citationid" not in c for c in records) for records in files[:2])
    assert all(records and all("citationid" in c for c in records) for records in files[2:])
    lines = [c for records in files for c in records]
    assert len(lines) - len(_edges(release)) >= 10  # duplicates
    assert sum(c["citedcorpusid"] is None for c in _edges(release).values()) >= 5
    ids = list(read_dataset(release / "paper-ids"))
    assert sum(not r["primary"] for r in ids) >= 1
    assert sum(r["primary"] for r in ids) == paper_count(EDGES)


def test_the_same_seed_writes_the_same_bytes(release, tmp_path):
    write_synthetic(EDGES, tmp_path, seed=7)
    names = sorted(p.relative_to(release) for p in release.rglob("*.gz"))
    assert names == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.gz"))
    assert all((release / n).read_bytes() == (tmp_path / n).read_bytes() for n in names)
    other = tmp_path / "other"
    write_synthetic(EDGES, other, seed=8)
    assert (other / names[0]).read_bytes() != (release / names[0]).read_bytes()


def test_the_corpus_beside_holds_the_records_the_shards_were_written_from(release, tmp_path):
    write_synthetic(EDGES, tmp_path / "release", seed=7, corpus=tmp_path / "corpus")
    names = sorted(p.relative_to(release) for p in release.rglob("*.gz"))
    assert all((release / n).read_bytes() == (tmp_path / "release" / n).read_bytes()
               for n in names)
    corpus = Corpus.from_dir(tmp_path / "corpus")
    shards = {p["corpusid"]: p for p in read_dataset(release / "papers")}
    assert {r["corpusId"]: paper_record(r, r["corpusId"])
            for r in corpus.papers.values()} == shards
    ids = {sha: r["corpusId"] for sha, r in corpus.papers.items()}
    api = {(str(ids[e["citingPaperId"]]), str(ids[e["citedPaperId"]])): e
           for sha in corpus.papers for e in corpus.references_of(sha)}
    resolved = {k: c for k, c in _edges(release).items() if k[1] is not None}
    assert set(api) == set(resolved) and corpus.edge_count == EDGES
    assert all(api[k]["isInfluential"] == c["isinfluential"] for k, c in resolved.items())


@pytest.mark.parametrize("edges", [1, 2, 7])
def test_tiny_corpora_are_exact_too(tmp_path, edges):
    counts = write_synthetic(edges, tmp_path)
    assert counts.citations - counts.unresolved == edges


def test_the_command_writes_a_release_and_says_what_it_holds(tmp_path, capsys):
    assert main(["--edges", "500", "--out", str(tmp_path), "--release", "2026-01-06"]) == 0
    out = capsys.readouterr().out
    assert "500 edges" in out and "MB" in out
    assert (tmp_path / "2026-01-06" / "RELEASE").read_text() == "2026-01-06\n"
    assert main(["--edges", "500", "--out", str(tmp_path), "--release", "2026-01-06"]) == 1
    assert "exists" in capsys.readouterr().err


def test_bad_counts_are_one_line(tmp_path, capsys):
    assert main(["--edges", "0", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--edges must be at least 1" in err
    assert not any(tmp_path.iterdir())


def test_help_ends_with_examples(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "python -m explorer.s2ag.synthetic --edges 1000000 --out" in capsys.readouterr().out
