import datetime as dt

import pytest

from casedb.extract import extract_text
from casedb.grammar.dates import DateContext
from casedb.grammar.place_lists import heading_end, read_place_list
from casedb.read import to_simplified
from tests.corpus.place_lists import EXAMPLES, HEADINGS, HEADINGS_AFTER_LAST_CASE, NEGATIVES, NOT_HEADINGS, REFERENCE

CTX = DateContext(reference=REFERENCE)
PHRASINGS = [(expected, text) for expected, texts in EXAMPLES for text in texts]


def visits(text):
    return [(v.date, v.start.strftime("%H:%M") if v.start else None, v.place)
            for v in read_place_list(text, CTX) if v.kind == "visit"]


@pytest.mark.parametrize("heading", HEADINGS)
def test_shared_list_headings(heading):
    text = to_simplified("病例1，女，36岁。" + heading)
    assert heading_end(text, 0, len(text)) == (text.index("。") + 1, len(text))


@pytest.mark.parametrize("heading", HEADINGS_AFTER_LAST_CASE)
def test_place_headings_are_shared_only_after_the_last_case(heading):
    text = to_simplified("病例1，女，36岁。" + heading)
    assert heading_end(text, 0, len(text)) is None
    assert heading_end(text, 0, len(text), after_last_case=True) == (text.index("。") + 1, len(text))


@pytest.mark.parametrize("text", NOT_HEADINGS)
def test_not_shared_list_headings(text):
    assert heading_end(text, 0, len(text)) is None


@pytest.mark.parametrize("expected,text", PHRASINGS)
def test_listed_places(expected, text):
    assert visits(text) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_listed_places(text):
    assert visits(text) == []


def test_places_read_keep_their_position_in_the_document():
    text = "3人涉及的风险点位如下：东方超市、人民公园。"
    start = text.index("：") + 1
    (first, second) = read_place_list(text[start:], CTX, start)
    assert text[first.span[0]:first.span[1]] == "东方超市"
    assert text[second.span[0]:second.span[1]] == "人民公园"


LABELLED = """关于新增2例无症状感染者活动轨迹的通告
病例1，女，36岁，住金水区绿都城。4月16日13时许到南曹乡大润发超市购物。
病例2，男，38岁，住金水区绿都城。4月17日居家未外出。
2人涉及的风险点位如下：南曹乡胖东来便利店、郑州东站地下停车场。
请与上述地点有时空交集的人员主动报备。
东城区疫情防控指挥部
2022年4月20日
"""

UNLABELLED = """东城区新增2例无症状感染者
4月16日0时至24时,东城区新增2例无症状感染者,均在集中隔离点例行核酸检测中发现。
现将2例无症状感染者在集中隔离前的行程轨迹公布如下:
4月11日8时左右,东风路早市;12时15分至12时28分左右,松林路市场。
4月13日17时30分左右,福满多超市(黄河路108-3号)。
与上述活动轨迹有时空交集的人员,请立即向所在社区报告。
东城区疫情防控指挥部
2022年4月17日
"""


def test_a_list_for_several_labelled_cases_is_the_notices_not_the_last_cases():
    (notice,) = extract_text(LABELLED).notices
    assert [(v.date, v.place) for v in notice.unattributed_visits] == [(None, "南曹乡胖东来便利店"), (None, "郑州东站地下停车场")]
    assert [v.place for v in notice.cases[1].visits if v.kind == "visit"] == []


def test_verbless_list_items_of_several_unlabelled_persons():
    (notice,) = extract_text(UNLABELLED).notices
    assert notice.cases == []
    assert [(v.date, v.place) for v in notice.unattributed_visits] == [
        (dt.date(2022, 4, 11), "东风路早市"), (dt.date(2022, 4, 11), "松林路市场"), (dt.date(2022, 4, 13), "福满多超市(黄河路108-3号)")]
