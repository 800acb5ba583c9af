"""The walk's first listing, sent while the seeds are looked up.

A cold walk's first request looks the seeds up, and every listing waited for its answer: one
latency, during which the pacing would already let the next request go. S2 takes a paper's
external id in a listing's path as well as in a lookup, so the first seed's first page of
references can go out at that moment, under the id the user gave, and be kept for the
resolved paper once the lookup is in. It goes only when it saves time and is asked for only
when the walk would ask for it first: when the pacing lets it go and the lookup is still
unanswered (never without pacing, where the listing waits for nothing else). A seed that
turns out unknown then costs that one request.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from explorer.seeds.ids import Seed
from explorer.sources.s2 import Dropped, Page, S2Client

PATH_SAFE = re.compile(r"[0-9a-f]{40}|(ARXIV|CorpusId|DOI):[A-Za-z0-9._/-]+")
"""Seed values sent in a listing's path as they are: the others wait for the lookup."""


def sendable(seed: Seed) -> bool:
    """Whether ``seed`` can name its listing before it is resolved.

    >>> sendable(Seed("id", "ARXIV:1706.03762", "1706.03762")), sendable(Seed("title", "x", "x"))
    (True, False)
    """
    return seed.kind == "id" and PATH_SAFE.fullmatch(seed.value) is not None


class EarlyListing:
    """The first page of ``kind`` for ``seed``, asked for once :meth:`go` is called.

    ``go`` is the hook of the client's next turn (the seeds' lookup), so the page waits its
    turn behind the lookup; when the turn comes it goes only if :meth:`keep` has not been
    called yet (the lookup is unanswered). ``keep`` names the paper the lookup found;
    :meth:`take` hands the answer over for that paper, once, if the page went;
    :meth:`close` waits for a page that went and was not taken, and drops it.
    """

    def __init__(self, client: S2Client, seed: Seed, kind: str) -> None:
        self.kind = kind
        self.paper_id: str | None = None
        self._client, self._value = client, seed.value
        self._go = threading.Event()
        self._answered = threading.Event()
        self._decided = threading.Event()
        self._sent = False
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="explorer-early")
        self._future: Future[Page | None] | None = self._pool.submit(self._ask)

    def _ask(self) -> Page | None:
        self._go.wait()
        try:
            if self._answered.is_set():
                return None  # the lookup is in before the page's turn: it would be dropped
            return self._client.page(self._value, self.kind, unless=self._unless)
        except Dropped:
            return None
        finally:
            self._decided.set()  # the page went or it was dropped

    def _unless(self) -> bool:
        # Asked under the client's lock at each attempt's turn: once sent, retries go too.
        if not self._decided.is_set():
            self._sent = not self._answered.is_set()
            self._decided.set()
        return not self._sent

    def go(self) -> None:
        """Let the page wait for its turn (the lookup has taken its own, or needs none)."""
        self._go.set()

    def keep(self, paper_id: str | None) -> None:
        """The lookup is in: the seed is ``paper_id`` (``None``: unknown, the page dropped)."""
        self.paper_id = paper_id
        self._answered.set()
        if paper_id is None:
            self.close()
        else:
            self.go()

    def take(self, paper_id: str, kind: str) -> Future[Page | None] | None:
        """The page's answer, if it is the first page of ``kind`` for ``paper_id`` and it
        went; once. Waits until its turn has come: no later than the walk's own request."""
        if self._future is None or (paper_id, kind) != (self.paper_id, self.kind):
            return None
        self._decided.wait()
        future, self._future = self._future, None
        return future if self._sent else None

    def close(self) -> None:
        """Drop what was not taken: a page whose turn has not come does not go."""
        self._answered.set()
        self._go.set()
        future, self._future = self._future, None
        if future is not None:
            future.exception()  # the walk asks again for what it needs
        self._pool.shutdown(wait=True)
