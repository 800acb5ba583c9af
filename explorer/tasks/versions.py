"""The other versions of a paper that the store knows: its preprint, its published version, the
same paper under another record (:mod:`explorer.analysis.works` on the stored records that
share its title words)."""

from __future__ import annotations

from explorer.analysis.versions import Merge, merge_papers
from explorer.analysis.works import normal_title
from explorer.store import Store

__all__ = ["versions_in_store", "work_in_store"]


def work_in_store(store: Store, paper_id: str) -> Merge:
    """The merge of ``paper_id`` with the stored records that are one work with it (an empty
    merge when there are none, or the paper is not stored)."""
    paper = store.paper(paper_id)
    if paper is None or not paper.title:
        return Merge()
    same = store.papers(store.titled(normal_title(paper.title).split()))
    merge = merge_papers({paper_id: paper, **same})
    kept = merge.kept(paper_id)
    if kept not in merge.works:
        return Merge()
    work = merge.works[kept]
    return Merge({k: kept for k in work.members[1:]}, {kept: work},
                 {kept: merge.papers[kept]}, {k: merge.versions[k] for k in work.members})


def versions_in_store(store: Store, paper_id: str) -> list[str]:
    """The ids of the stored records that are other versions of ``paper_id``, in id order."""
    work = next(iter(work_in_store(store, paper_id).works.values()), None)
    return sorted(set(work.members) - {paper_id}) if work else []
