"""What every Atom 1.0 feed (RFC 4287) of explorer shares: the namespace, timestamps, and
elements whose text and attributes are made inert (:func:`~explorer.exports.model.xml_safe`,
:func:`~explorer.text.one_line`)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from explorer import __version__
from explorer.exports.model import xml_safe
from explorer.text import one_line

__all__ = ["ATOM_NS", "new_feed", "serialize", "stamp", "sub"]

ATOM_NS = "http://www.w3.org/2005/Atom"


def stamp(ts: float) -> str:
    """A POSIX time as an RFC 3339 UTC timestamp.

    >>> stamp(0)
    '1970-01-01T00:00:00Z'
    """
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element; its text and attribute values cannot break the XML."""
    el = ET.SubElement(parent, tag, {k: one_line(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_safe(text)
    return el


def new_feed(feed_id: str, title: str, updated: float) -> ET.Element:
    """A ``<feed>`` with its id, title, update time, author and generator, and no entry."""
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    sub(feed, "id", feed_id)
    sub(feed, "title", title)
    sub(feed, "updated", stamp(updated))
    sub(sub(feed, "author"), "name", "explorer")
    sub(feed, "generator", "explorer", version=__version__)
    return feed


def serialize(feed: ET.Element) -> str:
    """The feed as an indented UTF-8 document."""
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") \
        + "\n"
