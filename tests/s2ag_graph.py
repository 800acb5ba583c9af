"""Test fixture: a local S2AG graph written straight from a corpus with DuckDB, in the layout
of the S2AG contract (section 2), for the tests of the local source until the shard writer
and the importer exist."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from explorer.fake_s2.corpus import Corpus
from explorer.s2ag.graph_dir import FORMAT, SYNTHETIC

_COLUMNS = {
    "papers": {
        "corpusid": "BIGINT", "paperid": "VARCHAR", "title": "VARCHAR", "year": "INTEGER",
        "venue": "VARCHAR", "publicationdate": "DATE", "referencecount": "INTEGER",
        "citationcount": "INTEGER", "influentialcitationcount": "INTEGER",
        "isopenaccess": "BOOLEAN", "fieldsofstudy": "VARCHAR[]",
        "publicationtypes": "VARCHAR[]", "authors": "VARCHAR", "externalids": "VARCHAR",
        "journal": "VARCHAR", "url": "VARCHAR", "doi": "VARCHAR", "arxiv": "VARCHAR",
        "acl": "VARCHAR", "in_slice": "BOOLEAN"},
    "abstracts": {"corpusid": "BIGINT", "abstract": "VARCHAR", "openaccesspdf": "VARCHAR"},
    "citations": {"citationid": "BIGINT", "citing": "BIGINT", "cited": "BIGINT",
                  "isinfluential": "BOOLEAN", "contexts": "VARCHAR[]", "intents": "VARCHAR[]"},
    "paper_ids": {"sha": "VARCHAR", "corpusid": "BIGINT", "primary": "BOOLEAN"},
}
_ORDER = {"papers.parquet": ("papers", "corpusid"), "abstracts.parquet": ("abstracts", "corpusid"),
          "citations_by_cited.parquet": ("citations", "cited, citing"),
          "citations_by_citing.parquet": ("citations", "citing, cited"),
          "paper_ids.parquet": ("paper_ids", "sha")}


def corpus_id(paper: Mapping[str, Any]) -> int:
    """The paper's corpus id, or a synthetic one made from its sha."""
    cid = paper.get("corpusId")
    if isinstance(cid, int):
        return cid
    return SYNTHETIC + int(hashlib.sha1(str(paper["paperId"]).encode()).hexdigest()[:10], 16)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _paper_row(p: Mapping[str, Any], cid: int) -> dict[str, Any]:
    ids = {k: v for k, v in (p.get("externalIds") or {}).items() if v is not None}
    if isinstance(p.get("corpusId"), int):
        ids["CorpusId"] = p["corpusId"]
    date = p.get("publicationDate")
    arxiv = ids.get("ArXiv")
    return {
        "corpusid": cid, "paperid": p["paperId"], "title": p.get("title"), "year": p.get("year"),
        "venue": p.get("venue"),
        "publicationdate": date if isinstance(date, str) and re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", date) else None,
        "referencecount": p.get("referenceCount"), "citationcount": p.get("citationCount"),
        "influentialcitationcount": p.get("influentialCitationCount"),
        "isopenaccess": p.get("isOpenAccess"), "fieldsofstudy": p.get("fieldsOfStudy"),
        "publicationtypes": p.get("publicationTypes"), "authors": _json(p.get("authors")),
        "externalids": json.dumps(ids) if p.get("externalIds") is not None else None,
        "journal": _json(p.get("journal")), "url": p.get("url"),
        "doi": str(ids["DOI"]).lower() if ids.get("DOI") else None,
        "arxiv": re.sub(r"v\d+$", "", str(arxiv)).lower() if arxiv else None,
        "acl": str(ids["ACL"]).lower() if ids.get("ACL") else None, "in_slice": True,
    }


def write_graph(corpus: Corpus, folder: Path) -> Path:
    """Write ``corpus`` as a local graph in ``folder`` (made if missing); returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in _COLUMNS}
    cids = {pid: corpus_id(p) for pid, p in corpus.papers.items()}
    for pid, p in corpus.papers.items():
        tables["papers"].append(_paper_row(p, cids[pid]))
        tables["paper_ids"].append({"sha": pid, "corpusid": cids[pid], "primary": True})
        if p.get("abstract") is not None or p.get("openAccessPdf") is not None:
            tables["abstracts"].append({"corpusid": cids[pid], "abstract": p.get("abstract"),
                                        "openaccesspdf": _json(p.get("openAccessPdf"))})
    unresolved = 0
    for pid in list(corpus.papers):
        for e in corpus.citations_of(pid):
            citing = e.get("citingPaperId")
            if not citing:
                unresolved += 1
                continue
            if citing not in cids:
                cids[citing] = corpus_id({"paperId": citing})
                tables["paper_ids"].append({"sha": citing, "corpusid": cids[citing],
                                            "primary": True})
            tables["citations"].append({
                "citationid": None, "citing": cids[citing], "cited": cids[pid],
                "isinfluential": e.get("isInfluential"), "contexts": e.get("contexts") or [],
                "intents": e.get("intents") or []})
    db = duckdb.connect(":memory:")
    with tempfile.TemporaryDirectory() as tmp:
        for name, rows in tables.items():
            source = Path(tmp) / f"{name}.jsonl"
            source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
            cols = ", ".join(f"'{c}': '{t}'" for c, t in _COLUMNS[name].items())
            db.execute(f"CREATE TABLE {name} AS SELECT * FROM read_json('{source}', "
                       f"format='newline_delimited', columns={{{cols}}})")
        for file, (table, order) in _ORDER.items():
            db.execute(f"COPY (SELECT * FROM {table} ORDER BY {order}) TO "
                       f"'{folder / file}' (FORMAT parquet, COMPRESSION zstd)")
    db.close()
    manifest = {"format": FORMAT, "release": None, "slice": {"fields": None, "years": None},
                "counts": {"papers": len(tables["papers"]),
                           "citations": len(tables["citations"]),
                           "unresolved": unresolved, "duplicates": 0},
                "imported": "2026-12-02T00:00:00+00:00"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder
