import pytest

from casedb.extract import extract_text
from casedb.grammar.demographics import (find_age, find_category, find_category_and_diagnosis, find_diagnosis,
                                        find_residence, find_school, find_sex, find_spouse_sex)
from casedb.read import to_simplified
from tests.corpus.demographics import AGE, CATEGORY, POSITIVE_DATE, RESIDENCE, SCHOOL, SEX, SPOUSE_SEX


def _cases(corpus):
    return [(expected, text) for expected, texts in corpus for text in texts]


@pytest.mark.parametrize("expected,text", _cases(SEX))
def test_sex(expected, text):
    assert find_sex(text) == expected


@pytest.mark.parametrize("expected,text", _cases(SPOUSE_SEX))
def test_sex_from_the_spouse(expected, text):
    assert find_spouse_sex(text) == expected


@pytest.mark.parametrize("expected,text", _cases(AGE))
def test_age(expected, text):
    assert find_age(text) == expected


@pytest.mark.parametrize("expected,text", _cases(CATEGORY))
def test_category(expected, text):
    assert find_category(text) == expected


@pytest.mark.parametrize("expected,text", _cases(CATEGORY) + [("asymptomatic", "經診斷為無症狀感染者。")])
def test_category_and_diagnosis_read_together_as_apart(expected, text):
    simplified = to_simplified(text)
    assert find_category_and_diagnosis(simplified, text) == (find_category(simplified), find_diagnosis(text))


def test_category_falls_back_to_the_label():
    assert find_category("4月11日核酸检测结果阳性", "无症状感染者3") == "asymptomatic"
    assert find_category("", "确诊病例2") == "confirmed"


@pytest.mark.parametrize("expected,text", _cases(RESIDENCE))
def test_residence(expected, text):
    span = find_residence(text)
    assert (text[span[0]:span[1]] if span else None) == expected


@pytest.mark.parametrize("expected,text", _cases(SCHOOL))
def test_school(expected, text):
    assert find_school(text) == expected


@pytest.mark.parametrize("expected,text", _cases(POSITIVE_DATE))
def test_positive_date(expected, text):
    (case,) = [c for n in extract_text("病例1：男，30岁。" + text).notices for c in n.cases]
    assert (case.positive_date and (case.positive_date.month, case.positive_date.day)) == expected
