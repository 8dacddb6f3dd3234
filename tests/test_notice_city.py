"""The city of a notice, by order of evidence (tests/corpus/notice_city.py)."""
import pytest

from casedb.notices import find_notices
from casedb.read import read_bytes
from tests.corpus.notice_city import NO_CITY, NOTICE_CITY


def _city(text: str) -> str | None:
    (notice,) = find_notices(read_bytes(text.encode("utf-8"), "x.txt"))
    return notice.city


@pytest.mark.parametrize("expected,text", [(city, text) for city, texts in NOTICE_CITY for text in texts])
def test_notice_city(expected, text):
    assert _city(text) == expected


@pytest.mark.parametrize("text", NO_CITY)
def test_no_city_named(text):
    assert _city(text) is None
