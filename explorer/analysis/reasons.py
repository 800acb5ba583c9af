"""Reasons for a ranked paper: its score components turned into plain-words sentences.

Pure: :class:`Explainer` reads the components :func:`explorer.analysis.rank.rank` computes
for one paper (or, with :meth:`Explainer.table`, for every paper at once, a column per
component) and returns sentences such as ``"cited by 2 of 3 seeds"``, largest contribution
to the score first. The thresholds below decide when a component is worth a sentence:

==================  =====================================================================
name                a sentence when
==================  =====================================================================
RECENT_YEARS        the paper is at most this many years old ("recent (2024)")
HIGHLY_CITED_MIN    it has at least this many citations
CENTRAL_TOPS        it is in the top 1 %, 5 % or 10 % of the candidates by PageRank
SIMILAR_TEXT        the TF-IDF cosine of its title and abstract with the seeds' is this high
SAME_ERA            its era component is this high: within 2 years of the seeds' median
==================  =====================================================================

A SPECTER vector closer to the seeds' than the candidates' mean is worth a sentence ("close
in content to the seeds"), and so is a recommendation by S2 (:func:`recommendation_reason`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from explorer.errors import BadInputError

__all__ = [
    "CENTRAL_TOPS",
    "HIGHLY_CITED_MIN",
    "SAME_ERA",
    "SIMILAR_TEXT",
    "RECENT_YEARS",
    "SEED_NOUNS",
    "Explainer",
    "central_tops",
    "recommendation_reason",
]

RECENT_YEARS = 2
HIGHLY_CITED_MIN = 100
CENTRAL_TOPS = (0.01, 0.05, 0.10)
SIMILAR_TEXT = 0.1
SAME_ERA = math.exp(-2 / 5)


def _plural(k: int, word: str) -> str:
    return f"{k:,} {word}" if k == 1 else f"{k:,} {word}s"


def recommendation_reason(votes: int, inputs: int, noun: str = "seed") -> str:
    """``"recommended by Semantic Scholar for 2 of your 3 seeds"``.

    >>> recommendation_reason(1, 1)
    'recommended by Semantic Scholar for your seed'
    >>> recommendation_reason(1, 3, "paper")
    'recommended by Semantic Scholar for 1 of your 3 papers'
    """
    if inputs == 1:
        return f"recommended by Semantic Scholar for your {noun}"
    return f"recommended by Semantic Scholar for {votes} of your {inputs} {noun}s"


def central_tops(pr: np.ndarray, candidates: np.ndarray) -> dict[int, float]:
    """Candidates in the PageRank top 1%, 5% or 10% of the candidates: position -> share.

    A candidate is in the top ``share`` when at most ``floor(share * N)`` of the N candidates
    (itself included) have a PageRank at least as high as its own. Papers with equal PageRank
    therefore always get the same share, and a tie straddling a cut-off gets none of it;
    values within nine significant digits of each other (relative to the largest) tie.

    Examples
    --------
    >>> central_tops(np.array([3.0, 3.0] + [1.0] * 18), np.ones(20, bool))  # 2 of 20 tie
    {0: 0.1, 1: 0.1}
    """
    cand = np.flatnonzero(candidates)
    # Papers in equal positions may get PageRanks that differ in their last bits (the same
    # shares summed in another order): compared at 9 significant digits of the largest, they tie.
    top = float(pr[cand].max()) if cand.size else 0.0
    values = np.round(pr[cand] / top, 9) * top if top > 0 else pr[cand]
    # how many candidates have a PageRank >= each candidate's own
    at_least = cand.size - np.searchsorted(np.sort(values), values, side="left")
    # the first (smallest) share whose cut-off admits the candidate; len(CENTRAL_TOPS): none
    cuts = np.array([math.floor(s * cand.size) for s in CENTRAL_TOPS])
    first = np.searchsorted(cuts, at_least, side="left")
    chosen = (values > 0) & (first < len(CENTRAL_TOPS))
    return dict(zip(cand[chosen].tolist(), [CENTRAL_TOPS[f] for f in first[chosen].tolist()],
                    strict=True))


SEED_NOUNS = ("seeds", "references")
"""How reasons name the seeds: ``"seeds"`` for an exploration, ``"references"`` for a survey
(``"cited by 3 of the 142 other references"``)."""


def _seed_words(noun: str, n_seeds: int) -> tuple[tuple[str, str], tuple[str, str]]:
    """The seeds as a group and after a count, each (for candidates, for seeds): a seed is
    compared with the *other* seeds."""
    if noun == "references":
        return (("the survey's references", "the other references"),
                (f" of the {n_seeds} references", f" of the {n_seeds - 1} other references"))
    return (("the seed" if n_seeds == 1 else "the seeds",
             "the other seed" if n_seeds == 2 else "the other seeds"),
            (f" of {n_seeds} seeds", f" of {n_seeds - 1} other seeds"))


class Explainer:
    """Turns one paper's components into plain-words reasons, largest contribution first.

    A component's contribution is its weight times its value (the term it adds to the score's
    logit); a sentence is given only for evidence that raises the score (positive weight,
    non-zero value) and passes the thresholds of the module docstring. Related components
    share one sentence, whose contribution is their sum: the co-citation ones
    (``cocitation``, ``cocitation_aa``, ``cocitation_share``, ``seeds_cocited``,
    ``votes``) and the
    coupling ones (``coupling``, ``coupling_aa``). A paper with no such evidence is still told
    how it links to the seeds ("cited by the seed"), when it does.

    Parameters
    ----------
    weights : Mapping[str, float]
        The weight of each component, as :func:`explorer.analysis.rank.rank` used them.
    n_seeds : int
        How many seeds the ranking had.
    year_now : int
        The year recency is measured from.
    seed_noun : str
        One of :data:`SEED_NOUNS`: how the reasons name the seeds.

    Raises
    ------
    BadInputError
        ``seed_noun`` is not one of :data:`SEED_NOUNS`.
    """

    def __init__(self, weights: Mapping[str, float], n_seeds: int, year_now: int,
                 seed_noun: str = "seeds"):
        if seed_noun not in SEED_NOUNS:
            raise BadInputError(f"seed_noun must be one of {', '.join(SEED_NOUNS)}, "
                                f"not {seed_noun!r}")
        self.w = weights
        self.positive = {name: max(value, 0.0) for name, value in weights.items()}
        self.year_now = year_now
        self.n_seeds = n_seeds
        self.others = (n_seeds, n_seeds - 1)
        self.group, self.of_total = _seed_words(seed_noun, n_seeds)
        self.noun = seed_noun

    def _of_seeds(self, k: int, is_seed: bool) -> str:
        if self.others[is_seed] == 1:
            return self.group[is_seed]
        return f"{k}{self.of_total[is_seed]}"

    def _gain(self, c: Mapping[str, np.ndarray], n: int, *names: str) -> np.ndarray:
        """Per paper, the sum of ``names``' contributions (a missing column adds 0), term by
        term as a sum of floats would be."""
        pos = self.positive
        total = np.zeros(n)
        for name in names:
            if name in c:
                total = total + pos[name] * np.asarray(c[name], float)
        return total

    def __call__(
        self, c: Mapping[str, float], is_seed: bool, central: float | None
    ) -> tuple[str, ...]:
        return self.table({name: np.array([value], float) for name, value in c.items()},
                          np.array([is_seed]), [central])[0]

    def table(
        self, c: Mapping[str, np.ndarray], is_seed: np.ndarray,
        central: Sequence[float | None],
    ) -> list[tuple[str, ...]]:
        """The reasons of many papers at once: ``c`` holds each component as a column (a value
        per paper), ``is_seed`` and ``central`` (the PageRank top share, or None) a value per
        paper. The same sentences as calling the explainer on each paper's components."""
        n = len(is_seed)
        seed = np.asarray(is_seed, bool)
        candidate = ~seed
        seeds = seed.tolist()
        zero = np.zeros(n)
        found: list[list[tuple[float, str]]] = [[] for _ in range(n)]
        links: dict[int, list[str]] = {}  # said anyway when nothing raised the score

        def column(name: str) -> np.ndarray:
            return np.asarray(c[name], float)

        def optional(name: str) -> np.ndarray:
            return column(name) if name in c else zero

        def counts(name: str, get: Callable[[str], np.ndarray] = column) -> np.ndarray:
            return get(name).astype(np.int64)  # as int() of each value

        def say(when: np.ndarray, gain: np.ndarray, text: Callable[[int], str],
                link: bool = False, always: bool = False) -> None:
            rows = np.flatnonzero(when).tolist()
            raised = (gain[rows] > 0).tolist()
            for i, value, up in zip(rows, gain[rows].tolist(), raised, strict=True):
                words = text(i)
                if link:
                    links.setdefault(i, []).append(words)
                if up or always:
                    found[i].append((value, words))

        def gain(*names: str) -> np.ndarray:
            return self._gain(c, n, *names)

        group, of_seeds, noun = self.group, self._of_seeds, self.noun
        k = counts("cited_by_seeds")
        by = k.tolist()
        say(k != 0, gain("cited_by"), lambda i: f"cited by {of_seeds(by[i], seeds[i])}",
            link=True)
        k = counts("cites_seeds")
        cites = k.tolist()
        say(k != 0, gain("cites"), lambda i: f"cites {of_seeds(cites[i], seeds[i])}",
            link=True)
        k = counts("cocitation_count")
        cocited = k.tolist()
        say(k != 0, gain("cocitation", "cocitation_aa", "cocitation_share", "seeds_cocited",
                         "votes"),
            lambda i: f"co-cited with {group[seeds[i]]} by {_plural(cocited[i], 'paper')}")
        k = counts("sibling_count")
        siblings = k.tolist()
        say(k != 0, gain("siblings"),
            lambda i: f"cited by {_plural(siblings[i], 'paper')} citing several {noun}")
        k = counts("coupling_count")
        coupled = k.tolist()
        say(k != 0, gain("coupling", "coupling_aa"),
            lambda i: f"shares {_plural(coupled[i], 'reference')} with {group[seeds[i]]}")
        say(np.array([share is not None for share in central], bool), gain("pagerank"),
            lambda i: f"central in the graph (PageRank top {central[i]:.0%})")
        sim = column("similarity")
        similar = sim.tolist()
        say((sim >= SIMILAR_TEXT) & candidate, gain("similarity"),
            lambda i: f"title close to the {noun}' (TF-IDF cosine {similar[i]:.2f})")
        cosine = optional("semantic_cosine").tolist()
        say((optional("semantic") > 0) & candidate, gain("semantic"),
            lambda i: f"close in content to {group[seeds[i]]} (SPECTER cosine {cosine[i]:.2f})")
        k = counts("recommended_for", optional)
        votes = k.tolist()
        say((k != 0) & candidate, gain("recommended"),
            lambda i: recommendation_reason(votes[i], self.n_seeds))
        k = counts("influential_links")
        influential = k.tolist()
        say(k != 0, gain("influence"),
            lambda i: f"{_plural(influential[i], 'influential citation')} to or from "
                      f"{group[seeds[i]]}")
        k = counts("intent_links")
        intents = k.tolist()
        say(k != 0, gain("intents"),
            lambda i: f"{_plural(intents[i], 'citation')} to or from {group[seeds[i]]} "
                      "for methods or results")
        k = counts("citation_count")
        cited = k.tolist()
        say(k >= HIGHLY_CITED_MIN, gain("citations"),
            lambda i: f"highly cited ({_plural(cited[i], 'citation')})")
        year = counts("year")
        years = year.tolist()
        say((year != 0) & (column("era") >= SAME_ERA) & candidate, gain("era"),
            lambda i: f"from the {noun}' years ({years[i]})")
        say((year != 0) & (self.year_now - year <= RECENT_YEARS), gain("recency"),
            lambda i: f"recent ({years[i]})")
        k = counts("reading_list_links")
        marked = k.tolist()
        say(k != 0, gain("reading_list"),
            lambda i: f"linked to {_plural(marked[i], 'paper')} marked read or to read",
            always=True)

        demoted = (column("demotion") < 1.0).tolist()
        out: list[tuple[str, ...]] = []
        for i, said in enumerate(found):
            if len(said) > 1:
                said.sort(key=lambda item: -item[0])  # stable: ties keep the order above
            reasons = [text for _, text in said] or links.get(i, [])
            if seeds[i]:
                reasons.insert(0, "seed")
            if demoted[i]:
                reasons.append("near a paper marked not relevant")
            out.append(tuple(reasons))
        return out
