import pytest

from casedb.grammar.discovery import find_discovery
from tests.corpus.discovery import DISCOVERY


@pytest.mark.parametrize("expected,text", [(e, t) for e, texts in DISCOVERY for t in texts])
def test_discovery(expected, text):
    found = find_discovery(text)
    assert (found and (found.kind, text[found.start:found.end])) == expected
