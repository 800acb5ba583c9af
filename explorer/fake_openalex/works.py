"""The works the fake OpenAlex serves: derived from a fake S2 corpus, plus generated citers.

Every S2 paper with a title becomes a work ``W<n>`` (numbered in corpus order from
:data:`FIRST_ID`) with its DOI, arXiv location, authors, venue, year, citation count and an
inverted-index abstract; every S2 edge between two such papers becomes an entry of the
citing work's ``referenced_works``. :meth:`Works.add_citers` adds generated works citing one
work; :meth:`Works.merge` folds one work into another as OpenAlex does (its id and DOI then
redirect to the kept work, but a DOI list filter no longer finds the old DOI).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

from explorer.fake_s2.corpus import Corpus

FIRST_ID = 4_000_000_000
GENERATED_ID = 5_000_000_000


def inverted_index(text: str) -> dict[str, list[int]]:
    """OpenAlex's ``abstract_inverted_index`` of ``text``: each word -> its positions.

    >>> inverted_index("to be or not to be")
    {'to': [0, 4], 'be': [1, 5], 'or': [2], 'not': [3]}
    """
    index: dict[str, list[int]] = {}
    for i, word in enumerate(text.split()):
        index.setdefault(word, []).append(i)
    return index


def work_of(paper: Mapping[str, Any], wid: str) -> dict[str, Any]:
    """The OpenAlex work of an S2 paper record, with id ``wid`` and no references yet."""
    ext = paper.get("externalIds") or {}
    doi = ext.get("DOI") or (f"10.48550/arXiv.{ext['ArXiv']}" if ext.get("ArXiv") else None)
    doi = doi.lower() if doi else None  # OpenAlex serves DOIs in lower case
    locations = []
    if ext.get("ArXiv"):
        locations.append({"landing_page_url": f"https://arxiv.org/abs/{ext['ArXiv']}",
                          "pdf_url": f"https://arxiv.org/pdf/{ext['ArXiv']}",
                          "source": {"display_name": "arXiv (Cornell University)"}})
    venue = paper.get("venue") or None
    primary = {"source": {"display_name": venue} if venue else None,
               "landing_page_url": f"https://doi.org/{doi}" if doi else None}
    abstract = paper.get("abstract")
    return {
        "id": f"https://openalex.org/{wid}",
        "doi": f"https://doi.org/{doi}" if doi else None,
        "title": paper.get("title"),
        "display_name": paper.get("title"),
        "publication_year": paper.get("year"),
        "publication_date": paper.get("publicationDate"),
        "ids": {"openalex": f"https://openalex.org/{wid}",
                **({"doi": f"https://doi.org/{doi}"} if doi else {})},
        "primary_location": primary,
        "locations": [primary, *locations],
        "authorships": [{"author_position": "first" if i == 0 else "middle",
                         "author": {"id": None, "display_name": a.get("name")}}
                        for i, a in enumerate(paper.get("authors") or ()) if a],
        "cited_by_count": paper.get("citationCount") or 0,
        "referenced_works": [],
        "abstract_inverted_index": inverted_index(abstract) if abstract else None,
        "type": "article",
    }


class Works:
    """OpenAlex works by id and DOI, who cites whom, and merged ids. Thread-safe."""

    def __init__(self, works: Iterable[Mapping[str, Any]] = ()) -> None:
        self.lock = threading.RLock()
        self.works: dict[str, dict[str, Any]] = {}
        self._by_doi: dict[str, str] = {}
        self._merged: dict[str, str] = {}
        self._merged_dois: dict[str, str] = {}
        self._citing: dict[str, list[str]] = {}
        self.of_s2: dict[str, str] = {}
        """S2 paperId -> the work made of it."""
        self._next = GENERATED_ID
        for work in works:
            self.add(work)

    @classmethod
    def from_s2(cls, corpus: Corpus, skip_citations_of: Mapping[str, int] | None = None
                ) -> Works:
        """The works of an S2 corpus. ``skip_citations_of`` maps an S2 paperId to n: every
        n-th of its S2 citers is not known to cite it here (S2 has citers OpenAlex misses)."""
        works = cls()
        with corpus.lock:
            papers = [p for p in corpus.papers.values() if p.get("title")]
            for n, paper in enumerate(papers):
                wid = f"W{FIRST_ID + n}"
                works.of_s2[paper["paperId"]] = wid
                works.add(work_of(paper, wid))
            for paper in papers:
                every = (skip_citations_of or {}).get(paper["paperId"])
                citers = [e.get("citingPaperId") for e in corpus.citations_of(paper["paperId"])]
                for i, citing in enumerate(c for c in citers if c in works.of_s2):
                    if every and i % every == 0:
                        continue
                    works.cite(works.of_s2[citing], works.of_s2[paper["paperId"]])
        return works

    def add(self, work: Mapping[str, Any]) -> str:
        """Add or replace a work; returns its short id."""
        record = dict(work)
        wid = str(record["id"]).rsplit("/", 1)[-1]
        with self.lock:
            self.works[wid] = record
            if record.get("doi"):
                self._by_doi[_doi_key(record["doi"])] = wid
            for ref in record.get("referenced_works") or ():
                self._citing.setdefault(ref.rsplit("/", 1)[-1], []).append(wid)
        return wid

    def cite(self, citing: str, cited: str) -> None:
        """Record that work ``citing`` cites ``cited`` (which may be dangling: no such work)."""
        with self.lock:
            refs = self.works[citing].setdefault("referenced_works", [])
            url = f"https://openalex.org/{cited}"
            if url not in refs:
                refs.append(url)
                self._citing.setdefault(cited, []).append(citing)

    def add_citers(self, cited: str, n: int, *, first_year: int = 1990) -> list[str]:
        """Add ``n`` generated works citing ``cited``; returns their ids."""
        out = []
        with self.lock:
            for i in range(n):
                wid = f"W{self._next}"
                self._next += 1
                year = first_year + i % 35
                self.add({
                    "id": f"https://openalex.org/{wid}",
                    "doi": f"https://doi.org/10.5555/gen.{wid.lower()}" if i % 3 else None,
                    "title": f"Generated citer {i + 1} of {cited}",
                    "display_name": f"Generated citer {i + 1} of {cited}",
                    "publication_year": year, "publication_date": f"{year}-06-01",
                    "authorships": [{"author": {"display_name": f"Author {i % 97}"}}],
                    "primary_location": {"source": {"display_name": f"Journal {i % 13}"}},
                    "locations": [], "cited_by_count": i % 50, "type": "article",
                    "referenced_works": [f"https://openalex.org/{cited}"],
                    "abstract_inverted_index": inverted_index(f"generated abstract {i + 1}"),
                })
                out.append(wid)
        return out

    def merge(self, old: str, kept: str) -> None:
        """Fold ``old`` into ``kept``: ``old`` and its DOI redirect to ``kept``."""
        with self.lock:
            record = self.works.pop(old)
            self._merged[old] = kept
            if record.get("doi"):
                key = _doi_key(record["doi"])
                if self._by_doi.get(key) == old:
                    del self._by_doi[key]
                self._merged_dois[key] = kept

    def get(self, wid: str) -> dict[str, Any] | None:
        with self.lock:
            return self.works.get(wid.upper())

    def merged_into(self, wid: str) -> str | None:
        """The work ``wid`` was merged into, or None."""
        with self.lock:
            return self._merged.get(wid.upper())

    def by_doi(self, doi: str, *, merged: bool = True) -> tuple[str | None, bool]:
        """(work id, whether it was reached through a merged record) for ``doi``; a list
        filter passes ``merged=False`` and misses merged records, as OpenAlex does."""
        key = _doi_key(doi)
        with self.lock:
            if key in self._by_doi:
                return self._by_doi[key], False
            if merged and key in self._merged_dois:
                return self._merged_dois[key], True
            return None, False

    def citing(self, wid: str) -> list[str]:
        """Ids of the works citing ``wid``, in the order they were added."""
        with self.lock:
            return [c for c in self._citing.get(wid.upper(), []) if c in self.works]


def _doi_key(doi: str) -> str:
    text = doi.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        text = text.removeprefix(prefix)
    return text
