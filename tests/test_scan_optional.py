"""casedb.grammar.scan compiles each optional group ``(?:X)?`` of casedb's rules as the alternation ``(?:X|)``, and
has the engine scan for the characters their matches start with: the same matches, spans and groups as
``re.compile`` of the rule's own text."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from casedb.grammar import scan
from casedb.read import to_simplified
from tests.casedb_rules import casedb_rules
from tests.shared_data import DEVSET

ROOT = Path(__file__).resolve().parents[1]


def _texts() -> list[str]:
    paths = sorted(ROOT.glob("seeds/*.txt")) + sorted(DEVSET.glob("*.txt"))[:40]
    return [to_simplified(path.read_text(encoding="utf-8")) for path in paths]


def _matches(rule: re.Pattern, text: str) -> list:
    found = [(m.span(), m.groups()) for m in rule.finditer(text)]
    for start in range(0, len(text), 97):              # a search from inside the text, and one that must stop early
        for m in (rule.search(text, start), rule.search(text, start, start + 40), rule.match(text, start)):
            found.append(m and (m.span(), m.groups()))
    return found


def test_every_rule_matches_as_re_compile_of_its_text():
    rules = list({(rule.pattern, rule.flags): rule for rule in casedb_rules().values()}.values())
    rewritten = [rule for rule in rules if rule != scan.compile_plainly(rule.pattern, rule.flags)]
    assert len(rules) > 300 and len(rewritten) > 50
    texts = _texts()
    for rule in rewritten:
        plain = scan.compile_plainly(rule.pattern, rule.flags)
        assert (rule.groups, rule.groupindex) == (plain.groups, plain.groupindex), rule.pattern
        for text in texts:
            subject = text.encode() if isinstance(rule.pattern, bytes) else text
            assert _matches(rule, subject) == _matches(plain, subject), rule.pattern


@pytest.mark.parametrize("pattern, texts", [
    (r"(?:ab)?c", ["c", "abc", "abxc", "ab"]),
    (r"x(a(b)?)?(b)?y", ["xy", "xay", "xaby", "xby", "xabby", "xaby xy"]),
    (r"(?P<one>a|ab)?(?(one)c|d)", ["ac", "abc", "d", "abd", "ad"]),
    (r"(?:(a)|b)*(?:(a)c)?a", ["aaca", "bab", "aacaac", "ba"]),
    (r"((?:a(?:b(c)?)?)?d)+", ["abcd", "abdad", "d", "abcdabd", "acd"]),
    (r"(?:(?:)?a)?(?:a*)?b", ["b", "ab", "aab", "aaab"]),
    (r"(?!(?:ab)?c)\w", ["ac", "abc", "c", "b"]),
    (r"(?=(ab)?)\w", ["ab", "b"]),
])
def test_an_optional_group_matches_as_before(pattern, texts):
    plain, made = scan.compile_plainly(pattern), scan.compile_anew(pattern)
    for text in texts:
        assert _matches(made, text) == _matches(plain, text), text
    assert (made.pattern, made.groups, made.groupindex) == (plain.pattern, plain.groups, plain.groupindex)


@pytest.mark.parametrize("pattern, rewritten", [
    (r"(?:ab)?c", True), (r"(a)?c", True), (r"(?:a(?:bc)?)+", True), (r"(?>(?:ab)?)c", True),
    (r"(?:ab)??c", False), (r"(?:ab)?+c", False), (r"a?b", False), (r"(?:[ab])?c", False), (r"(?:ab){0,2}", False),
])
def test_only_a_greedy_optional_group_is_rewritten(pattern, rewritten):
    """Lazy and possessive optional groups, a single optional character (the engine's fast one-item repeat) and
    other repeats compile as re.compile compiles them."""
    made = scan._pattern(pattern, scan._compile_arguments(pattern, 0, optional_as_branch=True))
    assert (made != scan.compile_plainly(pattern)) is rewritten


def test_only_casedb_rules_are_rewritten():
    """A regex another library compiles while the parser's rules are compiled (dataclasses has one with an
    optional group) is re.compile's."""
    pattern = r"^(?:\s*(\w+)\s*\.)?\s*(\w+)"
    compile_ = scan._RuleFile(None, scan._rule_file_key(), scan.compile_plainly)
    elsewhere, in_casedb = {"__name__": "dataclasses"}, {"__name__": "casedb.grammar.rules"}
    assert scan.compile_plainly(pattern) != scan.compile_anew(pattern)
    for where, made in ((elsewhere, scan.compile_plainly(pattern)), (in_casedb, scan.compile_anew(pattern))):
        assert eval("compile_(pattern)", where, {"compile_": compile_, "pattern": pattern}) == made
