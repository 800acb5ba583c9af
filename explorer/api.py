"""The Python API for notebooks and scripts: explore, read the ranking as a table, export.

Everything here is a thin layer over :mod:`explorer.tasks` and :mod:`explorer.exports`, the
same code the CLI and the app run; nothing reads the environment (pass
``Settings.from_env()`` to use ``S2_API_URL``, ``S2_API_KEY``, ``EXPLORER_DB`` ...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from explorer import exports
from explorer.config import Settings
from explorer.exports.table import row
from explorer.models import Progress
from explorer.store import Store
from explorer.tasks.explore import Exploration, ExploreOptions
from explorer.tasks.explore import explore as run_pipeline
from explorer.tasks.export import from_exploration

if TYPE_CHECKING:
    import pandas as pd


def explore(
    seeds: str | Sequence[str],
    *,
    depth: int = ExploreOptions.depth,
    direction: str = ExploreOptions.direction,
    settings: Settings | None = None,
    store: Store | None = None,
    offline: bool = False,
    refresh: bool = False,
    max_requests: int | None = None,
    progress: Callable[[Progress], None] | None = None,
) -> Exploration:
    """Walk the neighbourhood of the seeds into the store and rank it, with reasons.

    Parameters
    ----------
    seeds : str or sequence of str
        One seed or several: arXiv ids, DOIs, Semantic Scholar ids or URLs, or titles.
    depth : {1, 2}
        1: the seeds' references and citations; 2 (the default, as on the command line):
        also the neighbours' references and their citers.
    direction : {"both", "references", "citations"}
    settings : Settings, optional
        Where Semantic Scholar and arXiv are, the API key, timeouts and the store path
        (default ``Settings()``: the public services and ``explorer.sqlite`` here).
    store : Store, optional
        The store to read and fill (default: the one at ``settings.db_path``).
    offline : bool
        Answer from the store alone, with no request.
    refresh : bool
        Fetch again what the store already holds.
    max_requests : int, optional
        Stop the walk after this many requests, keeping what was fetched.
    progress : callable, optional
        Called with a :class:`~explorer.models.Progress` as the walk goes.

    Returns
    -------
    Exploration
        ``ranked`` (best first), ``graph`` (networkx) and ``report``; when the walk stopped
        early, ``partial`` is true and ``report.error`` says why.

    Raises
    ------
    ExplorerError
        A bad seed or option (:class:`~explorer.errors.BadInputError`), an unknown paper, or a
        service that failed before anything was fetched.

    Examples
    --------
    With the network (so not run as a doctest; the README's example runs against the fake)::

        result = explore("1706.03762", store=Store("papers.sqlite"))
        result.ranked[0].paper.title  # 'Attention is All you Need'
    """
    settings = settings or Settings()
    store = store or settings.open_store()
    options = ExploreOptions(depth, direction, refresh, offline)
    with settings.s2_client_or_none(offline=offline, max_requests=max_requests) as client:
        return run_pipeline(
            [seeds] if isinstance(seeds, str) else list(seeds), options, store=store,
            client=client, arxiv=settings.arxiv_or_none(offline), progress=progress,
        )


def ranked_frame(result: Exploration) -> pd.DataFrame:
    """The ranking as a pandas DataFrame, one row per paper, best first.

    Parameters
    ----------
    result : Exploration
        What :func:`explore` returned.

    Returns
    -------
    pandas.DataFrame
        Indexed by rank, with the reading-list CSV's columns (``score``, ``paper_id``,
        ``title``, ``authors``, ``year``, ``venue``, ``relation``, ``reasons``, ``url`` ...);
        ``reasons`` joins the reasons a paper is ranked with "; ".
    """
    import pandas as pd

    return pd.DataFrame([row(r) for r in result.ranked]).set_index("rank")


def export_exploration(result: Exploration, fmt: str, path: str | Path, *,
                       store: Store | None = None, settings: Settings | None = None,
                       naming: str = "title", vault: str | Path | None = None,
                       citekeys: Mapping[str, str] | None = None) -> int:
    """Write the ranking in one of the export formats.

    Parameters
    ----------
    result : Exploration
        What :func:`explore` returned.
    fmt : str
        One of ``explorer.exports.FORMATS``: csv, bibtex, ris, markdown (a folder of notes),
        graphml, gexf, json.
    path : str or Path
        The file to write (a folder for markdown).
    store, settings
        The store whose reading list adds status, tags and notes (default: the one at
        ``settings.db_path``, as in :func:`explore`).
    naming, vault
        Markdown only: notes named by ``"title"`` or ``"citekey"`` (``@key``), and the
        Obsidian vault whose own notes are linked to instead of duplicated
        (:func:`explorer.exports.to_markdown.write_folder`).
    citekeys : mapping of str to str, optional
        Paper id -> the citation key the user's library has (Better BibTeX's), used instead
        of the generated one by BibTeX and Markdown (default: the keys of the library the
        store holds, see ``explorer library sync``).

    Returns
    -------
    int
        How many papers were written (for markdown: how many notes).
    """
    store = store or Store((settings or Settings()).db_path)
    data = from_exploration(result, store)
    if citekeys is not None:
        data.citekeys = dict(citekeys)
    return exports.export(data, fmt, path, naming=naming, vault=vault)
