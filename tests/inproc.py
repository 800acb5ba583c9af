"""Run the `explorer` command inside the test process (fast), with the environment of
:func:`tests.conftest.cli_env`; the subprocess runner stays for end-to-end checks."""

from __future__ import annotations

import subprocess

import pytest

from explorer.cli.main import main


def run_main(args: list[str], env: dict[str, str], monkeypatch: pytest.MonkeyPatch,
             capfd: pytest.CaptureFixture[str]) -> subprocess.CompletedProcess[str]:
    for key in ("S2_API_URL", "ARXIV_API_URL", "EXPLORER_DB", "EXPLORER_MIN_INTERVAL",
                "EXPLORER_BACKOFF", "EXPLORER_TIMEOUT"):
        monkeypatch.setenv(key, env[key])
    capfd.readouterr()
    try:
        code = main(args)
    except SystemExit as exc:  # argparse errors and --help
        code = int(exc.code or 0)
    out, err = capfd.readouterr()
    return subprocess.CompletedProcess(args, code, out, err)
