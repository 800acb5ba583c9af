"""One registry of export formats, one module per format.

=========  ===========================  ===========================================
format     module                       library
=========  ===========================  ===========================================
csv        :mod:`.to_csv`               csv (the core header + status, tags, note)
bibtex     :mod:`.to_bibtex`            bibtexparser
ris        :mod:`.to_ris`               rispy
markdown   :mod:`.to_markdown`          PyYAML (a folder of Obsidian notes, :mod:`.vault`)
graphml    :mod:`.to_graph`             networkx
gexf       :mod:`.to_graph`             networkx
json       :mod:`.to_json`              json
=========  ===========================  ===========================================

Every exporter takes an :class:`~explorer.exports.model.ExportSet`: the papers (with score,
reasons and reading-list fields) and the citation graph among them, and renders
:func:`~explorer.exports.model.inert` of it. Building one from the reading list or from the
last exploration is a task: :mod:`explorer.tasks.export`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from explorer.errors import BadInputError
from explorer.exports import to_bibtex, to_csv, to_graph, to_json, to_markdown, to_ris
from explorer.exports.model import Entry, ExportSet, inert, xml_safe
from explorer.exports.table import save

__all__ = [
    "FORMATS",
    "Entry",
    "ExportSet",
    "Format",
    "export",
    "export_bytes",
    "format_of",
    "inert",
    "xml_safe",
]


@dataclass(frozen=True)
class Format:
    """A format's name, file suffix and MIME type, and how it renders."""

    name: str
    suffix: str
    mime: str
    render: Callable[[ExportSet], str] | None = None
    """Text of a one-file format; ``None`` for the folder formats (markdown)."""


_FORMATS: dict[str, Format] = {
    "csv": Format("csv", ".csv", "text/csv", to_csv.render),
    "bibtex": Format("bibtex", ".bib", "application/x-bibtex", to_bibtex.render),
    "ris": Format("ris", ".ris", "application/x-research-info-systems", to_ris.render),
    "markdown": Format("markdown", ".zip", "application/zip"),
    "graphml": Format("graphml", ".graphml", "application/graphml+xml", to_graph.render_graphml),
    "gexf": Format("gexf", ".gexf", "application/gexf+xml", to_graph.render_gexf),
    "json": Format("json", ".json", "application/json", to_json.render),
}

FORMATS: tuple[str, ...] = tuple(_FORMATS)


def format_of(name: str) -> Format:
    fmt = _FORMATS.get(name)
    if fmt is None:
        raise BadInputError(f"unknown format {name!r}; use one of: {', '.join(FORMATS)}")
    return fmt


def export(data: ExportSet, fmt: str, out: str | Path, *, naming: str = "title",
           vault: str | Path | None = None) -> int:
    """Write ``data`` in format ``fmt`` to ``out`` (a folder of notes for markdown); how many
    papers (for markdown: notes) were written.

    ``naming`` and ``vault`` are the Markdown options of
    :func:`explorer.exports.to_markdown.write_folder`."""
    spec = format_of(fmt)
    if spec.render is None:
        return to_markdown.write_folder(data, Path(out), naming=naming,
                                        vault=None if vault is None else Path(vault))
    save(out, spec.render(data))
    return len(data.entries)


def export_bytes(data: ExportSet, fmt: str, *, naming: str = "title") -> bytes:
    """The export as bytes for a download button (markdown: a zip of the folder, whose notes
    are in :data:`~explorer.exports.to_markdown.FOLDER` for ``citekey`` naming)."""
    spec = format_of(fmt)
    if spec.render is not None:
        return spec.render(data).encode("utf-8")
    folder = to_markdown.default_folder(naming)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in to_markdown.notes(data, naming=naming).items():
            zf.writestr(f"{folder}/{name}" if folder else name, text)
    return buf.getvalue()

