"""Reading-list tags reach every export, from the list and from the last exploration."""

from __future__ import annotations

import csv
import json

import bibtexparser
import networkx as nx
import rispy
import yaml

from tests.conftest import cli_env


def test_from_last_keeps_tags_in_every_format(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    assert cli(["explore", "ARXIV:1706.03762", "--depth", "1"], env).returncode == 0
    assert cli(["list", "add", "1706.03762", "--tag", "nlp", "--tag", "core"],
               env).returncode == 0
    for source in ("list", "last"):
        for fmt, suffix in (("csv", ".csv"), ("bibtex", ".bib"), ("ris", ".ris"),
                            ("json", ".json"), ("graphml", ".graphml"), ("markdown", "")):
            out = tmp_path / f"{source}{suffix}"
            res = cli(["export", "--from", source, "--format", fmt, "--out", str(out)], env)
            assert res.returncode == 0, res.stderr
        bib = bibtexparser.parse_string((tmp_path / f"{source}.bib").read_text())
        attention = [e for e in bib.entries if "1706.03762" in str(e.fields_dict.get(
            "eprint").value if "eprint" in e.fields_dict else "")]
        assert attention and attention[0].fields_dict["keywords"].value == "nlp, core", source
        ris = [r for r in rispy.loads((tmp_path / f"{source}.ris").read_text())
               if r.get("title") == "Attention Is All You Need"]
        assert ris and ris[0]["keywords"] == ["nlp", "core"], source
        rows = [r for r in csv.DictReader((tmp_path / f"{source}.csv").open())
                if r["title"] == "Attention Is All You Need"]
        assert rows and rows[0]["tags"] == "nlp; core", source
        doc = json.loads((tmp_path / f"{source}.json").read_text())
        papers = [p for p in doc["papers"] if p["title"] == "Attention Is All You Need"]
        assert papers and papers[0]["tags"] == ["nlp", "core"], source
        g = nx.read_graphml(tmp_path / f"{source}.graphml")
        assert [d.get("tags") for _, d in g.nodes(data=True)
                if d["label"] == "Attention Is All You Need"] == ["nlp; core"], source
        note = tmp_path / source / "Attention Is All You Need.md"
        assert yaml.safe_load(note.read_text().split("---\n")[1])["tags"] == ["nlp", "core"]


def test_from_last_survey_keeps_tags_in_markdown(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    assert cli(["explore", "--survey", "ARXIV:1706.03762"], env).returncode == 0
    assert cli(["list", "add", "1409.0473", "--tag", "nlp"], env).returncode == 0
    for source in ("list", "last"):
        out = tmp_path / source
        res = cli(["export", "--from", source, "--format", "markdown", "--out", str(out)], env)
        assert res.returncode == 0, res.stderr
        metas = [yaml.safe_load(p.read_text().split("---\n")[1]) for p in out.glob("*.md")]
        tagged = [m for m in metas if m.get("ids", {}).get("arxiv") == "1409.0473"]
        assert tagged and tagged[0]["tags"] == ["nlp"], source


def test_the_librarys_citation_keys_name_the_entries_of_every_export(fake, tmp_path, cli):
    from explorer.store import LibraryRow, Store

    env = cli_env(fake, tmp_path / "db.sqlite")
    assert cli(["explore", "ARXIV:1706.03762", "--depth", "1"], env).returncode == 0
    assert cli(["list", "add", "1706.03762"], env).returncode == 0
    transformer = "7908ff41fdd80c1c47e302b8205b1bc5f0f57a55"
    Store(tmp_path / "db.sqlite").put_library(
        "zotero", [LibraryRow("K1", transformer, "myKeyForAttention", "Attention")], {})
    for source in ("list", "last"):
        out = tmp_path / f"{source}.bib"
        res = cli(["export", "--from", source, "--format", "bibtex", "--out", str(out)], env)
        assert res.returncode == 0, res.stderr
        keys = [e.key for e in bibtexparser.parse_string(out.read_text()).entries]
        assert "myKeyForAttention" in keys, source
        notes = tmp_path / f"notes-{source}"
        res = cli(["export", "--from", source, "--format", "markdown", "--naming", "citekey",
                   "--out", str(notes)], env)
        assert res.returncode == 0, res.stderr
        assert (notes / "@myKeyForAttention.md").exists(), source
