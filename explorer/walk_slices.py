"""Every citer of a paper S2 counts past its 9,999-citer window, listed by publication date.

S2 serves at most 9,999 items of one citations listing, but the listing can be narrowed with
``publicationDateOrYear``. :class:`SliceWalk` starts from the whole date range, halved by years
(:meth:`explorer.slices.DateSlice.halves`), and asks one question of each slice before it lists
it: is there an item at offset 9,998 and another after it (a one-item probe)? If so the slice
is halved again, by years, then months, then days; if not it is listed at 1000 a page. Once
S2's count, less what the slices listed so far hold, fits in one listing, the slices left are
listed without a probe (should one still reach the window, it is halved then). So the cost is
⌈C/1000⌉ pages plus about one request per slice, and a slice is rarely listed in vain.

Each slice's state lives in the store's fetch markers under the kind ``"citations <slice>"``:
halved (:data:`SPLIT`), or listed up to an offset, or done; the whole range's (``"citations
:"``) holds the years the halving was planned with. Each page is stored with its
marker in one transaction before the next request is sent, so a killed walk asks again for at
most the one request that was in flight. Citers with neither a publication date nor a year
fall in no slice; when S2 counts more citers than the slices hold, a warning says how many may
be missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from explorer.models import Edge
from explorer.slices import EVERYTHING, DateSlice
from explorer.sources.s2 import PAGE_SIZE, REACHABLE, S2Client
from explorer.sources.s2_records import page_links
from explorer.store import Store

__all__ = ["KIND", "SPLIT", "SliceReport", "SliceWalk", "cut_short", "slice_kind"]

KIND = "citations"
SPLIT = -1
"""The offset marking a slice that was halved."""
PROBE_FIELDS = ("paperId", "year", "publicationDate")
YEARS = 10_000  # the whole range's marker is first_year * YEARS + last_year


class NotNarrowed(Exception):
    """S2 answered a date slice with a citer from outside it (``args``: slice, citer)."""


def cut_short(what: str, offset: int) -> str:
    """The warning for a listing S2 ended with an empty page (:attr:`Page.cut_short`)."""
    return (f"Semantic Scholar sent no {what} past {offset}; kept what came before, run again "
            f"later to fetch the rest")


def slice_kind(piece: DateSlice) -> str:
    """The fetch-marker kind of one slice of a paper's citations."""
    return f"{KIND} {piece.text}"


@dataclass
class SliceReport:
    """What a slice walk did: slices listed and halved, pages, and what it warns of."""

    listed: int = 0
    halved: int = 0
    pages: int = 0
    partial: bool = False
    warnings: list[str] = field(default_factory=list)


Keep = Callable[[str, str, list[dict[str, Any]], list[Edge], int, bool], None]


