"""A closed tab does not keep its exploration: Streamlit drops a disconnected session (whose
widget callbacks hold the page's whole namespace, exploration included) after seconds, not
the two minutes of its default, in `streamlit run app.py` and `explorer app` alike."""

from __future__ import annotations

import tomllib
from pathlib import Path

from explorer.cli.app import DISCONNECTED_SESSION_TTL, streamlit_command
from tests.conftest import ROOT


def test_explorer_app_drops_a_closed_tab_session_within_seconds():
    command = streamlit_command(Path("/app"), "127.0.0.1", 8501)
    ttl = int(command[command.index("--server.disconnectedSessionTTL") + 1])
    assert ttl == DISCONNECTED_SESSION_TTL <= 15


def test_the_checkout_config_drops_it_as_soon():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["disconnectedSessionTTL"] == DISCONNECTED_SESSION_TTL
