"""BibTeX through bibtexparser, with the entry type a reference manager files it under.

The entry type comes from :func:`explorer.exports.kinds.kind_of` (``@inproceedings`` with
``booktitle``, ``@article`` with ``journal``, ``@book``, ``@incollection``, arXiv preprints as
``@misc`` with ``eprint`` and ``archivePrefix``); authors are ``Last, First`` from
:func:`explorer.exports.names.split_name`; keys are :mod:`explorer.exports.citekeys`. Fields S2's
``citationStyles.bibtex`` adds (volume, pages, ...) are kept.

Title words a style would lower-case but must not (``BERT``, ``LLaMA``, ``GPT-3``, ``ResNet``)
are brace-protected. Text is kept in UTF-8 (biber, Zotero and JabRef read it) and the characters
LaTeX would act on (``\\ { } & % $ # _ ~ ^``) are escaped, since titles are untrusted: no title
can close an entry or run a LaTeX command. Braces become ``\\textbraceleft{}`` and
``\\textbraceright{}``, not ``\\{``: BibTeX counts every brace, escaped or not, so a lone
``\\{`` would leave the value open.
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser import model

from explorer.exports.citekeys import keys
from explorer.exports.kinds import kind_of
from explorer.exports.model import Entry, ExportSet, inert
from explorer.exports.names import Name, author_names

_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))
_ESCAPES = "|".join(re.escape(v) for v in sorted(_SPECIAL.values(), key=len, reverse=True))
_UNESCAPE_RE = re.compile(f"({_ESCAPES})|[{{}}]")
_INVERSE = {v: k for k, v in _SPECIAL.items()}
_CAPITALS = re.compile(r"[A-Za-z0-9][A-Z]|[A-Z][0-9]")
_AND = re.compile(r"\band\b", re.I)
ENTRY_TYPES = {"conference": "inproceedings", "journal": "article", "book": "book",
               "chapter": "incollection", "preprint": "misc", "misc": "misc"}
VENUE_FIELDS = {"conference": "booktitle", "journal": "journal", "book": "series",
                "chapter": "booktitle", "preprint": "howpublished", "misc": "howpublished"}
_OURS = {"title", "author", "journal", "booktitle", "series", "howpublished"}
"""S2 record fields the built entry decides (S2 files nearly everything as an article)."""


def escape(text: str) -> str:
    """Escape the characters LaTeX acts on; :func:`unescape` is the inverse."""
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], " ".join(text.split()))


def unescape(text: str) -> str:
    """The text an escaped (and brace-protected) value stands for."""
    return _UNESCAPE_RE.sub(lambda m: _INVERSE[m.group(1)] if m.group(1) else "", text)


def protect(text: str) -> str:
    r""":func:`escape` of ``text`` with each word holding an inner capital or a capital next to
    a digit (an acronym, a name) in braces, so styles that lower-case titles keep it.

    >>> protect("BERT: Pre-training of Deep Bidirectional Transformers")
    '{BERT}: Pre-training of Deep Bidirectional Transformers'
    >>> protect("LLaMA and GPT-3 in 50% {of} cases")
    '{LLaMA} and {GPT-3} in 50\\% \\textbraceleft{}of\\textbraceright{} cases'
    """
    def word(m: re.Match[str]) -> str:
        raw = m.group(0)
        core = raw.strip(".,:;!?()\"'")
        if not _CAPITALS.search(core):
            return escape(raw)
        at = raw.index(core)
        return escape(raw[:at]) + "{" + escape(core) + "}" + escape(raw[at + len(core):])
    return re.sub(r"\S+", word, " ".join(text.split()))


def bibtex_name(name: Name) -> str:
    """One author as BibTeX's ``von Last, Jr, First``, escaped; a part holding the word
    "and" is braced so it cannot split the author list, and a family name of several words
    with no given name is braced so BibTeX does not split it."""

    def part(text: str) -> str:
        text = escape(text)
        return "{" + text + "}" if _AND.search(text) else text
    if not name.first and not name.suffix:  # "Last" alone: one braced word, however many
        return "{" + escape(name.last) + "}" if " " in name.last else part(name.last)
    return ", ".join(part(x) for x in (name.last, name.suffix, name.first) if x) \
        if name.suffix else ", ".join(part(x) for x in (name.last, name.first) if x)


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


def entry_for(entry: Entry, key: str) -> model.Entry:
    """One bibtexparser entry of the paper's kind, with ids, tags and note; the fields S2's
    record adds (volume, pages, publisher...) are kept."""
    paper = entry.paper
    kind = kind_of(paper)
    fields: dict[str, str] = {}
    if paper.title:
        fields["title"] = protect(paper.title)
    authors = author_names(paper.authors)
    if authors:
        fields["author"] = " and ".join(bibtex_name(n) for n in authors)
    if paper.year:
        fields["year"] = str(paper.year)
    if paper.venue and kind not in ("preprint", "misc"):
        fields[VENUE_FIELDS[kind]] = escape(paper.venue)
    s2 = _from_s2(paper.bibtex) if paper.bibtex else None
    for f in s2.fields if s2 is not None else ():
        name, value = f.key.lower(), str(f.value)
        if name not in _OURS and name not in fields and not value.startswith("abs/"):
            fields[name] = value
    extra = {
        "doi": escape(paper.doi) if paper.doi else None,
        "eprint": escape(paper.arxiv_id) if paper.arxiv_id else None,
        "archiveprefix": "arXiv" if paper.arxiv_id else None,
        "url": escape(paper.best_url),
        "abstract": escape(paper.abstract) if paper.abstract else None,
        "keywords": ", ".join(escape(t) for t in entry.tags) or None,
        "annote": escape(entry.note) if entry.note else None,
    }
    for name, text in extra.items():
        if text and not fields.get(name):
            fields[name] = text
    return model.Entry(ENTRY_TYPES[kind], key, [model.Field(k, v) for k, v in fields.items()])


def library(data: ExportSet) -> bibtexparser.Library:
    data = inert(data)
    key_of = keys((e.paper for e in data.entries), data.citekeys)
    lib = bibtexparser.Library()
    for e in data.entries:
        lib.add(entry_for(e, key_of[e.paper.paper_id]))
    return lib


def render(data: ExportSet) -> str:
    return bibtexparser.write_string(library(data))
