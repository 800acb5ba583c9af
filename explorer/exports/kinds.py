"""What kind of publication a paper is, for the entry type a reference manager files it under.

Semantic Scholar's ``publicationTypes`` is often missing (every reference parsed from a PDF has
none) and its venue is free text, so :func:`kind_of` reads both: the venue's own words first
("Proceedings of", "Conference", "Workshop", a conference acronym; "Journal", "Transactions"),
then the types S2 gives, then the arXiv id. A venue that is arXiv itself makes a preprint.

=============  ======================  ==========================================
kind           BibTeX                  RIS (the venue's tag, as Zotero reads it)
=============  ======================  ==========================================
conference     @inproceedings          CONF (``T2`` and ``C3``)
journal        @article                JOUR (``T2`` and ``JF``)
book           @book                   BOOK (``T2``: the series)
chapter        @incollection           CHAP (``T2``: the book)
preprint       @misc + eprint          UNPB (``PB``: arXiv)
misc           @misc                   GEN
=============  ======================  ==========================================
"""

from __future__ import annotations

import re

from explorer.models import Paper

__all__ = ["KINDS", "kind_of"]

KINDS = ("conference", "journal", "book", "chapter", "preprint", "misc")

_PREPRINT = re.compile(r"^\s*(arxiv(\.org)?|corr|biorxiv|medrxiv|ssrn)\b", re.I)
_CONFERENCE_WORDS = re.compile(
    r"\b(proc\.?|proceedings|conference|conf\.|symposium|workshops?|meeting|congress|"
    r"colloquium|findings of)\b|advances in neural information processing|"
    r"empirical methods in natural language|north american chapter of the association|"
    r"computer vision and pattern recognition|knowledge discovery and data mining|"
    r"artificial intelligence and statistics|uncertainty in artificial intelligence", re.I)
_CONFERENCE_NAMES = re.compile(
    r"\b(NeurIPS|NIPS|ICLR|ICML|ACL|EMNLP|NAACL|EACL|AACL|COLING|CoNLL|LREC|AAAI|IJCAI|CVPR|"
    r"ICCV|ECCV|BMVC|WACV|KDD|SIGIR|SIGMOD|VLDB|ICDE|WSDM|CIKM|RecSys|WWW|CHI|UIST|"
    r"INTERSPEECH|ICASSP|UAI|AISTATS|COLT|ICRA|IROS|MICCAI|ISWC|ECIR|ICDM|SDM)\b")
# venues whose words say conference but that are journals
_JOURNAL_PROCEEDINGS = re.compile(
    r"proceedings of the (national academy|ieee\s*$|royal society|vldb endowment|american "
    r"mathematical|london mathematical|physical society|japan academy|acm on )|"
    r"\bproc\.? natl\b|\bpnas\b|"
    r"^italian national conference on sensors$", re.I)  # S2's name for the journal Sensors
_JOURNAL_WORDS = re.compile(
    r"\b(journal|transactions|letters|magazine|annals|bulletin|quarterly|review)\b|^j\.", re.I)
_JOURNAL_TYPES = frozenset({"JournalArticle", "Review", "Editorial", "LettersAndComments",
                            "CaseReport", "ClinicalTrial", "MetaAnalysis", "News", "Study"})


def venue_kind(venue: str | None) -> str | None:
    """``preprint``, ``conference`` or ``journal`` when the venue's words say so, else None."""
    if not venue or not venue.strip():
        return None
    if _PREPRINT.match(venue):
        return "preprint"
    if _JOURNAL_PROCEEDINGS.search(venue):
        return "journal"
    if _CONFERENCE_WORDS.search(venue):
        return "conference"
    if _JOURNAL_WORDS.search(venue):  # "Transactions of the ACL" is a journal
        return "journal"
    if _CONFERENCE_NAMES.search(venue):
        return "conference"
    return None


def kind_of(paper: Paper) -> str:
    """One of :data:`KINDS` for ``paper``.

    Parameters
    ----------
    paper : Paper
        Its ``venue``, ``publication_types`` and ``arxiv_id`` are read.

    Returns
    -------
    str
        The venue's words decide first, then S2's types; an unknown venue is a journal, no
        venue an arXiv preprint (with an arXiv id) or ``misc``.

    Examples
    --------
    >>> kind_of(Paper("x", venue="Proceedings of the 51st Annual Meeting of the ACL"))
    'conference'
    >>> kind_of(Paper("x", venue="arXiv.org", arxiv_id="1706.03762"))
    'preprint'
    >>> kind_of(Paper("x", venue="Mind", publication_types=("JournalArticle",)))
    'journal'
    >>> kind_of(Paper("x", venue="Transactions of the ACL")), kind_of(Paper("x", venue="ACL"))
    ('journal', 'conference')
    """
    by_venue = venue_kind(paper.venue)
    if by_venue is not None:
        return by_venue
    types = set(paper.publication_types)
    if "Conference" in types:
        return "conference"
    if "BookSection" in types:
        return "chapter"
    if "Book" in types:
        return "book"
    if types & _JOURNAL_TYPES or (paper.venue and paper.venue.strip()):
        return "journal"
    return "preprint" if paper.arxiv_id else "misc"
