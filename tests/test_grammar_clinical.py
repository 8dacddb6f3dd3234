import datetime as dt

import pytest

from casedb.extract import extract_text
from casedb.grammar.demographics import find_occupation
from tests.corpus.clinical import OCCUPATION, ONSET


@pytest.mark.parametrize("expected,symptoms,text", [(e, s, t) for e, s, texts in ONSET for t in texts])
def test_onset(expected, symptoms, text):
    (case,) = [c for n in extract_text("病例1：男，30岁，现住某区。" + text).notices for c in n.cases]
    assert ((case.onset_date.month, case.onset_date.day) if case.onset_date else None) == expected
    assert case.symptoms == symptoms


@pytest.mark.parametrize("expected,text", [(e, t) for e, texts in OCCUPATION for t in texts])
def test_occupation(expected, text):
    assert find_occupation(text) == expected


def test_onset_of_a_group_is_left_to_each_member():
    text = "病例1、2：夫妻，现住某区。妻子1月24日晚出现发热。"
    assert [c.onset_date for n in extract_text(text).notices for c in n.cases] == [None, None]


def test_onset_is_in_the_contract():
    out = extract_text("病例1：男，30岁，快递员。1月27日出现发热、咳嗽等症状。").notices[0].cases[0]
    assert (out.onset_date, out.symptoms, out.occupation) == (dt.date(2020, 1, 27), "发热、咳嗽", "快递员")
