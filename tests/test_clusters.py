"""Clusters and their labels: hand-worked examples, the 17 landmark papers of the corpus, and
``explore --clusters`` end to end."""

from __future__ import annotations

import csv
import re

import networkx as nx
import pytest

from explorer.analysis.clusters import cluster_map, communities, label_clusters, words
from explorer.exports.table import CSV_COLUMNS
from explorer.fake_s2 import FakeS2
from explorer.models import Paper
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore
from tests.conftest import cli_env, run_cli

LANDMARKS = [
    "1512.03385", "1606.07792", "1706.03762", "1810.04805", "1808.09781", "1909.11942",
    "1908.05435", "2005.14165", "2110.14168", "2201.11903", "2203.02155", "2302.13971",
    "2308.16505", "2410.13639", "2502.10867", "2501.05366", "2412.06769",
]


def test_words_drop_stop_words_numbers_and_split_hyphens():
    assert words("Towards a Few-Shot Learner: the 2 models of 2020") == [
        "few", "shot", "learner", "models"]
    assert words(None) == []


def test_communities_split_two_cliques_joined_by_one_weak_edge():
    g = nx.Graph()
    g.add_weighted_edges_from((a, b, 1.0) for a in "abcd" for b in "abcd" if a < b)
    g.add_weighted_edges_from((a, b, 1.0) for a in "wxyz" for b in "wxyz" if a < b)
    g.add_edge("d", "w", weight=0.05)
    g.add_node("alone")
    assert [sorted(c) for c in communities(g)] == [
        ["a", "b", "c", "d"], ["w", "x", "y", "z"], ["alone"]]


def test_labels_are_the_distinguishing_title_words():
    texts = {
        "a": ("Sequential recommendation with transformers", "We study recommender models."),
        "b": ("Collaborative filtering for recommendation", "Recommender systems and users."),
        "c": ("Language models are few-shot learners", "We train transformers on text."),
        "d": ("Scaling language models", "Large models of text."),
    }
    labels = label_clusters(texts, [["a", "b"], ["c", "d"]], n_words=2)
    assert labels[0][0] == "recommendation"  # in both titles of the cluster, in no other
    assert labels[1][0] in ("language", "models")
    # "transformers" occurs in both clusters, "recommender" only in abstracts: neither labels
    assert "transformers" not in labels[0] and "recommender" not in labels[0]


@pytest.fixture(scope="module")
def landmarks(corpus):
    server = FakeS2(corpus_dir=corpus)
    server.start()
    client = S2Client(server.url, min_interval=0)
    try:
        result = explore([f"ARXIV:{a}" for a in LANDMARKS], ExploreOptions(),
                         store=Store(":memory:"), client=client)
    finally:
        client.close()
        server.stop()
    return result, cluster_map(result.graph)


def title(g: nx.DiGraph, node: str) -> str:
    return g.nodes[node]["paper"].title or ""


def test_landmarks_recommender_papers_cluster_apart_from_language_model_papers(landmarks):
    result, found = landmarks
    g = result.graph
    assert len(result.seeds) == 17
    recsys = [s for s in result.seeds
              if re.search(r"recommend|collaborative", title(g, s), re.I)
              and not re.search(r"language model", title(g, s), re.I)]
    lms = [s for s in result.seeds if re.search(r"language model", title(g, s), re.I)]
    assert len(recsys) == 3 and len(lms) == 6
    recsys_clusters = {found.of[s] for s in recsys}
    assert len(recsys_clusters) == 1  # Wide & Deep, SASRec, TCR together...
    assert recsys_clusters.isdisjoint(found.of[s] for s in lms)  # ...and apart from the LMs
    cluster = found.clusters[recsys_clusters.pop()]
    assert re.search(r"recommend", cluster.label, re.I)
    members = [title(g, m) for m in cluster.members]
    assert sum(bool(re.search(r"recommend|collaborative", t, re.I)) for t in members) > \
        sum(bool(re.search(r"language model", t, re.I)) for t in members)


def test_landmarks_every_label_is_made_of_words_from_its_members_titles(landmarks):
    result, found = landmarks
    assert len(found.clusters) > 3
    assert sorted(found.of) == sorted(result.graph)  # every paper in exactly one cluster
    for cluster in found.clusters:
        titles = " ".join(title(result.graph, m) for m in cluster.members).lower()
        title_words = set(re.findall(r"\w+", titles))
        assert cluster.words, cluster
        assert cluster.label == ", ".join(cluster.words)
        for word in cluster.words:
            assert word in title_words, (word, cluster.label)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_explore_clusters_adds_a_table_column_and_a_last_csv_column(fake, tmp_path):
    env = cli_env(fake, tmp_path / "db.sqlite")
    plain, clustered = tmp_path / "plain.csv", tmp_path / "clustered.csv"
    seeds = ["ARXIV:1808.09781", "ARXIV:2005.14165"]
    first = run_cli(["explore", *seeds, "--csv", str(plain)], env)
    assert first.returncode == 0, first.stderr
    assert "cluster" not in first.stdout.splitlines()[0]
    second = run_cli(["explore", *seeds, "--offline", "--clusters", "--csv", str(clustered)],
                     env)
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[0].split()[:6] == [
        "rank", "title", "year", "score", "cluster", "reasons"]
    rows, before = read_csv(clustered), read_csv(plain)
    assert list(before[0]) == list(CSV_COLUMNS)
    assert list(rows[0]) == [*CSV_COLUMNS, "cluster"]
    assert [{k: r[k] for k in CSV_COLUMNS} for r in rows] == before
    assert all(r["cluster"] for r in rows[:20]) and len(rows) > 20  # the top N printed
    assert not any(r["cluster"] for r in rows[20:])
    by_id = {r["paper_id"]: r["cluster"] for r in rows}
    assert by_id["551ef3a69559fd47429696a99ac42d9e54f30308"][:20] in second.stdout  # SASRec


def test_a_cluster_map_among_some_papers_holds_and_labels_only_them():
    g = nx.DiGraph()
    for topic, word in (("p", "recommendation"), ("q", "language")):
        refs = [f"{topic}-ref{i}" for i in range(6)]
        for k in range(12):
            pid = f"{topic}{k}"
            g.add_node(pid, paper=Paper(pid, title=f"{word.title()} study {k}"))
            g.add_edges_from((f"{topic}{k}", r) for r in refs[k % 3: k % 3 + 4])
    shown = [f"{t}{k}" for t in "pq" for k in range(0, 12, 2)]
    found = cluster_map(g, among=shown)
    assert set(found.of) == set(shown) == set(found.similarity)
    assert found.clusters == cluster_map(g, among=list(reversed(shown))).clusters
    assert {c.label for c in found.clusters} == {"recommendation", "language"}
    assert found.label_of("p1") == ""  # not shown: not on this map
