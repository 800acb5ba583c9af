"""Exports read back by the libraries of the tools they are for: same papers, same fields."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import xml.etree.ElementTree as ET

import bibtexparser
import networkx as nx
import pytest
import rispy
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from explorer.exports import (
    Entry,
    ExportSet,
    export,
    export_bytes,
    to_bibtex,
    to_markdown,
    to_ris,
)
from explorer.exports.kinds import kind_of
from explorer.exports.names import split_name
from explorer.exports.table import CSV_COLUMNS
from explorer.exports.to_bibtex import unescape
from explorer.exports.to_markdown import MARKER
from explorer.graph import build_graph
from explorer.models import Edge, Paper
from explorer.store import Store
from explorer.tasks.export import from_list
from explorer.tasks.watch import ATOM_NS, NewCiter, atom_feed
from explorer.text import one_line
from tests.conftest import cli_env, run_cli

S2_BIBTEX = ("@Article{Turing1950ComputingMA,\n author = {A. Turing},\n journal = {Mind},\n"
             " pages = {433-460},\n title = {Computing Machinery and Intelligence},\n"
             " volume = {LIX},\n year = {1950}\n}\n")


def sample() -> ExportSet:
    papers = [
        Paper("a" * 40, "Über die Natur: 注意力机制 & 50% {braces} $x_1$", 2021,
              ("Łukasz Kaiser", "José Núñez-Ávila", "山田 太郎"), "Zeitschrift für KI",
              "Résumé: naïve café.", "Kurz: ça marche.", "2101.00001", "10.1000/ÄBC"),
        Paper("b" * 40, "Computing Machinery and Intelligence", 1950, ("A. Turing",), "Mind",
              doi="10.1093/MIND/LIX.236.433", bibtex=S2_BIBTEX),
        Paper("c" * 40, "Attention Is All You Need", 2017, ("Ashish Vaswani", "Noam Shazeer"),
              arxiv_id="1706.03762"),
        Paper("d" * 40, "Attention is all you need (again)", 2017, ("A. Vaswani",)),
        Paper("e" * 40, "=HYPERLINK(\"http://evil\")", None, ()),
    ]
    entries = [
        Entry(p, n, 1.0 / n if n < 5 else None, "citation", (f"reason {n}", "recent (2021)"),
              "to read" if n % 2 else "read", ("ml", "注意"), "my note ✓" if n == 1 else "")
        for n, p in enumerate(papers, 1)
    ]
    g = build_graph({p.paper_id: p for p in papers}, [
        Edge("a" * 40, "b" * 40, True, ("as Turing wrote, «machines»",)),
        Edge("a" * 40, "c" * 40), Edge("d" * 40, "c" * 40, False),
    ])
    return ExportSet("Sample ✓", entries, g)


def test_bibtex_round_trip_through_bibtexparser():
    data = sample()
    text = to_bibtex.render(data)
    lib = bibtexparser.parse_string(text)
    assert not lib.failed_blocks
    entries = lib.entries
    assert len(entries) == 5 and len({e.key for e in entries}) == 5
    by_title = {to_bibtex.unescape(e.fields_dict["title"].value): e for e in entries}
    for entry in data.entries:
        p = entry.paper
        got = by_title[p.title]
        assert to_bibtex.unescape(got.fields_dict["author"].value).split(" and ") == \
            [split_name(a).inverted() for a in p.authors] if p.authors else \
            "author" not in got.fields_dict
        if p.arxiv_id:
            assert got.fields_dict["eprint"].value == p.arxiv_id
            assert got.fields_dict["archiveprefix"].value == "arXiv"
        if p.year:
            assert got.fields_dict["year"].value == str(p.year)
    turing = by_title["Computing Machinery and Intelligence"]
    assert turing.entry_type == "article" and turing.fields_dict["pages"].value == "433-460"
    assert turing.fields_dict["volume"].value == "LIX"  # S2's own record was used
    assert turing.fields_dict["doi"].value == "10.1093/MIND/LIX.236.433"
    first = by_title[data.entries[0].paper.title]
    assert to_bibtex.unescape(first.fields_dict["journal"].value) == "Zeitschrift für KI"
    assert to_bibtex.unescape(first.fields_dict["annote"].value) == "my note ✓"
    # no raw LaTeX-active character leaks from the untrusted title
    assert "\\$x\\_1\\$" in first.fields_dict["title"].value


def test_bibtex_keys_are_stable_and_unique():
    data = sample()
    keys = to_bibtex.keys(e.paper for e in data.entries)
    assert keys["c" * 40] == "vaswani2017attention"
    assert keys["d" * 40] == "vaswani2017attentionb"  # same base key, later paper id
    shuffled = list(data.entries)
    random.Random(4).shuffle(shuffled)
    assert to_bibtex.keys(e.paper for e in shuffled) == keys
    assert keys["b" * 40] == "turing1950computing"


def test_ris_round_trip_through_rispy():
    data = sample()
    back = rispy.loads(export_bytes(data, "ris").decode("utf-8"))
    assert [r["id"] for r in back] == data.ids
    for rec, entry in zip(back, data.entries, strict=True):
        p = entry.paper
        assert rec["title"] == p.title
        assert rec.get("authors", []) == [split_name(a).inverted() for a in p.authors]
        assert rec.get("year") == (str(p.year) if p.year else None)
        assert rec.get("doi") == p.doi
        assert rec["keywords"] == ["ml", "注意"]
    assert back[0]["abstract"] == "Résumé: naïve café." and back[0]["notes"] == ["my note ✓"]
    assert [r["type_of_reference"] for r in back] == ["JOUR", "JOUR", "UNPB", "GEN", "GEN"]


@pytest.mark.parametrize("fmt,read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_round_trip_through_networkx(tmp_path, fmt, read):
    data = sample()
    path = tmp_path / f"g.{fmt}"
    export(data, fmt, path)
    g = read(path)
    assert set(g.nodes) == set(data.ids)
    assert {(u, v) for u, v in g.edges} == {(u, v) for u, v in data.graph.edges}
    for entry in data.entries:
        node = g.nodes[entry.paper.paper_id]
        assert node["label"] == entry.paper.title
        if entry.paper.year:
            assert int(node["year"]) == entry.paper.year
        if entry.score is not None:
            assert float(node["score"]) == pytest.approx(entry.score)
        assert node.get("authors", "") == "; ".join(entry.paper.authors)
    assert g.edges["a" * 40, "b" * 40]["contexts"] == "as Turing wrote, «machines»"


def test_csv_and_json_exports():
    data = sample()
    rows = list(csv.DictReader(io.StringIO(export_bytes(data, "csv").decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS + ("status", "tags", "note")
    assert rows[0]["title"] == data.entries[0].paper.title and rows[0]["note"] == "my note ✓"
    assert rows[4]["title"].startswith("'=") and rows[4]["score"] == ""
    assert rows[1]["status"] == "read" and rows[1]["tags"] == "ml; 注意"
    doc = json.loads(export_bytes(data, "json"))
    assert [p["paper_id"] for p in doc["papers"]] == data.ids
    assert doc["papers"][0]["authors"] == list(data.entries[0].paper.authors)
    assert sorted(map(tuple, doc["edges"])) == sorted(data.graph.edges)


def ten_linked() -> ExportSet:
    papers = [Paper(f"{i:040x}", f"Paper {i}: a/b\\c <x> [[y]] | #z" if i % 3 == 0 else
                    f"Linked paper number {i}", 2010 + i, (f"Autor Ünal {i}",),
                    abstract=f"Abstract {i} [[not a link]] <script>x</script>")
              for i in range(10)]
    papers[4] = Paper(papers[4].paper_id, "../../etc/passwd", 2014)
    papers[5] = Paper(papers[5].paper_id, "CON", 2015)
    papers[6] = Paper(papers[6].paper_id, "linked paper number 1", 2016)  # case clash with 1
    edges = [Edge(papers[i].paper_id, papers[j].paper_id)
             for i in range(10) for j in range(10) if i > j and (i + j) % 3 == 0]
    entries = [Entry(p, n, 1 / n, "reference", ("r",), "to read", ("a tag",))
               for n, p in enumerate(papers, 1)]
    return ExportSet("Ten linked", entries, build_graph({p.paper_id: p for p in papers}, edges))


def test_markdown_links_resolve_and_user_text_survives(tmp_path):
    data = ten_linked()
    out = tmp_path / "vault"
    assert export(data, "markdown", out) == 11
    files = {p.name for p in out.iterdir()}
    assert len(files) == 11 and all(f.endswith(".md") for f in files)
    assert not (tmp_path / "etc").exists() and "CON.md" not in files
    links = 0
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]  # the body
        for target in re.findall(r"\[\[([^\]]+)\]\]", text):
            assert f"{target}.md" in files, (path.name, target)
            links += 1
        assert text.count(to_markdown.MARKER) == 1
    assert links == len(data.graph.edges) * 2 + 10  # both ends of every edge, and the index
    notes = {yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1])["ids"]["s2"]: p
             for p in out.iterdir() if p.name != "Index.md"}
    first = notes[data.ids[0]]
    meta = yaml.safe_load(first.read_text(encoding="utf-8").split("---\n")[1])
    assert meta["title"] == data.entries[0].paper.title and meta["authors"] == ["Autor Ünal 0"]
    assert meta["year"] == 2010 and meta["score"] == 1.0 and meta["tags"] == ["a-tag"]

    mine = "\nMy own thoughts: ça va. [[Index]]\n"
    first.write_text(first.read_text(encoding="utf-8") + mine, encoding="utf-8")
    entries = list(data.entries)
    entries[0] = Entry(entries[0].paper, 1, 0.5, "reference", ("new reason",), "read")
    export(ExportSet("Ten linked", entries, data.graph), "markdown", out)
    text = first.read_text(encoding="utf-8")
    assert text.endswith(to_markdown.MARKER + "\n" + mine)
    assert "new reason" in text and "status: read" in text and "score: 0.5" in text
    assert len(list(out.iterdir())) == 11


def test_safe_names():
    assert to_markdown.safe_name("../../etc/passwd", "x") == "etc passwd"
    assert to_markdown.safe_name("a:b*c?d|e<f>g\"h#i^j[k]l", "x") == "a b c d e f g h i j k l"
    assert to_markdown.safe_name(" ...  ", "fallback") == "fallback"
    assert to_markdown.safe_name("nul.txt", "x") == "nul.txt (paper)"
    assert len(to_markdown.safe_name("长" * 200, "x").encode()) <= to_markdown.MAX_NAME_BYTES


def test_export_from_list_and_last_from_the_store_with_no_requests(fake, tmp_path, cli):
    db = tmp_path / "db.sqlite"
    env = cli_env(fake, db)

    def run(args):
        return cli(args, env)

    assert run(["explore", "ARXIV:1706.03762", "--depth", "1"]).returncode == 0
    assert run(["list", "add", "1706.03762", "2302.13971", "--tag", "t"]).returncode == 0
    fake.reset()
    res = run_cli(["export", "--from", "last", "--format", "markdown", "--out",
                   str(tmp_path / "md")], env)  # end to end, in a subprocess
    assert res.returncode == 0 and res.stdout == f"wrote 51 notes to {tmp_path / 'md'}\n"
    for fmt in ("csv", "bibtex", "ris", "graphml", "gexf", "json"):
        res = run(["export", "--from", "last", "--format", fmt, "--out",
                   str(tmp_path / f"last-{fmt}")])
        assert res.returncode == 0 and "wrote" in res.stdout, res.stderr
    assert fake.count() == 0
    g = nx.read_gexf(tmp_path / "last-gexf")
    assert g.number_of_nodes() == 50
    store = Store(db)
    data = from_list(store)
    assert [e.paper.title for e in data.entries] == [
        "Attention Is All You Need", "LLaMA: Open and Efficient Foundation Language Models"]
    assert data.entries[1].score is not None and data.entries[1].relation == "citation"
    assert list(data.graph.edges) == [(data.ids[1], data.ids[0])]
    res = run(["export", "--help"])
    assert "examples:" in res.stdout


# hostile text in every field of every format


INJECTIONS = [
    "Journal of Things\nER  - \nTY  - JOUR\nTI  - Injected record\nER  - ",
    "Bob\nUR  - javascript:alert(1)", "x},\n  url = {javascript:alert(1)", "}\n@misc{evil,",
    "a\r\n=HYPERLINK(\"http://evil\")", "\"\n\"", "]]></label><data key=\"evil\">",
    "\n---\nevil: 1\n---\n", MARKER, "\x1b[2J\x1b]0;owned\x07", "\x00\x07\x08\x0b\x0c\x7f",
    "\x85\u2028\u2029\x1c\x1d\x1e", "\u202eevil\u2066", "\ud800", "\ufffe\uffff", "\t",
]
hostile = st.lists(st.one_of(st.sampled_from(INJECTIONS), st.text(max_size=12)), max_size=4) \
    .map("".join)
field = st.builds(lambda a, b: f"{a}Q{b}", hostile, hostile)  # never blank once cleaned
_RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def hostile_set(texts: list[str]) -> ExportSet:
    it = iter(texts)
    papers = [
        Paper(c * 40, next(it), 2020, (next(it), next(it)), next(it), next(it), next(it),
              doi="10.1000/" + next(it))
        for c in "ab"
    ]
    entries = [Entry(p, n, 1.0 / n, next(it), (next(it),), "to read", (next(it), next(it)),
                     next(it)) for n, p in enumerate(papers, 1)]
    g = build_graph({p.paper_id: p for p in papers},
                    [Edge("a" * 40, "b" * 40, True, (next(it), next(it)))])
    return ExportSet(next(it), entries, g)


def assert_inert(value: object, allowed: str = "") -> None:
    """No control character or line break in any string of ``value`` (but those allowed)."""
    for text in _strings(value):
        assert not _RAW_CONTROL.search("".join(c for c in text if c not in allowed)), repr(text)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(k) + _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _unformula(cell: str, expected: str) -> str:
    return cell[1:] if cell.startswith("'") and not expected.startswith("'") else cell


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink])
@given(st.lists(field, min_size=27, max_size=27))
def test_hostile_text_in_every_field_stays_one_record_per_paper(texts):
    data = hostile_set(texts)
    a, b = (e.paper for e in data.entries)
    want = {p.paper_id: p for p in (a, b)}

    rows = list(csv.DictReader(io.StringIO(export_bytes(data, "csv").decode("utf-8"))))
    assert [r["paper_id"] for r in rows] == data.ids and all(None not in r for r in rows)
    assert_inert(rows)
    for r in rows:
        p = want[r["paper_id"]]
        assert _unformula(r["title"], one_line(p.title)) == one_line(p.title)
        assert _unformula(r["venue"], one_line(p.venue)) == one_line(p.venue)

    lib = bibtexparser.parse_string(export_bytes(data, "bibtex").decode("utf-8"))
    assert not lib.failed_blocks and len(lib.entries) == 2
    for entry, p in zip(lib.entries, (a, b), strict=True):
        venue_field = to_bibtex.VENUE_FIELDS[kind_of(p)]
        assert set(entry.fields_dict) <= {"title", "author", "year", venue_field, "doi", "url",
                                          "abstract", "keywords", "annote"}
        assert unescape(entry.fields_dict["title"].value) == one_line(p.title)
        assert unescape(entry.fields_dict[venue_field].value) == one_line(p.venue)
        assert unescape(entry.fields_dict["author"].value).split(" and ") == \
            [split_name(one_line(x)).inverted() for x in p.authors]
        assert_inert([f.value for f in entry.fields])

    records = rispy.loads(export_bytes(data, "ris").decode("utf-8"))
    assert [r["id"] for r in records] == data.ids
    for r in records:
        p = want[r["id"]]
        venue_tags = to_ris.VENUE_TAGS[kind_of(p)]
        assert set(r) <= {"type_of_reference", "id", "title", "authors", "year", *venue_tags,
                          "doi", "abstract", "urls", "keywords", "notes"}
        assert r["type_of_reference"] == to_ris.TYPES[kind_of(p)]
        assert r["title"] == one_line(p.title)
        assert all(r[tag] == one_line(p.venue) for tag in venue_tags)
        assert r["authors"] == [split_name(one_line(x)).inverted() for x in p.authors]
        assert r["urls"][0] == one_line(p.best_url).replace(";", "%3B")
        assert_inert(r)

    doc = json.loads(export_bytes(data, "json"))
    assert [p["paper_id"] for p in doc["papers"]] == data.ids
    assert [p["title"] for p in doc["papers"]] == [one_line(p.title) for p in (a, b)]
    assert_inert(doc)

    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        g = read(io.BytesIO(export_bytes(data, fmt)))
        assert set(g.nodes) == set(data.ids) and list(g.edges) == [("a" * 40, "b" * 40)]
        assert [g.nodes[p.paper_id]["label"] for p in (a, b)] == \
            [one_line(p.title) for p in (a, b)]
        assert_inert([dict(g.nodes[n]) for n in g] + [dict(d) for *_, d in g.edges(data=True)]
                     + [str(k) for n in g for k in g.nodes[n]])

    notes = to_markdown.notes(data)
    assert len(notes) == 3
    for name, text in notes.items():
        assert_inert(name)
        assert_inert(text, allowed="\n")
        assert text.count(MARKER) == 1 and text.startswith("---\n")
        assert sum(1 for line in text.splitlines() if line.startswith("# ")) == 1
        if name != "Index.md":
            meta = yaml.safe_load(text[4:text.index("\n---\n", 4)])
            p = want[meta["ids"]["s2"]]
            title = one_line(p.title).replace("<!--", "<!- -")
            assert meta["title"] == title and meta["aliases"] == [title]
            assert meta["venue"] == " ".join(one_line(p.venue).split()).replace("<!--", "<!- -")
            assert re.fullmatch(r"[a-z0-9]+", meta["citekey"])

    for name, text in to_markdown.notes(data, naming="citekey").items():
        assert_inert(name)
        assert name == "Index.md" or re.fullmatch(r"@[a-z0-9]+\.md", name)
        assert text.count(MARKER) == 1 and text.startswith("---\n")

    feed = ET.fromstring(atom_feed([NewCiter(b, a, tuple(texts[:2]), 1, 0.0)], updated=0.0))
    entries = feed.findall(f"{{{ATOM_NS}}}entry")
    assert len(entries) == 1
    assert entries[0].findtext(f"{{{ATOM_NS}}}title") == one_line(a.title)
    names = [n.text for n in entries[0].iter(f"{{{ATOM_NS}}}name")]
    assert names == [one_line(x) for x in a.authors]
    for el in feed.iter():
        assert_inert(el.text or "", allowed="\n")
        assert_inert(list(el.attrib.values()))
