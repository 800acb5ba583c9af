"""One node per work (explorer.analysis.versions): merged papers carry every id, merged graphs
count a citer of both versions once, and the ranking sees the merged graph."""

from __future__ import annotations

import doctest

import hypothesis
from hypothesis import strategies as st

import explorer.analysis.versions
from explorer.analysis.versions import merge_graph, merge_links, merge_papers, record_of
from explorer.analysis.works import find_works
from explorer.graph import build_graph, link_graph, link_nodes
from explorer.models import Edge, Paper
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, rank_stored

ARXIV = Paper("af02", "Proof in the time of machines", 2023, ("Andrew Granville",),
              arxiv_id="2305.02329", doi="10.48550/arXiv.2305.02329", citation_count=1)
BULL = Paper("7ce0", "Proof in the time of machines", 2024, ("Andrew Granville",),
             doi="10.1090/bull/1826", citation_count=0)
REASON = ("same work as arXiv 2305.02329: same title, first author and year "
          "(2023 and 2024)")


def raw(p: Paper) -> dict:
    ext = {k: v for k, v in (("ArXiv", p.arxiv_id), ("DOI", p.doi)) if v}
    return {"paperId": p.paper_id, "title": p.title, "year": p.year,
            "authors": [{"name": a} for a in p.authors], "externalIds": ext,
            "citationCount": p.citation_count}


def test_doctests() -> None:
    assert doctest.testmod(explorer.analysis.versions).failed == 0


PAPERS = st.builds(
    Paper, paper_id=st.sampled_from([f"p{i}" for i in range(8)]),
    title=st.sampled_from([None, "", "Proof in the time of machines", "Proof in the Time of "
                           "Machines.", "Erratum: proof in the time of machines", "Deep nets"]),
    year=st.sampled_from([None, 2023, 2024]),
    authors=st.sampled_from([(), ("Andrew Granville",), ("A. Granville", "B. Lee")]),
    doi=st.sampled_from([None, "10.1090/bull/1826", "10.48550/arXiv.2305.02329", "10.1/x"]),
    arxiv_id=st.sampled_from([None, "2305.02329", "2305.02329v2"]),
    citation_count=st.sampled_from([None, 0, 3]))


@hypothesis.given(st.lists(PAPERS, max_size=8))
def test_merging_finds_the_works_of_all_the_records(given_papers: list[Paper]) -> None:
    # merge_papers leaves out the papers that can join no other; the works are the same
    papers = {p.paper_id: p for p in given_papers}
    assert list(merge_papers(papers).works.values()) == find_works(
        record_of(p) for p in papers.values())


def test_the_kept_paper_holds_every_id_of_the_work() -> None:
    m = merge_papers({"af02": ARXIV, "7ce0": BULL})
    kept = m.papers["7ce0"]
    assert (kept.paper_id, kept.doi, kept.arxiv_id, kept.versions) == \
        ("7ce0", "10.1090/bull/1826", "2305.02329", ("af02",))
    assert kept.citation_count == 1
    assert m.reason("7ce0") == REASON and m.reason("af02") is None


def test_a_graph_without_versions_is_left_as_it_is() -> None:
    g = build_graph({"a": Paper("a", "A paper on one thing", 2020, ("X Y",))},
                    [Edge("a", "b")])
    merged, m = merge_graph(g)
    assert merged is g and not m.kept_of


def test_a_citer_of_both_versions_cites_the_work_once_and_versions_do_not_cite_each_other(
) -> None:
    g = build_graph({"af02": ARXIV, "7ce0": BULL}, [
        Edge("c", "af02", True, ("as shown in [1]",)), Edge("c", "7ce0", None, ("see [2]",)),
        Edge("d", "af02"), Edge("7ce0", "af02"), Edge("af02", "t"), Edge("7ce0", "t"),
    ])
    merged, _ = merge_graph(g)
    assert sorted(merged.edges) == [("7ce0", "t"), ("c", "7ce0"), ("d", "7ce0")]
    assert merged.edges["c", "7ce0"]["is_influential"] is True
    assert merged.edges["c", "7ce0"]["contexts"] == ("as shown in [1]", "see [2]")
    assert "af02" not in merged and merged.nodes["7ce0"]["paper"].versions == ("af02",)


