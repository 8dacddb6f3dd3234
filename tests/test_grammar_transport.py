import pytest

from casedb.grammar.transport import find_rides
from tests.corpus.transport import EXAMPLES, NEGATIVES, VEHICLES

PHRASINGS = [(expected, text) for expected, texts in EXAMPLES for text in texts]


@pytest.mark.parametrize("expected,text", PHRASINGS)
def test_rides(expected, text):
    assert [(ride.place, ride.mode) for ride in find_rides(text)] == expected


@pytest.mark.parametrize("text,expected", VEHICLES)
def test_vehicle_details(text, expected):
    assert [ride.vehicle for ride in find_rides(text)] == [expected]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_rides(text):
    assert find_rides(text) == []
