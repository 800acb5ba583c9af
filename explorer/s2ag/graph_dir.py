"""Whether a folder holds a local S2AG graph fit to read: the importer's manifest, finished.

Checked without DuckDB, so that reading the settings stays cheap; see
:mod:`explorer.s2ag.local` for the source that answers from the graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from explorer.errors import GraphError, StoreError
from explorer.s2ag import manifest
from explorer.s2ag.shard_records import SYNTHETIC_BASE

__all__ = ["SYNTHETIC", "check_graph", "read_manifest"]

SYNTHETIC = SYNTHETIC_BASE
"""Corpus ids from here on were made up for papers S2 gave none; they are never shown."""


def read_manifest(path: str | Path) -> dict[str, Any]:
    """The manifest of the graph at ``path``, once an import into it has finished.

    Raises
    ------
    GraphError
        When ``path`` is no folder, has no manifest, a manifest that cannot be read or of
        another format, or an import still under way.
    """
    folder = Path(path).expanduser()
    shown = str(folder)
    if not folder.is_dir():
        raise GraphError(shown, "no such folder")
    try:
        found = manifest.read_manifest(folder)
    except StoreError as exc:
        raise GraphError(shown, str(exc)) from None
    if found is None:
        raise GraphError(shown, f"the folder has no {manifest.NAME} (import S2AG shards into "
                                "it first)")
    if found.get("pending"):
        raise GraphError(shown, "an import into it has not finished (run it again to resume)")
    return found


def check_graph(path: str | Path) -> Path:
    """``path`` with ``~`` expanded, once :func:`read_manifest` accepts it."""
    read_manifest(path)
    return Path(path).expanduser()
