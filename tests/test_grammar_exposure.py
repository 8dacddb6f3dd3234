import datetime as dt

import pytest

from casedb.grammar.dates import DateContext, find_dates
from casedb.grammar.exposure import find_exposure
from tests.corpus.exposure import EXPOSURE

CTX = DateContext(dt.date(2020, 2, 10))


@pytest.mark.parametrize("expected,text", [(e, t) for e, texts in EXPOSURE for t in texts])
def test_exposure(expected, text):
    found = find_exposure(text, [(d.start, d.end, d.last) for d in find_dates(text, CTX)])
    assert (found and (text[found.start:found.end], found.origin,
                       (found.date.month, found.date.day) if found.date else None)) == expected
