"""A newer release made from a corpus, and the diff between two releases on disk.

:func:`newer_records` changes a corpus as a week of S2 would: some papers updated, some
deleted (with their edges), some added (citing older ones), edges added and deleted, some
edges' influence flipped. :func:`write_diff` compares two release folders dataset by dataset
and writes what turns the older into the newer, in the Datasets API's layout: upsert the
``updates`` records by primary key, remove the ``deletes`` keys.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from explorer.s2ag.shard_files import DATASETS, ShardWriter, read_dataset
from explorer.s2ag.shard_records import stable_sha

__all__ = ["CHANGES", "newer_records", "record_key", "write_diff", "delete_record"]

CHANGES = {"update": 0.05, "delete": 0.02, "add": 0.03, "edge_delete": 0.03,
           "edge_add": 0.02, "edge_update": 0.01}
"""Shares of papers updated, deleted and added, and of edges deleted, added and updated."""

_CITES_PER_NEW_PAPER = 3


def _share(items: Sequence[Any], rate: float, rng: random.Random) -> list[Any]:
    """A seeded sample of ``rate`` of ``items`` (at least one when there are any)."""
    k = min(len(items), max(1, round(len(items) * rate))) if items else 0
    return rng.sample(list(items), k)


def _updated(paper: Mapping[str, Any], n: int) -> dict[str, Any]:
    record = dict(paper)
    record["citationCount"] = (record.get("citationCount") or 0) + 1 + n % 3
    if n % 2 and record.get("abstract"):
        record["abstract"] = record["abstract"] + " (Revised.)"
    return record


def _added(template: Mapping[str, Any], n: int, corpusid: int, seed: int) -> dict[str, Any]:
    sha = stable_sha(f"newer:{seed}:{n}")
    record = dict.fromkeys(template, None)
    record.update({
        "paperId": sha, "corpusId": corpusid, "externalIds": {"CorpusId": corpusid},
        "url": f"https://www.semanticscholar.org/paper/{sha}",
        "title": f"A follow-up study of citation graphs, part {n + 1}",
        "abstract": f"We revisit earlier work (part {n + 1}).", "venue": template.get("venue"),
        "year": template.get("year"), "referenceCount": _CITES_PER_NEW_PAPER,
        "citationCount": 0, "influentialCitationCount": 0, "isOpenAccess": False,
        "fieldsOfStudy": template.get("fieldsOfStudy"),
        "s2FieldsOfStudy": template.get("s2FieldsOfStudy"),
        "authors": [{"authorId": str(90_000_000 + n), "name": f"A. Follower {n + 1}"}],
    })
    record.pop("syntheticId", None)
    return record


def newer_records(papers: Sequence[Mapping[str, Any]], edges: Iterable[Mapping[str, Any]],
                  *, seed: int = 0) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The papers and edges of a newer release of the same corpus (API shapes).

    Deterministic for a given input and ``seed``; the shares are :data:`CHANGES`.

    Examples
    --------
    >>> papers = [{"paperId": c * 40, "corpusId": i + 1} for i, c in enumerate("abcd")]
    >>> newer, _ = newer_records(papers, [])
    >>> len(newer)   # one deleted, one added
    4
    """
    rng = random.Random(seed)
    shas = [str(p["paperId"]).lower() for p in papers]
    deleted = set(_share(shas, CHANGES["delete"], rng))
    kept = [s for s in shas if s not in deleted]
    updated = set(_share(kept, CHANGES["update"], rng))
    out: list[dict[str, Any]] = []
    for n, paper in enumerate(papers):
        sha = str(paper["paperId"]).lower()
        if sha not in deleted:
            out.append(_updated(paper, n) if sha in updated else dict(paper))
    top = max((int(p["corpusId"]) for p in papers if p.get("corpusId") is not None),
              default=0)
    template = papers[0] if papers else {}
    added = [_added(template, n, top + 1 + n, seed)
             for n in range(max(1, round(len(papers) * CHANGES["add"])))]
    out += added

    edge_list = [dict(e) for e in edges if e.get("citingPaperId") not in deleted
                 and e.get("citedPaperId") not in deleted]
    dropped = {id(e) for e in _share(edge_list, CHANGES["edge_delete"], rng)}
    flipped = {id(e) for e in _share(edge_list, CHANGES["edge_update"], rng)}
    new_edges = []
    for edge in edge_list:
        if id(edge) in dropped:
            continue
        if id(edge) in flipped:
            edge["isInfluential"] = not edge.get("isInfluential")
        new_edges.append(edge)
    pairs = {(e.get("citingPaperId"), e.get("citedPaperId")) for e in new_edges}
    targets = sorted(kept)

    def add_edge(citing: str, cited: str) -> None:
        if citing != cited and (citing, cited) not in pairs:
            pairs.add((citing, cited))
            new_edges.append({"citingPaperId": citing, "citedPaperId": cited,
                              "isInfluential": False, "contexts": [], "intents": []})

    for paper in added:
        for cited in rng.sample(targets, min(_CITES_PER_NEW_PAPER, len(targets))):
            add_edge(paper["paperId"], cited)
    for _ in range(max(1, round(len(edge_list) * CHANGES["edge_add"])) if targets else 0):
        add_edge(rng.choice(targets), rng.choice(targets))
    return out, new_edges


def record_key(dataset: str, record: Mapping[str, Any]) -> Any:
    """The primary key of a record of ``dataset``: ``corpusid``; ``sha`` for paper-ids; the
    (citing, cited) pair for citations."""
    if dataset == "paper-ids":
        return record["sha"]
    if dataset == "citations":
        return (record["citingcorpusid"], record["citedcorpusid"])
    return record["corpusid"]


def delete_record(dataset: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """What a diff's delete file holds for ``record``: its key fields only."""
    if dataset == "paper-ids":
        return {"sha": record["sha"]}
    if dataset == "citations":
        return {"citationid": record.get("citationid"),
                "citingcorpusid": record["citingcorpusid"],
                "citedcorpusid": record["citedcorpusid"]}
    return {"corpusid": record["corpusid"]}


def _keyed(dataset: str, folder: Path) -> dict[Any, dict[str, Any]]:
    return {record_key(dataset, r): r for r in read_dataset(folder / dataset)}


def write_diff(old: str | Path, new: str | Path, out: str | Path) -> dict[str, tuple[int, int]]:
    """Write the diff turning release folder ``old`` into ``new`` into ``out``:
    ``out/<dataset>/updates/*.gz`` (new or changed records, whole) and
    ``out/<dataset>/deletes/*.gz`` (keys of records gone). Return (updates, deletes) per
    dataset. Reads both releases into memory: meant for test-sized corpora."""
    old, new, out = Path(old), Path(new), Path(out)
    counts = {}
    for dataset in DATASETS:
        before, after = _keyed(dataset, old), _keyed(dataset, new)
        with (ShardWriter(out / dataset / "updates", 1) as updates,
              ShardWriter(out / dataset / "deletes", 1) as deletes):
            for key, record in after.items():
                if before.get(key) != record:
                    updates.write(0, record)
            for key, record in before.items():
                if key not in after:
                    deletes.write(0, delete_record(dataset, record))
        counts[dataset] = (updates.counts[0], deletes.counts[0])
    return counts
