"""Derive the repository's sample corpus, ``data/s2-sample/``, from the full offline S2 corpus.

The tests, the benchmarks and ``make demo`` serve this sample through the fake Semantic
Scholar, so a fresh clone needs nothing beside it. Every paper and every edge is kept (the tests
count them: 1,788 papers, 2,008 edges, the Transformer's 40 references and 9 citers); only
blank lines are dropped. The files are gzip with no name and mtime 0, so a rerun on the same
input is byte-identical and a diff shows only real changes.

Run: ``python data/make_sample.py [--source ../shared/s2-corpus] [--out data/s2-sample]``
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("papers.jsonl", "citations.jsonl")


def write_gzip(lines: list[bytes], path: Path) -> None:
    """Write ``lines`` to ``path`` as deterministic gzip (no file name, mtime 0)."""
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                               compresslevel=9, mtime=0) as out:
        out.writelines(lines)


def make_sample(source: Path, out: Path) -> dict[str, int]:
    """Copy each corpus file of ``source`` into ``out`` as ``<name>.gz``.

    Parameters
    ----------
    source : folder holding ``papers.jsonl`` and ``citations.jsonl``.
    out : folder to write ``papers.jsonl.gz`` and ``citations.jsonl.gz`` into (created).

    Returns
    -------
    dict
        The number of records written, by file name.
    """
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in NAMES:
        lines = [line if line.endswith(b"\n") else line + b"\n"
                 for line in (source / name).read_bytes().splitlines(keepends=True)
                 if line.strip()]
        write_gzip(lines, out / f"{name}.gz")
        counts[name] = len(lines)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "s2-corpus",
                        help="the full corpus (default: ../shared/s2-corpus)")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "s2-sample",
                        help="where the sample goes (default: data/s2-sample)")
    args = parser.parse_args(argv)
    missing = [name for name in NAMES if not (args.source / name).is_file()]
    if missing:
        print(f"error: no {', '.join(missing)} in {args.source}: pass --source DIR, the folder "
              "of the full corpus", file=sys.stderr)
        return 2
    for name, count in make_sample(args.source, args.out).items():
        print(f"{args.out / name}.gz: {count} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
