"""Reasons for a ranked paper: its score components turned into plain-words sentences.

Pure: :class:`Explainer` reads the components :func:`explorer.analysis.rank.rank` computes
for one paper and returns sentences such as ``"cited by 2 of 3 seeds"``, largest contribution
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
from collections.abc import Mapping

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

    def _gain(self, c: Mapping[str, float], *names: str) -> float:
        pos = self.positive
        total = 0.0
        for name in names:
            total += pos[name] * c[name]
        return total

    def __call__(
        self, c: Mapping[str, float], is_seed: bool, central: float | None
    ) -> tuple[str, ...]:
        gain = self._gain
        group = self.group[is_seed]
        found: list[tuple[float, str]] = []

        def say(value: float, text: str) -> None:
            if value > 0:
                found.append((value, text))

        links: list[str] = []  # said anyway when nothing raised the score
        if k := int(c["cited_by_seeds"]):
            links.append(f"cited by {self._of_seeds(k, is_seed)}")
            say(gain(c, "cited_by"), links[-1])
        if k := int(c["cites_seeds"]):
            links.append(f"cites {self._of_seeds(k, is_seed)}")
            say(gain(c, "cites"), links[-1])
        if k := int(c["cocitation_count"]):
            say(gain(c, "cocitation", "cocitation_aa", "cocitation_share", "seeds_cocited",
                     "votes"),
                f"co-cited with {group} by {_plural(k, 'paper')}")
        if k := int(c["sibling_count"]):
            say(gain(c, "siblings"), f"cited by {_plural(k, 'paper')} citing several {self.noun}")
        if k := int(c["coupling_count"]):
            say(gain(c, "coupling", "coupling_aa"),
                f"shares {_plural(k, 'reference')} with {group}")
        if central is not None:
            say(gain(c, "pagerank"), f"central in the graph (PageRank top {central:.0%})")
        if (sim := c["similarity"]) >= SIMILAR_TEXT and not is_seed:
            say(gain(c, "similarity"), f"title close to the {self.noun}' (TF-IDF cosine {sim:.2f})")
        if c.get("semantic", 0.0) > 0 and not is_seed:
            say(gain(c, "semantic"), f"close in content to {group} (SPECTER cosine "
                                     f"{c.get('semantic_cosine', 0.0):.2f})")
        if (k := int(c.get("recommended_for", 0))) and not is_seed:
            say(gain(c, "recommended"), recommendation_reason(k, self.n_seeds))
        if k := int(c["influential_links"]):
            say(gain(c, "influence"), f"{_plural(k, 'influential citation')} to or from {group}")
        if k := int(c["intent_links"]):
            say(gain(c, "intents"),
                f"{_plural(k, 'citation')} to or from {group} for methods or results")
        k = int(c["citation_count"])
        if k >= HIGHLY_CITED_MIN:
            say(gain(c, "citations"), f"highly cited ({_plural(k, 'citation')})")
        year = int(c["year"])
        if year and c["era"] >= SAME_ERA and not is_seed:
            say(gain(c, "era"), f"from the {self.noun}' years ({year})")
        if year and self.year_now - year <= RECENT_YEARS:
            say(gain(c, "recency"), f"recent ({year})")
        if k := int(c["reading_list_links"]):
            found.append((gain(c, "reading_list"),
                          f"linked to {_plural(k, 'paper')} marked read or to read"))

        if len(found) > 1:
            found.sort(key=lambda item: -item[0])  # stable: ties keep the order above
        reasons = [text for _, text in found] or links
        if is_seed:
            reasons.insert(0, "seed")
        if c["demotion"] < 1.0:
            reasons.append("near a paper marked not relevant")
        return tuple(reasons)
