import re

import pytest

from casedb.grammar.hospital import find_hospital
from tests.corpus.hospital import HOSPITAL


@pytest.mark.parametrize("expected,text", [(e, t) for e, texts in HOSPITAL for t in texts])
def test_hospital(expected, text):
    span = find_hospital(text)
    assert (span and text[span[0]:span[1]]) == expected



def test_the_clauses_that_hold_an_institution_word_read_from_the_last_find_what_the_whole_text_read_at_once_finds():
    """find_hospital reads only the clauses that hold an institution word, the last first, and stops at the first
    that names a hospital: the same hospital as reading every verb (and 被/由) of the text at once, on the seed and
    held-out texts and their lines."""
    from pathlib import Path

    import casedb.grammar.hospital as hospital
    from casedb.read import to_simplified

    root = Path(__file__).resolve().parent.parent
    paths = sorted(root.glob("seeds/*.txt")) + sorted(root.glob("tests/heldout*/*.txt"))
    texts = [to_simplified(path.read_text(encoding="utf-8")) for path in paths]
    texts += [line for text in texts for line in text.splitlines()] + [t for _, ts in HOSPITAL for t in ts]
    found = [find_hospital(text) for text in texts]
    assert found == [hospital._named_in(text, 0, len(text)) for text in texts]
    before_the_last = [text for text, span in zip(texts, found)
                       if span is not None and span[1] < hospital._LAST_NAMING_CLAUSE.match(text).start("clause")]
    assert len(before_the_last) > 30


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


def test_a_name_is_read_where_an_institution_word_is_and_only_there():
    """hospital._NAME_END matching is the test of whether a place holds an institution word (hospital._MEDICAL)."""
    from pathlib import Path

    import casedb.grammar.hospital as hospital
    from casedb.read import to_simplified

    root = Path(__file__).resolve().parent.parent
    texts = [to_simplified(path.read_text(encoding="utf-8")) for path in sorted(root.glob("seeds/*.txt"))]
    pieces = [piece for text in texts for piece in re.split(r"[，,。；;\n]", text)] + [t for _, ts in HOSPITAL for t in ts]
    assert sum(hospital._MEDICAL.search(piece) is not None for piece in pieces) > 100
    for piece in pieces:
        assert (hospital._NAME_END.match(piece) is None) == (hospital._MEDICAL.search(piece) is None), piece
