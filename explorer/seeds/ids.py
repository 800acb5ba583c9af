"""Turn what a user types into a Semantic Scholar paper id, or a title to match.

A seed is one line of text: an arXiv id, a DOI, a Semantic Scholar id, a URL naming one of
those, a ``CorpusId:N`` (or ``MAG:``, ``ACL:``, ``PMID:``, ``PMCID:``), or a paper title. This
module is pure: no I/O, no configuration. It only decides *what* the text names; whether the
paper exists is for Semantic Scholar to say.

Accepted spellings, each normalised to the id form S2's ``/paper/{id}`` accepts:

- arXiv, new style ``1706.03762``, ``1706.03762v5``, ``arXiv:1706.03762``, ``ARXIV:...``;
  old style ``hep-th/9901001v2``, ``math.GT/0309136`` (subject case kept);
  ``https://arxiv.org/abs/1706.03762v2``, ``http://export.arxiv.org/pdf/1706.03762v5.pdf``;
  the arXiv DOI ``10.48550/arXiv.1706.03762``: all ``ARXIV:<id>`` without the version.
- DOIs ``10.1093/MIND/LIX.236.433``, ``doi:...``, ``https://doi.org/...``,
  ``https://dx.doi.org/...``: ``DOI:10.1093/mind/lix.236.433`` (DOIs are case-insensitive).
- 40 hex digits, ``https://www.semanticscholar.org/paper/<slug>/<hex>``, ``.../paper/<hex>``:
  the hex digits, lower-case.
- ``corpusid:123``, ``CorpusID:123``, ``https://api.semanticscholar.org/CorpusID:123``:
  ``CorpusId:123``; ``mag:``, ``acl:``, ``pmid:``, ``pmcid:`` become ``MAG:``, ``ACL:``,
  ``PMID:``, ``PMCID:`` (``PMCID:PMC123`` becomes ``PMCID:123``).

URLs may omit the scheme; their query strings, fragments and trailing slashes are ignored.
arXiv ids lose their version because S2 answers 404 for ``ARXIV:1706.03762v1`` (versions
start at v1: ``v0`` is no version). A DOI holding a percent-encoded control character
(``%00``) is refused, since S2 would receive the character itself. Anything
else of at least two words containing letters (or four Chinese or Japanese characters, which
are written without spaces) is a title, whitespace collapsed and case kept, to be resolved
later by S2's title match. Everything else raises
:class:`~explorer.errors.BadSeedError` with a one-line message that says what was expected.

Examples
--------
>>> parse_seed("https://arxiv.org/pdf/1706.03762v5.pdf")
Seed(kind='id', value='ARXIV:1706.03762', text='https://arxiv.org/pdf/1706.03762v5.pdf')
>>> normalize_id("https://doi.org/10.1038/NATURE14539")
'DOI:10.1038/nature14539'
>>> parse_seed("  Attention   is all you need ")
Seed(kind='title', value='Attention is all you need', text='Attention   is all you need')
>>> arxiv_id_of(normalize_id("hep-th/9901001v3"))
'hep-th/9901001'
>>> parse_seed("1706.999999")
Traceback (most recent call last):
...
explorer.errors.BadSeedError: not a paper id or title: '1706.999999' (expected an arXiv id \
like 1706.03762, a DOI like 10.1038/nature14539, a Semantic Scholar id or URL, CorpusId:N, or \
a title of at least two words)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from explorer.errors import BadSeedError

__all__ = ["MAX_SEED_LENGTH", "Seed", "arxiv_id_of", "normalize_id", "parse_seed", "title_alias"]

MAX_SEED_LENGTH = 300
"""Longest seed accepted, in characters (after stripping surrounding whitespace)."""

_ECHO_LENGTH = 60
_MAX_DOI_LENGTH = 250  # keeps "DOI:" + the DOI within MAX_SEED_LENGTH, so parsing is idempotent

_EXPECTED = (
    "expected an arXiv id like 1706.03762, a DOI like 10.1038/nature14539, "
    "a Semantic Scholar id or URL, CorpusId:N, or a title of at least two words"
)
_EXPECTED_ID = (
    "expected an arXiv id like 1706.03762, a DOI like 10.1038/nature14539, "
    "a Semantic Scholar id or URL, or CorpusId:N"
)
_EXPECTED_ARXIV = "expected an arXiv id like 1706.03762 or hep-th/9901001"
_EXPECTED_DOI = "expected a DOI like 10.1038/nature14539"

_ARXIV_NEW = re.compile(r"(?P<yymm>\d{4})\.(?P<num>\d{4,5})(?:[vV][1-9]\d*)?", re.ASCII)
_ARXIV_OLD = re.compile(
    r"(?P<archive>[A-Za-z]+(?:-[A-Za-z]+)?)(?P<subject>\.[A-Za-z]{2})?/(?P<num>\d{7})(?:[vV][1-9]\d*)?",
    re.ASCII,
)
_DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/[!-~]+", re.ASCII)
_PERCENT_CONTROL = re.compile(r"%(?:[01][0-9a-f]|7f|c2%[89][0-9a-f])", re.IGNORECASE | re.ASCII)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(?P<id>.*)", re.IGNORECASE | re.ASCII)
_HEX40 = re.compile(r"[0-9a-fA-F]{40}")
_DIGITS = re.compile(r"\d{1,19}", re.ASCII)
_ACL = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,63}")
_PMCID = re.compile(r"(?:PMC)?(?P<num>\d{1,19})", re.IGNORECASE | re.ASCII)

_PREFIXED = re.compile(r"(?P<prefix>[A-Za-z]+)\s*:\s*(?P<rest>.*)", re.DOTALL)
_SPACED = re.compile(r"(?P<prefix>arxiv|doi)\s+(?P<rest>\S+)", re.IGNORECASE)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_BARE_HOST = re.compile(
    r"(?:www\.|export\.|dx\.|api\.)?(?:arxiv\.org|doi\.org|semanticscholar\.org)/", re.I | re.A
)
# A first word shaped like the start of an id means a mistyped id, not a title.
_ID_LIKE_START = re.compile(r"10\.\d{4,}|\d{4}\.\d{4,}", re.ASCII)


@dataclass(frozen=True)
class Seed:
    """What a seed text names.

    Attributes
    ----------
    kind : "id" or "title"
    value : str
        For ``"id"``, the S2 id form (``ARXIV:1706.03762``, ``DOI:10.1038/nature14539``,
        40 lower-case hex digits, ``CorpusId:123``, ``MAG:``/``ACL:``/``PMID:``/``PMCID:``...);
        for ``"title"``, the title with whitespace collapsed.
    text : str
        What the user typed, stripped of surrounding whitespace.
    """

    kind: Literal["id", "title"]
    value: str
    text: str

    @property
    def alias(self) -> str:
        """The key the store knows this seed by: the id form, or :func:`title_alias`."""
        return self.value if self.kind == "id" else title_alias(self.value)


def title_alias(title: str) -> str:
    """The store alias of a title: accents, case and punctuation folded away.

    Examples
    --------
    >>> title_alias("Attention Is All You Need!")
    'TITLE:attention is all you need'
    >>> title_alias("Élan vital") == title_alias("elan  VITAL")
    True
    """
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "TITLE:" + " ".join("".join(c if c.isalnum() else " " for c in text).split())


def parse_seed(text: str) -> Seed:
    """Classify and normalise one seed.

    Parameters
    ----------
    text : str
        What the user typed.

    Returns
    -------
    Seed
        ``kind="id"`` with the normalised S2 id, or ``kind="title"`` with the cleaned title.

    Raises
    ------
    BadSeedError
        For empty text, text over ``MAX_SEED_LENGTH`` characters, control characters, a
        malformed id (``1706.999999``, ``arXiv:17``, ``10.1234``, 39 hex digits), a URL that
        names no paper, or text that is neither an id nor a title of at least two words.
        The message is one line and echoes at most about 60 characters of the input.

    Examples
    --------
    >>> parse_seed("arXiv:1706.03762v5").value
    'ARXIV:1706.03762'
    >>> parse_seed("10.48550/arXiv.1706.03762").value
    'ARXIV:1706.03762'
    >>> parse_seed("math.GT/0309136").value
    'ARXIV:math.GT/0309136'
    >>> parse_seed("corpusid:13756489").value
    'CorpusId:13756489'
    >>> parse_seed("https://www.semanticscholar.org/paper/Attention-Is-All/"
    ...            "204E3073870FAE3D05BCBC2F6A8E263D9B72E776").value
    '204e3073870fae3d05bcbc2f6a8e263d9b72e776'
    >>> parse_seed("Deep   residual learning").kind
    'title'
    """
    stripped = text.strip()
    if not stripped:
        raise BadSeedError(_message(stripped, "empty seed; " + _EXPECTED))
    if len(stripped) > MAX_SEED_LENGTH:
        reason = f"{len(stripped)} characters, at most {MAX_SEED_LENGTH}; "
        raise BadSeedError(_message(stripped, reason + _EXPECTED))
    if any(_is_control(ch) for ch in stripped):
        raise BadSeedError(_message(stripped, "control characters; " + _EXPECTED))
    value = _parse_id(stripped)
    if value is not None:
        return Seed("id", value, stripped)
    title = _as_title(stripped)
    if title is None:
        raise BadSeedError(_message(stripped, _EXPECTED))
    return Seed("title", title, stripped)


def normalize_id(text: str) -> str:
    """Return the S2 id form of ``text``; raise :class:`BadSeedError` unless it is an id.

    Idempotent: ``normalize_id(normalize_id(x)) == normalize_id(x)``.

    >>> normalize_id("1706.03762v5")
    'ARXIV:1706.03762'
    >>> normalize_id("DOI:10.1093/MIND/LIX.236.433")
    'DOI:10.1093/mind/lix.236.433'
    >>> normalize_id("Attention is all you need")
    Traceback (most recent call last):
    ...
    explorer.errors.BadSeedError: not a paper id: 'Attention is all you need' (expected an arXiv \
id like 1706.03762, a DOI like 10.1038/nature14539, a Semantic Scholar id or URL, or CorpusId:N)
    """
    seed = parse_seed(text)
    if seed.kind != "id":
        raise BadSeedError(_message(seed.text, _EXPECTED_ID, head="not a paper id"))
    return seed.value


def arxiv_id_of(seed_value: str) -> str | None:
    """The bare arXiv id in a normalised id, or None when it names no arXiv paper.

    >>> arxiv_id_of("ARXIV:1706.03762")
    '1706.03762'
    >>> arxiv_id_of("DOI:10.1038/nature14539") is None
    True
    """
    if seed_value[:6].upper() == "ARXIV:" and len(seed_value) > 6:
        return seed_value[6:]
    return None


# --- parsing -----------------------------------------------------------------------------------


def _parse_id(text: str) -> str | None:
    """The normalised id ``text`` names, None if it is no id, BadSeedError if a broken one."""
    if _SCHEME.match(text) or _BARE_HOST.match(text):
        return _parse_url(text)
    prefixed = _PREFIXED.fullmatch(text)
    if prefixed is not None:
        value = _parse_prefixed(prefixed["prefix"].lower(), prefixed["rest"], text)
        if value is not None:
            return value
    spaced = _SPACED.fullmatch(text)
    if spaced is not None:
        # "arXiv 1706.03762" is an id; "arXiv is a preprint server" is left to the title rules.
        rest = spaced["rest"]
        value = _arxiv(rest) if spaced["prefix"].lower() == "arxiv" else _doi(rest)
        if value is not None:
            return value
    if _HEX40.fullmatch(text):
        return text.lower()
    value = _arxiv(text)
    if value is not None:
        return value
    if _DOI.fullmatch(text):
        return _strict_doi(text, text)
    return None


def _parse_prefixed(prefix: str, rest: str, text: str) -> str | None:
    """Parse ``prefix:rest``; None when ``prefix`` is not an id prefix we know."""
    rest = rest.strip()
    if prefix == "arxiv":
        value = _arxiv(rest)
        if value is None:
            raise BadSeedError(_message(text, _EXPECTED_ARXIV + " after arXiv:"))
        return value
    if prefix == "doi":
        return _strict_doi(rest, text)
    if prefix == "url":
        if not (_SCHEME.match(rest) or _BARE_HOST.match(rest)):
            raise BadSeedError(_message(text, "no URL after URL:; " + _EXPECTED_ID))
        return _parse_url(rest, text)
    if prefix == "pmcid":
        pmc = _PMCID.fullmatch(rest)
        if pmc is None:
            raise BadSeedError(_message(text, "expected PMCID:N or PMCID:PMCN"))
        return f"PMCID:{int(pmc['num'])}"
    numeric = {"corpusid": "CorpusId", "mag": "MAG", "pmid": "PMID"}
    if prefix in numeric:
        label = numeric[prefix]
        if not _DIGITS.fullmatch(rest):
            raise BadSeedError(_message(text, f"expected {label}:N with N a number"))
        return f"{label}:{int(rest)}"
    if prefix == "acl":
        if not _ACL.fullmatch(rest):
            raise BadSeedError(_message(text, "expected an ACL Anthology id like ACL:P19-1001"))
        return f"ACL:{rest}"
    return None


def _parse_url(url: str, text: str | None = None) -> str:
    """The id an arxiv.org, doi.org or semanticscholar.org URL names; BadSeedError otherwise."""
    shown = url if text is None else text
    if not _SCHEME.match(url):
        url = "https://" + url
    if any(ch.isspace() for ch in url):
        raise BadSeedError(_message(shown, "a URL with spaces; " + _EXPECTED))
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:  # e.g. a malformed IPv6 host or port
        raise BadSeedError(_message(shown, "a malformed URL; " + _EXPECTED)) from None
    path = unquote(parts.path).strip("/")
    value: str | None = None
    if parts.scheme.lower() not in ("http", "https"):
        value = None
    elif host in ("arxiv.org", "www.arxiv.org", "export.arxiv.org"):
        kind, _, rest = path.partition("/")
        if kind == "pdf" and rest.lower().endswith(".pdf"):
            rest = rest[:-4]
        if kind in ("abs", "pdf"):
            value = _arxiv(rest)
    elif host in ("doi.org", "dx.doi.org", "www.doi.org"):
        if _DOI.fullmatch(path):
            value = _strict_doi(path, shown)
    elif host in ("semanticscholar.org", "www.semanticscholar.org", "api.semanticscholar.org"):
        value = _s2_path(path)
    if value is None:
        raise BadSeedError(_message(shown, "a URL that names no paper; " + _EXPECTED_ID))
    return value


def _s2_path(path: str) -> str | None:
    segments = path.split("/")
    if segments[0] == "paper" and len(segments) in (2, 3) and _HEX40.fullmatch(segments[-1]):
        return segments[-1].lower()
    if segments[0] == "arxiv" and len(segments) > 1:
        return _arxiv("/".join(segments[1:]))
    corpus = re.fullmatch(r"corpusid:(\d{1,19})", path, re.IGNORECASE | re.ASCII)
    if corpus is not None:
        return f"CorpusId:{int(corpus[1])}"
    return None


def _arxiv(text: str) -> str | None:
    """``ARXIV:<id>`` without version if ``text`` is a well-formed arXiv id, else None."""
    new = _ARXIV_NEW.fullmatch(text)
    if new is not None:
        yymm, num = int(new["yymm"]), new["num"]
        if not 1 <= yymm % 100 <= 12:
            return None
        if len(num) == 4 and not 704 <= yymm <= 1412:
            return None
        if len(num) == 5 and yymm < 1501:
            return None
        return f"ARXIV:{new['yymm']}.{num}"
    old = _ARXIV_OLD.fullmatch(text)
    if old is not None:
        yy, mm = int(old["num"][:2]), int(old["num"][2:4])
        if not (yy >= 91 or yy <= 7) or not 1 <= mm <= 12:
            return None
        return f"ARXIV:{old['archive'].lower()}{old['subject'] or ''}/{old['num']}"
    return None


def _doi(text: str) -> str | None:
    """Like :func:`_strict_doi`, but None instead of an error."""
    try:
        return _strict_doi(text, text) if _DOI.fullmatch(text) else None
    except BadSeedError:
        return None


def _strict_doi(doi: str, text: str) -> str:
    """``DOI:<doi>`` lower-cased (or ``ARXIV:`` for an arXiv DOI); BadSeedError if malformed."""
    if not _DOI.fullmatch(doi) or len(doi) > _MAX_DOI_LENGTH:
        raise BadSeedError(_message(text, _EXPECTED_DOI))
    if _PERCENT_CONTROL.search(doi):
        reason = "a percent-encoded control character; "
        raise BadSeedError(_message(text, reason + _EXPECTED_DOI))
    arxiv_doi = _ARXIV_DOI.fullmatch(doi)
    if arxiv_doi is not None:
        value = _arxiv(arxiv_doi["id"])
        if value is None:
            reason = "an arXiv DOI with a malformed id; "
            raise BadSeedError(_message(text, reason + _EXPECTED_ARXIV))
        return value
    return "DOI:" + doi.lower()


def _as_title(text: str) -> str | None:
    """The cleaned title, or None if ``text`` is too little (or too id-like) to be one."""
    words = text.split()
    if _ID_LIKE_START.match(words[0]):
        return None
    lettered = sum(1 for word in words if any(ch.isalpha() for ch in word))
    # Chinese and Japanese titles have no spaces between words.
    if lettered < 2 and sum(1 for ch in text if _is_cjk(ch)) < 4:
        return None
    return " ".join(words)


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029"


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FA1F
    )


def _message(text: str, expected: str, head: str = "not a paper id or title") -> str:
    """``head: 'text' (expected)`` on one line, echoing at most ~60 characters of ``text``."""
    shown = repr(text[: _ECHO_LENGTH + 1])
    if len(text) > _ECHO_LENGTH or len(shown) > _ECHO_LENGTH + 2:
        shown = shown[: _ECHO_LENGTH - 1] + "…" + shown[0]
    return f"{head}: {shown} ({expected})"
