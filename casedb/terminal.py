"""Text from notices made safe to print on a terminal.

Notices are stored verbatim, so a hostile page can carry escape sequences (``ESC[2J`` clears the
screen, ``ESC]0;…`` retitles the window), carriage returns and backspaces that overwrite what was
printed, or bidirectional overrides that reorder it. :func:`printable` shows each such character
as a visible ``\\xNN`` / ``\\uNNNN`` escape; line breaks and tabs stay. SQL and HTML text needs no
treatment here: it is plain text on a terminal (the store binds every value as a parameter and
Datasette escapes HTML).

The convention is the same whatever the output is (a terminal, a pipe or a file), so that what is
seen is what a redirect saves: ``casedb sql --format csv`` writes each text cell through
:func:`printable` (a cell holding ESC is the four characters ``\\x1b``, everything else as stored),
and ``--format json`` writes those characters as JSON's own ``\\u001b`` escapes
(:func:`json_printable`), so a JSON reader gets the stored text back exactly. ``casedb export``
writes files for programs, not for a terminal, and keeps the text as stored.
"""
from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with terminal control characters written as escapes (``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_printable(dumped: str) -> str:
    """JSON text (from :func:`json.dumps`) with every terminal control character written as a JSON
    ``\\uNNNN`` escape: the same JSON value, nothing raw for a terminal to act on. (``json.dumps``
    escapes C0 controls itself, but not DEL, C1 controls such as CSI ``\\x9b``, or bidi overrides;
    outside strings JSON text has none of these characters.)"""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", dumped)
