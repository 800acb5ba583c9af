"""Clusters of a similarity map, and the words that name them.

Communities are found by Louvain modularity (networkx, fixed seed, so a map is the same every
time). Each cluster is labelled with the words that distinguish its papers' titles and
abstracts from the rest of the map, by class-based TF-IDF: a word scores

    tf(w, c) * idf(w),   tf = share of the cluster's papers using w (title words count twice),
                         idf = log(1 + papers / papers using w anywhere)

Only words from the cluster's titles may name it (a label is then something the user can find
by reading the titles), stop words and numbers left out, plurals folded into their singular.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from explorer.analysis.similarity import similarity_graph
from explorer.graph import paper_of

__all__ = [
    "Cluster",
    "ClusterMap",
    "STOP_WORDS",
    "cluster_map",
    "communities",
    "label_clusters",
    "words",
]

LABEL_WORDS = 3
TITLE_WEIGHT = 2.0

STOP_WORDS = frozenset("""
a about above across after again against all almost along also although always am among an
and another any are around as at be because been before being below between both but by can
cannot could did do does doing done down during each either else enough etc even ever every
for from further had has have having he her here hers herself him himself his how however
i if in into is it its itself just least less let like made make many may me might more most
much must my myself near neither no nor not now of off often on once one only onto or other
others our ours ourselves out over own per rather same several she should since so some such
than that the their theirs them themselves then there these they this those though through
thus to too toward towards under until up upon us use used uses using very via was we well
were what when where whether which while who whom whose why will with within without would
yet you your yours yourself yourselves
abstract approach approaches based paper papers propose proposed proposes present presents
show shows shown study studies result results new novel method methods work works task tasks
toward two three first second also various different given however existing recent recently
achieve achieves achieved significantly significant effective efficient improve improves
improved improving performance state art demonstrate demonstrates experiments experimental
""".split())
"""English function words and words every paper abstract uses; never a label."""

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class Cluster:
    """One community of the map: its members (largest-first order of clusters, 0-based)."""

    id: int
    label: str
    words: tuple[str, ...]
    members: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class ClusterMap:
    """The similarity graph of a citation graph, its clusters, and each paper's cluster."""

    similarity: nx.Graph
    clusters: tuple[Cluster, ...]
    of: Mapping[str, int]

    def label_of(self, paper_id: str) -> str:
        k = self.of.get(paper_id)
        return self.clusters[k].label if k is not None else ""


def words(text: str | None) -> list[str]:
    """Lower-cased words of a text, hyphenated parts split, without stop words or numbers.

    Examples
    --------
    >>> words("BERT: Pre-training of Deep Bidirectional Transformers in 2018")
    ['bert', 'pre', 'training', 'deep', 'bidirectional', 'transformers']
    """
    out = []
    for token in _TOKEN.findall((text or "").lower()):
        for part in re.split(r"[-'’]", token):
            if len(part) > 1 and part not in STOP_WORDS and not part.isdigit():
                out.append(part)
    return out


def _fold(word: str) -> str:
    """A crude singular: "models" and "model" count as one word."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def communities(sim: nx.Graph, *, seed: int = 0, resolution: float = 1.0) -> list[set[str]]:
    """Louvain communities of a similarity graph (edge attribute ``weight``).

    Returns
    -------
    list[set[str]]
        Every node in exactly one set; largest first, ties by smallest member. Papers with no
        similar paper are singletons.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("c", "x")])
    >>> [sorted(c) for c in communities(g)]
    [['a', 'b', 'c'], ['x', 'y']]
    """
    found = nx.community.louvain_communities(sim, weight="weight", resolution=resolution,
                                             seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))


def label_clusters(
    texts: Mapping[str, tuple[str | None, str | None]],
    groups: Sequence[Iterable[str]],
    *,
    n_words: int = LABEL_WORDS,
) -> list[tuple[str, ...]]:
    """The distinguishing words of each group, from (title, abstract) per paper.

    Parameters
    ----------
    texts : Mapping[str, tuple[str | None, str | None]]
        Title and abstract by paper id.
    groups : Sequence[Iterable[str]]
        Paper ids of each cluster.
    n_words : int
        Words per label at most.

    Returns
    -------
    list[tuple[str, ...]]
        Per group, its best words, each as it is most often written in the group's titles;
        empty when no title has a usable word.

    Examples
    --------
    >>> texts = {"a": ("Sequential recommendation", None), "b": ("Recommendation with graphs",
    ...          None), "c": ("Language models", None), "d": ("Large language models", None)}
    >>> label_clusters(texts, [["a", "b"], ["c", "d"]], n_words=1)
    [('recommendation',), ('language',)]
    """
    doc_words: dict[str, Counter[str]] = {}
    title_forms: dict[str, Counter[str]] = {}
    for pid, (title, abstract) in texts.items():
        title_words = words(title)
        counts: Counter[str] = Counter()
        for w in set(map(_fold, words(abstract))):
            counts[w] = 1.0  # type: ignore[assignment]
        for w in set(map(_fold, title_words)):
            counts[w] = TITLE_WEIGHT  # type: ignore[assignment]
        doc_words[pid] = counts
        forms: Counter[str] = Counter(title_words)
        title_forms[pid] = forms
    n_docs = max(len(doc_words), 1)
    df: Counter[str] = Counter()
    for counts in doc_words.values():
        df.update(counts.keys())

    out: list[tuple[str, ...]] = []
    for group in groups:
        members = [m for m in group if m in doc_words]
        tf: Counter[str] = Counter()
        surface: dict[str, Counter[str]] = {}
        for m in members:
            tf.update(doc_words[m])
            for form, k in title_forms[m].items():
                surface.setdefault(_fold(form), Counter())[form] += k
        size = max(len(members), 1)
        scored = sorted(
            ((tf[w] / size) * math.log(1 + n_docs / df[w]), w) for w in surface
        )
        scored.sort(key=lambda item: (-item[0], item[1]))
        out.append(tuple(_best_form(surface[w]) for _, w in scored[:n_words]))
    return out


def _best_form(forms: Counter[str]) -> str:
    return min(forms, key=lambda f: (-forms[f], len(f), f))


def cluster_map(
    g: nx.DiGraph,
    sim: nx.Graph | None = None,
    *,
    seed: int = 0,
    resolution: float = 1.0,
    n_words: int = LABEL_WORDS,
    among: Iterable[str] | None = None,
) -> ClusterMap:
    """Similarity graph, Louvain clusters and their labels for a citation graph.

    ``sim`` defaults to :func:`explorer.analysis.similarity.similarity_graph` of ``g``, or
    of the papers ``among`` (the ones shown) when given: only they are clustered and
    labelled, their words weighed against each other's, so a map of the 500 papers shown
    takes well under a second whatever the size of ``g``. A cluster whose titles give no
    word is labelled ``"cluster N"`` (1-based).
    """
    sim = similarity_graph(g, among=among) if sim is None else sim
    groups = [sorted(c) for c in communities(sim, seed=seed, resolution=resolution)]
    texts = {}
    for node in sim:
        paper = paper_of(g, node) if node in g else paper_of(sim, node)
        texts[node] = (paper.title, paper.abstract)
    labels = label_clusters(texts, groups, n_words=n_words)
    clusters = tuple(
        Cluster(k, ", ".join(ws) if ws else f"cluster {k + 1}", ws, tuple(members))
        for k, (members, ws) in enumerate(zip(groups, labels, strict=True))
    )
    of = {m: c.id for c in clusters for m in c.members}
    return ClusterMap(sim, clusters, of)