class SliceWalk:
    """Lists the citers of ``paper_id`` slice by slice into ``store`` (see the module docstring).

    ``keep(paper_id, kind, papers, edges, next_offset, done)`` stores one page with its marker
    in one transaction; ``tick(message)`` reports progress (and may raise to cancel).
    ``fresh`` ignores the markers of earlier walks. ``first_year`` is the paper's year, the
    earliest most citers can have; ``last_year`` defaults to this year.
    """

    def __init__(self, store: Store, client: S2Client, paper_id: str, *, keep: Keep,
                 tick: Callable[[str], None], first_year: int | None = None,
                 last_year: int | None = None, counted: int | None = None,
                 fresh: bool = False) -> None:
        self.store = store
        self.client = client
        self.paper_id = paper_id
        self.last_year = last_year if last_year is not None else date.today().year
        self.first_year = min(first_year if first_year is not None else self.last_year - 50,
                              self.last_year)
        self._keep = keep
        self._tick = tick
        self._fresh = fresh
        self.counted = counted
        self._items = 0  # citers listed in the slices visited so far (slices are disjoint)
        self.report = SliceReport()

    def run(self) -> SliceReport:
        """Probe, halve and list every slice not yet done; the whole range is known to hold
        more than S2 serves, so it is halved without a probe."""
        try:
            self._walk()
        except NotNarrowed as exc:
            self.report.partial = True
            self.report.warnings.append(
                f"Semantic Scholar did not narrow the citations by publication date (it "
                f"answered {exc.args[0]} with a citer from outside it); kept the citers "
                f"fetched so far")
        return self.report

    def _walk(self) -> None:
        states = {} if self._fresh else self.store.fetch_states(self.paper_id, f"{KIND} ")
        # The whole range's marker keeps the years the halving began with, so a walk resumed
        # in a new year (or with the paper's year now known) finds the same slices.
        root = slice_kind(EVERYTHING)
        if states.get(root, (0, False))[0] > 0:
            self.first_year, self.last_year = divmod(states[root][0], YEARS)
        else:
            self.store.set_fetch_state(self.paper_id, root,
                                       self.first_year * YEARS + self.last_year, False)
        todo = list(self._halves(EVERYTHING) or ())
        while todo:
            piece = todo.pop(0)
            kind = slice_kind(piece)
            state = states.get(kind)
            if state is None:
                state = self._probe(piece, kind) if self._may_overflow() else (0, False)
            offset, done = state
            if offset == SPLIT or (not done and self._list(piece, kind, offset)):
                self.report.halved += 1
                todo[:0] = self._halves(piece) or ()
            elif done:
                self.report.listed += 1
                self._items += offset

    def _may_overflow(self) -> bool:
        """Whether a slice not yet visited may hold more than S2 serves: not once S2's count,
        less what the visited slices hold, fits in one listing."""
        return self.counted is None or self.counted - self._items > REACHABLE

    def _halves(self, piece: DateSlice) -> tuple[DateSlice, DateSlice] | None:
        return piece.halves(self.first_year, self.last_year)

    def _status(self, piece: DateSlice, what: str) -> None:
        r = self.report
        self._tick(f"citers by date: {what} {piece.text} ({r.listed} slices listed, "
                   f"{r.halved} halved)")

    def _probe(self, piece: DateSlice, kind: str) -> tuple[int, bool]:
        """Whether ``piece`` holds more than S2 serves, stored as its marker."""
        self._status(piece, "probing")
        probe = self.client.page(self.paper_id, KIND, REACHABLE - 1, limit=1,
                                 fields=PROBE_FIELDS, dates=piece.text)
        outside = [c for c in (i.get("citingPaper") or {} for i in probe.items)
                   if not piece.holds(c.get("year"), c.get("publicationDate"))]
        if outside:
            # Halving a listing that is not narrowed would never end.
            raise NotNarrowed(piece.text, outside[0].get("paperId"))
        state = (SPLIT, False) if probe.capped and self._halves(piece) else (0, False)
        self.store.set_fetch_state(self.paper_id, kind, *state)
        return state

    def _list(self, piece: DateSlice, kind: str, offset: int) -> bool:
        """List ``piece`` from ``offset``; True when it turned out to hold more than S2
        serves (it is then marked halved), False when listed or cut short."""
        self._items += offset
        while True:
            self._status(piece, f"from {offset:,} in")
            page = self.client.page(self.paper_id, KIND, offset, limit=PAGE_SIZE,
                                    dates=piece.text)
            if page.cut_short:
                self.report.partial = True
                self.report.warnings.append(cut_short(f"citers dated {piece.text}", offset))
                return False
            links = page_links(self.paper_id, KIND, page.items)
            nxt = page.next if page.next is not None else offset + len(page.items)
            halve = page.capped and self._halves(piece) is not None
            self._keep(self.paper_id, kind, links.papers, links.edges,
                       SPLIT if halve else nxt, page.next is None and not halve)
            self.report.pages += 1
            if halve:  # more citers than S2's count let one expect: the halves list them
                self._items -= offset
                return True
            if page.capped:
                self.report.warnings.append(
                    f"more than {REACHABLE:,} citers are dated {piece.text}, a single day; "
                    f"Semantic Scholar serves {REACHABLE:,} of them")
            self._items += nxt - offset
            if page.next is None:
                self.report.listed += 1
                return False
            offset = page.next
