import datetime as dt

import pytest

from casedb.grammar.dates import DateContext
from casedb.grammar.places import after_detection_starts, find_places, split_activity
from casedb.grammar.trajectory import parse_trajectory
from tests.corpus.places import (AFTER_DETECTION, EXAMPLES, IN_TRAJECTORIES, LISTED_NEGATIVES, NEGATIVES,
                                  SELF_PRESENTED_THEN_ADMITTED, TAKEN_BY_FAMILY)

PHRASINGS = [(expected, text) for expected, texts in EXAMPLES for text in texts]


@pytest.mark.parametrize("expected,text", PHRASINGS)
def test_places(expected, text):
    assert [(p.place, p.activity) for p in find_places(text)] == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_places(text):
    assert find_places(text) == []


@pytest.mark.parametrize("text", LISTED_NEGATIVES)
def test_not_places_in_a_list_item(text):
    assert find_places(text, listed=True) == []


@pytest.mark.parametrize("text", TAKEN_BY_FAMILY)
def test_driven_by_family_is_a_visit(text):
    assert after_detection_starts(text) is None and len(find_places(text)) == 1


@pytest.mark.parametrize("text,admission", SELF_PRESENTED_THEN_ADMITTED)
def test_a_hospital_the_case_went_to_comes_before_the_admission(text, admission):
    assert after_detection_starts(text) == text.index(admission)


@pytest.mark.parametrize("text", AFTER_DETECTION)
def test_after_detection_is_not_a_visit(text):
    assert after_detection_starts(text) == 0


def test_spans_point_at_the_place():
    text = "在万象汇楼下奈雪店买果茶"
    (found,) = find_places(text)
    assert text[found.start:found.end] == found.place


def test_activity_word_inside_a_name_does_not_split_it():
    assert split_activity("新华东方购物中心购物") == ("新华东方购物中心", "购物")
    assert split_activity("小区5楼的屋顶花园停留") == ("小区5楼的屋顶花园", "停留")


@pytest.mark.parametrize("expected,text", [(expected, text) for expected, texts in IN_TRAJECTORIES for text in texts])
def test_places_in_a_trajectory(expected, text):
    visits = parse_trajectory(text, DateContext(reference=dt.date(2020, 9, 20)))
    assert [(v.place, v.date and v.date.strftime("%m-%d")) for v in visits if v.kind == "visit"] == expected
