"""The local S2AG graph as a source: what the walker asks of Semantic Scholar, answered from
the importer's Parquet files through DuckDB, with no request and none of S2's caps.

:class:`LocalGraph` has the interface of :class:`explorer.sources.s2.S2Client` that explorer
uses (``paper``, ``papers``, ``match_title``, ``page``, ``requests``, ``requester``,
``close``) and returns records in the API's shape (:mod:`explorer.s2ag.records`). A paper is
named in any form S2 takes (sha, ``CorpusId:``, ``DOI:``, ``ARXIV:``, ``ACL:``, ``PMID:``,
``URL:`` ...: :func:`explorer.fake_s2.corpus.lookup_key`). A listing holds every citer or
reference in one page, ordered by the other paper's corpus id, and each query reads the edge
file sorted by the side it looks up, with the ids passed as parameters.

Searching by words, recommendations and SPECTER vectors are not in the datasets: asking for
them raises :class:`~explorer.errors.GraphUnsupportedError`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from explorer.errors import (
    BadInputError,
    Cancelled,
    GraphError,
    GraphUnsupportedError,
    NotFoundError,
)
from explorer.fake_s2.corpus import lookup_key, normalize_title
from explorer.fake_s2.dates import in_range, parse_range
from explorer.fake_s2.fields import FieldSpec
from explorer.fake_s2.responses import ApiError
from explorer.s2ag.graph_dir import SYNTHETIC, read_manifest
from explorer.s2ag.records import Row, edge_item, field_spec, paper_record, stub
from explorer.s2ag.tables import FILES, quote
from explorer.sources.s2 import EDGE_FIELDS, PAPER_FIELDS, SEED_FIELDS, Page

__all__ = ["GraphRequester", "LocalGraph"]

_ID_COLUMNS = {"doi": "doi", "arxiv": "arxiv", "acl": "acl"}
_EXTERNAL = {"mag": "MAG", "pubmed": "PubMed", "pmc": "PubMedCentral"}
_SIDES = {  # listing -> (edge file, the paper's column, the other paper's column, side)
    "citations": ("by_cited", "cited", "citing", "citing"),
    "references": ("by_citing", "citing", "cited", "cited"),
}
_TITLE = ("trim(regexp_replace(lower(strip_accents(title)), '[^a-z0-9]+', ' ', 'g'))")


class GraphRequester:
    """What callers use of :class:`~explorer.sources.s2.Requester`: the request count
    (always 0), the pacing (none), the cancel hook, and ``request``, which names what the
    graph cannot answer."""

    min_interval = 0.0

    def __init__(self, path: Path) -> None:
        self.path = path
        self.requests = 0
        self.cancel: Any = None

    def request(self, url: str, parameters: str = "", payload: dict | None = None) -> Any:
        if "/recommendations" in url:
            what = "recommendations"
        elif "embedding" in parameters:
            what = "SPECTER vectors"
        elif "/search" in url:
            what = "searching by words"
        else:
            what = "this question"
        raise GraphUnsupportedError(str(self.path), what)

    def close(self) -> None:
        pass


class LocalGraph:
    """Papers and citations from the local graph at ``path`` (see the module docstring).

    Parameters
    ----------
    path : str or Path
        A folder written by the S2AG importer (``manifest.json`` and the Parquet files).
    threads : int, optional
        DuckDB's worker threads (its default: one per core).

    Raises
    ------
    GraphError
        When ``path`` holds no graph this explorer reads, or lacks one of its files.
    """

    uncapped = True
    """No window on listings: the walker never needs date slices here."""

    def __init__(self, path: str | Path, *, threads: int | None = None) -> None:
        self.path = Path(path).expanduser()
        self.manifest = read_manifest(self.path)
        missing = [name for name in FILES.values() if not (self.path / name).is_file()]
        if missing:
            raise GraphError(str(self.path), f"{', '.join(missing)} missing")
        self.base = str(self.path)
        self.requester = GraphRequester(self.path)
        self._lock = threading.Lock()
        self._db = duckdb.connect(":memory:")
        if threads is not None:
            self._db.execute(f"SET threads TO {int(threads)}")
        for view, name in FILES.items():
            self._db.execute(f"CREATE VIEW {view} AS SELECT * FROM "
                             f"read_parquet({quote(str(self.path / name))})")

    @property
    def requests(self) -> int:
        return 0

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> LocalGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # queries

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cancel = self.requester.cancel
        if cancel is not None and cancel():
            raise Cancelled("cancelled; what was fetched is kept")
        with self._lock:
            cur = self._db.execute(sql, list(params))
            names = [d[0] for d in cur.description or ()]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def _lookup(self, kind: str, values: list[str]) -> dict[str, int]:
        """Index value -> corpus id, for values of one id kind (one query)."""
        if kind == "paperid":
            sql = "SELECT sha AS k, corpusid FROM paper_ids WHERE sha IN (SELECT unnest(?))"
        elif kind == "corpusid":
            values = [v for v in values if v.isascii() and v.isdigit() and int(v) < SYNTHETIC]
            sql = ("SELECT CAST(corpusid AS VARCHAR) AS k, corpusid FROM papers "
                   "WHERE corpusid IN (SELECT unnest(CAST(? AS BIGINT[])))")
        elif kind in _ID_COLUMNS:
            sql = (f"SELECT {_ID_COLUMNS[kind]} AS k, min(corpusid) AS corpusid FROM papers "
                   f"WHERE {_ID_COLUMNS[kind]} IN (SELECT unnest(?)) GROUP BY k")
        elif kind in _EXTERNAL:
            key = f"lower(json_extract_string(externalids, '$.{_EXTERNAL[kind]}'))"
            if kind == "pmc":
                key = f"regexp_replace({key}, '^pmc', '')"
            sql = (f"SELECT k, min(corpusid) AS corpusid FROM (SELECT {key} AS k, corpusid "
                   f"FROM papers) WHERE k IN (SELECT unnest(?)) GROUP BY k")
        else:
            return {}
        if not values:
            return {}
        return {r["k"]: r["corpusid"] for r in self._query(sql, [values])}

    def _resolve(self, ids: Sequence[str]) -> list[int | None]:
        """The corpus id each paper id names, or None; one query per id kind."""
        keys = [lookup_key(i) for i in ids]
        wanted: dict[str, set[str]] = {}
        for key in keys:
            if key is not None:
                wanted.setdefault(key[0], set()).add(key[1])
        found = {(kind, value): cid for kind, values in wanted.items()
                 for value, cid in self._lookup(kind, sorted(values)).items()}
        return [found.get(key) if key is not None else None for key in keys]

    def _rows(self, cids: Iterable[int], abstracts: bool) -> dict[int, Row]:
        """The papers' rows by corpus id (with their abstract's columns when asked); a paper
        the graph has no record of gets a stub with its primary sha, if it knows one."""
        ids = sorted(set(cids))
        if not ids:
            return {}
        where = "WHERE corpusid IN (SELECT unnest(CAST(? AS BIGINT[])))"
        rows: dict[int, dict[str, Any]] = {
            r["corpusid"]: r for r in self._query(f"SELECT * FROM papers {where}", [ids])}
        if abstracts:
            for r in self._query(f"SELECT corpusid, abstract, openaccesspdf FROM abstracts "
                                 f"{where}", [ids]):
                if r["corpusid"] in rows:
                    rows[r["corpusid"]].update(r)
        lost = [c for c in ids if c not in rows]
        if lost:
            shas = {r["corpusid"]: r["sha"] for r in self._query(
                f'SELECT corpusid, sha FROM paper_ids {where} AND "primary"', [lost])}
            rows.update({c: {**stub(shas.get(c)), "corpusid": c} for c in lost})
        return dict(rows)

    def _edges(self, cids: Sequence[int], kind: str) -> list[dict[str, Any]]:
        """The edges of a listing for the papers ``cids``, read from the file sorted by them:
        ``paper``, ``other`` and the edge's columns, ordered by (paper, other)."""
        view, mine, other, _ = _SIDES[kind]
        return self._query(
            f"SELECT {mine} AS paper, {other} AS other, isinfluential, contexts, intents "
            f"FROM {view} WHERE {mine} IN (SELECT unnest(CAST(? AS BIGINT[]))) "
            f"ORDER BY {mine}, {other}", [sorted(set(cids))])

    def _one(self, paper_id: str) -> int:
        cid = self._resolve([paper_id])[0]
        if cid is None:
            raise NotFoundError(f"Paper with id {paper_id} not found")
        return cid

    # the client's interface

    def paper(self, paper_id: str, fields: Sequence[str] = SEED_FIELDS) -> dict[str, Any]:
        """One paper in the API's shape; raises NotFoundError as S2 answers 404."""
        found = self.papers([paper_id], fields)[0]
        if found is None:
            raise NotFoundError(f"Paper with id {paper_id} not found")
        return found

    def papers(self, ids: Sequence[str], fields: Sequence[str] = SEED_FIELDS
               ) -> list[dict[str, Any] | None]:
        """Batch lookup with no batch limit; ``None`` where the graph has no such paper.
        Embedded ``citations`` / ``references`` hold every citer or reference."""
        spec = field_spec(fields)
        if "embedding" in spec.paper:
            raise GraphUnsupportedError(str(self.path), "SPECTER vectors")
        cids = self._resolve(ids)
        rows = self._rows((c for c in cids if c is not None), _needs_abstract(spec))
        nested = {name: self._embedded([c for c in cids if c is not None], name, sub)
                  for name, sub in spec.nested.items()}
        out: list[dict[str, Any] | None] = []
        for cid in cids:
            row = rows.get(cid) if cid is not None else None
            if cid is None or row is None or row.get("stub"):
                out.append(None)
                continue
            lists = {name: got.get(cid, []) for name, got in nested.items()}
            out.append(paper_record(row, spec, lists))
        return out

    def _embedded(self, cids: list[int], kind: str, spec: FieldSpec
                  ) -> dict[int, list[dict[str, Any]]]:
        edges = self._edges(cids, kind)
        rows = self._rows((e["other"] for e in edges), _needs_abstract(spec))
        out: dict[int, list[dict[str, Any]]] = {}
        for e in edges:
            out.setdefault(e["paper"], []).append(paper_record(rows[e["other"]], spec))
        return out

    def match_title(self, title: str, fields: Sequence[str] = SEED_FIELDS) -> dict[str, Any]:
        """The paper whose whole title, normalised as S2's matcher does, is ``title``'s
        (the lowest corpus id among equals); raises NotFoundError when none is."""
        wanted = normalize_title(title)
        hits = self._query(f"SELECT min(corpusid) AS c FROM papers WHERE {_TITLE} = ?",
                           [wanted]) if wanted else []
        cid = hits[0]["c"] if hits else None
        if cid is None:
            raise NotFoundError(f"no paper with a title like {title[:60]!r} in the local "
                                f"graph (it matches whole titles only)")
        spec = field_spec(fields)
        row = self._rows([cid], _needs_abstract(spec))[cid]
        paper = paper_record(row, spec)
        item = {"paperId": paper.pop("paperId"), "title": row.get("title"), "matchScore": 200.0}
        paper.pop("title", None)
        return {**item, **paper}

    def page(
        self,
        paper_id: str,
        kind: str,
        offset: int = 0,
        *,
        limit: int | None = None,
        fields: Sequence[str] = PAPER_FIELDS,
        dates: str | None = None,
    ) -> Page:
        """Every citer (``kind="citations"``) or reference of the paper in one page.

        Without ``limit`` the page holds the whole listing whatever ``offset`` says (the
        graph's order is not S2's, so an offset from an API listing would skip the wrong
        items); with one, items ``offset`` to ``offset + limit``. ``dates`` keeps the citers
        published in that range, as S2's ``publicationDateOrYear`` does."""
        if kind not in _SIDES:
            raise ValueError(kind)
        side = _SIDES[kind][3]
        spec = field_spec(EDGE_FIELDS + tuple(fields), side=side)
        edges = self._edges([self._one(paper_id)], kind)
        rows = self._rows((e["other"] for e in edges), _needs_abstract(spec))
        if dates is not None:
            span = _span(dates)
            edges = [e for e in edges if span is None or in_range(_dated(rows[e["other"]]), span)]
        items = [edge_item(e, paper_record(rows[e["other"]], spec), side, spec) for e in edges]
        if limit is None:
            return Page(items=items, offset=0, next=None)
        more = offset + limit < len(items)
        return Page(items=items[offset:offset + limit], offset=offset,
                    next=offset + limit if more else None)


def _needs_abstract(spec: FieldSpec) -> bool:
    return bool({"abstract", "openAccessPdf"} & spec.paper)


def _span(dates: str) -> Any:
    try:
        return parse_range(dates)
    except ApiError as exc:
        raise BadInputError(str(exc.payload.get("error") or exc), parameter="dates",
                            value=dates) from None


def _dated(row: Row) -> dict[str, Any]:
    day = row.get("publicationdate")
    return {"year": row.get("year"),
            "publicationDate": day.isoformat() if isinstance(day, date) else day}
