"""Download an S2AG release, or the diffs since one, from Semantic Scholar's Datasets API.

The JSON calls (``/datasets/v1/release/{id}``, ``.../dataset/{name}``, ``/datasets/v1/diffs/
{start}/to/{end}/{name}``) go through :class:`explorer.sources.s2.Requester`, which sends the
key as ``x-api-key`` and nothing else, retries and maps statuses to errors. The files are
pre-signed URLs on another host: they are fetched without the key, into ``<name>.part`` files
that a second run continues with an HTTP ``Range`` request, and renamed when whole. A signed
URL that has expired is asked for again. No message shows a signed URL's query (the
signature), only its path; none shows the key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from explorer.errors import BadInputError, KeyMissingError, ServiceError, UnreachableError
from explorer.s2ag.diff import apply_diff
from explorer.s2ag.importer import ImportReport, import_release
from explorer.s2ag.importer import Progress as ImportProgress
from explorer.s2ag.manifest import read_manifest
from explorer.s2ag.shard_sql import DATASETS
from explorer.s2ag.tables import GraphSlice
from explorer.sources.s2 import RETRY_STATUSES, Requester, host_port, transport_reason

__all__ = ["DatasetsApi", "Fetched", "KEY_URL", "import_from_api", "update_from_api"]

log = logging.getLogger(__name__)

API = "/datasets/v1"
KEY_URL = "https://www.semanticscholar.org/product/api#api-key-form"
SERVICE = "the Semantic Scholar Datasets API"


@dataclass(frozen=True)
class Fetched:
    """One file: its ``path``, the bytes fetched now, and whether a ``.part`` a run before
    left was continued (``resumed``) or the file was there whole (``kept``)."""

    path: Path
    dataset: str
    files_done: int
    files_total: int
    bytes: int
    resumed: bool = False
    kept: bool = False


Progress = Callable[[Fetched], None]


def shown(url: str) -> str:
    """``url`` as messages show it: the path, never the signed query."""
    try:
        return httpx.URL(url).path or "(a signed URL)"
    except httpx.InvalidURL:
        return "(a signed URL)"


class DatasetsApi:
    """The Datasets API at ``base_url`` (the S2 API's root) with the key ``api_key``.

    Parameters
    ----------
    base_url
        ``https://api.semanticscholar.org``, or a fake's URL.
    api_key
        The key the dataset and diff listings require.
    requester
        The request layer for the JSON calls (made from the key when None).
    http
        The client for the file downloads (one without the key, when None).
    timeout, retries, backoff, min_interval
        Seconds a request may take; times a failed request is tried again (and a broken
        download continued); the backoff between tries; the gap between two JSON calls.

    Raises
    ------
    KeyMissingError
        ``api_key`` is None: no request is made.
    """

    def __init__(self, base_url: str, api_key: str | None, *, requester: Requester | None = None,
                 http: httpx.Client | None = None, timeout: float = 60.0, retries: int = 3,
                 backoff: float = 1.0, min_interval: float = 1.0):
        if not api_key:
            raise KeyMissingError(SERVICE, "S2_API_KEY", KEY_URL, "download its datasets")
        self.base = base_url.rstrip("/") + API
        self.requester = requester or Requester(api_key=api_key, timeout=timeout,
                                                max_retries=retries, backoff=backoff,
                                                min_interval=min_interval)
        self.http = http or httpx.Client(timeout=timeout, follow_redirects=True)
        self.retries = retries
        self.backoff = backoff

    def close(self) -> None:
        self.requester.close()
        self.http.close()

    def release_id(self, release: str) -> str:
        """The id of ``release`` (an id, or ``"latest"``)."""
        answer = self.requester.request(f"{self.base}/release/{release}")
        return str(answer["release_id"])

    def files(self, release: str, dataset: str) -> list[str]:
        """The signed URLs of ``dataset``'s shards in ``release``."""
        answer = self.requester.request(f"{self.base}/release/{release}/dataset/{dataset}")
        return [str(u) for u in answer.get("files") or []]

    def diffs(self, start: str, end: str, dataset: str) -> list[dict[str, Any]]:
        """The chain of diffs of ``dataset`` from ``start`` to ``end`` (or ``"latest"``):
        each with ``from_release``, ``to_release``, ``update_files``, ``delete_files``."""
        answer = self.requester.request(f"{self.base}/diffs/{start}/to/{end}/{dataset}")
        return list(answer.get("diffs") or [])

    def download_release(self, release: str, into: Path,
                         progress: Progress | None = None) -> Path:
        """Every dataset of ``release`` into ``into/<release id>/``, with its ``RELEASE``
        file; files already whole there are kept. Returns the release folder."""
        rid = self.release_id(release)
        folder = into / rid
        listed = {name: self.files(rid, name) for name in DATASETS}
        jobs = [(name, url, folder / name) for name, urls in listed.items() for url in urls]

        def relist(name: str, index: int) -> str:
            return self.files(rid, name)[index]

        self._fetch_all(jobs, relist, progress)
        (folder / "RELEASE").write_text(rid + "\n", encoding="utf-8")
        return folder

    def download_diffs(self, start: str, end: str, into: Path,
                       progress: Progress | None = None) -> list[Path]:
        """The diffs from release ``start`` to ``end`` into ``into/diffs/<from>--<to>/``, one
        folder per step of the chain, oldest first (none when ``start`` is the newest)."""
        chains = {name: self.diffs(start, end, name) for name in DATASETS}
        steps = sorted({(d["from_release"], d["to_release"]) for c in chains.values() for d in c})
        jobs = []
        for name, chain in chains.items():
            for step in chain:
                folder = into / "diffs" / f"{step['from_release']}--{step['to_release']}" / name
                jobs += [(name, url, folder / "updates") for url in step["update_files"]]
                jobs += [(name, url, folder / "deletes") for url in step["delete_files"]]

        def relist(name: str, index: int) -> str:
            urls = [u for step in self.diffs(start, end, name)
                    for u in step["update_files"] + step["delete_files"]]
            return urls[index]

        self._fetch_all(jobs, relist, progress)
        return [into / "diffs" / f"{a}--{b}" for a, b in steps]

    def _fetch_all(self, jobs: list[tuple[str, str, Path]],
                   relist: Callable[[str, int], str], progress: Progress | None) -> None:
        seen: dict[str, int] = {}
        for done, (name, url, folder) in enumerate(jobs, start=1):
            index = seen[name] = seen.get(name, -1) + 1
            target = folder / shown(url).rsplit("/", 1)[-1]
            fetched = self.fetch(url, target, partial(relist, name, index))
            if progress:
                progress(Fetched(target, name, done, len(jobs), fetched[0], fetched[1],
                                 fetched[2]))

    def fetch(self, url: str, target: Path, relist: Callable[[], str]) -> tuple[int, bool, bool]:
        """Download ``url`` to ``target`` through ``target.part``, continuing a part a run
        before left. Returns (bytes fetched now, resumed, kept whole)."""
        if target.is_file():
            return 0, False, True
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        resumed = part.is_file() and part.stat().st_size > 0
        fetched, renewed, broken = 0, False, 0
        while True:
            have = part.stat().st_size if part.is_file() else 0
            try:
                status, got = self._stream(url, part, have)
            except httpx.TransportError as exc:
                broken += 1
                if broken > self.retries:
                    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
                        raise UnreachableError("the Datasets API's file host", host_port(url),
                                               transport_reason(exc), broken, 0.0,
                                               url=shown(url)) from None
                    raise ServiceError(f"the download of {shown(url)} broke off "
                                       f"{broken} times ({type(exc).__name__})",
                                       url=shown(url)) from None
                log.info("download of %s broke off; continuing", shown(url))
                time.sleep(min(self.backoff * 2 ** (broken - 1), 30.0))
                continue
            fetched += got
            if status in (200, 206, 416):
                part.replace(target)
                return fetched, resumed, False
            if status == 403 and not renewed:  # the signed URL expired: ask for a fresh one
                url, renewed = relist(), True
                continue
            if status in RETRY_STATUSES and broken < self.retries:
                broken += 1
                log.info("download of %s answered HTTP %d; trying again", shown(url), status)
                time.sleep(min(self.backoff * 2 ** (broken - 1), 30.0))
                continue
            raise ServiceError(f"the download of {shown(url)} failed (HTTP {status})",
                               status=status, url=shown(url))

    def _stream(self, url: str, part: Path, have: int) -> tuple[int, int]:
        """(status, bytes written) of one GET of ``url`` into ``part`` from byte ``have``."""
        headers = {"Range": f"bytes={have}-"} if have else {}
        with self.http.stream("GET", url, headers=headers) as r:
            if r.status_code == 416 and have and _total(r) == have:
                return 416, 0
            if r.status_code not in (200, 206):
                return r.status_code, 0
            mode = "ab" if r.status_code == 206 else "wb"
            written = 0
            with part.open(mode) as out:
                for chunk in r.iter_raw():  # as it arrives, so a cut keeps what came
                    out.write(chunk)
                    written += len(chunk)
            return r.status_code, written


def _total(r: httpx.Response) -> int | None:
    """The full size a ``Content-Range: bytes */N`` answer gives."""
    value = r.headers.get("content-range", "")
    try:
        return int(value.rsplit("/", 1)[1])
    except (IndexError, ValueError):
        return None


def import_from_api(api: DatasetsApi, release: str, graph: Path,
                    graph_slice: GraphSlice | None = None, *,
                    downloaded: Progress | None = None, progress: ImportProgress | None = None,
                    memory_limit: str = "1GB") -> ImportReport:
    """Download ``release`` (an id or ``"latest"``) into ``graph/.downloads/`` and import it
    into ``graph`` (see :func:`explorer.s2ag.importer.import_release`). Run again after an
    interruption, it fetches only what it lacks and reads only the shards not yet read."""
    folder = api.download_release(release, graph / ".downloads", downloaded)
    return import_release(folder, graph, graph_slice, progress, memory_limit)


def update_from_api(api: DatasetsApi, graph: Path, end: str = "latest", *,
                    downloaded: Progress | None = None, progress: ImportProgress | None = None,
                    memory_limit: str = "1GB") -> list[ImportReport]:
    """Download the diffs from the graph's release to ``end`` and apply them in order; an
    empty list when the graph holds ``end`` already.

    Raises
    ------
    BadInputError
        ``graph`` holds no graph, or one whose release is unknown.
    """
    manifest = read_manifest(graph)
    start = (manifest or {}).get("release")
    if not start:
        raise BadInputError(f"the graph in {graph} has no release to update from: import a "
                            f"release into it first")
    steps = api.download_diffs(start, end, graph / ".downloads", downloaded)
    return [apply_diff(step, graph, progress, memory_limit) for step in steps]
