"""BibTeX through bibtexparser: S2's ``citationStyles.bibtex`` when present, else built.

Keys are ``<first author's surname><year><first title word>`` in ASCII (``vaswani2017attention``),
made unique by suffixes ``b``, ``c``... given in paper-id order, so the same papers always get the
same keys. arXiv papers carry ``eprint`` and ``archivePrefix``. Text is kept in UTF-8 (biber,
Zotero and JabRef read it) and the characters LaTeX would act on (``\\ { } & % $ # _ ~ ^``) are
escaped, since titles are untrusted: no title can close an entry or run a LaTeX command.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import bibtexparser
from bibtexparser import model

from explorer.exports.model import Entry, ExportSet, inert
from explorer.models import Paper

_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))
_UNESCAPE_RE = re.compile("|".join(re.escape(v) for v in sorted(_SPECIAL.values(), key=len,
                                                                  reverse=True)))
_INVERSE = {v: k for k, v in _SPECIAL.items()}
_STOPWORDS = {"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from", "at",
              "by", "is", "are", "towards", "toward"}


def escape(text: str) -> str:
    """Escape the characters LaTeX acts on; :func:`unescape` is the inverse."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], " ".join(text.split()))


def unescape(text: str) -> str:
    return _UNESCAPE_RE.sub(lambda m: _INVERSE[m.group(0)], text)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def key_base(paper: Paper) -> str:
    """``surname + year + first significant title word``, ASCII lower case."""
    surname = _ascii_word(paper.authors[0].split()[-1]) if paper.authors and \
        paper.authors[0].split() else ""
    words = [_ascii_word(w) for w in (paper.title or "").split()]
    word = next((w for w in words if w and w not in _STOPWORDS), "")
    base = f"{surname}{paper.year or ''}{word}"
    return base if surname or word else f"s2{paper.paper_id[:10]}"


def keys(papers: Iterable[Paper]) -> dict[str, str]:
    """A unique, stable key per paper id."""
    by_base: dict[str, list[str]] = {}
    for p in papers:
        by_base.setdefault(key_base(p), []).append(p.paper_id)
    out: dict[str, str] = {}
    taken = set(by_base)
    for base, ids in by_base.items():
        for n, pid in enumerate(sorted(set(ids))):
            key = base
            suffix = 1
            while n and (key in taken or key == base):
                suffix += 1
                key = base + _letters(suffix)
            taken.add(key)
            out[pid] = key
    return out


def _letters(n: int) -> str:
    """2 -> b, 26 -> z, 27 -> aa."""
    s = ""
    n -= 1
    while True:
        s = chr(ord("a") + n % 26) + s
        n = n // 26 - 1
        if n < 0:
            return s


def _from_s2(bibtex: str) -> model.Entry | None:
    try:
        lib = bibtexparser.parse_string(bibtex)
    except Exception:  # a malformed S2 record is rebuilt from the fields instead
        return None
    if len(lib.entries) != 1 or lib.failed_blocks:
        return None
    entry = lib.entries[0]
    if not re.fullmatch(r"[A-Za-z]+", entry.entry_type or ""):
        return None
    return entry


def _built(paper: Paper) -> tuple[str, dict[str, str]]:
    fields: dict[str, str] = {}
    if paper.title:
        fields["title"] = escape(paper.title)
    if paper.authors:
        fields["author"] = " and ".join(escape(a) for a in paper.authors)
    if paper.year:
        fields["year"] = str(paper.year)
    if paper.venue:
        fields["journal"] = escape(paper.venue)
    return ("article" if paper.venue else "misc"), fields


def entry_for(entry: Entry, key: str) -> model.Entry:
    """One bibtexparser entry: S2's record (if usable) completed with ids, tags and note."""
    paper = entry.paper
    s2 = _from_s2(paper.bibtex) if paper.bibtex else None
    if s2 is not None:
        kind = s2.entry_type.lower()
        fields = {f.key.lower(): str(f.value) for f in s2.fields}
    else:
        kind, fields = _built(paper)
    extra = {
        "doi": escape(paper.doi) if paper.doi else None,
        "eprint": paper.arxiv_id,
        "archiveprefix": "arXiv" if paper.arxiv_id else None,
        "url": escape(paper.best_url),
        "abstract": escape(paper.abstract) if paper.abstract else None,
        "keywords": ", ".join(escape(t) for t in entry.tags) or None,
        "annote": escape(entry.note) if entry.note else None,
    }
    for name, value in extra.items():
        if value and not fields.get(name):
            fields[name] = value
    return model.Entry(kind, key, [model.Field(k, v) for k, v in fields.items()])


def library(data: ExportSet) -> bibtexparser.Library:
    data = inert(data)
    key_of = keys(e.paper for e in data.entries)
    lib = bibtexparser.Library()
    for e in data.entries:
        lib.add(entry_for(e, key_of[e.paper.paper_id]))
    return lib


def render(data: ExportSet) -> str:
    return bibtexparser.write_string(library(data))
