"""How close each paper's words are to the seeds': TF-IDF cosine over titles and abstracts.

Pure: texts in, one number per text out. scikit-learn's hashed term counts
(:class:`~sklearn.feature_extraction.text.HashingVectorizer`: English stop words dropped,
unigrams and bigrams) weighted by its
:class:`~sklearn.feature_extraction.text.TfidfTransformer` (sublinear term frequency, smoothed
inverse document frequency, rows L2-normalised), fitted on the texts given, so the inverse
document frequency is that of the papers being ranked: a word every candidate shares says
nothing, a word only the seeds and a few candidates share says much.

The text of a paper is its title and abstract; the abstract is often missing, and the title
alone still carries the topic.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any, Protocol

import numpy as np

from explorer.models import Paper

__all__ = ["HASH_FEATURES", "VectorCache", "cross_similarity", "paper_text", "seed_similarity",
           "similarity_key"]

HASH_FEATURES = 2**20
"""Hashed vocabulary size: collisions are rare at this size, and hashing skips building a
vocabulary, which costs more than the rest for 20,000 titles."""


class VectorCache(Protocol):
    """Where :func:`seed_similarity` keeps its answers (the store: ``Store.cached_vector``)."""

    def cached_vector(self, key: str) -> np.ndarray | None: ...

    def cache_vector(self, key: str, vector: np.ndarray) -> None: ...


def paper_text(paper: Paper) -> str:
    """Title and abstract, space-separated ('' when the paper has neither)."""
    return " ".join(t for t in (paper.title, paper.abstract) if t)


def seed_similarity(texts: Sequence[str], seeds: Sequence[int],
                    cache: VectorCache | None = None) -> np.ndarray:
    """Mean TF-IDF cosine of each text with the seeds' texts.

    Parameters
    ----------
    texts : Sequence[str]
        One text per paper (title and abstract); empty strings are allowed.
    seeds : Sequence[int]
        Positions of the seeds in ``texts``.
    cache : VectorCache, optional
        Answers kept under :func:`similarity_key`: the same texts and seeds are answered from
        it, anything else is computed and kept there. The values are the same either way.

    Returns
    -------
    numpy.ndarray
        One value in [0, 1] per text: the mean over the seeds of the cosine similarity (a
        seed compared with itself counts too, so seeds score high). All zeros when there
        are no seeds or no word survives the stop list.

    Examples
    --------
    >>> sim = seed_similarity(["neural machine translation", "statistical machine translation",
    ...                        "parsing with grammars"], [0])
    >>> bool(sim[1] > sim[2] == 0.0), round(float(sim[0]), 6)
    (True, 1.0)
    """
    out = np.zeros(len(texts))
    if not len(seeds) or not any(texts[i].strip() for i in seeds):
        return out
    key = similarity_key(texts, seeds) if cache is not None else ""
    kept = cache.cached_vector(key) if cache is not None else None
    if kept is not None and kept.shape == out.shape:
        return kept
    matrix = _tfidf(texts)
    if matrix is not None:
        sims = matrix @ matrix[list(seeds)].T  # rows are L2-normalised: dot = cosine
        out = np.clip(np.asarray(sims.mean(axis=1)).ravel(), 0.0, 1.0)
    if cache is not None:
        cache.cache_vector(key, out)
    return out


def similarity_key(texts: Sequence[str], seeds: Sequence[int]) -> str:
    """A digest of everything :func:`seed_similarity` depends on: the texts in order, the
    seeds' positions, the weighting and scikit-learn's version.

    Examples
    --------
    >>> similarity_key(["a b", "c"], [0]) == similarity_key(["a b", "c"], [0])
    True
    >>> similarity_key(["a b", "c"], [0]) == similarity_key(["a", "b c"], [0])
    False
    """
    h = hashlib.sha256(json.dumps(["tfidf-1", version("scikit-learn"), HASH_FEATURES,
                                   [int(i) for i in seeds], [len(t) for t in texts]]).encode())
    for text in texts:  # one text at a time: a joined copy of 60,000 abstracts costs more
        h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def cross_similarity(texts: Sequence[str], rows: Sequence[int], cols: Sequence[int]
                     ) -> np.ndarray:
    """TF-IDF cosine of every text in ``rows`` with every text in ``cols``, weighted as in
    :func:`seed_similarity` (inverse document frequency over all ``texts``).

    Parameters
    ----------
    texts : Sequence[str]
        One text per paper; empty strings are allowed.
    rows, cols : Sequence[int]
        Positions in ``texts``.

    Returns
    -------
    numpy.ndarray
        A ``len(rows) x len(cols)`` array of values in [0, 1]; zeros where a text has no word
        left once stop words are gone.

    Examples
    --------
    >>> sim = cross_similarity(["neural machine translation", "parsing with grammars",
    ...                         "machine translation revisited"], [2], [0, 1])
    >>> bool(sim[0, 0] > 0.0 == sim[0, 1])
    True
    """
    out = np.zeros((len(rows), len(cols)))
    if not len(rows) or not len(cols):
        return out
    matrix = _tfidf(texts)
    if matrix is None:
        return out
    sims = (matrix[list(rows)] @ matrix[list(cols)].T).toarray()
    return np.clip(sims, 0.0, 1.0)


def _tfidf(texts: Sequence[str]) -> Any:
    """Rows of L2-normalised TF-IDF weights (a sparse matrix), or None when no word is left."""
    # slow to import: only when there is text
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    counts = HashingVectorizer(stop_words="english", ngram_range=(1, 2), alternate_sign=False,
                               norm=None, n_features=HASH_FEATURES).transform(texts)
    if not counts.nnz:  # no word at all once stop words are gone
        return None
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts)
