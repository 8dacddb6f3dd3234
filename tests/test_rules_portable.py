"""Every grammar rule matches alike on every Python casedb supports (``requires-python >= 3.11``).

Before 3.11.5, CPython matched a possessive repeat (``X*+``, ``X++``) of anything that can backtrack wrongly
(gh-106052): Debian 12's Python 3.11.2 cut most trajectory clauses short with the clause rule's ``(?:…|…)++``, and
1,129 of 1,866 files parsed differently. A possessive repeat of one character (``[ \\t]*+``) has nothing to backtrack
and matches alike; anything longer is written as a greedy repeat or an atomic group (``(?>(?:…)+)``).
"""
from __future__ import annotations

from re import _constants as sre
from re import _parser

from tests.casedb_rules import casedb_rules

#: Parser nodes that match one character (nothing in them to backtrack).
_ONE_CHARACTER = {sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY, sre.CATEGORY}


def _long_possessive_repeats(parsed) -> list[str]:
    """The possessive repeats in a parsed pattern whose repeated part is more than one character."""
    found = []
    for op, argument in parsed:
        if op is sre.POSSESSIVE_REPEAT:
            repeated = argument[2]
            if not (len(repeated) == 1 and repeated[0][0] in _ONE_CHARACTER):
                found.append(str(repeated))
        items = argument if isinstance(argument, (list, tuple)) else [argument]
        for item in items:
            if isinstance(item, _parser.SubPattern):
                found += _long_possessive_repeats(item)
            elif isinstance(item, (list, tuple)):   # a branch's alternatives, a group's (…, subpattern)
                found += [r for sub in item if isinstance(sub, _parser.SubPattern) for r in _long_possessive_repeats(sub)]
    return found


def test_no_rule_repeats_more_than_one_character_possessively():
    rules = casedb_rules()
    assert len(rules) > 200   # the grammar's rules were found
    offending = {name: repeats for name, rule in rules.items()
                 if (repeats := _long_possessive_repeats(_parser.parse(rule.pattern, rule.flags)))}
    assert not offending


def test_the_check_finds_a_possessive_repeat_of_alternatives():
    assert _long_possessive_repeats(_parser.parse(r"(?:[^，]++|[（(])++"))
    assert _long_possessive_repeats(_parser.parse(r"x(?:ab?c)*+"))
    assert not _long_possessive_repeats(_parser.parse(r"[ \t]*+(?>(?:(?>[^，]+)|[（(])+)"))
