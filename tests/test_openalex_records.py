"""OpenAlex works -> records: pure functions, checked on hand-made works."""

from __future__ import annotations

from explorer.sources.openalex_records import abstract_text, arxiv_of, list_page, paper_of

WORK = {
    "id": "https://openalex.org/W2741809807",
    "doi": "https://doi.org/10.7717/PEERJ.4375",
    "display_name": "The state of OA",
    "publication_year": 2018,
    "publication_date": "2018-02-13",
    "primary_location": {"source": {"display_name": "PeerJ"}},
    "locations": [{"landing_page_url": "https://example.org/x"},
                  {"pdf_url": "https://arxiv.org/pdf/1708.01234v2.pdf"}],
    "authorships": [{"author": {"display_name": "Heather Piwowar"}}, {"author": None},
                    {"author": {"display_name": "Jason Priem"}}],
    "cited_by_count": 12,
    "referenced_works": ["https://openalex.org/W1", "https://openalex.org/W2"],
    "abstract_inverted_index": {"Despite": [0], "growing": [1], "interest": [2]},
}


def test_a_work_becomes_a_paper_with_every_field():
    p = paper_of(WORK)
    assert (p.paper_id, p.title, p.year, p.venue, p.authors) == (
        "W2741809807", "The state of OA", 2018, "PeerJ", ("Heather Piwowar", "Jason Priem"))
    assert (p.doi, p.arxiv_id, p.citation_count, p.reference_count) == (
        "10.7717/peerj.4375", "1708.01234", 12, 2)
    assert p.abstract == "Despite growing interest"
    assert p.url == "https://openalex.org/W2741809807"


def test_broken_parts_are_left_out_not_raised():
    assert paper_of({"id": "not-a-work"}) is None
    p = paper_of({"id": "W5", "publication_year": "2018", "authorships": "x",
                  "abstract_inverted_index": {"a": [0, -1, True, "x"], "b": "y"},
                  "primary_location": []})
    assert (p.year, p.authors, p.abstract, p.venue) == (None, (), "a", None)
    assert abstract_text({"x": [10**9]}) is None
    assert arxiv_of({"locations": [None, {"landing_page_url": 5}]}) is None


def test_a_page_is_all_usable_or_refused():
    good = {"meta": {"count": 2, "next_cursor": "abc"}, "results": [WORK, {"id": "W9"}]}
    page = list_page(good)
    assert page is not None and (page.count, page.next_cursor, len(page.works)) == (2, "abc", 2)
    for bad in ({"meta": {}, "results": [WORK, {"id": None}]}, {"results": []},
                {"meta": {"next_cursor": 5}, "results": []}, [], None):
        assert list_page(bad) is None
