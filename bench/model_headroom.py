"""Is there headroom in a non-linear but explainable model of the ranking's components?

An experiment, not the product: :func:`explorer.analysis.rank.rank` stays a logistic function of
its components. Run::

    .venv/bin/python bench/model_headroom.py --validate /tmp/model_headroom_validate.npz
    .venv/bin/python bench/model_headroom.py --fold-seed 1 --models splines,boosted,products

The first run walks the tuning half once with the default options (``bench/ranking.py``'s
hide-a-paper queries, about 3 minutes) and keeps every candidate's components (every key of
``Ranked.components``, the raw numbers too; the seeds left out as the benchmark leaves them
out), its label and the baselines' recall@20 in ``--cache`` (``/tmp/model_headroom.npz``);
``--validate`` walks the validation half the same way once. Then, for each model, 5-fold
cross-validation over the 100 tuning queries (fixed folds: a permutation seeded
``--fold-seed``; every model gets the same folds and the same training rows: every positive
and 300 negatives a query drawn as ``bench/fit_ranking.py`` draws them), each held-out query
ranked in full and scored as ``bench/ranking.py`` scores it (recall@20 over all the hidden
paper's other references, ties by paper id). The table gives the mean and per-fold recall@20,
the ratio to personalised PageRank on the same queries, wins / losses and the Wilcoxon p
against (a), and the in-sample recall@20 (fitted on all 100, ranking them). With
``--validate``, a second table: every model fitted on the whole tuning half, ranking the
validation half (so (a) is the committed model: 0.448, as in the README).

The models: (a) ``fit_ranking.fit`` itself (standardised L2 logistic regression, C = 1);
(b) additive models, one shape function per component: cubic splines with knots at the
component's quantiles (one-hot for components with at most 8 values) under a logistic fit,
with or without the linear terms, or boosted trees limited to one component each
(``interaction_cst="no_interactions"``, optionally monotone); (c) unconstrained
``HistGradientBoostingClassifier`` trees, an upper bound that is not explainable; (d) (b) plus
the pairwise products of the four components the README names as carrying the model (votes,
PageRank, similarity, era). Some are also trained on every candidate, or rerank only (a)'s top
200 and learn from the training queries' top 200 alone.

What it printed (3 Dec 2026; CV = tuning half, 5-fold, folds seeded 0 / 1 / 2; validation =
fitted on the tuning half, ranking the validation half; PageRank: 0.345 CV, 0.384 validation):

=====================================================  ===================  ====  =========  ====
model                                                  CV R@20 (seed 0/1/2) mean  in-sample  val.
=====================================================  ===================  ====  =========  ====
(a) logistic, today's fit                              0.408 / .402 / .399  .403  0.406      .448
(a) on every candidate                                 0.409 / .409 / .408  .409  0.412      .449
(a) refitted on the top 200 of (a)                     0.408 / .405 / .404  .406  0.408      .463
(b) splines, 10 knots, C = 1                           0.397 / .400 / .387  .395  0.404      .442
(b) linear + splines, 10 knots, C = 0.1                0.406 / .396 / .397  .400  0.412      .449
(b) boosted shape functions, on every candidate        0.393 / .400 / .390  .394  0.464      .463
(b) boosted shape functions, reranking (a)'s top 200   0.399 / .389 / .397  .395  0.534      .446
(c) boosted trees (sklearn's defaults)                 0.355                      0.586      .418
(c) boosted trees, small (depth 2, 200 x 0.05)         0.394 / .386 / .385  .388  0.408      .436
(c) boosted trees, slower, on every candidate          0.328                      0.759      .422
(d) splines + products of the strongest, C = 1         0.399 / .392 / .394  .395  0.411      .458
(d) linear + splines + products, C = 1                 0.407 / .397 / .395  .400  0.408      .451
=====================================================  ===================  ====  =========  ====

No non-linear model beats (a) in cross-validation on any of the three fold draws; the
flexible ones fit the tuning queries far better (trees: 0.59-0.76 in-sample) and rank new
queries worse (0.33-0.36), and even in-sample the spline models rank no better than the linear
one (0.404 against 0.406). On the validation half the best rows ((a) refitted on its top 200,
boosted shape functions on every candidate: 0.463, 1.21x) are within noise (p = 0.22, 0.36) and
are rows that did not lead in cross-validation; none reaches the 1.25x (0.480) of issue 13.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # the box is shared: one core for the fits

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
from scipy.stats import spearmanr, wilcoxon  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, SplineTransformer, StandardScaler  # noqa: E402

from explorer.analysis.rank import DEFAULT_WEIGHTS, INTERCEPT  # noqa: E402
from explorer.tasks.explore import ExploreOptions  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fit_ranking  # noqa: E402  (the fit and the benchmark next to this file)
import ranking  # noqa: E402

DEFAULT_CACHE = Path("/tmp/model_headroom.npz")
FOLDS = 5
FOLD_SEED = 0


def walk(path: Path, corpus: Path, half: str = "tune") -> None:
    """Walk one half once and keep every candidate's components, label and baselines."""
    graph = ranking.Graph.load(corpus)
    split, _ = ranking.load_split(graph)
    rows, labels, query, baselines = [], [], [], []
    ids: list[str] = []
    names: list[str] = []
    methods: list[str] = []
    n_targets, explorer_r20 = [], []
    for q, r in enumerate(ranking.run_queries(graph, split[half], ExploreOptions())):
        if not names:
            names = list(r.ranked[0].components)
            methods = [m for m in r.scores if m != "explorer"]
        rows.append(np.array([[c.components[k] for k in names] for c in r.ranked], float))
        labels.append(np.array([c.paper.paper_id in r.targets for c in r.ranked]))
        ids.extend(c.paper.paper_id for c in r.ranked)
        query.append(np.full(len(r.ranked), q))
        n_targets.append(len(r.targets))
        explorer_r20.append(r.scores["explorer"]["R@20"])
        baselines.append([r.scores[m]["R@20"] for m in methods])
    np.savez_compressed(
        path, x=np.vstack(rows), y=np.concatenate(labels), query=np.concatenate(query),
        ids=np.array(ids), names=np.array(names), n_targets=np.array(n_targets),
        explorer_r20=np.array(explorer_r20), baselines=np.array(baselines),
        methods=np.array(methods))


