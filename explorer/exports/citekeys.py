"""Citation keys, the same in every format: BibTeX entries, Markdown note names and links.

A key is ``<first author's surname><year><first significant title word>`` in lower-case ASCII
(``vaswani2017attention``), made unique by suffixes ``b``, ``c``... given in paper-id order, so
the same papers always get the same keys. Keys a library already uses (Better BibTeX's, read
from Zotero) are passed in and win; generated keys avoid them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from explorer.exports.names import split_name
from explorer.models import Paper

__all__ = ["key_base", "keys"]

STOPWORDS = frozenset({"a", "an", "the", "on", "of", "in", "for", "to", "and", "with", "from",
                       "at", "by", "is", "are", "towards", "toward"})
_KEY = re.compile(r"[A-Za-z0-9_:.\-+]+")


def ascii_word(text: str) -> str:
    """``text`` folded to lower-case ASCII letters and digits (``Łukasz`` -> ``ukasz``)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def key_base(paper: Paper) -> str:
    """``surname + year + first significant title word``, ASCII lower case."""
    surname = ascii_word(split_name(paper.authors[0]).surname) if paper.authors else ""
    words = [ascii_word(w) for w in (paper.title or "").split()]
    word = next((w for w in words if w and w not in STOPWORDS), "")
    base = f"{surname}{paper.year or ''}{word}"
    return base if surname or word else f"s2{paper.paper_id[:10]}"


def keys(papers: Iterable[Paper], given: Mapping[str, str] | None = None) -> dict[str, str]:
    """A unique, stable key per paper id.

    Parameters
    ----------
    papers : iterable of Paper
        The papers to key.
    given : mapping of str to str, optional
        Paper id -> a key the user's library already has; used as is when it is a usable
        BibTeX key not given to another paper, and never generated for another paper.

    Returns
    -------
    dict of str to str
        Paper id -> key.
    """
    papers = list(papers)
    out: dict[str, str] = {}
    used: set[str] = set()
    for p in papers:
        key = (given or {}).get(p.paper_id)
        if key and _KEY.fullmatch(key) and key.lower() not in used:
            out[p.paper_id] = key
            used.add(key.lower())
    by_base: dict[str, list[str]] = {}
    for p in papers:
        if p.paper_id not in out:
            by_base.setdefault(key_base(p), []).append(p.paper_id)
    taken = set(by_base) | used
    for base, ids in by_base.items():
        suffix = 1  # carried over: the suffixes before it are taken
        for n, pid in enumerate(sorted(set(ids))):
            key = base
            while (n or base in used) and (key in taken or key == base):
                suffix += 1
                key = base + letters(suffix)
            taken.add(key)
            out[pid] = key
    return out


def letters(n: int) -> str:
    """2 -> b, 26 -> z, 27 -> aa."""
    s = ""
    n -= 1
    while True:
        s = chr(ord("a") + n % 26) + s
        n = n // 26 - 1
        if n < 0:
            return s
