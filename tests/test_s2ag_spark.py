"""The analysis of explorer.s2ag.spark on both engines: Spark's local mode and DuckDB.

A hand-worked graph (a tiny Parquet graph written here) checks the counts and the PageRank
against numbers worked out here and networkx. The test shards, written from the sample
corpus (with the hand-worked graph beside it) by explorer.s2ag.shards with the datasets'
quirks and imported by explorer.s2ag.importer, check that Spark and DuckDB give the same
numbers, that seeds may be named by sha or CorpusId, and that the numbers are explorer's own:
its ranking's on the same graph, and ``explore``'s on the local graph where the two
definitions meet. One Spark session serves the whole module (Spark's first queries cost the
most).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import networkx as nx
import numpy as np
import pytest

from explorer.analysis.evidence import link_evidence
from explorer.analysis.rank import rank
from explorer.analysis.versions import merge_links
from explorer.errors import BadInputError, NotFoundError
from explorer.fake_s2.corpus import Corpus
from explorer.graph import exploration_records
from explorer.s2ag import spark as job
from explorer.s2ag.frames import COUNTS
from explorer.s2ag.frames_pagerank import iterations_for
from explorer.s2ag.frames_seeds import resolve_seeds
from explorer.store import Store
from tests.conftest import CORPUS, ROOT, cli_env
from tests.s2ag_graph import write_graph

pyspark = pytest.importorskip("pyspark")

# The hand-worked graph: seeds 1 and 2. 40 lies three citations from the seeds.
TINY_EDGES = [(10, 1), (10, 2), (10, 3), (11, 1), (11, 3), (12, 2), (3, 20), (1, 20),
              (2, 20), (1, 21), (3, 21), (30, 10), (40, 30)]
TINY_SEEDS = [1, 2]


def write_parquet(folder: Path, papers: list[int], edges: list[tuple[int, int]]) -> Path:
    """A tiny local graph written by hand, with the columns the analysis reads."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("CREATE TABLE p (corpusid BIGINT, in_slice BOOLEAN)")
    con.executemany("INSERT INTO p VALUES (?, true)", [(p,) for p in sorted(set(papers))])
    con.execute("CREATE TABLE e (citationid BIGINT, citing BIGINT, cited BIGINT, "
                "isinfluential BOOLEAN)")
    con.executemany("INSERT INTO e VALUES (NULL, ?, ?, NULL)", sorted(set(edges)))
    con.execute(f"COPY (SELECT * FROM p ORDER BY corpusid) TO '{folder}/papers.parquet'")
    con.execute(f"COPY (SELECT * FROM e ORDER BY citing, cited) "
                f"TO '{folder}/citations_by_citing.parquet'")
    con.execute(f"COPY (SELECT * FROM e ORDER BY cited, citing) "
                f"TO '{folder}/citations_by_cited.parquet'")
    con.close()
    return folder


