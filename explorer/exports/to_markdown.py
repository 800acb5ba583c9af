"""Obsidian / Markdown: a folder with one note per paper and an index note.

Each note opens with YAML front matter that Dataview and the literature-note plugins read
(title, citekey, aliases, authors, year, venue, ids, status, tags, score, url), then the
abstract, TL;DR, the reasons it was ranked, the reading-list note, and ``[[wikilinks]]`` to the
notes of its references and citers inside the export. The last generated line is
:data:`MARKER`: everything the user writes below it is kept when the folder is exported again,
and a note is found again by the S2 id in its front matter even if its title (hence its file
name) changed.

Notes are named by title, or ``@citekey`` as Obsidian's Citations plugin names literature
notes (:data:`NAMINGS`; keys from :mod:`explorer.exports.citekeys`, the BibTeX export's). Given
a vault, a paper that already has a note there (found by S2 id, citation key, DOI or arXiv id
in its front matter: :mod:`explorer.exports.vault`) gets no second one: the other notes link to
the user's, whose file is left as it is.

File names come from titles, made safe: no path separators or characters Windows, macOS or
Obsidian links reject, no leading dot, no reserved device name, at most 120 UTF-8 bytes, unique
without regard to case. Untrusted text is escaped so it cannot forge a link, a heading, HTML or
the marker.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from explorer.errors import BadInputError
from explorer.exports.citekeys import keys
from explorer.exports.model import Entry, ExportSet, inert
from explorer.exports.table import save
from explorer.exports.vault import Vault, scan

log = logging.getLogger(__name__)

MARKER = "<!-- explorer: write your own notes below this line; it is kept on re-export -->"
INDEX = "Index"
NAMINGS = ("title", "citekey")
FOLDER = "Reading notes"
"""Where the Citations plugin keeps literature notes: the folder of a vault that
``citekey``-named notes go to unless told otherwise."""
MAX_NAME_BYTES = 120
_UNSAFE = re.compile(r'[<>:"/\\|?*#^\[\]\x00-\x1f\x7f]')
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}


def safe_name(text: str, fallback: str) -> str:
    """A file name stem (no ``.md``) that is safe on every system and in a wikilink."""
    name = unicodedata.normalize("NFC", text)
    name = " ".join(_UNSAFE.sub(" ", name).split()).strip(" .")
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1].rstrip(" .")
    if not name:
        name = fallback
    if name.split(".")[0].lower() in _RESERVED:
        name = f"{name} (paper)"
    return name


def default_folder(naming: str) -> str:
    """The folder of a vault the notes go to: :data:`FOLDER` for ``citekey`` naming, else
    the vault itself."""
    return FOLDER if naming == "citekey" else ""


def vault_folder(vault: Path, folder: str | None, naming: str) -> Path:
    """The folder of ``vault`` the notes go to: ``folder`` (relative to the vault), by default
    :func:`default_folder`; a folder outside the vault is a BadInputError."""
    target = vault / (default_folder(naming) if folder is None else folder)
    if not target.resolve().is_relative_to(vault.resolve()):
        raise BadInputError(f"the notes folder {folder!r} is outside the vault {str(vault)!r}")
    return target


def check_naming(naming: str) -> str:
    """``naming`` if it is one of :data:`NAMINGS`, else a BadInputError."""
    if naming not in NAMINGS:
        raise BadInputError(f"unknown note naming {naming!r}; use one of: {', '.join(NAMINGS)}")
    return naming


def note_names(data: ExportSet, existing: Mapping[str, str] | None = None, *,
               naming: str = "title", citekeys: Mapping[str, str] | None = None,
               taken: Iterable[str] = ()) -> dict[str, str]:
    """Paper id -> unique file stem; ``existing`` (id -> stem found on disk) wins if free.

    ``citekeys`` (id -> key) name the notes ``@key`` under ``citekey`` naming; ``taken``
    stems (files of the folder that are not this export's) are never given."""
    check_naming(naming)
    taken_names = {INDEX.lower(), *(t.lower() for t in taken)}
    out: dict[str, str] = {}
    for e in data.entries:
        pid = e.paper.paper_id
        old = (existing or {}).get(pid)
        if old and old.lower() not in taken_names:
            out[pid] = old
            taken_names.add(old.lower())
    for e in data.entries:
        pid = e.paper.paper_id
        if pid in out:
            continue
        key = (citekeys or {}).get(pid)
        wanted = f"@{key}" if naming == "citekey" and key else e.paper.title or ""
        name = safe_name(wanted, pid)
        if name.lower() in taken_names:
            name = f"{name[:MAX_NAME_BYTES // 2]} ({pid[:8]})"
        if name.lower() in taken_names:
            name = pid
        out[pid] = name
        taken_names.add(name.lower())
    return out


def md(text: str) -> str:
    """Untrusted text as one inert Markdown line: no HTML, links, headings or marker."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\[\]`*_|])", r"\\\1", text)
    return "\\" + text if text.startswith(("#", "-", "+", "=")) else text


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def front_matter(entry: Entry, citekey: str | None = None) -> dict[str, Any]:
    p = entry.paper
    ids = {"s2": p.paper_id, "arxiv": p.arxiv_id, "doi": p.doi, "corpus": p.corpus_id,
           "s2_versions": list(p.versions) or None}
    title = " ".join((p.title or "").split())  # one line: no "---" line can appear
    return {
        "title": title,
        "citekey": citekey,
        "aliases": [title] if title else [],
        "authors": [" ".join(a.split()) for a in p.authors],
        "year": p.year,
        "venue": " ".join(p.venue.split()) if p.venue else None,
        "ids": {k: v for k, v in ids.items() if v is not None},
        "status": entry.status,
        "tags": [re.sub(r"[^\w/-]", "-", t) for t in entry.tags],
        "score": None if entry.score is None else round(entry.score, 4),
        "url": p.best_url,
    }


def yaml_text(data: Mapping[str, Any]) -> str:
    """Front matter; an HTML comment opener is broken up so no title can forge the marker."""
    return str(yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False,
                              default_flow_style=False, width=100)).replace("<!--", "<!- -")


def note(entry: Entry, names: Mapping[str, str], g: nx.DiGraph,
         citekey: str | None = None) -> str:
    """The generated part of one paper's note, ending with the marker line."""
    p = entry.paper
    lines = ["---", yaml_text(front_matter(entry, citekey)).rstrip("\n"), "---", "",
             f"# {md(p.title or p.paper_id)}", ""]
    byline = " · ".join(md(x) for x in (", ".join(p.authors), str(p.year or ""), p.venue or "")
                        if x)
    if byline:
        lines += [byline, ""]
    links = [f"[Semantic Scholar]({_url(p.s2_url)})"]
    if p.arxiv_url:
        links.append(f"[arXiv]({_url(p.arxiv_url)})")
    if p.doi:
        links.append(f"[DOI]({_url('https://doi.org/' + p.doi)})")
    lines += [" · ".join(links), ""]
    if p.tldr:
        lines += ["## TL;DR", "", md(p.tldr), ""]
    if p.abstract:
        lines += ["## Abstract", "", md(p.abstract), ""]
    if entry.reasons:
        lines += ["## Why it is here", "", *(f"- {md(r)}" for r in entry.reasons), ""]
    if entry.note.strip():
        lines += ["## My note", "", *(md(x) for x in entry.note.splitlines() if x.strip()), ""]
    pid = p.paper_id
    for heading, others in (
        ("References in this export", g.successors(pid) if pid in g else ()),
        ("Cited by in this export", g.predecessors(pid) if pid in g else ()),
    ):
        linked = sorted(names[o] for o in others if o in names)
        if linked:
            lines += [f"## {heading}", "", *(f"- [[{n}]]" for n in linked), ""]
    return "\n".join(lines) + MARKER + "\n"


def index_note(data: ExportSet, names: Mapping[str, str]) -> str:
    lines = ["---", yaml_text({"title": data.title, "papers": len(data.entries)}).rstrip("\n"),
             "---", "", f"# {md(data.title)}", ""]
    for e in data.entries:
        bits = [str(e.paper.year or ""), e.status or "",
                "" if e.score is None else f"score {e.score:.3f}"]
        extra = " · ".join(b for b in bits if b)
        lines.append(f"{e.rank}. [[{names[e.paper.paper_id]}]]" + (f" · {extra}" if extra else ""))
    return "\n".join(lines) + "\n\n" + MARKER + "\n"


def notes(data: ExportSet, existing: Mapping[str, str] | None = None, *,
          naming: str = "title", linked: Mapping[str, str] | None = None,
          taken: Iterable[str] = ()) -> dict[str, str]:
    """File name -> generated text for every note of the export (index included).

    ``linked`` papers (id -> the stem of the user's own note) get no note: links go to
    theirs."""
    data = inert(data, note_lines=True)
    key_of = keys((e.paper for e in data.entries), data.citekeys)
    names = {**note_names(data, existing, naming=naming, citekeys=key_of,
                          taken=[*taken, *(linked or {}).values()]), **(linked or {})}
    out = {f"{names[e.paper.paper_id]}.md": note(e, names, data.graph, key_of[e.paper.paper_id])
           for e in data.entries if e.paper.paper_id not in (linked or {})}
    out[f"{INDEX}.md"] = index_note(data, names)
    return out


def merge(generated: str, old: str | None) -> str:
    """The new generated part, followed by the user's text below the marker in ``old``.

    A file without the marker is all the user's, and is kept whole below the marker."""
    if old is None:
        return generated
    _, found, user = old.partition(MARKER + "\n")
    if not found:
        _, found, user = old.partition(MARKER)
        if not found:
            user = old
    return generated + user


def notes_in(folder: Path) -> dict[str, str]:
    """S2 id -> file stem of every paper note in ``folder`` and below (found by its front
    matter)."""
    existing: dict[str, str] = {}
    for note in scan(folder, MARKER).notes:
        if note.s2:
            existing.setdefault(note.s2, note.path.stem)
    return existing


def write_folder(data: ExportSet, out: Path, *, naming: str = "title",
                 vault: Path | None = None) -> int:
    """Write (or update) the notes in ``out``; returns how many notes were written.

    Parameters
    ----------
    data : ExportSet
        What to write.
    out : Path
        The folder of the notes (made if missing).
    naming : {"title", "citekey"}
        Notes named by title, or ``@citekey`` with ``[[@citekey]]`` links.
    vault : Path, optional
        The vault ``out`` belongs to (``out`` itself by default): a paper with a note anywhere
        in it, found by S2 id, citation key, DOI or arXiv id, gets no new note and the export
        links to that note, leaving its file as it is. The notes this exporter wrote before
        (they hold :data:`MARKER`) are updated in place, keeping the user's text below it.

    Returns
    -------
    int
        Notes written, the index included (the vault's own notes are not counted).
    """
    check_naming(naming)
    out.mkdir(parents=True, exist_ok=True)
    here = out.resolve()
    found = scan(vault or out, MARKER).notes
    if vault is not None and not here.is_relative_to(vault.resolve()):
        found += scan(out, MARKER).notes
    vault_notes = Vault(found)
    key_of = keys((e.paper for e in data.entries), data.citekeys)
    existing: dict[str, str] = {}
    linked: dict[str, str] = {}
    for e in data.entries:
        pid = e.paper.paper_id
        hit = vault_notes.find(e.paper, key_of[pid])
        if hit is None:
            continue
        if hit.ours and hit.path.parent.resolve() == here:
            existing[pid] = hit.path.stem
        elif not _UNSAFE.search(hit.path.stem):  # a name no [[link]] can hold is not linked
            linked[pid] = hit.path.stem
    if linked:
        log.info("%d papers already have a note in %s: linked to it, not written",
                 len(linked), vault or out)
    mine = set(existing.values())
    taken = [n.path.stem for n in found if n.path.parent.resolve() == here
             and n.path.stem not in mine]
    written = 0
    for name, text in notes(data, existing, naming=naming, linked=linked, taken=taken).items():
        path = out / name
        if path.resolve().parent != here:
            raise AssertionError(f"unsafe note name {name!r}")
        old = path.read_text(encoding="utf-8") if path.exists() else None
        new = merge(text, old)
        if new != old:
            save(path, new)  # through a temporary file: a full disk cuts no note
        written += 1
    return written
