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


def test_a_name_is_cleaned_as_by_its_rules_tried_on_every_name():
    """_clean tries each rule only on a name it may match in (a bracket, a particle's first character, a trailing
    word's last character): the same as trying every rule on every name, as it did."""
    trailing = re.compile(r"(?:等地方|等场所|等地点|等地|等处|等|了|内的?|一带|时|时候|期间|后|的)$")

    def clean_with_every_rule(name):
        head = places._UNCLOSED_HEAD.match(name)
        lead = head.end() if head else 0
        stripped = places._UNCLOSED_TAIL.sub("", name[lead:])
        lead += len(stripped) - len(stripped.lstrip())
        stripped = stripped.strip()
        m = places._LEADING.match(stripped)
        if m and len(stripped) - m.end() >= 2:
            lead += m.end()
            stripped = stripped[m.end():]
        while True:
            cut = trailing.sub("", stripped)
            if cut == stripped or len(cut) < 2:
                break
            stripped = cut
        return stripped, lead

    names = ["甲超市", "东门)某超市等", "某超市（东门", " 到了甲超市内的", "一趟到甲超市等地方", "位于甲小区时候", "自己位于乙村了",
             "过乙商场期间后", "了", "等", "甲\n等", "甲等\n等", "有一次达丙广场一带的"]
    names += [piece for clause in _seed_clauses() for piece in re.split(r"[，,。；;、]", clause) if piece]
    for name in names:
        assert places._clean.__wrapped__(name) == clean_with_every_rule(name), name


def test_a_name_opening_with_no_particle_character_has_no_particle():
    for code in range(0x20, 0x10000):
        if not 0xD800 <= code < 0xE000 and chr(code) not in places._LEADING_FIRST:
            assert places._LEADING.match(chr(code) + "甲乙").end() == 0, chr(code)


def test_a_name_ending_in_no_city_character_is_no_bare_city():
    """_CITY is tried only on a name ending in one of _CITY_LAST: after any character (甲) or a word's first (市区,
    城区, 县城, 郊区, 全市), no other last character makes a match."""
    for code in range(0x20, 0x10000):
        if not 0xD800 <= code < 0xE000 and chr(code) not in places._CITY_LAST:
            assert not any(places._CITY.search(before + chr(code)) for before in ("甲", "市", "城", "县", "郊", "全"))


def test_a_home_is_told_only_by_a_home_character():
    """is_home tries its rule only on a name holding 家, 住, 宿, 居 or 村, as every home word does."""
    assert places.is_home("家中") and places.is_home("宿舍") and places.is_home("暂住地") and places.is_home("本村")
    assert places.is_home("居所") and places.is_home("甲小区家中") and not places.is_home("父母家")
    names = [piece for clause in _seed_clauses() for piece in re.split(r"[，,。；;、]", clause) if piece]
    for name in names + ["自己的处所", "其门口", "小区中"]:
        if not any(c in name for c in "家住宿居村"):
            assert not places._HOME_TARGET.match(name), name


def test_a_place_ending_is_found_as_by_the_rule_of_the_endings():
    """_place_suffix looks the ending up by its last character: the same as the rule it replaced, searched."""
    rule = re.compile("(?:" + "|".join(map(re.escape, sorted(places.PLACE_SUFFIX, key=len, reverse=True))) + ")$")
    texts = ["甲购物中心", "购物中心", "心", "甲中心\n", "店\n", "\n", "", "甲小区家中", "甲超市）", "甲乙"]
    texts += [clause[:end] for clause in _seed_clauses() for end in range(len(clause) + 1)]
    for text in texts:
        found = rule.search(text)
        assert places._place_suffix(text) == (found.group(0) if found else None), text
