"""Run the PyPI package ``citation-graph`` against another Semantic Scholar URL.

Runs inside the package's own virtual environment (it pins networkx 2.8), never imports
explorer. ``citation-graph`` hard-codes ``https://api.semanticscholar.org`` in its one database
object and waits ``idle_time`` between requests; this runner points that object at
``S2_API_URL`` and sets ``--politeness 0`` so the fake on 127.0.0.1 sets the pace.

Usage (from bench/peers.py)::

    S2_API_URL=http://127.0.0.1:PORT /tmp/peers-venv/bin/python bench/citation_graph_runner.py \
        --max-depth 2 --list --list-file-name out.csv --no-graph arxiv 1706.03762
"""

from __future__ import annotations

import os
import sys

from citation_graph import citation_graph as cg  # type: ignore[import-not-found]


def main() -> None:
    base = os.environ["S2_API_URL"].rstrip("/")
    for database in cg.DATABASES:
        database.paper_api_url = base + "/graph/v1/paper/{id}"
        database.citation_api_url = base + "/graph/v1/paper/{id}/citations"
        database.idle_time = 0
    sys.argv = ["citation-graph", "--politeness", "0", *sys.argv[1:]]
    cg.main()


if __name__ == "__main__":
    main()
