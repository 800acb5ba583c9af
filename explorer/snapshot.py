"""A ranked exploration kept as bytes, to reopen it without computing it again.

:func:`snapshot_key` names what a ranking is made of besides the store's contents: the seeds,
the options, the weights, the year (recency counts from it), explorer's own code and the
versions of the libraries that compute it. The store keeps a snapshot with its change count
(:meth:`explorer.store.Store.keep_snapshot`), so a snapshot is valid while both match.

A snapshot is a pickle of the seeds, the graph and the ranking: the fastest way Python has to
rebuild millions of small objects, which keeps every shared object shared (a paper in the
graph and in the ranking, a citation's attributes in both directions of the graph). A store
file may come from someone else, so :func:`load` rebuilds only the classes a snapshot is made
of (:data:`ALLOWED`) and refuses any other name before anything is called.
"""

from __future__ import annotations

import hashlib
import io
import json
import pickle
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import networkx as nx

from explorer.analysis.rank import DEFAULT_WEIGHTS
from explorer.models import Ranked

__all__ = ["ALLOWED", "SnapshotError", "dump", "load", "snapshot_key"]

ALLOWED = frozenset({
    ("explorer.models", "Paper"), ("explorer.models", "Ranked"),
    ("explorer.models", "ComponentRow"),
    ("numpy", "dtype"), ("numpy", "ndarray"),
    ("numpy._core.numeric", "_frombuffer"), ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "_reconstruct"),
    ("builtins", "set"), ("builtins", "frozenset"),
})
"""``(module, name)`` of every global a snapshot may name: explorer's records, a float array
(the ranking's components) and sets; the graph is its dicts. None of them runs code it is
handed."""

PLAIN, PACKED = b"p", b"z"
"""The first byte of a snapshot: a pickle as it is, or packed (then its size, 8 bytes)."""
MAX_PICKLE = 2**32
"""The largest pickle a packed snapshot may claim to hold."""

LIBRARIES = ("numpy", "networkx", "scikit-learn")
"""The libraries whose versions a ranking depends on, read from their metadata (importing
scikit-learn would cost more than a reopening saves)."""


class SnapshotError(Exception):
    """A snapshot that cannot be read back: truncated, corrupt, or naming what it may not."""


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED:
            raise SnapshotError(f"a snapshot may not name {module}.{name}")
        return super().find_class(module, name)


def _zstd() -> Any:
    """pyarrow's Zstandard codec, or ``None`` where pyarrow cannot be imported."""
    try:
        import pyarrow
    except ImportError:  # pragma: no cover - pyarrow is installed with streamlit
        return None
    return pyarrow.Codec("zstd", compression_level=1)


def dump(seeds: list[str], graph: nx.DiGraph, ranked: list[Ranked]) -> bytes:
    """The bytes :func:`load` reads back as ``(seeds, graph, ranked)``: their pickle, packed
    by Zstandard at its fastest level where pyarrow is installed (at 60k papers 78 MB become
    20 MB in 0.12 s, and writing them to the store takes 0.1 s instead of 0.4-0.9 s).

    >>> from explorer.models import Paper
    >>> seeds, graph, ranked = load(dump(["a"], nx.DiGraph([("a", "b")]),
    ...                                  [Ranked(Paper("a"), 1.0, "seed")]))
    >>> seeds, list(graph.edges), ranked[0].paper.paper_id, ranked[0].score
    (['a'], [('a', 'b')], 'a', 1.0)
    """
    data = pickle.dumps((seeds, _graph_parts(graph), ranked), protocol=pickle.HIGHEST_PROTOCOL)
    codec = _zstd()
    if codec is None:
        return PLAIN + data
    return PACKED + len(data).to_bytes(8, "little") + codec.compress(data, asbytes=True)


