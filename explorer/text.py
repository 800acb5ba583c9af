"""Untrusted text (titles, authors, venues, contexts) made inert for where it is written.

Three jobs, one table of what is dangerous:

- :func:`one_line` for a field of an export: line breaks become spaces, other control
  characters go, so no field can end a record (RIS, CSV) or start a new one.
- :func:`for_terminal` for the CLI's output: control characters (ESC, BEL, NUL, C1), bidi
  overrides and isolates are shown as escapes (``\\x1b``, ``\\u202e``) instead of acting on
  the terminal, so a title can neither repaint the screen nor reorder what follows it.
- :func:`has_control` to refuse such text where the user types it (reading-list tags).

>>> one_line("Journal of Things\\nER  - \\x07")
'Journal of Things ER -'
>>> for_terminal("\\x1b[2Jtitle\\u202e")
'\\\\x1b[2Jtitle\\\\u202e'
"""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "for_terminal", "has_control", "one_line", "without_controls"]

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Characters that reorder the text around them (Trojan Source, CVE-2021-42574)."""

_BREAKS = "\n\r\t\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029"
# C0, DEL, C1, lone surrogates and the two non-characters XML forbids
_CONTROL = "\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_LINE_BREAK_RE = re.compile(f"[{_BREAKS}]")
_CONTROL_RE = re.compile(f"[{_CONTROL}]")
_TERMINAL_RE = re.compile(f"[{_CONTROL}{BIDI_CONTROLS}]")


def one_line(text: str) -> str:
    """``text`` as one line: line breaks and tabs -> spaces, other controls removed, spaces
    collapsed.

    Parameters
    ----------
    text : str
        Untrusted text.

    Returns
    -------
    str
        Printable text with no line break; idempotent.
    """
    return " ".join(_CONTROL_RE.sub("", _LINE_BREAK_RE.sub(" ", text)).split())


def without_controls(text: str, keep: str = "\n\t") -> str:
    """``text`` without control characters other than those in ``keep`` (``\\r\\n`` -> ``\\n``)."""
    text = text.replace("\r\n", "\n")
    return _CONTROL_RE.sub(lambda m: m.group(0) if m.group(0) in keep else "", text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str, keep: str = "") -> str:
    """``text`` with every control and bidi character except those in ``keep`` shown as an
    escape, so printing it cannot act on the terminal.

    Parameters
    ----------
    text : str
        Untrusted text, or a whole block of output.
    keep : str
        Characters to pass through (``"\\n"`` for a block of lines).

    Returns
    -------
    str
    """
    return _TERMINAL_RE.sub(lambda m: m.group(0) if m.group(0) in keep else _escape(m.group(0)),
                            text)


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character :func:`for_terminal` would escape."""
    return _TERMINAL_RE.search(text) is not None
