"""Author names as reference managers want them: family name apart from given names.

Semantic Scholar gives one string per author ("Ashish Vaswani"). Zotero's RIS reader splits a
name on its first comma and BibTeX on its commas, so every format writes ``Last, First``, and
one function, :func:`split_name`, decides where the family name starts:

- ``First Last`` is the default (``Yann LeCun``, ``Quoc V. Le``);
- lower-case particles belong to the family name (``Ludwig van Beethoven`` -> ``van
  Beethoven``), as BibTeX's von part does;
- a generational suffix (``Jr.``, ``III``) is kept apart;
- a name already written ``Last, First`` is kept so;
- a name ending in initials is family-name first (``Le Quoc V.`` -> ``Le``, ``Quoc V.``);
- a name in Chinese, Japanese or Korean script is family-name first (``山田 太郎``);
- a single word is a family name alone (``Plato``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Name", "author_names", "split_name"]

PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "degli", "di", "da", "das", "dos", "du",
    "la", "le", "ter", "ten", "zu", "zur", "bin", "ibn", "al", "el", "y", "st.", "af", "av",
})
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_INITIALS = re.compile(r"(?:[A-Z]\.?-?)+")


@dataclass(frozen=True)
class Name:
    """One author's name in parts; ``last`` holds the particle (``van Beethoven``)."""

    last: str
    first: str = ""
    suffix: str = ""

    @property
    def surname(self) -> str:
        """The family name without its particle (``Beethoven``), for citation keys."""
        words = self.last.split()
        while len(words) > 1 and words[0].lower() in PARTICLES:
            words = words[1:]
        return " ".join(words)

    def inverted(self) -> str:
        """``Last, First`` (``Last, First Jr.`` with a suffix): one comma, as RIS readers split."""
        given = " ".join(x for x in (self.first, self.suffix) if x)
        return f"{self.last}, {given}" if given else self.last


def split_name(text: str) -> Name:
    """Split one author string into family name, given names and suffix.

    Parameters
    ----------
    text : str
        An author as Semantic Scholar writes it.

    Returns
    -------
    Name
        Blank parts are empty strings; a blank ``text`` gives ``Name("")``.

    Examples
    --------
    >>> split_name("Ashish Vaswani")
    Name(last='Vaswani', first='Ashish', suffix='')
    >>> split_name("Ludwig van Beethoven").inverted()
    'van Beethoven, Ludwig'
    >>> split_name("Le Quoc V.")
    Name(last='Le', first='Quoc V.', suffix='')
    >>> split_name("Martin Luther King Jr.").inverted()
    'King, Martin Luther Jr.'
    """
    text = " ".join(text.split())
    last, comma, rest = text.partition(",")
    if comma and not last.strip():
        text = " ".join(rest.replace(",", " ").split())
    elif comma:
        parts = [p.strip() for p in rest.split(",")]
        if len(parts) > 1 and parts[0].lower() in SUFFIXES:
            return Name(last.strip(), " ".join(parts[1:]), parts[0])
        return Name(last.strip(), " ".join(p for p in parts if p))
    words = text.split()
    suffix = ""
    if len(words) > 2 and words[-1].lower() in SUFFIXES:
        suffix = words.pop()
    if len(words) < 2:
        return Name(" ".join(words), "", suffix)
    if all(_east_asian(w) for w in words) or (
            _INITIALS.fullmatch(words[-1]) and not _INITIALS.fullmatch(words[0])):
        return Name(words[0], " ".join(words[1:]), suffix)
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES and words[start - 1].islower():
        start -= 1
    return Name(" ".join(words[start:]), " ".join(words[:start]), suffix)


def author_names(authors: Iterable[str]) -> list[Name]:
    """:func:`split_name` of each author that has a name left once split (``","`` has none)."""
    return [n for n in map(split_name, authors) if n.last]


def _east_asian(word: str) -> bool:
    return all(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL"))
               for c in word)
