"""The CLI when the network fails: a missing host, a stalled answer, a strict rate limit."""

from __future__ import annotations

from tests.conftest import cli_env, run_cli


def test_refused_connection_is_one_line_naming_the_host(tmp_path):
    env = cli_env_without_fake(tmp_path, S2_API_URL="http://127.0.0.1:9")
    res = run_cli(["explore", "1706.03762"], env, timeout=60)
    assert res.returncode == 2, res.stderr
    [line] = [x for x in res.stderr.splitlines() if x.startswith("error:")]
    assert "127.0.0.1:9" in line and "--offline" in line and "make demo" in line
    assert "Traceback" not in res.stderr


def test_trickling_server_is_stopped_at_the_deadline(fake, tmp_path):
    fake.inject(None, trickle=0.05, times=None, path_contains="/paper/batch")
    env = cli_env(fake, tmp_path / "s.db", EXPLORER_TIMEOUT="1", EXPLORER_MAX_RETRIES="1")
    res = run_cli(["explore", "1706.03762"], env)
    assert res.returncode == 2, res.stderr
    assert "did not answer in full within 1 s (2 attempts" in res.stderr
    ended = fake.wait_trickles(2)
    assert len(ended) == 2 and all(sent < size for sent, size in ended), ended


def cli_env_without_fake(tmp_path, **extra: str) -> dict[str, str]:
    class Nowhere:
        url = "http://127.0.0.1:9"

    return cli_env(Nowhere(), tmp_path / "s.db", EXPLORER_MIN_INTERVAL="1",  # type: ignore[arg-type]
                   EXPLORER_BACKOFF="1", **extra)
