"""The inbox as an Atom feed and as a Markdown digest note for Obsidian.

The feed has one entry per paper (its arXiv abstract page, else its S2 page, as the link; the
reasons as the summary). The digest opens with YAML front matter (title, date, window,
categories, count, tags), then one bullet per paper: its title linked to its arXiv abstract page
(else its S2 page), authors, date and score, and the reasons beneath it. A library paper a
reason names is linked as ``[[note]]`` only when the vault holds its note (``notes``: S2 id ->
note name, as :func:`~explorer.exports.to_markdown.notes_in` finds them); a link to a note that
does not exist would make an empty one. Untrusted text is made inert: XML-safe in the feed,
escaped Markdown in the digest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from explorer.analysis.inbox import InboxItem
from explorer.exports.atom import new_feed, serialize, stamp, sub
from explorer.exports.to_markdown import md, yaml_text
from explorer.models import Paper
from explorer.text import BIDI_CONTROLS, one_line

__all__ = ["atom_feed", "digest", "link_of"]

_NO_BIDI = str.maketrans("", "", BIDI_CONTROLS)


def link_of(paper: Paper) -> str:
    """The page a paper links to: its arXiv abstract page, else its Semantic Scholar page."""
    return paper.arxiv_url or paper.s2_url


def atom_feed(items: Sequence[InboxItem], *, updated: float,
              title: str = "explorer: new papers in your arXiv categories",
              feed_id: str = "urn:explorer:inbox") -> str:
    """An Atom 1.0 feed (RFC 4287), one entry per inbox paper, best first."""
    feed = new_feed(feed_id, title, updated)
    for item in items:
        p = item.paper
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:explorer:inbox:{item.candidate.key}")
        sub(entry, "title", one_line(p.title or p.paper_id))
        sub(entry, "updated", stamp(updated))
        if p.publication_date:
            sub(entry, "published", f"{p.publication_date}T00:00:00Z")
        sub(entry, "link", href=link_of(p), rel="alternate")
        for name in p.authors:
            sub(sub(entry, "author"), "name", one_line(name))
        if item.candidate.found_in:
            sub(entry, "category", term=item.candidate.found_in)
        lines = [f"Score {item.score:.2f}"] + [one_line(r) for r in item.reasons]
        sub(entry, "summary", "\n".join(lines), type="text")
    return serialize(feed)


def _md(text: str) -> str:
    """Untrusted text as inert Markdown: one line, no control or bidi character, escaped."""
    return md(one_line(text).translate(_NO_BIDI))


def _url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def digest(items: Sequence[InboxItem], *, since: datetime, until: datetime,
           categories: Sequence[str], notes: Mapping[str, str] | None = None) -> str:
    """The digest note's text; ``notes`` maps S2 ids to the names of notes that exist."""
    notes = notes or {}
    head = {"title": f"arXiv inbox {since:%Y-%m-%d} to {until:%Y-%m-%d}",
            "date": f"{until:%Y-%m-%d}", "since": since.isoformat(timespec="minutes"),
            "until": until.isoformat(timespec="minutes"),
            "categories": [one_line(c) for c in categories], "papers": len(items),
            "tags": ["inbox", "arxiv"]}
    lines = ["---", yaml_text(head).rstrip("\n"), "---", "",
             f"# arXiv inbox, {since:%Y-%m-%d} to {until:%Y-%m-%d}", ""]
    if not items:
        lines.append("Nothing new.")
    for item in items:
        p = item.paper
        bits = [_md(", ".join(p.authors[:4]) + (" et al." if len(p.authors) > 4 else "")),
                _md(p.publication_date or ""), _md(item.candidate.found_in),
                f"score {item.score:.2f}"]
        lines.append(f"- [{_md(p.title or p.paper_id)}]({_url(link_of(p))}) · "
                     + " · ".join(b for b in bits if b))
        lines += [f"    - {_md(r)}" for r in item.reasons]
        linked = [f"[[{notes[pid]}]]" for pid in item.related if pid in notes]
        if linked:
            lines.append("    - see " + ", ".join(linked))
    return "\n".join(lines) + "\n"
