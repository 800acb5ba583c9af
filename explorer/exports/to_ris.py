"""RIS (Zotero, EndNote, Mendeley) through rispy, written the way Zotero's RIS reader reads it.

``TY`` comes from :func:`explorer.exports.kinds.kind_of` (``CONF``, ``JOUR``, ``BOOK``,
``CHAP``, ``UNPB`` for an arXiv preprint, else ``GEN``) and the venue goes in the tag Zotero
maps to that type's container: ``T2`` (with ``C3``, the proceedings title, for a conference and
``JF`` for a journal). Authors are ``AU  - Last, First``
(:func:`explorer.exports.names.split_name`): Zotero splits a name on its comma. The S2 id goes
in ``ID``, the arXiv id in ``C1`` (a custom field, but the place of a conference in Zotero, so
not there for one), the S2 ids of the work's other versions in ``C2`` and the URL list in
``UR`` (``;`` percent-encoded: rispy splits URLs on it); tags become ``KW`` and the note
``N1``. No line stands between records (rispy's numbered headers are left out: Zotero reads
them as text outside any record).
"""

from __future__ import annotations

from typing import Any

import rispy
from rispy.writer import RisWriter

from explorer.exports.kinds import kind_of
from explorer.exports.model import Entry, ExportSet, inert
from explorer.exports.names import author_names

TYPES = {"conference": "CONF", "journal": "JOUR", "book": "BOOK", "chapter": "CHAP",
         "preprint": "UNPB", "misc": "GEN"}
VENUE_TAGS = {"conference": ("secondary_title", "custom3"),
              "journal": ("secondary_title", "alternate_title3"),
              "book": ("secondary_title",), "chapter": ("secondary_title",)}
"""rispy's names for the tags that carry the venue (T2, C3, JF)."""


class _Writer(RisWriter):
    """rispy's RIS writer without the numbered line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def record(entry: Entry) -> dict[str, Any]:
    p = entry.paper
    kind = kind_of(p)
    rec: dict[str, Any] = {"type_of_reference": TYPES[kind], "id": p.paper_id}
    optional: dict[str, Any] = {
        "title": " ".join((p.title or "").split()),
        "authors": [n.inverted() for n in author_names(p.authors)],
        "year": str(p.year) if p.year else "",
        "date": p.publication_date.replace("-", "/") if p.publication_date else "",
        "doi": p.doi or "",
        # C1 is the place of a conference in Zotero; the arXiv URL still says it there
        "custom1": f"arXiv:{p.arxiv_id}" if p.arxiv_id and kind != "conference" else "",
        "custom2": f"S2 versions: {', '.join(p.versions)}" if p.versions else "",
        "publisher": "arXiv" if kind == "preprint" and p.arxiv_id else "",
        "abstract": " ".join((p.abstract or "").split()),
        "urls": [u.replace(";", "%3B") for u in dict.fromkeys((p.best_url, p.s2_url)) if u],
        "keywords": list(entry.tags),
        "notes": [" ".join(entry.note.split())] if entry.note.strip() else [],
    }
    for tag in VENUE_TAGS.get(kind, ()):
        optional[tag] = " ".join((p.venue or "").split())
    rec.update({k: v for k, v in optional.items() if v})
    return rec


def render(data: ExportSet) -> str:
    return str(rispy.dumps([record(e) for e in inert(data).entries], implementation=_Writer))
