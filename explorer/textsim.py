"""How close each paper's words are to the seeds': TF-IDF cosine over titles and abstracts.

Pure: texts in, one number per text out. The vectoriser is scikit-learn's
:class:`~sklearn.feature_extraction.text.TfidfVectorizer` (English stop words dropped,
sublinear term frequency, unigrams and bigrams), fitted on the texts given, so the inverse
document frequency is that of the papers being ranked: a word every candidate shares says
nothing, a word only the seeds and a few candidates share says much.

The text of a paper is its title and abstract; the abstract is often missing, and the title
alone still carries the topic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from explorer.models import Paper

__all__ = ["paper_text", "seed_similarity"]


def paper_text(paper: Paper) -> str:
    """Title and abstract, space-separated ('' when the paper has neither)."""
    return " ".join(t for t in (paper.title, paper.abstract) if t)


def seed_similarity(texts: Sequence[str], seeds: Sequence[int]) -> np.ndarray:
    """Mean TF-IDF cosine of each text with the seeds' texts.

    Parameters
    ----------
    texts : Sequence[str]
        One text per paper (title and abstract); empty strings are allowed.
    seeds : Sequence[int]
        Positions of the seeds in ``texts``.

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
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = np.zeros(len(texts))
    if not len(seeds) or not any(texts[i].strip() for i in seeds):
        return out
    vectoriser = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2),
                                 dtype=np.float64)
    try:
        matrix = vectoriser.fit_transform(texts)
    except ValueError:  # no word at all once stop words are gone
        return out
    sims = matrix @ matrix[list(seeds)].T  # rows are L2-normalised: dot = cosine
    return np.clip(np.asarray(sims.mean(axis=1)).ravel(), 0.0, 1.0)
