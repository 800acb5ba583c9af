"""One release's shards written record by record: :class:`ReleaseWriter`, shared by the
writer from a corpus (:mod:`.shards`) and the synthetic corpus (:mod:`.synthetic`).

It puts the quirks of the real datasets in, each at a small stable rate (:data:`RATES`):
citation shards of two shapes (the first half older: no ``citationid``, intents one list per
context, null for no contexts; the second half newer: flat intents, lists), some edges
written identically to a second shard of the same shape, an extra unresolved reference
(null ``citedcorpusid``) for some papers, a second non-primary sha for some papers. Which
record gets which depends only on its key and the seed, so an unchanged record keeps its
shard and shape from one release to the next. Memory is bounded: nothing is kept per record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from explorer.errors import BadInputError
from explorer.s2ag.shard_files import ShardWriter, bucket, picked
from explorer.s2ag.shard_records import (
    abstract_record,
    citation_record,
    paper_ids_record,
    paper_record,
    stable_int,
    stable_sha,
)

__all__ = ["RATES", "ReleaseCounts", "ReleaseWriter"]

RATES = {"duplicate": 0.03, "unresolved": 0.05, "extra_sha": 0.02}
"""Shares of edges written twice, of papers given an extra unresolved reference, and of
papers given a second, non-primary sha."""

_CONTEXTS = ("as shown in earlier work [{n}]", "we follow the method of [{n}]",
             "see [{n}] for a survey")
_INTENTS = (("background",), ("methodology", "background"), ("result",))


@dataclass(frozen=True)
class ReleaseCounts:
    """What a release holds: records per dataset (``citations`` counts each distinct edge
    once, resolved or not), and how many of the quirks."""

    release: str
    papers: int
    abstracts: int
    paper_ids: int
    citations: int
    unresolved: int
    duplicates: int
    older_shape: int
    skipped_edges: int = 0


class ReleaseWriter:
    """Write a release into ``out``: ``out/<dataset>/part-NNNNN.jsonl.gz`` for papers,
    abstracts, paper-ids (``shards`` files each) and citations (``2 * shards``), and
    ``out/RELEASE`` when closed without an error.

    Parameters
    ----------
    out : the release folder.
    release : its id, written to ``out/RELEASE``.
    seed : varies which records carry the quirks.
    shards : files per dataset, at least 2.
    level : gzip compression level.
    """

    def __init__(self, out: str | Path, *, release: str, seed: int = 0, shards: int = 2,
                 level: int = 6):
        if shards < 2:
            raise BadInputError("{shards} must be at least 2", parameter="shards",
                                value=shards, bound=2)
        self.out, self.release, self.seed, self.shards = Path(out), release, seed, shards
        self._papers = ShardWriter(self.out / "papers", shards, level=level)
        self._abstracts = ShardWriter(self.out / "abstracts", shards, level=level)
        self._ids = ShardWriter(self.out / "paper-ids", shards, level=level)
        self._citations = ShardWriter(self.out / "citations", 2 * shards, level=level)
        self._writers = (self._papers, self._abstracts, self._ids, self._citations)
        self.papers = self.abstracts = self.paper_ids = 0
        self.edges = self.unresolved = self.duplicates = self.older = 0

    def paper(self, api: Mapping[str, Any], corpusid: int) -> None:
        """Write an API-shaped paper: its papers, abstracts and paper-ids records (and, for
        some, an extra non-primary sha)."""
        sha = str(api["paperId"]).lower()
        shard = bucket(str(corpusid), self.shards, f"{self.seed}:papers")
        self._papers.write(shard, paper_record(api, corpusid))
        self.papers += 1
        abstract = abstract_record(api, corpusid)
        if abstract is not None:
            self._abstracts.write(shard, abstract)
            self.abstracts += 1
        self.sha(sha, corpusid, primary=True)
        if picked(sha, RATES["extra_sha"], f"{self.seed}:extra_sha"):
            self.sha(stable_sha(f"{self.seed}:{sha}:extra"), corpusid, primary=False)

    def sha(self, sha: str, corpusid: int, *, primary: bool) -> None:
        """Write one paper-ids record."""
        self._ids.write(bucket(sha, self.shards, f"{self.seed}:paper-ids"),
                        paper_ids_record(sha, corpusid, primary))
        self.paper_ids += 1

    def edge(self, citing: int, cited: int | None, edge: Mapping[str, Any]) -> None:
        """Write a citation (``cited`` None: unresolved) with the edge's ``isInfluential``,
        ``contexts`` and ``intents`` (API shape); some go to a second shard too."""
        key = f"{citing}>{'' if cited is None else cited}"
        n = 2 * self.shards
        shard = bucket(key, n, f"{self.seed}:citations")
        older = shard < self.shards
        record = citation_record(
            citing, cited, influential=edge.get("isInfluential"),
            contexts=edge.get("contexts"), intents=edge.get("intents"),
            citationid=stable_int(key), older=older)
        self._citations.write(shard, record)
        self.edges += 1
        self.unresolved += cited is None
        self.older += older
        if picked(key, RATES["duplicate"], f"{self.seed}:duplicate"):
            base = 0 if older else self.shards
            self._citations.write(base + (shard - base + 1) % self.shards, record)
            self.duplicates += 1

    def extra_unresolved(self, sha: str, citing: int) -> bool:
        """For the papers picked for it, write an unresolved reference with contexts and
        intents; return whether one was written."""
        if not picked(sha, RATES["unresolved"], f"{self.seed}:unresolved"):
            return False
        n = bucket(sha, 120, f"{self.seed}:context")
        kind = n % 3
        contexts: Sequence[str] = [c.format(n=n % 40 + 1)
                                   for c in _CONTEXTS[kind:kind + 1 + n % 2]]
        self.edge(citing, None, {"isInfluential": False, "contexts": contexts,
                                 "intents": list(_INTENTS[kind])})
        return True

    def close(self, *, keep: bool = True) -> None:
        """Finish the files, and write ``RELEASE`` (``keep``) or remove them."""
        for writer in self._writers:
            writer.close(keep=keep)
        if keep:
            (self.out / "RELEASE").write_text(self.release + "\n", encoding="utf-8")

    def counts(self, skipped_edges: int = 0) -> ReleaseCounts:
        """What was written so far."""
        return ReleaseCounts(self.release, self.papers, self.abstracts, self.paper_ids,
                             self.edges, self.unresolved, self.duplicates, self.older,
                             skipped_edges)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close(keep=kind is None)
