"""Settings, passed through constructors, and the clients and store they describe.

Only the CLI and the app read the environment (:meth:`Settings.from_env`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, closing, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

from explorer.errors import GraphError, SettingsError
from explorer.s2ag.graph_dir import check_graph
from explorer.sources.arxiv import ArxivClient
from explorer.sources.openalex import OPENALEX_DEFAULT_URL, OpenAlexClient
from explorer.sources.s2 import S2Client
from explorer.sources.zotero import DEFAULT_URL as ZOTERO_DEFAULT_URL
from explorer.sources.zotero import ZoteroClient
from explorer.store import Store

S2_DEFAULT_URL = "https://api.semanticscholar.org"
ARXIV_DEFAULT_URL = "https://export.arxiv.org"


def default_db_path(env: Mapping[str, str]) -> Path:
    """``$EXPLORER_DB``, else ``$XDG_DATA_HOME/explorer/explorer.sqlite``
    (``~/.local/share/explorer/explorer.sqlite``)."""
    if env.get("EXPLORER_DB"):
        if "\0" in env["EXPLORER_DB"]:
            raise SettingsError("EXPLORER_DB", "a path with a NUL byte", "a file path")
        return Path(env["EXPLORER_DB"]).expanduser()
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "explorer" / "explorer.sqlite"


@dataclass(frozen=True)
class Settings:
    s2_api_url: str = S2_DEFAULT_URL
    s2_api_key: str | None = None
    arxiv_api_url: str = ARXIV_DEFAULT_URL
    db_path: Path = Path("explorer.sqlite")
    timeout: float = 30.0
    max_retries: int = 6
    backoff: float = 1.0
    min_interval: float = 1.0
    arxiv_delay: float = 3.0
    zotero_api_url: str = ZOTERO_DEFAULT_URL
    openalex_api_url: str = OPENALEX_DEFAULT_URL
    openalex_api_key: str | None = None
    app_cache_mb: int = 512
    graph_path: Path | None = None

    def __repr__(self) -> str:  # never show the key
        key = "set" if self.s2_api_key else "unset"
        return f"Settings(s2_api_url={self.s2_api_url!r}, s2_api_key=<{key}>, db={self.db_path})"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and validate ``S2_API_URL``, ``S2_API_KEY``, ``ARXIV_API_URL``,
        ``EXPLORER_DB``, ``EXPLORER_TIMEOUT`` (seconds a request may take, whole),
        ``EXPLORER_MAX_RETRIES``, ``EXPLORER_BACKOFF``, ``EXPLORER_MIN_INTERVAL`` (seconds
        between two S2 requests going out, 5 % more kept; S2 allows one a second),
        ``ZOTERO_API_URL`` (Zotero's local API, ``http://localhost:23119/api``),
        ``OPENALEX_API_URL``, ``OPENALEX_API_KEY`` and ``EXPLORER_APP_CACHE_MB`` (the memory
        the app's cache of explorations, maps and pages may hold, in megabytes; see
        :class:`explorer.cache.ByteBudget`), and ``EXPLORER_GRAPH`` (a local S2AG graph
        folder: papers and citations are then read from it, see :meth:`with_graph`).

        An empty variable means its default.

        Raises
        ------
        SettingsError
            For the first variable whose value cannot be used; the message names it and
            what it accepts, and never repeats the API key.
        """
        env = os.environ if env is None else env
        return cls(
            s2_api_url=_url(env, "S2_API_URL", S2_DEFAULT_URL),
            s2_api_key=_key(env, "S2_API_KEY"),
            arxiv_api_url=_url(env, "ARXIV_API_URL", ARXIV_DEFAULT_URL),
            db_path=default_db_path(env),
            timeout=_seconds(env, "EXPLORER_TIMEOUT", 30.0, zero=False),
            max_retries=_count(env, "EXPLORER_MAX_RETRIES", 6),
            backoff=_seconds(env, "EXPLORER_BACKOFF", 1.0),
            min_interval=_seconds(env, "EXPLORER_MIN_INTERVAL", 1.0),
            arxiv_delay=_seconds(env, "EXPLORER_ARXIV_DELAY", 3.0),
            zotero_api_url=_url(env, "ZOTERO_API_URL", ZOTERO_DEFAULT_URL),
            openalex_api_url=_url(env, "OPENALEX_API_URL", OPENALEX_DEFAULT_URL),
            openalex_api_key=_key(env, "OPENALEX_API_KEY"),
            app_cache_mb=_count(env, "EXPLORER_APP_CACHE_MB", 512),
            graph_path=_graph(env, "EXPLORER_GRAPH"),
        )

    def with_graph(self, path: str | Path | None) -> Settings:
        """These settings reading papers and citations from the local S2AG graph at ``path``
        (None: from Semantic Scholar); the store still keeps the user's own state.

        Raises
        ------
        GraphError
            When ``path`` holds no graph this explorer reads.
        """
        return replace(self, graph_path=None if path is None else check_graph(path))

    def s2_client(self, max_requests: int | None = None,
                  cancel: Callable[[], bool] | None = None) -> AbstractContextManager[S2Client]:
        """The Semantic Scholar client these settings describe, closed when the block ends;
        with :attr:`graph_path`, the local graph (:class:`explorer.s2ag.local.LocalGraph`),
        which answers the same calls with no request.

        Parameters
        ----------
        max_requests : int, optional
            A budget: the request after the last one allowed raises
            :class:`~explorer.errors.BudgetExhaustedError`.
        cancel : callable, optional
            Polled during each request; true stops the walk with
            :class:`~explorer.errors.Cancelled`.

        Examples
        --------
        With the network (so not run as a doctest)::

            with Settings().s2_client(max_requests=10) as client:
                client.paper("ARXIV:1706.03762")["title"]  # 'Attention is All you Need'
        """
        if self.graph_path is not None:
            from explorer.s2ag.local import LocalGraph  # DuckDB loads only when it is used

            local = LocalGraph(self.graph_path)
            local.requester.cancel = cancel
            return closing(cast(S2Client, local))
        return closing(S2Client(
            self.s2_api_url, self.s2_api_key, timeout=self.timeout,
            max_retries=self.max_retries, backoff=self.backoff,
            min_interval=self.min_interval, max_requests=max_requests, cancel=cancel,
        ))

    def s2_client_or_none(self, *, offline: bool, max_requests: int | None = None,
                          cancel: Callable[[], bool] | None = None,
                          ) -> AbstractContextManager[S2Client | None]:
        """:meth:`s2_client`, or ``None`` when ``offline`` (the store alone answers)."""
        return nullcontext() if offline else self.s2_client(max_requests, cancel)

    def openalex_client(self, max_requests: int | None = None,
                        cancel: Callable[[], bool] | None = None,
                        ) -> AbstractContextManager[OpenAlexClient]:
        """The OpenAlex client these settings describe, closed when the block ends: the same
        timeout, retries and backoff as S2's, and a gap of at most 0.1 s between requests
        (OpenAlex takes up to 100 a second)."""
        return closing(OpenAlexClient(
            self.openalex_api_url, self.openalex_api_key, timeout=self.timeout,
            max_retries=self.max_retries, backoff=self.backoff,
            min_interval=min(self.min_interval, 0.1), max_requests=max_requests, cancel=cancel,
        ))

    def arxiv_or_none(self, offline: bool) -> ArxivClient | None:
        """:meth:`arxiv_client`, or ``None`` offline or with a local graph (no request)."""
        return None if offline or self.graph_path is not None else self.arxiv_client()

    def arxiv_client(self) -> ArxivClient:
        """The arXiv client these settings describe (its timeout at most 20 s)."""
        return ArxivClient(self.arxiv_api_url, timeout=min(self.timeout, 20.0),
                           delay_seconds=self.arxiv_delay)

    def zotero_client(self) -> AbstractContextManager[ZoteroClient]:
        """The client of Zotero's local API, closed when the block ends."""
        return closing(ZoteroClient(self.zotero_api_url, timeout=self.timeout,
                                    backoff=min(self.backoff, 1.0)))

    def open_store(self, path: str | Path | None = None) -> Store:
        """The store at ``path`` (``~`` expanded), else at ``db_path``."""
        return Store(Path(path).expanduser() if path else self.db_path)


