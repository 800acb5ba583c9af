"""Entry types of the exports on real neighbourhoods: how many papers are conference papers,
journal articles, books, preprints, and how many of them BibTeX used to file as ``@article``.

Run: ``.venv/bin/python bench/export_kinds.py [--corpus ../shared/s2-corpus]``

For each seed, the fake S2 serves the corpus on 127.0.0.1, explorer walks the seed at depth 1
into a fresh store, and the last exploration is exported to BibTeX and RIS; the entry types
are read back with bibtexparser and rispy. ``by S2 type`` counts the papers S2 itself calls
``Conference``; the rest of the conference papers are known by their venue's words.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

import bibtexparser
import rispy
from corpus_option import add_corpus_option, checked_corpus

from explorer.config import Settings
from explorer.exports import export_bytes
from explorer.fake_s2 import FakeS2
from explorer.store import Store
from explorer.tasks.explore import ExploreOptions, explore
from explorer.tasks.export import from_last

SEEDS = {"Transformer": "ARXIV:1706.03762", "Turing 1950": "DOI:10.1093/MIND/LIX.236.433"}


def kinds(corpus: Path, seed: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as tmp, FakeS2(corpus_dir=corpus) as fake:
        store = Store(Path(tmp) / "bench.sqlite")
        settings = Settings(s2_api_url=fake.url, arxiv_api_url=fake.url, min_interval=0)
        with settings.s2_client() as client:
            explore([seed], ExploreOptions(depth=1), store=store, client=client)
        data = from_last(store)
    bib = bibtexparser.parse_string(export_bytes(data, "bibtex").decode("utf-8"))
    ris = rispy.loads(export_bytes(data, "ris").decode("utf-8"))
    counts = collections.Counter(e.entry_type for e in bib.entries)
    counts.update(f"TY {r['type_of_reference']}" for r in ris)
    counts["papers"] = len(data.entries)
    counts["by S2 type"] = sum("Conference" in e.paper.publication_types for e in data.entries)
    counts["was @article"] = sum(bool(e.paper.venue) for e in data.entries)
    return dict(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_corpus_option(parser)
    corpus = checked_corpus(parser.parse_args().corpus)
    rows = {name: kinds(corpus, seed) for name, seed in SEEDS.items()}
    columns = ["papers", "inproceedings", "by S2 type", "article", "book", "incollection",
               "misc", "TY CONF", "TY JOUR", "TY UNPB", "TY GEN", "was @article"]
    print(f"{'neighbourhood':<14}" + "".join(f"{c:>14}" for c in columns))
    for name, counts in rows.items():
        print(f"{name:<14}" + "".join(f"{counts.get(c, 0):>14}" for c in columns))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
