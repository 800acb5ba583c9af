"""Settings, passed through constructors. Only ``cli.py`` and ``app.py`` read the environment."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from explorer.errors import SettingsError

if TYPE_CHECKING:
    from explorer.sources.arxiv import ArxivClient
    from explorer.sources.s2 import S2Client

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

    def __repr__(self) -> str:  # never show the key
        key = "set" if self.s2_api_key else "unset"
        return f"Settings(s2_api_url={self.s2_api_url!r}, s2_api_key=<{key}>, db={self.db_path})"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and validate ``S2_API_URL``, ``S2_API_KEY``, ``ARXIV_API_URL``,
        ``EXPLORER_DB``, ``EXPLORER_TIMEOUT`` (seconds a request may take, whole),
        ``EXPLORER_MAX_RETRIES``, ``EXPLORER_BACKOFF`` and ``EXPLORER_MIN_INTERVAL`` (seconds
        from the end of one S2 request to the start of the next; S2 allows one a second).

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
        )


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


def _key(env: Mapping[str, str], name: str) -> str | None:
    raw = env.get(name, "")
    if not raw:
        return None
    # The key goes into an HTTP header; describe a bad one without ever showing it.
    if not raw.isascii() or not raw.isprintable() or raw != raw.strip():
        raise SettingsError(name, "a key with a non-ASCII, control or space character "
                            "(value not shown)", "the printable ASCII key Semantic Scholar "
                            "issued, with nothing around it")
    return raw


def make_client(settings: Settings, max_requests: int | None = None,
                cancel: Callable[[], bool] | None = None) -> S2Client:
    """The Semantic Scholar client the settings describe; ``max_requests`` is a budget and
    ``cancel`` is polled during each request."""
    from explorer.sources.s2 import S2Client

    return S2Client(
        settings.s2_api_url, settings.s2_api_key, timeout=settings.timeout,
        max_retries=settings.max_retries, backoff=settings.backoff,
        min_interval=settings.min_interval, max_requests=max_requests, cancel=cancel,
    )


def make_arxiv(settings: Settings) -> ArxivClient:
    """The arXiv client the settings describe (its timeout at most 20 s)."""
    from explorer.sources.arxiv import ArxivClient

    return ArxivClient(settings.arxiv_api_url, timeout=min(settings.timeout, 20.0))
