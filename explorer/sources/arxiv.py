"""arXiv metadata through the ``arxiv`` package, for what Semantic Scholar lacks.

The package calls ``requests`` without a timeout, so a silent server would hang forever;
:class:`_TimeoutSession` gives every request one. arXiv's terms ask for one request every
3 seconds on a single connection, which the package's ``delay_seconds`` enforces.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import arxiv
import requests

from explorer.errors import NotFoundError, ServiceError, UnreachableError


class _TimeoutSession(requests.Session):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self._timeout)
        return super().request(*args, **kwargs)


@dataclass(frozen=True)
class ArxivRecord:
    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    abstract: str
    categories: tuple[str, ...]
    published: str
    pdf_url: str | None

    def as_s2(self) -> dict[str, Any]:
        """The record in S2's paper shape, to fill gaps in an S2 record."""
        return {
            "title": self.title,
            "abstract": self.abstract,
            "authors": [{"authorId": None, "name": n} for n in self.authors],
            "year": int(self.published[:4]) if self.published[:4].isdigit() else None,
            "publicationDate": self.published or None,
            "externalIds": {"ArXiv": self.arxiv_id},
            "openAccessPdf": {"url": self.pdf_url, "status": "GREEN"} if self.pdf_url else None,
        }


def parse_result(result: arxiv.Result, arxiv_id: str) -> ArxivRecord:
    return ArxivRecord(
        arxiv_id=arxiv_id,
        title=" ".join(result.title.split()),
        authors=tuple(a.name for a in result.authors),
        abstract=" ".join(result.summary.split()),
        categories=tuple(result.categories),
        published=result.published.date().isoformat() if result.published else "",
        pdf_url=result.pdf_url,
    )


class ArxivClient:
    """Looks up arXiv ids; ``lookup`` raises NotFoundError for an id arXiv does not know."""

    def __init__(self, api_url: str = "https://export.arxiv.org", timeout: float = 20.0,
                 delay_seconds: float = 3.0) -> None:
        self._client = arxiv.Client(page_size=100, delay_seconds=delay_seconds, num_retries=2)
        self._client.query_url_format = api_url.rstrip("/") + "/api/query?{}"
        self._client._session = _TimeoutSession(timeout)
        self.requests = 0
        parts = urlsplit(api_url)
        self.host = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"

    def lookup(self, arxiv_id: str) -> ArxivRecord:
        self.requests += 1
        began = time.monotonic()
        try:
            results = list(self._client.results(arxiv.Search(id_list=[arxiv_id])))
        except arxiv.HTTPError as exc:
            if exc.status == 400:
                raise NotFoundError(f"arXiv does not know the id {arxiv_id!r}") from None
            raise ServiceError(f"arXiv answered HTTP {exc.status}", status=exc.status) from None
        except requests.ConnectionError:
            raise UnreachableError("arXiv", self.host, "no connection", 1,
                                   time.monotonic() - began) from None
        except (arxiv.ArxivError, requests.RequestException) as exc:
            raise ServiceError(f"arXiv at {self.host} failed: {type(exc).__name__}") from None
        if not results:
            raise NotFoundError(f"no such arXiv paper: {arxiv_id}")
        return parse_result(results[0], arxiv_id)