@pytest.fixture(scope="module")
def spark():
    session = (pyspark.sql.SparkSession.builder.master("local[1]").appName("explorer-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture
def duck():
    session = job.session("duckdb")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return write_parquet(tmp_path_factory.mktemp("tiny"), [p for e in TINY_EDGES for p in e],
                         TINY_EDGES)


def tiny_sha(n: int) -> str:
    return f"{0x7e57 << 140 | n:040x}"


@pytest.fixture(scope="module")
def test_shards(tmp_path_factory) -> Path:
    """The sample corpus with the hand-worked graph beside it (no paper in common, so that
    one Spark run checks both), through the shard writer and the importer."""
    corpus = Corpus.from_dir(CORPUS)
    tiny = sorted({p for e in TINY_EDGES for p in e})
    assert not {p.get("corpusId") for p in corpus.papers.values()} & set(tiny)
    for n in tiny:
        corpus.add_paper({"paperId": tiny_sha(n), "corpusId": n, "title": f"Tiny {n}"})
    for a, b in TINY_EDGES:
        corpus.add_edge({"citingPaperId": tiny_sha(a), "citedPaperId": tiny_sha(b),
                         "isInfluential": None, "contexts": [], "intents": []})
    return write_graph(corpus, tmp_path_factory.mktemp("test-shards"))


def rows(frame) -> dict[int, dict]:
    return {r["corpusid"]: r.asDict() for r in frame.collect()}


def explorer_graph(graph: Path, nodes: list[int]) -> nx.DiGraph:
    """explorer's citation graph of the given papers, read from the local graph's edges."""
    con = duckdb.connect()
    edges = con.execute(f"SELECT citing, cited FROM '{graph}/citations_by_citing.parquet'"
                        " WHERE citing <> cited").fetchall()
    con.close()
    keep = set(nodes)
    g = nx.DiGraph()
    g.add_nodes_from(str(n) for n in nodes)
    g.add_edges_from((str(a), str(b)) for a, b in edges if a in keep and b in keep)
    return g


def test_the_hand_worked_graph_has_the_counts_worked_out_by_hand(duck, tiny):
    got = rows(job.analyse(duck, str(tiny), TINY_SEEDS, depth=2))
    assert sorted(got) == [1, 2, 3, 10, 11, 12, 20, 21, 30]  # 40 is three citations away
    assert {n: got[n]["hops"] for n in got} == {1: 0, 2: 0, 10: 1, 11: 1, 12: 1, 20: 1, 21: 1,
                                                3: 2, 30: 2}
    # C(3) = {10, 11}, C(1) = {10, 11}, C(2) = {10, 12}: 2 + 1 shared citers, 2 distinct;
    # R(3) = {20, 21}, R(1) = {20, 21}, R(2) = {20}: 2 + 1 shared references, 2 distinct.
    assert [got[3][c] for c in COUNTS] == [0, 0, 3, 2, 3, 2]
    # a seed counts the other seed only: C(1) & C(2) = {10}, R(1) & R(2) = {20}
    assert [got[1][c] for c in COUNTS] == [0, 0, 1, 1, 1, 1]
    assert [got[10][c] for c in COUNTS] == [0, 2, 0, 0, 0, 0]
    assert [got[20][c] for c in COUNTS] == [2, 0, 0, 0, 0, 0]
    assert got[1]["is_seed"] and not got[3]["is_seed"]


def test_the_hand_worked_pagerank_is_networkx_personalised_undirected_pagerank(duck, tiny):
    got = rows(job.analyse(duck, str(tiny), TINY_SEEDS, depth=2))
    g = nx.Graph((a, b) for a, b in TINY_EDGES if a in got and b in got)
    expected = nx.pagerank(g, 0.85, personalization={s: 1 for s in TINY_SEEDS}, tol=1e-15,
                           max_iter=10_000)
    assert max(abs(got[n]["pagerank"] - expected[n]) for n in got) < 1e-9
    assert sum(r["pagerank"] for r in got.values()) == pytest.approx(1.0, abs=1e-12)


SAMPLE_SEEDS = [14636783, 257219404]
"""A much cited paper of the sample corpus and one of its citers."""
SAMPLE_API_IDS = ["2D5673CAA9E6AF3A7B82A43F19EE920992DB07AD", "CorpusId:257219404"]
"""The same two papers named as the API names them: a sha (in upper case), a CorpusId."""


@pytest.fixture(scope="module")
def sample_rows(test_shards) -> dict[int, dict]:
    """DuckDB's numbers around the sample seeds, to the default tolerance."""
    duck = job.session("duckdb")
    try:
        return rows(job.analyse(duck, str(test_shards), SAMPLE_SEEDS, depth=2))
    finally:
        duck.stop()


def test_spark_and_duckdb_agree_on_the_test_shards(spark, duck, test_shards):
    steps = 10  # the same fixed iteration count on both
    # Spark is given the seeds as the API names them, DuckDB their corpus ids.
    on_spark = rows(job.analyse(spark, str(test_shards), [*SAMPLE_API_IDS, "1", 2], depth=2,
                                iterations=steps))
    on_duck = rows(job.analyse(duck, str(test_shards), [*SAMPLE_SEEDS, 1, 2], depth=2,
                               iterations=steps))
    assert len(on_spark) > 1000 and on_spark.keys() == on_duck.keys()
    assert {n for n in on_spark if on_spark[n]["is_seed"]} == {*SAMPLE_SEEDS, 1, 2}
    assert sum(r["cocited"] for r in on_spark.values()) > 10
    assert sum(r["coupled"] for r in on_spark.values()) > 10
    for n in on_spark:
        for name in ("hops", "is_seed", *COUNTS):
            assert on_spark[n][name] == on_duck[n][name], (n, name)
    worst = max(abs(on_spark[n]["pagerank"] - on_duck[n]["pagerank"]) for n in on_spark)
    assert worst < 1e-9
    # the hand-worked part, on Spark: the other seeds share no citer or reference with it
    assert [on_spark[3][c] for c in COUNTS] == [0, 0, 3, 2, 3, 2]
    assert [on_spark[1][c] for c in COUNTS] == [0, 0, 1, 1, 1, 1]
    assert 40 not in on_spark and on_spark[30]["hops"] == 2


def test_the_sample_numbers_are_explorer_rankings_on_the_same_graph(sample_rows, test_shards):
    got = sample_rows
    nodes = sorted(got)
    g = explorer_graph(test_shards, nodes)
    seeds = [str(s) for s in SAMPLE_SEEDS]
    ranked = {int(r.paper.paper_id): r.components for r in rank(g, seeds, current_year=2026)}
    assert ranked.keys() == got.keys()
    order = [str(n) for n in nodes]
    adj = nx.to_scipy_sparse_array(g, nodelist=order, format="csr")
    ev = link_evidence(adj, np.array([1.0 if n in seeds else 0.0 for n in order]))
    for i, n in enumerate(nodes):
        mine, theirs = got[n], ranked[n]
        assert mine["cocited"] == ev["cocited"][i] and mine["coupled"] == ev["coupled"][i]
        assert mine["cocitation_count"] == theirs["cocitation_count"]
        assert mine["coupling_count"] == theirs["coupling_count"]
        assert mine["cited_by_seeds"] == theirs["cited_by_seeds"]
        assert mine["cites_seeds"] == theirs["cites_seeds"]
        assert abs(mine["pagerank"] - theirs["pagerank_raw"]) < 1e-9, n
    assert sum(r["cocited"] for r in got.values()) > 0


def test_the_counts_are_explore_s_on_the_local_graph(sample_rows, test_shards, tmp_path, cli,
                                                    fake, monkeypatch):
    """``explorer explore --graph`` at depth 2 reaches the same papers and counts the same
    links to the seeds. Where the definitions part, nothing is compared: explore merges the
    versions of a work into one node, and its graph leaves out the citations between two
    papers two hops away (so its PageRank is another graph's; the test above checks the
    PageRank)."""
    monkeypatch.delenv("EXPLORER_GRAPH", raising=False)
    env = cli_env(fake, tmp_path / "store.sqlite")
    out = tmp_path / "explore.json"
    done = cli(["explore", *SAMPLE_API_IDS, "--depth", "2", "--top", "100000", "--json",
                str(out), "--graph", str(test_shards)], env)
    assert done.returncode == 0, done.stderr
    assert fake.count() == 0
    ranked = {r["paper_id"]: r["components"] for r in json.loads(out.read_text())}
    con = duckdb.connect()
    sha_of = dict(con.execute(f"SELECT corpusid, paperid FROM "
                              f"'{test_shards}/papers.parquet'").fetchall())
    con.close()
    mine = {sha_of[n]: r for n, r in sample_rows.items()}
    seeds = [sha_of[s] for s in SAMPLE_SEEDS]
    _, merge = merge_links(*exploration_records(Store(tmp_path / "store.sqlite"), seeds, 2,
                                                "both", True))
    assert ranked.keys() | set(seeds) <= mine.keys()
    # the papers explore lacks are the versions it merged into another record
    assert mine.keys() - ranked.keys() - set(seeds) == merge.kept_of.keys()
    versions = merge.kept_of.keys() | merge.works.keys()
    compared = [pid for pid in ranked if pid not in versions]
    for pid in compared:
        for name in ("cited_by_seeds", "cites_seeds", "cocitation_count", "coupling_count"):
            assert mine[pid][name] == ranked[pid][name], (pid, name)
    assert len(compared) > 1000
    assert sum(ranked[pid]["cocitation_count"] for pid in compared) > 100


def test_the_iteration_count_bounds_the_error():
    assert 2 * 0.85 ** iterations_for(1e-13) < 1e-13 <= 2 * 0.85 ** (iterations_for(1e-13) - 1)


def test_a_seed_the_graph_lacks_is_one_clear_error_naming_it(duck, tiny):
    with pytest.raises(NotFoundError, match="corpus id 999") as caught:
        job.analyse(duck, str(tiny), [1, 999])
    assert caught.value.missing == [999]


def test_a_sha_or_corpus_id_the_graph_lacks_is_one_error_naming_each(duck, test_shards):
    unknown = "f" * 39 + "e"
    with pytest.raises(NotFoundError) as caught:
        job.analyse(duck, str(test_shards), [f"CorpusId:{SAMPLE_SEEDS[0]}", unknown.upper(),
                                             999])
    assert str(caught.value) == (f"the local graph at {test_shards} has no paper with corpus "
                                 f"id 999 or S2 paper id {unknown}")
    assert caught.value.missing == [999, unknown]


def test_every_sha_of_a_paper_names_it(duck, test_shards):
    con = duckdb.connect()
    shas = con.execute(f"SELECT sha, corpusid FROM '{test_shards}/paper_ids.parquet' "
                       "WHERE NOT \"primary\" ORDER BY sha LIMIT 3").fetchall()
    con.close()
    assert len(shas) == 3  # the shard writer gives some papers a second sha
    for sha, corpusid in shas:
        assert resolve_seeds(duck, str(test_shards), [sha],
                             lambda name: duck.read.parquet(f"{test_shards}/{name}")
                             ) == [corpusid]


def test_a_seed_that_is_no_id_is_refused(duck, tiny):
    with pytest.raises(BadInputError, match="'DOI:10.1/x' is not a corpus id"):
        job.analyse(duck, str(tiny), ["DOI:10.1/x"])


def test_a_folder_without_the_graph_files_is_one_clear_error(duck, tmp_path):
    with pytest.raises(NotFoundError, match="no citations_by_citing.parquet"):
        job.analyse(duck, str(tmp_path), [1])


def test_no_seeds_or_a_negative_depth_is_refused(duck, tiny):
    with pytest.raises(BadInputError):
        job.analyse(duck, str(tiny), [])
    with pytest.raises(BadInputError):
        job.analyse(duck, str(tiny), [1], depth=-1)


def run_job(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "explorer.s2ag.spark", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_command_writes_the_candidates_as_parquet(tiny, tmp_path):
    done = run_job("--graph", str(tiny), "--seeds", "1,CorpusId:2", "--out",
                   str(tmp_path / "out"), "--engine", "duckdb")
    assert done.returncode == 0, done.stderr
    assert "9 papers around 2 seed(s)" in done.stdout
    written = duckdb.connect().execute(
        f"SELECT * FROM '{tmp_path}/out/{job.OUTPUT}'").fetchdf()
    assert list(written.columns) == list(job.COLUMNS)
    assert written.loc[written.corpusid == 3, "cocited"].item() == 3
    assert written.pagerank.is_monotonic_decreasing


def test_the_command_takes_the_seeds_as_the_api_names_them(test_shards, tmp_path):
    done = run_job("--graph", str(test_shards), "--seeds", ",".join(SAMPLE_API_IDS),
                   "--depth", "0", "--out", str(tmp_path), "--engine", "duckdb")
    assert done.returncode == 0, done.stderr
    assert "2 papers around 2 seed(s)" in done.stdout
    written = duckdb.connect().execute(f"SELECT corpusid FROM '{tmp_path}/{job.OUTPUT}' "
                                       "ORDER BY corpusid").fetchall()
    assert [r[0] for r in written] == SAMPLE_SEEDS


def test_the_command_says_in_one_line_what_is_wrong(tiny, tmp_path):
    unknown = run_job("--graph", str(tiny), "--seeds", "1", "999", "--out", str(tmp_path),
                      "--engine", "duckdb")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == [
        f"error: the local graph at {tiny} has no paper with corpus id 999"]
    assert not (tmp_path / job.OUTPUT).exists()
    typo = run_job("--graph", str(tiny), "--seeds", "1x", "--out", str(tmp_path))
    assert typo.returncode == 2 and "'1x' is not a corpus id" in typo.stderr


def test_the_command_help_ends_with_examples():
    assert job.parser().format_help().rstrip().splitlines()[-1].strip().startswith(
        "--seeds")  # the last example's continuation line
    assert "spark-submit" in job.EXAMPLES and "--engine duckdb" in job.EXAMPLES
