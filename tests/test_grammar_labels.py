import pytest

from casedb.grammar.labels import (
    case_starts, day_before, described_persons, division_names_before, find_labels, person_mentions, series_of,
)
from casedb.read import to_simplified
from tests.corpus.labels import (
    DAYS_BEFORE, DESCRIBED_PARAGRAPHS, DIVISIONS_BEFORE, EXAMPLES, MENTIONS, NEGATIVES, NOT_DESCRIBED_PARAGRAPHS,
    NOT_MENTIONS, NOT_OPENERS, ONE_CASE_PER_LABEL, OPENERS,
)

PHRASINGS = [(expected, text) for expected, texts in EXAMPLES for text in texts]


@pytest.mark.parametrize("expected,text", PHRASINGS)
def test_labels(expected, text):
    found = find_labels(to_simplified(text), text)
    assert [(lab.text.replace("確診", "确诊").replace("無症狀", "无症状"), lab.series, lab.number)
            for lab in found] == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_labels(text):
    assert find_labels(text) == []


@pytest.mark.parametrize("text", OPENERS)
def test_opens_a_case(text):
    assert case_starts(text), text


@pytest.mark.parametrize("text", NOT_OPENERS)
def test_does_not_open_a_case(text):
    assert case_starts(text) == []


@pytest.mark.parametrize("expected,text", [(expected, text) for expected, texts in MENTIONS for text in texts])
def test_persons_described_without_a_label(expected, text):
    assert [label.text for label in person_mentions(to_simplified(text))] == expected


@pytest.mark.parametrize("text", NOT_MENTIONS)
def test_no_person_described(text):
    assert person_mentions(to_simplified(text)) == []


@pytest.mark.parametrize("expected,text", [(expected, text) for expected, texts in DESCRIBED_PARAGRAPHS
                                           for text in texts])
def test_persons_described_at_paragraph_starts(expected, text):
    assert [(label.text, label.series) for label in described_persons(to_simplified(text))] == expected


@pytest.mark.parametrize("text", NOT_DESCRIBED_PARAGRAPHS)
def test_no_person_described_at_a_paragraph_start(text):
    assert described_persons(to_simplified(text)) == []


@pytest.mark.parametrize("text,expected", ONE_CASE_PER_LABEL)
def test_a_name_after_a_label_is_the_same_case(text, expected):
    assert [label.text for label in case_starts(text)] == expected


def test_label_text_is_cut_from_the_original_characters():
    original = "個案2,男,44歲"
    (label,) = find_labels(to_simplified(original), original)
    assert label.text == "個案2"


@pytest.mark.parametrize("label,series", [("境外输入无症状感染者1", "imported_asymptomatic"),
                                          ("初筛阳性者2", "screening"), ("病例3", "case")])
def test_series(label, series):
    assert series_of(label) == series


@pytest.mark.parametrize("expected,text,label", [(e, t, lab) for e, items in DAYS_BEFORE for t, lab in items])
def test_the_day_that_numbers_a_label(expected, text, label):
    assert day_before(text, text.index(label)) == expected


@pytest.mark.parametrize("expected,written", DIVISIONS_BEFORE)
def test_the_division_written_before_a_label(expected, written):
    text, label = written
    assert division_names_before(text, text.index(label)) == expected


@pytest.mark.parametrize("rule,reader", [("_KIND_NUMBER", "_kind_numbers"), ("_ORDINAL", "_ordinals")])
def test_rules_read_from_their_cues_give_the_rule_s_matches(rule, reader):
    """labels._kind_numbers (the rule tried where one of its first words is) and labels._ordinals (the rule read from
    the prefix words before each 第 its cue finds): the same matches as the rule's finditer."""
    from pathlib import Path

    from casedb.grammar import labels

    rule, reader = getattr(labels, rule), getattr(labels, reader)
    root = Path(__file__).resolve().parent.parent
    texts = [to_simplified(path.read_text(encoding="utf-8"))
             for path in sorted(root.glob("seeds/*.txt")) + sorted(root.glob("tests/heldout*/*.txt"))]
    texts += [to_simplified(text) for _, phrasings in EXAMPLES for text in phrasings]
    texts += [to_simplified(text) for text in NEGATIVES]
    texts += ["新增的境外输入的本土确诊病例1、2和3", "新增本无症状感染者2", "个案编号案 123", "方案1234", "患者患者十三",
              "本轮新冠病毒的病例3—病例5", "境外输入的本土第3例", "的第5例", "境外输入性第6例", "本土的的第7例",
              "新增本土第1、第2例确诊病例", "本轮新冠病毒第8号病例,新冠肺炎第一时间"]
    assert sum(rule.search(text) is not None for text in texts) > 30
    for text in texts:
        for start in (0, 1, 2, len(text) // 2):
            assert ([(m.span(), m.groupdict()) for m in reader(text, start, len(text))]
                    == [(m.span(), m.groupdict()) for m in rule.finditer(text, start, len(text))]), text


def test_no_prefix_word_ends_another():
    """labels._prefix_start reads the prefix words before a 第 backwards, one word at each step: no word may end
    another, nor with 的."""
    from casedb.grammar import labels

    for word in labels._PREFIX_WORDS:
        assert not word.endswith("的")
        assert not any(other != word and other.endswith(word) for other in labels._PREFIX_WORDS)
