"""``data/make_sample.py``: the repository's sample corpus is whole and rebuilds byte for byte."""

from __future__ import annotations

import gzip
import importlib.util
import subprocess
import sys

from tests.conftest import CORPUS, ROOT

SCRIPT = ROOT / "data" / "make_sample.py"
NAMES = ("papers.jsonl.gz", "citations.jsonl.gz")


def load_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_sample", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_rebuilds_byte_for_byte_from_its_own_records(tmp_path):
    source = tmp_path / "full"
    source.mkdir()
    for name in NAMES:  # the full corpus is the sample's records, with a blank line to drop
        (source / name.removesuffix(".gz")).write_bytes(
            gzip.decompress((CORPUS / name).read_bytes()) + b"\n")
    counts = load_script().make_sample(source, tmp_path / "out")
    assert counts == {"papers.jsonl": 1788, "citations.jsonl": 2008}
    for name in NAMES:
        assert (tmp_path / "out" / name).read_bytes() == (CORPUS / name).read_bytes(), name


def test_missing_source_is_one_line_naming_what_to_pass(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--source", str(tmp_path / "none"),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "--source" in done.stderr
    assert not (tmp_path / "out").exists()
