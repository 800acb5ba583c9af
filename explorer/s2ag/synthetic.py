"""A seeded synthetic corpus of N citation edges, written straight as S2AG release shards.

For the 1 M and 10 M edge benchmarks: papers in publication order (years 1970-2025), each
citing about :data:`MEAN_REFS` older papers picked with a strong bias to the oldest, which
gives power-law citation counts; a few fields of study that papers mostly inherit from what
they cite; titles and abstracts from a small vocabulary; some contexts and intents. The
records go through :class:`~explorer.s2ag.release_writer.ReleaseWriter`, so they carry the
real datasets' quirks. Memory is a few arrays of one number per paper, never one object per
edge: the edges are drawn twice from the same seed, once to count each paper's citations and
once to write them. With ``corpus``, the same pass also writes the API-shaped records the
shards were written from as the fake Semantic Scholar's corpus, so the API walk and the
imported graph can be compared on one data set.

Command line::

    python -m explorer.s2ag.synthetic --edges 1000000 --out /tmp/synthetic
"""

from __future__ import annotations

import argparse
import gzip
import math
import random
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np

from explorer.errors import BadInputError
from explorer.s2ag.release_writer import ReleaseCounts, ReleaseWriter
from explorer.s2ag.shard_files import dumps
from explorer.s2ag.shard_records import stable_sha

__all__ = ["MEAN_REFS", "FIELDS", "paper_count", "write_synthetic", "main"]

MEAN_REFS = 10
"""References a paper has on average."""
FIELDS = ("Computer Science", "Medicine", "Physics", "Biology", "Mathematics")
FIRST_CORPUS_ID = 10_000_000
FIRST_YEAR, LAST_YEAR = 1970, 2025
_INHERIT = 0.8  # chance that a paper takes the field of its first reference
_WORDS = (
    "graph", "citation", "network", "learning", "neural", "model", "analysis", "protein",
    "quantum", "language", "deep", "sparse", "random", "clinical", "trial", "theory",
    "inference", "data", "efficient", "robust", "scalable", "optimal", "dynamics", "field",
    "spectral", "embedding", "attention", "transfer", "causal", "bayesian", "search",
    "structure", "survey", "method", "evidence", "large", "small", "fast", "local", "global",
)
_GIVEN = ("Ada", "Alan", "Grace", "Claude", "Emmy", "John", "Marie", "Kurt", "Edsger", "Barbara")
_FAMILY = ("Lovelace", "Turing", "Hopper", "Shannon", "Noether", "Neumann", "Curie", "Gödel",
           "Dijkstra", "Liskov", "Knuth", "Lamport")
_INTENTS = (("background",), ("methodology",), ("result",), ("methodology", "background"))


def paper_count(edges: int) -> int:
    """Papers for ``edges`` edges: about one per :data:`MEAN_REFS` edges, and enough that
    each cites only older papers with room to spare."""
    fit = math.ceil((1 + math.sqrt(1 + 16 * edges)) / 2)  # p (p - 1) / 2 >= 2 * edges
    return max(2, math.ceil(edges / MEAN_REFS), fit)


def _reference_counts(edges: int, papers: int, seed: int) -> np.ndarray:
    """References of each paper: Poisson around the mean, at most the papers before it,
    adjusted to sum to exactly ``edges``."""
    rng = np.random.default_rng(seed)
    cap = np.arange(papers)
    counts = np.minimum(rng.poisson(MEAN_REFS, papers), cap)
    while (gap := edges - int(counts.sum())) != 0:
        picks = rng.integers(1, papers, abs(gap))
        np.add.at(counts, picks, 1 if gap > 0 else -1)
        counts = np.clip(counts, 0, cap)
    return counts


def _references(counts: np.ndarray, seed: int) -> Iterator[tuple[int, list[int], list[float]]]:
    """(paper, the older papers it cites, a draw in [0, 1) per reference), the same for the
    same counts and seed."""
    rng = random.Random(seed)
    draw = rng.random
    for paper, k in enumerate(counts.tolist()):
        if k == 0:
            yield paper, [], []
            continue
        if k > paper // 2:
            cited = rng.sample(range(paper), k)
        else:
            chosen: dict[int, None] = {}
            while len(chosen) < k:
                chosen[int(paper * draw() ** 3)] = None
            cited = list(chosen)
        yield paper, cited, [draw() for _ in cited]


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high)))


