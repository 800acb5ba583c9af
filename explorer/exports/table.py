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

from explorer.errors import BadInputError
from explorer.models import Ranked

CSV_COLUMNS = (
    "rank", "score", "paper_id", "title", "authors", "year", "venue", "arxiv_id", "doi",
    "citation_count", "influential_citation_count", "relation", "reasons", "url", "versions",
)
"""``versions``: the ids of the other records of the same work, ``; ``-separated."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Make a string cell safe for spreadsheets; other values pass through.

    A carriage return becomes a newline: the writer quotes cells holding its line terminator
    (``\n``) but not a bare ``\r``, which would otherwise end the row in a spreadsheet and
    start the next one with whatever follows it, a formula included."""
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            value = "'" + value
        return value.replace("\r\n", "\n").replace("\r", "\n")
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
        "versions": "; ".join(p.versions),
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


def check_target(path: str | Path) -> Path:
    """The path to write to, or a BadInputError saying why it cannot be written.

    Called before a long walk too, so a bad name costs no requests."""
    target = Path(path)
    if not target.name or target.is_dir():
        raise BadInputError(f"cannot write to {str(path)!r}: give a file name")
    if not target.parent.is_dir():
        raise BadInputError(f"cannot write to {str(path)!r}: no folder {str(target.parent)!r}")
    return target


def save(path: str | Path, text: str) -> None:
    """Write UTF-8 text atomically enough for a user's file (write, then rename).

    A device or pipe (``/dev/stdout``, ``/dev/null``) is written through, never replaced by a
    file; a folder or an empty name is a BadInputError. OSErrors (no such folder, no space)
    propagate with nothing left behind."""
    target = check_target(path)
    if target.exists() and not target.is_file():
        with target.open("w", encoding="utf-8", newline="") as f:
            f.write(text)
        return
    tmp = target.with_name(target.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def json_text(ranked: Iterable[Ranked]) -> str:
    return json.dumps(json_records(ranked), ensure_ascii=False, indent=2)
