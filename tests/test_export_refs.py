"""BibTeX and RIS read back the way reference managers read them: entry types from S2's
publication types and venues, authors as family and given names, capitals kept."""

from __future__ import annotations

import re

import bibtexparser
import pybtex.database
import pytest
import rispy
from hypothesis import example, given, settings
from hypothesis import strategies as st

from explorer.config import Settings
from explorer.exports import Entry, ExportSet, export_bytes
from explorer.exports.kinds import kind_of
from explorer.exports.names import Name, split_name
from explorer.exports.to_bibtex import protect, unescape
from explorer.models import Paper
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore
from explorer.tasks.export import from_last

RIS_LINE = re.compile(r"^[A-Z][A-Z0-9]  - ")


@pytest.mark.parametrize("text,want", [
    ("Ashish Vaswani", Name("Vaswani", "Ashish")),
    ("Yann LeCun", Name("LeCun", "Yann")),
    ("Quoc V. Le", Name("Le", "Quoc V.")),
    ("Le Quoc V.", Name("Le", "Quoc V.")),
    ("Ludwig van Beethoven", Name("van Beethoven", "Ludwig")),
    ("Vincent van der Berg", Name("van der Berg", "Vincent")),
    ("Martin Luther King Jr.", Name("King", "Martin Luther", "Jr.")),
    ("A. Turing", Name("Turing", "A.")),
    ("Vaswani, Ashish", Name("Vaswani", "Ashish")),
    ("King, Jr., Martin Luther", Name("King", "Martin Luther", "Jr.")),
    ("Plato", Name("Plato")),
    ("  山田  太郎 ", Name("山田", "太郎")),
    ("Taro Yamada", Name("Yamada", "Taro")),
    (", Q", Name("Q")),
    ("", Name("")),
])
def test_names_split_into_family_and_given(text, want):
    assert split_name(text) == want


def test_surname_drops_the_particle_for_keys():
    assert split_name("Ludwig van Beethoven").surname == "Beethoven"
    assert split_name("Ashish Vaswani").inverted() == "Vaswani, Ashish"
    assert split_name("Plato").inverted() == "Plato"


def papers() -> list[Paper]:
    return [
        Paper("a" * 40, "BERT: Pre-training of Deep Bidirectional Transformers", 2019,
              ("Jacob Devlin", "Ming-Wei Chang"), "North American Chapter of the Association "
              "for Computational Linguistics", publication_types=("JournalArticle", "Conference"),
              arxiv_id="1810.04805", doi="10.18653/v1/N19-1423"),
        Paper("b" * 40, "Attention Is All You Need", 2017, ("Ashish Vaswani", "Noam Shazeer"),
              "arXiv.org", arxiv_id="1706.03762", publication_types=("JournalArticle",)),
        Paper("c" * 40, "Computing Machinery and Intelligence", 1950, ("A. Turing",), "Mind",
              doi="10.1093/MIND/LIX.236.433", publication_types=("JournalArticle",)),
        Paper("d" * 40, "The Art of Computer Programming", 1968, ("Donald E. Knuth",),
              "Addison-Wesley Series", publication_types=("Book",)),
        Paper("e" * 40, "LLaMA and GPT-3 for Ludwig", 2023,
              ("Ludwig van Beethoven", "Le Quoc V.", "Plato"),
              "Proceedings of the 61st Annual Meeting of the ACL"),
        Paper("f" * 40, "Deep Residual Learning for Image Recognition", 2016,
              ("Kaiming He",), "Computer Vision and Pattern Recognition"),
    ]


KINDS = ["conference", "preprint", "journal", "book", "conference", "conference"]


def export_set() -> ExportSet:
    return ExportSet("refs", [Entry(p, n, tags=("ml",)) for n, p in enumerate(papers(), 1)])


def test_kinds_of_the_fixture():
    assert [kind_of(p) for p in papers()] == KINDS


