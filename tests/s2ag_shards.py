"""Tiny S2AG releases written by hand, one record per quirk, for the importer's tests.

Release A: five papers in two paper shards (paper 2 twice), citations in both shapes (shard
0 the newer one with citation ids and flat intents, shard 1 the older one with intents per
context and no ids), the edge 1 -> 2 in both shards, two unresolved references. Release B is
A with :data:`DIFF` applied, so a diff and a fresh import can be compared.
"""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

SHA = {n: f"{n:x}" * 40 for n in range(1, 7)}


def _sha(n: int) -> str:
    return SHA[n][:40]


def paper(n: int, year: int | None, fields: list[tuple[str, str]] | None, **more: Any) -> dict:
    record = {
        "corpusid": n,
        "externalids": {"DOI": None, "ArXiv": None, "ACL": None, "MAG": None, "DBLP": None,
                        "PubMed": None, "PubMedCentral": None, "CorpusId": str(n)},
        "url": f"https://www.semanticscholar.org/paper/{_sha(n)}", "title": f"Paper {n}",
        "authors": [{"authorId": str(100 + n), "name": f"Author {n}"}], "venue": "Venue",
        "publicationvenueid": None, "year": year, "referencecount": 1, "citationcount": 2,
        "influentialcitationcount": 0, "isopenaccess": False,
        "s2fieldsofstudy": None if fields is None else
        [{"category": c, "source": s} for c, s in fields],
        "publicationtypes": ["JournalArticle"], "publicationdate": None, "journal": None,
    }
    record.update(more)
    return record


CS, BIO = ("Computer Science", "external"), ("Biology", "external")
P1 = paper(1, 2017, [CS, ("Computer Science", "s2-fos-model"), ("Mathematics", "s2-fos-model")],
           publicationdate="2017-06-12", journal={"name": "J", "pages": "1-9", "volume": "3"},
           externalids={"DOI": "10.1/ABC", "ArXiv": "1706.03762v5", "ACL": "P17-1", "MAG": None,
                        "DBLP": None, "PubMed": None, "PubMedCentral": None, "CorpusId": "1"})
RELEASE_A: dict[str, list[list[dict]]] = {
    "papers": [
        [P1, paper(2, 2010, [BIO])],
        [paper(3, 2020, None), paper(4, 2019, [CS]), paper(2, 2010, [BIO]),
         paper(5, 2012, [BIO])],
    ],
    "abstracts": [[
        {"corpusid": 1, "abstract": "We propose <b>attention</b>.",
         "openaccessinfo": {"externalids": {}, "license": "CCBY", "url": "https://x/1.pdf",
                            "status": "GOLD"}},
        {"corpusid": 3, "abstract": "Three.", "openaccessinfo": {"externalids": {},
                                                                  "license": None, "url": None,
                                                                  "status": None}},
    ]],
    "citations": [
        [
            {"citationid": 10, "citingcorpusid": "1", "citedcorpusid": "2", "isinfluential": True,
             "contexts": ["as in [2]"], "intents": ["methodology", "background", "methodology"]},
            {"citationid": 11, "citingcorpusid": "1", "citedcorpusid": None,
             "isinfluential": False, "contexts": ["lost"], "intents": ["background"]},
            {"citationid": 12, "citingcorpusid": "3", "citedcorpusid": "1",
             "isinfluential": False, "contexts": None, "intents": None},
        ],
        [
            {"citingcorpusid": "4", "citedcorpusid": "1", "isinfluential": False,
             "contexts": ["a", "b"], "intents": [["background"], ["methodology", "background"]]},
            {"citationid": 10, "citingcorpusid": "1", "citedcorpusid": "2", "isinfluential": True,
             "contexts": ["as in [2]"], "intents": ["methodology", "background", "methodology"]},
            {"citingcorpusid": "3", "citedcorpusid": None, "isinfluential": False,
             "contexts": None, "intents": None},
            {"citingcorpusid": "2", "citedcorpusid": "4", "isinfluential": False,
             "contexts": [], "intents": []},
            {"citingcorpusid": "5", "citedcorpusid": "2", "isinfluential": False,
             "contexts": ["bio"], "intents": [["result"]]},
        ],
    ],
    "paper-ids": [[
        {"sha": _sha(1).upper(), "corpusid": 1, "primary": True},
        {"sha": "f" * 40, "corpusid": 1, "primary": False},
        {"sha": _sha(2), "corpusid": 2, "primary": True},
        {"sha": _sha(3), "corpusid": 3, "primary": True},
        {"sha": _sha(5), "corpusid": 5, "primary": True},
    ]],
}

DIFF: dict[str, dict[str, list[dict]]] = {
    "papers": {"updates": [paper(2, 2011, [BIO], title="Paper 2, revised"),
                           paper(6, 2022, [CS])],
               "deletes": [{"corpusid": 5}]},
    "abstracts": {"updates": [], "deletes": [{"corpusid": 3}]},
    "citations": {
        "updates": [{"citationid": 20, "citingcorpusid": "6", "citedcorpusid": "1",
                     "isinfluential": True, "contexts": ["new"], "intents": ["result"]},
                    {"citationid": 10, "citingcorpusid": "1", "citedcorpusid": "2",
                     "isinfluential": False, "contexts": ["as in [2]"],
                     "intents": ["background"]}],
        "deletes": [{"citationid": None, "citingcorpusid": "2", "citedcorpusid": "4"}]},
    "paper-ids": {"updates": [{"sha": _sha(4), "corpusid": 4, "primary": True},
                              {"sha": _sha(6), "corpusid": 6, "primary": True}],
                  "deletes": [{"sha": "f" * 40}]},
}


def _key(dataset: str, record: dict) -> tuple:
    if dataset == "citations":
        return (str(record["citingcorpusid"]), str(record["citedcorpusid"]))
    if dataset == "paper-ids":
        return (record["sha"].lower(),)
    return (record["corpusid"],)


def release_b() -> dict[str, list[list[dict]]]:
    """Release A with the diff applied record by record: deleted and updated keys leave
    every shard, the updates come in a shard of their own."""
    newer = copy.deepcopy(RELEASE_A)
    for dataset, change in DIFF.items():
        gone = {_key(dataset, r) for r in change["deletes"] + change["updates"]}
        newer[dataset] = [[r for r in shard if _key(dataset, r) not in gone]
                          for shard in newer[dataset]] + [change["updates"]]
    return newer


def write_shards(root: Path, release: dict[str, list[list[dict]]],
                 release_id: str | None = None) -> Path:
    """``release`` as a release folder at ``root``: ``<dataset>/part-0000N.jsonl.gz``."""
    for dataset, shards in release.items():
        (root / dataset).mkdir(parents=True, exist_ok=True)
        for i, records in enumerate(shards):
            write_gz(root / dataset / f"part-{i:05d}.jsonl.gz", records)
    if release_id:
        (root / "RELEASE").write_text(release_id + "\n", encoding="utf-8")
    return root


def write_diff(root: Path) -> Path:
    """:data:`DIFF` as a diff folder at ``root``: ``<dataset>/{updates,deletes}/*.gz``."""
    for dataset, change in DIFF.items():
        for kind, records in change.items():
            (root / dataset / kind).mkdir(parents=True, exist_ok=True)
            write_gz(root / dataset / kind / "part-00000.jsonl.gz", records)
    return root


def write_gz(path: Path, records: list[dict]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record) + "\n")
    return path
