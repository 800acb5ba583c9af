"""The corpus the fake serves: S2 paper records and citation edges, indexed by every id form.

:func:`lookup_key` maps a paper id as S2 accepts it (sha, ``CorpusId:``, ``DOI:``, ``ARXIV:``,
``URL:``, ...) to an index key; :class:`Corpus` holds the records and answers those keys.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_title(title: str) -> str:
    """NFKD, combining marks dropped, lower case, runs of non-``[a-z0-9]`` as one space."""
    if not title.isascii():
        decomposed = unicodedata.normalize("NFKD", title)
        title = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", title.lower()).strip()


_HEX40 = re.compile(r"^[0-9a-fA-F]{40}$")
_BARE_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ARXIV_NEW = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")
_ARXIV_OLD = re.compile(r"^[a-z][a-z\-]*(\.[A-Za-z\-]+)?/\d{7}(v\d+)?$")
ARXIV_VERSION = re.compile(r"v\d+$")
"""The version suffix of an arXiv id (``v5`` in ``1706.03762v5``)."""
_EXT_KEYS = {  # externalIds key -> index kind
    "DOI": "doi", "ArXiv": "arxiv", "CorpusId": "corpusid", "MAG": "mag", "ACL": "acl",
    "PubMed": "pubmed", "PubMedCentral": "pmc", "DBLP": "dblp",
}
_ID_PREFIXES = {  # id prefix (lower case) -> index kind
    "corpusid": "corpusid", "doi": "doi", "arxiv": "arxiv", "mag": "mag", "acl": "acl",
    "pmid": "pubmed", "pmcid": "pmc",
}


def _index_value(kind: str, value: Any) -> str:
    """The canonical form of an external id for the index (case-insensitive where S2 is)."""
    text = str(value).strip()
    if kind == "pmc":
        text = re.sub(r"(?i)^pmc", "", text)
    return text.lower()


def is_arxiv_id(value: str) -> bool:
    """True for a well-formed arXiv id, new (``1706.03762v5``) or old (``hep-th/9901001``)."""
    return bool(_ARXIV_NEW.match(value) or _ARXIV_OLD.match(value))


def _url_key(url: str) -> tuple[str, str] | None:
    """The index key a ``URL:`` id points at (semanticscholar, arxiv, acl, acm, biorxiv)."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    host, path = parts.netloc.lower(), unquote(parts.path).rstrip("/")
    if host.endswith("semanticscholar.org"):
        match = re.search(r"([0-9a-fA-F]{40})$", path)
        return ("paperid", match.group(1).lower()) if match else None
    if host.endswith("arxiv.org"):
        match = re.match(r"^/(?:abs|pdf)/(.+?)(?:\.pdf)?$", path)
        return ("arxiv", ARXIV_VERSION.sub("", match.group(1)).lower()) if match else None
    if host.endswith(("aclweb.org", "aclanthology.org")):
        acl = re.sub(r"\.pdf$", "", path.rsplit("/", 1)[-1])
        return ("acl", acl.lower()) if acl else None
    if host.endswith(("acm.org", "biorxiv.org")):
        match = re.search(r"(10\.\d{4,9}/.+)$", path)
        if not match:
            return None
        doi = re.sub(r"v\d+(\.full(\.pdf)?)?$", "", match.group(1))
        return ("doi", doi.lower())
    return None


def lookup_key(paper_id: str) -> tuple[str, str] | None:
    """Map an S2 paper id in any supported form to an index key, or None if unsupported.

    >>> lookup_key("corpusid:123")
    ('corpusid', '123')
    >>> lookup_key("ARXIV:1706.03762v1") is None   # S2 takes bare arXiv ids only
    True
    """
    text = paper_id.strip()
    if _HEX40.match(text):
        return ("paperid", text.lower())
    prefix, sep, rest = text.partition(":")
    kind = _ID_PREFIXES.get(prefix.lower()) if sep else None
    if kind == "arxiv":
        return None if ARXIV_VERSION.search(rest) else ("arxiv", rest.lower())
    if kind is not None:
        return (kind, _index_value(kind, rest))
    if sep and prefix.lower() == "url":
        return _url_key(rest)
    if _BARE_DOI.match(text):
        return ("doi", text.lower())
    return None


def corpus_file(corpus_dir: str | Path, name: str) -> Path | None:
    """``corpus_dir/name`` if it exists, else ``corpus_dir/name.gz`` if that does, else None."""
    for path in (Path(corpus_dir) / name, Path(corpus_dir) / f"{name}.gz"):
        if path.is_file():
            return path
    return None


def read_records(corpus_dir: str | Path, name: str) -> Iterator[dict[str, Any]]:
    """The JSON records of ``name`` (e.g. ``papers.jsonl``) in ``corpus_dir``, plain or ``.gz``,
    one a line, blank lines skipped; none when neither file exists."""
    path = corpus_file(corpus_dir, name)
    if path is None:
        return
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz"
          else path.open(encoding="utf-8")) as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


