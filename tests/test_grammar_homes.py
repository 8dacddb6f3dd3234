import datetime as dt
import random

import pytest

from casedb.grammar.dates import DateContext
from casedb.grammar.homes import subtract_days
from casedb.grammar.trajectory import parse_trajectory
from tests.corpus.homes import EXAMPLES, NEGATIVES, REFERENCE

CTX = DateContext(reference=REFERENCE)
PHRASINGS = [(expected, text) for expected, texts in EXAMPLES for text in texts]


def homes(text):
    return [(v.date, v.end_date) for v in parse_trajectory(text, CTX) if v.kind == "home"]


@pytest.mark.parametrize("expected,text", PHRASINGS)
def test_home_stays(expected, text):
    assert homes(text) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_home_stays(text):
    assert homes(text) == []


def test_subtract_days_splits_a_stay_into_runs():
    first, last = REFERENCE.replace(day=1), REFERENCE.replace(day=5)
    away = {REFERENCE.replace(day=1), REFERENCE.replace(day=3)}
    assert subtract_days(first, last, away) == [(REFERENCE.replace(day=2), REFERENCE.replace(day=2)),
                                                (REFERENCE.replace(day=4), REFERENCE.replace(day=5))]


def test_subtract_days_keeps_every_day_of_the_range_not_away_and_no_other():
    one = dt.timedelta(days=1)
    rng = random.Random(15)
    for _ in range(2000):
        first, last = (REFERENCE + rng.randint(-20, 5) * one for _ in range(2))
        away = {REFERENCE + rng.randint(-25, 10) * one for _ in range(rng.randint(0, 8))}
        runs = subtract_days(first, last, away)
        kept = [a + n * one for a, b in runs for n in range((b - a).days + 1)]
        assert kept == [first + n * one for n in range((last - first).days + 1) if first + n * one not in away]
        assert all(b + one < c for (_, b), (c, _) in zip(runs, runs[1:]))   # runs are maximal, in order


@pytest.mark.parametrize("text", ["后居村无外出", "之后在家未外出", " 随后居家中一直无再出门", "然后未再外出", "到超市后回家", "居家未外出"])
def test_the_stay_after_an_arrival_is_looked_for_only_where_it_can_be(text):
    from casedb.grammar import homes
    found, matched = homes.find_stay_after_arrival(text), homes._STAY_AFTER_ARRIVAL.match(text)
    assert (found and found.span()) == (matched and matched.span())
