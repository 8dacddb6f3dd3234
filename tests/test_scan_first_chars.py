"""casedb.grammar.scan gives the regex engine the characters a casedb rule's matches start with when the compiler
found none (a rule led by a lookaround or an optional group): the engine's search skips to them, and finds the
same matches as ``re.compile``'s."""
from __future__ import annotations

import re

import pytest

from casedb.grammar import scan


def _matches(rule: re.Pattern, text: str) -> list:
    found = [(m.span(), m.groups()) for m in rule.finditer(text)]
    for start in range(len(text) + 1):
        for m in (rule.search(text, start), rule.search(text, start, start + 3), rule.match(text, start),
                  rule.fullmatch(text, start)):
            found.append(m and (m.span(), m.groups()))
    return found


def _scans_for_first_chars(pattern: str, flags: int = 0) -> bool:
    return scan.compile_anew(pattern, flags) != scan._pattern(
        pattern, scan._compile_arguments(pattern, flags, optional_as_branch=True))


_TEXT = "xabf abf cef 乙丙 ,甲乙 A1 a1 甲 xa 1 2"


@pytest.mark.parametrize("pattern, flags, scanned", [
    (r"(?<!x)ab", 0, True),                        # one character: scanned for as a literal prefix
    (r"(?<!x)(?:ab|[cd]e)f", 0, True),
    (r"(?=[甲乙])(?:甲乙|乙丙)", 0, True),
    (r"(?:^|[,，])甲", 0, True),
    (r"(?:(?:\d)|)[A-Za-z]\d?", 0, True),
    (r"(?<!x)(a)?b", 0, True),
    (r"(?<![a-z])\d", re.ASCII, True),
    (r"(?<!x)[一-龥]乙", 0, False),                # a class too wide to scan for
    (r"ab", 0, False),                             # the compiler's own literal prefix
    (r"(?<!x)a?", 0, False),                       # a match may be empty
    (r"(?<!x)ab", re.IGNORECASE, False),
    (r"(?<!x)[^a]b", 0, False),                    # any character but one
    (r"(?<!x).b", 0, False),
])
def test_first_chars_scanned_for_matches_as_re_compile(pattern, flags, scanned):
    made, plain = scan.compile_anew(pattern, flags), scan.compile_plainly(pattern, flags)
    assert _scans_for_first_chars(pattern, flags) is scanned
    assert _matches(made, _TEXT) == _matches(plain, _TEXT)