class Corpus:
    """Paper records and citation edges in S2 shapes, indexed for every id form S2 accepts.

    Papers keep file order; ``citations_of(x)`` is the edges with ``citedPaperId == x`` and
    ``references_of(x)`` those with ``citingPaperId == x``, in the order they were added.
    Thread-safe: every method takes :attr:`lock`, which routes also hold while they read.
    """

    def __init__(self, papers: Iterable[Mapping[str, Any]] = (),
                 edges: Iterable[Mapping[str, Any]] = ()):
        self.lock = threading.RLock()
        self.papers: dict[str, dict[str, Any]] = {}
        self._keys: dict[tuple[str, str], str] = {}
        self._titles: dict[str, str] = {}
        self._terms: dict[str, tuple[Counter[str], Counter[str]]] = {}
        self._cited_by: dict[str, dict[str, dict[str, Any]]] = {}
        self._cites: dict[str, dict[str, dict[str, Any]]] = {}
        self._anonymous = 0
        for paper in papers:
            self.add_paper(paper)
        for edge in edges:
            self.add_edge(edge)

    @classmethod
    def from_dir(cls, corpus_dir: str | Path) -> Corpus:
        """Load ``papers.jsonl`` and ``citations.jsonl``, each plain or gzipped (``.gz``);
        either may be missing."""
        corpus = cls()
        for name, add in (("papers.jsonl", corpus.add_paper), ("citations.jsonl", corpus.add_edge)):
            for record in read_records(corpus_dir, name):
                add(record)
        return corpus

    def __len__(self) -> int:
        return len(self.papers)

    @property
    def edge_count(self) -> int:
        with self.lock:
            return sum(len(edges) for edges in self._cited_by.values())

    def add_paper(self, raw: Mapping[str, Any]) -> None:
        """Add or replace a paper record (S2 paper shape; ``paperId`` required)."""
        record = dict(raw)
        paper_id = str(record["paperId"]).lower()
        record["paperId"] = paper_id
        with self.lock:
            old = self.papers.get(paper_id)
            if old is not None:
                self._unindex(old)
            self.papers[paper_id] = record
            for key in self._keys_of(record):
                self._keys[key] = paper_id
            self._titles.pop(paper_id, None)
            self._terms.pop(paper_id, None)

    def add_edge(self, raw: Mapping[str, Any]) -> None:
        """Add or replace an edge (citations.jsonl shape).

        ``citingPaperId`` or ``citedPaperId`` may be None for an unresolved paper, as S2 has;
        an inline ``citingPaper`` / ``citedPaper`` dict then supplies that side's record.
        """
        edge = dict(raw)
        citing, cited = edge.get("citingPaperId"), edge.get("citedPaperId")
        with self.lock:
            self._anonymous += 1
            citing_key = citing or f"_unresolved{self._anonymous}"
            cited_key = cited or f"_unresolved{self._anonymous}"
            if cited:
                self._cited_by.setdefault(cited, {})[citing_key] = edge
            if citing:
                self._cites.setdefault(citing, {})[cited_key] = edge

    def _keys_of(self, record: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
        yield ("paperid", record["paperId"])
        if record.get("corpusId") is not None:
            yield ("corpusid", str(record["corpusId"]))
        for name, value in (record.get("externalIds") or {}).items():
            kind = _EXT_KEYS.get(name)
            if kind and value is not None:
                yield (kind, _index_value(kind, value))

    def _unindex(self, record: Mapping[str, Any]) -> None:
        for key in self._keys_of(record):
            if self._keys.get(key) == record["paperId"]:
                del self._keys[key]

    def resolve(self, paper_id: str) -> dict[str, Any] | None:
        """The record a paper id in any S2 form names, or None."""
        key = lookup_key(paper_id)
        with self.lock:
            found = self._keys.get(key) if key else None
            return self.papers.get(found) if found else None

    def by_arxiv(self, arxiv_id: str) -> dict[str, Any] | None:
        """The record with this arXiv id (a version suffix is ignored)."""
        with self.lock:
            found = self._keys.get(("arxiv", ARXIV_VERSION.sub("", arxiv_id).lower()))
            return self.papers.get(found) if found else None

    def citations_of(self, paper_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self._cited_by.get(paper_id, {}).values())

    def references_of(self, paper_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self._cites.get(paper_id, {}).values())

    def titles(self) -> list[tuple[str, str]]:
        """(paperId, normalised title) pairs in corpus order (normalised on first use)."""
        with self.lock:
            titles = self._titles
            return [(pid, titles.get(pid) or titles.setdefault(
                pid, normalize_title(rec.get("title") or ""))) for pid, rec in self.papers.items()]

    def terms(self) -> list[tuple[str, Counter[str], Counter[str]]]:
        """(paperId, title term counts, abstract term counts) in corpus order, terms
        normalised as titles are (counted on first use)."""
        with self.lock:
            out = []
            for pid, rec in self.papers.items():
                if pid not in self._terms:
                    self._terms[pid] = (
                        Counter(normalize_title(rec.get("title") or "").split()),
                        Counter(normalize_title(rec.get("abstract") or "").split()))
                out.append((pid, *self._terms[pid]))
            return out


def corpus_for(
    corpus_dir: str | Path | None = None,
    *,
    corpus: Corpus | None = None,
    papers: Iterable[Mapping[str, Any]] = (),
    edges: Iterable[Mapping[str, Any]] = (),
) -> Corpus:
    """``corpus``, or the one loaded from ``corpus_dir`` (empty when None), with ``papers``
    and ``edges`` added: what the fakes' constructors serve."""
    if corpus is None:
        corpus = Corpus.from_dir(corpus_dir) if corpus_dir is not None else Corpus()
    for paper in papers:
        corpus.add_paper(paper)
    for edge in edges:
        corpus.add_edge(edge)
    return corpus
