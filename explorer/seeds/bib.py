"""Seeds from a bibliography: BibTeX (through bibtexparser) or RIS (through rispy).

Each entry becomes a seed: an id from its ``doi``, ``eprint``/``archivePrefix``, ``arxiv`` or
``url`` field (parsed by :func:`explorer.seeds.ids.parse_seed`), else its title, which S2 matches.
Entries with neither are kept, marked unusable, so they can be listed rather than dropped.
A malformed file raises :class:`BadBibliographyError` naming the line; nothing is returned
half-parsed.

The work a bibliography can ask for is bounded before any request: a file is read with a
bounded read and refused past :data:`MAX_BIBLIOGRAPHY_BYTES` (``/dev/zero`` or a pipe cannot
fill the memory), and one gives at most :data:`MAX_SEEDS` seeds, of which at most
:data:`MAX_TITLE_LOOKUPS` are titles (each title costs one request; ids are looked up 500 to
a request).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
import rispy
from bibtexparser.model import DuplicateBlockKeyBlock, ParsingFailedBlock

from explorer.errors import BadInputError, BadSeedError
from explorer.seeds.ids import Seed, parse_seed
from explorer.store import Store

__all__ = [
    "KINDS",
    "MAX_BIBLIOGRAPHY_BYTES",
    "MAX_SEEDS",
    "MAX_TITLE_LOOKUPS",
    "BadBibliographyError",
    "Entry",
    "entry_of",
    "parse_bibliography",
    "read_bibliography",
    "seeds_from_bibliography",
    "seeds_with_upload",
    "unresolved",
]

KINDS = ("bib", "ris")
MAX_BIBLIOGRAPHY_BYTES = 5 * 2**20
MAX_SEEDS = 1000
MAX_TITLE_LOOKUPS = 100
ID_FIELDS = ("doi", "eprint", "arxiv", "arxivid", "url")
_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_BRACES = str.maketrans("", "", "{}")


class BadBibliographyError(BadInputError):
    """A bibliography that cannot be parsed; the message names the file's line."""


@dataclass(frozen=True)
class Entry:
    """One bibliography entry and the seed it gives (``None`` when it gives none)."""

    key: str
    line: int
    title: str | None
    seed: Seed | None
    problem: str | None = None

    @property
    def label(self) -> str:
        title = f" {self.title[:70]!r}" if self.title else ""
        return f"{self.key} (line {self.line}){title}"


