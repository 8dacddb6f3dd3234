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



def _masked_times(text: str) -> str:
    """What the trajectory walker hands to find_rides: clock times masked, offsets kept."""
    from casedb.grammar.places import MASK
    from casedb.grammar.times import find_times

    chars = list(text)
    for match in find_times(text):
        chars[match.start:match.end] = MASK * (match.end - match.start)
    return "".join(chars)


@pytest.mark.parametrize("text,expected", [
    ("乘坐航班CA1678(08:30-10:50)抵达北京", "CA1678"),
    ("乘坐航班CA1678（08:30）抵达北京", "CA1678"),
    ("乘坐出租车(京B12345)回家", "(京B12345)"),
])
def test_masked_times_in_brackets_stay_out_of_the_vehicle(text, expected):
    assert [ride.vehicle for ride in find_rides(_masked_times(text))] == [expected]