def _paper(index: int, papers: int, field: int, cites: int, influential: int, refs: int,
           rng: random.Random, seed: int) -> dict[str, Any]:
    """An API-shaped paper record."""
    corpusid = FIRST_CORPUS_ID + index
    sha = _sha(index, seed)
    year = FIRST_YEAR + (LAST_YEAR - FIRST_YEAR) * index // papers
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    title = _words(rng, 4, 8)
    other = rng.choice([f for f in range(len(FIELDS)) if f != field])
    has_doi, has_abstract = rng.random() < 0.6, rng.random() < 0.5
    pdf = rng.random() < 0.2
    return {
        "paperId": sha, "corpusId": corpusid,
        "externalIds": {"DOI": f"10.5555/synthetic.{corpusid}" if has_doi else None,
                        "MAG": str(3_000_000_000 + index), "CorpusId": corpusid},
        "url": f"https://www.semanticscholar.org/paper/{sha}",
        "title": title[0].upper() + title[1:],
        "abstract": _words(rng, 20, 40).capitalize() + "." if has_abstract else None,
        "venue": f"Journal of {FIELDS[field]}", "year": year,
        "referenceCount": refs, "citationCount": cites,
        "influentialCitationCount": influential, "isOpenAccess": pdf,
        "openAccessPdf": {"url": f"https://example.org/pdf/{corpusid}.pdf", "status": "GREEN",
                          "license": "CCBY"} if pdf else None,
        "fieldsOfStudy": [FIELDS[field]],
        "s2FieldsOfStudy": [{"category": FIELDS[field], "source": "external"},
                            {"category": FIELDS[field], "source": "s2-fos-model"},
                            {"category": FIELDS[other], "source": "s2-fos-model"}],
        "publicationTypes": ["JournalArticle"], "publicationDate": f"{year}-{month:02d}-{day:02d}",
        "journal": {"name": f"Journal of {FIELDS[field]}", "pages": f"{day}-{day + 9}",
                    "volume": str(year - FIRST_YEAR + 1)},
        "authors": [{"authorId": str(1000 + (index * 7 + a) % 50_000),
                     "name": f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"}
                    for a in range(rng.randint(1, 4))],
    }


def _edge(draw: float) -> dict[str, Any]:
    """The API-shaped fields of a citation from its draw: 10 % influential, 20 % with a
    context and intents."""
    if draw >= 0.2:
        return {"isInfluential": draw < 0.1, "contexts": [], "intents": []}
    n = int(draw * 1000)
    return {"isInfluential": draw < 0.1,
            "contexts": [f"as in the {_WORDS[n % len(_WORDS)]} work of [{n % 30 + 1}]"],
            "intents": list(_INTENTS[n % len(_INTENTS)])}


def _sha(index: int, seed: int) -> str:
    return stable_sha(f"synthetic:{seed}:{index}")


def write_synthetic(edges: int, out: str | Path, *, seed: int = 0,
                    release: str = "2026-11-24", shards: int = 2,
                    level: int = 6, corpus: str | Path | None = None) -> ReleaseCounts:
    """Write a synthetic release of exactly ``edges`` resolved citations into ``out``.

    Parameters
    ----------
    edges : resolved citation edges (unresolved references and duplicates come on top).
    out : the release folder (``out/<dataset>/part-NNNNN.jsonl.gz``, ``out/RELEASE``).
    seed : the same seed writes the same bytes.
    release, shards, level : as :class:`~explorer.s2ag.release_writer.ReleaseWriter` takes.
    corpus : a folder to write the same papers and edges into as the fake Semantic Scholar
        serves them (``papers.jsonl.gz``, ``citations.jsonl.gz``, API shape); the extra
        unresolved references are the datasets' alone.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     counts = write_synthetic(50, folder)
    >>> counts.citations - counts.unresolved, counts.papers
    (50, 15)
    """
    if edges < 1:
        raise BadInputError("{edges} must be at least 1", parameter="edges", value=edges,
                            bound=1)
    papers = paper_count(edges)
    counts = _reference_counts(edges, papers, seed)
    cites = np.zeros(papers, dtype=np.int64)
    influential = np.zeros(papers, dtype=np.int64)
    for _, cited, draws in _references(counts, seed):
        if cited:
            cites[cited] += 1
            np.add.at(influential, [c for c, d in zip(cited, draws, strict=True) if d < 0.1], 1)
    field = np.zeros(papers, dtype=np.int8)
    rng = random.Random(f"{seed}:papers")
    with ExitStack() as files:
        writer = files.enter_context(ReleaseWriter(out, release=release, seed=seed,
                                                   shards=shards, level=level))
        api = _corpus_files(files, corpus, level)
        for paper, cited, draws in _references(counts, seed):
            field[paper] = (field[cited[0]] if cited and rng.random() < _INHERIT
                            else rng.randrange(len(FIELDS)))
            record = _paper(paper, papers, int(field[paper]), int(cites[paper]),
                            int(influential[paper]), len(cited), rng, seed)
            citing = FIRST_CORPUS_ID + paper
            writer.paper(record, citing)
            if api:
                api[0].write(dumps(record) + "\n")
            for target, draw in zip(cited, draws, strict=True):
                writer.edge(citing, FIRST_CORPUS_ID + target, _edge(draw))
                if api:
                    api[1].write(dumps({"citingPaperId": record["paperId"],
                                        "citedPaperId": _sha(target, seed),
                                        **_edge(draw)}) + "\n")
            writer.extra_unresolved(record["paperId"], citing)
    return writer.counts()


def _corpus_files(files: ExitStack, corpus: str | Path | None, level: int) -> list[Any]:
    """The corpus's ``papers.jsonl.gz`` and ``citations.jsonl.gz`` open for writing (none
    without ``corpus``)."""
    if corpus is None:
        return []
    folder = Path(corpus)
    folder.mkdir(parents=True, exist_ok=True)
    return [files.enter_context(gzip.open(folder / f"{name}.jsonl.gz", "wt", encoding="utf-8",
                                          compresslevel=level))
            for name in ("papers", "citations")]


_EPILOG = """\
examples:
  python -m explorer.s2ag.synthetic --edges 1000000 --out /tmp/synthetic
  # /tmp/synthetic/2026-11-24/{papers,abstracts,citations,paper-ids}/part-*.jsonl.gz
  python -m explorer.s2ag.synthetic --edges 10000000 --out /tmp/synthetic --shards 8 --seed 1
"""


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    """Write the synthetic release; print what it holds, how long it took, its size."""
    parser = argparse.ArgumentParser(
        prog="python -m explorer.s2ag.synthetic",
        description="Write a seeded synthetic S2AG release of N citation edges (power-law "
        "citation counts, years, fields of study), with the real datasets' quirks.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edges", type=int, required=True, help="resolved citation edges")
    parser.add_argument("--out", type=Path, required=True,
                        help="folder of releases: the release goes to OUT/<release id>/")
    parser.add_argument("--release", default="2026-11-24", help="release id (2026-11-24)")
    parser.add_argument("--seed", type=int, default=0, help="the same seed, the same bytes (0)")
    parser.add_argument("--shards", type=int, default=2,
                        help="files per dataset, at least 2 (citations get twice as many)")
    parser.add_argument("--level", type=int, default=6, choices=range(1, 10), metavar="1-9",
                        help="gzip level (6)")
    args = parser.parse_args(argv)
    folder = args.out / args.release
    if folder.exists():
        print(f"error: {folder} exists; remove it or pick another release id",
              file=sys.stderr)
        return 1
    start = time.perf_counter()
    try:
        counts = write_synthetic(args.edges, folder, seed=args.seed, release=args.release,
                                 shards=args.shards, level=args.level)
    except BadInputError as err:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"error: {err.worded({'edges': '--edges', 'shards': '--shards'})}",
              file=sys.stderr)
        return 1
    seconds = time.perf_counter() - start
    print(f"{folder}: {counts.papers} papers, {counts.citations - counts.unresolved} edges "
          f"(+{counts.unresolved} unresolved, {counts.duplicates} duplicated), "
          f"{_size(folder) / 1e6:.1f} MB in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
