"""The S2AG importer on hand-written shards: every table as the contract says, slices,
duplicates and unresolved references counted, bad shards refused whole, a killed import
resumed, and a diff equal to a fresh import of the newer release."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from explorer.errors import BadInputError, ShardError, StoreError
from explorer.s2ag.diff import apply_diff
from explorer.s2ag.importer import import_release
from explorer.s2ag.manifest import writing
from explorer.s2ag.releases import newer_records
from explorer.s2ag.releases import write_diff as write_diff_between
from explorer.s2ag.shards import ReleaseCounts, corpus_records, write_release
from explorer.s2ag.tables import FILES, GraphSlice
from tests.conftest import CORPUS, ROOT
from tests.s2ag_shards import RELEASE_A, SHA, release_b, write_diff, write_gz, write_shards


def rows(graph: Path, table: str, columns: str = "*") -> list[tuple]:
    return duckdb.sql(f"SELECT {columns} FROM '{graph / FILES[table]}'").fetchall()


def every_table(graph: Path) -> dict[str, list[tuple]]:
    return {table: rows(graph, table) for table in FILES}


@pytest.fixture
def release(tmp_path: Path) -> Path:
    return write_shards(tmp_path / "release", RELEASE_A, "2026-11-17")


def test_papers_are_collapsed_joined_to_their_primary_sha_with_lookup_columns(release, tmp_path):
    graph = tmp_path / "graph"
    report = import_release(release, graph)
    assert report.release == "2026-11-17"
    papers = rows(graph, "papers", "corpusid, paperid, fieldsofstudy, publicationdate, "
                                   "externalids, journal, doi, arxiv, acl, in_slice")
    assert [p[0] for p in papers] == [1, 2, 3, 4, 5]
    first = papers[0]
    assert first[1] == SHA[1][:40]  # lower case, the primary one of two
    assert first[2] == ["Computer Science"]  # external only, once
    assert str(first[3]) == "2017-06-12"
    assert json.loads(first[4]) == {"DOI": "10.1/ABC", "ArXiv": "1706.03762v5", "ACL": "P17-1",
                                    "CorpusId": 1}
    assert json.loads(first[5]) == {"name": "J", "pages": "1-9", "volume": "3"}
    assert first[6:] == ("10.1/abc", "1706.03762", "p17-1", True)
    assert papers[2][2] is None and papers[2][5] is None  # no fields, no journal
    assert papers[3][1] is None  # paper 4 has no sha
    authors = rows(graph, "papers", "authors")[0][0]
    assert json.loads(authors) == [{"authorId": "101", "name": "Author 1"}]


def test_citations_lose_unresolved_and_duplicate_edges_and_flatten_both_intent_shapes(
        release, tmp_path):
    graph = tmp_path / "graph"
    report = import_release(release, graph)
    assert report.counts == {"papers": 5, "abstracts": 2, "paper_ids": 5, "citations": 5,
                             "unresolved": 2, "duplicates": 1}
    by_citing = rows(graph, "by_citing")
    assert by_citing == [
        (10, 1, 2, True, ["as in [2]"], ["methodology", "background"]),
        (None, 2, 4, False, [], []),
        (12, 3, 1, False, [], []),
        (None, 4, 1, False, ["a", "b"], ["background", "methodology"]),
        (None, 5, 2, False, ["bio"], ["result"]),
    ]
    by_cited = rows(graph, "by_cited")
    assert by_cited == sorted(by_citing, key=lambda r: (r[2], r[1]))
    manifest = json.loads((graph / "manifest.json").read_text())
    assert manifest["counts"] == report.counts
    assert not (graph / ".parts").exists() and not (graph / ".tmp").exists()


def test_abstracts_and_paper_ids_are_typed_and_sorted(release, tmp_path):
    graph = tmp_path / "graph"
    import_release(release, graph)
    assert rows(graph, "abstracts") == [
        (1, "We propose <b>attention</b>.",
         '{"url":"https://x/1.pdf","status":"GOLD","license":"CCBY"}'),
        (3, "Three.", None),
    ]
    ids = rows(graph, "paper_ids")
    assert [r[0] for r in ids] == sorted(r[0] for r in ids)
    assert ("f" * 40, 1, False) in ids and (SHA[1][:40], 1, True) in ids
    types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM '{graph / FILES['by_cited']}'")
                 .fetchall()[i][:2] for i in range(6))
    assert types == {"citationid": "BIGINT", "citing": "BIGINT", "cited": "BIGINT",
                     "isinfluential": "BOOLEAN", "contexts": "VARCHAR[]",
                     "intents": "VARCHAR[]"}


def test_a_slice_keeps_its_papers_the_edges_that_touch_them_and_the_other_ends(
        release, tmp_path):
    by_field = tmp_path / "cs"
    import_release(release, by_field, GraphSlice(fields=("computer science",)))
    assert rows(by_field, "papers", "corpusid, in_slice") == [
        (1, True), (2, False), (3, False), (4, True)]
    assert rows(by_field, "by_citing", "citing, cited") == [(1, 2), (2, 4), (3, 1), (4, 1)]
    assert 5 not in [r[1] for r in rows(by_field, "paper_ids")]
    by_year = tmp_path / "recent"
    import_release(release, by_year, GraphSlice(years=(2018, 2024)))
    assert rows(by_year, "papers", "corpusid, in_slice") == [
        (1, False), (2, False), (3, True), (4, True)]
    assert rows(by_year, "by_citing", "citing, cited") == [(2, 4), (3, 1), (4, 1)]
    manifest = json.loads((by_year / "manifest.json").read_text())
    assert manifest["slice"] == {"fields": None, "years": [2018, 2024]}


def test_progress_reports_each_shard_with_its_records_and_edges(release, tmp_path):
    seen = []
    import_release(release, tmp_path / "graph", progress=seen.append)
    assert [(p.dataset, p.files_done, p.files_total) for p in seen] == [
        ("papers", 1, 6), ("papers", 2, 6), ("abstracts", 3, 6), ("citations", 4, 6),
        ("citations", 5, 6), ("paper-ids", 6, 6), ("tables", 6, 6)]
    assert [p.writing for p in seen] == [False] * 6 + [True]
    citations = [p for p in seen if p.dataset == "citations"]
    assert [(p.records, p.edges) for p in citations] == [(3, 2), (5, 4)]
    assert all(p.edges_per_second >= 0 for p in seen)


def _corrupt(kind: str, shard: Path) -> None:
    if kind == "truncated":
        data = shard.read_bytes()
        shard.write_bytes(data[: len(data) // 2])
    elif kind == "malformed":
        with gzip.open(shard, "wt") as f:
            f.write('{"citingcorpusid": "1", "citedcorpusid": "2"}\n{"citingcorpusid": \n')
    else:
        write_gz(shard, [{"citingcorpusid": "x1", "citedcorpusid": "2"}])


@pytest.mark.parametrize("kind", ["truncated", "malformed", "not an id"])
def test_a_bad_shard_is_named_and_leaves_the_graph_as_it_was(kind, release, tmp_path):
    graph = tmp_path / "graph"
    import_release(release, graph)
    before = every_table(graph)
    manifest = (graph / "manifest.json").read_text()
    shard = release / "citations" / "part-00001.jsonl.gz"
    _corrupt(kind, shard)
    with pytest.raises(ShardError) as caught:
        import_release(release, graph)
    assert caught.value.path == str(shard)
    assert str(caught.value).count("\n") == 0 and str(shard) in str(caught.value)
    assert every_table(graph) == before
    assert json.loads((graph / "manifest.json").read_text())["counts"] == \
        json.loads(manifest)["counts"]
    assert not list(graph.glob("*.tmp")) and not list((graph / ".parts").rglob("*.tmp"))


def test_a_folder_without_the_datasets_is_refused_naming_what_it_lacks(tmp_path):
    folder = tmp_path / "downloads"
    (folder / "papers").mkdir(parents=True)
    write_gz(folder / "papers" / "a.gz", [])
    with pytest.raises(BadInputError, match="lacks the shards of abstracts, citations, paper-ids"):
        import_release(folder, tmp_path / "graph")
    assert not (tmp_path / "graph").exists()


def test_a_memory_limit_that_is_no_size_is_refused(release, tmp_path):
    with pytest.raises(BadInputError) as caught:
        import_release(release, tmp_path / "graph", memory_limit="lots")
    assert caught.value.parameter == "memory_limit"


KILLED_AFTER_THREE = """
import signal, sys
from pathlib import Path
from explorer.s2ag.diff import apply_diff
from explorer.s2ag.importer import import_release
from explorer.s2ag.manifest import writing

