import pytest

from casedb.grammar import times
from casedb.grammar.times import find_times
from tests.corpus.times import EXAMPLES, IN_PARENTHESES, NEGATIVES

PHRASINGS = [(expected, text) for expected, texts in EXAMPLES for text in texts]


@pytest.mark.parametrize("expected,text", PHRASINGS)
def test_times(expected, text):
    found = find_times(text)
    assert len(found) == 1, found
    assert (found[0].time, found[0].end_time, found[0].part_of_day) == expected


@pytest.mark.parametrize("text,expected", IN_PARENTHESES)
def test_time_in_parentheses_after_a_place(text, expected):
    assert [t.time for t in find_times(text)] == [expected]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_times(text):
    assert find_times(text) == []


def test_spans_point_at_the_time():
    text = "4月2日20:00左右在喜茶店"
    (found,) = find_times(text)
    assert text[found.start:found.end] == "20:00左右"


def test_the_clock_groups_read_are_the_time_rules_groups_of_each_end():
    for prefix, names in times._CLOCK_GROUPS.items():
        assert sorted(names) == sorted(name for name in times._TIME_RANGE.groupindex
                                       if name.startswith(prefix) and name != prefix + "part")


def test_each_rule_runs_on_every_text_that_may_hold_its_matches():
    """find_times runs the clock rule only on a text holding a clock's mark, and the rule of parts of the day only on
    one holding 午, 晚, 早, 夜 or 晨: every match of each holds one (a clock's mark follows its hour in both of its
    forms, 8时 and 8:30)."""
    assert all(any(mark in word for mark in "午晚早夜晨") for word in times.PARTS_OF_DAY)
    texts = [text for _, phrasings in EXAMPLES for text in phrasings] + [text for text, _ in IN_PARENTHESES] + NEGATIVES
    clocks = [m.group(0) for text in texts for m in times._TIME_RANGE.finditer(text)]
    assert clocks and all(any(mark in clock for mark in "时点時:：∶") for clock in clocks)
