"""Test helper: a local S2AG graph made from a corpus the way a user makes one, through the
real shard writer (the datasets' quirks included) and the importer."""

from __future__ import annotations

from pathlib import Path

from explorer.fake_s2.corpus import Corpus
from explorer.s2ag.importer import import_release
from explorer.s2ag.shards import corpus_records, write_release


def write_graph(corpus: Corpus, folder: Path) -> Path:
    """Shards of ``corpus`` in ``folder/release``, imported into ``folder/graph``; returns
    the graph folder."""
    papers, edges = corpus_records(corpus)
    write_release(papers, edges, folder / "release")
    import_release(folder / "release", folder / "graph")
    return folder / "graph"