def test_the_ranking_counts_a_citer_of_both_versions_once_and_explains_the_merge() -> None:
    store = Store(":memory:")
    seed = Paper("seed", "A seed paper about proofs", 2020, ("S. Eed",))
    citers = [Paper(f"c{i}", f"Citing paper number {i}", 2024, ("C. Iter",)) for i in range(3)]
    store.put_papers([raw(p) for p in (seed, ARXIV, BULL, *citers)])
    # both versions cite the seed; c0 cites both versions, c1 the preprint, c2 the journal
    store.put_edges([Edge("af02", "seed"), Edge("7ce0", "seed"), Edge("c0", "af02"),
                     Edge("c0", "7ce0"), Edge("c1", "af02"), Edge("c2", "7ce0")])
    for pid in ("seed", "af02", "7ce0"):
        for kind in ("references", "citations"):
            store.set_fetch_state(pid, kind, 0, True)
    result = rank_stored(store, ["seed"], ExploreOptions(offline=True))
    ids = [r.paper.paper_id for r in result.ranked]
    assert "af02" not in ids and ids.count("7ce0") == 1
    work = next(r for r in result.ranked if r.paper.paper_id == "7ce0")
    assert work.components["in_graph_citations"] == 3  # c0, c1, c2: c0 once
    assert work.relation == "citation" and work.reasons[-1] == REASON
    assert work.paper.arxiv_id == "2305.02329" and work.paper.doi == "10.1090/bull/1826"
    assert result.graph.in_degree("7ce0") == 3


def test_a_seed_that_is_a_version_ranks_as_its_work() -> None:
    store = Store(":memory:")
    store.put_papers([raw(ARXIV), raw(BULL), raw(Paper("t", "Turing's paper", 1950))])
    store.put_edges([Edge("af02", "t"), Edge("7ce0", "t")])
    result = rank_stored(store, ["af02"], ExploreOptions(offline=True))
    assert result.seeds == ["7ce0"]
    assert [(r.paper.paper_id, r.relation) for r in result.ranked] == \
        [("7ce0", "seed"), ("t", "reference")]


def test_merged_graph_is_the_graph_built_from_the_relabelled_citations() -> None:
    # Same nodes, successors and predecessors in the same order, same merged attributes, as
    # building the graph again from Edge records with each version named by its kept record.
    other = Paper("x1", "A paper on something else", 2020, ("Ada Lee",))
    g = build_graph({p.paper_id: p for p in (BULL, other, ARXIV)}, [
        Edge("c", "af02", True, ("in the preprint",), ("background",)),
        Edge("c", "7ce0", None, ("in the journal",), ("methodology",)),
        Edge("af02", "t"), Edge("7ce0", "t", False), Edge("af02", "7ce0"),
        Edge("x1", "af02"), Edge("af02", "x1", None, ("ctx",)), Edge("b", "x1")])
    merged, merge = merge_graph(g)
    kept = merge.kept
    papers = {n: merge.papers.get(n, d["paper"]) for n, d in g.nodes(data=True)
              if n not in merge.kept_of}
    want = build_graph(papers, [Edge(kept(u), kept(v), d["is_influential"], d["contexts"],
                                     d["intents"]) for u, v, d in g.edges(data=True)])
    assert list(merged.nodes(data=True)) == list(want.nodes(data=True))
    assert list(merged.edges(data=True)) == list(want.edges(data=True))
    assert {n: list(merged.pred[n]) for n in merged} == {n: list(want.pred[n]) for n in want}
    assert merged.edges["c", "7ce0"] == {"is_influential": True,
                                         "contexts": ("in the preprint", "in the journal"),
                                         "intents": ("background", "methodology")}


def test_merging_links_gives_the_graph_merge_graph_gives() -> None:
    # Unsorted links, ends without a record ("c", "b", "t"), a version citing the other,
    # a citation given twice: node, successor, predecessor and attribute order all match.
    other = Paper("x1", "A paper on something else", 2020, ("Ada Lee",))
    papers = {p.paper_id: p for p in (BULL, other, ARXIV)}
    links = [("x1", "af02", None, (), ()), ("c", "af02", True, ("in the preprint",), ()),
             ("b", "x1", None, (), ()), ("af02", "t", None, (), ("result",)),
             ("c", "7ce0", None, ("in the journal",), ("methodology",)),
             ("7ce0", "t", False, (), ()), ("af02", "7ce0", None, (), ()),
             ("c", "af02", False, ("again",), ()), ("af02", "x1", None, ("ctx",), ())]
    for given in (links, links[:7] + links[8:]):  # with and without the citation given twice
        want, want_merge = merge_graph(link_graph(papers, given))
        got, merge = merge_links(papers, given)
        assert merge.kept_of == want_merge.kept_of == {"af02": "7ce0"}
        assert list(got.nodes(data=True)) == list(want.nodes(data=True))
        assert list(got.edges(data=True)) == list(want.edges(data=True))
        assert {n: list(got.pred[n]) for n in got} == {n: list(want.pred[n]) for n in want}
        known, _ = merge_links(papers, given, link_nodes(papers, given))  # nodes passed in
        assert list(known.nodes(data=True)) == list(want.nodes(data=True))
        assert list(known.edges(data=True)) == list(want.edges(data=True))
    alone, _ = merge_links({"x1": other}, links[:3])  # nothing to merge
    assert list(alone.edges(data=True)) == list(link_graph({"x1": other}, links[:3]).edges(
        data=True))
