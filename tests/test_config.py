"""Settings from the environment (every bad value is one line naming the variable), and the
clients built from them, against the fake on 127.0.0.1."""

from __future__ import annotations

from dataclasses import replace

import pytest

from explorer.config import Settings
from explorer.errors import AuthError, BudgetExhaustedError, SettingsError
from explorer.fake_s2 import FakeS2
from tests.conftest import cli_env, run_cli

KEY = "s3cr\u00e9t-key"
# (variable, bad value): the 18 values of issue 12 item 6 and their neighbours.
BAD = [
    ("EXPLORER_TIMEOUT", "abc"), ("EXPLORER_TIMEOUT", "-1"), ("EXPLORER_TIMEOUT", "nan"),
    ("EXPLORER_TIMEOUT", "inf"), ("EXPLORER_TIMEOUT", "0"),
    ("EXPLORER_MAX_RETRIES", "-1"), ("EXPLORER_MAX_RETRIES", "abc"),
    ("EXPLORER_MAX_RETRIES", "1.5"),
    ("EXPLORER_MIN_INTERVAL", "abc"), ("EXPLORER_MIN_INTERVAL", "-1"),
    ("EXPLORER_BACKOFF", "abc"), ("EXPLORER_BACKOFF", "inf"),
    ("EXPLORER_APP_CACHE_MB", "-1"), ("EXPLORER_APP_CACHE_MB", "1.5"),
    ("EXPLORER_APP_CACHE_MB", "lots"),
    ("S2_API_URL", "http://[::1"), ("S2_API_URL", "ftp://example.org"),
    ("S2_API_URL", "http://127.0.0.1:99999"), ("ARXIV_API_URL", "http://[::1"),
    ("S2_API_KEY", KEY), ("S2_API_KEY", "s3cret\nkey"),
]


@pytest.mark.parametrize(("variable", "value"), BAD)
def test_bad_setting_is_one_line_naming_it(variable, value):
    with pytest.raises(SettingsError) as err:
        Settings.from_env({variable: value})
    message = str(err.value)
    assert err.value.variable == variable and message.startswith(variable)
    assert "accepts" in message and "\n" not in message
    if variable == "S2_API_KEY":
        assert "s3cr" not in message


@pytest.mark.parametrize(("variable", "value"), BAD)
def test_bad_setting_via_the_cli_exits_1_without_a_request(fake, tmp_path, variable, value):
    env = cli_env(fake, tmp_path / "s.db", **{variable: value})
    res = run_cli(["explore", "1706.03762"], env)
    assert res.returncode == 1, res.stderr
    assert res.stderr.startswith(f"error: {variable} ") and res.stderr.count("\n") == 1
    assert "Traceback" not in res.stderr and "s3cr" not in res.stderr + res.stdout
    assert fake.count() == 0


def test_good_settings_are_read():
    s = Settings.from_env({
        "EXPLORER_TIMEOUT": "2.5", "EXPLORER_MAX_RETRIES": "0", "EXPLORER_MIN_INTERVAL": "0",
        "EXPLORER_BACKOFF": "0.01", "S2_API_URL": "http://127.0.0.1:8765/",
        "S2_API_KEY": "abc-DEF_123", "ARXIV_API_URL": "https://export.arxiv.org",
        "EXPLORER_APP_CACHE_MB": "64",
    })
    assert s.app_cache_mb == 64 and Settings.from_env({}).app_cache_mb == 512
    assert (s.timeout, s.max_retries, s.min_interval, s.backoff) == (2.5, 0, 0.0, 0.01)
    assert s.s2_api_url == "http://127.0.0.1:8765" and s.s2_api_key == "abc-DEF_123"
    assert "abc-DEF" not in repr(s)


def test_empty_values_mean_the_defaults():
    s = Settings.from_env({k: "" for k, _ in BAD})
    assert s == Settings(db_path=s.db_path)


def test_the_store_path_comes_from_explorer_db_then_xdg_data_home_then_home(tmp_path,
                                                                           monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Settings.from_env({"EXPLORER_DB": "~/papers.sqlite"}).db_path == (
        tmp_path / "home" / "papers.sqlite")
    assert Settings.from_env({"EXPLORER_DB": str(tmp_path / "a.db"),
                              "XDG_DATA_HOME": "/elsewhere"}).db_path == tmp_path / "a.db"
    assert Settings.from_env({"XDG_DATA_HOME": str(tmp_path / "xdg")}).db_path == (
        tmp_path / "xdg" / "explorer" / "explorer.sqlite")
    assert Settings.from_env({}).db_path == (
        tmp_path / "home" / ".local" / "share" / "explorer" / "explorer.sqlite")
    with pytest.raises(SettingsError) as err:
        Settings.from_env({"EXPLORER_DB": "a\0b"})
    assert err.value.variable == "EXPLORER_DB" and "\0" not in str(err.value)


def test_the_client_uses_the_settings_url_key_and_budget(corpus):
    with FakeS2(corpus_dir=corpus, api_key="sk-test-0123456789") as fake:
        settings = Settings(s2_api_url=fake.url, s2_api_key=fake.api_key, timeout=60,
                            max_retries=0, backoff=0, min_interval=0)
        with settings.s2_client(max_requests=1) as client:
            assert client.paper("ARXIV:1706.03762")["title"] == "Attention Is All You Need"
            with pytest.raises(BudgetExhaustedError):
                client.paper("ARXIV:1810.04805")
        assert [r.api_key for r in fake.requests] == [fake.api_key]
        with replace(settings, s2_api_key="not-the-key").s2_client() as wrong, \
                pytest.raises(AuthError):
            wrong.paper("ARXIV:1706.03762")


def test_the_arxiv_client_asks_the_settings_url(fake):
    record = Settings(arxiv_api_url=fake.url, timeout=60).arxiv_client().lookup("1706.03762")
    assert record.title == "Attention Is All You Need"
    assert [r.path for r in fake.requests] == ["/api/query"]
