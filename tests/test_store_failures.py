"""Store failures end to end: a full disk, a newer store, a read-only store and concurrent
reading-list edits, through the `explorer` command (and the app for a full disk); and a
Markdown export stopped by a full disk."""

from __future__ import annotations

import errno
import gc
import io
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.exports import ExportSet, export
from explorer.exports.to_markdown import MARKER
from explorer.sources.s2 import S2Client
from explorer.store import Store
from explorer.tasks import watch
from tests.conftest import cli_env
from tests.test_app import explore, new_app
from tests.test_exports import ten_linked
from tests.test_store import as_read_only, limit_pages, newer_store
from tests.test_watch import BERT, TRANSFORMER, set_count
from ui import common

PID = "ab" * 20


def offline_env(tmp_path: Path) -> dict[str, str]:
    db = tmp_path / "s.sqlite"
    return {"S2_API_URL": "http://127.0.0.1:9", "ARXIV_API_URL": "http://127.0.0.1:9",
            "EXPLORER_DB": str(db), "EXPLORER_MIN_INTERVAL": "0", "EXPLORER_BACKOFF": "0",
            "EXPLORER_TIMEOUT": "5"}


def stored_paper(db: Path, tags: list[str]) -> None:
    store = Store(db)
    store.put_papers([{"paperId": PID, "title": "A stored paper"}])
    store.list_set(PID, tags=tags)
    store.close()


def test_untag_does_not_lose_a_tag_written_between_its_read_and_write(tmp_path, cli,
                                                                      monkeypatch):
    env = offline_env(tmp_path)
    stored_paper(Path(env["EXPLORER_DB"]), ["a", "b"])
    real = Store.list_set
    other = Store(env["EXPLORER_DB"])

    def racing(self, paper_id, **kw):
        # Another process tags the paper just before this write (after any read outside it).
        real(other, paper_id, add_tags=["written meanwhile"])
        return real(self, paper_id, **kw)

    monkeypatch.setattr(Store, "list_set", racing)
    res = cli(["list", "set", PID, "--untag", "a", "--offline"], env)
    assert res.returncode == 0, res.stderr
    monkeypatch.setattr(Store, "list_set", real)
    assert Store(env["EXPLORER_DB"]).list_items()[0].tags == ("b", "written meanwhile")


def test_a_newer_store_is_one_line_and_untouched(tmp_path, cli):
    env = offline_env(tmp_path)
    newer_store(Path(env["EXPLORER_DB"]))
    before = Path(env["EXPLORER_DB"]).read_bytes()
    for args in (["list", "show"], ["list", "add", PID, "--offline"]):
        res = cli(args, env)
        assert res.returncode == 1
        assert res.stderr.count("\n") == 1 and "newer" in res.stderr, res.stderr
        assert "Traceback" not in res.stderr
    assert Path(env["EXPLORER_DB"]).read_bytes() == before


def test_a_read_only_store_serves_reads_and_refuses_writes_in_one_line(tmp_path, cli):
    env = offline_env(tmp_path)
    db = Path(env["EXPLORER_DB"])
    stored_paper(db, ["kept"])
    with pytest.MonkeyPatch.context() as mp:
        as_read_only(mp, db, tmp_path)
        res = cli(["list", "show"], env)
        assert res.returncode == 0 and "A stored paper" in res.stdout, res.stderr
        res = cli(["show", PID, "--offline"], env)
        assert res.returncode == 0 and "A stored paper" in res.stdout, res.stderr
        res = cli(["list", "set", PID, "--tag", "new", "--offline"], env)
        assert res.returncode == 1
        assert res.stderr.count("\n") == 1 and "read-only" in res.stderr, res.stderr
    assert Store(db).list_items()[0].tags == ("kept",)


def filling_up(monkeypatch, extra_pages: int) -> None:
    """Every store opened from now on is 'full' ``extra_pages`` pages past its size at open."""
    real = Store.__init__

    def small(self, path):
        real(self, path)
        limit_pages(self, extra_pages)

    monkeypatch.setattr(Store, "__init__", small)


def test_a_full_disk_mid_walk_is_one_line_and_the_rerun_completes(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "s.sqlite")
    clean = cli_env(fake, tmp_path / "clean.sqlite")
    args = ["explore", "ARXIV:1706.03762", "--top", "0", "--csv", str(tmp_path / "out.csv")]
    with pytest.MonkeyPatch.context() as mp:
        filling_up(mp, 20)
        res = cli(args, env)
    assert res.returncode == 2, res.stderr
    assert res.stderr.count("\n") == 1 and "full" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and not (tmp_path / "out.csv").exists()
    store = Store(env["EXPLORER_DB"])
    assert store.integrity_ok() and 0 < store.count_papers()
    store.close()
    assert cli(args, env).returncode == 0
    resumed = (tmp_path / "out.csv").read_text(encoding="utf-8")
    args[-1] = str(tmp_path / "clean.csv")
    assert cli(args, clean).returncode == 0
    assert resumed == (tmp_path / "clean.csv").read_text(encoding="utf-8")


