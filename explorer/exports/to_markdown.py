"""Obsidian / Markdown: a folder with one note per paper and an index note.

Each note opens with YAML front matter (title, authors, year, ids, status, tags, score, url),
then the abstract, TL;DR, the reasons it was ranked, the reading-list note, and
``[[wikilinks]]`` to the notes of its references and citers inside the export. The last
generated line is :data:`MARKER`: everything the user writes below it is kept when the folder is
exported again, and a note is found again by the S2 id in its front matter even if its title
(hence its file name) changed.

File names come from titles, made safe: no path separators or characters Windows, macOS or
Obsidian links reject, no leading dot, no reserved device name, at most 120 UTF-8 bytes, unique
without regard to case. Untrusted text is escaped so it cannot forge a link, a heading, HTML or
the marker.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from explorer.exports.model import Entry, ExportSet, inert
from explorer.exports.table import save

MARKER = "<!-- explorer: write your own notes below this line; it is kept on re-export -->"
INDEX = "Index"
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


def note_names(data: ExportSet, existing: Mapping[str, str] | None = None) -> dict[str, str]:
    """Paper id -> unique file stem; ``existing`` (id -> stem found on disk) wins if free."""
    taken = {INDEX.lower()}
    out: dict[str, str] = {}
    for e in data.entries:
        pid = e.paper.paper_id
        old = (existing or {}).get(pid)
        if old and old.lower() not in taken:
            out[pid] = old
            taken.add(old.lower())
    for e in data.entries:
        pid = e.paper.paper_id
        if pid in out:
            continue
        name = safe_name(e.paper.title or "", pid)
        if name.lower() in taken:
            name = f"{name[:MAX_NAME_BYTES // 2]} ({pid[:8]})"
        if name.lower() in taken:
            name = pid
        out[pid] = name
        taken.add(name.lower())
    return out


def md(text: str) -> str:
    """Untrusted text as one inert Markdown line: no HTML, links, headings or marker."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\[\]`*_|])", r"\\\1", text)
    return "\\" + text if text.startswith(("#", "-", "+", "=")) else text


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def front_matter(entry: Entry) -> dict[str, Any]:
    p = entry.paper
    ids = {"s2": p.paper_id, "arxiv": p.arxiv_id, "doi": p.doi, "corpus": p.corpus_id,
           "s2_versions": list(p.versions) or None}
    return {
        "title": " ".join((p.title or "").split()),  # one line: no "---" line can appear
        "authors": [" ".join(a.split()) for a in p.authors],
        "year": p.year,
        "ids": {k: v for k, v in ids.items() if v is not None},
        "status": entry.status,
        "tags": [re.sub(r"[^\w/-]", "-", t) for t in entry.tags],
        "score": None if entry.score is None else round(entry.score, 4),
        "url": p.best_url,
    }


def _yaml(data: Mapping[str, Any]) -> str:
    """Front matter; an HTML comment opener is broken up so no title can forge the marker."""
    return str(yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False,
                              default_flow_style=False, width=100)).replace("<!--", "<!- -")


def note(entry: Entry, names: Mapping[str, str], g: nx.DiGraph) -> str:
    """The generated part of one paper's note, ending with the marker line."""
    p = entry.paper
    lines = ["---", _yaml(front_matter(entry)).rstrip("\n"), "---", "",
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
    lines = ["---", _yaml({"title": data.title, "papers": len(data.entries)}).rstrip("\n"),
             "---", "", f"# {md(data.title)}", ""]
    for e in data.entries:
        bits = [str(e.paper.year or ""), e.status or "",
                "" if e.score is None else f"score {e.score:.3f}"]
        extra = " · ".join(b for b in bits if b)
        lines.append(f"{e.rank}. [[{names[e.paper.paper_id]}]]" + (f" · {extra}" if extra else ""))
    return "\n".join(lines) + "\n\n" + MARKER + "\n"


def notes(data: ExportSet, existing: Mapping[str, str] | None = None) -> dict[str, str]:
    """File name -> generated text for every note of the export (index included)."""
    data = inert(data, note_lines=True)
    names = note_names(data, existing)
    out = {f"{names[e.paper.paper_id]}.md": note(e, names, data.graph) for e in data.entries}
    out[f"{INDEX}.md"] = index_note(data, names)
    return out


def _paper_id_of(text: str) -> str | None:
    """The S2 id in a note's front matter, if it has one."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---", 4)
    try:
        meta = yaml.safe_load(text[4:end]) if end > 0 else None
    except yaml.YAMLError:
        return None
    ids = meta.get("ids") if isinstance(meta, dict) else None
    pid = ids.get("s2") if isinstance(ids, dict) else None
    return pid if isinstance(pid, str) else None


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


def write_folder(data: ExportSet, out: Path) -> int:
    """Write (or update) the notes in ``out``; returns how many notes were written."""
    out.mkdir(parents=True, exist_ok=True)
    existing: dict[str, str] = {}
    for path in sorted(out.glob("*.md")):
        pid = _paper_id_of(path.read_text(encoding="utf-8", errors="replace"))
        if pid:
            existing.setdefault(pid, path.stem)
    written = 0
    for name, text in notes(data, existing).items():
        path = out / name
        if path.resolve().parent != out.resolve():
            raise AssertionError(f"unsafe note name {name!r}")
        old = path.read_text(encoding="utf-8") if path.exists() else None
        new = merge(text, old)
        if new != old:
            save(path, new)  # through a temporary file: a full disk cuts no note
        written += 1
    return written