@dataclass
class Data:
    """The cached walk: one row per candidate (seeds excluded), grouped by query."""

    x: np.ndarray
    y: np.ndarray
    query: np.ndarray
    ids: np.ndarray
    names: list[str]
    n_targets: np.ndarray
    explorer_r20: np.ndarray
    baselines: np.ndarray
    methods: list[str]

    @classmethod
    def load(cls, path: Path) -> Data:
        k = np.load(path)
        return cls(k["x"], k["y"], k["query"], k["ids"], k["names"].tolist(), k["n_targets"],
                   k["explorer_r20"], k["baselines"], k["methods"].tolist())

    def then(self, other: Data) -> Data:
        """This walk's queries followed by ``other``'s, numbered after them."""
        assert other.names == self.names and other.methods == self.methods
        return Data(np.vstack([self.x, other.x]), np.r_[self.y, other.y],
                    np.r_[self.query, other.query + len(self.n_targets)],
                    np.r_[self.ids, other.ids], self.names,
                    np.r_[self.n_targets, other.n_targets],
                    np.r_[self.explorer_r20, other.explorer_r20],
                    np.vstack([self.baselines, other.baselines]), self.methods)

    def col(self, names: Sequence[str]) -> np.ndarray:
        """The columns named; ``name@top`` is the component less its query's largest value."""
        out = self.x[:, [self.names.index(n.removesuffix("@top")) for n in names]]
        relative = [j for j, n in enumerate(names) if n.endswith("@top")]
        if relative:
            starts = np.flatnonzero(np.r_[True, self.query[1:] != self.query[:-1]])
            tops = np.maximum.reduceat(out[:, relative], starts, axis=0)
            out[:, relative] -= tops[np.searchsorted(starts, np.arange(len(self.query)),
                                                     side="right") - 1]
        return out

    def rows(self, queries: Sequence[int]) -> np.ndarray:
        return np.flatnonzero(np.isin(self.query, queries))


