"""The notes a vault already has, found by the ids in their YAML front matter.

An Obsidian vault holds literature notes written by hand or by plugins: the Citations plugin
names them ``@citekey`` (front matter optional), the Zotero Integration plugin writes
``citekey`` and often ``doi``. :func:`scan` reads the front matter of every ``.md`` file under
the vault (hidden folders such as ``.obsidian`` and ``.trash`` left out) and
:meth:`Vault.find` matches a paper to a note by S2 id, citation key, DOI or arXiv id, so an
export links to the note the user has instead of writing a second one. Files are only read.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from explorer.models import Paper

__all__ = ["Note", "Vault", "front_matter", "scan"]

log = logging.getLogger(__name__)

MAX_NOTE = 2_000_000
"""Characters read of each note (its front matter, and the marker line of the notes written
here); the rest of a longer file is not read."""
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml's when PyYAML has it
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:)", re.I)
_ARXIV_PREFIX = re.compile(r"^(https?://arxiv\.org/abs/|arxiv:)", re.I)


def front_matter(text: str) -> dict[str, Any] | None:
    """The YAML front matter of a note as a dict, or None (none, or not a mapping).

    Every value is read as a string (YAML would read ``arxiv: 1501.00010`` as a number and
    lose its last digit)."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 3)
    if end < 0:
        return None
    try:
        meta = yaml.load(text[4:end], Loader=_LOADER)  # noqa: S506 - builds no objects
    except yaml.YAMLError:
        return None
    return meta if isinstance(meta, dict) else None


def norm_doi(value: object) -> str | None:
    """A DOI without its resolver prefix, lower case (DOIs are case-insensitive)."""
    return _DOI_PREFIX.sub("", value.strip()).lower() or None if isinstance(value, str) else None


def norm_arxiv(value: object) -> str | None:
    """An arXiv id without prefix or version (``arXiv:1706.03762v5`` -> ``1706.03762``)."""
    if not isinstance(value, str):
        return None
    return re.sub(r"v\d+$", "", _ARXIV_PREFIX.sub("", value.strip())).lower() or None


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


@dataclass(frozen=True)
class Note:
    """A note found in the vault and the ids its front matter (or ``@key`` name) gives."""

    path: Path
    ours: bool
    """Written by this exporter (it holds the marker line): updated, not left alone."""
    s2: str | None = None
    citekey: str | None = None
    doi: str | None = None
    arxiv: str | None = None

    @classmethod
    def read(cls, path: Path, text: str, marker: str) -> Note:
        meta = front_matter(text) or {}
        raw_ids = meta.get("ids")
        ids: Mapping[str, Any] = raw_ids if isinstance(raw_ids, dict) else {}

        def pick(*keys: str, within: Mapping[str, Any] = meta) -> object:
            return next((within[k] for k in keys if within.get(k) is not None), None)

        key = _text(pick("citekey", "citationKey", "citation-key", "citation_key"))
        if key is None and path.stem.startswith("@") and len(path.stem) > 1:
            key = path.stem[1:]
        return cls(path, marker in text,
                   s2=_text(pick("s2", within=ids)) or _text(pick("s2", "paperId")),
                   citekey=key.lstrip("@") if key else None,
                   doi=norm_doi(pick("doi", within=ids)) or norm_doi(pick("doi", "DOI")),
                   arxiv=norm_arxiv(pick("arxiv", within=ids)) or
                   norm_arxiv(pick("arxiv", "arXiv", "eprint")))


@dataclass
class Vault:
    """The notes of a vault, indexed by each id they carry."""

    notes: list[Note] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by: dict[str, dict[str, list[Note]]] = {
            kind: {} for kind in ("s2", "doi", "arxiv", "citekey")}
        for note in sorted(self.notes, key=lambda n: (not n.ours, str(n.path))):
            for kind, index in self._by.items():
                value = getattr(note, kind)
                if value is not None:
                    index.setdefault(value, []).append(note)

    def find(self, paper: Paper, citekey: str | None = None) -> Note | None:
        """The note for ``paper``: by S2 id, then DOI, arXiv id, then citation key (a key alone
        does not match a note whose DOI or arXiv id says it is another paper). Notes written
        here come first, then by path."""
        doi, arxiv = norm_doi(paper.doi), norm_arxiv(paper.arxiv_id)
        for kind, value in (("s2", paper.paper_id), ("doi", doi), ("arxiv", arxiv)):
            found = self._by[kind].get(value) if value else None
            if found:
                return found[0]
        for note in self._by["citekey"].get(citekey or "", ()):
            if not (doi and note.doi and note.doi != doi) and \
                    not (arxiv and note.arxiv and note.arxiv != arxiv):
                return note
        return None


def _markdown_files(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith("."):
                yield Path(folder) / name


def scan(root: Path, marker: str) -> Vault:
    """Every note under ``root`` with the ids of its front matter; an unreadable file is
    skipped (logged), never changed."""
    notes = []
    if not root.is_dir():
        return Vault()
    for path in _markdown_files(root):
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                head = f.read(MAX_NOTE)
        except OSError as exc:
            log.warning("skipped %s: %s", path, exc.strerror)
            continue
        notes.append(Note.read(path, head, marker))
    return Vault(notes)