def test_bibtex_read_by_bibtexparser_and_pybtex_has_types_and_names():
    text = export_bytes(export_set(), "bibtex").decode("utf-8")
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks
    assert [e.entry_type for e in lib.entries] == [
        "inproceedings", "misc", "article", "book", "inproceedings", "inproceedings"]
    bert, attention, turing, knuth, llama, resnet = lib.entries
    assert unescape(bert["booktitle"]).startswith("North American Chapter")
    assert "journal" not in bert.fields_dict and turing["journal"] == "Mind"
    assert attention["eprint"] == "1706.03762" and attention["archiveprefix"] == "arXiv"
    assert "journal" not in attention.fields_dict and knuth["series"] == "Addison-Wesley Series"
    assert bert["doi"] == "10.18653/v1/N19-1423" and bert["url"].startswith("https://")
    assert bert["title"] == "{BERT}: Pre-training of Deep Bidirectional Transformers"
    assert llama["title"] == "{LLaMA} and {GPT-3} for Ludwig"
    assert resnet["booktitle"] == "Computer Vision and Pattern Recognition"

    parsed = pybtex.database.parse_string(text, "bibtex")
    assert list(parsed.entries) == [e.key for e in lib.entries]
    assert [e.type for e in parsed.entries.values()] == [e.entry_type for e in lib.entries]
    people = {key: [(" ".join(p.prelast_names + p.last_names), " ".join(p.first_names +
                                                                         p.middle_names))
                    for p in e.persons["author"]] for key, e in parsed.entries.items()}
    assert people[llama.key] == [("van Beethoven", "Ludwig"), ("Le", "Quoc V."), ("Plato", "")]
    assert people[bert.key] == [("Devlin", "Jacob"), ("Chang", "Ming-Wei")]
    assert people[turing.key] == [("Turing", "A.")]
    for paper, key in zip(papers(), parsed.entries, strict=True):
        assert [last for last, _ in people[key]] == [split_name(a).last for a in paper.authors]


def test_ris_read_by_rispy_has_types_names_and_venues_and_no_stray_lines():
    text = export_bytes(export_set(), "ris").decode("utf-8")
    assert all(RIS_LINE.match(line) for line in text.splitlines() if line.strip()), text
    back = rispy.loads(text)
    assert [r["type_of_reference"] for r in back] == ["CONF", "UNPB", "JOUR", "BOOK", "CONF",
                                                      "CONF"]
    bert, attention, turing, knuth, llama, _ = back
    assert bert["authors"] == ["Devlin, Jacob", "Chang, Ming-Wei"]
    assert llama["authors"] == ["van Beethoven, Ludwig", "Le, Quoc V.", "Plato"]
    assert bert["secondary_title"] == bert["custom3"] == papers()[0].venue
    assert "journal_name" not in bert and "custom1" not in bert
    assert turing["secondary_title"] == turing["alternate_title3"] == "Mind"
    assert attention["publisher"] == "arXiv" and attention["custom1"] == "arXiv:1706.03762"
    assert knuth["secondary_title"] == "Addison-Wesley Series"
    assert bert["doi"] == "10.18653/v1/N19-1423" and all(r["keywords"] == ["ml"] for r in back)


def test_brace_protection_is_inert_and_reads_back():
    hostile = "GPT-4}, author = {x} @misc{evil, BERT\\end"
    value = protect(hostile)
    lib = bibtexparser.parse_string("@misc{k, title = {" + value + "}}")
    assert not lib.failed_blocks and len(lib.entries) == 1
    assert unescape(lib.entries[0]["title"]) == hostile
    assert protect("Attention Is All You Need") == "Attention Is All You Need"
    assert protect("ResNet, T5 and word2vec") == "{ResNet}, {T5} and word2vec"


def test_generated_and_given_citekeys_agree_across_formats():
    data = export_set()
    data.citekeys = {"b" * 40: "vaswaniAttentionAllYou2017"}
    lib = bibtexparser.parse_string(export_bytes(data, "bibtex").decode("utf-8"))
    assert [e.key for e in lib.entries] == [
        "devlin2019bert", "vaswaniAttentionAllYou2017", "turing1950computing",
        "knuth1968art", "beethoven2023llama", "he2016deep"]


