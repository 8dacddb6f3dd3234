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
