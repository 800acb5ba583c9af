"""The local graph's ``manifest.json``: what release and slice it holds, its counts, and
the import under way (``pending``), written atomically after every step so an import that
is killed can resume."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from explorer.errors import StoreError
from explorer.exports.table import save

FORMAT = 1
NAME = "manifest.json"


def read_manifest(graph: Path) -> dict[str, Any] | None:
    """The manifest of the graph folder ``graph``, or None when it has none yet.

    Raises
    ------
    StoreError
        The manifest is not JSON, or of a format this explorer does not know.
    """
    path = graph / NAME
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreError(f"the graph manifest {path} is not JSON ({exc})", str(path)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise StoreError(f"the graph manifest {path} has format {found!r}; this explorer "
                         f"reads format {FORMAT}", str(path))
    return manifest


def write_manifest(graph: Path, manifest: dict[str, Any]) -> None:
    """Replace the manifest of ``graph`` atomically."""
    save(graph / NAME, json.dumps({"format": FORMAT, **manifest}, indent=2, sort_keys=True))


def now() -> str:
    """The time, as the manifest records it."""
    return datetime.now(UTC).isoformat(timespec="seconds")
