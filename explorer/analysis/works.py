"""Which records are one work: the preprint, the accepted and the published version of a paper,
or the same paper from two sources.

A pure function of plain records (:class:`Record`: ids, title, first author, year), so any
source can feed it: Semantic Scholar's ``externalIds``, OpenAlex's locations, a bibliography.
Two records are the same work on any of this evidence:

- a shared DOI (case folded);
- a shared arXiv id (version suffix dropped); a DOI ``10.48550/arXiv.<id>`` names arXiv ``<id>``;
- the same normalised title, the same first author's surname and years at most one apart,
  unless either title is a notice about another paper (a comment, reply, erratum, correction,
  retraction), too generic to tell papers apart ("Introduction", "Editorial"), or the two
  records would then hold two different journal DOIs or two different arXiv ids: two separately
  registered papers with one title (an erratum that repeats the title, a reprint) stay apart.

Groups are closed under the evidence (a union-find); the title evidence is applied in id order,
so the result never depends on the order the records come in. The record a group keeps is the
published version (it has a DOI that is not arXiv's), else the most cited, else the smallest
id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Link", "Record", "Work", "arxiv_of_doi", "find_works", "id_keys", "normal_title",
           "surname"]

ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)
NOTICE = re.compile(
    r"^(comments? (on|to)|reply (to|on)|response to|rejoinder|erratum|errata|corrigendum|"
    r"correction|retraction|retracted|expression of concern|addendum)\b")
GENERIC_TITLES = frozenset({
    "introduction", "preface", "editorial", "foreword", "index", "contents", "front matter",
    "back matter", "book review", "book reviews", "discussion", "conclusion", "conclusions",
    "abstracts", "keynote", "untitled", "letter to the editor", "guest editorial",
})
MIN_TITLE_WORDS = 3
"""A title of fewer words is not evidence on its own ("Deep learning", "Attention")."""


@dataclass(frozen=True)
class Record:
    """One record of a paper, as any source gives it.

    ``key`` is the record's id (an S2 paper id); ``first_author`` a full name ("Andrew
    Granville" or "Granville, Andrew"); ``citations`` the source's citation count.
    """

    key: str
    title: str | None = None
    first_author: str | None = None
    year: int | None = None
    dois: tuple[str, ...] = ()
    arxiv_ids: tuple[str, ...] = ()
    citations: int | None = None


@dataclass(frozen=True)
class Link:
    """Why ``a`` and ``b`` are one work, as a phrase ("same title, first author and year")."""

    a: str
    b: str
    why: str


@dataclass(frozen=True)
class Work:
    """Records that are one work: ``kept`` first in ``members``, the others in id order."""

    kept: str
    members: tuple[str, ...]
    links: tuple[Link, ...]

    def why(self, key: str) -> str:
        """The evidence that ties ``key`` to the rest of the work (first link naming it)."""
        return next((link.why for link in self.links if key in (link.a, link.b)), "")


def arxiv_of_doi(doi: str) -> str | None:
    """The arXiv id a DOI names (``10.48550/arXiv.2305.02329`` -> ``2305.02329``), else None.

    >>> arxiv_of_doi("10.48550/ARXIV.2305.02329"), arxiv_of_doi("10.1090/bull/1826")
    ('2305.02329', None)
    """
    if not doi.lstrip().startswith("10.48550/"):
        return None
    match = ARXIV_DOI.fullmatch(doi.strip())
    return _arxiv(match.group(1)) if match else None


def _arxiv(arxiv_id: str) -> str:
    """The id folded, its version suffix (``v2``) dropped."""
    text = arxiv_id.strip().lower().removeprefix("arxiv:")
    head, v, version = text.rpartition("v")
    return head if v and version.isdecimal() else text


_SPACES = bytes(c if c < 128 and chr(c).isalnum() else 32 for c in range(256))
"""A bytes translation table: ASCII letters and digits stay, everything else is a space."""


def _ascii(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return text.lower()


def normal_title(title: str | None) -> str:
    """The title folded for comparison: ASCII, lower case, punctuation as spaces.

    >>> normal_title("Proof in the Time of Machines.")
    'proof in the time of machines'
    >>> normal_title("Attention is all you need: part II")
    'attention is all you need part ii'
    """
    # as bytes: their translate is a table lookup, several times faster than str's
    return b" ".join(_ascii(title or "").encode("ascii").translate(_SPACES).split()).decode()


def surname(name: str | None) -> str:
    """The surname of a name written "Given Surname" or "Surname, Given", folded.

    >>> surname("Andrew Granville"), surname("Granville, A."), surname("É. Noether")
    ('granville', 'granville', 'noether')
    """
    text = (name or "").strip()
    part = text.split(",", 1)[0] if "," in text else (text.split() or [""])[-1]
    return re.sub(r"[^a-z]", "", _ascii(part))


def telling(title: str) -> bool:
    """Whether a normalised title can tell one paper from another."""
    return (len(title.split()) >= MIN_TITLE_WORDS and title not in GENERIC_TITLES
            and not NOTICE.match(title))


def _journal_dois(dois: Sequence[str]) -> set[str]:
    return {d.strip().lower() for d in dois if d.strip() and arxiv_of_doi(d) is None}


def _arxiv_ids(dois: Sequence[str], arxiv_ids: Sequence[str]) -> set[str]:
    found = {_arxiv(a) for a in arxiv_ids if a.strip()}
    return found | {a for d in dois if (a := arxiv_of_doi(d))} if dois else found


def id_keys(dois: Sequence[str], arxiv_ids: Sequence[str]) -> set[str]:
    """The ids :func:`find_works` compares a record by: each journal DOI, folded, as
    ``"doi:<doi>"``, and each arXiv id (those arXiv's DOIs name too) as ``"arxiv:<id>"``.
    Records that share none of these, nor a folded title, are never one work.

    >>> sorted(id_keys(["10.48550/arXiv.2305.02329", "10.1090/BULL/1826"], ["2305.02329v2"]))
    ['arxiv:2305.02329', 'doi:10.1090/bull/1826']
    """
    return ({f"doi:{d}" for d in _journal_dois(dois)}
            | {f"arxiv:{a}" for a in _arxiv_ids(dois, arxiv_ids)})


class _Groups:
    """Union-find over record keys; each root knows its group's journal DOIs and arXiv ids.

    Only the records that carry an id, and the keys joined, have entries: every other key is
    a group of its own with no ids."""

    def __init__(self, records: list[Record]) -> None:
        self.parent: dict[str, str] = {}
        self.dois = {r.key: dois for r in records
                     if r.dois and (dois := _journal_dois(r.dois))}
        self.arxiv = {r.key: ids for r in records
                      if (r.arxiv_ids or r.dois) and (ids := _arxiv_ids(r.dois, r.arxiv_ids))}
        self.published = set(self.dois)

    def root(self, key: str) -> str:
        parent = self.parent
        while (up := parent.get(key, key)) != key:
            parent[key] = parent.get(up, up)
            key = parent[key]
        return key

    def clash(self, a: str, b: str) -> bool:
        ra, rb = self.root(a), self.root(b)
        return any((sa := x.get(ra)) and (sb := x.get(rb)) and not sa & sb
                   for x in (self.dois, self.arxiv))

    def join(self, a: str, b: str) -> bool:
        ra, rb = sorted((self.root(a), self.root(b)))
        if ra == rb:
            return False
        self.parent[rb] = ra
        for ids in (self.dois, self.arxiv):
            if rb in ids:
                ids[ra] = ids.get(ra, set()) | ids.pop(rb)
        return True


def _id_links(records: list[Record], groups: _Groups) -> list[Link]:
    first: dict[tuple[str, str], str] = {}
    links: list[Link] = []
    none: set[str] = set()
    for r in records:
        dois, arxiv = groups.dois.get(r.key, none), groups.arxiv.get(r.key, none)
        if not dois and not arxiv:
            continue
        named = [("doi", d) for d in (sorted(dois) if len(dois) > 1 else dois)]
        named += [("arxiv", a) for a in (sorted(arxiv) if len(arxiv) > 1 else arxiv)]
        for kind, value in named:
            other = first.setdefault((kind, value), r.key)
            if other != r.key:
                what = f"same DOI {value}" if kind == "doi" else f"same arXiv id {value}"
                links.append(Link(other, r.key, what))
    return links


def _title_links(records: list[Record]) -> list[Link]:
    first: dict[str, Record] = {}
    by_title: dict[str, list[Record]] = {}  # the titles of two records or more
    for r in records:
        if r.title and r.year is not None:
            title = normal_title(r.title)
            if (seen := first.setdefault(title, r)) is not r:
                by_title.setdefault(title, [seen]).append(r)
    by_key: dict[tuple[str, str], list[Record]] = {}
    for title, same_title in by_title.items():
        if not telling(title):
            continue
        for r in same_title:
            if author := surname(r.first_author):
                by_key.setdefault((title, author), []).append(r)
    links: list[Link] = []
    for same in by_key.values():
        for i, a in enumerate(same):
            for b in same[i + 1:]:
                ya, yb = a.year or 0, b.year or 0
                if abs(ya - yb) <= 1:
                    years = "" if ya == yb else f" ({min(ya, yb)} and {max(ya, yb)})"
                    links.append(Link(a.key, b.key, f"same title, first author and year{years}"))
    # the closest years first: a version pairs with its own kin before a same-titled notice
    return sorted(links, key=lambda link: (link.why != "same title, first author and year",
                                           link.a, link.b))


def _kept(members: list[Record], published: set[str]) -> Record:
    return min(members, key=lambda r: (r.key not in published, -(r.citations or 0), r.key))


def find_works(records: Iterable[Record]) -> list[Work]:
    """Group the records that are one work, each group with its evidence.

    Parameters
    ----------
    records : Iterable[Record]
        The records, one per key (a later record with a key already seen is ignored).

    Returns
    -------
    list[Work]
        Only the groups of two records or more, by kept key. ``links`` hold the evidence that
        joined the group, the id evidence first.

    Examples
    --------
    >>> arxiv = Record("af02", "Proof in the time of machines", "Andrew Granville", 2023,
    ...                dois=("10.48550/arXiv.2305.02329",), arxiv_ids=("2305.02329",))
    >>> bull = Record("7ce0", "Proof in the Time of Machines", "A. Granville", 2024,
    ...               dois=("10.1090/bull/1826",))
    >>> erratum = Record("e1", "Proof in the time of machines", "Andrew Granville", 2024,
    ...                  dois=("10.1090/bull/9999",))
    >>> [(w.kept, w.members, w.why("af02")) for w in find_works([arxiv, bull, erratum])]
    [('7ce0', ('7ce0', 'af02'), 'same title, first author and year (2023 and 2024)')]
    """
    unique = sorted({r.key: r for r in reversed(list(records))}.values(), key=lambda r: r.key)
    groups = _Groups(unique)
    published = set(groups.published)
    joined: list[Link] = []
    for link in _id_links(unique, groups):
        if groups.join(link.a, link.b):
            joined.append(link)
    for link in _title_links(unique):
        if groups.root(link.a) != groups.root(link.b) and not groups.clash(link.a, link.b):
            groups.join(link.a, link.b)
            joined.append(link)
    by_key = {r.key: r for r in unique}
    members: dict[str, list[Record]] = {}
    for key in sorted({key for link in joined for key in (link.a, link.b)}):
        members.setdefault(groups.root(key), []).append(by_key[key])
    out: list[Work] = []
    for group in members.values():
        if len(group) < 2:
            continue
        kept = _kept(group, published)
        keys = {r.key for r in group}
        others = tuple(sorted(keys - {kept.key}))
        out.append(Work(kept.key, (kept.key, *others),
                        tuple(link for link in joined if link.a in keys)))
    return sorted(out, key=lambda w: w.kept)
