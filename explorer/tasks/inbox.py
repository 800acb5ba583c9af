"""The inbox: what appeared in the user's arXiv categories lately, ranked against the library,
and only what was not shown before.

One run (:func:`run`) gathers candidates from three places:

- arXiv: everything submitted to the categories over the window, newest first
  (:meth:`~explorer.sources.arxiv.ArxivClient.listing`: ⌈n / 2000⌉ requests, one at least);
- the watch: new citers of the watched papers (:func:`explorer.tasks.watch.check`, with its
  cost), when any paper is watched;
- a ``recommend`` function, if one is given: it takes the library's papers and returns
  candidate papers (the hook for Semantic Scholar's recommendations).

Candidates shown by an earlier run are dropped (unless ``show_all``). Those the store does not
know yet are looked up on Semantic Scholar by arXiv id with their references (``/paper/batch``,
500 a request), which go to the store; then :func:`explorer.analysis.inbox.rank_inbox` ranks
them against the library (:func:`library`), and what is shown is remembered (tables
``inbox_runs`` and ``inbox_items`` of :data:`explorer.store.SCHEMA`). A rerun over the same
window therefore costs one arXiv request and shows nothing new.

Marking a paper on the reading list (any status) changes the next ranking: a paper one keeps
draws the candidates that cite it or read like it, one marked "not relevant" pushes them down.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from explorer.analysis.inbox import Candidate, InboxItem, Kept, rank_inbox
from explorer.errors import BadInputError
from explorer.models import Edge, Paper
from explorer.seeds.ids import arxiv_id_of, parse_seed
from explorer.seeds.resolve import resolve
from explorer.sources.arxiv import ArxivClient, ArxivRecord
from explorer.sources.s2 import PAPER_FIELDS, S2Client
from explorer.store import Store
from explorer.tasks import watch

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_DAYS", "InboxReport", "Recommender", "last_categories", "library",
           "parse_since", "remembered", "run"]

DEFAULT_DAYS = 14
LOOKUP_FIELDS = PAPER_FIELDS + ("references.paperId",)
Recommender = Callable[[Sequence[Paper]], Sequence[Paper]]
"""Takes the library's papers, returns candidate papers (S2 records with ``paper_id``)."""


@dataclass
class InboxReport:
    """What one run found and showed, and what it cost."""

    run_id: int
    since: datetime
    until: datetime
    items: list[InboxItem] = field(default_factory=list)
    listed: int = 0
    already_shown: int = 0
    held_back: int = 0
    not_in_s2: int = 0
    arxiv_requests: int = 0
    s2_requests: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return self.arxiv_requests + self.s2_requests


def parse_since(text: str) -> timedelta:
    """``14d``, ``2w``, ``36h`` or a bare number of days, as a span.

    >>> parse_since("2w"), parse_since("36h")
    (datetime.timedelta(days=14), datetime.timedelta(days=1, seconds=43200))
    """
    raw = text.strip().lower()
    unit = raw[-1:] if raw[-1:] in ("d", "w", "h") else "d"
    number = raw[:-1] if raw[-1:] in ("d", "w", "h") else raw
    if not number.isdigit() or int(number) == 0:
        raise BadInputError(f"a span looks like 14d, 2w or 36h, not {text[:20]!r}",
                            parameter="since", value=text)
    hours = int(number) * {"h": 1, "d": 24, "w": 24 * 7}[unit]
    return timedelta(hours=hours)