@pytest.fixture
def app_env(fake, tmp_path, monkeypatch):
    values = cli_env(fake, tmp_path / "app.sqlite")
    for key in ("S2_API_URL", "ARXIV_API_URL", "EXPLORER_DB", "EXPLORER_TIMEOUT",
                "EXPLORER_MIN_INTERVAL", "EXPLORER_BACKOFF"):
        monkeypatch.setenv(key, values[key])
    return values


def test_a_full_disk_mid_walk_is_one_line_in_the_app_and_continuing_completes(app_env, fake):
    with pytest.MonkeyPatch.context() as mp:
        filling_up(mp, 20)
        at = explore(new_app(), "1706.03762", depth=1)
        assert not at.exception, at.exception
        [error] = [e.value for e in at.error]
    assert "is full" in error and "Continue the walk" in error and "\n" not in error
    store = Store(app_env["EXPLORER_DB"])
    assert store.integrity_ok()
    store.close()
    common.store()._db.execute("PRAGMA max_page_count = 1073741823")  # space was freed
    [resume] = [b for b in at.button if b.label == "Continue the walk"]
    resume.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert len(at.session_state["_shown"]) == 50


def test_a_markdown_export_stopped_by_a_full_disk_leaves_no_empty_or_cut_note(tmp_path,
                                                                             monkeypatch):
    out = tmp_path / "vault"
    export(ten_linked(), "markdown", out)
    mine = "\nmy own notes\n"
    for note in out.iterdir():
        note.write_text(note.read_text(encoding="utf-8") + mine, encoding="utf-8")
    before = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    real_open = Path.open
    opened = []

    class FullDisk(io.StringIO):
        """Takes the first half of what is written, then the disk is full."""

        def __init__(self, target):
            super().__init__()
            self.target = target

        def write(self, text):
            real_open(self.target, "a", encoding="utf-8").write(text[: len(text) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    def filling(self, mode="r", *args, **kwargs):
        if "w" in mode:
            opened.append(self)
            if len(opened) >= 3:
                real_open(self, "w").close()
                return FullDisk(self)
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", filling)
    data = ten_linked()
    changed = ExportSet(data.title, [replace(e, tags=("retagged",)) for e in data.entries],
                        data.graph)
    with pytest.raises(OSError, match="No space left") as info:
        export(changed, "markdown", out)
    monkeypatch.undo()
    assert info.value.errno == errno.ENOSPC and len(opened) == 3
    after = {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}
    assert set(after) == set(before)  # no .part left, no note lost
    for name, text in after.items():
        assert text == before[name] or (text.endswith(mine) and "retagged" in text), name
    opened.clear()
    monkeypatch.setattr(Path, "open", filling)
    with pytest.raises(OSError, match="No space left"):
        export(data, "markdown", tmp_path / "fresh")
    monkeypatch.undo()
    written = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "fresh").iterdir()}
    assert len(written) == 2 and all(t.endswith(MARKER + "\n") for t in written.values())


def test_offline_explore_and_export_work_on_a_read_only_store(fake, tmp_path, cli):
    env = cli_env(fake, tmp_path / "s.sqlite")
    seed = ["ARXIV:1706.03762", "--top", "5"]
    written = cli(["explore", *seed], env)
    assert written.returncode == 0, written.stderr
    db = Path(env["EXPLORER_DB"])
    gc.collect()  # the in-process run's connection closes, as its process would
    Store(db).close()  # the last connection out checkpoints the log into the file
    before = db.read_bytes()
    fake.reset()
    with pytest.MonkeyPatch.context() as mp:
        as_read_only(mp, db, tmp_path)
        res = cli(["explore", *seed, "--offline"], env)
        assert res.returncode == 0, res.stderr
        assert res.stdout.splitlines()[:-1] == written.stdout.splitlines()[:-1]  # all but counts
        (tmp_path / "out").mkdir()
        out = tmp_path / "out" / "list.bib"
        res = cli(["export", "--from", "last", "--format", "bibtex", "--out", str(out)], env)
        assert res.returncode == 0, res.stderr
        assert "title = {Attention Is All You Need}" in out.read_text(encoding="utf-8")
    assert fake.count() == 0 and db.read_bytes() == before
    assert len(Store(db)._query("SELECT * FROM explorations")) == 1  # nothing was written


def test_a_watch_removed_during_a_check_gets_no_citers_back(fake, tmp_path, monkeypatch):
    set_count(fake, TRANSFORMER)
    set_count(fake, BERT)
    db = tmp_path / "s.sqlite"
    store, other = Store(db), Store(db)
    watch.add(store, [TRANSFORMER, BERT])
    real = watch._read_citations

    def removed_meanwhile(store_, client, pid, known, target):
        found = real(store_, client, pid, known, target)
        if pid == TRANSFORMER:
            watch.remove(other, [TRANSFORMER])  # `watch remove` in another process
        return found

    monkeypatch.setattr(watch, "_read_citations", removed_meanwhile)
    client = S2Client(fake.url, None, min_interval=0)
    try:
        report = watch.check(store, client)
    finally:
        client.close()
    assert [p.paper_id for p, _ in report.baselines] == [BERT]
    assert [w.paper.paper_id for w in watch.watched(store)] == [BERT]
    assert store._query("SELECT count(*) FROM watch_citers WHERE watched = ?",
                        (TRANSFORMER,)) == [(0,)]
