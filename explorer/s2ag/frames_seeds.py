"""Seeds named as the API names papers, resolved to corpus ids in the local graph's tables.

A seed is a corpus id (``13756489`` or ``CorpusId:13756489``) or an S2 paper id, the 40-digit
sha (any case); a sha is resolved through ``paper_ids.parquet``, which holds every sha of a
paper (primary or not), and a corpus id is checked against ``papers.parquet``. Both are small
joins against the seeds, whose answers (a few rows) come back to the driver.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from explorer.errors import BadSeedError, NotFoundError
from explorer.fake_s2.corpus import lookup_key
from explorer.s2ag.frames import DataFrame

__all__ = ["Seed", "parse_seed", "resolve_seeds"]

Seed = int | str
"""A seed as :func:`parse_seed` gives it: a corpus id, or a sha in lower case."""


def parse_seed(text: str | int) -> Seed:
    """A corpus id from ``N`` or ``CorpusId:N``; a sha, in lower case, from an S2 paper id.

    Examples
    --------
    >>> parse_seed("CorpusId:13756489"), parse_seed(" 42 ")
    (13756489, 42)
    >>> parse_seed("204E3073870FAE3D05BCBC2F6A8E263D9B72E776")
    '204e3073870fae3d05bcbc2f6a8e263d9b72e776'

    Raises
    ------
    BadSeedError
        For anything else (a DOI, an arXiv id: the job reads no external ids).
    """
    if isinstance(text, int):
        return text
    given = text.strip()
    if given.isascii() and given.isdigit():
        return int(given)
    key = lookup_key(given)
    if key is not None and key[0] == "corpusid" and key[1].isascii() and key[1].isdigit():
        return int(key[1])
    if key is not None and key[0] == "paperid":
        return key[1]
    raise BadSeedError(f"{text!r} is not a corpus id (a whole number, or CorpusId:N) or an S2 "
                       "paper id (40 hexadecimal digits)", value=text)


def resolve_seeds(spark: Any, graph: str, seeds: Sequence[Seed],
                  table: Callable[[str], DataFrame]) -> list[int]:
    """The corpus ids of ``seeds`` (as :func:`parse_seed` gives them), sorted, once each.

    Parameters
    ----------
    spark : SparkSession
        The session the tables belong to (Spark's or DuckDB's).
    graph : str
        The graph's folder, as the error names it.
    seeds : Sequence[int | str]
        Corpus ids, and shas in lower case.
    table : callable
        The graph's table of a file name (``"papers.parquet"``); ``paper_ids.parquet`` is
        read only when a seed is a sha.

    Raises
    ------
    NotFoundError
        Naming every seed the graph lacks; ``.missing`` lists them as given.
    """
    corpus_ids = sorted({s for s in seeds if isinstance(s, int)})
    shas = sorted({s for s in seeds if isinstance(s, str)})
    found: dict[Seed, int] = {}
    if shas:
        given = spark.createDataFrame([(s,) for s in shas], ["sha"])
        hits = table("paper_ids.parquet").select("sha", "corpusid").join(given, "sha", "left_semi")
        found.update({str(r[0]): int(r[1]) for r in hits.collect()})
    if corpus_ids:
        given = spark.createDataFrame([(s,) for s in corpus_ids], ["corpusid"])
        hits = table("papers.parquet").select("corpusid").join(given, "corpusid", "left_semi")
        found.update({int(r[0]): int(r[0]) for r in hits.collect()})
    asked: list[Seed] = [*corpus_ids, *shas]
    missing = [s for s in asked if s not in found]
    if missing:
        named = [f"{kind} {', '.join(str(s) for s in missing if isinstance(s, of))}"
                 for kind, of in (("corpus id", int), ("S2 paper id", str))
                 if any(isinstance(s, of) for s in missing)]
        error = NotFoundError(f"the local graph at {graph} has no paper with "
                              f"{' or '.join(named)}")
        error.missing = missing  # type: ignore[attr-defined]
        raise error
    return sorted(set(found.values()))
