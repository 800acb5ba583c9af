"""Who cites a paper: every citer Semantic Scholar exposes, filtered, sorted and explained.

:func:`collect` pages the citers into the store (1000 a page with ``contexts``, ``intents``
and ``isInfluential``; past S2's 9,999-citer window, by publication-date slices, see
:mod:`explorer.walk_slices`) and, for the relevance ranking, fetches the citers' references in
batches of 500, so co-citation and shared references can be counted.
Everything lands in the store: a second query with other filters makes no request.
:func:`filter_citers` and :func:`sort_citers` are pure functions of what was collected.

Relevance (:data:`RELEVANCE_WEIGHTS`) sums four components normalised to [0, 1]:

==========  ======  ==============================================================
component   weight  raw value
==========  ======  ==============================================================
citation    0.35    how the citer uses the paper: half for S2's influential flag,
                    half for the strongest intent (methodology/result 1, background 0.3,
                    none known 0.2)
cocitation  0.20    Salton co-citation with the paper (papers citing both)
coupling    0.20    Salton bibliographic coupling with the paper (shared references)
velocity    0.25    citations a year since publication, log-scaled
==========  ======  ==============================================================
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from explorer.analysis.filters import PaperFilter, passes
from explorer.analysis.rank import cocitation, coupling
from explorer.analysis.versions import merge_graph
from explorer.errors import BadInputError
from explorer.exports.table import CSV_COLUMNS, json_records, row, save, write_csv
from explorer.graph import build_graph, paper_of
from explorer.models import Edge, Paper, Progress, Ranked, WalkReport
from explorer.seeds.ids import parse_seed
from explorer.sources.arxiv import ArxivClient
from explorer.sources.s2 import REACHABLE, S2Client
from explorer.store import Store
from explorer.tasks.versions import versions_in_store
from explorer.walk import Walker

__all__ = [
    "CITE_COLUMNS",
    "INTENTS",
    "RELEVANCE_WEIGHTS",
    "SORTS",
    "Citations",
    "CiteFilters",
    "Citer",
    "citers_csv_text",
    "citers_json_records",
    "collect",
    "filter_citers",
    "per_year",
    "score_citers",
    "sort_citers",
    "velocity",
]

SORTS = ("relevance", "citations", "influential", "year", "velocity")
INTENTS = ("background", "methodology", "result")
INTENT_WEIGHT = {"methodology": 1.0, "result": 1.0, "background": 0.3}
NO_INTENT = 0.2
RELEVANCE_WEIGHTS = {"citation": 0.35, "cocitation": 0.20, "coupling": 0.20, "velocity": 0.25}
CITE_COLUMNS = CSV_COLUMNS + ("contexts", "intents", "is_influential")
CONTEXT_SEPARATOR = " | "
SNIPPET = 140


@dataclass(frozen=True)
class CiteFilters:
    """Which citers to keep; ``None``/``False`` means no constraint."""

    since: int | None = None
    until: int | None = None
    min_citations: int | None = None
    influential: bool = False
    intent: str | None = None
    query: str | None = None

    def __post_init__(self) -> None:
        if self.intent is not None and self.intent not in INTENTS:
            raise BadInputError(f"intent must be one of {', '.join(INTENTS)}, not {self.intent!r}")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise BadInputError(f"{{since}} {self.since} is after {{until}} {self.until}",
                                parameter="since", value=self.since, bound=self.until)
        if self.min_citations is not None and self.min_citations < 0:
            raise BadInputError("{min_citations} must not be negative",
                                parameter="min_citations", value=self.min_citations, bound=0)


@dataclass(frozen=True)
class Citer:
    """One citing paper: its ranking, how it cites the paper, and what matched the query."""

    ranked: Ranked
    edge: Edge
    matches: tuple[str, ...] = ()

    @property
    def paper(self) -> Paper:
        return self.ranked.paper


@dataclass
class Citations:
    """Every collected citer of ``paper``, scored for relevance (not yet filtered)."""

    paper: Paper
    citers: list[Citer]
    report: WalkReport = field(default_factory=WalkReport)

    @property
    def total(self) -> int | None:
        """S2's count of the paper's citations (may exceed what it serves)."""
        return self.paper.citation_count

    @property
    def coverage(self) -> str | None:
        """The collected count beside S2's own: ``collected 25,000 of S2's 25,000 citers``."""
        total, got = self.total, len(self.citers)
        return None if total is None else f"collected {got:,} of S2's {total:,} citers"

    @property
    def shortfall(self) -> str | None:
        """A sentence when S2 counts more citers than were collected, with both numbers
        (None when the walk's warnings already say why)."""
        total, got = self.total, len(self.citers)
        if total is None or total <= got or self.report.slices:
            return None
        if total > REACHABLE > got:
            return (f"Semantic Scholar counts {total:,} citations of this paper, more than the "
                    f"{REACHABLE:,} one listing serves; collected {got:,}")
        why = (f": the other {total - got:,} may have no publication date or year, which no "
               f"date slice reaches") if got >= REACHABLE else ""
        return (f"Semantic Scholar counts {total:,} citations of this paper; "
                f"collected {got:,}{why}")


def velocity(paper: Paper, current_year: int) -> float | None:
    """Citations a year since publication (publication year counts as one year).

    >>> velocity(Paper("p", year=2021, citation_count=50), 2025)
    10.0
    """
    if paper.year is None or paper.citation_count is None:
        return None
    return paper.citation_count / max(1, current_year - paper.year + 1)


def collect(
    seed: str,
    *,
    store: Store,
    client: S2Client | None = None,
    arxiv: ArxivClient | None = None,
    references: bool = True,
    progress: Callable[[Progress], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    current_year: int | None = None,
) -> Citations:
    """Collect every citer of ``seed`` S2 exposes into the store, and score them.

    The other versions of the seed the store knows (its preprint or its published version:
    :func:`explorer.tasks.versions.versions_in_store`) are one work with it: their citers are
    collected too, and a paper citing two versions is one citer. ``Citations.paper`` is then
    the work's kept record.

    Costs: one lookup for the seed, ⌈C/1000⌉ citation pages for each version (past 9,999
    citers, plus about one request per date slice) and, with ``references``, ⌈C/500⌉ batch
    lookups for the citers' references (for co-citation and coupling). ``client=None``
    answers from the store alone.
    """
    walker = Walker(store, client, arxiv, progress=progress, cancel=cancel)
    (pid,) = walker.resolve([parse_seed(seed)])
    versions = versions_in_store(store, pid)
    walker.walk([pid, *versions], 1, "citations")
    if not walker.report.partial:
        walker.walk([pid], 1, "references")
    citer_ids = list(dict.fromkeys(c for v in (pid, *versions) for c in store.citations_of(v)))
    if references and not walker.report.partial:
        walker.embedded(citer_ids, "references")
    work, citers = score_works(store, [pid, *versions], citer_ids, current_year)
    return Citations(work, citers, walker.report)


def score_citers(
    store: Store, paper_id: str, citer_ids: Sequence[str], current_year: int | None = None
) -> list[Citer]:
    """Relevance scores and reasons for the citers of ``paper_id``, from the store."""
    return score_works(store, [paper_id], citer_ids, current_year)[1]


def score_works(
    store: Store, versions: Sequence[str], citer_ids: Sequence[str],
    current_year: int | None = None,
) -> tuple[Paper, list[Citer]]:
    """The work whose records are ``versions``, and its citers scored, one per work: the
    citation graph is merged (:func:`explorer.analysis.versions.merge_graph`), so a citer of
    two versions, or two versions of one citer, count once."""
    year_now = current_year if current_year is not None else date.today().year
    ids = {*versions, *citer_ids}
    g, merge = merge_graph(build_graph(store.papers(ids), store.edges_touching(ids)))
    paper_id = merge.kept(versions[0])
    co = cocitation(g, [paper_id])
    cp = coupling(g, [paper_id])
    raw: list[tuple[Paper, Edge, dict[str, float]]] = []
    for cid in merge.kept_ids(citer_ids):
        if cid == paper_id:
            continue
        paper = paper_of(g, cid) if cid in g else Paper(cid)
        data = g.edges[cid, paper_id] if g.has_edge(cid, paper_id) else {}
        edge = Edge(cid, paper_id, data.get("is_influential"), data.get("contexts", ()),
                    data.get("intents", ()))
        v = velocity(paper, year_now)
        raw.append((paper, edge, {
            "citation": _use_strength(edge),
            "cocitation": co.get(cid, (0.0, 0))[0],
            "cocitation_count": float(co.get(cid, (0.0, 0))[1]),
            "coupling": cp.get(cid, (0.0, 0))[0],
            "coupling_count": float(cp.get(cid, (0.0, 0))[1]),
            "velocity_raw": -1.0 if v is None else v,
        }))
    top = {k: max((c[k] for _, _, c in raw), default=0.0)
           for k in ("cocitation", "coupling", "velocity_raw")}
    out: list[Citer] = []
    for paper, edge, c in raw:
        norm = {
            "citation": c["citation"],
            "cocitation": c["cocitation"] / top["cocitation"] if top["cocitation"] else 0.0,
            "coupling": c["coupling"] / top["coupling"] if top["coupling"] else 0.0,
            "velocity": (math.log1p(c["velocity_raw"]) / math.log1p(top["velocity_raw"])
                         if c["velocity_raw"] > 0 and top["velocity_raw"] > 0 else 0.0),
        }
        score = sum(RELEVANCE_WEIGHTS[k] * v for k, v in norm.items())
        comps = {**norm, **c}
        reasons = _reasons(paper, edge, comps, year_now)
        out.append(Citer(Ranked(paper, score, "citation", reasons, comps), edge))
    return paper_of(g, paper_id) if paper_id in g else Paper(paper_id), out


def _use_strength(edge: Edge) -> float:
    intent = max((INTENT_WEIGHT.get(i, NO_INTENT) for i in edge.intents), default=NO_INTENT)
    return 0.5 * bool(edge.is_influential) + 0.5 * intent


def _reasons(paper: Paper, edge: Edge, c: Mapping[str, float], year_now: int) -> tuple[str, ...]:
    w = RELEVANCE_WEIGHTS
    found: list[tuple[float, str]] = []
    if edge.is_influential:
        found.append((w["citation"] * 0.5, "an influential citation (S2)"))
    intents = set(edge.intents)
    uses = [text for name, text in (("methodology", "uses its method"),
                                    ("result", "builds on its results")) if name in intents]
    if uses:
        found.append((w["citation"] * 0.5, " and ".join(uses)))
    elif "background" in intents:
        found.append((w["citation"] * 0.15, "mentions it as background"))
    if k := int(c["cocitation_count"]):
        found.append((w["cocitation"] * c["cocitation"],
                      f"co-cited with it by {k:,} other citer{'s' if k != 1 else ''}"))
    if k := int(c["coupling_count"]):
        found.append((w["coupling"] * c["coupling"],
                      f"shares {k:,} reference{'s' if k != 1 else ''} with it"))
    v = c["velocity_raw"]
    if v >= 0 and paper.year is not None:
        found.append((w["velocity"] * c["velocity"],
                      f"{v:,.1f} citations a year since {paper.year}"))
    found.sort(key=lambda item: -item[0])
    reasons = [text for _, text in found]
    if not reasons:
        reasons.append("cites it" + ("" if paper.year else " (year unknown)"))
    return tuple(reasons)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _snippet(context: str, needle: str) -> str:
    flat = " ".join(context.split())
    at = flat.casefold().find(needle)
    if len(flat) <= SNIPPET or at < 0:
        return flat if len(flat) <= SNIPPET else flat[:SNIPPET - 1] + "…"
    start = max(0, at - (SNIPPET - len(needle)) // 2)
    piece = flat[start:start + SNIPPET]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET < len(flat) else "")


def matches(citer: Citer, query: str) -> tuple[str, ...]:
    """Where ``query`` occurs (case-insensitive, whitespace folded): the matching citation
    contexts first, then ``"title"`` / ``"abstract"``; empty when nowhere."""
    needle = _fold(query)
    hits = [c for c in citer.edge.contexts if needle in _fold(c)]
    if needle in _fold(citer.paper.title or ""):
        hits.append("title")
    if needle in _fold(citer.paper.abstract or ""):
        hits.append("abstract")
    return tuple(hits)


def filter_citers(citers: Iterable[Citer], filters: CiteFilters) -> list[Citer]:
    """The citers that pass every filter; with a query, each carries its matches and a reason
    quoting the matching context (or naming the title/abstract)."""
    f = filters
    papers = PaperFilter(f.since, f.until, f.min_citations)
    out: list[Citer] = []
    for c in citers:
        if not passes(c.paper, papers):
            continue
        if f.influential and not c.edge.is_influential:
            continue
        if f.intent is not None and f.intent not in c.edge.intents:
            continue
        if f.query:
            found = matches(c, f.query)
            if not found:
                continue
            needle = _fold(f.query)
            contexts = [m for m in found if m not in ("title", "abstract")]
            where = (f'cites it as: "{_snippet(contexts[0], needle)}"' if contexts
                     else f"{' and '.join(found)} mention{'s' if len(found) == 1 else ''} "
                          f'"{f.query.strip()}"')
            c = replace(c, matches=found,
                        ranked=replace(c.ranked, reasons=(where, *c.ranked.reasons)))
        out.append(c)
    return out


def _sort_key(sort: str) -> Callable[[Citer], tuple[Any, ...]]:
    keys: dict[str, Callable[[Citer], tuple[Any, ...]]] = {
        "relevance": lambda c: (-c.ranked.score,),
        "citations": lambda c: (-(c.paper.citation_count or 0), -c.ranked.score),
        "influential": lambda c: (not c.edge.is_influential,
                                  -(c.paper.influential_citation_count or 0), -c.ranked.score),
        "year": lambda c: (-(c.paper.year or 0), -c.ranked.score),
        "velocity": lambda c: (-c.ranked.components.get("velocity_raw", -1.0), -c.ranked.score),
    }
    if sort not in keys:
        raise BadInputError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    key = keys[sort]
    return lambda c: (*key(c), c.paper.paper_id)


def sort_citers(citers: Iterable[Citer], sort: str = "relevance",
                limit: int | None = None) -> list[Citer]:
    """Sorted by ``sort`` (ties by paper id), numbered from 1, cut to ``limit``."""
    ordered = sorted(citers, key=_sort_key(sort))
    if limit is not None:
        ordered = ordered[: max(limit, 0)]
    return [replace(c, ranked=replace(c.ranked, rank=i)) for i, c in enumerate(ordered, 1)]


def per_year(all_citers: Iterable[Citer], matching: Iterable[Citer]
             ) -> dict[int | None, tuple[int, int]]:
    """Citers per publication year: ``year -> (all, matching)``; ``None`` for unknown years."""
    counts: dict[int | None, list[int]] = {}
    for i, group in enumerate((all_citers, matching)):
        for c in group:
            counts.setdefault(c.paper.year, [0, 0])[i] += 1
    order = sorted(counts, key=lambda y: (y is None, y or 0))
    return {y: (counts[y][0], counts[y][1]) for y in order}


def _record(c: Citer) -> dict[str, Any]:
    rec = row(c.ranked)
    rec["contexts"] = list(c.edge.contexts)
    rec["intents"] = list(c.edge.intents)
    rec["is_influential"] = c.edge.is_influential
    return rec


def citers_csv_text(citers: Iterable[Citer]) -> str:
    """The core reading-list columns (relation ``citation``), then contexts, intents and
    is_influential."""
    rows = []
    for c in citers:
        rec = _record(c)
        rec["contexts"] = CONTEXT_SEPARATOR.join(" ".join(x.split()) for x in rec["contexts"])
        rec["intents"] = "; ".join(rec["intents"])
        flag = rec["is_influential"]
        rec["is_influential"] = "" if flag is None else str(bool(flag)).lower()
        rows.append(rec)
    buf = io.StringIO()
    write_csv(rows, buf, CITE_COLUMNS)
    return buf.getvalue()


def citers_json_records(citers: Iterable[Citer]) -> list[dict[str, Any]]:
    """The CSV's fields as JSON values, plus the query matches and the abstract."""
    out = []
    for c in citers:
        (rec,) = json_records([c.ranked])
        rec.update(_record(c), authors=rec["authors"], reasons=rec["reasons"],
                   matches=list(c.matches))
        out.append(rec)
    return out


def save_citers(citers: Sequence[Citer], csv_path: str | None, json_path: str | None) -> None:
    """Write the CSV and/or JSON files (each written whole, then renamed into place)."""
    if csv_path is not None:
        save(csv_path, citers_csv_text(citers))
    if json_path is not None:
        save(json_path, json.dumps(citers_json_records(citers), ensure_ascii=False, indent=2))

