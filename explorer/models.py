"""Typed, frozen records built from raw Semantic Scholar JSON.

The store keeps S2's raw JSON; these classes are views of it, made by pure functions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from explorer.errors import ExplorerError

RELATIONS = ("seed", "reference", "citation", "reference+citation", "second-order")
READING_STATUSES = ("to read", "reading", "read", "not relevant")

DIRECTIONS = {
    "both": ("references", "citations"),
    "references": ("references",),
    "citations": ("citations",),
}
"""The directions an exploration walks, and the kinds of links each fetches."""

EMBEDDED_STATE = {"references": "embedded-references", "citations": "embedded-citations"}
"""Fetch-state kind recorded when a paper's links came embedded in a batch answer: bare links,
without the contexts, intents and influence flags (or abstracts) of a page. A seed needs its
page; a depth-2 neighbour is served by either."""


def web_url(value: Any) -> str | None:
    """``value`` if it is an http(s) URL, else None: a ``javascript:`` or ``data:`` URL in a
    record must never become a link."""
    if isinstance(value, str) and value.strip().lower().startswith(("https://", "http://")):
        return value.strip()
    return None


@dataclass(frozen=True)
class Paper:
    """One paper; ``versions`` are the ids of the other records of the same work merged into
    this one (:mod:`explorer.analysis.versions`), empty for a record on its own."""

    paper_id: str
    title: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    venue: str | None = None
    abstract: str | None = None
    tldr: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    corpus_id: int | None = None
    citation_count: int | None = None
    influential_citation_count: int | None = None
    reference_count: int | None = None
    publication_date: str | None = None
    url: str | None = None
    open_access_pdf: str | None = None
    fields_of_study: tuple[str, ...] = ()
    bibtex: str | None = None
    publication_types: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()

    @classmethod
    def from_s2(cls, raw: Mapping[str, Any]) -> Paper:
        """Build a Paper from an S2 paper object (any subset of its fields)."""
        get = raw.get
        ext = get("externalIds") or {}
        tldr = get("tldr")
        pdf = get("openAccessPdf")
        styles = get("citationStyles")
        corpus = get("corpusId") or ext.get("CorpusId")
        types = get("publicationTypes")
        return cls(
            paper_id=raw["paperId"],
            title=get("title"),
            year=get("year"),
            authors=tuple([a["name"] for a in get("authors") or () if a and a.get("name")]),
            venue=get("venue") or None,
            abstract=get("abstract"),
            tldr=tldr.get("text") if isinstance(tldr, dict) else None,
            arxiv_id=ext.get("ArXiv"),
            doi=ext.get("DOI"),
            corpus_id=int(corpus) if corpus is not None else None,
            citation_count=get("citationCount"),
            influential_citation_count=get("influentialCitationCount"),
            reference_count=get("referenceCount"),
            publication_date=get("publicationDate"),
            url=web_url(get("url")),
            open_access_pdf=web_url(pdf.get("url")) if isinstance(pdf, dict) else None,
            fields_of_study=tuple(get("fieldsOfStudy") or ()),
            bibtex=styles.get("bibtex") if isinstance(styles, dict) else None,
            publication_types=tuple([t for t in types if isinstance(t, str)]) if types else (),
        )

    @property
    def s2_url(self) -> str:
        return self.url or f"https://www.semanticscholar.org/paper/{self.paper_id}"

    @property
    def arxiv_url(self) -> str | None:
        return f"https://arxiv.org/abs/{self.arxiv_id}" if self.arxiv_id else None

    @property
    def best_url(self) -> str:
        return self.arxiv_url or (f"https://doi.org/{self.doi}" if self.doi else self.s2_url)


@dataclass(frozen=True)
class Edge:
    """``citing`` cites ``cited``; what S2 says about that citation."""

    citing: str
    cited: str
    is_influential: bool | None = None
    contexts: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()


class ComponentRow(Mapping[str, float]):
    """Row ``row`` of a table of columns (name -> a value per row, e.g. a numpy array) as a
    read-only mapping of floats.

    A ranking of many papers gives each its components this way, one table of arrays for all
    of them, instead of a dict of floats per paper. A copy of a row is a plain dict of its
    values. A pickle of a row is the table and the row's index: the rows of one ranking share
    their table, which a pickle of the ranking holds once, as its columns (and a pickle of
    one row holds it whole).

    >>> import copy, pickle
    >>> table = {"a": [1.0, 2.0], "b": [3.0, 4.0]}
    >>> row = ComponentRow(table, 1)
    >>> row["b"], dict(row), row == {"a": 2.0, "b": 4.0}, copy.copy(row)
    (4.0, {'a': 2.0, 'b': 4.0}, True, {'a': 2.0, 'b': 4.0})
    >>> again = pickle.loads(pickle.dumps([row, ComponentRow(table, 0)]))
    >>> again == [row, {"a": 1.0, "b": 3.0}], again[0]._table is again[1]._table
    (True, True)
    """

    __slots__ = ("_table", "_row")

    def __init__(self, table: Mapping[str, Sequence[float]], row: int) -> None:
        self._table = table
        self._row = row

    def __getitem__(self, key: str) -> float:
        return float(self._table[key][self._row])

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self) -> tuple[type[ComponentRow], tuple[Mapping[str, Sequence[float]], int]]:
        return ComponentRow, (self._table, self._row)

    def __copy__(self) -> dict[str, float]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, float]:
        return dict(self)


@dataclass(frozen=True)
class Ranked:
    """One paper of a ranking, with its score, relation to the seeds and the reasons."""

    paper: Paper
    score: float
    relation: str
    reasons: tuple[str, ...] = ()
    components: Mapping[str, float] = field(default_factory=dict)
    rank: int = 0


@dataclass(frozen=True)
class Progress:
    """How far a walk is: papers seen, requests and pages so far, and what it does now."""

    papers: int
    requests: int
    pages: int
    message: str


@dataclass
class WalkReport:
    """What a walk did: the resolved seeds, its cost, and what kept it from being complete
    (``partial``, with ``warnings``, or the ``error`` that ended it)."""

    seeds: list[str] = field(default_factory=list)
    requests: int = 0
    pages: int = 0
    store_hits: int = 0
    partial: bool = False
    warnings: list[str] = field(default_factory=list)
    error: ExplorerError | None = None
    slices: int = 0
    """Date slices listed to reach citers past S2's 9,999-citer window."""


MAX_HOPS = 4
"""How many citations a connection follows at most, by default."""


@dataclass(frozen=True)
class Hop:
    """One step of a path: from ``source`` to ``target``; ``cites`` is True when ``source``
    cites ``target`` and False when ``target`` cites ``source``."""

    source: str
    target: str
    cites: bool


@dataclass
class Connection:
    """The answer of :func:`connect`."""

    source: str
    target: str
    paths: list[list[str]]
    hops: int | None
    complete: bool
    papers: dict[str, Paper] = field(default_factory=dict)
    steps: list[list[Hop]] = field(default_factory=list)
    explored: tuple[int, int] = (0, 0)
    max_hops: int = MAX_HOPS
    report: WalkReport = field(default_factory=WalkReport)

    @property
    def found(self) -> bool:
        return bool(self.paths)


def name_of(paper: Paper) -> str:
    """A paper as one line: its title and year."""
    title = " ".join((paper.title or paper.paper_id).split())
    return f"{title} ({paper.year})" if paper.year else title
