"""Hostile input: malformed seeds, bibliographies, options and file names give one clear error;
titles carrying HTML, JavaScript, formulas or LaTeX stay inert in every export; the API key
never reaches a log, the store or an export.

Commands run in-process (fast) through :func:`tests.inproc.run_main`, except the key scan,
which runs the real command with ``-v`` in a subprocess to capture its logs.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import networkx as nx
import pytest
import rispy
import yaml
from markdown_it import MarkdownIt

from explorer.exports.table import CSV_COLUMNS, csv_text
from explorer.exports.to_bibtex import unescape
from explorer.fake_s2 import FakeS2
from explorer.models import Paper, Ranked
from explorer.store import Store
from tests.conftest import cli_env, run_cli
from tests.inproc import run_main

ONE_MB = 1024 * 1024
HUB = "e" * 40
TRANSFORMER = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
HUB_DOI = "10.5555/hostile"


def one_line_error(res, code: int = 1) -> str:  # type: ignore[no-untyped-def]
    """The single ``error:`` line of a failed run; no traceback, no raw control character."""
    assert res.returncode == code, (res.args[:3], res.returncode, res.stdout[-300:], res.stderr)
    lines = [ln for ln in res.stderr.splitlines() if ln.strip() and " · " not in ln]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr[-2000:]
    assert "Traceback" not in res.stderr and len(lines[0]) < 500, lines[0][:600]
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", lines[0]), repr(lines[0])
    return lines[0]


@pytest.fixture
def cli(cli, fake, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The shared runner, on the fake and a store in tmp_path, run from tmp_path."""
    env = cli_env(fake, tmp_path / "db.sqlite")
    monkeypatch.chdir(tmp_path)
    return lambda *args: cli([str(a) for a in args], env)


# 1. seeds, options and query strings


SEEDS = [
    "\x1b[31mred title here", "\x7f", "\u202e1706.03762", "a" * ONE_MB, "word " * 200_000,
    "' OR 1=1 --", "ΑRXIV:1706.03762", "1706.O3762", "10.1093/mind/LІX.236.433",
    "１７０６.０３７６２", "../../etc/passwd", "file:///etc/passwd", "javascript:alert(1)",
    "https://evil.example/abs/1706.03762", "<script>alert(1)</script>", "%00", "\u200b",
    "CorpusId:-1", "CorpusId:99999999999999999999999999", "ARXIV:../../x", "DOI:10.1/",
    "10.1000/" + "x" * 5000, "\uffff", "NaN", "-1", "s2:" + "g" * 40, "\t\n",
    "https://www.semanticscholar.org/paper/" + "z" * 40,
    "Robert'); DROP TABLE papers;--", "Attention Is All You Need\x00",
]


@pytest.mark.parametrize("seed", SEEDS, ids=range(len(SEEDS)))
def test_hostile_seed_is_one_clear_error(cli, fake, seed):
    line = one_line_error(cli("explore", seed))
    assert "not a paper id or title" in line or "no paper with a title like" in line
    assert fake.count("/graph/v1/paper/batch") == 0  # nothing malformed was sent to S2


OPTIONS = [
    ("cites", "ARXIV:1706.03762", "--since", "abc"),
    ("cites", "ARXIV:1706.03762", "--limit", "-5"),
    ("cites", "ARXIV:1706.03762", "--min-citations", "-1"),
    ("explore", "ARXIV:1706.03762", "--top", "-1"),
    ("explore", "ARXIV:1706.03762", "--max-requests", "1e309"),
    ("explore", "ARXIV:1706.03762", "--depth", "4"),
    ("list", "set", "ARXIV:1706.03762", "--status", "'; DROP TABLE reading_list;--"),
    ("show", "\x1b]0;pwned\x07"),
    ("watch", "add", "<img src=x onerror=alert(1)>"),
    ("connect", "ARXIV:1706.03762", "\u202e"),
    ("cites", "x" * ONE_MB),
]


@pytest.mark.parametrize("args", OPTIONS, ids=range(len(OPTIONS)))
def test_hostile_option_is_one_clear_error(cli, args):
    one_line_error(cli(*args))


