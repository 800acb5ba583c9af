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


def test_bulk_parity_on_a_synthetic_release_ranks_the_same_with_no_request(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "bulk_parity.py"),
                           "--synthetic", "400", "--seeds", "3"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "explore  same ranking for 3/3 seeds" in done.stdout
    assert "cites    same ranking for 3/3 seeds" in done.stdout
    assert "applied to the local graph: same ranking for 3/3 seeds" in done.stdout
    assert "requests to the fake during the local runs: 0\n" in done.stdout
    assert "peak RSS" in done.stdout
