"""explorer: a citation-graph literature explorer on Semantic Scholar and arXiv.

The public Python API, for notebooks and scripts::

    from explorer import Settings, Store, explore, export_exploration, ranked_frame

    settings = Settings.from_env()              # S2_API_URL, S2_API_KEY, EXPLORER_DB ...
    store = Store(settings.db_path)
    result = explore("1706.03762", settings=settings, store=store)
    ranked_frame(result)[["title", "year", "score", "reasons"]].head()
    export_exploration(result, "bibtex", "transformer.bib", store=store)

Importing ``explorer`` is light: each name is imported on first use. (The export call is not
named ``export``: that is the name of the ``explorer.exports.table`` module.)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "FORMATS",
    "Edge",
    "Exploration",
    "ExploreOptions",
    "ExplorerError",
    "Paper",
    "Ranked",
    "Settings",
    "Store",
    "explore",
    "export_exploration",
    "ranked_frame",
]

# where each public name lives; imported on first use so `import explorer` stays light
_HOMES = {
    "FORMATS": "explorer.exports",
    "Edge": "explorer.models",
    "Exploration": "explorer.tasks.explore",
    "ExploreOptions": "explorer.tasks.explore",
    "ExplorerError": "explorer.errors",
    "Paper": "explorer.models",
    "Ranked": "explorer.models",
    "Settings": "explorer.config",
    "Store": "explorer.store",
    "explore": "explorer.api",
    "export_exploration": "explorer.api",
    "ranked_frame": "explorer.api",
}

if TYPE_CHECKING:
    from explorer.api import explore, export_exploration, ranked_frame
    from explorer.config import Settings
    from explorer.errors import ExplorerError
    from explorer.exports import FORMATS
    from explorer.models import Edge, Paper, Ranked
    from explorer.store import Store
    from explorer.tasks.explore import Exploration, ExploreOptions


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'explorer' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
