"""Compiling grammar rules for fast scanning of long texts.

Python's regex engine tries a pattern at every position of the text. A rule that begins with
a lookbehind or an optional part (``(?<![0-9])…``, ``(?:境外输入)?病例…``) runs its whole
machinery at each position; put first, a lookahead that only tests one character against
the characters a match can start with rejects most positions at once.
:func:`compile_rule` adds that lookahead; the matches are the same, found 1.5–3× faster.
"""
from __future__ import annotations

import re
from re import _compiler, _parser
from re import _constants as sre


#: The character classes :func:`remember_character_classes` keeps (the parser's rules hold 592 distinct ones).
REMEMBERED_CLASSES = 4096


def remember_character_classes() -> None:
    """Make the regex compiler work out each character class once per process.

    The grammar's hundreds of rules repeat a few classes (``[一-龥]`` 50 times, ``[^，,。；;\\n]`` 76 times), and
    the compiler turns each into its bitmap anew, filling a range character by character (20,902 steps for
    ``[一-龥]``): 2,075 classes, a third of the parser's import. A class of a case-sensitive rule is now
    optimised once (``re._compiler._optimize_charset`` behind a dict, so every compiled rule is the same,
    tests/test_scan_less.py); other calls, and a Python without that function, are left as they were. It stays
    installed for the process, for every regex compiled in it: the dict holds at most
    :data:`REMEMBERED_CLASSES` classes, so a program compiling endless new rules does not grow it without end.
    """
    optimize = getattr(_compiler, "_optimize_charset", None)
    if optimize is None or getattr(optimize, "remembers", False):
        return
    optimized: dict[tuple, tuple] = {}

    def optimize_once(charset, iscased=None, fixup=None, fixes=None):
        if iscased is not None or fixup is not None or fixes is not None:
            return optimize(charset, iscased, fixup, fixes)
        key = tuple(charset)
        found = optimized.get(key)
        if found is None:
            found = optimize(charset)
            if len(optimized) < REMEMBERED_CLASSES:
                optimized[key] = found
        return found

    optimize_once.remembers = True
    optimize_once.remembered = optimized
    optimize_once.original = optimize
    _compiler._optimize_charset = optimize_once


#: The characters that end a sentence (a line break too), for :func:`after_last_of`.
SENTENCE_ENDS = "。;；\n"
#: … and those that end a clause (a comma too).
CLAUSE_ENDS = "，,。；;\n"


def after_last_of(marks: str, text: str, start: int, end: int) -> int:
    """Where ``text`` goes on after the last of the characters ``marks`` in ``text[start:end]``, 0 when none is
    there: the start of the sentence (:data:`SENTENCE_ENDS`) or clause that ``end`` is in (``start`` and ``end`` not
    negative). One match that runs to ``end`` and backs off to the last mark: a quarter of the instructions of an
    ``rfind`` for each mark."""
    rule = _UP_TO_THE_LAST.get(marks)
    if rule is None:
        rule = _UP_TO_THE_LAST[marks] = re.compile(f"(?s:.*)[{re.escape(marks)}]")
    m = rule.match(text, start, end)
    return m.end() if m else 0


#: The rule of :func:`after_last_of` for each set of marks it is asked about.
_UP_TO_THE_LAST: dict[str, re.Pattern] = {}


