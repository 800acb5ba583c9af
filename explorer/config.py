"""Settings, passed through constructors. Only ``cli.py`` and ``app.py`` read the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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