def _clean(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return " ".join(str(value or "").translate(_BRACES).split())


def _arxiv(value: str) -> str:
    return value if value.lower().startswith("arxiv") else "arXiv:" + value


def entry_of(key: str, line: int, fields: Mapping[str, object]) -> Entry:
    """The entry a record's BibTeX-named fields give: its seed from ``doi``, ``eprint``
    (with ``archivePrefix``), ``arxiv``, ``arxivid`` or ``url``, else from ``title``."""
    f = {k.lower(): _clean(v) for k, v in fields.items()}
    title = f.get("title") or None
    candidates: list[str] = []
    if f.get("doi"):
        candidates.append(f["doi"] if f["doi"].lower().startswith(("doi:", "http"))
                          else "DOI:" + f["doi"])
    eprint = f.get("eprint")
    prefix = f.get("archiveprefix", "").lower()
    if eprint and (prefix in ("arxiv", "") or "arxiv" in eprint.lower()):
        candidates.append(_arxiv(eprint))
    candidates += [_arxiv(f[name]) for name in ("arxiv", "arxivid") if f.get(name)]
    if f.get("url"):
        candidates.append(f["url"])
    problems: list[str] = []
    for text in candidates:
        try:
            seed = parse_seed(text)
        except BadSeedError as exc:
            problems.append(str(exc))
            continue
        if seed.kind == "id":
            return Entry(key, line, title, Seed("id", seed.value, f"{key}: {seed.text}"))
    if title:
        try:
            seed = parse_seed(title)
        except BadSeedError as exc:
            problems.append(str(exc))
        else:
            return Entry(key, line, title, Seed(seed.kind, seed.value, f"{key}: {seed.text}"))
    problems.append("no doi, eprint, arxiv or url field and no usable title")
    return Entry(key, line, title, None, problems[-1] if not candidates else problems[0])


def _bibtex(text: str, name: str) -> list[Entry]:
    lib = bibtexparser.parse_string(text)
    for block in lib.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            raise BadBibliographyError(
                f"{name} line {line}: duplicate entry key {block.key!r}")
        reason = getattr(block.error, "abort_reason", None) if isinstance(
            block, ParsingFailedBlock) else None
        raw = (block.raw or "").strip()
        head = raw.splitlines()[0][:60] if raw else ""
        raise BadBibliographyError(
            f"{name} line {line}: cannot parse {head!r}"
            + (f" ({' '.join(str(reason).split())})" if reason else ""))
    entries = [entry_of(e.key, (e.start_line or 0) + 1,
                      {k: f.value for k, f in e.fields_dict.items()}) for e in lib.entries]
    if not entries:
        raise BadBibliographyError(f"{name}: no BibTeX entries (expected @article{{key, ...}})")
    return entries


def _check_ris(lines: Sequence[str], name: str) -> list[int]:
    """Line numbers (1-based) of each record's TY line; raise on the first malformed line."""
    starts: list[int] = []
    open_at: int | None = None
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n").lstrip("\ufeff")
        if not line.strip():
            continue
        m = _RIS_TAG.match(line.rstrip())
        if m is None and open_at is not None and not line[:1].isspace() and \
                not re.match(r"^[A-Z][A-Z0-9]\s*-", line):
            # a wrapped value: some exporters continue a long abstract on the next line
            continue
        if m is None:
            raise BadBibliographyError(
                f"{name} line {number}: not an RIS line (expected 'XX  - value'): {line[:60]!r}")
        tag = m.group(1)
        if tag == "TY":
            if open_at is not None:
                raise BadBibliographyError(
                    f"{name} line {number}: TY before the record opened on line {open_at} "
                    "was closed with ER")
            open_at = number
            starts.append(number)
        elif tag == "ER":
            if open_at is None:
                raise BadBibliographyError(f"{name} line {number}: ER without a TY record")
            open_at = None
        elif open_at is None:
            raise BadBibliographyError(
                f"{name} line {number}: {tag} outside a record (records start with 'TY  - ')")
    if open_at is not None:
        raise BadBibliographyError(
            f"{name} line {open_at}: record not closed with 'ER  - ' by the end of the file")
    if not starts:
        raise BadBibliographyError(f"{name}: no RIS records (expected 'TY  - JOUR' ...)")
    return starts


def _ris(text: str, name: str) -> list[Entry]:
    starts = _check_ris(text.splitlines(), name)
    try:
        records = rispy.loads(text, skip_unknown_tags=True)
    except Exception as exc:  # rispy raises bare exceptions on odd input
        raise BadBibliographyError(f"{name}: cannot parse RIS ({exc})") from exc
    if len(records) != len(starts):
        raise BadBibliographyError(
            f"{name}: found {len(starts)} records but could parse {len(records)}")
    out = []
    for i, (rec, line) in enumerate(zip(records, starts, strict=True), 1):
        fields: dict[str, object] = {
            "title": rec.get("title") or rec.get("primary_title"),
            "doi": rec.get("doi"),
            "url": (rec.get("urls") or [None])[0],
        }
        out.append(entry_of(str(rec.get("id") or f"record {i}"), line, fields))
    return out


def parse_bibliography(text: str, kind: str, name: str = "bibliography") -> list[Entry]:
    """Entries of a BibTeX (``kind="bib"``) or RIS (``kind="ris"``) text, in file order.

    Raises
    ------
    BadBibliographyError
        On the first malformed entry or line, naming it; or when there is no entry at all.
    """
    if kind not in KINDS:
        raise BadInputError(f"bibliography kind must be one of {', '.join(KINDS)}, not {kind!r}")
    entries = _bibtex(text, name) if kind == "bib" else _ris(text, name)
    _check_work(entries, name)
    return entries


def _check_work(entries: Sequence[Entry], name: str) -> None:
    seeds = [e.seed for e in entries if e.seed is not None]
    titles = sum(1 for s in seeds if s.kind == "title")
    if titles > MAX_TITLE_LOOKUPS:
        raise BadBibliographyError(
            f"{name}: {titles} entries have only a title, and each costs one request; at most "
            f"{MAX_TITLE_LOOKUPS} per run: add their DOIs or arXiv ids, or split the file")
    if len(seeds) > MAX_SEEDS:
        raise BadBibliographyError(
            f"{name}: {len(seeds)} entries to look up, at most {MAX_SEEDS} per run; "
            "split the file")


def _too_big(name: str) -> BadBibliographyError:
    return BadBibliographyError(
        f"{name}: larger than {MAX_BIBLIOGRAPHY_BYTES // 2**20} MB; split it into smaller files")


def _decode(data: bytes, name: str) -> str:
    if len(data) > MAX_BIBLIOGRAPHY_BYTES:
        raise _too_big(name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadBibliographyError(f"{name}: not UTF-8 text") from exc


def read_bibliography(path: str | Path, kind: str | None = None) -> list[Entry]:
    """Read and parse a ``.bib`` or ``.ris`` file (``kind`` defaults to the suffix)."""
    p = Path(path)
    kind = kind or p.suffix.lower().lstrip(".")
    try:
        with p.open("rb") as f:
            data = f.read(MAX_BIBLIOGRAPHY_BYTES + 1)  # bounded: a device or pipe never ends
    except OSError as exc:
        raise BadInputError(f"cannot read {p}: {exc.strerror or exc}") from exc
    return parse_bibliography(_decode(data, str(p)), kind, p.name)


def seeds_from_bibliography(text: str, kind: str, name: str = "bibliography"
                            ) -> tuple[list[str], list[Entry]]:
    """The seed texts of a bibliography, and the entries that give none (for the app)."""
    entries = parse_bibliography(text, kind, name)
    return seed_texts(entries), [e for e in entries if e.seed is None]


def seeds_with_upload(typed: Sequence[str], data: bytes | None, name: str = ""
                      ) -> tuple[list[str], list[Entry]]:
    """The app form's seed set: the ``typed`` seeds, then those of an uploaded bibliography
    (``data``, a ``.bib`` or ``.ris`` file called ``name``), deduplicated; and its entries.

    Raises
    ------
    BadBibliographyError
        When the file is malformed (naming the line), not UTF-8, or gives no seed at all.
    """
    if data is None:
        return list(dict.fromkeys(typed)), []
    entries = parse_bibliography(_decode(data, name), Path(name).suffix.lower().lstrip("."), name)
    found = seed_texts(entries)
    if not found:
        raise BadBibliographyError(f"{name}: no entry has an id or a title to look up")
    return list(dict.fromkeys([*typed, *found])), entries


def seed_texts(entries: Iterable[Entry]) -> list[str]:
    """The seeds as texts :func:`explorer.tasks.explore.explore` takes (ids or titles),
    deduplicated."""
    return list(dict.fromkeys(e.seed.value for e in entries if e.seed is not None))


def unresolved(store: Store, entries: Iterable[Entry]) -> list[Entry]:
    """Entries whose seed the store cannot resolve (after an exploration), or with no seed."""
    out = []
    for e in entries:
        if e.seed is None:
            out.append(e)
            continue
        if store.resolve(e.seed.alias) is None:
            out.append(e)
    return out
