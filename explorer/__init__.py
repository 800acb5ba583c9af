"""explorer: a citation-graph literature explorer on Semantic Scholar and arXiv."""

__version__ = "0.1.0"
