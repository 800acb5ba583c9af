"""The arXiv source when arXiv is out of reach."""

from __future__ import annotations

import pytest

from explorer.errors import UnreachableError
from explorer.sources.arxiv import ArxivClient


def test_refused_arxiv_names_the_host():
    with pytest.raises(UnreachableError) as err:
        ArxivClient("http://127.0.0.1:9", timeout=5).lookup("1706.03762")
    assert err.value.host == "127.0.0.1:9" and "arXiv at 127.0.0.1:9" in str(err.value)