QUERIES = ["'; DROP TABLE edges;--", "\x1b[2J\x1b[H", "%s%s%n", "\u202e", "q" * ONE_MB,
           ".*(a+)+$", "<script>alert(1)</script>", "\\", "' OR ''='"]


def test_hostile_query_strings_are_plain_text(cli, fake, tmp_path):
    assert cli("cites", "ARXIV:1706.03762").returncode == 0
    fake.reset()
    for q in QUERIES:
        res = cli("cites", "ARXIV:1706.03762", "--query", q, "--offline")
        assert res.returncode == 0 and "Traceback" not in res.stderr, (q[:40], res.stderr)
    store = Store(tmp_path / "db.sqlite")
    assert store.integrity_ok() and len(store.citations_of(TRANSFORMER)) == 9
    assert fake.count() == 0


# 2. bibliographies


BIBS = {
    "empty": "",
    "unterminated": "@article{",
    "unbalanced": "@article{k, title = {Unbalanced {braces}",
    "deep-braces": "@misc{k, title={" + "{" * 50_000 + "x" + "}" * 50_000 + "}}",
    "1mb-title": "@misc{k, title={" + "word " * (ONE_MB // 5) + "}}",
    "control-chars": "@misc{k, title={A \x01\x02\x1b[31m title here}}",
    "doi-traversal": "@misc{k, doi = {../../../etc/passwd}}",
    "js-url": "@misc{k, url = {javascript:alert(1)}}",
    "confusable-eprint": "@misc{k, eprint={1706.O3762}, archivePrefix={arXiv}}",
    "sql-title": "@misc{k, title = {'; DROP TABLE papers; -- now}}",
    "only-comment": "@comment{only a comment}",
    "no-fields": "@misc{k,}",
    "5000-unusable": "".join(f"@misc{{k{i}, note={{n}}}}\n" for i in range(5000)),
}


@pytest.mark.parametrize("name", BIBS)
def test_hostile_bibtex_is_one_clear_error(cli, tmp_path, name):
    path = tmp_path / f"{name}.bib"
    path.write_text(BIBS[name], encoding="utf-8")
    one_line_error(cli("explore", "--bib", path))


@pytest.mark.parametrize("content", [
    "@misc{k, title={Attention Is All You Need}}".encode("utf-16"),
    bytes(range(256)) * 100,
    b"TY  - JOUR\nTI  - no end record",
    b"garbage\n\x00\n",
], ids=["utf16", "binary", "ris-unclosed", "ris-garbage"])
def test_undecodable_or_broken_files_are_one_clear_error(cli, tmp_path, content):
    kind = "ris" if b"TY  -" in content or b"garbage" in content else "bib"
    path = tmp_path / f"f.{kind}"
    path.write_bytes(content)
    one_line_error(cli("explore", f"--{kind}", path))


def test_a_folder_or_a_missing_file_is_one_clear_error(cli, tmp_path):
    one_line_error(cli("explore", "--bib", tmp_path))
    one_line_error(cli("explore", "--bib", tmp_path / "missing.bib"))
    one_line_error(cli("explore", "ARXIV:1706.03762", "--db", tmp_path))
    (tmp_path / "not-a-store.sqlite").write_text("just text, no database\n" * 100)
    one_line_error(cli("explore", "ARXIV:1706.03762", "--db", tmp_path / "not-a-store.sqlite"))


# 3. file names


def test_export_names_are_checked_and_never_leave_debris(cli, tmp_path):
    assert cli("explore", "ARXIV:1706.03762").returncode == 0
    (tmp_path / "folder").mkdir()
    (tmp_path / "existing.md").write_text("mine")
    for args in (
        ("export", "--from", "last", "--format", "bibtex", "--out", ""),
        ("export", "--from", "last", "--format", "bibtex", "--out", tmp_path / "folder"),
        ("export", "--from", "last", "--format", "csv", "--out", tmp_path / "no" / "x.csv"),
        ("export", "--from", "last", "--format", "markdown", "--out", tmp_path / "existing.md"),
        ("explore", "ARXIV:1706.03762", "--csv", tmp_path / "folder"),
    ):
        one_line_error(cli(*args))
    assert (tmp_path / "existing.md").read_text() == "mine"
    assert not list(tmp_path.rglob("*.part")) and not (tmp_path / "no").exists()
    # A relative name with ../ is the user's own choice: written where it points, whole.
    (tmp_path / "sub").mkdir()
    os.chdir(tmp_path / "sub")
    assert cli("explore", "ARXIV:1706.03762", "--csv", "../up.csv").returncode == 0
    assert (tmp_path / "up.csv").read_text().startswith("rank,")


def test_exporting_to_a_pipe_writes_through_and_keeps_the_pipe(cli, tmp_path):
    assert cli("explore", "ARXIV:1706.03762").returncode == 0
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    res = cli("export", "--from", "last", "--format", "csv", "--out", fifo)
    reader.join(10)
    assert res.returncode == 0, res.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # not replaced by a regular file
    assert got and got[0].startswith("rank,") and "Attention Is All You Need" in got[0]


# 4. hostile titles in every export


HOSTILE_TITLES = [
    "<script>alert('t1')</script> Deep nets",
    "<img src=x onerror=alert(2)> Attention",
    "Evil } @misc{pwned, title={owned}} {",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3 and @SUM(1)",
    "@SUM(A1:A9)",
    "\tTabbed =1+1",
    "\r=carriage formula",
    "]]> <!-- x --> &amp; &lt; <![CDATA[ end",
    "[[Index]] and [link](javascript:alert(3)) `code` *bold*",
    "# a heading at the start",
    "../../../../escape attempt",
    "..",
    "CON",
    "\\..\\..\\windows\\system32",
    "ANSI \x1b[31mred\x1b[0m and a bell \x07 here",
    "ℌ𝔢𝔩𝔩𝔬 Ꭺttention confusables \u202eevil",
    "$\\input{/etc/passwd}$ \\write18{rm -rf /} 100% _x_ ^y~",
    "---\nyaml: injection\n---",
    "<!-- explorer: write your own notes below this line; it is kept on re-export -->",
]


def hostile_corpus(fake: FakeS2, first: int = 0, count: int = len(HOSTILE_TITLES)) -> list[str]:
    fake.add_paper({"paperId": HUB, "title": "A hub <b>bold</b> paper", "year": 2000,
                    "externalIds": {"DOI": HUB_DOI}, "citationCount": len(HOSTILE_TITLES),
                    "authors": [{"authorId": "1", "name": "=cmd|'/C calc'!A0"}]})
    ids = []
    for i in range(first, first + count):
        pid = f"{i + 1:040x}"
        ids.append(pid)
        fake.add_paper({
            "paperId": pid, "title": HOSTILE_TITLES[i], "year": 2020 + i % 5,
            "externalIds": {"DOI": f"10.5555/h{i}"}, "citationCount": i,
            "venue": "<iframe src=javascript:alert(9)>", "url": "javascript:alert(7)",
            "abstract": "<svg onload=alert(8)> =1+1 [x](javascript:alert(6))",
            "authors": [{"authorId": None, "name": "<script>alert(5)</script>"},
                        {"authorId": None, "name": "@evil"}],
        })
        fake.add_edge({"citingPaperId": pid, "citedPaperId": HUB, "isInfluential": True,
                       "contexts": ["<img src=y onerror=alert(4)> as in [1]"], "intents": []})
    return ids


def test_a_carriage_return_cannot_start_a_new_row_with_a_formula():
    text = csv_text([Ranked(Paper("a" * 40, title=t), 0.5, "citation", (), rank=1)
                     for t in ("\r=1+1", "ok\r=2+2", "ok\r\n@SUM(1)")])
    cells = [c for r in csv.reader(io.StringIO(text, newline="")) for c in r]
    assert len(cells) == 4 * len(CSV_COLUMNS)  # the header and three rows, nothing split
    assert not [c for c in cells if c.startswith(FORMULA)]


def read_csv_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


FORMULA = ("=", "+", "-", "@", "\t", "\r")


SAFE_TAGS = {"h1", "h2", "h3", "p", "ul", "ol", "li", "a", "em", "strong", "code", "hr", "br",
             "blockquote"}


def active_html(html: str) -> list[str]:
    """Tags, event handlers and script URLs in rendered HTML that a title could have made."""
    found: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in SAFE_TAGS:
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on") or (value or "").strip().lower().startswith(
                        ("javascript:", "data:", "vbscript:")):
                    found.append(f"{tag} {name}={value}")

    Parser().feed(html)
    return found


