"""Pure conversions of Graph API records (the fake's corpus) into S2AG dataset records.

S2AG keys are lower case; ``corpusid`` is an int in papers, abstracts and paper-ids but a
JSON string in citations; absent external ids are null. Papers without a corpus id get a
synthetic one at or above :data:`SYNTHETIC_BASE`, derived from their sha.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

SYNTHETIC_BASE = 2**40
"""Synthetic corpus ids (for papers the corpus has without one) start here."""

EXTERNAL_ID_KEYS = ("DOI", "ArXiv", "ACL", "MAG", "DBLP", "PubMed", "PubMedCentral",
                    "CorpusId")
_OPEN_ACCESS_IDS = ("MAG", "ACL", "DOI", "PubMedCentral", "ArXiv")


def synthetic_corpus_id(sha: str) -> int:
    """A corpus id for a paper without one: ``SYNTHETIC_BASE`` plus 40 bits of its sha.

    >>> synthetic_corpus_id("0" * 40) == SYNTHETIC_BASE
    True
    """
    return SYNTHETIC_BASE + int(sha.lower()[:10], 16)


def stable_int(text: str, bits: int = 48) -> int:
    """A stable non-negative int of ``bits`` bits from ``text`` (citation ids, extra shas)."""
    return int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "big") >> (64 - bits)


def stable_sha(text: str) -> str:
    """A stable 40-hex sha from ``text``."""
    return hashlib.sha1(text.encode()).hexdigest()


def _external_ids(api: Mapping[str, Any], corpusid: int) -> dict[str, Any]:
    given = api.get("externalIds") or {}
    ids = {key: given.get(key) for key in EXTERNAL_ID_KEYS}
    ids["CorpusId"] = str(corpusid)
    return ids


def s2_fields(api: Mapping[str, Any]) -> list[dict[str, str]] | None:
    """``s2fieldsofstudy`` whose "external" categories are exactly the API's ``fieldsOfStudy``
    (in order), followed by the model's categories the record has."""
    external = [{"category": c, "source": "external"} for c in api.get("fieldsOfStudy") or ()]
    model = [dict(f) for f in api.get("s2FieldsOfStudy") or ()
             if f.get("source") != "external"]
    return external + model or None


def paper_record(api: Mapping[str, Any], corpusid: int) -> dict[str, Any]:
    """The S2AG ``papers`` record of an API paper record."""
    venue = api.get("publicationVenue") or {}
    return {
        "corpusid": corpusid,
        "externalids": _external_ids(api, corpusid),
        "url": api.get("url"),
        "title": api.get("title"),
        "authors": [{"authorId": a.get("authorId"), "name": a.get("name")}
                    for a in api.get("authors") or ()],
        "venue": api.get("venue"),
        "publicationvenueid": venue.get("id"),
        "year": api.get("year"),
        "referencecount": api.get("referenceCount"),
        "citationcount": api.get("citationCount"),
        "influentialcitationcount": api.get("influentialCitationCount"),
        "isopenaccess": api.get("isOpenAccess"),
        "s2fieldsofstudy": s2_fields(api),
        "publicationtypes": api.get("publicationTypes"),
        "publicationdate": api.get("publicationDate"),
        "journal": api.get("journal"),
    }


def abstract_record(api: Mapping[str, Any], corpusid: int) -> dict[str, Any] | None:
    """The S2AG ``abstracts`` record of an API paper, or None when it has neither an
    abstract nor an open-access PDF."""
    pdf = api.get("openAccessPdf") or {}
    if api.get("abstract") is None and not pdf.get("url"):
        return None
    given = api.get("externalIds") or {}
    return {
        "corpusid": corpusid,
        "abstract": api.get("abstract"),
        "openaccessinfo": {
            "externalids": {key: given.get(key) for key in _OPEN_ACCESS_IDS},
            "license": pdf.get("license"),
            "url": pdf.get("url"),
            "status": pdf.get("status"),
        },
    }


def nested_intents(intents: Sequence[str] | None, contexts: int) -> list[list[str]] | None:
    """Flat intents in the older shape, one list per context, such that flattening them in
    first-seen order without duplicates gives ``intents`` back.

    >>> nested_intents(["methodology", "background"], 2)
    [['methodology', 'background'], ['methodology']]
    """
    if not intents:
        return None
    lists = [list(intents)]
    lists += [[intents[0]] for _ in range(contexts - 1)]
    return lists


def citation_record(citing: int, cited: int | None, *, influential: bool | None,
                    contexts: Sequence[str] | None, intents: Sequence[str] | None,
                    citationid: int, older: bool) -> dict[str, Any]:
    """An S2AG ``citations`` record: string corpus ids (``cited`` None: unresolved).

    ``older`` gives the shape of shards before 2023-08-29: no ``citationid``, intents one
    list per context, null for no contexts. The newer shape has flat intents and lists.
    """
    record: dict[str, Any] = {} if older else {"citationid": citationid}
    record["citingcorpusid"] = str(citing)
    record["citedcorpusid"] = None if cited is None else str(cited)
    record["isinfluential"] = bool(influential)
    if older:
        record["contexts"] = list(contexts) if contexts else None
        record["intents"] = nested_intents(intents, len(contexts or ()))
    else:
        record["contexts"] = list(contexts or ())
        record["intents"] = list(intents or ())
    return record


def paper_ids_record(sha: str, corpusid: int, primary: bool) -> dict[str, Any]:
    """An S2AG ``paper-ids`` record."""
    return {"sha": sha, "corpusid": corpusid, "primary": primary}
