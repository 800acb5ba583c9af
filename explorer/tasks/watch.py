"""Watch papers: report the papers that cite them and are new since the last check.

The first check of a watched paper records its citers as a baseline (and says so); later
checks report only citers not seen before (one record a work: the published version of a
preprint already reported is not news), and :func:`atom_feed` turns them into an Atom feed
any reader can follow.

Cost of a check: one batch lookup of every watched paper's ``citationCount`` (500 papers a
request); nothing more for a paper whose count did not change. For a paper whose count grew by
``k``, pages of its citations (1000 a page) are read until ``k`` unseen citers are found or the
pages end: S2 lists the newest citers first, so that is usually one page. A baseline reads
every page (⌈C/1000⌉; past 9,999 citers by publication-date slices, see
:mod:`explorer.walk_slices`). Citers and their citation contexts go to the store as well.

Tables (in :data:`explorer.store.SCHEMA`): ``watches`` (paper, the count at the last check),
``watch_checks`` (one row a check) and ``watch_citers`` (every citer seen, the check that first
saw it, and whether it was new then or part of the baseline).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from explorer.analysis.versions import merge_papers
from explorer.errors import NothingYetError
from explorer.exports.atom import ATOM_NS as ATOM_NS  # still importable from here
from explorer.exports.atom import new_feed, serialize
from explorer.exports.atom import stamp as _stamp
from explorer.exports.atom import sub as _sub
from explorer.models import Paper
from explorer.sources.s2 import REACHABLE, S2Client
from explorer.sources.s2_records import page_links
from explorer.store import Store
from explorer.text import one_line
from explorer.walk import Walker

log = logging.getLogger(__name__)

__all__ = ["CheckReport", "NewCiter", "Watched", "add", "atom_feed", "check", "latest_check",
           "new_citers", "remove", "watched"]

COUNT_FIELDS = ("paperId", "title", "citationCount")


@dataclass(frozen=True)
class Watched:
    paper: Paper
    added_at: float
    citation_count: int | None
    checked_at: float | None
    citers_seen: int


@dataclass(frozen=True)
class NewCiter:
    """A paper first seen citing a watched paper at check ``check_id``."""

    watched: Paper
    citer: Paper
    contexts: tuple[str, ...]
    check_id: int
    checked_at: float


@dataclass
class CheckReport:
    check_id: int
    checked_at: float
    requests: int = 0
    baselines: list[tuple[Paper, int]] = field(default_factory=list)
    new: list[NewCiter] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


def _rows(store: Store, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with store.transaction() as db:
        return db.execute(sql, params).fetchall()


def add(store: Store, paper_ids: Iterable[str]) -> int:
    """Watch these (stored) papers; returns how many were not watched yet."""
    now = time.time()
    with store.transaction() as db:
        return sum(
            db.execute("INSERT OR IGNORE INTO watches (paper_id, added_at) VALUES (?, ?)",
                       (pid, now)).rowcount
            for pid in dict.fromkeys(paper_ids)
        )


def remove(store: Store, paper_ids: Iterable[str]) -> int:
    with store.transaction() as db:
        removed = 0
        for pid in paper_ids:
            removed += db.execute("DELETE FROM watches WHERE paper_id = ?", (pid,)).rowcount
            db.execute("DELETE FROM watch_citers WHERE watched = ?", (pid,))
        return removed


def watched(store: Store) -> list[Watched]:
    rows = _rows(
        store,
        "SELECT w.paper_id, w.added_at, w.citation_count, w.checked_at, "
        "(SELECT count(*) FROM watch_citers c WHERE c.watched = w.paper_id) "
        "FROM watches w ORDER BY w.added_at, w.paper_id",
    )
    papers = store.papers(r[0] for r in rows)
    return [Watched(papers.get(r[0]) or Paper(r[0]), r[1], r[2], r[3], r[4]) for r in rows]


def _read_citations(store: Store, client: S2Client, pid: str, known: set[str],
                    target: int | None) -> list[str]:
    """Page through ``pid``'s citations into the store; the unseen citers, in S2's order.

    ``target=None`` reads every page (a baseline); otherwise stops once ``target`` unseen
    citers were found (after the first page at least)."""
    found: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = client.page(pid, "citations", offset)
        links = page_links(pid, "citations", page.items)
        with store.transaction() as db:
            store.put_papers(links.papers, db)
            store.put_edges(links.edges, db)
        for e in links.edges:
            if e.citing not in known and e.citing not in found:
                found.append(e.citing)
        offset = page.next
        if target is not None and len(found) >= target:
            break
    return found


def _read_by_dates(store: Store, client: S2Client, pid: str, known: set[str],
                   warnings: list[str]) -> list[str]:
    """A baseline past S2's 9,999-citer window: every citer, by publication-date slices
    (:mod:`explorer.walk_slices`); a failure is raised as on the plain listing."""
    report = Walker(store, client).walk([pid], 1, "citations")
    if report.error is not None:
        raise report.error
    warnings += report.warnings
    return [c for c in store.citations_of(pid) if c not in known]


def _versions_seen(store: Store, known: set[str], found: Sequence[str]) -> set[str]:
    """The citers among ``found`` not to report as new: another record of a work already seen
    citing (in ``known``, e.g. the published version of a preprint reported before), or of a
    work another found citer stands for (its kept record, else the first in S2's order)."""
    merge = merge_papers(store.papers([*known, *found]))
    works = {merge.kept(k) for k in known}
    versions: set[str] = set()
    for citer in sorted(found, key=lambda c: merge.kept(c) != c):  # stable: S2's order kept
        if merge.kept(citer) in works:
            versions.add(citer)
        works.add(merge.kept(citer))
    return versions


def check(store: Store, client: S2Client) -> CheckReport:
    """Check every watched paper once; see the module docstring for what it costs."""
    ids = [r[0] for r in _rows(store, "SELECT paper_id FROM watches ORDER BY added_at")]
    if not ids:
        raise NothingYetError("no paper is watched", what="watch")
    start = client.requests
    now = time.time()
    with store.transaction() as db:
        cur = db.execute("INSERT INTO watch_checks (checked_at, requests) VALUES (?, 0)",
                         (now,))
        report = CheckReport(int(cur.lastrowid or 0), now)
    state = {r[0]: (r[1], r[2]) for r in _rows(
        store, "SELECT paper_id, citation_count, checked_at FROM watches")}
    raws = client.papers(ids, COUNT_FIELDS)
    store.put_papers([r for r in raws if r])
    for pid, raw in zip(ids, raws, strict=True):
        if raw is None:
            report.warnings.append(f"Semantic Scholar no longer knows {pid}; still watched")
            continue
        count = raw.get("citationCount")
        old_count, checked_at = state[pid]
        baseline = checked_at is None
        if not baseline and count is not None and count == old_count:
            report.unchanged += 1
            continue
        known = {r[0] for r in _rows(store, "SELECT citing FROM watch_citers WHERE watched = ?",
                                     (pid,))}
        target = None if baseline else max(0, (count or 0) - (old_count or 0))
        if baseline and (count or 0) > REACHABLE:
            found = _read_by_dates(store, client, pid, known, report.warnings)
        else:
            found = _read_citations(store, client, pid, known, target)
        versions = set() if baseline or not found else _versions_seen(store, known, found)
        with store.transaction() as db:
            # Removed while its citers were read (another `watch remove`): nothing to record.
            if not db.execute("UPDATE watches SET citation_count = ?, checked_at = ?"
                              " WHERE paper_id = ?", (count, now, pid)).rowcount:
                continue
            db.executemany(
                "INSERT OR IGNORE INTO watch_citers VALUES (?, ?, ?, ?)",
                [(pid, c, report.check_id, int(not baseline and c not in versions))
                 for c in found],
            )
        if baseline:
            report.baselines.append((store.paper(pid) or Paper(pid), len(found)))
    report.new = new_citers(store, check_id=report.check_id)
    report.requests = client.requests - start
    with store.transaction() as db:
        db.execute("UPDATE watch_checks SET requests = ? WHERE id = ?",
                   (report.requests, report.check_id))
    return report


def latest_check(store: Store) -> tuple[int, float, int] | None:
    """(id, time, requests) of the last check, or None."""
    rows = _rows(store, "SELECT id, checked_at, requests FROM watch_checks ORDER BY id DESC "
                        "LIMIT 1")
    return (int(rows[0][0]), float(rows[0][1]), int(rows[0][2])) if rows else None


def new_citers(store: Store, *, check_id: int | None = None, limit: int = 200
               ) -> list[NewCiter]:
    """New citers (not the baselines) of one check, or of the latest checks, newest first."""
    where = "c.is_new = 1" + (" AND c.check_id = ?" if check_id is not None else "")
    rows = _rows(
        store,
        f"SELECT c.watched, c.citing, c.check_id, k.checked_at FROM watch_citers c "
        f"JOIN watch_checks k ON k.id = c.check_id WHERE {where} "
        f"ORDER BY c.check_id DESC, c.watched, c.citing LIMIT ?",
        ([check_id] if check_id is not None else []) + [limit],
    )
    papers = store.papers({r[0] for r in rows} | {r[1] for r in rows})
    contexts = {(e.citing, e.cited): e.contexts
                for e in store.edges_touching({r[0] for r in rows})}
    return [
        NewCiter(papers.get(w) or Paper(w), papers.get(c) or Paper(c),
                 contexts.get((c, w), ()), int(k), float(t))
        for w, c, k, t in rows
    ]


def _line(text: str) -> str:
    return one_line(text)


def atom_feed(items: Sequence[NewCiter], *, updated: float | None = None,
              title: str = "explorer: new citations of watched papers",
              feed_id: str = "urn:explorer:watch") -> str:
    """An Atom 1.0 feed (RFC 4287), one entry per new citer of a watched paper."""
    stamp = updated if updated is not None else max((i.checked_at for i in items),
                                                     default=time.time())
    feed = new_feed(feed_id, title, stamp)
    for item in items:
        c, w = item.citer, item.watched
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"urn:explorer:watch:{w.paper_id}:{c.paper_id}")
        _sub(entry, "title", _line(c.title or c.paper_id))
        _sub(entry, "updated", _stamp(item.checked_at))
        if c.publication_date:
            _sub(entry, "published", f"{c.publication_date}T00:00:00Z")
        _sub(entry, "link", href=c.best_url, rel="alternate")
        for name in c.authors:
            _sub(_sub(entry, "author"), "name", _line(name))
        _sub(entry, "category", term=w.paper_id, label=_line(w.title or ""))
        cites = f"Cites: {_line(w.title or w.paper_id)} ({w.s2_url})"
        lines = [cites] + [f"“{_line(x)}”" for x in item.contexts]
        _sub(entry, "summary", "\n\n".join(lines), type="text")
    return serialize(feed)
