"""The work counter used by the growth-rate tests sees quadratic work and linear work apart."""
import re

import casedb.grammar.dates as dates
from tests.work import counted

PATTERN = next(name for name, value in vars(dates).items() if isinstance(value, re.Pattern))


def _rescan_from_every_position(text):
    pattern = getattr(dates, PATTERN)
    for position in range(len(text)):
        pattern.search(text, position)


def _scan_once(text):
    list(getattr(dates, PATTERN).finditer(text))


def _work(function, text):
    with counted() as work:
        function(text)
    return work.total


def test_quadratic_scanning_grows_sixteen_fold():
    small, large = (_work(_rescan_from_every_position, "甲" * size) for size in (500, 2000))
    assert large > 14 * small


def test_one_scan_grows_four_fold_and_patterns_are_restored():
    small, large = (_work(_scan_once, "甲" * size) for size in (500, 2000))
    assert 3.5 * small < large < 4.5 * small
    assert isinstance(getattr(dates, PATTERN), re.Pattern)
