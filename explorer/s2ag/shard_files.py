"""Gzip JSONL shards on disk: a writer spreading a dataset's records over several files, and
readers of a dataset's files, in the layout of S2AG releases.

Files are byte-identical on rerun (gzip with no name and mtime 0) and appear whole: each is
written as ``part-NNNNN.jsonl.gz.tmp`` and renamed when closed.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

DATASETS = ("papers", "abstracts", "citations", "paper-ids")
"""The S2AG datasets a release holds here, as the Datasets API names them."""

_BATCH = 2000  # lines joined before one compressor call


def dumps(record: Mapping[str, Any]) -> str:
    """One JSONL line (no newline) as the shards hold it: compact, UTF-8 text."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def bucket(key: str, n: int, salt: str = "") -> int:
    """A stable bucket in ``range(n)`` for ``key`` (the same across runs and releases)."""
    return zlib.crc32(f"{salt}\x00{key}".encode()) % n


def picked(key: str, rate: float, salt: str) -> bool:
    """Whether ``key`` is among the ``rate`` share picked for ``salt`` (stable, seeded by it)."""
    return bucket(key, 1_000_000, salt) < rate * 1_000_000


class ShardWriter:
    """Write one dataset's records into ``n`` gzip JSONL files in ``folder``.

    Use as a context manager; :meth:`write` puts a record in the file ``shard``. Memory is
    bounded by a batch of lines per file, whatever the number of records.
    """

    def __init__(self, folder: str | Path, n: int, *, level: int = 6):
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.paths = [self.folder / f"part-{i:05d}.jsonl.gz" for i in range(n)]
        self._raw: list[IO[bytes]] = []
        self._gz: list[gzip.GzipFile] = []
        for path in self.paths:
            raw = open(self._tmp(path), "wb")  # noqa: SIM115 - closed in close()
            self._raw.append(raw)
            self._gz.append(gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                          compresslevel=level))
        self._pending: list[list[str]] = [[] for _ in self.paths]
        self.counts = [0] * n

    @staticmethod
    def _tmp(path: Path) -> Path:
        return path.with_name(path.name + ".tmp")

    def write(self, shard: int, record: Mapping[str, Any]) -> None:
        """Append ``record`` to file ``shard``."""
        pending = self._pending[shard]
        pending.append(dumps(record))
        self.counts[shard] += 1
        if len(pending) >= _BATCH:
            self._flush(shard)

    def _flush(self, shard: int) -> None:
        pending = self._pending[shard]
        if pending:
            self._gz[shard].write(("\n".join(pending) + "\n").encode())
            pending.clear()

    def close(self, *, keep: bool = True) -> None:
        """Finish every file; rename them into place (``keep``) or remove them."""
        for i, path in enumerate(self.paths):
            if keep:
                self._flush(i)
            self._gz[i].close()
            self._raw[i].close()
            if keep:
                self._tmp(path).replace(path)
            else:
                self._tmp(path).unlink(missing_ok=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close(keep=kind is None)


def dataset_files(folder: str | Path) -> list[Path]:
    """The ``.gz`` files of one dataset folder, in name order (none if it is missing)."""
    folder = Path(folder)
    return sorted(folder.glob("*.gz")) if folder.is_dir() else []


def read_file(path: str | Path) -> Iterator[dict[str, Any]]:
    """The records of one gzip JSONL file, blank lines skipped."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def read_dataset(folder: str | Path) -> Iterator[dict[str, Any]]:
    """The records of every file of one dataset folder, file by file in name order."""
    for path in dataset_files(folder):
        yield from read_file(path)
