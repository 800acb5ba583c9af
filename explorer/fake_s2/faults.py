"""Scripted faults and the rate limit: what the fake answers instead of the normal response.

A :class:`Fault` (queued by :meth:`FakeServer.inject`) replaces or delays the next matching
answers; :class:`RateLimiter` counts requests per key for S2's 429.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from explorer.fake_s2.responses import DEFAULT_BODIES, JSON_TYPE, dumps


@dataclass
class Fault:
    """A scripted answer for the next ``times`` matching requests (None: every one).

    ``status`` None, or 200 with neither ``body`` nor ``raw``, answers normally (after
    ``delay``, with ``headers`` added); otherwise ``raw`` bytes, or ``body`` (JSON-encoded
    unless str/bytes), or the gateway's usual body for that status. ``truncate`` sends only
    that many body bytes under the full Content-Length and closes; ``disconnect`` closes
    without answering; ``trickle`` sends the headers at once and then the body one byte
    every ``trickle`` seconds (a connection that stalls mid-answer).
    """

    status: int | None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1
    path_contains: str | None = None
    method: str | None = None
    delay: float = 0.0
    raw: bytes | None = None
    truncate: int | None = None
    disconnect: bool = False
    trickle: float | None = None

    @property
    def passes_through(self) -> bool:
        """True if the normal answer is sent (possibly delayed, with extra headers)."""
        return self.status is None or (self.status == 200 and self.body is None
                                       and self.raw is None)

    def matches(self, method: str, target: str) -> bool:
        """True if this fault applies to ``method`` and the request target (path?query)."""
        if self.method and self.method.upper() != method.upper():
            return False
        return self.path_contains is None or self.path_contains in unquote(target)


def fault_body(fault: Fault) -> tuple[bytes, str]:
    """Body bytes and content type of a fault answer."""
    if fault.raw is not None:
        return fault.raw, JSON_TYPE
    body = fault.body if fault.body is not None else DEFAULT_BODIES.get(fault.status or 0, "")
    if isinstance(body, bytes):
        return body, JSON_TYPE
    if isinstance(body, str):
        kind = "text/html" if body.lstrip().startswith("<") else "text/plain"
        return body.encode(), kind
    return dumps(body, compact=True), JSON_TYPE


LIMITS = ("arrival", "answer")
"""What :class:`StrictLimiter` counts from: the previous accepted request's arrival (S2's
documented "1 request per second", several may be in flight), or its answer (one at a time)."""


class StrictLimiter:
    """S2's strict one-request-per-``interval``: a request that arrives less than ``interval``
    seconds after the previous accepted one arrived (``counts="arrival"``) or was answered
    (``counts="answer"``, which also refuses a request while the previous one is answered)."""

    def __init__(self, interval: float = 1.0, counts: str = "arrival"):
        if counts not in LIMITS:
            raise ValueError(f"counts must be one of {LIMITS}, not {counts!r}")
        self.interval = interval
        self.counts = counts
        self._last: dict[str, float] = {}
        self._busy: set[str] = set()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Accept a request for ``key`` (then :meth:`answered` must follow) or refuse it."""
        now = time.monotonic() if now is None else now
        if key in self._busy or now - self._last.get(key, -1e9) < self.interval:
            return False
        if self.counts == "arrival":
            self._last[key] = now
        else:
            self._busy.add(key)
        return True

    def answered(self, key: str, now: float | None = None) -> None:
        """The accepted request for ``key`` is being answered (in answer mode the interval
        starts now)."""
        if self.counts == "answer":
            self._busy.discard(key)
            self._last[key] = time.monotonic() if now is None else now


class RateLimiter:
    """At most ``per_second`` requests in any sliding window, per key."""

    def __init__(self, per_second: float):
        self.window = 1.0 if per_second >= 1 else 1.0 / per_second
        self.capacity = max(1, round(per_second * self.window))
        self._hits: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count a request for ``key``; False (and not counted) when over the rate."""
        now = time.monotonic() if now is None else now
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        if len(hits) >= self.capacity:
            return False
        hits.append(now)
        return True