def test_hostile_titles_stay_inert_in_every_export(cli, fake, tmp_path):
    ids = hostile_corpus(fake)
    out = tmp_path / "out"
    out.mkdir()
    assert cli("explore", f"DOI:{HUB_DOI}", "--csv", out / "explore.csv").returncode == 0
    assert cli("cites", f"DOI:{HUB_DOI}", "--csv", out / "cites.csv").returncode == 0
    assert cli("list", "add", *[f"DOI:10.5555/h{i}" for i in range(len(ids))],
               "--tag", "=tag").returncode == 0
    for source in ("list", "last"):
        for fmt, name in (("csv", "x.csv"), ("bibtex", "x.bib"), ("ris", "x.ris"),
                          ("graphml", "x.graphml"), ("gexf", "x.gexf"), ("json", "x.json"),
                          ("markdown", "notes")):
            res = cli("export", "--from", source, "--format", fmt, "--out",
                      out / f"{source}-{name}")
            assert res.returncode == 0, (source, fmt, res.stderr)

    # CSV: no cell of any CSV starts a formula, and every hostile title is there
    for path in out.glob("*.csv"):
        cells = read_csv_cells(path)
        assert not [c for c in cells if c.startswith(FORMULA)], path.name
        assert sum("Deep nets" in c for c in cells) == 1, path.name

    # BibTeX: one entry per paper, no injected entry, titles read back literally
    for path in out.glob("*.bib"):
        lib = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
        assert not lib.failed_blocks and "pwned" not in [e.key for e in lib.entries]
        titles = {" ".join(unescape(e["title"]).split()) for e in lib.entries}
        for t in HOSTILE_TITLES[:4]:
            assert " ".join(t.split()) in titles, (path.name, t)
        assert len(lib.entries) >= len(ids)

    # RIS, GraphML, GEXF, JSON: parsed by their own readers, titles intact
    for path in out.glob("*.ris"):
        with path.open(encoding="utf-8") as f:
            assert len(rispy.load(f)) >= len(ids)
    for path in [*out.glob("*.graphml"), *out.glob("*.gexf")]:
        g = (nx.read_graphml if path.suffix == ".graphml" else nx.read_gexf)(path)
        assert g.number_of_nodes() >= len(ids)
    for path in out.glob("*.json"):
        assert "<script>alert('t1')</script> Deep nets" in path.read_text(encoding="utf-8")
        json.loads(path.read_text(encoding="utf-8"))

    # Markdown: every note stays in its folder, and rendered with HTML allowed (as Obsidian
    # does) no tag, event handler or javascript: link comes out of a title
    renderer = MarkdownIt("commonmark", {"html": True})
    for folder in out.glob("*-notes"):
        notes = list(folder.rglob("*"))
        assert len(notes) >= len(ids) + 1
        assert all(p.parent == folder for p in notes)
        for note in notes:
            text = note.read_text(encoding="utf-8")
            lines = text.split("\n")
            if lines[0] == "---":  # front matter, up to the next line "---": not rendered
                end = lines.index("---", 1)
                meta = yaml.safe_load("\n".join(lines[1:end]))
                text = "\n".join(lines[end + 1:])
                assert "title" in meta and not str(meta.get("url", "")).startswith("java")
            assert active_html(renderer.render(text)) == [], note.name
    # nothing was written outside the output folder (a note named "../..", say)
    assert {p.name for p in tmp_path.iterdir()} <= {"db.sqlite", "db.sqlite-shm",
                                                    "db.sqlite-wal", "out"}


