"""TF-IDF similarity to the seeds (explorer.analysis.textsim)."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import explorer.analysis.textsim
from explorer.analysis.textsim import paper_text, seed_similarity
from explorer.models import Paper


def test_doctests() -> None:
    assert doctest.testmod(explorer.analysis.textsim).failed == 0


def test_paper_text_joins_title_and_abstract() -> None:
    assert paper_text(Paper("a", title="Parsing", abstract="We parse.")) == "Parsing We parse."
    assert paper_text(Paper("a")) == ""


def test_mean_over_the_seeds() -> None:
    texts = ["alpha beta", "gamma delta", "alpha gamma", "epsilon"]
    sim = seed_similarity(texts, [0, 1])
    # "alpha gamma" shares one word with each seed: the same cosine c with both
    c = float(sim[2])
    assert 0.0 < c < 1.0
    assert sim[3] == 0.0
    assert sim[0] == pytest.approx((1.0 + 0.0) / 2)


def test_rare_words_weigh_more() -> None:
    texts = ["translation model", "translation model", "translation grammar",
             "parsing model", "parsing grammar", "translation"]
    sim = seed_similarity(texts, [0])
    assert sim[2] != sim[3]  # "translation" (in 4 texts) and "model" (in 3) weigh differently
    assert sim[1] == pytest.approx(1.0)


@pytest.mark.parametrize("texts, seeds", [
    (["a b", "c"], []),  # no seeds
    (["", "words here"], [0]),  # the seed has no text
    (["the and of", "of the"], [0]),  # nothing survives the stop list
])
def test_nothing_to_compare_is_zero(texts: list[str], seeds: list[int]) -> None:
    assert np.array_equal(seed_similarity(texts, seeds), np.zeros(len(texts)))


def _sklearn_tfidf(texts):
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

    counts = HashingVectorizer(stop_words="english", ngram_range=(1, 2), alternate_sign=False,
                               norm=None, n_features=explorer.analysis.textsim.HASH_FEATURES
                               ).transform(texts)
    return TfidfTransformer(sublinear_tf=True).fit_transform(counts)


def _sample_texts() -> list[str]:
    import gzip
    import json
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "data" / "s2-sample"
    plain, packed = folder / "papers.jsonl", folder / "papers.jsonl.gz"
    with (gzip.open(packed, "rt", encoding="utf-8") if packed.exists()
          else open(plain, encoding="utf-8")) as f:
        return [paper_text(Paper.from_s2(json.loads(line))) for line in f if line.strip()]


def test_weights_are_scikit_learns_bit_for_bit() -> None:
    from explorer.analysis.stop_words import ENGLISH_STOP_WORDS
    from explorer.analysis.textsim import _tfidf
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as theirs

    assert ENGLISH_STOP_WORDS == theirs
    odd = ["", "the of and", "Über-Ähnlichkeit naïve café ÜBER", "x y z a1 B2 __init__ 3.14",
           "attention attention attention is all you need", "日本語 の テキスト 処理",
           "word " * 300 + "another long abstract with many many many repeated terms"]
    texts = _sample_texts() + odd
    assert len(texts) > 100
    ours, want = _tfidf(texts), _sklearn_tfidf(texts)
    assert type(ours) is type(want) and ours.shape == want.shape
    assert np.array_equal(ours.indptr, want.indptr) and np.array_equal(ours.indices, want.indices)
    assert ours.data.tobytes() == want.data.tobytes()
    assert _tfidf(["", "the and of"]) is None
