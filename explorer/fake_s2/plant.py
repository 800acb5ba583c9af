"""Plant two weeks of new arXiv papers in a fake, for tests and demos of the inbox.

:func:`plant_inbox` adds papers submitted over the last ``days`` days in three categories to
the fake's corpus, so the fake arXiv lists them and the fake S2 knows their references:

- *relevant* ones cite papers of the user's library and reuse words of their titles;
- *close* ones reuse those words but cite nothing of the library;
- *others* are about something else and cite other corpus papers;
- *outside* ones are older than the window or in another category: a listing must miss them.

Everything is derived from the arguments (no randomness), so a test can name what it expects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

CATEGORIES = ("cs.LG", "cs.CL", "cs.IR")
ELSEWHERE = "math.AG"
_TOPICS = ("glacier melt", "soil moisture", "protein folding", "traffic signal", "coral reef",
           "battery ageing", "crop yield", "river discharge", "bird migration", "wind turbine")


class _Serves(Protocol):
    corpus: Any

    def add_paper(self, raw: Mapping[str, Any]) -> None: ...

    def add_edge(self, raw: Mapping[str, Any]) -> None: ...


@dataclass(frozen=True)
class Planted:
    """The arXiv ids planted, by kind, and the time the window ends."""

    relevant: tuple[str, ...]
    close: tuple[str, ...]
    others: tuple[str, ...]
    outside: tuple[str, ...]
    now: datetime
    cited: Mapping[str, tuple[str, ...]]
    """Library papers each relevant paper cites."""

    @property
    def listed(self) -> tuple[str, ...]:
        """What a listing of the window and the three categories must return."""
        return self.relevant + self.close + self.others


def paper_id_of(arxiv_id: str) -> str:
    """The S2 id the fake gives a planted paper."""
    return hashlib.sha1(f"planted:{arxiv_id}".encode()).hexdigest()


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def plant_inbox(fake: _Serves, library: Sequence[str], *, now: datetime, days: int = 14,
                per_day: int = 3, relevant_every: int = 4, categories: Sequence[str] = CATEGORIES,
                ) -> Planted:
    """Add ``days * per_day`` papers in the window (one in ``relevant_every`` relevant, the
    one after it close in wording only), plus four outside it, to ``fake``'s corpus.

    Parameters
    ----------
    fake : FakeS2 or FakeArxiv
        Its corpus gets the papers and their references.
    library : sequence of str
        S2 ids of corpus papers the relevant papers cite (one, two or three of them each).
    now : datetime
        The end of the window; papers are submitted in the ``days`` before it.

    Returns
    -------
    Planted
    """
    titles = {pid: (fake.corpus.papers.get(pid) or {}).get("title") or "" for pid in library}
    bystanders = [pid for pid in list(fake.corpus.papers)[:200] if pid not in titles][:20]
    kinds: dict[str, list[str]] = {"relevant": [], "close": [], "others": [], "outside": []}
    cited: dict[str, tuple[str, ...]] = {}
    n = 0

    def add(kind: str, when: datetime, cats: list[str], title: str, refs: Sequence[str]) -> None:
        nonlocal n
        n += 1
        arxiv_id = f"{when:%y%m}.{90000 + n:05d}"
        pid = paper_id_of(arxiv_id)
        fake.add_paper({
            "paperId": pid, "title": title,
            "abstract": f"We study {title.lower()} and report what we found.",
            "year": when.year, "publicationDate": f"{when:%Y-%m-%d}",
            "authors": [{"authorId": None, "name": f"Planted Author {n}"}],
            "externalIds": {"ArXiv": arxiv_id},
            "arxiv": {"categories": cats, "submitted": _stamp(when)},
        })
        for ref in refs:
            fake.add_edge({"citingPaperId": pid, "citedPaperId": ref, "isInfluential": False,
                           "contexts": [], "intents": []})
        kinds[kind].append(arxiv_id)
        if kind == "relevant":
            cited[arxiv_id] = tuple(refs)

    for i in range(days * per_day):
        when = now - timedelta(days=i // per_day, minutes=60 + (i % per_day) * 1320 // per_day)
        cats = [categories[i % len(categories)]]
        if i % 5 == 0:  # cross-listed: listed once though two categories match
            cats.append(categories[(i + 1) % len(categories)])
        topic = _TOPICS[i % len(_TOPICS)]
        turn = i // relevant_every  # which library paper this round of papers is about
        if library and i % relevant_every == 0:
            refs = [library[(turn + k) % len(library)] for k in range(1 + turn % 3)]
            refs = list(dict.fromkeys(refs))
            add("relevant", when, cats, f"{titles[refs[0]]}: revisited for {topic}", refs)
        elif library and i % relevant_every == 1:
            add("close", when, cats, f"{titles[library[turn % len(library)]]} once more", [])
        else:
            add("others", when, cats, f"Measuring {topic} with sensors, part {i}",
                bystanders[i % len(bystanders): i % len(bystanders) + 1])
    for back in (days + 1, days + 3):
        add("outside", now - timedelta(days=back), [categories[0]], f"{_TOPICS[back % 10]} old",
            library[:1])
    for hours in (2, 30):
        add("outside", now - timedelta(hours=hours), [ELSEWHERE], "Curves over fields", library[:1])
    return Planted(tuple(kinds["relevant"]), tuple(kinds["close"]), tuple(kinds["others"]),
                   tuple(kinds["outside"]), now, cited)
