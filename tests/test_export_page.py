"""The Export page through Streamlit's AppTest: the Markdown naming choice reaches the zip,
and notes are written into a vault without touching the user's own."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.conftest import cli_env
from ui import common

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "3_Export_and_watch.py")


def test_export_page_names_notes_by_citekey_and_writes_into_a_vault(fake, tmp_path,
                                                                     monkeypatch, cli):
    env = cli_env(fake, tmp_path / "db.sqlite")
    for key in ("S2_API_URL", "ARXIV_API_URL", "EXPLORER_DB", "EXPLORER_MIN_INTERVAL"):
        monkeypatch.setenv(key, env[key])
    assert cli(["list", "add", "1706.03762", "1810.04805", "--tag", "nlp"], env).returncode == 0
    made: list[MemoryMediaFileStorage] = []
    original = MemoryMediaFileStorage.__init__

    def init(self, endpoint):  # type: ignore[no-untyped-def]
        original(self, endpoint)
        made.append(self)

    monkeypatch.setattr(MemoryMediaFileStorage, "__init__", init)
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    at.radio(key="md_naming").set_value("citekey").run()
    assert not at.exception, at.exception
    [button] = [b for b in at.get("download_button") if b.proto.id.endswith("dl_list_markdown")]
    name = button.proto.url.rsplit("/", 1)[-1]
    zipped = next(s.get_file(name).content for s in reversed(made) if _has(s, name))
    names = sorted(zipfile.ZipFile(io.BytesIO(zipped)).namelist())
    assert names == ["Reading notes/@devlin2018bert.md", "Reading notes/@vaswani2017attention.md",
                     "Reading notes/Index.md"]

    vault = tmp_path / "vault"
    (vault / "Reading notes").mkdir(parents=True)
    mine = vault / "Reading notes" / "@vaswani2017attention.md"
    mine.write_bytes(b"---\ncitekey: vaswani2017attention\n---\nmine\n")
    at.text_input(key="vault_dir").set_value(str(vault))
    at.button[-1].click().run()
    assert not at.exception, at.exception
    where = common.md(str(vault / "Reading notes"))
    assert [s.value for s in at.success] == [f"Wrote 2 notes to {where}."]
    assert mine.read_bytes() == b"---\ncitekey: vaswani2017attention\n---\nmine\n"
    assert sorted(p.name for p in (vault / "Reading notes").iterdir()) == [
        "@devlin2018bert.md", "@vaswani2017attention.md", "Index.md"]


def _has(storage: MemoryMediaFileStorage, name: str) -> bool:
    try:
        storage.get_file(name)
    except Exception:  # noqa: BLE001 - another run's storage
        return False
    return True
