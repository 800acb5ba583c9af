"""Walk the citation graph around the seeds into the store, with the fewest requests.

Costs, for one seed: one batch lookup, ⌈R/1000⌉ reference pages and ⌈C/1000⌉ citation
pages at depth 1 (past S2's 9,999-citer window, plus about one request per date slice: see
:mod:`explorer.walk_slices`); depth 2 adds ⌈N/500⌉ batch lookups that carry the references of
the N first-order neighbours, and with ``neighbour_citers`` another ⌈N/500⌉ that carry their
citers (at most 1000 each). Whatever the store holds completely is not fetched again, and a
page is stored with its progress marker in one transaction, so a killed walk resumes where it
stopped. Listings and batch lookups that do not depend on each other go out two at a time
(:class:`InFlight`), within the client's pacing, and are stored in the order asked; a
seed's neighbours go out in full batches (:class:`Batches`) once its listings are in, while
the later seeds' listings are still in flight; the first listing can go out while the seeds
are looked up (:mod:`explorer.walk_early`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

from explorer.errors import (
    BudgetExhaustedError,
    Cancelled,
    NotFoundError,
    OfflineMissingError,
    ServiceError,
)
from explorer.graph import neighbours, ring
from explorer.models import DIRECTIONS, EMBEDDED_STATE, Edge, Progress, WalkReport
from explorer.seeds.ids import Seed
from explorer.seeds.resolve import resolve
from explorer.sources.arxiv import ArxivClient
from explorer.sources.s2 import (
    BATCH_SIZE,
    NESTED_CITATION_FIELDS,
    NESTED_REFERENCE_FIELDS,
    REACHABLE,
    Page,
    S2Client,
)
from explorer.sources.s2_records import embedded_links, page_links
from explorer.store import Store
from explorer.walk_early import EarlyListing, sendable
from explorer.walk_slices import SliceWalk, cut_short


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
        if client is not None and cancel is not None and client.requester.cancel is None:
            client.requester.cancel = cancel  # so a cancel also ends a request in flight
        self._fresh: set[tuple[str, str]] = set()
        self._papers: set[str] = set()
        self._start = client.requests if client else 0
        self._behind = StoreBehind()
        self._early: EarlyListing | None = None

    # bookkeeping

    def _done(self, paper_id: str, kind: str) -> tuple[int, bool]:
        if self.refresh and (paper_id, kind) not in self._fresh:
            return 0, False
        return self.store.fetch_state(paper_id, kind)

    def _known(self, ids: list[str], kinds: tuple[str, ...]) -> set[str]:
        """The ids whose fetch of one of ``kinds`` is done (under refresh: done by this walk)."""
        if self.refresh:
            return {n for n in ids if any((n, k) in self._fresh for k in kinds)}
        return self.store.done_among(ids, kinds)

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

    def resolve(self, seeds: Sequence[Seed], first: str | None = None) -> list[str]:
        """Paper ids of the seeds, fetching what the store lacks (one batch for all ids);
        see :func:`explorer.seeds.resolve.resolve`. Seeds not found become warnings, or an
        error when none is found.

        ``first``, the kind of listing :meth:`walk` will ask for first: when it is
        references, the first seed's first page goes out while the seeds are looked up
        (:mod:`explorer.walk_early`) and :meth:`walk` takes it."""
        early = self._early = self._early_listing(seeds, first)
        try:
            found = resolve(
                seeds, self.store, self.client, arxiv=self.arxiv,
                enough=lambda pid: self._done(pid, "paper")[1],
                before_fetch=lambda: self._tick("looking up the seeds"),
            )
        except BaseException:
            self._close_early()
            raise
        if early is not None:
            early.keep(self.store.resolve(seeds[0].alias))
            self.client.requester.on_next_turn(None)  # type: ignore[union-attr]
        self.report.store_hits += found.store_hits
        self._fresh.update((pid, "paper") for pid in found.fetched)
        self._papers.update(found.fetched)
        errors = [f"not in the store (offline): {s.text}" for s in found.offline]
        errors += found.unknown.values()
        self._tick("seeds resolved")
        if not found.ids:
            cls = OfflineMissingError if self.client is None else NotFoundError
            raise cls("; ".join(errors) or "no seed given")
        self.report.warnings += errors
        self.report.seeds = found.ids
        return found.ids

    def _early_listing(self, seeds: Sequence[Seed], first: str | None) -> EarlyListing | None:
        if (self.client is None or not self.client.requester.min_interval
                or first != "references" or not seeds or not sendable(seeds[0])):
            return None
        seed = seeds[0]
        known = self.store.resolve(seed.alias) or (seed.value if ":" not in seed.value else None)
        if known and self._done(known, first) != (0, False):
            return None  # held, or part held: the walk asks from where it stopped
        early = EarlyListing(self.client, seed, first)
        self.client.requester.on_next_turn(early.go)
        return early

    def _close_early(self) -> None:
        early, self._early = self._early, None
        if early is not None:
            if self.client is not None:
                self.client.requester.on_next_turn(None)
            early.close()

    # the walk

    def walk(self, seeds: Sequence[str], depth: int = 1, direction: str = "both",
             neighbour_citers: bool = False) -> WalkReport:
        """Fetch the seeds' neighbourhood; errors mid-walk end it with what was kept.

        With ``neighbour_citers`` a depth-2 walk also fetches who cites the first-order
        neighbours, embedded in batch lookups (500 a request, at most 1000 citers each).
        Depth 3 does for the second-order papers what depth 2 does for the first: cheap on a
        local graph, ⌈N/500⌉ more requests (or twice that) for N such papers from S2."""

        def steps() -> None:
            kinds = ("references", "citations") if neighbour_citers else ("references",)
            unique = list(dict.fromkeys(seeds))
            first = Batches(self, kinds, exclude=set(unique), held=True)
            with InFlight() as flight:
                for pid in unique:
                    for kind in DIRECTIONS[direction]:
                        self._listing(pid, kind, flight)
                    if depth >= 2:
                        flight.then(partial(first.add_neighbours, pid, direction, flight,
                                            last=pid == unique[-1]))
                if depth >= 2:
                    # The listings go out first: the neighbours they list are what fills the
                    # batches. Then a seed's neighbours go out in full batches as soon as its
                    # listings are in, while the later seeds' are still in flight, and the
                    # remainder once all are: still ⌈N/500⌉ batches. With the citers, the
                    # papers coupled with the seeds and the newer work built on their
                    # citers become candidates too.
                    first.release(flight)
            if depth >= 3:
                self._behind.wait()
                second = Batches(self, kinds, exclude=first.found | set(unique))
                with InFlight() as flight:
                    second.add(ring(self.store, first.found, neighbour_citers), flight)
                    second.flush(flight)

        return self.guarded(steps)

    def embedded(self, ids: Iterable[str], kind: str = "references") -> WalkReport:
        """Fetch the references (or, for ``kind="citations"``, the citers, without contexts)
        of many papers: one batch request per 500 papers, at most 1000 links each."""
        def steps() -> None:
            batches = Batches(self, (kind,))
            with InFlight() as flight:
                batches.add(ids, flight)
                batches.flush(flight)

        return self.guarded(steps)

    def guarded(self, steps: Callable[[], None]) -> WalkReport:
        """Run fetching ``steps``; a service failure, budget, cancel or offline gap ends them
        with what was kept, recorded in the report."""
        try:
            with StoreBehind() as self._behind:
                try:
                    steps()
                finally:
                    self._close_early()
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

    def _listing(self, paper_id: str, kind: str, flight: InFlight) -> None:
        """Ask for the first page the store lacks of a listing; its answer is taken, and the
        rest of the listing fetched, once the listings asked for before are."""
        offset, done = self._done(paper_id, kind)
        if done:
            self.report.store_hits += 1
            return
        if self.client is None:
            self._missing(f"the {kind} of {self._name(paper_id)}")
            return
        client = self.client
        # Past the window, the whole listing is asked for once: its first page, when it is
        # the last, saves the slices (S2 may count more citers than it has).
        capped = kind == "citations" and not client.uncapped
        past = capped and self._past_window(paper_id)
        if capped and (offset >= REACHABLE or (offset and past)):
            flight.then(partial(self._by_dates, paper_id, client))
            return
        self._tick(f"{kind} of {paper_id[:12]}, from {offset}")
        early = self._early.take(paper_id, kind) if self._early and not offset else None
        flight.ask(early.result if early else partial(client.page, paper_id, kind, offset),
                   partial(self._pages, paper_id, kind, offset, past, client))

    def _pages(self, paper_id: str, kind: str, offset: int, past: bool, client: S2Client,
               page: Page) -> None:
        """Store ``page`` (at ``offset``) and the rest of the listing, one page at a time."""
        while True:
            if page.cut_short:
                # Keep the marker where it is, so a later run asks again.
                self.report.partial = True
                self.report.warnings.append(cut_short(f"{kind} of {self._name(paper_id)}",
                                                      offset))
                return
            links = page_links(paper_id, kind, page.items)
            nxt = page.next if page.next is not None else offset + len(page.items)
            capped = kind == "citations" and (page.capped or (past and page.next is not None))
            self._behind.store(partial(self._keep_page, paper_id, kind, links.papers, links.edges,
                                       nxt, page.next is None and not capped))
            if capped:
                self._by_dates(paper_id, client)
                return
            if page.next is None:
                return
            offset = page.next
            self._tick(f"{kind} of {paper_id[:12]}, from {offset}")
            page = client.page(paper_id, kind, offset)

    def _past_window(self, paper_id: str) -> bool:
        paper = self.store.paper(paper_id)
        return bool(paper and paper.citation_count and paper.citation_count > REACHABLE)

    def _by_dates(self, paper_id: str, client: S2Client) -> None:
        """All the citers S2 counts past its window, listed by date slices
        (:mod:`explorer.walk_slices`); each page is stored before the next is asked for."""
        self._behind.wait()
        paper = self.store.paper(paper_id)
        walk = SliceWalk(self.store, client, paper_id, keep=self._keep_page, tick=self._tick,
                         first_year=paper.year if paper else None,
                         counted=paper.citation_count if paper else None, fresh=self.refresh)
        try:
            walk.run()
        finally:
            self.report.slices += walk.report.listed
            self.report.warnings += walk.report.warnings
        if walk.report.partial:
            self.report.partial = True
            return
        got = len(self.store.citations_of(paper_id))
        self.store.set_fetch_state(paper_id, "citations", got, True)
        self._fresh.add((paper_id, "citations"))
        counted = paper.citation_count if paper else None
        if counted is not None and counted > got:
            self.report.warnings.append(
                f"collected {got:,} of Semantic Scholar's {counted:,} citers of "
                f"{self._name(paper_id)} by {walk.report.listed} date slices; the other "
                f"{counted - got:,} may have no publication date or year, which no date "
                f"slice reaches")

    def _keep_page(self, paper_id: str, kind: str, papers: list[dict[str, Any]],
                   edges: list[Edge], nxt: int, done: bool) -> None:
        with self.store.transaction() as db:
            self.store.put_papers(papers, db)
            self.store.put_edges(edges, db)
            self.store.set_fetch_state(paper_id, kind, nxt, done, db)
        self._papers.update(p["paperId"] for p in papers if p.get("paperId"))
        self.report.pages += 1
        if done:
            self._fresh.add((paper_id, kind))

    def _behind_embedded(self, chunk: list[str], kind: str,
                         raws: list[dict[str, Any] | None]) -> None:
        self._behind.store(partial(self._keep_embedded, chunk, raws, kind))

    def _keep_embedded(self, chunk: list[str], raws: list[dict[str, Any] | None],
                       kind: str) -> None:
        state = EMBEDDED_STATE[kind]
        with self.store.transaction() as db:
            for pid, raw in zip(chunk, raws, strict=True):
                links = embedded_links(pid, kind, raw)
                self.store.put_papers(links.papers, db)
                self.store.put_edges(links.edges, db)
                self.store.set_fetch_state(pid, state, len(links.papers), True, db)
                self._papers.update(p["paperId"] for p in links.papers)
        self._fresh.update((pid, state) for pid in chunk)
        self.report.pages += 1


class Batches:
    """The batch lookups that carry the ``kinds`` of links (references, citations) of many
    papers, 500 papers a request, sent as soon as 500 are known to be missing.

    Papers are added as they are found (:meth:`add`), except those in ``exclude`` or added
    before; what the store already holds is not asked for. :meth:`flush` sends what is left
    (or, offline, notes it missing), so the papers found cost ⌈N/500⌉ requests however they
    came in.
    """

    def __init__(self, walker: Walker, kinds: Sequence[str], exclude: set[str] | None = None,
                 held: bool = False) -> None:
        self.walker = walker
        self.held = held
        self.kinds = tuple(kinds)
        self.exclude = exclude or set()
        self.found: set[str] = set()
        self._pending: dict[str, list[str]] = {kind: [] for kind in self.kinds}
        self._todo = dict.fromkeys(self.kinds, 0)
        self._sent = dict.fromkeys(self.kinds, 0)

    def add_neighbours(self, paper_id: str, direction: str, flight: InFlight,
                       last: bool = False) -> None:
        """Add the stored neighbours of ``paper_id`` (its listings' pages, once stored); the
        ``last`` paper's also sends what is left."""
        self.walker._behind.wait()
        self.add(neighbours(self.walker.store, paper_id, direction), flight)
        if last:
            self.flush(flight)

    def add(self, ids: Iterable[str], flight: InFlight) -> None:
        new = sorted(set(ids) - self.exclude - self.found)
        self.found.update(new)
        for kind in self.kinds:
            known = self.walker._known(new, (EMBEDDED_STATE[kind], kind))
            self.walker.report.store_hits += len(known)
            todo = [n for n in new if n not in known]
            self._todo[kind] += len(todo)
            self._pending[kind] += todo
            if not self.held:
                self._send(kind, flight, BATCH_SIZE)

    def release(self, flight: InFlight) -> None:
        """Send the full batches held back so far, and from now on as they fill."""
        self.held = False
        for kind in self.kinds:
            self._send(kind, flight, BATCH_SIZE)

    def flush(self, flight: InFlight) -> None:
        self.held = False
        for kind in self.kinds:
            self._send(kind, flight, 1)

    def _send(self, kind: str, flight: InFlight, at_least: int) -> None:
        walker, pending = self.walker, self._pending[kind]
        if walker.client is None:
            if at_least == 1 and pending:
                walker._missing(f"the {kind} of {len(pending)} neighbours")
                pending.clear()
            return
        nested = NESTED_REFERENCE_FIELDS if kind == "references" else NESTED_CITATION_FIELDS
        # Taken from the list before asking: asking may take answers that add more.
        while len(pending) >= at_least:
            chunk = pending[:BATCH_SIZE]
            del pending[:BATCH_SIZE]
            start, self._sent[kind] = self._sent[kind], self._sent[kind] + len(chunk)
            walker._tick(f"{kind} of neighbours {start + 1}-{start + len(chunk)}"
                         f" of {'' if at_least == 1 else 'at least '}{self._todo[kind]}")
            flight.ask(partial(walker.client.papers, chunk, ("paperId",) + nested),
                       partial(walker._behind_embedded, chunk, kind))


class InFlight:
    """Keeps up to ``depth`` requests in flight, and takes their answers in the order asked.

    The client's pacing still spaces the requests (they leave from worker threads); the cancel
    hook and the progress ticks stay in the calling thread, and each answer is handed on
    there, in order. A request that failed raises where its answer would have been taken;
    leaving the block on an error waits for the requests still in flight and drops their
    answers, so nothing is kept of them.
    """

    def __init__(self, depth: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=depth, thread_name_prefix="explorer-ask")
        self._depth = depth
        self._queue: deque[tuple[Future[Any] | None, Callable[..., None]]] = deque()

    def ask(self, request: Callable[[], Any], take: Callable[[Any], None]) -> None:
        """Send ``request()`` once fewer than ``depth`` are in flight; ``take`` its answer
        after the earlier ones."""
        while sum(f is not None for f, _ in self._queue) >= self._depth:
            self._take_oldest()
        self._queue.append((self._pool.submit(request), take))

    def then(self, step: Callable[[], None]) -> None:
        """Run ``step`` once the answers asked for so far are taken."""
        self._queue.append((None, step))

    def _take_oldest(self) -> None:
        future, take = self._queue.popleft()
        if future is None:
            take()
        else:
            take(future.result())

    def __enter__(self) -> InFlight:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        try:
            while exc_type is None and self._queue:
                self._take_oldest()
        finally:
            self._queue.clear()
            self._pool.shutdown(wait=True)


class StoreBehind:
    """Stores one answer in a worker thread while the walk waits for the next ones.

    Answers are handed over in the order they were asked for (:class:`InFlight`); each is
    stored with its progress marker in one transaction. At most one answer waits to be
    stored: handing over the next one first waits for it, and leaving the block waits for the
    last, so a storing error surfaces in the walk and nothing is left half-kept when it
    returns.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="explorer-store")
        self._pending: Future[None] | None = None

    def store(self, work: Callable[[], None]) -> None:
        """Run ``work`` in the worker once the previous answer is stored."""
        self.wait()
        self._pending = self._pool.submit(work)

    def wait(self) -> None:
        """Wait until the answer handed over last is stored; raise what storing raised."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> StoreBehind:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown()

