"""TF-IDF similarity to the seeds (explorer.analysis.textsim)."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import explorer.analysis.textsim as textsim
from explorer.analysis.textsim import paper_text, seed_similarity, similarity_key
from explorer.models import Paper


def test_doctests() -> None:
    assert doctest.testmod(textsim).failed == 0


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


class DictCache(dict):  # type: ignore[type-arg]
    def cached_vector(self, key: str) -> np.ndarray | None:
        return self.get(key)

    def cache_vector(self, key: str, vector: np.ndarray) -> None:
        self[key] = vector


def test_a_cache_answers_the_same_texts_and_seeds_and_nothing_else(monkeypatch) -> None:
    texts = ["neural machine translation", "statistical machine translation", "parsing"]
    cache = DictCache()
    first = seed_similarity(texts, [0], cache)
    assert list(cache) == [similarity_key(texts, [0])]
    computed = []
    real = textsim._tfidf
    monkeypatch.setattr(textsim, "_tfidf",
                        lambda t: computed.append(1) or real(t))
    assert seed_similarity(texts, [0], cache).tolist() == first.tolist() and not computed
    assert seed_similarity(texts, [1], cache).tolist() == seed_similarity(texts, [1]).tolist()
    changed = [*texts[:2], "parsing translation"]
    assert seed_similarity(changed, [0], cache).tolist() == seed_similarity(changed, [0]).tolist()
    assert len(cache) == 3 and len(computed) == 4


def test_the_key_names_texts_and_seeds_unambiguously() -> None:
    keys = {similarity_key(t, s) for t, s in [
        (["ab", "c"], [0]), (["a", "bc"], [0]), (["ab", "c"], [1]), (["ab", "c", ""], [0]),
        (["ab", "c"], [0, 1])]}
    assert len(keys) == 5

