"""A 2-D map of papers by their SPECTER vectors: a deterministic principal-component projection.

Pure: vectors in, positions out. Each vector is scaled to unit length (SPECTER's cosine is
what says two papers are alike), the mean is taken off, and the two leading principal
components (an SVD) are the axes, each signed so that its largest loading is positive (an
SVD's signs are otherwise arbitrary) and scaled into [-1, 1]. Papers without a vector, or
with one of another size than most, are returned apart, to be listed as such.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["semantic_layout"]


def semantic_layout(
    ids: Sequence[str], vectors: Mapping[str, np.ndarray]
) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """Positions in [-1, 1]² for the ``ids`` with a vector, and the ids without one.

    Parameters
    ----------
    ids : Sequence[str]
        The papers to place, in order.
    vectors : Mapping[str, numpy.ndarray]
        A vector per paper id (SPECTER's); ids missing here are returned as unplaced.

    Returns
    -------
    (dict[str, tuple[float, float]], list[str])
        Positions by id, and the ids left out, in the order given. One paper sits at the
        centre; two or more spread along the first axis at least.

    Examples
    --------
    >>> v = {"a": np.array([1.0, 0.0, 0.0]), "b": np.array([0.9, 0.1, 0.0]),
    ...      "c": np.array([0.0, 0.0, 1.0])}
    >>> pos, missing = semantic_layout(["a", "b", "c", "d"], v)
    >>> missing, abs(pos["a"][0] - pos["b"][0]) < abs(pos["a"][0] - pos["c"][0])
    (['d'], True)
    """
    have = [p for p in ids if p in vectors and np.asarray(vectors[p]).ndim == 1]
    sizes = Counter(np.asarray(vectors[p]).shape[0] for p in have)
    dim = sizes.most_common(1)[0][0] if sizes else 0
    placed = [p for p in have if np.asarray(vectors[p]).shape[0] == dim]
    missing = [p for p in ids if p not in set(placed)]
    if not placed:
        return {}, missing
    x = np.vstack([np.asarray(vectors[p], np.float64) for p in placed])
    norms = np.linalg.norm(x, axis=1)
    x = x / np.where(norms > 0, norms, 1.0)[:, None]
    x -= x.mean(axis=0)
    coords = np.zeros((len(placed), 2))
    if len(placed) > 1 and np.any(x):
        u, s, vt = np.linalg.svd(x, full_matrices=False)
        k = min(2, vt.shape[0])
        for axis in range(k):
            sign = 1.0 if vt[axis][np.argmax(np.abs(vt[axis]))] >= 0 else -1.0
            coords[:, axis] = sign * (x @ vt[axis])
        top = np.abs(coords).max(axis=0)
        coords /= np.where(top > 0, top, 1.0)
    return {p: (float(a), float(b)) for p, (a, b) in zip(placed, coords, strict=True)}, missing
