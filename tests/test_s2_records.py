"""Tests for explorer.sources.s2_records: pages of links -> papers and edges, by hand."""

from __future__ import annotations

from explorer.models import Edge
from explorer.sources.s2_records import Links, embedded_links, page_links

ITEMS = [
    {"citedPaper": {"paperId": "r1", "title": "One"}, "isInfluential": False,
     "contexts": ["see [1]", 7], "intents": ["background", None]},
    {"citedPaper": {"paperId": None, "title": "an unmatched reference"}},
    {"citedPaper": None},
    {"citedPaper": {"paperId": "r2"}},
]


def test_a_references_page_points_from_the_paper_and_skips_unmatched_items():
    links = page_links("p", "references", ITEMS)
    assert links.papers == [{"paperId": "r1", "title": "One"}, {"paperId": "r2"}]
    assert links.edges == [
        Edge("p", "r1", False, ("see [1]",), ("background",)),
        Edge("p", "r2", None, (), ()),
    ]


def test_a_citations_page_points_to_the_paper():
    items = [{"citingPaper": {"paperId": "c1"}, "isInfluential": True, "contexts": ["x"]}]
    links = page_links("p", "citations", items)
    assert links.edges == [Edge("c1", "p", True, ("x",), ())]
    assert page_links("p", "citations", ITEMS) == page_links("p", "citations", [])


def test_embedded_links_are_bare_edges_and_an_unknown_paper_has_none():
    raw = {"paperId": "p", "citations": [{"paperId": "c1", "title": "C"}, {"paperId": None}]}
    links = embedded_links("p", "citations", raw)
    assert links.papers == [{"paperId": "c1", "title": "C"}]
    assert links.edges == [Edge("c1", "p")]
    assert embedded_links("p", "references", None) == Links([], [])
