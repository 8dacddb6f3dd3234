import pytest

from casedb.notices import find_notices
from casedb.read import read_bytes
from tests.corpus.published import EXAMPLES

PAGES = [(expected, page) for expected, pages in EXAMPLES for page in pages]


@pytest.mark.parametrize("expected,page", PAGES)
def test_published_date(expected, page):
    (notice,) = find_notices(read_bytes(page.encode("utf-8"), "x.txt"))
    assert notice.published == expected