def load(data: bytes) -> tuple[list[str], nx.DiGraph, list[Ranked]]:
    """``(seeds, graph, ranked)`` from :func:`dump`'s bytes.

    Raises
    ------
    SnapshotError
        The bytes are no snapshot: truncated, corrupt, of another shape, or naming a global
        outside :data:`ALLOWED` (refused before it is looked up, let alone called).

    >>> load(b"pcos\\nsystem\\n(S'echo hi'\\ntR.")
    Traceback (most recent call last):
    ...
    explorer.snapshot.SnapshotError: a snapshot may not name os.system
    """
    try:
        with _unpacked(data) as stream:
            value = _Unpickler(stream).load()
        if not (isinstance(value, tuple) and len(value) == 3):
            raise SnapshotError("the snapshot is not an exploration")
        seeds, parts, ranked = value
        if not (isinstance(seeds, list) and isinstance(ranked, list)
                and all(isinstance(s, str) for s in seeds)
                and all(isinstance(r, Ranked) for r in ranked)):
            raise SnapshotError("the snapshot is not an exploration")
        graph = _graph(parts)
    except SnapshotError:
        raise
    except Exception as exc:  # every way a pickle can be broken: EOF, bad opcode, bad args
        raise SnapshotError(f"the snapshot is corrupt ({type(exc).__name__})") from None
    return seeds, graph, ranked


def _graph_parts(g: nx.DiGraph) -> tuple[dict[str, Any], ...]:
    """The dicts a graph is made of: its attributes, nodes, successors and predecessors (the
    successors' and predecessors' attribute dicts are the same objects, as the pickle keeps
    them). Not the graph object itself, whose cached views name more classes."""
    return dict(g.graph), g._node, g._succ, g._pred


def _graph(parts: tuple[Any, ...]) -> nx.DiGraph:
    """The graph of :func:`_graph_parts`: the same nodes and citations in the same order."""
    if not (isinstance(parts, tuple) and len(parts) == 4
            and all(type(part) is dict for part in parts)):
        raise SnapshotError("the snapshot's graph is of an unknown shape")
    attributes, node, succ, pred = parts
    if not (node.keys() == succ.keys() == pred.keys()):
        raise SnapshotError("the snapshot's graph is of an unknown shape")
    g = nx.DiGraph()
    g.graph.update(attributes)
    g._node.update(node)
    g._succ.update(succ)  # the same dict as g._adj
    g._pred.update(pred)
    return g


def _unpacked(data: bytes) -> Any:
    """The pickle in a snapshot as a file, unpacked as it is read: the whole pickle is never
    in memory at once (70 MB less at the peak of a reopening at 60k papers)."""
    if data[:1] == PLAIN:
        return io.BytesIO(memoryview(data)[1:])
    size = int.from_bytes(data[1:9], "little")
    if data[:1] != PACKED or size > MAX_PICKLE:
        raise SnapshotError("the snapshot is of an unknown kind")
    try:
        import pyarrow
    except ImportError:  # pragma: no cover - pyarrow is installed with streamlit
        raise SnapshotError("the snapshot is packed, and pyarrow is not installed") from None
    return pyarrow.CompressedInputStream(pyarrow.BufferReader(memoryview(data)[9:]), "zstd")


@cache
def source_digest() -> str:
    """A digest of explorer's own code (every ``*.py`` of the package), read once a process."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


@cache
def library_versions() -> tuple[str, ...]:
    """Python's version and those of :data:`LIBRARIES` (``"-"`` for one not installed)."""
    def of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"
    return (sys.version, *map(of, LIBRARIES))


def snapshot_key(seeds: Iterable[str], options: Mapping[str, Any],
                 weights: Mapping[str, float] | None) -> str:
    """What a ranking of the store's contents is made of, as one digest: ``seeds`` in the
    order given, every option, the weights (``None``: the defaults), this year, explorer's
    code and the libraries' versions.

    >>> a = snapshot_key(["s"], {"depth": 2}, None)
    >>> a == snapshot_key(["s"], {"depth": 2}, None), a == snapshot_key(["s"], {"depth": 1}, None)
    (True, False)
    """
    made_of = {"seeds": list(seeds), "options": dict(options),
               "weights": dict(DEFAULT_WEIGHTS if weights is None else weights),
               "year": date.today().year, "code": source_digest(),
               "versions": library_versions()}
    return hashlib.sha256(json.dumps(made_of, sort_keys=True).encode()).hexdigest()
