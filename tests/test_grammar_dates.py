import datetime as dt
import re
from pathlib import Path

import pytest

from casedb.grammar.dates import MAYBE_DATE, DateContext, find_dates, in_window, resolve
from tests.corpus.dates import (CURRENT, EXAMPLES, FIRST_DAYS, LISTS, NEGATIVES, PAGE_DAYS, REFERENCE, WINDOW,
                                 YEAR_ROLLOVER, YEAR_WRITTEN)

CTX = DateContext(reference=REFERENCE, current=CURRENT)
PHRASINGS = [(expected, text) for expected, texts in EXAMPLES for text in texts]
LIST_PHRASINGS = [(expected, text) for expected, texts in LISTS for text in texts]
YEAR_PHRASINGS = [(expected, text) for expected, texts in YEAR_WRITTEN for text in texts]


@pytest.mark.parametrize("expected,text", PHRASINGS)
def test_dates(expected, text):
    found = find_dates(text, CTX)
    assert len(found) == 1, found
    assert (found[0].date, found[0].end_date) == expected


@pytest.mark.parametrize("expected,text", LIST_PHRASINGS)
def test_lists_of_days(expected, text):
    found = find_dates(text, CTX)
    assert len(found) == 1 and found[0].days == expected


@pytest.mark.parametrize("reference,text,expected", YEAR_ROLLOVER)
def test_year_from_the_notice_date(reference, text, expected):
    assert [m.date for m in find_dates(text, DateContext(reference=reference))] == [expected]


@pytest.mark.parametrize("reference,text,expected", PAGE_DAYS)
def test_a_day_from_the_page_date(reference, text, expected):
    assert find_dates(text, DateContext(reference=reference))[-1].date == expected


@pytest.mark.parametrize("first,text,expected", FIRST_DAYS)
def test_a_day_on_or_after_the_first_day_a_notice_may_tell(first, text, expected):
    assert [m.date for m in find_dates(text, DateContext().from_day(first))] == [expected]


@pytest.mark.parametrize("expected,text", YEAR_PHRASINGS)
def test_a_match_says_whether_its_year_is_written(expected, text):
    (found,) = find_dates(text, CTX)
    assert found.year_written is expected


@pytest.mark.parametrize("reference,day,year_written,expected", WINDOW)
def test_the_notice_window(reference, day, year_written, expected):
    assert in_window(day, reference, year_written) is expected


def test_a_day_just_after_the_notice_keeps_the_notice_year_and_falls_outside_its_window():
    reference = dt.date(2022, 1, 5)
    (found,) = find_dates("1月8日", DateContext(reference=reference))
    assert found.date == dt.date(2022, 1, 8) and not in_window(found.date, reference, found.year_written)


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_dates(text):
    assert find_dates(text, CTX) == []


def test_spans_point_at_the_date():
    text = "病例1于4月5日到超市"
    (found,) = find_dates(text, CTX)
    assert text[found.start:found.end] == "4月5日"


def test_each_date_moves_the_current_date_on():
    found = find_dates("12月30日到超市，1月2日居家，3日到医院", DateContext(reference=None, year=2021))
    assert [m.date.isoformat() for m in found] == ["2021-12-30", "2022-01-02", "2022-01-03"]


def test_year_rolls_over_in_a_trajectory_read_from_a_january_notice():
    found = find_dates("12月31日—1月2日", DateContext(reference=REFERENCE.replace(month=1, day=5)))
    assert (found[0].date.isoformat(), found[0].end_date.isoformat()) == ("2021-12-31", "2022-01-02")


def test_resolve_without_any_year_uses_the_assumed_year():
    assert resolve(2, 29, DateContext()).month == 2
    assert resolve(4, 13, DateContext(year=2021)).year == 2021
    assert resolve(2, 30, DateContext(year=2021)) is None


def test_without_current_is_the_context_with_no_current_day():
    ctx = DateContext(dt.date(2021, 1, 10), dt.date(2021, 1, 5), 2021, dt.date(2020, 12, 15), floor=True)
    assert ctx.without_current() == ctx._replace(current=None)
    assert type(ctx.without_current()) is DateContext


def test_the_range_and_single_rules_groups_are_read_in_their_order():
    from casedb.grammar import dates
    # (_range_match and _single_match read them with m.groups())
    for rule, names in ((dates._RANGE, dates._RANGE_GROUPS), (dates._SINGLE, dates._SINGLE_GROUPS)):
        assert tuple(sorted(rule.groupindex, key=rule.groupindex.get)) == names
        assert rule.groups == len(names)


def test_maybe_date_ends_where_its_plain_alternation_ends():
    """MAYBE_DATE is written for the engine to skip to its first characters (a digit's mark found at the mark); it
    finds what the plain alternation finds, ending at the same place, searched from a text's start or a sentence's."""
    plain = re.compile(r"[日号號/]|昨[天晚]|今天|[0-9０-９][.．\-]|当[日天晚]|同[日天0-9０-９]|次[日晚]|翌日|第二天|隔天|前一[天日]")
    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[:40]
    texts = [text for _, text in PHRASINGS + LIST_PHRASINGS + YEAR_PHRASINGS] + [
        text for text in NEGATIVES if isinstance(text, str)] + [
        "体温38.7℃", "2021-01-02", "4．13", "1-2人", "。5.", "同5日", "前一日", "隔天"] + [
        path.read_text(encoding="utf-8") for path in seeds]
    for text in texts:
        for start in [0] + [m.end() for m in re.finditer("[。；;\n]", text)]:
            found, expected = MAYBE_DATE.search(text, start), plain.search(text, start)
            assert (found and found.end()) == (expected and expected.end()), (text, start)
