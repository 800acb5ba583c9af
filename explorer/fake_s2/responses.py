"""What the fake sends back: :class:`Response`, S2's error bodies and the API error.

Shared by every route: the JSON encoding S2 uses, the bodies its gateways answer with, and
the 400 errors in S2's own wording.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MSG_429 = (
    "Too Many Requests. Please wait and try again or apply for a key for higher rate limits. "
    "https://www.semanticscholar.org/product/api#api-key-form"
)
HTML_503 = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"
)
#: Bodies the real gateways send, used when a fault gives no body of its own.
DEFAULT_BODIES: dict[int, Any] = {
    400: {"error": "Bad request"},
    403: {"message": "Forbidden"},
    404: {"error": "Requested object not found"},
    429: {"message": MSG_429, "code": "429"},
    500: {"message": "Internal Server Error"},
    502: {"message": "Bad Gateway"},
    503: HTML_503,
    504: {"message": "Endpoint request timed out"},
}

JSON_TYPE = "application/json"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def dumps(obj: Any, *, compact: bool = False) -> bytes:
    """JSON as S2 sends it: ``", "`` separators for data, compact for gateway errors."""
    separators = (",", ":") if compact else (", ", ": ")
    return json.dumps(obj, separators=separators, ensure_ascii=True).encode()


class ApiError(Exception):
    """An error answer of the fake API: ``status`` and a JSON ``payload``."""

    def __init__(self, status: int, payload: Any):
        super().__init__(f"{status} {payload}")
        self.status = status
        self.payload = payload


def bad_request(message: str) -> ApiError:
    """A 400 in S2's ``{"error": message}`` form."""
    return ApiError(400, {"error": message})


def int_param(query: Mapping[str, str], name: str, default: int) -> int:
    """An integer query parameter, or 400 in S2's ``Unacceptable query params`` form."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"Unacceptable query params: [{name}={raw}]") from None
    if value < 0:
        raise bad_request(f"Unacceptable query params: [{name}={raw}]")
    return value


@dataclass(frozen=True)
class FileSlice:
    """``length`` bytes of the file at ``path`` from ``start``: a body streamed from disk."""

    path: Path
    start: int
    length: int


@dataclass
class Response:
    """An answer of the fake: status, body bytes, headers, and how to deliver it."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate: int | None = None
    disconnect: bool = False
    trickle: float | None = None
    sent: Callable[[], None] | None = None  # called once, as the answer's body goes out
    file: FileSlice | None = None  # sent instead of ``body`` when set

    def json(self) -> Any:
        return json.loads(self.body)

    @classmethod
    def of_json(cls, status: int, payload: Any, *, compact: bool = False) -> Response:
        return cls(status, dumps(payload, compact=compact), {"Content-Type": JSON_TYPE})