def recall20(data: Data, score: np.ndarray, queries: Sequence[int]) -> np.ndarray:
    """R@20 per query as ``bench/ranking.py`` counts it: ties by paper id, over all targets."""
    out = []
    for q in queries:
        rows = np.flatnonzero(data.query == q)
        order = rows[np.lexsort((data.ids[rows], -score[rows]))]
        out.append(data.y[order[:20]].sum() / data.n_targets[q])
    return np.array(out)


def sample(data: Data, queries: Sequence[int]) -> np.ndarray:
    """The training rows ``fit_ranking.examples`` draws: every positive, 300 negatives a query."""
    rng = np.random.default_rng(fit_ranking.SEED)
    keep = []
    for q in queries:
        rows = np.flatnonzero(data.query == q)
        rows = rows[np.argsort(data.ids[rows], kind="stable")]
        y = data.y[rows]
        neg = np.flatnonzero(~y)
        if neg.size > fit_ranking.NEGATIVES:
            neg = rng.choice(neg, fit_ranking.NEGATIVES, replace=False)
        keep.append(rows[np.r_[np.flatnonzero(y), neg]])
    return np.concatenate(keep)


WEIGHTED = list(DEFAULT_WEIGHTS)
FITTED = [n for n in WEIGHTED if n not in fit_ranking.PRIORS]
RAW = ["cited_by_seeds", "cites_seeds", "cocitation_salton", "cocitation_count", "sibling_count",
       "votes_raw", "coupling_salton", "coupling_count", "pagerank_raw", "citation_count",
       "in_graph_citations", "year"]
TOPS = [f"{n}@top" for n in FITTED]
STRONG = ["votes", "pagerank", "similarity", "era"]
"""The components the README names as carrying the model, for the pairwise products."""


def logistic_today(data: Data, train: np.ndarray, test: np.ndarray) -> np.ndarray:
    """(a) ``fit_ranking.fit`` on the training rows, scored as ``rank`` scores."""
    weights, intercept = fit_ranking.fit(data.col(WEIGHTED)[train], data.y[train])
    logit = intercept + data.col(WEIGHTED)[test] @ np.array([weights[n] for n in WEIGHTED])
    return 1.0 / (1.0 + np.exp(-logit))


def _varying(x: np.ndarray) -> list[int]:
    return [j for j in range(x.shape[1]) if x[:, j].std() > 0]


def shapes(x: np.ndarray, n_knots: int, linear: bool = False) -> ColumnTransformer:
    """One shape function per column: one-hot when it takes few values, else a cubic spline
    with knots at the column's quantiles (constant beyond them).

    ``linear``: the splines go on linearly beyond the knots, and every column also enters
    as itself (standardised), so (a)'s model is the special case of no spline weights.
    """
    parts = []
    if linear:
        parts.append(("linear", StandardScaler(), _varying(x)))
    for j in _varying(x):
        values = np.unique(x[:, j])
        if values.size <= 8:
            parts.append((f"c{j}", OneHotEncoder(handle_unknown="ignore"), [j]))
            continue
        knots = np.unique(np.quantile(x[:, j], np.linspace(0, 1, n_knots)))
        parts.append((f"c{j}", SplineTransformer(
            knots=knots[:, None], degree=3,
            extrapolation="linear" if linear else "constant"), [j]))
    return ColumnTransformer(parts)


def products(x: np.ndarray) -> np.ndarray:
    """Pairwise products of the :data:`STRONG` columns (``x`` holds them first)."""
    k = len(STRONG)
    return np.column_stack([x[:, a] * x[:, b] for a in range(k) for b in range(a + 1, k)])