def test_hostile_titles_make_a_well_formed_atom_feed(cli, fake, tmp_path):
    hostile_corpus(fake, 0, 5)
    assert cli("watch", "add", f"DOI:{HUB_DOI}").returncode == 0
    assert cli("watch", "check").returncode == 0  # the baseline
    hostile_corpus(fake, 5, len(HOSTILE_TITLES) - 5)
    fake.add_paper({"paperId": HUB, "title": "A hub <b>bold</b> paper", "year": 2000,
                    "externalIds": {"DOI": HUB_DOI}, "citationCount": 99, "authors": []})
    feed = tmp_path / "new.xml"
    res = cli("watch", "check", "--atom", feed)
    assert res.returncode == 0, res.stderr
    root = ET.parse(feed).getroot()  # well-formed XML, control characters and all
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert len(titles) == len(HOSTILE_TITLES) - 5
    assert "]]> <!-- x --> &amp; &lt; <![CDATA[ end" in titles
    assert any(t.startswith("ANSI") and "red" in t for t in titles)
    assert not [el for el in root.iter() if not el.tag.startswith("{http://www.w3.org/2005/")]
    assert all(not (el.get("href") or "").startswith("javascript:") for el in root.iter())


# 5. the API key never leaks


KEY = "sk-TEST-0123456789abcdef-DO-NOT-LEAK"


