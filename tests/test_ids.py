"""Tests for explorer.seeds.ids: seed text -> Semantic Scholar id or title."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

import explorer.seeds.ids
from explorer.errors import BadInputError, BadSeedError
from explorer.seeds.ids import MAX_SEED_LENGTH, Seed, arxiv_id_of, normalize_id, parse_seed

HEX = "204e3073870fae3d05bcbc2f6a8e263d9b72e776"

ACCEPTED = [
    # arXiv, new style
    ("1706.03762", "ARXIV:1706.03762"),
    ("1706.03762v5", "ARXIV:1706.03762"),
    ("1706.03762V12", "ARXIV:1706.03762"),
    ("0704.0001", "ARXIV:0704.0001"),
    ("1412.9999", "ARXIV:1412.9999"),
    ("1501.00001", "ARXIV:1501.00001"),
    ("2310.06825v2", "ARXIV:2310.06825"),
    ("arXiv:1706.03762", "ARXIV:1706.03762"),
    ("ARXIV:1706.03762", "ARXIV:1706.03762"),
    ("arxiv:1706.03762v1", "ARXIV:1706.03762"),
    ("arXiv: 1706.03762", "ARXIV:1706.03762"),
    ("arXiv 1706.03762", "ARXIV:1706.03762"),
    ("  1706.03762\n", "ARXIV:1706.03762"),
    # arXiv, old style
    ("hep-th/9901001", "ARXIV:hep-th/9901001"),
    ("hep-th/9901001v2", "ARXIV:hep-th/9901001"),
    ("math.GT/0309136", "ARXIV:math.GT/0309136"),
    ("arXiv:math.GT/0309136v1", "ARXIV:math.GT/0309136"),
    ("HEP-TH/9108001", "ARXIV:hep-th/9108001"),
    ("cs/0703001", "ARXIV:cs/0703001"),
    # arXiv URLs
    ("https://arxiv.org/abs/1706.03762", "ARXIV:1706.03762"),
    ("https://arxiv.org/abs/1706.03762v2", "ARXIV:1706.03762"),
    ("http://arxiv.org/abs/1706.03762/", "ARXIV:1706.03762"),
    ("https://www.arxiv.org/abs/1706.03762?context=cs#section", "ARXIV:1706.03762"),
    ("https://export.arxiv.org/abs/1706.03762v3", "ARXIV:1706.03762"),
    ("https://arxiv.org/pdf/1706.03762", "ARXIV:1706.03762"),
    ("https://arxiv.org/pdf/1706.03762v5", "ARXIV:1706.03762"),
    ("https://arxiv.org/pdf/1706.03762v5.pdf", "ARXIV:1706.03762"),
    ("HTTPS://ARXIV.ORG/pdf/1706.03762.pdf", "ARXIV:1706.03762"),
    ("arxiv.org/abs/1706.03762", "ARXIV:1706.03762"),
    ("https://arxiv.org/abs/hep-th/9901001v1", "ARXIV:hep-th/9901001"),
    ("https://arxiv.org/pdf/math.GT/0309136v2.pdf", "ARXIV:math.GT/0309136"),
    # arXiv DOIs
    ("10.48550/arXiv.1706.03762", "ARXIV:1706.03762"),
    ("10.48550/ARXIV.1706.03762", "ARXIV:1706.03762"),
    ("doi:10.48550/arXiv.1706.03762", "ARXIV:1706.03762"),
    ("https://doi.org/10.48550/arXiv.1706.03762", "ARXIV:1706.03762"),
    ("10.48550/arXiv.hep-th/9901001", "ARXIV:hep-th/9901001"),
    # DOIs
    ("10.1093/mind/lix.236.433", "DOI:10.1093/mind/lix.236.433"),
    ("10.1093/MIND/LIX.236.433", "DOI:10.1093/mind/lix.236.433"),
    ("doi:10.1093/mind/LIX.236.433", "DOI:10.1093/mind/lix.236.433"),
    ("DOI:10.1038/nature14539", "DOI:10.1038/nature14539"),
    ("DOI: 10.1038/nature14539", "DOI:10.1038/nature14539"),
    ("Doi:10.1038/NATURE14539", "DOI:10.1038/nature14539"),
    ("https://doi.org/10.1038/nature14539", "DOI:10.1038/nature14539"),
    ("http://dx.doi.org/10.1038/nature14539", "DOI:10.1038/nature14539"),
    ("https://doi.org/10.1038/nature14539/", "DOI:10.1038/nature14539"),
    ("https://doi.org/10.1038/nature14539?utm_source=x", "DOI:10.1038/nature14539"),
    ("doi.org/10.1038/nature14539", "DOI:10.1038/nature14539"),
    (
        "https://doi.org/10.1002/%28SICI%291097-4571%28199806%2949",
        "DOI:10.1002/(sici)1097-4571(199806)49",
    ),
    ("10.1000.10/123456", "DOI:10.1000.10/123456"),
    ("10.18653/v1/N19-1423", "DOI:10.18653/v1/n19-1423"),
    # Semantic Scholar ids and URLs
    (HEX, HEX),
    (HEX.upper(), HEX),
    (f"https://www.semanticscholar.org/paper/Attention-is-All-you-Need-Vaswani/{HEX}", HEX),
    (f"https://www.semanticscholar.org/paper/{HEX}", HEX),
    (f"https://semanticscholar.org/paper/Slug/{HEX.upper()}/?utm=1#x", HEX),
    (f"www.semanticscholar.org/paper/{HEX}", HEX),
    ("https://www.semanticscholar.org/arxiv/1706.03762", "ARXIV:1706.03762"),
    ("https://api.semanticscholar.org/CorpusID:13756489", "CorpusId:13756489"),
    # Corpus ids and other prefixes
    ("CorpusId:13756489", "CorpusId:13756489"),
    ("corpusid:13756489", "CorpusId:13756489"),
    ("CorpusID:13756489", "CorpusId:13756489"),
    ("CORPUSID: 13756489", "CorpusId:13756489"),
    ("MAG:3015453090", "MAG:3015453090"),
    ("mag:112218234", "MAG:112218234"),
    ("ACL:2020.acl-main.447", "ACL:2020.acl-main.447"),
    ("acl:W12-3903", "ACL:W12-3903"),
    ("PMID:19872477", "PMID:19872477"),
    ("pmid: 19872477", "PMID:19872477"),
    ("PMCID:2323736", "PMCID:2323736"),
    ("pmcid:PMC2323736", "PMCID:2323736"),
    ("URL:https://arxiv.org/abs/1706.03762", "ARXIV:1706.03762"),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted_forms(text: str, expected: str) -> None:
    seed = parse_seed(text)
    assert seed == Seed("id", expected, text.strip())
    assert normalize_id(text) == expected


def test_table_covers_enough_forms() -> None:
    assert len(ACCEPTED) >= 30


SAME_PAPER = {
    "ARXIV:1706.03762": [
        "1706.03762",
        "1706.03762v5",
        "arXiv:1706.03762",
        "ARXIV:1706.03762v1",
        "arxiv:1706.03762",
        "https://arxiv.org/abs/1706.03762v2",
        "https://arxiv.org/pdf/1706.03762v5.pdf",
        "http://export.arxiv.org/abs/1706.03762",
        "https://www.arxiv.org/pdf/1706.03762/",
        "10.48550/arXiv.1706.03762",
        "DOI:10.48550/ARXIV.1706.03762",
        "https://doi.org/10.48550/arXiv.1706.03762",
    ],
    "DOI:10.1038/nature14539": [
        "10.1038/nature14539",
        "10.1038/NATURE14539",
        "doi:10.1038/nature14539",
        "DOI:10.1038/Nature14539",
        "https://doi.org/10.1038/nature14539",
        "https://dx.doi.org/10.1038/nature14539#abstract",
    ],
    HEX: [
        HEX,
        HEX.upper(),
        f"https://www.semanticscholar.org/paper/Attention-Is-All/{HEX}",
        f"https://www.semanticscholar.org/paper/{HEX}",
    ],
    "CorpusId:13756489": ["CorpusId:13756489", "corpusid:13756489", "CorpusID:13756489"],
}


@pytest.mark.parametrize("expected", list(SAME_PAPER))
def test_every_spelling_of_one_paper_gives_one_id(expected: str) -> None:
    assert {normalize_id(text) for text in SAME_PAPER[expected]} == {expected}


TITLES = [
    ("Attention is all you need", "Attention is all you need"),
    (
        "  Deep   Residual\tLearning for\nImage Recognition  ",
        "Deep Residual Learning for Image Recognition",
    ),
    (
        "BERT: Pre-training of Deep Bidirectional Transformers",
        "BERT: Pre-training of Deep Bidirectional Transformers",
    ),
    ("word2vec explained", "word2vec explained"),
    ("10 simple rules for writing", "10 simple rules for writing"),
    ("TCP/IP networking", "TCP/IP networking"),
    ("Über die Elektrodynamik bewegter Körper", "Über die Elektrodynamik bewegter Körper"),
    ("深度学习综述", "深度学习综述"),
    ("arXiv as a preprint server", "arXiv as a preprint server"),
    ("GPT-4 Technical Report", "GPT-4 Technical Report"),
]


@pytest.mark.parametrize(("text", "expected"), TITLES)
def test_titles_are_cleaned_and_keep_case(text: str, expected: str) -> None:
    seed = parse_seed(text)
    assert seed == Seed("title", expected, text.strip())


@pytest.mark.parametrize("text", [title for title, _ in TITLES])
def test_normalize_id_rejects_titles(text: str) -> None:
    with pytest.raises(BadSeedError, match=r"^not a paper id: ") as err:
        normalize_id(text)
    assert "title of at least two words" not in str(err.value)


MALFORMED = [
    "",
    "   ",
    "\n\t",
    "abc",
    "Attention",
    "1706.999999",
    "1706.0376",
    "1706.037621",
    "1713.03762",
    "0703.0001",
    "1501.0001",
    "1412.00001",
    "1706.03762v",
    "1706.03762.pdf",
    "1706",
    "1.2.3.4",
    "1706.03762 1706.03763",
    "arXiv:1706.999999",
    "arXiv:",
    "arXiv:attention",
    "arXiv:1706.03762 Attention is all you need",
    "10.1234",
    "10.1234/",
    "10.1234/ some words here",
    "doi:",
    "doi:nature14539",
    "DOI:10.1038",
    "10.48550/arXiv.1706.999999",
    "a" * 39,
    "a" * 41,
    HEX[:-1] + "g",
    "hep-th/99010",
    "hep-th/9913001",
    "hep-th/0801001",
    "CorpusId:",
    "CorpusId:abc",
    "corpusid:-5",
    "MAG:12a",
    "PMID:",
    "PMCID:PMCX",
    "ACL:",
    "URL:attention",
    "https://arxiv.org/abs/1706.999999",
    "https://arxiv.org/list/cs.LG/recent",
    "https://doi.org/",
    "https://doi.org/nature14539",
    "https://www.semanticscholar.org/paper/Some-Title",
    f"https://www.semanticscholar.org/paper/{HEX[:-1]}",
    f"https://www.semanticscholar.org/search?q={HEX}",
    "https://example.com/paper.pdf",
    "ftp://arxiv.org/abs/1706.03762",
    "https://arxiv.org/abs/1706.03762 extra",
    "http://[::1",
    "!!! ???",
    "— – …",
    "... --- ...",
    "x" * 301,
    "x " * 2500,
    "Attention\x00 is all you need",
    "Attention is\x1b[31m all you need",
    "Attention is all\x7f you need",
    "Attention\u2028is all you need",
    "\ud800 surrogate title",
    # arXiv versions start at v1
    "1706.03762v0",
    "arXiv:1706.03762v0",
    "arXiv:1706.03762v00",
    "hep-th/9901001v0",
    "https://arxiv.org/abs/1706.03762v0",
    # a percent-encoded control character would reach S2 as one
    "DOI:10.1000/x%00",
    "10.1000/abc%0Adef",
    "doi:10.1000/abc%1b[31m",
    "DOI:10.1000/abc%7F",
    "https://doi.org/10.1000/x%2500",
]


def test_enough_malformed_seeds() -> None:
    assert len(MALFORMED) >= 20


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_seeds_raise_one_line_errors(text: str) -> None:
    with pytest.raises(BadSeedError) as err:
        parse_seed(text)
    message = str(err.value)
    assert "\n" not in message and "\r" not in message
    assert message.isprintable()
    assert len(message) < 300
    assert "expected" in message
    with pytest.raises(BadSeedError):
        normalize_id(text)


def test_error_message_matches_house_format() -> None:
    with pytest.raises(BadSeedError) as err:
        parse_seed("1706.999999")
    assert str(err.value) == (
        "not a paper id or title: '1706.999999' (expected an arXiv id like 1706.03762, "
        "a DOI like 10.1038/nature14539, a Semantic Scholar id or URL, CorpusId:N, "
        "or a title of at least two words)"
    )


def test_error_is_a_bad_input_error_with_exit_code_1() -> None:
    with pytest.raises(BadInputError) as err:
        parse_seed("abc")
    assert err.value.exit_code == 1


def test_long_input_is_truncated_in_message() -> None:
    with pytest.raises(BadSeedError) as err:
        parse_seed("x" * 5000)
    message = str(err.value)
    assert "x" * 70 not in message
    assert "5000 characters" in message
    assert len(message) < 300


def test_percent_encoded_nul_in_a_doi_is_named() -> None:
    with pytest.raises(BadSeedError) as err:
        parse_seed("DOI:10.1000/x%00")
    assert "control character" in str(err.value)


def test_control_characters_are_escaped_in_message() -> None:
    with pytest.raises(BadSeedError) as err:
        parse_seed("Attention\x00 is\x07 all")
    message = str(err.value)
    assert "\\x00" in message and "\x00" not in message


def test_arxiv_id_of() -> None:
    assert arxiv_id_of("ARXIV:1706.03762") == "1706.03762"
    assert arxiv_id_of(normalize_id("https://arxiv.org/abs/hep-th/9901001v2")) == "hep-th/9901001"
    assert arxiv_id_of("DOI:10.1038/nature14539") is None
    assert arxiv_id_of(HEX) is None
    assert arxiv_id_of("CorpusId:1") is None
    assert arxiv_id_of("ARXIV:") is None


# --- property tests ------------------------------------------------------------------------------


def _random_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(ch.upper() if flip else ch.lower() for ch, flip in zip(text, flips, strict=True))


@st.composite
def new_arxiv_ids(draw: st.DrawFn) -> str:
    five = draw(st.booleans())
    year = draw(st.integers(15, 99) if five else st.integers(7, 14))
    first_month = 4 if year == 7 else 1
    last_month = 12
    month = draw(st.integers(first_month, last_month))
    number = draw(st.integers(1, 99999 if five else 9999))
    return f"{year:02d}{month:02d}.{number:0{5 if five else 4}d}"


@st.composite
def old_arxiv_ids(draw: st.DrawFn) -> str:
    archive = draw(st.sampled_from(["hep-th", "hep-ph", "math", "cs", "cond-mat", "astro-ph"]))
    subject = (
        draw(st.sampled_from(["", ".GT", ".AG", ".AI", ".LG"])) if archive in ("math", "cs") else ""
    )
    year = draw(st.sampled_from([91, 95, 99, 0, 3, 7]))
    month = draw(st.integers(1, 12))
    number = draw(st.integers(1, 999))
    return f"{archive}{subject}/{year:02d}{month:02d}{number:03d}"


@st.composite
def arxiv_spellings(draw: st.DrawFn) -> tuple[str, str]:
    """(a random accepted spelling, the expected id) for a random arXiv paper."""
    bare = draw(st.one_of(new_arxiv_ids(), old_arxiv_ids()))
    version = draw(st.sampled_from(["", "v1", "v2", "v13"]))
    scheme = draw(st.sampled_from(["https://", "http://", ""]))
    host = draw(st.sampled_from(["arxiv.org", "www.arxiv.org", "export.arxiv.org"]))
    tail = draw(st.sampled_from(["", "/", "?context=cs", "#x", "/?a=1#b"]))
    spellings = [
        bare + version,
        _random_case(draw, "arxiv") + ":" + bare + version,
        f"{scheme}{host}/abs/{bare}{version}{tail}",
        f"{scheme}{host}/pdf/{bare}{version}{draw(st.sampled_from(['', '.pdf']))}{tail}",
        f"10.48550/{_random_case(draw, 'arxiv')}.{bare}",
        f"https://doi.org/10.48550/arXiv.{bare}",
    ]
    return draw(st.sampled_from(spellings)), f"ARXIV:{bare}"


_DOI_SUFFIX_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._;()<>[]:"


@st.composite
def doi_spellings(draw: st.DrawFn) -> tuple[str, str]:
    registrant = draw(st.integers(1000, 999999999).filter(lambda n: n != 48550))
    parts = draw(
        st.lists(st.text(_DOI_SUFFIX_CHARS, min_size=1, max_size=20), min_size=1, max_size=3)
    )
    doi = f"10.{registrant}/" + "/".join(parts)
    expected = "DOI:" + doi.lower()
    spelled = _random_case(draw, doi)
    spellings = [
        spelled,
        _random_case(draw, "doi") + ":" + spelled,
        _random_case(draw, "doi") + ": " + spelled,
        "https://doi.org/" + spelled,
        "http://dx.doi.org/" + quote(spelled, safe="/") + draw(st.sampled_from(["", "/", "?x=1"])),
    ]
    return draw(st.sampled_from(spellings)), expected


@st.composite
def s2_spellings(draw: st.DrawFn) -> tuple[str, str]:
    hex_id = draw(st.text("0123456789abcdef", min_size=40, max_size=40))
    slug = draw(st.from_regex(r"[A-Za-z0-9]+(-[A-Za-z0-9]+){0,5}", fullmatch=True))
    spelled = _random_case(draw, hex_id)
    host = draw(st.sampled_from(["https://www.semanticscholar.org", "https://semanticscholar.org"]))
    spellings = [
        spelled,
        f"{host}/paper/{slug}/{spelled}",
        f"{host}/paper/{spelled}{draw(st.sampled_from(['', '/', '?x=1', '#y']))}",
    ]
    return draw(st.sampled_from(spellings)), hex_id


@st.composite
def prefixed_spellings(draw: st.DrawFn) -> tuple[str, str]:
    number = draw(st.integers(0, 10**12))
    label = draw(st.sampled_from(["CorpusId", "MAG", "PMID", "PMCID"]))
    spelled = _random_case(draw, label) + draw(st.sampled_from([":", ": "])) + str(number)
    return spelled, f"{label}:{number}"


any_id_spelling = st.one_of(
    arxiv_spellings(), doi_spellings(), s2_spellings(), prefixed_spellings()
)


@given(any_id_spelling)
@example(("1706.03762v5", "ARXIV:1706.03762"))
@example(("https://arxiv.org/pdf/math.GT/0309136v2.pdf", "ARXIV:math.GT/0309136"))
def test_generated_spellings_normalise_to_the_expected_id(case: tuple[str, str]) -> None:
    text, expected = case
    assert normalize_id(text) == expected


@given(any_id_spelling)
def test_normalisation_is_idempotent(case: tuple[str, str]) -> None:
    text, _ = case
    once = normalize_id(text)
    assert normalize_id(once) == once
    assert parse_seed(once) == Seed("id", once, once)


@given(st.text(max_size=80))
@example("DOI:10.1234/" + "A" * 246)
@example("10.1234/İ")
def test_parse_seed_is_total_and_idempotent_on_any_text(text: str) -> None:
    try:
        seed = parse_seed(text)
    except BadSeedError as err:
        message = str(err)
        assert "\n" not in message and len(message) < 300
        return
    assert seed.text == text.strip()
    if seed.kind == "id":
        assert normalize_id(seed.value) == seed.value
    else:
        assert seed.value == " ".join(seed.value.split())
        assert seed.value
        assert parse_seed(seed.value) == Seed("title", seed.value, seed.value)


_NO_LETTERS = st.text(st.characters(categories=["Nd", "P", "S", "Zs"]), min_size=1, max_size=60)
_ONE_WORD = st.text(st.characters(categories=["L", "Nd"]), min_size=1, max_size=30).filter(
    lambda word: sum(1 for ch in word if explorer.seeds.ids._is_cjk(ch)) < 4
)


@st.composite
def garbage(draw: st.DrawFn) -> str:
    """Text that must never be taken for a title."""
    return draw(
        st.one_of(
            _NO_LETTERS,
            _ONE_WORD,
            st.from_regex(r"[0-9.]{1,30}", fullmatch=True),
            st.from_regex(r"[0-9a-fA-F]{39}|[0-9a-fA-F]{41}", fullmatch=True),
            st.from_regex(r"\d{4}\.\d{6,9}", fullmatch=True),
            st.from_regex(r"(?i:arxiv):[0-9a-z.]{0,20}", fullmatch=True).filter(
                lambda s: normalize_seed_or_none(s) is None
            ),
            st.from_regex(r"10\.\d{4,9}", fullmatch=True),
            st.text(min_size=MAX_SEED_LENGTH + 1, max_size=MAX_SEED_LENGTH + 400).filter(
                lambda s: len(s.strip()) > MAX_SEED_LENGTH
            ),
            st.builds(
                lambda a, c, b: f"{a}{c}{b}",
                st.sampled_from(["Attention is", "Deep learning"]),
                st.sampled_from(["\x00", "\x01", "\x07", "\x1b", "\x7f", "\x85", "\x0b", "\x0c"]),
                st.sampled_from([" all you need", " for graphs"]),
            ),
        )
    )


def normalize_seed_or_none(text: str) -> str | None:
    try:
        return normalize_id(text)
    except BadSeedError:
        return None


@given(garbage())
@example("1706.999999")
@example("10.1234")
def test_garbage_never_becomes_a_title(text: str) -> None:
    assume(text.strip())
    try:
        seed = parse_seed(text)
    except BadSeedError as err:
        message = str(err)
        assert "\n" not in message and len(message) < 300
        return
    assert seed.kind == "id", f"garbage {text!r} became a title"
