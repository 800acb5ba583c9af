"""Rows of the local graph's Parquet files -> paper and edge records in the API's shape.

Pure functions of a row (a dict keyed by column name, with the abstract's columns joined in
when they were read) and the fields asked for (:class:`~explorer.fake_s2.fields.FieldSpec`),
so a record from the graph is the one the API (and the fake) sends for the same fields.
Fields the datasets do not carry (``tldr``, ``citationStyles``, ``publicationVenue``,
``s2FieldsOfStudy``) are null.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from explorer.errors import BadInputError
from explorer.fake_s2.fields import (
    EDGE_FIELDS,
    PAPER_FIELDS,
    FieldSpec,
    parse_fields,
    project_authors,
)
from explorer.fake_s2.responses import ApiError
from explorer.s2ag.graph_dir import SYNTHETIC

__all__ = ["edge_item", "field_spec", "paper_record", "stub"]

Row = Mapping[str, Any]

_COLUMNS = {
    "paperId": "paperid", "url": "url", "title": "title", "venue": "venue", "year": "year",
    "referenceCount": "referencecount", "citationCount": "citationcount",
    "influentialCitationCount": "influentialcitationcount", "isOpenAccess": "isopenaccess",
    "fieldsOfStudy": "fieldsofstudy", "publicationTypes": "publicationtypes",
    "abstract": "abstract",
}
"""API field -> the column that holds it as is."""
_JSON = {"journal": "journal", "openAccessPdf": "openaccesspdf"}


def field_spec(fields: Sequence[str], *, side: str | None = None) -> FieldSpec:
    """What ``fields`` ask for, as the API reads them (``side``: ``"citing"`` or ``"cited"``
    for the papers of a citations or references listing)."""
    try:
        return parse_fields(",".join(fields), kind="edge" if side else "paper", side=side)
    except ApiError as exc:
        raise BadInputError(str(exc.payload.get("error") or exc)) from None


def _json(text: Any) -> Any:
    return json.loads(text) if isinstance(text, str) else None


def _corpus_id(row: Row) -> int | None:
    value = row.get("corpusid")
    return value if isinstance(value, int) and value < SYNTHETIC else None


def _external_ids(row: Row) -> dict[str, Any] | None:
    ids = _json(row.get("externalids"))
    if isinstance(ids, dict) and _corpus_id(row) is None:
        ids.pop("CorpusId", None)
    return ids


def _value(row: Row, name: str, spec: FieldSpec) -> Any:
    if name in _COLUMNS:
        value = row.get(_COLUMNS[name])
        return list(value) if isinstance(value, list | tuple) else value
    if name in _JSON:
        return _json(row.get(_JSON[name]))
    if name == "corpusId":
        return _corpus_id(row)
    if name == "externalIds":
        return _external_ids(row)
    if name == "publicationDate":
        day = row.get("publicationdate")
        return day.isoformat() if isinstance(day, date) else day
    if name == "authors":
        return project_authors(_json(row.get("authors")), spec.authors)
    return None


def paper_record(row: Row, spec: FieldSpec,
                 nested: Mapping[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """The paper as the API sends it for ``spec``: ``paperId`` and the fields asked for, in
    the API's order; ``nested`` holds the embedded ``citations`` / ``references`` lists."""
    out: dict[str, Any] = {"paperId": row.get("paperid")}
    for name in PAPER_FIELDS:
        if name == "paperId" or name not in spec.paper:
            continue
        if name in ("citations", "references"):
            out[name] = list((nested or {}).get(name) or [])
        else:
            out[name] = _value(row, name, spec)
    return out


def stub(paper_id: str | None) -> dict[str, Any]:
    """The row of a paper the graph names but holds no record of."""
    return {"paperid": paper_id, "stub": True}


def edge_item(edge: Row, paper: dict[str, Any], side: str, spec: FieldSpec) -> dict[str, Any]:
    """One item of a citations (``side="citing"``) or references (``"cited"``) listing."""
    contexts = list(edge.get("contexts") or [])
    values = {
        "contexts": contexts,
        "intents": list(edge.get("intents") or []),
        "contextsWithIntent": [{"context": c, "intents": []} for c in contexts],
        "isInfluential": edge.get("isinfluential"),
    }
    item = {name: values[name] for name in EDGE_FIELDS if name in spec.edge}
    item[f"{side}Paper"] = paper
    return item
