"""The HTTP side of the fakes: :class:`FakeServer` (start/stop, request log, fault queue) and
the two servers built on it, :class:`FakeS2` and :class:`FakeArxiv`.

A :class:`http.server.ThreadingHTTPServer` on 127.0.0.1 in a daemon thread, so the real
clients talk to it over a socket; :meth:`FakeServer.handle` answers a request in-process too.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

from explorer.fake_s2 import recs, s2
from explorer.fake_s2.arxiv import ARXIV_PATH, arxiv_response
from explorer.fake_s2.corpus import Corpus, corpus_for
from explorer.fake_s2.datasets import Datasets
from explorer.fake_s2.faults import Fault, RateLimiter, StrictLimiter, fault_body
from explorer.fake_s2.responses import DEFAULT_BODIES, ApiError, FileSlice, Response

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake received and the status it answered (0: dropped unanswered).

    ``path`` is percent-decoded, ``query`` maps each parameter to its last value, ``headers``
    have lower-case names (so ``headers.get("x-api-key")`` is the key the client sent).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    status: int
    body: bytes = b""
    time: float = 0.0

    @property
    def api_key(self) -> str | None:
        """The ``x-api-key`` header as received, or None."""
        return self.headers.get("x-api-key")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        fake = self.server.fake
        fake._flight_begins()
        try:
            resp = fake.handle(self.command, self.path, headers, body)
            fake._hold_answer()
            if resp.delay or fake.latency:
                fake._stopping.wait(resp.delay + fake.latency)
            try:
                self._deliver(resp)
            finally:
                _answered(resp)  # also when the answer could not be sent
        finally:
            fake._flight_ends()

    def _deliver(self, resp: Response) -> None:
        if resp.disconnect:
            self.close_connection = True
            return
        self.send_response(resp.status)
        for name, value in resp.headers.items():
            self.send_header(name, value)
        length = len(resp.body) if resp.file is None else resp.file.length
        self.send_header("Content-Length", str(length))
        if resp.truncate is not None or resp.trickle is not None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        data = resp.body if resp.truncate is None else resp.body[: resp.truncate]
        # The answer counts as given before its body goes out: a client can only finish
        # reading it afterwards, however the threads are scheduled.
        _answered(resp)
        try:
            if resp.file is not None:
                self._send_file(resp.file, length if resp.truncate is None else resp.truncate)
            elif resp.trickle is not None:
                self._trickle(data, resp.trickle)
            else:
                self.wfile.write(data)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send_file(self, part: FileSlice, limit: int) -> None:
        """Stream ``limit`` bytes of ``part`` (fewer: a truncated answer) in chunks."""
        with part.path.open("rb") as handle:
            handle.seek(part.start)
            left = min(limit, part.length)
            while left > 0 and (chunk := handle.read(min(left, 1 << 16))):
                self.wfile.write(chunk)
                left -= len(chunk)
        self.wfile.flush()

    def _trickle(self, data: bytes, every: float) -> None:
        """Send ``data`` a byte every ``every`` seconds; record how many bytes went out."""
        fake, sent = self.server.fake, 0
        try:
            self.wfile.flush()
            for i in range(len(data)):
                if fake._stopping.wait(every):
                    break
                self.wfile.write(data[i:i + 1])
                self.wfile.flush()
                sent += 1
        finally:
            fake.trickled(sent, len(data))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        log.debug("%s " + format, self.address_string(), *args)


def _answered(resp: Response) -> None:
    """Call ``resp.sent`` once."""
    sent, resp.sent = resp.sent, None
    if sent is not None:
        sent()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeServer

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (as one may, after a refusal) is no error of the server's;
        printing its traceback would land in the output of whatever runs in this process."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class FakeServer:
    """Start/stop, request log and fault queue shared by :class:`FakeS2` and
    :class:`FakeArxiv`. Subclasses implement :meth:`route`."""

    def __init__(self, corpus: Corpus, *, host: str = "127.0.0.1"):
        self.corpus = corpus
        self.host = host
        self.url: str | None = None
        self.requests: list[RecordedRequest] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._admitted = threading.local()
        self._trickles: list[tuple[int, int]] = []
        self._trickle_done = threading.Condition(self._lock)
        self.latency = 0.0
        """Seconds every answer waits before it goes out, like a distant server's."""
        self.in_flight = 0
        self.most_in_flight = 0
        """The most requests the HTTP side was answering at one moment."""
        self._flight = threading.Condition()
        self._hold: tuple[int, float] | None = None

    # lifecycle -------------------------------------------------------------------------------

    def start(self, port: int = 0) -> str:
        """Serve on ``host:port`` (0: a free port) in a daemon thread; return the base URL."""
        if self._httpd is not None:
            raise RuntimeError("already started")
        self._stopping.clear()
        httpd = _Server((self.host, port), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
            name=f"{type(self).__name__}:{httpd.server_address[1]}",
        )
        self._thread.start()
        self.url = f"http://{self.host}:{httpd.server_address[1]}"
        log.info("%s serving at %s", type(self).__name__, self.url)
        return self.url

    def stop(self) -> None:
        """Stop serving; delayed answers still pending are released at once."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        if self._httpd is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int | None:
        return self._httpd.server_address[1] if self._httpd else None

    # corpus ----------------------------------------------------------------------------------

    def add_paper(self, raw: Mapping[str, Any]) -> None:
        """Add or replace a paper while running (see :meth:`Corpus.add_paper`)."""
        self.corpus.add_paper(raw)

    def add_edge(self, raw: Mapping[str, Any]) -> None:
        """Add or replace an edge while running (see :meth:`Corpus.add_edge`)."""
        self.corpus.add_edge(raw)

    # request log -----------------------------------------------------------------------------

    def count(self, path_prefix: str | None = None) -> int:
        """How many requests were received (whose path starts with ``path_prefix``)."""
        with self._lock:
            return sum(1 for r in self.requests if path_prefix is None
                       or r.path.startswith(path_prefix))

    def reset(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self.requests.clear()
        with self._flight:
            self.most_in_flight = self.in_flight

    # requests in flight ----------------------------------------------------------------------

    def hold_answers(self, in_flight: int, timeout: float = 30.0) -> None:
        """Hold the answers (once admitted) until ``in_flight`` requests are being answered at
        once, then answer normally; after ``timeout`` seconds give up and answer. A test sees
        a client overlap its requests by :attr:`most_in_flight`, without timing anything."""
        with self._flight:
            self._hold = (in_flight, time.monotonic() + timeout)

    def _flight_begins(self) -> None:
        with self._flight:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self._flight.notify_all()

    def _hold_answer(self) -> None:
        with self._flight:
            while self._hold is not None and not self._stopping.is_set():
                wanted, until = self._hold
                left = until - time.monotonic()
                if self.in_flight >= wanted or left <= 0:
                    self._hold = None
                    self._flight.notify_all()
                else:
                    self._flight.wait(min(left, 0.1))

    def _flight_ends(self) -> None:
        with self._flight:
            self.in_flight -= 1

    def trickled(self, sent: int, size: int) -> None:
        """Record that a trickled answer ended after ``sent`` of its ``size`` body bytes."""
        with self._trickle_done:
            self._trickles.append((sent, size))
            self._trickle_done.notify_all()

    def wait_trickles(self, n: int = 1, timeout: float = 60.0) -> list[tuple[int, int]]:
        """Wait until ``n`` trickled answers have ended (the client hung up or all was
        sent); return ``(bytes sent, body size)`` for each, or what ended by ``timeout``."""
        with self._trickle_done:
            self._trickle_done.wait_for(lambda: len(self._trickles) >= n, timeout)
            return list(self._trickles)

    # faults ----------------------------------------------------------------------------------

    def inject(
        self,
        status: int | None,
        *,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        times: int | None = 1,
        path_contains: str | None = None,
        delay: float = 0.0,
        raw: bytes | None = None,
        method: str | None = None,
        truncate: int | None = None,
        disconnect: bool = False,
        trickle: float | None = None,
    ) -> Fault:
        """Queue a scripted answer for the next ``times`` requests matching ``path_contains``
        (a substring of the decoded path?query) and ``method``; see :class:`Fault`.

        Faults are used first-in first-out: ``inject(429, times=2); inject(503)`` answers
        429, 429, 503 and then normally. ``inject(None, delay=5)`` (or ``inject(200,
        delay=5)``) delays a normal answer; ``inject(200, raw=b'{"data": [')`` sends
        malformed JSON; ``inject(200, raw=..., truncate=10)`` a truncated body;
        ``inject(None, trickle=1.0)`` the normal answer at one body byte a second.
        """
        fault = Fault(status, body, dict(headers or {}), times, path_contains, method, delay,
                      raw, truncate, disconnect, trickle)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        with self._lock:
            self._faults.clear()

    reset_faults = clear_faults

    @property
    def pending_faults(self) -> list[Fault]:
        """Faults not yet used up."""
        with self._lock:
            return list(self._faults)

    def _take_fault(self, method: str, target: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, target):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    # dispatch --------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Mapping[str, str] | None = None,
               body: bytes = b"") -> Response:
        """Answer one request in-process (the HTTP handler calls this too): faults first,
        then :meth:`admit` (key, rate), then :meth:`route`; the request is recorded."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        parts = urlsplit(target)
        path = unquote(parts.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self._admitted.headers = headers
        fault = self._take_fault(method, target)
        if fault is not None and not fault.passes_through:
            data, kind = fault_body(fault)
            resp = Response(fault.status or 200, data, {"Content-Type": kind, **fault.headers})
        else:
            resp = self.admit(path, headers) or self._route_safely(method, path, query, body)
            if fault is not None:
                resp.headers.update(fault.headers)
        resp.sent = getattr(self._admitted, "sent", None)
        self._admitted.sent = None
        if fault is not None:
            resp.delay, resp.truncate, resp.disconnect, resp.trickle = (
                fault.delay, fault.truncate, fault.disconnect, fault.trickle)
        status = 0 if resp.disconnect else resp.status
        record = RecordedRequest(method.upper(), path, query, headers, status, body, time.time())
        with self._lock:
            self.requests.append(record)
        return resp

    @property
    def request_headers(self) -> dict[str, str]:
        """The lower-case headers of the request this thread is answering."""
        return getattr(self._admitted, "headers", {})

    def admit(self, path: str, headers: Mapping[str, str]) -> Response | None:
        """A refusal (403, 429) before routing, or None to route. No checks by default."""
        return None

    def _route_safely(self, method: str, path: str, query: dict[str, str],
                      body: bytes) -> Response:
        try:
            with self.corpus.lock:
                return self.route(method, path, query, body)
        except ApiError as err:
            return Response.of_json(err.status, err.payload, compact=True)
        except Exception:  # the fake must answer like a server, not die
            log.exception("fake server error on %s %s", method, path)
            return Response.of_json(500, DEFAULT_BODIES[500], compact=True)

    def route(self, method: str, path: str, query: dict[str, str], body: bytes) -> Response:
        raise NotImplementedError


class FakeS2(FakeServer):
    """Fake Semantic Scholar Graph API (paths ``/graph/v1/...``) that also answers arXiv's
    ``/api/query``. Its :attr:`url` is the ``api_url`` of ``semanticscholar.SemanticScholar``
    and the base of ``ARXIV_API_URL``.

    Parameters
    ----------
    corpus_dir : directory holding ``papers.jsonl`` and ``citations.jsonl``, or None.
    papers, edges : extra records (S2 paper shape; citations.jsonl shape).
    corpus : an existing :class:`Corpus` to serve instead (e.g. shared with a FakeArxiv).
    api_key : when set, requests to ``/graph/`` without ``x-api-key: <api_key>`` get 403.
    rate_limit : requests a second allowed per key (``x-api-key`` or anonymous); 429 past it.
    latency : seconds every answer waits before it goes out (a distant server's round trip).
    datasets : a folder of S2AG releases to serve at ``/datasets/v1`` (:mod:`.datasets`);
        its dataset and diff routes take ``api_key`` (any key when None).
    strict_interval : seconds that must pass, per key, from one accepted request to the arrival
        of the next (S2's strict limiter); 429 otherwise.
    strict_limit : what that interval counts from: ``"arrival"`` (the previous accepted request
        arrived; S2's "1 request per second", so requests may overlap) or ``"answer"`` (it was
        answered, and none is accepted while one is being answered). The answer mode needs the
        socket: its interval starts when the HTTP handler sends the answer's body.
    """

    def __init__(
        self,
        corpus_dir: str | Path | None = None,
        *,
        papers: Iterable[Mapping[str, Any]] = (),
        edges: Iterable[Mapping[str, Any]] = (),
        corpus: Corpus | None = None,
        api_key: str | None = None,
        rate_limit: float | None = None,
        strict_interval: float | None = None,
        strict_limit: str = "arrival",
        latency: float = 0.0,
        host: str = "127.0.0.1",
        datasets: str | Path | None = None,
    ):
        super().__init__(corpus_for(corpus_dir, corpus=corpus, papers=papers, edges=edges),
                         host=host)
        self.datasets = Datasets(datasets, api_key=api_key) if datasets is not None else None
        """The Datasets API (:mod:`.datasets`) over a folder of releases, when given."""
        self.latency = latency
        self._strict: StrictLimiter | None = None
        self.set_strict_interval(strict_interval, strict_limit)
        self.api_key = api_key
        self.page_size_cap: int | None = None
        self.response_cap = s2.MAX_RESPONSE_BYTES
        """Bytes over which an answer is refused with S2's 400 "Response would exceed
        maximum size" (S2's 10 MB; lower it to make a test's batch too large)."""
        self.empty_after: dict[str, int] = {}
        self._limiter: RateLimiter | None = None
        self.set_rate_limit(rate_limit)

    @property
    def arxiv_url(self) -> str | None:
        """Base URL for ``ARXIV_API_URL`` (this server answers ``/api/query`` too)."""
        return self.url

    def set_rate_limit(self, per_second: float | None) -> None:
        """Answer 429 past ``per_second`` requests per key (None: no limit)."""
        self._limiter = RateLimiter(per_second) if per_second else None

    def set_strict_interval(self, interval: float | None, limit: str = "arrival") -> None:
        """Refuse (429) a request arriving less than ``interval`` seconds after the previous
        accepted one of the same key arrived (``limit="arrival"``) or was answered
        (``"answer"``); None: off."""
        self._strict = StrictLimiter(interval, limit) if interval else None

    def set_page_size_cap(self, cap: int | None) -> None:
        """Serve at most ``cap`` items per /citations or /references page, whatever the limit
        (``next`` then points after what was served). None restores the normal behaviour."""
        self.page_size_cap = cap

    def set_empty_after(self, n: int | None, endpoint: str = "references") -> None:
        """Make ``endpoint`` ("references", "citations" or "both") pages come back as
        ``{"offset": o, "data": []}`` once offset + limit exceeds ``n`` (S2 does this past
        1000 references on some papers; s2-folks#117). None turns it off."""
        names = ("references", "citations") if endpoint == "both" else (endpoint,)
        for name in names:
            if n is None:
                self.empty_after.pop(name, None)
            else:
                self.empty_after[name] = n

    def admit(self, path: str, headers: Mapping[str, str]) -> Response | None:
        if not path.startswith((s2.GRAPH, recs.RECS)):
            return None
        key = headers.get("x-api-key")
        if self.api_key is not None and key != self.api_key:
            return Response.of_json(403, {"message": "Forbidden"}, compact=True)
        with self._lock:
            limited = self._limiter is not None and not self._limiter.allow(key or "")
            strict = self._strict
            if strict is not None and not limited:
                limited = not strict.allow(key or "")
                if not limited:
                    self._admitted.sent = lambda: self._answered(strict, key or "")
        if limited:
            return Response.of_json(429, DEFAULT_BODIES[429], compact=True)
        return None

    def _answered(self, strict: StrictLimiter, key: str) -> None:
        with self._lock:
            strict.answered(key)

    def route(self, method: str, path: str, query: dict[str, str], body: bytes) -> Response:
        if path == ARXIV_PATH:
            return arxiv_response(self.corpus, query)
        if self.datasets is not None and self.datasets.handles(path):
            return self.datasets.route(path, query, self.request_headers, self.url or "")
        if path.startswith(recs.RECS):
            return s2.guard_size(recs.route(self.corpus, method, path, query, body),
                                 self.response_cap)
        return s2.route(self.corpus, method, path, query, body,
                        page_size_cap=self.page_size_cap, empty_after=self.empty_after,
                        response_cap=self.response_cap)


class FakeArxiv(FakeServer):
    """A fake arXiv API alone (``/api/query``), with the same start/stop/requests/inject API.

    Pass ``corpus=fake_s2.corpus`` to serve the same papers as a :class:`FakeS2`.
    The base URL is ``ARXIV_API_URL``; ``arxiv.Client().query_url_format`` is
    :attr:`query_url_format`.
    """

    def __init__(
        self,
        corpus_dir: str | Path | None = None,
        *,
        papers: Iterable[Mapping[str, Any]] = (),
        corpus: Corpus | None = None,
        host: str = "127.0.0.1",
    ):
        super().__init__(corpus_for(corpus_dir, corpus=corpus, papers=papers), host=host)

    @property
    def query_url_format(self) -> str | None:
        return f"{self.url}{ARXIV_PATH}?{{}}" if self.url else None

    def route(self, method: str, path: str, query: dict[str, str], body: bytes) -> Response:
        if path != ARXIV_PATH:
            return Response(404, b"Not Found", {"Content-Type": "text/plain"})
        return arxiv_response(self.corpus, query)
