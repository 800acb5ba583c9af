"""CSV: the core reading-list header (:data:`explorer.exports.table.CSV_COLUMNS`) + status,
tags, note.

Cells a spreadsheet would run as formulas are neutralised by
:func:`explorer.exports.table.write_csv`.
"""

from __future__ import annotations

import io
from typing import Any

from explorer.exports.model import Entry, ExportSet, inert
from explorer.exports.table import CSV_COLUMNS, row, write_csv

COLUMNS = CSV_COLUMNS + ("status", "tags", "note")


def record(entry: Entry) -> dict[str, Any]:
    rec = row(entry.ranked)
    if entry.score is None:
        rec["score"] = ""
    rec.update(status=entry.status or "", tags="; ".join(entry.tags), note=entry.note)
    return rec


def render(data: ExportSet) -> str:
    buf = io.StringIO()
    write_csv((record(e) for e in inert(data).entries), buf, COLUMNS)
    return buf.getvalue()