def _rows(store: Store, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with store.transaction() as db:
        return db.execute(sql, params).fetchall()


def library(store: Store) -> list[Kept]:
    """The papers the user keeps, each once: the reading list (its status "not relevant" as
    such), then the watched papers, then the seeds of past explorations found in the store."""
    out: dict[str, str] = {}
    for item in store.list_items():
        out[item.paper_id] = "not relevant" if item.status == "not relevant" else "reading list"
    for w in watch.watched(store):
        out.setdefault(w.paper.paper_id, "watched")
    seeds: list[str] = []
    for (text,) in _rows(store, "SELECT seeds FROM explorations ORDER BY id DESC LIMIT 200"):
        seeds += [s for s in json.loads(text) if isinstance(s, str)]
    parsed = []
    for seed in dict.fromkeys(seeds):
        try:
            parsed.append(parse_seed(seed))
        except BadInputError:
            continue
    for pid in resolve(parsed, store, None).ids if parsed else []:
        out.setdefault(pid, "explored")
    papers = store.papers(out)
    return [Kept(papers.get(pid) or Paper(pid), role) for pid, role in out.items()]


def _arxiv_paper(record: ArxivRecord) -> Paper:
    return Paper(f"arxiv:{record.arxiv_id}", title=record.title, year=record.as_s2()["year"],
                 authors=record.authors, abstract=record.abstract, arxiv_id=record.arxiv_id,
                 publication_date=record.published or None)


def _well_formed(arxiv_id: str) -> bool:
    """Whether ``arxiv_id`` is an arXiv id (it goes into URLs and keys)."""
    try:
        seed = parse_seed(arxiv_id)
    except BadInputError:
        return False
    return seed.kind == "id" and arxiv_id_of(seed.value) == arxiv_id


def _key_of(paper: Paper) -> str:
    return f"arxiv:{paper.arxiv_id}" if paper.arxiv_id else paper.paper_id


def _shown_keys(store: Store, keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        part = wanted[start:start + 500]
        marks = ",".join("?" * len(part))
        found |= {r[0] for r in _rows(
            store, f"SELECT item_key FROM inbox_items WHERE item_key IN ({marks})", part)}
    return found


def _look_up(store: Store, client: S2Client, candidates: list[Candidate]) -> list[Candidate]:
    """Candidates with their S2 record and references: from the store when it has them, else
    one batch lookup (500 a request) whose records and links go to the store."""
    def alias(c: Candidate) -> str:
        return f"ARXIV:{c.paper.arxiv_id}" if c.paper.arxiv_id else c.paper.paper_id

    known = {c.key: store.resolve(alias(c)) for c in candidates}
    missing = [c for c in candidates if not known[c.key]]
    raws = client.papers([alias(c) for c in missing], LOOKUP_FIELDS) if missing else []
    records, edges = [], []
    for c, raw in zip(missing, raws, strict=True):
        if raw is None:
            continue
        refs = [r["paperId"] for r in raw.get("references") or [] if r and r.get("paperId")]
        records.append({k: v for k, v in raw.items() if k != "references"})
        edges += [Edge(raw["paperId"], ref) for ref in refs]
        known[c.key] = raw["paperId"]
    if records:
        with store.transaction() as db:
            store.put_papers(records, db)
            store.put_edges(edges, db)
    papers = store.papers(pid for pid in known.values() if pid)
    out = []
    for c in candidates:
        pid = known[c.key]
        if pid and pid in papers:
            cited = frozenset(store.references_of(pid))
            out.append(Candidate(c.key, papers[pid], cited, c.found_in, c.extra_reasons))
        else:
            out.append(c)
    return out


def _gather(store: Store, s2: S2Client, arxiv: ArxivClient, categories: Sequence[str],
            since: datetime, until: datetime, recommend: Recommender | None,
            report: InboxReport) -> list[Candidate]:
    found: dict[str, Candidate] = {}
    for record in arxiv.listing(categories, since, until):
        if not _well_formed(record.arxiv_id):
            report.warnings.append(f"arXiv listed a malformed id {record.arxiv_id[:40]!r}; "
                                   "skipped")
            continue
        paper = _arxiv_paper(record)
        cats = [c for c in record.categories if c in categories] or list(record.categories[:1])
        found.setdefault(_key_of(paper), Candidate(_key_of(paper), paper,
                                                   found_in="arXiv " + ", ".join(cats)))
    report.listed = len(found)
    if _rows(store, "SELECT 1 FROM watches LIMIT 1"):
        checked = watch.check(store, s2)
        report.warnings += checked.warnings
        for item in checked.new:  # its link to the watched paper is in the store: a reason
            key = _key_of(item.citer)
            found.setdefault(key, Candidate(key, item.citer, found_in="new citer of a watched "
                                                                      "paper"))
    if recommend is not None:
        for paper in recommend([k.paper for k in library(store) if k.role != "not relevant"]):
            found.setdefault(_key_of(paper), Candidate(_key_of(paper), paper,
                                                       found_in="recommended"))
    return list(found.values())


def run(store: Store, s2: S2Client, arxiv: ArxivClient, categories: Sequence[str], *,
        since: timedelta = timedelta(days=DEFAULT_DAYS), until: datetime | None = None,
        limit: int | None = None, show_all: bool = False,
        recommend: Recommender | None = None) -> InboxReport:
    """Gather, rank and remember the new papers; see the module docstring for the cost.

    Parameters
    ----------
    store : Store
    s2 : S2Client
    arxiv : ArxivClient
    categories : sequence of str
        arXiv categories (``cs.LG``); at least one.
    since : timedelta
        How far back the window reaches from ``until``.
    until : datetime, optional
        The end of the window (now by default).
    limit : int, optional
        Show at most this many, the best; the others stay new for the next run.
    show_all : bool
        Show again what earlier runs showed.
    recommend : callable, optional
        See :data:`Recommender`.

    Returns
    -------
    InboxReport
    """
    if not categories:
        raise BadInputError("name at least one arXiv category, such as cs.LG",
                            parameter="categories")
    if limit is not None and limit < 1:
        raise BadInputError("{limit} must be 1 or more", parameter="limit", value=limit)
    end = until or datetime.now(UTC)
    start = end - since
    arxiv_before, s2_before = arxiv.requests, s2.requests
    report = InboxReport(0, start, end)
    candidates = _gather(store, s2, arxiv, list(categories), start, end, recommend, report)
    shown = _shown_keys(store, (c.key for c in candidates))
    report.already_shown = len(shown)
    if not show_all:
        candidates = [c for c in candidates if c.key not in shown]
    candidates = _look_up(store, s2, candidates)
    report.not_in_s2 = sum(1 for c in candidates if c.key.startswith("arxiv:")
                           and c.paper.paper_id == c.key)
    ranked = rank_inbox(candidates, library(store))
    report.items = ranked[:limit] if limit is not None else ranked
    report.held_back = len(ranked) - len(report.items)
    report.arxiv_requests = arxiv.requests - arxiv_before
    report.s2_requests = s2.requests - s2_before
    report.run_id = _remember(store, report, categories)
    return report


def _remember(store: Store, report: InboxReport, categories: Sequence[str]) -> int:
    now = time.time()
    with store.transaction() as db:
        cur = db.execute(
            "INSERT INTO inbox_runs (ran_at, since, until, categories, listed, requests)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (now, report.since.isoformat(), report.until.isoformat(),
             json.dumps(list(categories)), report.listed, report.requests))
        run_id = int(cur.lastrowid or 0)
        db.executemany(
            "INSERT OR REPLACE INTO inbox_items (item_key, paper_id, data, score, reasons,"
            " found_in, run_id, shown_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(it.candidate.key, None if it.paper.paper_id == it.candidate.key
              else it.paper.paper_id,
              json.dumps(_record(it.paper) | {"related": list(it.related)}, ensure_ascii=False),
              it.score, json.dumps(list(it.reasons), ensure_ascii=False),
              it.candidate.found_in, run_id, now) for it in report.items])
    return run_id


