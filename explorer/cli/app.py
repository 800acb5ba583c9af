"""``explorer app``: the Streamlit app, from a checkout or from the installed wheel.

The app runs as ``python -m streamlit run app.py`` (the process becomes it, or on Windows starts
it as a child), so the package itself never imports Streamlit.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import explorer
from explorer.cli.common import add_common, formatter
from explorer.config import Settings
from explorer.errors import ExplorerError

APP_HELP = """\
Start the app in the browser: the citation graph, the ranked table, Who cites, Maps, Export
and watch. It listens on 127.0.0.1 (this machine only) unless told otherwise, and Streamlit's
usage statistics are off. Stop it with Ctrl-C.

examples:
  explorer app
  explorer app --port 8502
  explorer app --host 0.0.0.0 --db ~/papers.sqlite
"""


class AppMissingError(ExplorerError):
    """Neither a checkout nor the installed package holds the app; ``looked`` says where."""

    exit_code = 1

    def __init__(self, looked: list[Path]):
        super().__init__("the app (app.py, pages/, ui/) is not beside the explorer package; "
                         f"looked in {', '.join(str(p) for p in looked)}")
        self.looked = looked


def app_folder(package_dir: Path | None = None) -> Path:
    """The folder holding ``app.py``, ``pages/`` and ``ui/``.

    Parameters
    ----------
    package_dir : Path, optional
        The folder of the ``explorer`` package (default: the one imported).

    Returns
    -------
    Path
        The checkout's top folder when explorer runs from a checkout, else the
        ``explorer_app`` folder the wheel installs beside the package.

    Raises
    ------
    AppMissingError
        When neither holds a complete app.
    """
    base = (package_dir or Path(explorer.__file__).parent).resolve().parent
    candidates = [base, base / "explorer_app"]
    for folder in candidates:
        if all((folder / part).exists() for part in ("app.py", "pages", "ui")):
            return folder
    raise AppMissingError(candidates)


DISCONNECTED_SESSION_TTL = 10
"""Seconds Streamlit keeps the session of a closed tab (default 120): a session's widget
callbacks hold its page's whole namespace, exploration included, beyond the app's byte budget."""


def streamlit_command(folder: Path, host: str, port: int) -> list[str]:
    """The command line that serves the app in ``folder`` on ``host:port``, quietly."""
    return [
        sys.executable, "-m", "streamlit", "run", str(folder / "app.py"),
        "--server.address", host, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--client.showSidebarNavigation", "false",
        "--server.disconnectedSessionTTL", str(DISCONNECTED_SESSION_TTL),
    ]


def port_number(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"a port is a number from 1 to 65535, not {text!r}")
    return int(text)


def add_app(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("app", help="start the app in the browser", description=APP_HELP,
                       formatter_class=formatter)
    p.add_argument("--port", type=port_number, default=8501, metavar="N",
                   help="port to listen on (default 8501)")
    p.add_argument("--host", default="127.0.0.1", metavar="H",
                   help="address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    add_common(p)
    p.set_defaults(run=run_app)


def run_app(args: argparse.Namespace, settings: Settings) -> int:
    folder = app_folder()
    env = dict(os.environ)
    if args.db:
        env["EXPLORER_DB"] = str(Path(args.db).expanduser())
    if settings.graph_path is not None:
        env["EXPLORER_GRAPH"] = str(settings.graph_path)
    command = streamlit_command(folder, args.host, args.port)
    print(f"explorer app on http://{args.host}:{args.port} (Ctrl-C stops it)", file=sys.stderr,
          flush=True)
    if os.name == "posix":  # become Streamlit: a signal sent to `explorer app` reaches it
        os.execve(command[0], command, env)
    return subprocess.call(command, env=env)
