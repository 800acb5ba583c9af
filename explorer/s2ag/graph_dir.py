"""A local S2AG graph folder (what the importer writes): its files and its manifest.

Checked without DuckDB, so that reading the settings stays cheap; see
:mod:`explorer.s2ag.local` for the source that answers from it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from explorer.errors import GraphError

__all__ = ["FILES", "FORMAT", "SYNTHETIC", "check_graph", "read_manifest"]

FORMAT = 1
FILES = {
    "papers": "papers.parquet",
    "abstracts": "abstracts.parquet",
    "by_cited": "citations_by_cited.parquet",
    "by_citing": "citations_by_citing.parquet",
    "paper_ids": "paper_ids.parquet",
}
"""The view each file is read as, and its name in the folder."""
SYNTHETIC = 2**40
"""Corpus ids from here on were made up for papers S2 gave none; they are never shown."""


def read_manifest(path: str | Path) -> dict[str, Any]:
    """The manifest of the graph at ``path``, once its files are all there.

    Raises
    ------
    GraphError
        When ``path`` is no folder, has no readable ``manifest.json``, is of another format,
        or lacks one of :data:`FILES`.
    """
    folder = Path(path).expanduser()
    shown = str(folder)
    if not folder.is_dir():
        raise GraphError(shown, "no such folder")
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GraphError(shown, "the folder has no manifest.json (import S2AG shards into "
                                "it first)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GraphError(shown, f"manifest.json cannot be read ({type(exc).__name__})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise GraphError(shown, f"manifest.json has format {found!r}; this explorer reads "
                                f"format {FORMAT}")
    missing = [name for name in FILES.values() if not (folder / name).is_file()]
    if missing:
        raise GraphError(shown, f"{', '.join(missing)} missing (an import not finished?)")
    return manifest


def check_graph(path: str | Path) -> Path:
    """``path`` with ``~`` expanded, once :func:`read_manifest` accepts it."""
    read_manifest(path)
    return Path(path).expanduser()
