"""The fake S2 Datasets API (``/datasets/v1``) over a folder of releases, with the file
downloads it signs (``/s3/...``, standing in for S3's pre-signed URLs).

The folder (written by :mod:`explorer.s2ag.shards` or :mod:`explorer.s2ag.synthetic`)::

    ROOT/<release id>/<dataset>/*.gz                      one release per folder
    ROOT/diffs/<from>--<to>/<dataset>/updates/*.gz         consecutive releases only
    ROOT/diffs/<from>--<to>/<dataset>/deletes/*.gz

Routes, as ``shared/s2-api/datasets-openapi.yml`` and S2 answer them::

    GET /datasets/v1/release/                           the release ids, oldest first
    GET /datasets/v1/release/{id|latest}                release_id, README, datasets
    GET /datasets/v1/release/{id|latest}/dataset/{name} name, description, README, files  (key)
    GET /datasets/v1/diffs/{start}/to/{end|latest}/{name}   the chain of diffs            (key)
    GET /s3/ai2-s2ag/<path under ROOT>?X-Amz-...        the file; Range: bytes=a-b -> 206

"(key)": 403 ``{"message": "Forbidden"}`` without an ``x-api-key`` (the one the fake was given,
or any when it was given none). ``files``, ``update_files`` and ``delete_files`` are URLs back to
the fake carrying ``X-Amz-Date``, ``X-Amz-Expires`` and an HMAC ``X-Amz-Signature``; a
download with a wrong or missing signature, or past its expiry, gets 403 with S3's XML error
body (``SignatureDoesNotMatch``, ``AccessDenied`` "Request has expired"). The clock is
:attr:`Datasets.clock`, so a test can move time forward without waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape

from explorer.fake_s2.responses import ApiError, FileSlice, Response

DATASETS_API = "/datasets/v1"
FILES = "/s3/ai2-s2ag/"
EXPIRES = 3600
"""Seconds a signed file URL stays valid (S2's links last hours; the fake's one)."""

DESCRIPTIONS = {
    "papers": "The core attributes of a paper (title, authors, date, etc.).",
    "abstracts": "Paper abstract text, where available.",
    "citations": "Instances where the bibliography of one paper (the citingPaper) mentions "
                 "another paper (the citedPaper), with contexts, intents and influence.",
    "paper-ids": "Mapping from sha-based ID to S2AG corpus ID.",
}
README = ("Semantic Scholar Academic Graph Datasets (a fake, for tests). The data is made "
          "available under the ODC-BY license.")
_RELEASE_ID = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AMZ_DATE = "%Y%m%dT%H%M%SZ"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_BINARY = "application/octet-stream"


def s3_error(status: int, code: str, message: str, **extra: str) -> Response:
    """An S3 error answer: ``<Error><Code>…</Code><Message>…</Message>…</Error>``."""
    fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in
                     {"Code": code, "Message": message, **extra,
                      "RequestId": secrets.token_hex(8).upper()}.items())
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>{fields}</Error>'.encode()
    return Response(status, body, {"Content-Type": "application/xml"})


def _not_found(what: str) -> ApiError:
    return ApiError(404, {"error": f"{what} not found"})


class Datasets:
    """The Datasets API over ``root``; :meth:`route` answers one request.

    Parameters
    ----------
    root : the folder of releases.
    api_key : the key the dataset and diff routes require (None: any non-empty key).
    clock : seconds since the epoch, for signing and expiry (``time.time``).
    expires : seconds a signed URL is valid.
    """

    def __init__(self, root: str | Path, *, api_key: str | None = None,
                 clock: Callable[[], float] = time.time, expires: int = EXPIRES):
        self.root = Path(root).resolve()
        self.api_key = api_key
        self.clock = clock
        self.expires = expires
        self._secret = secrets.token_bytes(32)

    # the folder --------------------------------------------------------------------------

    def releases(self) -> list[str]:
        """Release ids (folders with at least one dataset), oldest first."""
        return sorted(p.name for p in self.root.iterdir()
                      if p.is_dir() and _RELEASE_ID.match(p.name) and self._datasets(p.name))

    def _datasets(self, release: str) -> list[str]:
        folder = self.root / release
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.gz")))

    def _release(self, name: str) -> str:
        releases = self.releases()
        if name == "latest" and releases:
            return releases[-1]
        if name not in releases:
            raise _not_found(f"Release {name!r}")
        return name

    def _dataset(self, release: str, name: str) -> str:
        if name not in self._datasets(release):
            raise _not_found(f"Dataset {name!r} in release {release!r}")
        return name

    # signing ------------------------------------------------------------------------------

    def _signature(self, path: str, date: str, expires: str) -> str:
        message = f"{path}\n{date}\n{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def signed_url(self, base: str, file: Path) -> str:
        """A pre-signed URL of ``file`` (under the root), valid :attr:`expires` seconds."""
        path = FILES + quote(file.relative_to(self.root).as_posix())
        date = datetime.fromtimestamp(self.clock(), UTC).strftime(_AMZ_DATE)
        expires = str(self.expires)
        query = urlencode({
            "X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Date": date,
            "X-Amz-Expires": expires, "X-Amz-SignedHeaders": "host",
            "X-Amz-Signature": self._signature(path, date, expires)})
        return f"{base}{path}?{query}"

    def _files(self, base: str, folder: Path) -> list[str]:
        return [self.signed_url(base, f) for f in sorted(folder.glob("*.gz"))]

    # routes -------------------------------------------------------------------------------

    def handles(self, path: str) -> bool:
        """Whether ``path`` is one of this API's (or its downloads')."""
        return path.startswith((DATASETS_API + "/", FILES))

    def route(self, path: str, query: Mapping[str, str], headers: Mapping[str, str],
              base: str) -> Response:
        """Answer a GET of ``path``; ``base`` is the fake's URL, for the signed links."""
        if path.startswith(FILES):
            return self._download(path, query, headers)
        parts = path[len(DATASETS_API):].strip("/").split("/")
        if parts == ["release"]:
            return Response.of_json(200, self.releases())
        if len(parts) == 2 and parts[0] == "release":
            release = self._release(parts[1])
            return Response.of_json(200, {
                "release_id": release, "README": README,
                "datasets": [self._summary(name) for name in self._datasets(release)]})
        if len(parts) == 4 and parts[0] == "release" and parts[2] == "dataset":
            self._check_key(headers)
            release = self._release(parts[1])
            name = self._dataset(release, parts[3])
            return Response.of_json(200, {**self._summary(name), "files": self._files(
                base, self.root / release / name)})
        if len(parts) == 5 and parts[0] == "diffs" and parts[2] == "to":
            self._check_key(headers)
            return Response.of_json(200, self._diffs(parts[1], parts[3], parts[4], base))
        raise ApiError(404, {"message": "Not Found"})

    def _check_key(self, headers: Mapping[str, str]) -> None:
        key = headers.get("x-api-key")
        if not key or (self.api_key is not None and key != self.api_key):
            raise ApiError(403, {"message": "Forbidden"})

    @staticmethod
    def _summary(name: str) -> dict[str, Any]:
        return {"name": name, "description": DESCRIPTIONS.get(name, name), "README": README}

    def _diffs(self, start: str, end: str, name: str, base: str) -> dict[str, Any]:
        if start == "latest":
            raise ApiError(400, {"error": "The start release cannot be 'latest'"})
        start, end = self._release(start), self._release(end)
        releases = self.releases()
        first, last = releases.index(start), releases.index(end)
        if first > last:
            raise ApiError(400, {"error": f"Release {start!r} is after {end!r}"})
        diffs = []
        for old, new in zip(releases[first:last], releases[first + 1:last + 1], strict=True):
            folder = self.root / "diffs" / f"{old}--{new}" / name
            if not folder.is_dir():
                raise _not_found(f"Diff of {name!r} from {old!r} to {new!r}")
            diffs.append({"from_release": old, "to_release": new,
                          "update_files": self._files(base, folder / "updates"),
                          "delete_files": self._files(base, folder / "deletes")})
        return {"dataset": name, "start_release": start, "end_release": end, "diffs": diffs}

    def _download(self, path: str, query: Mapping[str, str],
                  headers: Mapping[str, str]) -> Response:
        date, expires = query.get("X-Amz-Date", ""), query.get("X-Amz-Expires", "")
        given = query.get("X-Amz-Signature", "")
        if not given or not date or not expires:
            return s3_error(403, "AccessDenied", "Access Denied")
        if not hmac.compare_digest(given, self._signature(path, date, expires)):
            return s3_error(403, "SignatureDoesNotMatch",
                            "The request signature we calculated does not match the "
                            "signature you provided. Check your key and signing method.")
        signed = datetime.strptime(date, _AMZ_DATE).replace(tzinfo=UTC).timestamp()
        now = self.clock()
        if now > signed + int(expires):
            return s3_error(403, "AccessDenied", "Request has expired",
                            **{"X-Amz-Expires": expires,
                               "Expires": _iso(signed + int(expires)),
                               "ServerTime": _iso(now)})
        file = (self.root / path[len(FILES):]).resolve()
        if not file.is_relative_to(self.root) or not file.is_file():
            return s3_error(404, "NoSuchKey", "The specified key does not exist.")
        return _ranged(file, headers.get("range"))


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _ranged(file: Path, header: str | None) -> Response:
    """The file, whole (200) or the byte range a ``Range`` header asks for (206, 416)."""
    size = file.stat().st_size
    headers = {"Content-Type": _BINARY, "Accept-Ranges": "bytes"}
    match = _RANGE.match(header.strip()) if header else None
    if header is None or match is None or match.groups() == ("", ""):
        return Response(200, b"", headers, file=FileSlice(file, 0, size))
    first, last = match.groups()
    if first == "":  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        resp = s3_error(416, "InvalidRange", "The requested range is not satisfiable",
                        RangeRequested=header, ActualObjectSize=str(size))
        resp.headers["Content-Range"] = f"bytes */{size}"
        return resp
    headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return Response(206, b"", headers, file=FileSlice(file, start, end - start + 1))
