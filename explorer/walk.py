"""Walk the citation graph around the seeds into the store, with the fewest requests.

Costs, for one seed: one batch lookup, ⌈R/1000⌉ reference pages and ⌈min(C, 9999)/1000⌉
citation pages at depth 1; depth 2 adds ⌈N/500⌉ batch lookups that carry the references of
the N first-order neighbours, and with ``neighbour_citers`` another ⌈N/500⌉ that carry their
citers (at most 1000 each). Whatever the store holds completely is not fetched again, and a
page is stored with its progress marker in one transaction, so a killed walk resumes where it
stopped.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from explorer.errors import (
    BudgetExhaustedError,
    ExplorerError,
    NotFoundError,
    OfflineMissingError,
    ServiceError,
)
from explorer.ids import Seed, arxiv_id_of
from explorer.models import Edge
from explorer.sources.arxiv import ArxivClient
from explorer.sources.s2 import (
    BATCH_SIZE,
    NESTED_CITATION_FIELDS,
    NESTED_REFERENCE_FIELDS,
    SEED_FIELDS,
    S2Client,
)
from explorer.store import Store

log = logging.getLogger(__name__)

EMBEDDED_STATE = {"references": "references", "citations": "embedded-citations"}
"""Fetch-state kind recorded when a paper's links came embedded in a batch answer."""

DIRECTIONS = {
    "both": ("references", "citations"),
    "references": ("references",),
    "citations": ("citations",),
}


@dataclass(frozen=True)
class Progress:
    papers: int
    requests: int
    pages: int
    message: str


@dataclass
class WalkReport:
    seeds: list[str] = field(default_factory=list)
    requests: int = 0
    pages: int = 0
    store_hits: int = 0
    partial: bool = False
    warnings: list[str] = field(default_factory=list)
    error: ExplorerError | None = None


class Cancelled(ExplorerError):
    """The user cancelled the walk; what was fetched is kept."""

    exit_code = 130


def title_alias(title: str) -> str:
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "TITLE:" + " ".join("".join(c if c.isalnum() else " " for c in text).split())


def first_order(store: Store, seeds: Iterable[str], direction: str) -> set[str]:
    """The seeds' neighbours in the store (seeds excluded)."""
    seed_list = list(seeds)
    out: set[str] = set()
    for pid in seed_list:
        out |= neighbours(store, pid, direction)
    return out - set(seed_list)


def neighbours(store: Store, paper_id: str, direction: str) -> set[str]:
    out: set[str] = set()
    if direction in ("both", "references"):
        out.update(store.references_of(paper_id))
    if direction in ("both", "citations"):
        out.update(store.citations_of(paper_id))
    return out