def compile_rule(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern)``, led by a lookahead of the characters its matches start with
    (when these are known: a rule that may start with any character is compiled as it is)."""
    parsed = _parser.parse(pattern, flags)
    first = None if _engine_skips(parsed) else _first_chars_of(parsed)
    # (the pattern in a group: before a top-level alternation, the lookahead would lead its first alternative only)
    return re.compile(f"(?=[{first}])(?:{pattern})" if first else pattern, flags)


def cue_words(words) -> re.Pattern:
    """A rule matching any of ``words`` (plain text), for a cheap test of whether a text can hold a rule's
    match: an alternation of literals is one the regex engine skips through to the words' first characters
    (about ten times faster than a rule whose alternatives start with a group or a lookbehind)."""
    words = sorted(dict.fromkeys(words), key=len, reverse=True)
    if not words or not all(words):
        raise ValueError("cue words must be non-empty")
    return re.compile("|".join(re.escape(word) for word in words))


def first_chars(pattern: str, flags: int = 0) -> str | None:
    """The characters (as a character-class body) one of which starts every match of
    ``pattern``, or None when that is not a plain set (a match may start with ``.`` or a
    negated class, or be empty, or the pattern ignores case)."""
    return _first_chars_of(_parser.parse(pattern, flags))


def _first_chars_of(parsed) -> str | None:
    """:func:`first_chars` of a parsed pattern."""
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _first(list(parsed))
    if found is None or found[1]:
        return None
    return "".join(dict.fromkeys(found[0]))


def needed_chars(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Characters one of which every match of ``pattern`` holds, for a test against a text's characters before
    the rule is run at all; None when there is no such set of plain characters."""
    return _needed(_parser.parse(pattern, flags))


def _needed(items) -> frozenset[str] | None:
    """:func:`needed_chars` of parsed items: those of the last item that must match a plain character (a literal,
    a class of literals, alternatives or a group that each have such characters, a repeat at least once)."""
    for op, arg in reversed(list(items)):
        found = None
        if op is sre.LITERAL:
            found = frozenset(chr(arg))
        elif op is sre.IN and all(member_op is sre.LITERAL for member_op, _ in arg):
            found = frozenset(chr(code) for _, code in arg)
        elif op is sre.BRANCH:
            each = [_needed(alternative) for alternative in arg[1]]
            found = None if None in each else frozenset().union(*each)
        elif op is sre.SUBPATTERN:
            found = _needed(arg[-1])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            found = _needed(arg[2])
        if found is not None:
            return found
    return None


def _engine_skips(parsed) -> bool:
    """Whether the regex engine itself skips ahead for this pattern: it starts with a literal,
    a character class, or alternatives that each start with a literal."""
    items = list(parsed)
    while items and items[0][0] is sre.SUBPATTERN:
        items = list(items[0][1][-1])
    if not items:
        return False
    op, arg = items[0]
    if op is sre.BRANCH:
        return all(alternative and list(alternative)[0][0] is sre.LITERAL for alternative in arg[1])
    return op in (sre.LITERAL, sre.IN)


def _first(items: list) -> tuple[list[str], bool] | None:
    """(class pieces the sequence ``items`` can start with, whether it can match empty)."""
    chars: list[str] = []
    for op, arg in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue                                   # ^, \b, lookarounds: nothing consumed
        if op is sre.LITERAL:
            return chars + [_escape(arg)], False
        if op is sre.IN:
            pieces = _class(arg)
            return (chars + pieces, False) if pieces is not None else None
        if op is sre.SUBPATTERN:
            _, add_flags, del_flags, body = arg
            inner = None if add_flags or del_flags else _first(list(body))   # (?i:…) and the like
        elif op is sre.BRANCH:
            inner = _branch(arg[1])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _, body = arg
            inner = _first(list(body))
            inner = inner and (inner[0], inner[1] or low == 0)
        else:
            return None                                # ., backreferences, conditionals …
        if inner is None:
            return None
        chars += inner[0]
        if not inner[1]:
            return chars, False
    return chars, True


def _branch(alternatives: list) -> tuple[list[str], bool] | None:
    chars, empty = [], False
    for alternative in alternatives:
        inner = _first(list(alternative))
        if inner is None:
            return None
        chars += inner[0]
        empty = empty or inner[1]
    return chars, empty


def _class(items: list) -> list[str] | None:
    pieces = []
    for op, arg in items:
        if op is sre.LITERAL:
            pieces.append(_escape(arg))
        elif op is sre.RANGE:
            pieces.append(f"{_escape(arg[0])}-{_escape(arg[1])}")
        elif op is sre.CATEGORY and arg in _CATEGORIES:
            pieces.append(_CATEGORIES[arg])
        else:
            return None                                # a negated class
    return pieces


_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
               sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}


def _escape(code: int) -> str:
    return re.escape(chr(code))
