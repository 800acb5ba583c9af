"""The ``--corpus`` option of the benchmarks that serve papers through the fake S2.

The default is the repository's sample (``data/s2-sample``); a folder with no corpus in it ends
the run in one line that says what to pass, before any server starts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from explorer.fake_s2.corpus import corpus_file

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "s2-sample"


def add_corpus_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--corpus DIR`` (default: the repository's sample) to ``parser``."""
    parser.add_argument("--corpus", type=Path, default=SAMPLE,
                        help="folder with papers.jsonl[.gz] and citations.jsonl[.gz] "
                             "(default: data/s2-sample)")


def checked_corpus(path: Path) -> Path:
    """``path`` if it holds ``papers.jsonl`` or ``papers.jsonl.gz``; otherwise exit with one
    line naming the option to pass."""
    if corpus_file(path, "papers.jsonl") is None:
        sys.exit(f"error: no papers.jsonl or papers.jsonl.gz in {path}: pass --corpus DIR, "
                 f"a corpus folder such as {SAMPLE}")
    return path
