"""The ``fields=`` parameter: which fields S2 accepts where, and the records projected onto them.

:func:`parse_fields` turns ``fields=`` into a :class:`FieldSpec` (or a 400 naming the unknown
fields, as S2 answers); :func:`project_paper` and :func:`project_edge` cut a corpus record down
to the fields asked for, in S2's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from explorer.fake_s2.corpus import Corpus
from explorer.fake_s2.embeddings import embedding_of
from explorer.fake_s2.responses import ApiError, bad_request

#: Paper fields in the order S2 emits them (recorded/Paper.json), plus textAvailability.
PAPER_FIELDS = (
    "paperId", "externalIds", "corpusId", "publicationVenue", "url", "title", "abstract",
    "venue", "year", "referenceCount", "citationCount", "influentialCitationCount",
    "isOpenAccess", "openAccessPdf", "fieldsOfStudy", "s2FieldsOfStudy", "tldr",
    "publicationTypes", "publicationDate", "journal", "citationStyles", "embedding", "authors",
    "citations", "references", "textAvailability",
)
#: Fields of a nested paper (``citingPaper``, ``citedPaper``, ``citations.x``): no nesting.
BASE_FIELDS = tuple(
    f for f in PAPER_FIELDS
    if f not in {"tldr", "embedding", "citations", "references", "textAvailability"}
)
AUTHOR_FIELDS = (
    "authorId", "externalIds", "url", "name", "affiliations", "homepage", "paperCount",
    "citationCount", "hIndex",
)
EDGE_FIELDS = ("contexts", "intents", "contextsWithIntent", "isInfluential")
EMBEDDING_MODELS = ("specter_v1", "specter_v2")

EMBED_CAP = 1000  # citations/references embedded in a paper object


@dataclass
class FieldSpec:
    """What a ``fields=`` parameter asks for.

    ``paper``: top-level fields of the paper (or of the nested citing/cited paper on edge
    endpoints); ``authors``: extra author subfields; ``nested``: specs of embedded
    ``citations`` / ``references``; ``edge``: edge fields (contexts, ...).
    """

    paper: set[str] = field(default_factory=set)
    authors: set[str] = field(default_factory=set)
    nested: dict[str, FieldSpec] = field(default_factory=dict)
    edge: set[str] = field(default_factory=set)
    embedding_model: str | None = None


def parse_fields(raw: str | None, *, kind: str = "paper", side: str | None = None) -> FieldSpec:
    """Parse ``fields=`` for an endpoint ``kind``: ``paper`` (GET, batch, search, match),
    ``edge`` (/citations with ``side="citing"``, /references with ``"cited"``) or ``bulk``
    (/search/bulk). Unknown or unsupported names raise a 400 listing them, as S2 does.

    On edge endpoints a paper field may carry the side's prefix, as many S2 clients write
    it: ``citingPaper.title`` on /citations, ``citedPaper.title`` on /references.
    """
    tokens = [t.strip() for t in (raw or "").split(",") if t.strip()]
    if side is not None:
        prefix = f"{side}Paper."
        tokens = [t[len(prefix):] if t.startswith(prefix) else t for t in tokens]
    if not tokens:
        return FieldSpec(paper={"title"})
    spec, bad = FieldSpec(), []
    top = set(PAPER_FIELDS) if kind == "paper" else set(BASE_FIELDS)
    if kind == "bulk":
        top |= {"tldr", "embedding", "textAvailability"}
    for token in tokens:
        head, _, sub = token.partition(".")
        if kind == "edge" and token in EDGE_FIELDS:
            spec.edge.add(token)
        elif not sub and head in top:
            spec.paper.add(head)
            if head in ("citations", "references"):
                spec.nested.setdefault(head, FieldSpec()).paper.add("title")
        elif head == "authors" and sub in AUTHOR_FIELDS and "authors" in top:
            spec.paper.add("authors")
            spec.authors.add(sub)
        elif head in ("citations", "references") and head in top and sub in BASE_FIELDS:
            spec.paper.add(head)
            spec.nested.setdefault(head, FieldSpec()).paper.add(sub)
        elif head == "embedding" and sub in EMBEDDING_MODELS and "embedding" in top:
            spec.paper.add("embedding")
            spec.embedding_model = sub
        else:
            bad.append(token)
    if bad:
        raise _unsupported(bad)
    return spec


def parse_author_fields(raw: str | None) -> set[str]:
    """The author fields ``fields=`` names on /authors, or a 400 listing unknown ones."""
    wanted = [t.strip() for t in (raw or "").split(",") if t.strip()]
    bad = [f for f in wanted if f not in AUTHOR_FIELDS]
    if bad:
        raise _unsupported(bad)
    return set(wanted)


def _unsupported(names: list[str]) -> ApiError:
    return bad_request(f"Unrecognized or unsupported fields: [{', '.join(names)}]")


def project_authors(authors: Any, extra: set[str]) -> Any:
    """Each author as ``authorId``, ``name`` and the ``extra`` fields, in S2's order."""
    if not isinstance(authors, list):
        return authors
    wanted = [f for f in AUTHOR_FIELDS if f in extra or f in ("authorId", "name")]
    return [{f: (a or {}).get(f) for f in wanted} for a in authors]


