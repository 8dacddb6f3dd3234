import pytest

from casedb.grammar.hospital import find_hospital
from tests.corpus.hospital import HOSPITAL


@pytest.mark.parametrize("expected,text", [(e, t) for e, texts in HOSPITAL for t in texts])
def test_hospital(expected, text):
    span = find_hospital(text)
    assert (span and text[span[0]:span[1]]) == expected
