"""Fake SPECTER vectors and recommendations: deterministic 768-d vectors from a paper's words.

The sample corpus carries no embeddings, so the fake makes them: each word of the title and
abstract (normalised, stop words and words under three letters dropped) maps to a fixed
pseudo-random direction (SHAKE-256 of the word), and a paper's vector is the sum of its
words' directions, L2-normalised and scaled to the magnitude of real SPECTER vectors. Papers
sharing words are therefore close in cosine, as papers on one topic are in SPECTER's space.
A paper without a title gets no vector (S2 answers ``null`` for some papers too).

Recommendations rank the corpus by cosine: to one paper (``/forpaper``), or to the positive
papers' mean minus the negative papers' mean (``POST /papers``), the input papers left out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from explorer.fake_s2.corpus import Corpus, normalize_title

__all__ = ["DIM", "RECENT_YEARS", "embedding_of", "recommend", "vector_of"]

DIM = 768
SCALE = 20.0  # real specter_v2 vectors have a norm of about 20
RECENT_YEARS = 5
"""``from=recent`` draws from papers at most this many years older than the corpus' newest."""

_STOP = frozenset(
    "the and for with from that this are was were been have has its into our their which "
    "using use based via can not but also more than such these those other".split())
_WORDS: dict[str, np.ndarray] = {}
_VECTORS: dict[str, np.ndarray | None] = {}  # text -> vector


def _word(word: str) -> np.ndarray:
    vec = _WORDS.get(word)
    if vec is None:
        raw = np.frombuffer(hashlib.shake_256(word.encode()).digest(DIM), np.uint8)
        vec = _WORDS[word] = (raw.astype(np.float32) - 127.5) / 73.9
    return vec


def _text(raw: Mapping[str, Any]) -> str:
    return " ".join(str(raw.get(k) or "") for k in ("title", "abstract")).strip()


def vector_of(raw: Mapping[str, Any]) -> np.ndarray | None:
    """The fake vector of a paper record (unit length times :data:`SCALE`), or None."""
    if not raw.get("title"):
        return None
    text = _text(raw)
    if text in _VECTORS:
        return _VECTORS[text]
    words = [w for w in normalize_title(text).split() if len(w) > 2 and w not in _STOP]
    out: np.ndarray | None = None
    if words:
        total = np.sum([_word(w) for w in words], axis=0)
        norm = float(np.linalg.norm(total))
        out = (total * (SCALE / norm)).astype(np.float32) if norm else None
    if len(_VECTORS) > 200_000:
        _VECTORS.clear()
    _VECTORS[text] = out
    return out


def embedding_of(raw: Mapping[str, Any], model: str | None) -> dict[str, Any] | None:
    """The fake ``embedding`` field of a record that has none, or None without a title.

    Values go out with full double precision, as S2 sends them (about 15.6 KB a paper)."""
    vec = vector_of(raw)
    if vec is None:
        return None
    return {"model": model or "specter_v1", "vector": [float(x) for x in vec.astype(np.float64)]}


def _pool(corpus: Corpus, source: str) -> list[dict[str, Any]]:
    papers = list(corpus.papers.values())
    if source != "recent":
        return papers
    years = [p["year"] for p in papers if isinstance(p.get("year"), int)]
    newest = max(years, default=0)
    return [p for p in papers if isinstance(p.get("year"), int)
            and p["year"] >= newest - RECENT_YEARS]


def recommend(corpus: Corpus, positive: Sequence[Mapping[str, Any]],
              negative: Sequence[Mapping[str, Any]], limit: int,
              source: str = "all-cs") -> list[dict[str, Any]]:
    """Corpus records closest to the positive papers and away from the negative ones, best
    first; the input papers and papers without a vector are left out."""
    def mean(records: Sequence[Mapping[str, Any]]) -> np.ndarray:
        vecs = [v for v in map(vector_of, records) if v is not None]
        return np.mean(vecs, axis=0) if vecs else np.zeros(DIM, np.float32)

    target = mean(positive) - mean(negative)
    given = {r.get("paperId") for r in (*positive, *negative)}
    scored = []
    for raw in _pool(corpus, source):
        if raw["paperId"] in given:
            continue
        vec = vector_of(raw)
        if vec is not None:
            scored.append((-float(vec @ target), raw["paperId"], raw))
    scored.sort(key=lambda item: item[:2])
    return [raw for _, _, raw in scored[:limit]]
