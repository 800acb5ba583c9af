"""The wheel built from the repository holds the package, the app (app.py, every page, ui/)
and the licence; ``explorer app`` finds the app in a checkout and beside the installed package,
and listens on 127.0.0.1 with Streamlit's usage statistics off.

Building needs setuptools from the package index (pip's build isolation).
"""

from __future__ import annotations

import email
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from explorer.cli.app import AppMissingError, app_folder, streamlit_command
from explorer.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the checkout without its build output: setuptools
    would ship whatever a stale build/ folder still holds."""
    source = tmp_path_factory.mktemp("source") / "explorer"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "artifacts",
        "*.sqlite*"))
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    [path] = out.glob("explorer-*.whl")
    return path


def test_wheel_holds_the_package_the_app_every_page_and_ui(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    package = {p.relative_to(ROOT).as_posix() for p in (ROOT / "explorer").rglob("*.py")}
    package |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "explorer/render/vendor").iterdir()}
    app = {"explorer_app/app.py"} | {
        f"explorer_app/{p.relative_to(ROOT).as_posix()}"
        for folder in ("pages", "ui") for p in (ROOT / folder).glob("*.py")
    }
    assert len(app) >= 6 and {"explorer_app/pages/2_Maps.py", "explorer_app/ui/common.py"} <= app
    assert package - names == set()
    assert app - names == set()
    assert not any(n.startswith(("tests/", "bench/", "ui/", "pages/", "app.py")) for n in names)


def test_wheel_metadata_names_the_licence_and_the_floors(wheel):
    with zipfile.ZipFile(wheel) as zf:
        [meta_name] = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        meta = email.message_from_bytes(zf.read(meta_name))
        licence = zf.read(meta_name.replace("METADATA", "licenses/LICENSE")).decode()
    assert meta["License-Expression"] == "MIT" and licence.startswith("MIT License")
    assert meta["Author"] and meta["Keywords"] and meta.get_all("Classifier")
    assert "streamlit>=1.56" in meta.get_all("Requires-Dist")  # st.iframe came in 1.56


def test_app_runs_from_the_checkout():
    assert app_folder() == ROOT


def test_app_runs_from_the_installed_folder_beside_the_package(tmp_path):
    (tmp_path / "explorer").mkdir()
    for part in ("explorer_app/pages", "explorer_app/ui"):
        (tmp_path / part).mkdir(parents=True)
    (tmp_path / "explorer_app" / "app.py").touch()
    assert app_folder(tmp_path / "explorer") == tmp_path / "explorer_app"


def test_a_missing_app_says_where_it_looked(tmp_path):
    (tmp_path / "explorer").mkdir()
    with pytest.raises(AppMissingError) as err:
        app_folder(tmp_path / "explorer")
    assert err.value.looked == [tmp_path, tmp_path / "explorer_app"]
    assert str(tmp_path / "explorer_app") in str(err.value)


def test_app_listens_on_this_machine_only_with_usage_statistics_off():
    args = build_parser().parse_args(["app"])
    command = streamlit_command(ROOT, args.host, args.port)
    assert (args.host, args.port) == ("127.0.0.1", 8501)
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--browser.gatherUsageStats") + 1] == "false"


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_app_refuses_a_port_that_is_no_port(port, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["app", "--port", port])
    assert exit_.value.code == 1 and "a port is a number" in capsys.readouterr().err
