"""Write an S2AG release (``papers``, ``abstracts``, ``citations``, ``paper-ids`` shards) from
a corpus as the fake Semantic Scholar serves it, with the quirks of the real datasets.

The quirks of the real datasets are :class:`~explorer.s2ag.release_writer.ReleaseWriter`'s
(string corpus ids in citations, unresolved references, edges repeated in two shards, both
shapes of citation shards, several files per dataset, extra non-primary shas); this module
adds the corpus's own: its edges to papers it lacks become unresolved references (one a
citing paper), and papers without a corpus id get a synthetic one
(:func:`~explorer.s2ag.shard_records.synthetic_corpus_id`). A rerun is byte-identical.

Command line::

    python -m explorer.s2ag.shards --corpus data/s2-sample --out /tmp/s2ag --newer 2026-12-01
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from explorer.errors import BadInputError
from explorer.fake_s2.corpus import Corpus, corpus_file, read_records
from explorer.s2ag.release_writer import RATES, ReleaseCounts, ReleaseWriter
from explorer.s2ag.shard_records import synthetic_corpus_id

__all__ = ["RATES", "ReleaseCounts", "corpus_records", "write_release", "main"]

DEFAULT_RELEASE = "2026-11-24"


def corpus_records(corpus: Corpus | str | Path) -> tuple[list[dict[str, Any]],
                                                         list[dict[str, Any]]]:
    """The paper records and edges of a :class:`Corpus` or of a corpus folder
    (``papers.jsonl[.gz]``, ``citations.jsonl[.gz]``), in file order.

    Raises
    ------
    BadInputError
        When the folder has no ``papers.jsonl`` or ``papers.jsonl.gz``.
    """
    if isinstance(corpus, Corpus):
        papers = list(corpus.papers.values())
        edges = [e for pid in corpus.papers for e in corpus.references_of(pid)]
        return papers, edges
    if corpus_file(corpus, "papers.jsonl") is None:
        raise BadInputError(f"no papers.jsonl or papers.jsonl.gz in {corpus}",
                            parameter="corpus", value=str(corpus))
    return (list(read_records(corpus, "papers.jsonl")),
            list(read_records(corpus, "citations.jsonl")))


def _corpus_ids(papers: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """sha -> corpus id: the record's own, or a synthetic one not taken by another."""
    ids: dict[str, int] = {}
    taken: set[int] = set()
    pending = []
    for paper in papers:
        sha = str(paper["paperId"]).lower()
        if paper.get("corpusId") is not None:
            ids[sha] = int(paper["corpusId"])
            taken.add(ids[sha])
        else:
            pending.append(sha)
    for sha in pending:
        corpusid = synthetic_corpus_id(sha)
        while corpusid in taken:
            corpusid += 1
        ids[sha] = corpusid
        taken.add(corpusid)
    return ids


def write_release(papers: Sequence[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]],
                  out: str | Path, *, release: str = DEFAULT_RELEASE, seed: int = 0,
                  shards: int = 2) -> ReleaseCounts:
    """Write one release's shards from API-shaped ``papers`` and ``edges`` into ``out``.

    Parameters
    ----------
    papers : Graph API paper records (``paperId`` required).
    edges : citation edges in the corpus's ``citations.jsonl`` shape.
    out : the release folder: ``out/<dataset>/part-NNNNN.jsonl.gz`` and ``out/RELEASE``.
    release : the release id written to ``out/RELEASE``.
    seed : varies which records carry the quirks.
    shards : files per dataset (citations get twice as many: half in each shape); at least 2.

    Returns
    -------
    ReleaseCounts

    Examples
    --------
    >>> import tempfile
    >>> paper = {"paperId": "a" * 40, "corpusId": 1, "title": "T"}
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_release([paper], [], folder).papers
    1
    """
    ids = _corpus_ids(papers)
    skipped = 0
    with ReleaseWriter(out, release=release, seed=seed, shards=shards) as writer:
        seen: set[int] = set()
        for paper in papers:
            sha = str(paper["paperId"]).lower()
            if ids[sha] in seen:  # a second sha of a paper already written
                writer.sha(sha, ids[sha], primary=False)
            else:
                seen.add(ids[sha])
                writer.paper(paper, ids[sha])
        written: set[tuple[int, int | None]] = set()
        for edge in edges:
            citing = ids.get(str(edge.get("citingPaperId") or "").lower())
            cited = ids.get(str(edge.get("citedPaperId") or "").lower())
            if citing is None or (citing, cited) in written:
                skipped += 1  # S2AG has no citing paper it lacks; one unresolved a paper
                continue
            written.add((citing, cited))
            writer.edge(citing, cited, edge)
        for sha, citing in ids.items():
            if (citing, None) not in written and writer.extra_unresolved(sha, citing):
                written.add((citing, None))
    return writer.counts(skipped)


