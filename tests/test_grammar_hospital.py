import pytest

from casedb.grammar.hospital import find_hospital
from tests.corpus.hospital import HOSPITAL


@pytest.mark.parametrize("expected,text", [(e, t) for e, texts in HOSPITAL for t in texts])
def test_hospital(expected, text):
    span = find_hospital(text)
    assert (span and text[span[0]:span[1]]) == expected



def test_the_verbs_read_from_the_reach_of_the_first_institution_word_find_what_all_the_verbs_find(monkeypatch):
    """find_hospital reads its verbs from _PLACE_MAX characters before the first institution word (from that clause's
    start): the same hospital as from the body's start, on the seed and held-out texts and their lines."""
    from pathlib import Path

    import casedb.grammar.hospital as hospital
    from casedb.read import to_simplified

    root = Path(__file__).resolve().parent.parent
    paths = sorted(root.glob("seeds/*.txt")) + sorted(root.glob("tests/heldout*/*.txt"))
    texts = [to_simplified(path.read_text(encoding="utf-8")) for path in paths]
    texts += [line for text in texts for line in text.splitlines()] + [t for _, ts in HOSPITAL for t in ts]
    found = [find_hospital(text) for text in texts]
    read_from_reach = [text for text, span in zip(texts, found) if span is not None
                       and hospital._reach_start(text, hospital._MEDICAL_CUE.search(text).start()) > 0]
    assert len(read_from_reach) > 100
    monkeypatch.setattr(hospital, "_reach_start", lambda body, cue: 0)
    assert [find_hospital(text) for text in texts] == found
