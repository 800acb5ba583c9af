"""Markdown notes that land on the user's own: @citekey naming, front matter the literature-note
plugins and Dataview read, and no duplicate of a note the vault already has."""

from __future__ import annotations

import re

import pytest
import yaml

from explorer.errors import BadInputError
from explorer.exports import Entry, ExportSet, export, export_bytes, to_markdown
from explorer.exports.vault import scan
from explorer.graph import build_graph
from explorer.models import Edge, Paper
from tests.conftest import cli_env

ATTENTION = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
USER_NOTE = (
    "---\n"
    "citekey: vaswani2017attention\n"
    "doi: 10.48550/arXiv.1706.03762\n"
    "tags: [transformers, to-reread]\n"
    "---\n"
    "# Attention Is All You Need\n\n"
    "My notes: multi-head attention ≈ ensembles of kernels. See [[Some other note]].\r\n"
    "No trailing newline, odd bytes: \t✓"
)


def meta_of(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def links_of(path):
    return re.findall(r"\[\[([^\]]+)\]\]", path.read_text(encoding="utf-8"))


def test_citekey_export_into_a_vault_links_to_the_users_note_and_leaves_it_alone(
        fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    assert cli(["explore", "ARXIV:1706.03762", "--depth", "1"], env).returncode == 0
    assert cli(["list", "add", "1706.03762", "1412.6980", "--tag", "nlp"], env).returncode == 0
    vault = tmp_path / "vault"
    (vault / "Reading notes").mkdir(parents=True)
    (vault / ".obsidian").mkdir()
    (vault / ".obsidian" / "@hidden.md").write_text("---\ncitekey: kingma2014adam\n---\n")
    mine = vault / "Reading notes" / "@vaswani2017attention.md"
    mine.write_bytes(USER_NOTE.encode("utf-8"))
    adam = vault / "Papers" / "Adam, the optimiser.md"  # found by arXiv id, another folder
    adam.parent.mkdir()
    adam.write_bytes(b"---\narxiv: arXiv:1412.6980v9\n---\nmine\n")
    before = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file()}

    for _ in range(2):  # a second export changes nothing of the user's either
        res = cli(["export", "--from", "last", "--format", "markdown", "--vault", str(vault),
                   "--naming", "citekey"], env)
        assert res.returncode == 0, res.stderr
        assert res.stdout == f"wrote 49 notes to {vault / 'Reading notes'}\n"
        assert {p: p.read_bytes() for p in before} == before

    folder = vault / "Reading notes"
    ours = [p for p in folder.glob("*.md") if p != mine and p.name != "Index.md"]
    assert len(ours) == 48 and all(p.name.startswith("@") for p in ours)
    metas = {p: meta_of(p) for p in ours}
    assert not [p for p, m in metas.items() if m["ids"]["s2"] == ATTENTION]
    assert not [p for p, m in metas.items() if m["ids"].get("arxiv") == "1412.6980"]
    for path, meta in metas.items():
        assert path.stem == "@" + meta["citekey"]
        assert meta["aliases"] == [meta["title"]]
        assert {"year", "authors", "venue", "status", "tags", "ids"} <= set(meta)
    citers = [p for p in ours if "@vaswani2017attention" in links_of(p)]
    assert len(citers) >= 10  # every reference and citer links to the user's note
    assert "Adam, the optimiser" in links_of(folder / "Index.md")
    assert "@vaswani2017attention" in links_of(folder / "Index.md")
    names = {p.stem for p in vault.rglob("*.md")}
    assert all(target in names for p in ours for target in links_of(p))
    assert not (vault / "Index.md").exists()


def test_title_naming_in_a_vault_writes_to_the_vault_and_finds_notes_by_doi(tmp_path):
    paper = Paper("a" * 40, "BERT", 2019, ("Jacob Devlin",), doi="10.18653/V1/N19-1423")
    other = Paper("b" * 40, "RoBERTa", 2019, ("Yinhan Liu",))
    data = ExportSet("t", [Entry(paper, 1), Entry(other, 2)],
                     build_graph({p.paper_id: p for p in (paper, other)},
                                 [Edge(other.paper_id, paper.paper_id)]))
    vault = tmp_path / "v"
    (vault / "lit").mkdir(parents=True)
    theirs = vault / "lit" / "Devlin 2019.md"
    theirs.write_text("---\nDOI: https://doi.org/10.18653/v1/n19-1423\n---\nx")
    assert export(data, "markdown", vault, vault=vault) == 2
    assert sorted(p.name for p in vault.glob("*.md")) == ["Index.md", "RoBERTa.md"]
    assert links_of(vault / "RoBERTa.md") == ["Devlin 2019"]
    assert theirs.read_text() == "---\nDOI: https://doi.org/10.18653/v1/n19-1423\n---\nx"


def test_a_note_whose_name_no_link_can_hold_is_not_linked(tmp_path):
    paper = Paper("a" * 40, "BERT", 2019, ("Jacob Devlin",), doi="10.1/x")
    odd = tmp_path / "v" / "a]] [[evil|x.md"
    odd.parent.mkdir()
    odd.write_text("---\ndoi: 10.1/x\n---\n")
    export(ExportSet("t", [Entry(paper, 1)]), "markdown", odd.parent)
    assert links_of(odd.parent / "Index.md") == ["BERT"]
    assert odd.read_text() == "---\ndoi: 10.1/x\n---\n"


def test_a_key_alone_does_not_match_a_note_of_another_paper(tmp_path):
    paper = Paper("a" * 40, "Attention", 2017, ("Ashish Vaswani",), arxiv_id="1706.03762")
    (tmp_path / "@vaswani2017attention.md").write_text("---\narxiv: 2001.00001\n---\nother")
    data = ExportSet("t", [Entry(paper, 1)])
    export(data, "markdown", tmp_path, naming="citekey")
    assert (tmp_path / "@vaswani2017attention.md").read_text() == \
        "---\narxiv: 2001.00001\n---\nother"
    made = [p for p in tmp_path.glob("*.md") if meta_of(p).get("ids", {}).get("s2")]
    assert [p.name for p in made] == [f"@vaswani2017attention ({'a' * 8}).md"]


def test_given_citekeys_name_the_notes_and_the_zip_has_the_reading_notes_folder():
    paper = Paper("a" * 40, "Attention", 2017, ("Ashish Vaswani",))
    data = ExportSet("t", [Entry(paper, 1, tags=("x",))],
                     citekeys={"a" * 40: "vaswaniAttentionAllYou2017"})
    notes = to_markdown.notes(data, naming="citekey")
    assert sorted(notes) == ["@vaswaniAttentionAllYou2017.md", "Index.md"]
    meta = yaml.safe_load(notes["@vaswaniAttentionAllYou2017.md"].split("---\n")[1])
    assert meta["citekey"] == "vaswaniAttentionAllYou2017" and meta["tags"] == ["x"]
    import io
    import zipfile
    names = zipfile.ZipFile(io.BytesIO(export_bytes(data, "markdown", naming="citekey")))\
        .namelist()
    assert sorted(names) == ["Reading notes/@vaswaniAttentionAllYou2017.md",
                             "Reading notes/Index.md"]


def test_hostile_front_matter_and_folders(tmp_path):
    (tmp_path / "bad.md").write_text("---\n: [unclosed\n---\n")
    (tmp_path / "list.md").write_text("---\n- a\n- b\n---\n")
    (tmp_path / "@.md").write_text("no front matter")
    assert [n.citekey for n in scan(tmp_path, to_markdown.MARKER).notes] == [None, None, None]
    with pytest.raises(BadInputError, match="outside the vault"):
        to_markdown.vault_folder(tmp_path, "../elsewhere", "citekey")
    with pytest.raises(BadInputError, match="unknown note naming"):
        to_markdown.notes(ExportSet("t", []), naming="doi")


def test_cli_markdown_options_are_checked(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    for args, message in (
        (["--format", "csv", "--vault", str(tmp_path)], "--vault is for --format markdown"),
        (["--format", "markdown"], "give --out or --vault"),
        (["--format", "markdown", "--out", "x", "--vault", "y"], "not both"),
        (["--format", "markdown", "--out", "x", "--folder", "y"], "--folder goes with"),
    ):
        res = cli(["export", *args], env)
        assert res.returncode == 1 and message in res.stderr, (args, res.stderr)


def test_the_api_names_notes_by_the_librarys_citekeys(fake, tmp_path):
    from explorer import Settings, Store, explore, export_exploration
    store = Store(tmp_path / "s.sqlite")
    settings = Settings(s2_api_url=fake.url, arxiv_api_url=fake.url, min_interval=0)
    result = explore(["ARXIV:1706.03762"], depth=1, direction="references", store=store,
                     settings=settings)
    hostile = {result.seeds[0]: "vaswaniAttentionAllYou2017"}
    for pid in [r.paper.paper_id for r in result.ranked][1:3]:
        hostile[pid] = "evil}\n@misc{x,"  # not a key: the generated one is used
    out = tmp_path / "notes"
    written = export_exploration(result, "markdown", out, store=store, naming="citekey",
                                 citekeys=hostile)
    names = sorted(p.name for p in out.iterdir())
    assert written == len(names) == len(result.ranked) + 1
    assert "@vaswaniAttentionAllYou2017.md" in names
    assert all(re.fullmatch(r"@[a-z0-9]+\.md|@vaswaniAttentionAllYou2017\.md|Index\.md", n)
               for n in names), names
    bib = tmp_path / "x.bib"
    export_exploration(result, "bibtex", bib, store=store, citekeys=hostile)
    assert "@misc{vaswaniAttentionAllYou2017," in bib.read_text()
