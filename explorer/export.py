"""Reading-list exports: CSV (through the csv module) and JSON.

CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``, or a tab or
carriage return) are prefixed with a single quote, since titles and abstracts are untrusted.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from explorer.models import Ranked

CSV_COLUMNS = (
    "rank", "score", "paper_id", "title", "authors", "year", "venue", "arxiv_id", "doi",
    "citation_count", "influential_citation_count", "relation", "reasons", "url",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a string cell safe for spreadsheets; other values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(item: Ranked) -> dict[str, Any]:
    """One ranked paper as a dict keyed by :data:`CSV_COLUMNS` (plain values, not neutralised)."""
    p = item.paper
    return {
        "rank": item.rank,
        "score": round(item.score, 4),
        "paper_id": p.paper_id,
        "title": p.title or "",
        "authors": "; ".join(p.authors),
        "year": p.year if p.year is not None else "",
        "venue": p.venue or "",
        "arxiv_id": p.arxiv_id or "",
        "doi": p.doi or "",
        "citation_count": p.citation_count if p.citation_count is not None else "",
        "influential_citation_count": (
            p.influential_citation_count if p.influential_citation_count is not None else ""
        ),
        "relation": item.relation,
        "reasons": "; ".join(item.reasons),
        "url": p.best_url,
    }


def write_csv(
    rows: Iterable[dict[str, Any]], out: TextIO, columns: Sequence[str] = CSV_COLUMNS
) -> None:
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: neutralise(r.get(k, "")) for k in columns})


def csv_text(ranked: Iterable[Ranked], columns: Sequence[str] = CSV_COLUMNS) -> str:
    buf = io.StringIO()
    write_csv((row(r) for r in ranked), buf, columns)
    return buf.getvalue()


def json_records(ranked: Iterable[Ranked]) -> list[dict[str, Any]]:
    out = []
    for r in ranked:
        rec = row(r)
        rec["authors"] = list(r.paper.authors)
        rec["reasons"] = list(r.reasons)
        rec["components"] = {k: round(v, 6) for k, v in r.components.items()}
        rec["abstract"] = r.paper.abstract
        out.append(rec)
    return out


def save(path: str | Path, text: str) -> None:
    """Write UTF-8 text atomically enough for a user's file (write, then rename)."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(target)


def json_text(ranked: Iterable[Ranked]) -> str:
    return json.dumps(json_records(ranked), ensure_ascii=False, indent=2)