_EPILOG = """\
examples:
  python -m explorer.s2ag.shards --corpus data/s2-sample --out /tmp/s2ag
  # /tmp/s2ag/2026-11-24/{papers,abstracts,citations,paper-ids}/part-*.jsonl.gz
  python -m explorer.s2ag.shards --corpus data/s2-sample --out /tmp/s2ag --newer 2026-12-01
  # and /tmp/s2ag/2026-12-01/... with the diff in /tmp/s2ag/diffs/2026-11-24--2026-12-01/
  python -m explorer.fake_s2 --corpus data/s2-sample --datasets /tmp/s2ag   # serve them
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m explorer.s2ag.shards",
        description="Write S2AG release shards (papers, abstracts, citations, paper-ids) from "
        "a corpus as the fake Semantic Scholar serves it, with the real datasets' quirks; "
        "optionally a newer release and the diff between the two.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True,
                        help="folder with papers.jsonl and citations.jsonl, plain or .gz")
    parser.add_argument("--out", type=Path, required=True,
                        help="folder of releases: each release goes to OUT/<release id>/")
    parser.add_argument("--release", default=DEFAULT_RELEASE,
                        help=f"id of the release written from the corpus ({DEFAULT_RELEASE})")
    parser.add_argument("--newer", metavar="ID",
                        help="also write a newer release with this id (some papers and edges "
                        "updated, deleted, added) and the diff to it in OUT/diffs/")
    parser.add_argument("--seed", type=int, default=0, help="which records get the quirks (0)")
    parser.add_argument("--shards", type=int, default=2,
                        help="files per dataset, at least 2 (citations get twice as many)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Write the release(s); print one line per release and diff."""
    from explorer.s2ag.releases import newer_records, write_diff

    args = _parser().parse_args(argv)
    if args.newer is not None and args.newer <= args.release:
        print(f"error: the newer release {args.newer!r} must sort after {args.release!r}",
              file=sys.stderr)
        return 1
    try:
        papers, edges = corpus_records(args.corpus)
        releases = [(args.release, papers, edges)]
        if args.newer is not None:
            releases.append((args.newer, *newer_records(papers, edges, seed=args.seed)))
        for release, rel_papers, rel_edges in releases:
            counts = write_release(rel_papers, rel_edges, args.out / release, release=release,
                                   seed=args.seed, shards=args.shards)
            print(f"{args.out / release}: {counts.papers} papers, {counts.abstracts} "
                  f"abstracts, {counts.citations} citations ({counts.unresolved} unresolved, "
                  f"{counts.duplicates} duplicated), {counts.paper_ids} paper ids")
        if args.newer is not None:
            folder = args.out / "diffs" / f"{args.release}--{args.newer}"
            diff = write_diff(args.out / args.release, args.out / args.newer, folder)
            print(f"{folder}: " + ", ".join(f"{name} +{up}/-{down}"
                                            for name, (up, down) in diff.items()))
    except BadInputError as err:
        print(f"error: {err.worded({'corpus': '--corpus', 'shards': '--shards'})}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