def _project_embedding(raw: Mapping[str, Any], model: str | None) -> Any:
    embedding = raw.get("embedding")
    if not isinstance(embedding, dict):
        return embedding_of(raw, model)  # the record has none: a fake one from its words
    if model is None:
        return embedding
    stored = str(embedding.get("model") or "")
    wants_v2 = model == "specter_v2"
    return embedding if ("v2" in stored) == wants_v2 else None


def project_paper(raw: Mapping[str, Any], spec: FieldSpec, corpus: Corpus) -> dict[str, Any]:
    """The paper as S2 returns it for ``spec``: paperId plus the requested fields, in S2's
    order; fields the record lacks are null; embedded lists hold at most 1000 papers."""
    out: dict[str, Any] = {"paperId": raw.get("paperId")}
    for name in PAPER_FIELDS:
        if name == "paperId" or name not in spec.paper:
            continue
        if name == "authors":
            out[name] = project_authors(raw.get("authors"), spec.authors)
        elif name == "embedding":
            out[name] = _project_embedding(raw, spec.embedding_model)
        elif name in ("citations", "references"):
            out[name] = _embedded(raw, name, spec.nested[name], corpus)
        else:
            out[name] = raw.get(name)
    return out


def _embedded(raw: Mapping[str, Any], name: str, spec: FieldSpec, corpus: Corpus) -> Any:
    paper_id = raw.get("paperId")
    if not paper_id:
        return None
    if name == "citations":
        edges, side = corpus.citations_of(paper_id), "citing"
    else:
        edges, side = corpus.references_of(paper_id), "cited"
    return [project_paper(edge_paper(e, side, corpus), spec, corpus) for e in edges[:EMBED_CAP]]


def edge_paper(edge: Mapping[str, Any], side: str, corpus: Corpus) -> Mapping[str, Any]:
    """The record of an edge's ``citing`` or ``cited`` side (inline record, corpus, or stub)."""
    paper_id = edge.get(f"{side}PaperId")
    with corpus.lock:
        known = corpus.papers.get(paper_id) if paper_id else None
    return known or edge.get(f"{side}Paper") or {"paperId": paper_id}


def project_edge(edge: Mapping[str, Any], side: str, spec: FieldSpec,
                 corpus: Corpus) -> dict[str, Any]:
    """One item of a /citations (``side="citing"``) or /references (``"cited"``) page."""
    item: dict[str, Any] = {}
    contexts = list(edge.get("contexts") or [])
    values = {
        "contexts": contexts,
        "intents": list(edge.get("intents") or []),
        "contextsWithIntent": edge.get("contextsWithIntent")
        or [{"context": c, "intents": []} for c in contexts],
        "isInfluential": edge.get("isInfluential"),
    }
    for name in EDGE_FIELDS:
        if name in spec.edge:
            item[name] = values[name]
    item[f"{side}Paper"] = project_paper(edge_paper(edge, side, corpus), spec, corpus)
    return item
