"""Issue 15's "parse scans less": a rule skipped for a text it cannot match, never one that matches.

The date rules run only on a text holding one character of each group a rule needs (a range: a day's
unit and a separator) and the rule's hint, if it has one (a range: a separator right before a number).
Here every rule is run on every text anyway: a skipped rule finds nothing.
"""
from pathlib import Path

import pytest

import casedb.grammar.dates as dates
from casedb.grammar.trajectory import _CLAUSE
from casedb.read import to_simplified
from tests.corpus.dates import EXAMPLES, FIRST_DAYS, LISTS, NEGATIVES, PAGE_DAYS, YEAR_ROLLOVER, YEAR_WRITTEN

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PHRASES = [text for group in (EXAMPLES, LISTS, YEAR_WRITTEN) for _, texts in group for text in texts]
PHRASES += [text for _, text, _ in YEAR_ROLLOVER + PAGE_DAYS + FIRST_DAYS] + [text for text in NEGATIVES if isinstance(text, str)]


def _clauses() -> list[str]:
    texts = [to_simplified(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))[:40]]
    return [m.group(0) for text in texts for m in _CLAUSE.finditer(text)]


def _skipped_rules_match(text: str) -> list[str]:
    present = set(dates._NEEDED.findall(text))
    return [rule for rule, pattern, needs, also, hint in dates._RULES
            if (present.isdisjoint(needs) or (also and present.isdisjoint(also)) or (hint and not hint.search(text)))
            and pattern.search(text)]


@pytest.mark.parametrize("text", PHRASES)
def test_a_date_rule_is_skipped_only_where_it_finds_nothing(text):
    assert _skipped_rules_match(text) == []


def test_no_date_rule_skipped_on_the_seed_clauses_would_have_matched():
    clauses = _clauses()
    assert len(clauses) > 1000
    assert [(clause, rules) for clause in clauses if (rules := _skipped_rules_match(clause))] == []
