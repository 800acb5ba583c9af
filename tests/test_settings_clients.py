"""The clients and the store the settings describe, over the fake on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.config import Settings
from explorer.errors import BudgetExhaustedError
from explorer.sources.arxiv import ArxivClient
from explorer.sources.s2 import S2Client


def _settings(fake, **changes) -> Settings:
    return Settings(s2_api_url=fake.url, arxiv_api_url=fake.url, min_interval=0.0,
                    backoff=0.01, timeout=60.0, **changes)


def test_s2_client_talks_to_the_settings_url_and_is_closed_after_the_block(fake):
    with _settings(fake).s2_client() as client:
        assert isinstance(client, S2Client)
        assert client.paper("ARXIV:1706.03762")["title"]
        assert client.requests == 1
    assert client.requester._http.is_closed


def test_s2_client_is_closed_when_the_block_raises(fake):
    opened: list[S2Client] = []

    def spend_two() -> None:
        with _settings(fake).s2_client(max_requests=1) as client:
            opened.append(client)
            client.paper("ARXIV:1706.03762")
            client.paper("ARXIV:1706.03762")

    with pytest.raises(BudgetExhaustedError):
        spend_two()
    assert opened[0].requests == 1
    assert opened[0].requester._http.is_closed


def test_s2_client_or_none_is_none_offline_and_a_client_online(fake):
    settings = _settings(fake)
    with settings.s2_client_or_none(offline=True) as client:
        assert client is None
    with settings.s2_client_or_none(offline=False, max_requests=0) as client:
        assert isinstance(client, S2Client)
        with pytest.raises(BudgetExhaustedError):
            client.paper("ARXIV:1706.03762")


def test_arxiv_client_caps_the_timeout_at_20_seconds():
    for timeout, expected in ((60.0, 20.0), (3.0, 3.0)):
        client = Settings(arxiv_api_url="http://127.0.0.1:9", timeout=timeout).arxiv_client()
        assert isinstance(client, ArxivClient)
        assert client.host == "127.0.0.1:9"
        assert client._client._session._timeout == expected


def test_open_store_takes_a_path_or_the_settings_one(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = Settings(db_path=tmp_path / "default.sqlite")
    assert settings.open_store().path == tmp_path / "default.sqlite"
    assert settings.open_store("~/other.sqlite").path == tmp_path / "other.sqlite"
    assert settings.open_store(Path(tmp_path / "third.sqlite")).path == tmp_path / "third.sqlite"
