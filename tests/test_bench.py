"""The benchmarks that serve a corpus: a folder without one costs one line naming the option."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("script", ["walk.py", "peers.py", "app.py", "offline.py", "overlap.py",
                                    "inbox.py", "export_kinds.py", "maps.py",
                                    "app_memory.py", "bulk_parity.py"])
def test_a_folder_without_a_corpus_is_one_line_naming_the_option(script, tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--corpus",
                           str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert f"in {tmp_path}: pass --corpus DIR" in done.stderr
