"""The reading list: papers named by the user, resolved through the store, with a status.

Statuses are :data:`explorer.models.READING_STATUSES`. A paper marked ``"not relevant"`` drops
out of rankings and demotes its neighbours (:func:`explorer.tasks.explore.rank_stored`); one marked
``"read"`` is flagged, not hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from explorer.errors import BadInputError, NotFoundError, OfflineMissingError
from explorer.models import READING_STATUSES, Paper
from explorer.seeds.ids import parse_seed
from explorer.seeds.resolve import resolve
from explorer.sources.s2 import S2Client
from explorer.store import ListItem, Store
from explorer.text import has_control

__all__ = ["ListEntry", "check_status", "list_entries", "resolve_papers"]


@dataclass(frozen=True)
class ListEntry:
    item: ListItem
    paper: Paper


def resolve_papers(texts: Sequence[str], store: Store, client: S2Client | None) -> list[str]:
    """Paper ids of what the user typed, in order, deduplicated.

    Any id form or a title, through :func:`explorer.seeds.resolve.resolve`: the store answers
    first, every id it lacks is fetched in one batch request (a title costs one title-match
    request). ``client=None`` answers from the store alone. Raises :class:`BadInputError` for a
    malformed id, :class:`NotFoundError` naming every id that no one knows.
    """
    found = resolve([parse_seed(t) for t in texts], store, client)
    if found.offline:
        raise OfflineMissingError("not in the store: " + ", ".join(s.text for s in found.offline))
    if found.unknown:
        raise NotFoundError("unknown paper: " + ", ".join(found.unknown))
    return found.ids


def check_status(status: str | None) -> str | None:
    """The status, or a BadInputError listing the valid ones."""
    if status is not None and status not in READING_STATUSES:
        raise BadInputError(
            f"unknown status {status!r}; use one of: " + ", ".join(READING_STATUSES)
        )
    return status


def check_tags(tags: Sequence[str]) -> list[str]:
    """Tags as given, or a BadInputError for an empty one or one with control characters
    (an escape code in a tag would repaint the user's terminal each time the list is shown)."""
    for tag in tags:
        if not tag.strip() or has_control(tag):
            raise BadInputError(f"a tag must be printable text, not {tag[:40]!r}")
    return list(tags)


def list_entries(
    store: Store, *, status: str | None = None, tag: str | None = None
) -> list[ListEntry]:
    """The reading list, oldest first, with each paper from the store; optionally filtered."""
    check_status(status)
    items = [
        i for i in store.list_items()
        if (status is None or i.status == status) and (tag is None or tag in i.tags)
    ]
    papers = store.papers(i.paper_id for i in items)
    return [ListEntry(i, papers.get(i.paper_id) or Paper(i.paper_id)) for i in items]