def additive(c: float, n_knots: int = 6, pairs: bool = False, relative: bool = False,
             linear: bool = False) -> Model:
    """(b) / (d): a logistic fit on per-component shape functions (+ products of the strongest).

    ``relative``: the shapes are of each component less its query's largest value.
    """
    names = STRONG + [n for n in FITTED if n not in STRONG]
    if relative:
        names = [f"{n}@top" for n in names]

    def run(data: Data, train: np.ndarray, test: np.ndarray) -> np.ndarray:
        x = data.col(names)
        design = shapes(x[train], n_knots, linear)
        if pairs:
            design = ColumnTransformer([
                ("shapes", design, list(range(x.shape[1]))),
                ("pairs", make_pipeline(_Products(), StandardScaler()), list(range(len(STRONG))))])
        model = make_pipeline(design, LogisticRegression(C=c, max_iter=5000))
        model.fit(x[train], data.y[train])
        return model.decision_function(x[test])

    return run


class _Products:
    """A stateless transformer: :func:`products` of the columns it is given."""

    def fit(self, x: np.ndarray, y: object = None) -> _Products:
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        return products(np.asarray(x))

    def fit_transform(self, x: np.ndarray, y: object = None) -> np.ndarray:
        return self.transform(x)


def boosted(names: Sequence[str], interactions: bool = True, monotone: bool = False,
            **params: Any) -> Model:
    """(c): gradient-boosted trees; without interactions, an additive model of the same trees.

    ``monotone``: each component may only raise the score, or only lower it, as its Spearman
    correlation with the label on the training rows says.
    """

    def run(data: Data, train: np.ndarray, test: np.ndarray) -> np.ndarray:
        x = data.col(names)
        signs = None
        if monotone:
            signs = [int(np.sign(spearmanr(x[train, j], data.y[train]).statistic))
                     if x[train, j].std() > 0 else 0 for j in range(x.shape[1])]
        model = HistGradientBoostingClassifier(
            random_state=0, early_stopping=False, monotonic_cst=signs,
            interaction_cst=None if interactions else "no_interactions", **params)
        model.fit(x[train], data.y[train])
        return model.decision_function(x[test])

    return run


