"""Seeds from BibTeX and RIS: the same seed set as typed ids; malformed files named by line."""

from __future__ import annotations

import csv
import os
import threading

import pytest

from explorer.seeds.bib import (
    MAX_BIBLIOGRAPHY_BYTES,
    MAX_TITLE_LOOKUPS,
    BadBibliographyError,
    parse_bibliography,
    read_bibliography,
    seeds_from_bibliography,
    seeds_with_upload,
)
from tests.conftest import cli_env, run_cli

LANDMARKS = ["1512.03385", "1606.07792", "1706.03762", "1810.04805", "1808.09781",
             "1909.11942", "1908.05435", "2005.14165", "2110.14168", "2201.11903"]

TEN = r"""@article{he2016,
  title = {Deep Residual Learning for Image Recognition},
  eprint = {1512.03385}, archivePrefix = {arXiv}
}
@inproceedings{cheng2016, title = {Wide {\&} Deep Learning}, arxiv = {1606.07792}}
@misc{vaswani2017, title = {Attention Is All You Need},
  url = {https://arxiv.org/abs/1706.03762v5}}
@article{devlin2018, title = {{BERT}}, doi = {10.48550/arXiv.1810.04805}}
@article{kang2018, eprint = {arXiv:1808.09781}}
@article{lan2019, url = {https://arxiv.org/pdf/1909.11942.pdf}}
@article{wu2019, title = {Temporal Collaborative Ranking Via Personalized Transformer}}
@article{brown2020, title = {Language Models are Few-Shot Learners},
  doi = {https://doi.org/10.48550/arXiv.2005.14165}}
@article{cobbe2021, eprint = {2110.14168}, archiveprefix = {arXiv}}
@article{wei2022,
  title = {Chain-of-Thought Prompting Elicits Reasoning in Large Language Models}}
@article{ghost2024, title = {A paper nobody wrote}, eprint = {2401.99999},
  archivePrefix = {arXiv}}
@book{nothing, author = {Anonymous}}
"""


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_bibtex_of_ten_landmarks_gives_the_same_seeds_as_typed_ids(fake, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(TEN, encoding="utf-8")
    env = cli_env(fake, tmp_path / "a.sqlite")
    from_bib = run_cli(["explore", "--bib", str(bib), "--direction", "references",
                        "--csv", str(tmp_path / "bib.csv")], env)
    assert from_bib.returncode == 0, from_bib.stderr
    typed = run_cli(["explore", *LANDMARKS, "--direction", "references",
                     "--csv", str(tmp_path / "typed.csv")], cli_env(fake, tmp_path / "b.sqlite"))
    assert typed.returncode == 0, typed.stderr
    seeds = [{r["paper_id"] for r in read_csv(tmp_path / f) if r["relation"] == "seed"}
             for f in ("bib.csv", "typed.csv")]
    assert len(seeds[1]) == 10 and seeds[0] == seeds[1]
    assert read_csv(tmp_path / "bib.csv") == read_csv(tmp_path / "typed.csv")
    # the two entries that name no known paper are listed, not dropped
    assert "2 of 12 bibliography entries not found" in from_bib.stderr
    lines = TEN.splitlines()
    ghost = next(i for i, line in enumerate(lines) if line.startswith("@article{ghost2024"))
    nothing = lines.index("@book{nothing, author = {Anonymous}}")
    assert f"unresolved: ghost2024 (line {ghost + 1}) 'A paper nobody wrote'" in from_bib.stderr
    assert f"unresolved: nothing (line {nothing + 1})" in from_bib.stderr


def test_bibliography_fields_become_ids_or_titles():
    seeds, unusable = seeds_from_bibliography(TEN, "bib")
    assert seeds[:6] == ["ARXIV:1512.03385", "ARXIV:1606.07792", "ARXIV:1706.03762",
                         "ARXIV:1810.04805", "ARXIV:1808.09781", "ARXIV:1909.11942"]
    assert "Temporal Collaborative Ranking Via Personalized Transformer" in seeds
    assert [e.key for e in unusable] == ["nothing"]
    ris = ("TY  - JOUR\nID  - bert\nTI  - BERT\nDO  - 10.48550/arXiv.1810.04805\nER  - \n\n"
           "TY  - JOUR\nT1  - Attention Is All You Need\nER  - \n")
    entries = parse_bibliography(ris, "ris")
    assert [(e.key, e.line, e.seed.value) for e in entries] == [
        ("bert", 1, "ARXIV:1810.04805"), ("record 2", 7, "Attention Is All You Need")]


@pytest.mark.parametrize("kind, text, line", [
    ("bib", "@article{ok, title={Fine}}\n\n@article{bad,\n  title = {Broken\n"
            "  doi = {10.1/x}\n\n@misc{c, title={OK one}}\n", 3),
    ("bib", "@article{a, title={One}}\n@article{a, title={Two}}\n", 2),
    ("ris", "TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - Two\n", 4),
    ("ris", "TY  - JOUR\nTI  - One\nER  - \nthis is not RIS\n", 4),
    ("ris", "TY  - JOUR\nTI  - One\nTY  - JOUR\nER  - \n", 3),
])
def test_malformed_files_name_the_line(kind, text, line):
    with pytest.raises(BadBibliographyError, match=rf"line {line}\b"):
        parse_bibliography(text, kind, f"refs.{kind}")


@pytest.mark.parametrize("kind, text, line", [
    ("bib", "@article{ok, title={Attention is all you need}}\n@article{bad,\n title = {x\n"
            "@misc{c, title={y}}\n", 2),
    ("ris", "TY  - JOUR\nTI  - Attention is all you need\nER  - \nXX garbage\n", 4),
])
def test_cli_rejects_a_malformed_file_before_any_request(fake, tmp_path, kind, text, line):
    path = tmp_path / f"refs.{kind}"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    res = run_cli(["explore", f"--{kind}", str(path), "--csv", str(out)],
                  cli_env(fake, tmp_path / "db.sqlite"))
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [res.stderr.strip()]  # one line
    assert res.stderr.startswith(f"error: refs.{kind} line {line}")
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    assert fake.count() == 0


# bounded inputs


def test_a_bibliography_over_the_size_limit_is_refused_in_one_line(tmp_path):
    path = tmp_path / "huge.bib"
    path.write_bytes(b"% padding\n" * (MAX_BIBLIOGRAPHY_BYTES // 10 + 1))
    with pytest.raises(BadBibliographyError) as err:
        read_bibliography(path)
    assert str(err.value) == f"{path}: larger than {MAX_BIBLIOGRAPHY_BYTES // 2**20} MB; " \
        "split it into smaller files"


def test_a_pipe_is_read_with_a_bounded_read(tmp_path):
    fifo = tmp_path / "refs.bib"
    os.mkfifo(fifo)
    sent = []

    def feed() -> None:
        try:
            with open(fifo, "wb") as f:
                for _ in range(4 * MAX_BIBLIOGRAPHY_BYTES // 2**16):
                    f.write(b"\0" * 2**16)
                    sent.append(1)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed)
    writer.start()
    with pytest.raises(BadBibliographyError, match="larger than"):
        read_bibliography(fifo)
    writer.join()
    assert len(sent) < 4 * MAX_BIBLIOGRAPHY_BYTES // 2**16  # stopped reading, not drained


def test_the_app_upload_has_the_same_size_limit():
    with pytest.raises(BadBibliographyError, match="larger than"):
        seeds_with_upload([], b" " * (MAX_BIBLIOGRAPHY_BYTES + 1), "refs.bib")


def test_title_lookups_are_capped_before_any_request(fake, tmp_path):
    titles = "".join(f"@article{{t{i}, title = {{An unknown paper number {i}}}}}\n"
                     for i in range(MAX_TITLE_LOOKUPS + 1))
    with pytest.raises(BadBibliographyError) as err:
        parse_bibliography(titles, "bib", "refs.bib")
    assert str(err.value).startswith(f"refs.bib: {MAX_TITLE_LOOKUPS + 1} entries have only a "
                                     f"title, and each costs one request; at most "
                                     f"{MAX_TITLE_LOOKUPS} per run")
    path = tmp_path / "refs.bib"
    path.write_text(titles, encoding="utf-8")
    res = run_cli(["explore", "--bib", str(path)], cli_env(fake, tmp_path / "db.sqlite"))
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1
    assert fake.count() == 0


def test_many_unresolved_entries_are_summed_up_not_listed(fake, tmp_path):
    unknown = "".join(f"@article{{u{i}, doi = {{10.5555/nobody.{i}}}}}\n" for i in range(40))
    path = tmp_path / "refs.bib"
    path.write_text("@article{known, eprint = {1706.03762}}\n" + unknown, encoding="utf-8")
    env = cli_env(fake, tmp_path / "db.sqlite")
    res = run_cli(["explore", "--bib", str(path), "--direction", "references"], env)
    assert res.returncode == 0, res.stderr
    assert "40 of 41 bibliography entries not found" in res.stderr
    assert res.stderr.count("unresolved: ") == 5 and "and 35 more" in res.stderr
    assert len(res.stderr.splitlines()) < 20 and max(map(len, res.stderr.splitlines())) < 300
    full = run_cli(["-v", "explore", "--bib", str(path), "--direction", "references",
                    "--offline"], env)
    assert full.stderr.count("unresolved: ") == 40


def test_a_bibliography_of_unknown_papers_fails_in_one_short_line(fake, tmp_path):
    unknown = "".join(f"@article{{u{i}, doi = {{10.5555/nobody.{i}}}}}\n" for i in range(300))
    path = tmp_path / "refs.bib"
    path.write_text(unknown, encoding="utf-8")
    res = run_cli(["explore", "--bib", str(path)], cli_env(fake, tmp_path / "db.sqlite"))
    assert res.returncode == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and len(errors[0]) < 600, len(errors[0])
    assert "unknown paper: DOI:10.5555/nobody.0;" in errors[0] and "and 292 more" in errors[0]
