import datetime as dt
import re

import pytest

from casedb.grammar import places
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


def _seed_clauses() -> list[str]:
    from pathlib import Path

    from casedb.grammar.trajectory import _CLAUSE
    from casedb.read import to_simplified
    seeds = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))[:40]
    return [m.group(0) for path in seeds for m in _CLAUSE.finditer(to_simplified(path.read_text(encoding="utf-8")))]


@pytest.mark.parametrize("rule", [places._STOP, places._NOT_A_PLACE, places._ISSUER, places._SELF_PRESENTED])
def test_place_rules_led_by_their_first_characters_match_as_compiled_plainly(rule):
    """The rules tried at every character of a clause or name are led by a lookahead (scan.compile_rule)."""
    assert rule.pattern.startswith("(?=[")
    plain = re.compile(rule.pattern.split("])", 1)[1])
    texts = [text for _, text in PHRASINGS] + NEGATIVES + [
        "社区", "上午在超市购物", "第3排6座", "3人", "屯门区两间食肆", "胸部CT示肺炎", "转至定点医院", "居住于甲小区",
        "根据疫情防控需要", "到甲医院就诊后隔离"]
    for text in texts + _seed_clauses():
        assert [m.span() for m in rule.finditer(text)] == [m.span() for m in plain.finditer(text)]
