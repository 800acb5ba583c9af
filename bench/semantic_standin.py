"""A stand-in for SPECTER vectors on a corpus that has none, for ``bench/ranking.py --semantic``.

The development corpus (the ACL Anthology Network) carries no SPECTER vectors and no
abstracts, and SPECTER cannot run here. What the benchmark can test is the *mechanics* of the
``semantic`` ranking component (a cosine to the seeds' centroid, centred, neutral without a
vector): it gives every paper a dense vector from its title alone, latent semantic analysis
(TF-IDF of title words and bigrams, then a truncated SVD to :data:`DIM` dimensions, fitted once
on the whole corpus without looking at any citation), stores them through the store's
embeddings table, and ranks the same walk again with the component weighted. A real SPECTER
vector, trained on citations over titles and abstracts, says more than this stand-in; the
numbers say whether the component's mechanics help, not how much SPECTER would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from explorer.analysis.rank import DEFAULT_WEIGHTS
from explorer.models import Ranked
from explorer.sources.s2_similar import EMBEDDING_MODEL
from explorer.store import Store
from explorer.tasks.explore import Exploration, rank_stored

DIM = 128
SEED = 0


def stand_in_vectors(papers: Sequence[Mapping[str, Any]], dim: int = DIM) -> dict[str, np.ndarray]:
    """Paper id -> a float32 LSA vector of its title (papers without a title get none)."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    titled = [p for p in papers if p.get("title")]
    tfidf = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=2,
                            sublinear_tf=True).fit_transform([p["title"] for p in titled])
    vecs = TruncatedSVD(dim, random_state=SEED).fit_transform(tfidf).astype(np.float32)
    return {p["paperId"]: vecs[i] for i, p in enumerate(titled)}


def variant(spec: str) -> tuple[str, dict[str, float]]:
    """``"0.5"``: the default weights with ``semantic`` at 0.5; ``"4-text"``: the same with
    the TF-IDF ``similarity`` dropped (does the component carry the text signal alone?)."""
    weight, _, drop = spec.partition("-")
    weights = DEFAULT_WEIGHTS | {"semantic": float(weight)}
    name = f"explorer + semantic {float(weight):g}"
    if drop == "text":
        weights["similarity"] = 0.0
        name += " - TF-IDF"
    return name, weights


def reranker(vectors: Mapping[str, np.ndarray], specs: Sequence[str]
             ) -> Callable[[Store, Exploration], dict[str, list[Ranked]]]:
    """What ``ranking.run_query`` calls after explorer's own ranking: store the stand-in
    vectors of the walk's papers, then rank it again once per :func:`variant`."""
    variants = dict(map(variant, specs))

    def rerank(store: Store, result: Exploration) -> dict[str, list[Ranked]]:
        store.put_embeddings({p: vectors[p] for p in result.graph if p in vectors},
                             EMBEDDING_MODEL)
        out = {}
        for name, weights in variants.items():
            again = rank_stored(store, result.seeds, result.options, result.report, weights)
            out[name] = [r for r in again.ranked if r.relation != "seed"]
        return out
    return rerank
