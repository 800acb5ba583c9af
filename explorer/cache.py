"""A least-recently-used cache held to a byte budget, for what the app computes per exploration.

An entry-count limit says nothing about memory: 32 explorations of 60,000 papers are 13 GB,
32 of 500 papers a few megabytes. :class:`ByteBudget` instead weighs each value when it is put
in (by a size the caller gives, usually :func:`graph_bytes`) and drops the least recently
used values until what it holds fits the budget. The value just put in always stays, so a
single exploration larger than the budget is still shown (alone).

The sizes are estimates from node and edge counts, calibrated on real explorations
(``bench/app_memory.py``): measuring a graph's deep size would cost as much as building it.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import networkx as nx

__all__ = ["ByteBudget", "EDGE_BYTES", "NODE_BYTES", "graph_bytes"]

NODE_BYTES = 5000
"""Bytes a paper of an exploration holds: its node, Paper record and Ranked entry (ranking
reasons and components included). Measured: 405 MB of resident memory for 61,128 papers and
278,328 citations, 226 MB for 30,564 and 139,164."""

EDGE_BYTES = 400
"""Bytes a citation holds in a graph: adjacency both ways and its attributes."""

_NONE_BYTES = 64


def graph_bytes(g: nx.Graph, *, node_bytes: int = NODE_BYTES, edge_bytes: int = EDGE_BYTES
                ) -> int:
    """An estimate of the memory a graph and what hangs off its nodes hold.

    Examples
    --------
    >>> graph_bytes(nx.path_graph(3), node_bytes=100, edge_bytes=10)
    320
    """
    return node_bytes * g.number_of_nodes() + edge_bytes * g.number_of_edges()


class ByteBudget:
    """Values by key, least recently used dropped first to keep their sizes under a budget.

    Parameters
    ----------
    budget : int
        Bytes the values may hold together (0: only the latest value is kept).

    Examples
    --------
    >>> cache = ByteBudget(100)
    >>> cache.put("a", "A", 60); cache.put("b", "B", 30); cache.get("a")
    'A'
    >>> cache.put("c", "C", 30)  # 120 bytes: "b", used least recently, goes
    >>> sorted(cache.keys()), cache.held
    (['a', 'c'], 90)
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.held = 0
        self._values: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: Hashable) -> bool:
        return key in self._values

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[Hashable]:
        """The keys, least recently used first."""
        with self._lock:
            return list(self._values)

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value of ``key`` (now the most recently used), else ``default``."""
        with self._lock:
            if key not in self._values:
                return default
            self._values.move_to_end(key)
            return self._values[key][0]

    def put(self, key: Hashable, value: Any, size: int) -> None:
        """Hold ``value`` as ``size`` bytes, dropping the least recently used values until
        the budget is met (``value`` itself always stays)."""
        with self._lock:
            old = self._values.pop(key, None)
            if old is not None:
                self.held -= old[1]
            self._values[key] = (value, size)
            self.held += size
            dropped = self._fit()
        if dropped:
            # An exploration's graph holds reference cycles (networkx views point back at
            # their graph): only the cycle collector frees it.
            gc.collect()

    def resize(self, budget: int) -> None:
        """A new budget, dropping values at once if they no longer fit."""
        with self._lock:
            self.budget = budget
            dropped = self._fit()
        if dropped:
            gc.collect()

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.held = 0

    def get_or_make(self, key: Hashable, make: Callable[[], Any],
                    size: Callable[[Any], int]) -> Any:
        """The value of ``key``, else ``make()`` put in with ``size(value)`` bytes (a value
        of None is held too, as a few bytes: "not there" is worth remembering)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key][0]
        value = make()
        self.put(key, value, _NONE_BYTES if value is None else size(value))
        return value

    def _fit(self) -> int:
        dropped = 0
        while self.held > self.budget and len(self._values) > 1:
            _, (_, size) = self._values.popitem(last=False)
            self.held -= size
            dropped += 1
        return dropped
