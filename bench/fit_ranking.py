"""Fit the ranking's weights on the tuning half of the hide-a-paper benchmark.

Run: ``.venv/bin/python bench/fit_ranking.py [--queries N] [--cache FILE]``; it prints the
weights and the intercept to paste into :data:`explorer.analysis.rank.DEFAULT_WEIGHTS` and
:data:`explorer.analysis.rank.INTERCEPT`. The walks take minutes; ``--cache FILE`` keeps the
examples they give (an ``.npz``) so that the next fit, of another regularisation or with
components left out (``--drop``), takes seconds. A cache made with other components is
walked again.

The model is :func:`explorer.analysis.rank.rank`'s own: a logistic function of the components it
computes. For every tuning query (``bench/ranking.py``: a paper hidden from the served graph,
3 of its references as seeds, the default walk), each candidate is an example: positive when
the hidden paper cites it, negative otherwise. Every positive is kept and
:data:`NEGATIVES` negatives a query are drawn with a fixed RNG, so each query weighs about the
same; the components are standardised, scikit-learn's L2-regularised
:class:`~sklearn.linear_model.LogisticRegression` (``C = 1``) is fitted, and its coefficients
are mapped back to the raw components. The components of :data:`PRIORS` keep the weights in
the code (see there why) and are left out of the fit: the priors weigh papers the corpus
cannot tell apart, so they would only shift the intercept.
Only the tuning half is read; ``bench/ranking.py --split validate`` judges the result.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ranking  # noqa: E402  (the benchmark next to this file)

from explorer.analysis.rank import DEFAULT_WEIGHTS  # noqa: E402
from explorer.tasks.explore import ExploreOptions  # noqa: E402

NEGATIVES = 300
SEED = 7
PRIORS = ("recency", "influence", "intents", "semantic", "recommended")
"""Components kept at the code's weights: recency because its values depend on the year the
benchmark runs and the protocol favours old papers by construction (the papers to find are
older than the hidden one); influence and intents because the corpus has none; semantic and
recommended because the corpus has no SPECTER vectors and no recommender (``semantic`` is
weighed with stand-in vectors by ``bench/ranking.py --semantic`` instead)."""


def examples(results: list[ranking.QueryResult]) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    names = list(DEFAULT_WEIGHTS)
    xs, ys = [], []
    for r in results:
        # by paper id, so the draw does not depend on the weights that ranked them
        ranked = sorted(r.ranked, key=lambda c: c.paper.paper_id)
        x = np.array([[c.components[k] for k in names] for c in ranked])
        y = np.array([c.paper.paper_id in r.targets for c in ranked])
        neg = np.flatnonzero(~y)
        if neg.size > NEGATIVES:
            neg = rng.choice(neg, NEGATIVES, replace=False)
        keep = np.r_[np.flatnonzero(y), neg]
        xs.append(x[keep])
        ys.append(y[keep])
    return np.vstack(xs), np.concatenate(ys)


def cached_examples(path: Path | None, walk: Callable[[], list[ranking.QueryResult]]
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The examples kept at ``path`` when they have today's components, else walked (and kept)."""
    names = list(DEFAULT_WEIGHTS)
    if path is not None and path.exists():
        kept = np.load(path)
        if kept["names"].tolist() == names:
            return kept["x"], kept["y"]
        print(f"{path} holds other components: walking again", file=sys.stderr)
    results = walk()
    print(ranking.table(ranking.summarise(results), "tune half, weights before the fit"))
    x, y = examples(results)
    if path is not None:
        np.savez_compressed(path, x=x, y=y, names=np.array(names))
    return x, y


def fit(x: np.ndarray, y: np.ndarray, drop: Sequence[str] = (), c: float = 1.0
        ) -> tuple[dict[str, float], float]:
    names = list(DEFAULT_WEIGHTS)
    varies = (x.std(axis=0) > 0) & np.array([n not in PRIORS and n not in drop for n in names])
    mu, sd = x[:, varies].mean(axis=0), x[:, varies].std(axis=0)
    model = LogisticRegression(C=c, max_iter=5000).fit((x[:, varies] - mu) / sd, y)
    coef = model.coef_[0] / sd
    intercept = float(model.intercept_[0] - (coef * mu).sum())
    fitted = dict(zip([n for n, v in zip(names, varies, strict=True) if v], coef.tolist(),
                      strict=True))
    return ({n: 0.0 if n in drop else round(fitted.get(n, DEFAULT_WEIGHTS[n]), 3) for n in names},
            round(intercept, 3))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ranking.DEFAULT_CORPUS)
    parser.add_argument("--queries", type=int, default=None)
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the walks' examples in this .npz and reuse them")
    parser.add_argument("--drop", default="",
                        help="components to leave out (weight 0), comma-separated")
    parser.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength")
    args = parser.parse_args()

    def walk() -> list[ranking.QueryResult]:
        try:
            graph = ranking.Graph.load(args.corpus)
        except FileNotFoundError as exc:
            sys.exit(f"no corpus at {args.corpus}: {exc.filename} is missing")
        split, _ = ranking.load_split(graph)
        return list(ranking.run_queries(graph, split["tune"][: args.queries], ExploreOptions()))

    drop = [d for d in args.drop.split(",") if d]
    weights, intercept = fit(*cached_examples(args.cache, walk), drop, args.C)
    print("\nDEFAULT_WEIGHTS = {")
    for name, value in weights.items():
        print(f'    "{name}": {value},')
    print("}")
    print(f"INTERCEPT = {intercept}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
