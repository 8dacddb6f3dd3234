import re

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


def test_a_place_read_up_to_what_follows_it_is_the_one_the_rule_without_its_first_character_test_reads():
    """hospital._REST tests the character after each length of the place before the rule after it: the same place
    at every position of the seed texts and of the hospital examples as the rule without that test."""
    from pathlib import Path

    import casedb.grammar.hospital as hospital
    from casedb.read import to_simplified

    without_test = re.compile(
        r"(?P<place>[^，,。；;\n]{2,40}?)(?=(?:进一步|规范|规范化)?(?:接受[\u4e00-\u9fff]{1,6}?治疗|(?:接受|进行了?|继续|集中)?"
        r"(?:隔离|治疗|住院|观察|留观|留院|收治|入院|就诊|复诊|诊治|诊疗)(?!医院|医疗))|(?<=院)(?:集中|接受)?救治|[，,。；;\n]|$)")
    root = Path(__file__).resolve().parent.parent
    texts = [to_simplified(path.read_text(encoding="utf-8")) for path in sorted(root.glob("seeds/*.txt"))]
    texts += [t for _, ts in HOSPITAL for t in ts]
    read = 0
    for text in texts:
        for position in range(len(text) + 1):
            m, expected = hospital._REST.match(text, position), without_test.match(text, position)
            assert (m and m.span("place")) == (expected and expected.span("place")), (text, position)
            read += m is not None
    assert read > 1000