def test_the_api_key_is_in_no_log_store_or_export(corpus, tmp_path, monkeypatch, capfd):
    with FakeS2(corpus_dir=corpus, api_key=KEY) as fake:
        hostile_corpus(fake, 0, 3)
        db = tmp_path / "store" / "db.sqlite"
        env = cli_env(fake, db, S2_API_KEY=KEY)
        out = tmp_path / "exports"
        out.mkdir()
        runs = [
            ["explore", "ARXIV:1706.03762", "--depth", "2", "--csv", out / "e.csv",
             "--json", out / "e.json"],
            ["explore", "Attention is all you need", "--direction", "citations"],
            ["cites", f"DOI:{HUB_DOI}", "--csv", out / "c.csv", "--json", out / "c.json"],
            ["show", "ARXIV:1810.04805"],
            ["list", "add", "ARXIV:1706.03762", f"DOI:{HUB_DOI}"],
            ["watch", "add", f"DOI:{HUB_DOI}"],
            ["watch", "check", "--atom", out / "w.xml"],
            ["connect", "ARXIV:1706.03762", "ARXIV:1810.04805", "--max-requests", "5"],
        ]
        fake.inject(429, times=1, path_contains="/citations")  # so that -v logs retries
        fake.inject(503, times=1, path_contains="/paper/batch")
        logs = []
        for args in runs:
            res = run_cli(["-v", *map(str, args)], env)
            assert res.returncode == 0, (args, res.stderr[-1000:])
            logs.append(res.stdout + res.stderr)
        assert sum(log.count("retrying") for log in logs) >= 2  # -v logged the retries
        assert all(r.api_key == KEY for r in fake.requests if r.path.startswith("/graph/"))
        # a refused key is not echoed either
        bad = run_cli(["-v", "explore", "ARXIV:2302.13971"],
                      cli_env(fake, db, S2_API_KEY=KEY[::-1]))
        assert bad.returncode == 2
        logs.append(bad.stdout + bad.stderr)
        for src in ("list", "last"):  # exports make no request: run in-process
            for fmt in ("csv", "bibtex", "ris", "markdown", "graphml", "gexf", "json"):
                res = run_main(["export", "--from", src, "--format", fmt, "--out",
                                str(out / f"{src}.{fmt}")], env, monkeypatch, capfd)
                assert res.returncode == 0, res.stderr
                logs.append(res.stdout + res.stderr)

    assert not [log for log in logs if KEY in log or KEY[::-1] in log]
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) >= 20 and any(p.name == "db.sqlite" for p in files)
    needles = [KEY.encode(), KEY.encode("utf-16-le"), KEY[::-1].encode()]
    leaked = [p for p in files if any(n in p.read_bytes() for n in needles)]
    assert not leaked, leaked
