import json

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.models import Edge, Paper
from explorer.store import Store, merge


def test_merge_never_erases_known_values():
    old = {"paperId": "a", "abstract": "x", "externalIds": {"DOI": "10.1/x"}}
    new = {"paperId": "a", "abstract": None, "year": 2020, "externalIds": {"ArXiv": "1"}}
    out = merge(old, new)
    assert out["abstract"] == "x"
    assert out["year"] == 2020
    assert out["externalIds"] == {"DOI": "10.1/x", "ArXiv": "1"}


def test_papers_aliases_and_fetch_state(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_papers([{"paperId": "a" * 40, "title": "T", "externalIds": {
        "ArXiv": "1706.03762", "DOI": "10.1093/MIND/LIX.236.433"}, "corpusId": 5}])
    assert store.resolve("ARXIV:1706.03762") == "a" * 40
    assert store.resolve("DOI:10.1093/mind/lix.236.433") == "a" * 40
    assert store.resolve("CorpusId:5") == "a" * 40
    assert store.fetch_state("a" * 40, "citations") == (0, False)
    store.set_fetch_state("a" * 40, "citations", 1000, False)
    assert store.fetch_state("a" * 40, "citations") == (1000, False)
    store.put_papers([{"paperId": None, "title": "dropped"}])
    assert store.count_papers() == 1


def test_edges_keep_the_richer_record(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_edges([Edge("a", "b", True, ("ctx",), ("methodology",))])
    store.put_edges([Edge("a", "b", None, (), ()), Edge("c", "c")])
    [edge] = store.edges_touching(["b"])
    assert edge == Edge("a", "b", True, ("ctx",), ("methodology",))
    assert store.count_edges() == 1


def test_a_failed_transaction_leaves_nothing(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    try:
        with store.transaction() as db:
            store.put_papers([{"paperId": "p1", "title": "x"}], db)
            raise RuntimeError("killed")
    except RuntimeError:
        pass
    assert store.count_papers() == 0
    assert store.integrity_ok()


def test_reading_list_round_trip(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.list_set("p1", status="reading", tags=["ml"], note="good")
    store.list_set("p1", add_tags=["nlp"])
    [item] = store.list_items()
    assert (item.status, item.tags, item.note) == ("reading", ("ml", "nlp"), "good")
    assert store.list_remove("p1") and store.list_items() == []


texts = st.text(min_size=0, max_size=40) | st.none()


@settings(max_examples=50, deadline=None)
@given(title=texts, abstract=texts, year=st.integers(1900, 2100) | st.none(),
       authors=st.lists(st.text(min_size=1, max_size=20), max_size=4))
def test_paper_survives_the_store(tmp_path_factory, title, abstract, year, authors):
    store = Store(tmp_path_factory.mktemp("s") / "s.sqlite")
    raw = {"paperId": "f" * 40, "title": title, "abstract": abstract, "year": year,
           "authors": [{"authorId": None, "name": n} for n in authors]}
    store.put_papers([raw])
    assert store.paper("f" * 40) == Paper.from_s2(json.loads(json.dumps(raw)))


def test_edges_by_one_end_and_raw_records_in_bulk(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    store.put_edges([Edge("a", "b", True, ("in [1]",)), Edge("c", "a"), Edge("b", "c")])
    assert [(e.citing, e.cited) for e in store.edges_from(["a", "a"])] == [("a", "b")]
    assert store.edges_from(["a"])[0].contexts == ("in [1]",)
    assert [(e.citing, e.cited) for e in store.edges_to(["a"])] == [("c", "a")]
    assert sorted((e.citing, e.cited) for e in store.edges_touching(["a"])) == [
        ("a", "b"), ("c", "a")]
    many = [f"{i:040x}" for i in range(2000)]  # past one query's worth of parameters
    store.put_edges([Edge(p, "z") for p in many])
    store.put_papers([{"paperId": p, "title": "T"} for p in many])
    assert len(store.edges_from(many)) == 2000 and len(store.edges_to(["z"])) == 2000
    assert set(store.raws(many + ["missing"])) == set(many)
    assert store.raws(["a"]) == {} and store.raws(many[:1])[many[0]]["title"] == "T"