def _record(paper: Paper) -> dict[str, Any]:
    """The fields of a paper the inbox shows, in S2's shape (:meth:`Paper.from_s2` reads it)."""
    return {"paperId": paper.paper_id, "title": paper.title, "abstract": paper.abstract,
            "year": paper.year, "publicationDate": paper.publication_date,
            "authors": [{"name": a} for a in paper.authors],
            "externalIds": {"ArXiv": paper.arxiv_id} if paper.arxiv_id else {}}


def last_categories(store: Store) -> list[str]:
    """The categories of the last run ([] before the first)."""
    rows = _rows(store, "SELECT categories FROM inbox_runs ORDER BY id DESC LIMIT 1")
    return [str(c) for c in json.loads(rows[0][0])] if rows else []


def remembered(store: Store, *, days: int = DEFAULT_DAYS) -> list[InboxItem]:
    """What runs of the last ``days`` days showed, best first (for the app's page)."""
    rows = _rows(store, "SELECT item_key, data, score, reasons, found_in FROM inbox_items"
                        " WHERE shown_at >= ? ORDER BY score DESC, item_key",
                 (time.time() - days * 86400,))
    out = []
    for n, (key, data, score, reasons, found_in) in enumerate(rows, 1):
        raw = json.loads(data)
        out.append(InboxItem(Candidate(key, Paper.from_s2(raw), frozenset(), found_in),
                             float(score), tuple(json.loads(reasons)), n,
                             related=tuple(raw.get("related") or ())))
    return out