class Walker:
    """Fetches into ``store`` through ``client`` (``None`` means offline)."""

    def __init__(
        self,
        store: Store,
        client: S2Client | None,
        arxiv: ArxivClient | None = None,
        *,
        refresh: bool = False,
        progress: Callable[[Progress], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.arxiv = arxiv
        self.refresh = refresh
        self.report = WalkReport()
        self._progress = progress
        self._cancel = cancel
        self._fresh: set[tuple[str, str]] = set()
        self._papers: set[str] = set()
        self._start = client.requests if client else 0

    # bookkeeping

    def _done(self, paper_id: str, kind: str) -> tuple[int, bool]:
        if self.refresh and (paper_id, kind) not in self._fresh:
            return 0, False
        return self.store.fetch_state(paper_id, kind)

    def _tick(self, message: str) -> None:
        self.report.requests = (self.client.requests - self._start) if self.client else 0
        if self._cancel and self._cancel():
            raise Cancelled("cancelled; what was fetched is kept")
        if self._progress:
            self._progress(Progress(len(self._papers), self.report.requests,
                                    self.report.pages, message))

    def _name(self, paper_id: str) -> str:
        paper = self.store.paper(paper_id)
        title = paper.title if paper and paper.title else paper_id
        return repr(title if len(title) <= 60 else title[:59] + "…")

    def _missing(self, what: str) -> None:
        """Offline: note what the store lacks and go on with the rest."""
        self.report.partial = True
        self.report.warnings.append(f"offline, and the store lacks {what}")

    def _need_client(self, what: str) -> S2Client:
        if self.client is None:
            raise OfflineMissingError(f"offline, and the store lacks {what}")
        return self.client

    # seeds

    def resolve(self, seeds: Sequence[Seed]) -> list[str]:
        """Paper ids of the seeds, fetching what the store lacks (one batch for all ids)."""
        found: dict[int, str] = {}
        errors: list[str] = []
        to_fetch: list[int] = []
        for i, seed in enumerate(seeds):
            alias = seed.value if seed.kind == "id" else title_alias(seed.value)
            pid = self.store.resolve(alias)
            if pid and (self.client is None or self._done(pid, "paper")[1]):
                found[i] = pid
                self.report.store_hits += 1
            else:
                to_fetch.append(i)
        if to_fetch and self.client is None:
            for i in to_fetch:
                errors.append(f"not in the store (offline): {seeds[i].text}")
        elif to_fetch:
            ids = [i for i in to_fetch if seeds[i].kind == "id"]
            self._tick("looking up the seeds")
            raws = self._need_client("the seeds").papers([seeds[i].value for i in ids],
                                                          SEED_FIELDS) if ids else []
            for i, raw in zip(ids, raws, strict=True):
                if raw is None:
                    errors.append(self._why_unknown(seeds[i]))
                else:
                    found[i] = self._keep_seed(seeds[i].value, raw)
            for i in to_fetch:
                if seeds[i].kind == "title":
                    try:
                        raw = self._need_client("the seeds").match_title(seeds[i].value)
                    except NotFoundError as exc:
                        errors.append(str(exc))
                        continue
                    found[i] = self._keep_seed(title_alias(seeds[i].value), raw)
        self._tick("seeds resolved")
        result = list(dict.fromkeys(found[i] for i in sorted(found)))
        if not result:
            cls = OfflineMissingError if self.client is None else NotFoundError
            raise cls("; ".join(errors) or "no seed given")
        self.report.warnings += errors
        self.report.seeds = result
        for pid in result:
            self._enrich_from_arxiv(pid)
        return result

    def _keep_seed(self, alias: str, raw: dict[str, Any]) -> str:
        pid = str(raw["paperId"])
        with self.store.transaction() as db:
            self.store.put_papers([raw], db)
            self.store.put_alias(alias, pid, db)
            self.store.set_fetch_state(pid, "paper", 0, True, db)
        self._fresh.add((pid, "paper"))
        self._papers.add(pid)
        return pid

    def _why_unknown(self, seed: Seed) -> str:
        arxiv_id = arxiv_id_of(seed.value)
        if arxiv_id and self.arxiv is not None:
            try:
                record = self.arxiv.lookup(arxiv_id)
            except NotFoundError:
                return f"no such arXiv paper: {arxiv_id}"
            except ServiceError:
                pass
            else:
                return (f"arXiv:{arxiv_id} ({record.title[:60]}) is on arXiv but not on "
                        "Semantic Scholar yet; try again in a few days")
        return f"unknown paper: {seed.text}"

    def _enrich_from_arxiv(self, paper_id: str) -> None:
        """Fill what S2 lacks for an arXiv seed (title, authors, abstract) from arXiv."""
        raw = self.store.raw(paper_id) or {}
        arxiv_id = (raw.get("externalIds") or {}).get("ArXiv")
        if not arxiv_id or self.arxiv is None:
            return
        if raw.get("abstract") and raw.get("authors") and raw.get("title"):
            return
        record = self.store.arxiv(arxiv_id)
        if record is None:
            try:
                record = self.arxiv.lookup(arxiv_id).as_s2()
            except ExplorerError as exc:
                log.info("arXiv lookup failed: %s", exc)
                return
            self.store.put_arxiv(arxiv_id, record)
        gaps = {k: v for k, v in record.items() if not raw.get(k) and v}
        if gaps:
            self.store.put_papers([{"paperId": paper_id, **gaps}])

    # the walk

    def walk(self, seeds: Sequence[str], depth: int = 1, direction: str = "both",
             neighbour_citers: bool = False) -> WalkReport:
        """Fetch the seeds' neighbourhood; errors mid-walk end it with what was kept.

        With ``neighbour_citers`` a depth-2 walk also fetches who cites the first-order
        neighbours (:meth:`_neighbour_citers`)."""

        def steps() -> None:
            for pid in seeds:
                for kind in DIRECTIONS[direction]:
                    self._pages(pid, kind)
            if depth >= 2:
                first: set[str] = set()
                for pid in seeds:
                    first |= neighbours(self.store, pid, direction)
                self._embedded(sorted(first - set(seeds)), "references")
            if depth >= 2 and neighbour_citers:
                self._neighbour_citers(seeds, direction)

        return self.guarded(steps)

    def _neighbour_citers(self, seeds: Sequence[str], direction: str) -> None:
        """Citers of the first-order neighbours, embedded in batch lookups (500 a request).

        They are the papers coupled with the seeds (citing what the seeds cite) and the newer
        work building on the seeds' citers; with them, co-citation and coupling evidence
        reaches the second-order papers too."""
        self._embedded(sorted(first_order(self.store, seeds, direction)), "citations")

    def embedded(self, ids: Iterable[str], kind: str = "references") -> WalkReport:
        """Fetch the references (or, for ``kind="citations"``, the citers, without contexts)
        of many papers: one batch request per 500 papers, at most 1000 links each."""
        return self.guarded(lambda: self._embedded(ids, kind))

    def guarded(self, steps: Callable[[], None]) -> WalkReport:
        """Run fetching ``steps``; a service failure, budget, cancel or offline gap ends them
        with what was kept, recorded in the report."""
        try:
            steps()
        except (ServiceError, Cancelled, OfflineMissingError) as exc:
            self.report.partial = True
            if isinstance(exc, BudgetExhaustedError):
                self.report.warnings.append(
                    f"{exc}; kept what was fetched, run again to continue"
                )
            elif isinstance(exc, OfflineMissingError):
                self.report.warnings.append(str(exc))
            else:
                self.report.error = exc
        self._tick("done")
        return self.report

    def _pages(self, paper_id: str, kind: str) -> None:
        offset, done = self._done(paper_id, kind)
        if done:
            self.report.store_hits += 1
            return
        if self.client is None:
            self._missing(f"the {kind} of {self._name(paper_id)}")
            return
        client = self.client
        nested = "citingPaper" if kind == "citations" else "citedPaper"
        while True:
            self._tick(f"{kind} of {paper_id[:12]}, from {offset}")
            page = client.page(paper_id, kind, offset)
            if offset and not page.items and page.next is None:
                # S2 sometimes serves empty pages past offset 1000 (s2-folks#117): keep the
                # marker where it is, so a later run asks again.
                self.report.partial = True
                self.report.warnings.append(
                    f"Semantic Scholar sent no {kind} of {self._name(paper_id)} past {offset}; "
                    "kept what came before, run again later to fetch the rest")
                return
            papers = [i.get(nested) or {} for i in page.items]
            edges = [
                _edge(paper_id, p["paperId"], item, kind)
                for item, p in zip(page.items, papers, strict=True)
                if p.get("paperId")
            ]
            nxt = page.next if page.next is not None else offset + len(page.items)
            with self.store.transaction() as db:
                self.store.put_papers(papers, db)
                self.store.put_edges(edges, db)
                self.store.set_fetch_state(paper_id, kind, nxt, page.next is None, db)
            self._papers.update(p["paperId"] for p in papers if p.get("paperId"))
            self.report.pages += 1
            if page.next is None:
                self._fresh.add((paper_id, kind))
                return
            offset = page.next

    def _embedded(self, ids: Iterable[str], kind: str) -> None:
        # Embedded citers carry no contexts, so they are remembered apart from citation pages.
        state = EMBEDDED_STATE[kind]
        ids = list(ids)
        todo = [n for n in ids if not (self._done(n, state)[1] or self._done(n, kind)[1])]
        self.report.store_hits += len(ids) - len(todo)
        nested = NESTED_REFERENCE_FIELDS if kind == "references" else NESTED_CITATION_FIELDS
        for start in range(0, len(todo), BATCH_SIZE):
            chunk = todo[start:start + BATCH_SIZE]
            self._tick(f"{kind} of neighbours {start + 1}-{start + len(chunk)}"
                       f" of {len(todo)}")
            if self.client is None:
                self._missing(f"the {kind} of {len(todo)} neighbours")
                return
            client = self.client
            raws = client.papers(chunk, ("paperId",) + nested)
            with self.store.transaction() as db:
                for pid, raw in zip(chunk, raws, strict=True):
                    links = [r for r in (raw or {}).get(kind) or () if r]
                    self.store.put_papers(links, db)
                    self.store.put_edges(
                        [Edge(pid, r["paperId"]) if kind == "references" else
                         Edge(r["paperId"], pid) for r in links if r.get("paperId")], db
                    )
                    self.store.set_fetch_state(pid, state, len(links), True, db)
                    self._papers.update(r["paperId"] for r in links if r.get("paperId"))
            self._fresh.update((pid, state) for pid in chunk)
            self.report.pages += 1

def _edge(paper_id: str, other: str, item: dict[str, Any], kind: str) -> Edge:
    citing, cited = (other, paper_id) if kind == "citations" else (paper_id, other)
    return Edge(
        citing, cited, item.get("isInfluential"),
        tuple(c for c in item.get("contexts") or () if isinstance(c, str)),
        tuple(i for i in item.get("intents") or () if isinstance(i, str)),
    )
