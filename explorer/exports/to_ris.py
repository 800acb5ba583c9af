"""RIS (Zotero, EndNote, Mendeley) through rispy.

``TY`` is ``JOUR`` for a paper with a venue, else ``GEN``; the S2 id goes in ``ID``, the arXiv
id in ``C1`` (custom field), the S2 ids of the work's other versions in ``C2`` and the URL list
in ``UR`` (``;`` percent-encoded: rispy splits URLs on it); tags become ``KW`` and the note
``N1``.
"""

from __future__ import annotations

from typing import Any

import rispy

from explorer.exports.model import Entry, ExportSet, inert


def record(entry: Entry) -> dict[str, Any]:
    p = entry.paper
    rec: dict[str, Any] = {"type_of_reference": "JOUR" if p.venue else "GEN", "id": p.paper_id}
    optional: dict[str, Any] = {
        "title": " ".join((p.title or "").split()),
        "authors": list(p.authors),
        "year": str(p.year) if p.year else "",
        "journal_name": p.venue or "",
        "doi": p.doi or "",
        "custom1": f"arXiv:{p.arxiv_id}" if p.arxiv_id else "",
        "custom2": f"S2 versions: {', '.join(p.versions)}" if p.versions else "",
        "abstract": " ".join((p.abstract or "").split()),
        "urls": [u.replace(";", "%3B") for u in dict.fromkeys((p.best_url, p.s2_url)) if u],
        "keywords": list(entry.tags),
        "notes": [" ".join(entry.note.split())] if entry.note.strip() else [],
    }
    rec.update({k: v for k, v in optional.items() if v})
    return rec


def render(data: ExportSet) -> str:
    return str(rispy.dumps([record(e) for e in inert(data).entries]))