def test_transformer_neighbourhood_conference_papers_are_conference_entries(fake, tmp_path):
    store = Store(tmp_path / "s.sqlite")
    settings = Settings(s2_api_url=fake.url, arxiv_api_url=fake.url, min_interval=0)
    with settings.s2_client() as client:
        explore(["ARXIV:1706.03762"], ExploreOptions(depth=1), store=store, client=client)
    data = from_last(store)
    conference = {e.paper.paper_id for e in data.entries if kind_of(e.paper) == "conference"}
    assert len(data.entries) == 50 and len(conference) == 12
    lib = bibtexparser.parse_string(export_bytes(data, "bibtex").decode("utf-8"))
    by_type = {e.entry_type for e, entry in zip(lib.entries, data.entries, strict=True)
               if entry.paper.paper_id in conference}
    assert by_type == {"inproceedings"}
    assert all("booktitle" in e.fields_dict and "journal" not in e.fields_dict
               for e, entry in zip(lib.entries, data.entries, strict=True)
               if entry.paper.paper_id in conference)
    ris = rispy.loads(export_bytes(data, "ris").decode("utf-8"))
    assert {r["type_of_reference"] for r in ris if r["id"] in conference} == {"CONF"}
    assert sum(r["type_of_reference"] == "CONF" for r in ris) == 12
    neurips = [r for r in ris if r.get("secondary_title") ==
               "Advances in Neural Information Processing Systems"]
    assert neurips and all(r["type_of_reference"] == "CONF" for r in neurips)
    parsed = pybtex.database.parse_string(export_bytes(data, "bibtex").decode("utf-8"),
                                          "bibtex")
    assert all(p.last_names for e in parsed.entries.values() for p in e.persons.get("author",
                                                                                     ()))


def test_s2s_own_record_adds_fields_but_not_its_type_or_venue():
    s2 = ("@Article{Vaswani2017AttentionIA,\n author = {Ashish Vaswani},\n journal = {ArXiv},\n"
          " title = {Attention is All you Need},\n volume = {abs/1706.03762},\n"
          " year = {2017},\n pages = {5998-6008}\n}\n")
    paper = Paper("a" * 40, "Attention Is All You Need", None, ("Ashish Vaswani",), "arXiv.org",
                  arxiv_id="1706.03762", bibtex=s2)
    [entry] = bibtexparser.parse_string(
        export_bytes(ExportSet("t", [Entry(paper, 1)]), "bibtex").decode("utf-8")).entries
    assert entry.entry_type == "misc" and "journal" not in entry.fields_dict
    assert "volume" not in entry.fields_dict  # S2's "abs/..." volume of an arXiv paper
    assert entry["year"] == "2017" and entry["pages"] == "5998-6008"
    assert entry["title"] == "Attention Is All You Need" and entry["author"] == "Vaswani, Ashish"


WORDS = st.sampled_from(["Ashish", "Vaswani", "van", "der", "de", "La", "Jr.", "III", "Q.",
                         "V.", "and", "AND", "LeCun", "Łukasz", "O'Neil", "Núñez-Ávila",
                         "山田", "太郎", "Plato", "x", "{", "}", "\\", "&", "%", ","])


@settings(max_examples=200, deadline=None)
@example("Ashish Ashish ,")  # a family name alone, of two words
@given(st.lists(WORDS, min_size=1, max_size=5).map(" ".join))
def test_every_author_reads_back_through_pybtex_as_the_same_family_name(author):
    paper = Paper("a" * 40, "T", 2020, (author, "Noam Shazeer"))
    text = export_bytes(ExportSet("t", [Entry(paper, 1)]), "bibtex").decode("utf-8")
    [entry] = pybtex.database.parse_string(text, "bibtex").entries.values()
    people = entry.persons["author"]
    name = split_name(author)
    want = [name.last, "Shazeer"] if name.last else ["Shazeer"]
    assert [unescape(" ".join(p.prelast_names + p.last_names)) for p in people] == want
    assert [unescape(" ".join(p.first_names + p.middle_names)) for p in people] == \
        ([name.first] if name.last else []) + ["Noam"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["BERT", "LLaMA:", "GPT-3", "{", "}", "\\", "{x}", "$x_1$",
                                 "%", "#", "~", "^", "&", "@misc{e,", "}}", "T5", "word"]),
                min_size=1, max_size=6).map(" ".join))
def test_every_title_reads_back_through_pybtex_and_bibtexparser(title):
    paper = Paper("a" * 40, title, 2020, ("Ashish Vaswani",), "Proc. of NAACL")
    text = export_bytes(ExportSet("t", [Entry(paper, 1)]), "bibtex").decode("utf-8")
    [entry] = pybtex.database.parse_string(text, "bibtex").entries.values()
    assert unescape(entry.fields["title"]) == title and entry.type == "inproceedings"
    [back] = bibtexparser.parse_string(text).entries
    assert unescape(back["title"]) == title
