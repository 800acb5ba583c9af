"""Settings, passed through constructors. Only ``cli.py`` and ``app.py`` read the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.sources.arxiv import ArxivClient
    from explorer.sources.s2 import S2Client

S2_DEFAULT_URL = "https://api.semanticscholar.org"
ARXIV_DEFAULT_URL = "https://export.arxiv.org"


def default_db_path(env: Mapping[str, str]) -> Path:
    """``$EXPLORER_DB``, else ``$XDG_DATA_HOME/explorer/explorer.sqlite``
    (``~/.local/share/explorer/explorer.sqlite``)."""
    if env.get("EXPLORER_DB"):
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
        """Read ``S2_API_URL``, ``S2_API_KEY``, ``ARXIV_API_URL``, ``EXPLORER_DB``,
        ``EXPLORER_TIMEOUT``, ``EXPLORER_MAX_RETRIES``, ``EXPLORER_BACKOFF`` and
        ``EXPLORER_MIN_INTERVAL`` (seconds between two S2 requests; S2 allows one a second)."""
        env = os.environ if env is None else env
        return cls(
            s2_api_url=(env.get("S2_API_URL") or S2_DEFAULT_URL).rstrip("/"),
            s2_api_key=env.get("S2_API_KEY") or None,
            arxiv_api_url=(env.get("ARXIV_API_URL") or ARXIV_DEFAULT_URL).rstrip("/"),
            db_path=default_db_path(env),
            timeout=float(env.get("EXPLORER_TIMEOUT") or 30.0),
            max_retries=int(env.get("EXPLORER_MAX_RETRIES") or 6),
            backoff=float(env.get("EXPLORER_BACKOFF") or 1.0),
            min_interval=float(env.get("EXPLORER_MIN_INTERVAL") or 1.0),
        )


def make_client(settings: Settings, max_requests: int | None = None) -> S2Client:
    """The Semantic Scholar client the settings describe; ``max_requests`` is a budget."""
    from explorer.sources.s2 import S2Client

    return S2Client(
        settings.s2_api_url, settings.s2_api_key, timeout=settings.timeout,
        max_retries=settings.max_retries, backoff=settings.backoff,
        min_interval=settings.min_interval, max_requests=max_requests,
    )


def make_arxiv(settings: Settings) -> ArxivClient:
    """The arXiv client the settings describe (its timeout at most 20 s)."""
    from explorer.sources.arxiv import ArxivClient

    return ArxivClient(settings.arxiv_api_url, timeout=min(settings.timeout, 20.0))