def progress(p):
    if p.files_done == 3:
        Path(sys.argv[3]).write_text("3 shards done")
        signal.pause()  # until the test kills us

import_release(Path(sys.argv[1]), Path(sys.argv[2]), progress=progress)
"""


def test_a_killed_import_run_again_reads_only_the_shards_it_had_not_finished(
        release, tmp_path):
    graph, flag = tmp_path / "graph", tmp_path / "flag"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_AFTER_THREE, str(release),
                             str(graph), str(flag)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    give_up = time.monotonic() + 300  # a hung child fails the test instead of hanging it
    try:
        while not flag.exists():
            assert proc.poll() is None, "the import ended before it was killed"
            assert time.monotonic() < give_up, "the import never finished three shards"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not (graph / FILES["papers"]).exists()
    pending = json.loads((graph / "manifest.json").read_text())["pending"]
    assert sorted(pending["parts"]) == ["abstracts/part-00000.jsonl.gz",
                                        "papers/part-00000.jsonl.gz", "papers/part-00001.jsonl.gz"]
    seen = []
    report = import_release(release, graph, progress=seen.append)
    assert [(p.dataset, p.reused) for p in seen if not p.writing] == [
        ("papers", True), ("papers", True), ("abstracts", True), ("citations", False),
        ("citations", False), ("paper-ids", False)]
    assert (report.read, report.reused) == (3, 3)
    fresh = tmp_path / "fresh"
    import_release(release, fresh)
    assert every_table(graph) == every_table(fresh)
    assert "pending" not in json.loads((graph / "manifest.json").read_text())


def test_a_shard_changed_since_the_interrupted_run_is_read_again(release, tmp_path):
    graph = tmp_path / "graph"
    shard = release / "citations" / "part-00001.jsonl.gz"
    _corrupt("malformed", shard)
    with pytest.raises(ShardError):
        import_release(release, graph)
    write_gz(shard, RELEASE_A["citations"][1])
    seen = []
    import_release(release, graph, progress=seen.append)
    assert [p.reused for p in seen if not p.writing] == [True, True, True, True, False, False]
    assert len(rows(graph, "by_citing")) == 5


def test_a_diff_applied_equals_a_fresh_import_of_the_newer_release(release, tmp_path):
    graph = tmp_path / "graph"
    import_release(release, graph)
    diff = write_diff(tmp_path / "diffs" / "2026-11-17--2026-11-24")
    seen = []
    report = apply_diff(diff, graph, progress=seen.append)
    fresh = tmp_path / "fresh"
    import_release(write_shards(tmp_path / "b", release_b(), "2026-11-24"), fresh)
    assert every_table(graph) == every_table(fresh)
    assert report.release == "2026-11-24"
    papers = dict(rows(graph, "papers", "corpusid, title"))
    assert papers[2] == "Paper 2, revised" and 5 not in papers and 6 in papers
    assert (6, 1) in rows(graph, "by_citing", "citing, cited")
    assert rows(graph, "papers", "paperid")[3][0] == SHA[4][:40]  # from the paper-ids diff
    manifest = json.loads((graph / "manifest.json").read_text())
    assert manifest["release"] == "2026-11-24"
    assert [(d["from"], d["to"]) for d in manifest["diffs"]] == [("2026-11-17", "2026-11-24")]
    assert manifest["counts"]["citations"] == len(rows(fresh, "by_citing"))
    assert [p.dataset for p in seen] == ["papers", "abstracts", "citations", "paper-ids",
                                         "tables"]


def test_a_diff_with_a_bad_file_leaves_the_graph_as_it_was(release, tmp_path):
    graph = tmp_path / "graph"
    import_release(release, graph)
    before = every_table(graph)
    diff = write_diff(tmp_path / "diffs" / "2026-11-17--2026-11-24")
    bad = diff / "citations" / "updates" / "part-00000.jsonl.gz"
    _corrupt("malformed", bad)
    with pytest.raises(ShardError) as caught:
        apply_diff(diff, graph)
    assert caught.value.path == str(bad)
    assert every_table(graph) == before
    assert json.loads((graph / "manifest.json").read_text())["release"] == "2026-11-17"


def test_a_diff_is_refused_by_a_slice_by_another_release_and_without_a_graph(
        release, tmp_path):
    diff = write_diff(tmp_path / "diffs" / "2026-11-10--2026-11-17")
    with pytest.raises(BadInputError, match="no local graph"):
        apply_diff(diff, tmp_path / "none")
    sliced = tmp_path / "sliced"
    import_release(release, sliced, GraphSlice(years=(2015, 2024)))
    with pytest.raises(BadInputError, match="is a slice"):
        apply_diff(diff, sliced)
    graph = tmp_path / "graph"
    import_release(release, graph)
    with pytest.raises(BadInputError, match="goes from release 2026-11-10"):
        apply_diff(diff, graph)
    with pytest.raises(BadInputError, match="no diff in"):
        apply_diff(release, graph)


@pytest.fixture(scope="module")
def sample_releases(tmp_path_factory) -> tuple[Path, ReleaseCounts, Path, Path]:
    root = tmp_path_factory.mktemp("s2ag")
    papers, edges = corpus_records(CORPUS)
    older = write_release(papers, edges, root / "2026-11-24", release="2026-11-24")
    newer_papers, newer_edges = newer_records(papers, edges)
    write_release(newer_papers, newer_edges, root / "2026-12-01", release="2026-12-01")
    diff = root / "diffs" / "2026-11-24--2026-12-01"
    write_diff_between(root / "2026-11-24", root / "2026-12-01", diff)
    return root / "2026-11-24", older, root / "2026-12-01", diff


def test_the_sample_corpus_shards_import_with_every_quirk_accounted_for(
        sample_releases, tmp_path):
    release, written, _, _ = sample_releases
    report = import_release(release, tmp_path / "graph")
    counts = report.counts
    assert report.release == "2026-11-24"
    assert (counts["papers"], counts["abstracts"], counts["paper_ids"]) == (
        written.papers, written.abstracts, written.paper_ids)
    # The writer counts distinct edges; the importer counts the rows it dropped, and an
    # unresolved reference written twice is one more unresolved row, one fewer duplicate.
    assert counts["citations"] + counts["unresolved"] + counts["duplicates"] == \
        written.citations + written.duplicates
    assert counts["unresolved"] >= written.unresolved > 0 and counts["duplicates"] > 0
    synthetic = rows(tmp_path / "graph", "papers", "count(*) FILTER (corpusid >= 2 ** 40)")
    assert synthetic[0][0] > 0


def test_the_sample_corpus_diff_applied_equals_a_fresh_import_of_the_newer_release(
        sample_releases, tmp_path):
    older, _, newer, diff = sample_releases
    graph, fresh = tmp_path / "graph", tmp_path / "fresh"
    import_release(older, graph)
    import_release(newer, fresh)
    before = every_table(graph)
    apply_diff(diff, graph)
    after = every_table(graph)
    assert after != before
    assert after == every_table(fresh)


def test_a_second_import_into_a_graph_being_written_is_refused(release, tmp_path):
    graph = tmp_path / "graph"
    import_release(release, graph)
    before = every_table(graph)
    with writing(graph), pytest.raises(StoreError, match="another import is writing"):
        import_release(release, graph)
    with writing(graph), pytest.raises(StoreError, match="another import is writing"):
        apply_diff(write_diff(tmp_path / "diffs" / "2026-11-17--2026-11-24"), graph)
    assert every_table(graph) == before
    import_release(release, graph)  # the lock went with the holder


def test_a_part_that_cannot_be_written_is_a_store_error_not_a_bad_shard(release, tmp_path):
    graph = tmp_path / "graph"
    blocked = graph / ".parts" / "papers" / "part-00000.jsonl.gz.parquet.tmp"
    blocked.mkdir(parents=True)  # where the part file would be written
    with pytest.raises(StoreError) as caught:
        import_release(release, graph)
    assert not isinstance(caught.value, ShardError)
    assert caught.value.path == str(graph)
    assert str(caught.value).startswith(f"cannot write the graph in {graph}: ")


def test_tables_that_cannot_be_written_are_a_store_error_and_the_old_ones_stay(
        release, tmp_path):
    graph = tmp_path / "graph"
    import_release(release, graph)
    before = every_table(graph)
    (graph / "abstracts.parquet.tmp").mkdir()  # where the new abstracts would be written
    with pytest.raises(StoreError) as caught:
        import_release(release, graph)
    assert str(caught.value).startswith(f"cannot write the graph in {graph}: ")
    assert every_table(graph) == before
    assert not (graph / "papers.parquet.tmp").exists()


def test_tables_read_by_paper_are_written_in_small_row_groups(tmp_path):
    # a lookup of one paper decodes one row group: 100,000 papers in one cost 50-100 ms each
    from explorer.s2ag.synthetic import write_synthetic
    from explorer.s2ag.tables import LOOKUP_ROW_GROUP

    write_synthetic(90_000, tmp_path / "release")
    import_release(tmp_path / "release", tmp_path / "graph")
    for table in ("papers", "paper_ids"):
        groups = duckdb.sql(
            f"SELECT row_group_id, max(row_group_num_rows) FROM parquet_metadata("
            f"'{tmp_path / 'graph' / FILES[table]}') GROUP BY ALL").fetchall()
        assert len(groups) > 1 and max(n for _, n in groups) <= LOOKUP_ROW_GROUP, table