def _shown(value: str) -> str:
    """A bad (non-secret) value as the message shows it: short and printable."""
    if not value.isprintable():
        return "a value with a control character"
    return repr(value) if len(value) <= 40 else repr(value[:37] + "...")


def _seconds(env: Mapping[str, str], name: str, default: float, *, zero: bool = True) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    accepted = "a finite number of seconds " + ("of 0 or more" if zero else "above 0")
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(name, _shown(raw), accepted) from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
        raise SettingsError(name, _shown(raw), accepted)
    return value


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise SettingsError(name, _shown(raw), "a whole number of 0 or more")
    return int(raw)


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    accepted = "an http:// or https:// URL with a host, such as " + default
    if not raw.isascii() or not raw.isprintable():
        raise SettingsError(name, "a URL with a non-ASCII or control character", accepted)
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise SettingsError(name, _shown(raw), accepted) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(name, _shown(raw), accepted)
    return raw.rstrip("/")


def _graph(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        return check_graph(raw)
    except GraphError as exc:
        raise SettingsError(name, _shown(raw) + f" ({exc.reason})",
                            "a folder holding a local S2AG graph") from None


def _key(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name, "")
    if not raw:
        return None
    # The key goes into an HTTP header; describe a bad one without ever showing it.
    if not raw.isascii() or not raw.isprintable() or raw != raw.strip():
        raise SettingsError(name, "a key with a non-ASCII, control or space character "
                            "(value not shown)", "the printable ASCII key the service "
                            "issued, with nothing around it")
    return raw