Model = Callable[[Data, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Spec:
    """A model and the rows it learns from.

    ``train``: ``"sample"`` (every positive and 300 negatives a training query, as
    ``fit_ranking.py`` draws them) or ``"all"`` (every candidate). ``rerank``: when set, the
    model reorders only the top ``rerank`` candidates of (a)'s fit of the same folds, and learns
    from the training queries' top ``rerank`` alone (the papers it must tell apart).
    """

    model: Model
    train: str = "sample"
    rerank: int | None = None


def all_models() -> dict[str, Spec]:
    spline = additive(1.0, 10)
    pairs = additive(1.0, 10, pairs=True)
    trees = boosted(FITTED, learning_rate=0.05, max_iter=300, min_samples_leaf=50)
    shape_trees = boosted(FITTED, interactions=False, learning_rate=0.05, max_iter=300)
    return {
        "(a) logistic, today's fit": Spec(logistic_today),
        "(a) on every candidate": Spec(logistic_today, "all"),
        "(a) refitted on the top 200 of (a)": Spec(logistic_today, rerank=200),
        "(b) additive: splines, 6 knots, C = 1": Spec(additive(1.0)),
        "(b) additive: splines, 6 knots, C = 0.1": Spec(additive(0.1)),
        "(b) additive: splines, 10 knots, C = 1": Spec(spline),
        "(b) splines, 10 knots, on every candidate": Spec(spline, "all"),
        "(b) splines, 10 knots, reranking the top 200 of (a)": Spec(spline, rerank=200),
        "(b) boosted shape functions (no interactions)": Spec(shape_trees),
        "(b) boosted shape functions, on every candidate": Spec(shape_trees, "all"),
        "(b) boosted shape functions, reranking the top 200 of (a)": Spec(shape_trees,
                                                                          rerank=200),
        "(b) splines, 10 knots, of the components less the query's top": Spec(
            additive(1.0, 10, relative=True)),
        "(b) boosted shape functions of the components and less the query's top": Spec(
            boosted(FITTED + TOPS, interactions=False, learning_rate=0.05, max_iter=300)),
        "(b) boosted shape functions, monotone": Spec(boosted(
            FITTED, interactions=False, monotone=True, learning_rate=0.05, max_iter=300)),
        "(b) boosted shape functions, monotone, small (200 x 0.05, leaves of 100)": Spec(boosted(
            FITTED, interactions=False, monotone=True, learning_rate=0.05, max_iter=200,
            max_depth=2, min_samples_leaf=100)),
        "(b) additive: splines, 10 knots, C = 10": Spec(additive(10.0, 10)),
        "(b) linear + splines, 10 knots, C = 1": Spec(additive(1.0, 10, linear=True)),
        "(b) linear + splines, 10 knots, C = 0.1": Spec(additive(0.1, 10, linear=True)),
        "(d) linear + splines + products, C = 1": Spec(additive(1.0, 10, pairs=True,
                                                               linear=True)),
        "(c) boosted trees": Spec(boosted(FITTED)),
        "(c) boosted trees, small, monotone": Spec(boosted(
            FITTED, monotone=True, max_depth=2, learning_rate=0.05, max_iter=200,
            min_samples_leaf=100)),
        "(c) boosted trees, small (depth 2, 200 x 0.05)": Spec(boosted(
            FITTED, max_depth=2, learning_rate=0.05, max_iter=200, min_samples_leaf=100)),
        "(c) boosted trees, small, of the components and less the query's top": Spec(boosted(
            FITTED + TOPS, max_depth=2, learning_rate=0.05, max_iter=200, min_samples_leaf=100)),
        "(c) boosted trees, slower": Spec(trees),
        "(c) boosted trees + raw numbers": Spec(boosted(FITTED + RAW)),
        "(c) boosted trees, slower, on every candidate": Spec(trees, "all"),
        "(c) boosted trees, slower, reranking the top 200 of (a)": Spec(trees, rerank=200),
        "(c) boosted trees, slower, reranking the top 100 of (a)": Spec(trees, rerank=100),
        "(d) additive + products of the strongest, C = 1": Spec(additive(1.0, pairs=True)),
        "(d) additive + products of the strongest, C = 0.1": Spec(additive(0.1, pairs=True)),
        "(d) splines, 10 knots, + products, reranking the top 200 of (a)": Spec(pairs,
                                                                                rerank=200),
    }


def folds(n: int, seed: int = FOLD_SEED, k: int = FOLDS) -> list[np.ndarray]:
    """Fixed folds of the queries: a seeded permutation cut in ``k``."""
    return np.array_split(np.random.default_rng(seed).permutation(n), k)


def top(data: Data, score: np.ndarray, queries: Sequence[int], k: int) -> np.ndarray:
    """The rows of each query's ``k`` best candidates by ``score`` (ties by paper id)."""
    out = []
    for q in queries:
        rows = np.flatnonzero(data.query == q)
        out.append(rows[np.lexsort((data.ids[rows], -score[rows]))][:k])
    return np.concatenate(out)


def cross_validate(data: Data, spec: Spec, split: list[np.ndarray], in_sample: bool = False
                   ) -> np.ndarray:
    """Held-out R@20 per query: fit on the other folds' queries, rank every held-out candidate.

    ``in_sample``: fit on every query instead, and rank them all (how much the model can fit).
    """
    n = len(data.n_targets)
    out = np.zeros(n)
    for held in [np.arange(n)] if in_sample else split:
        train_q = list(range(n)) if in_sample else np.setdiff1d(np.arange(n), held).tolist()
        test = data.rows(held.tolist())
        train = sample(data, train_q) if spec.train == "sample" else data.rows(train_q)
        score = np.full(len(data.y), -np.inf)
        if spec.rerank is None:
            score[test] = spec.model(data, train, test)
        else:
            every = np.arange(len(data.y))
            first = logistic_today(data, sample(data, train_q), every)
            train, test = top(data, first, train_q, spec.rerank), top(
                data, first, held.tolist(), spec.rerank)
            score = first - 2.0  # in [-2, -1]: below every reranked score, in (a)'s order
            again = spec.model(data, train, test)
            score[test] = again - again.min()
        out[held] = recall20(data, score, held.tolist())
    return out


def report(data: Data, models: dict[str, Spec], split: list[np.ndarray], in_sample: bool = False
           ) -> None:
    """A table row per model: R@20 on the held-out queries, per fold, against PageRank and (a)."""
    ppr = data.baselines[:, data.methods.index("personalised PageRank")]
    held = np.concatenate(split)
    base = None
    print("\n| model | R@20 | " + " | ".join(f"fold {i + 1}" for i in range(len(split)))
          + " | ratio to PageRank | vs (a): wins / losses, p |"
          + (" in-sample R@20 |" if in_sample else "") + " s |")
    print("|---|---:|" + "---:|" * len(split) + "---:|---|" + ("---:|" if in_sample else "")
          + "---:|")
    print("| personalised PageRank | " + f"{ppr[held].mean():.3f} | "
          + " | ".join(f"{ppr[f].mean():.3f}" for f in split) + " | 1.00x | |"
          + (" |" if in_sample else "") + " |")
    for label, spec in models.items():
        start = time.perf_counter()
        per_query = cross_validate(data, spec, split)
        r = per_query[held]
        if base is None and label.startswith("(a)"):
            base = r
        vs = ""
        if base is not None and r is not base:
            p = float(wilcoxon(r, base).pvalue) if np.any(r != base) else 1.0
            vs = f"{int((r > base).sum())} / {int((r < base).sum())}, p = {p:.2g}"
        fitted = (f" {cross_validate(data, spec, split, in_sample=True).mean():.3f} |"
                  if in_sample else "")
        folds_text = " | ".join(f"{per_query[f].mean():.3f}" for f in split)
        print(f"| {label} | {r.mean():.3f} | {folds_text} | {r.mean() / ppr[held].mean():.2f}x "
              f"| {vs} |{fitted} {time.perf_counter() - start:.0f} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ranking.DEFAULT_CORPUS)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--fold-seed", type=int, default=FOLD_SEED,
                        help="seed of the permutation the folds are cut from")
    parser.add_argument("--validate", type=Path, default=None, metavar="NPZ",
                        help="also fit on the whole tuning half and rank the validation half, "
                             "walked once into this cache")
    parser.add_argument("--models", default="", help="only the models whose label has one "
                        "of these strings, comma-separated")
    args = parser.parse_args()
    if not args.cache.exists():
        walk(args.cache, args.corpus)
    data = Data.load(args.cache)
    n = len(data.n_targets)
    everything = list(range(n))
    today = INTERCEPT + data.col(WEIGHTED) @ np.array(list(DEFAULT_WEIGHTS.values()))
    check = recall20(data, 1.0 / (1.0 + np.exp(-today)), everything)
    print(f"{n} queries, {len(data.y)} candidates; today's weights in-sample R@20 "
          f"{check.mean():.3f} (the benchmark counted {data.explorer_r20.mean():.3f}; "
          f"{int((np.abs(check - data.explorer_r20) > 1e-12).sum())} queries differ)")
    wanted = [m for m in args.models.split(",") if m]
    models = {k: v for k, v in all_models().items()
              if k.startswith("(a)") or not wanted or any(m in k for m in wanted)}
    print(f"\n{FOLDS}-fold cross-validation over the tuning half's queries "
          f"(folds seeded {args.fold_seed})")
    report(data, models, folds(n, args.fold_seed), in_sample=True)
    if args.validate is not None:
        if not args.validate.exists():
            walk(args.validate, args.corpus, "validate")
        both = data.then(Data.load(args.validate))
        print("\nFitted on the whole tuning half, ranking the validation half")
        report(both, models, [np.arange(n, len(both.n_targets))])
    return 0


if __name__ == "__main__":
    sys.exit(main())
