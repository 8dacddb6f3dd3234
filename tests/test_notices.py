import datetime as dt
from pathlib import Path

import pytest

from casedb.notices import context_for, find_notices
from casedb.read import read_bytes, read_path
from tests.corpus.dates import CONTEXT_YEAR

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _notices(text):
    return find_notices(read_bytes(text.encode("utf-8"), "x.txt"))


NEWS = """本报讯 4月3日晚,太原市小店区报告5例核酸检测初筛阳性感染者,社区迅速组织核酸检测。
4月11日,迎泽区开展全员核酸检测,志愿者早早来到社区。
小店区丽泽佳苑社区有一例确诊病例,环卫中心19名党员先后4次深入封控区。
"""

NOTICE = """新冠肺炎疫情通报
关于病例8—9活动轨迹的通告
(2022年第12号)
现将病例8—9活动轨迹通告如下:
病例8
女,56岁,居住于万柏林区松源小区。4月6日居家未外出。
病例9
男,19岁,居住于万柏林区公园美地小区。4月2日20:00左右在喜茶店买奶茶。
请广大市民对照以上轨迹自查。
大同市疫情防控领导小组办公室
2022年4月13日
"""


def test_news_without_a_notice_has_none():
    assert _notices(NEWS) == []


def test_notice_inside_news():
    (notice,) = _notices(NEWS + "\n" + NOTICE + "\n" + NEWS)
    assert notice.title == "关于病例8—9活动轨迹的通告"
    assert notice.number == "2022年第12号"
    assert notice.issuer == "大同市疫情防控领导小组办公室"
    assert notice.city == "大同市"
    assert notice.published == dt.date(2022, 4, 13)
    assert [lab.text for lab in notice.case_starts] == ["病例8", "病例9"]


def test_raw_trajectory_without_label_is_a_notice():
    text = "1月16日晚17时许,乘CA1823直飞宜昌。\n1月18日23时许,乘坐航班CA1824直飞北京。\n1月23日早6时许,抵达哈尔滨西站。\n"
    (notice,) = _notices(text)
    assert notice.case_starts == []
    assert notice.year_in_text is False


def test_two_notices_in_one_page():
    second = NOTICE.replace("病例8", "病例1").replace("病例9", "病例2").replace("8—9", "1—2")
    notices = _notices(NOTICE + "\n\n" + second)
    assert [[lab.text for lab in n.case_starts] for n in notices] == [["病例8", "病例9"], ["病例1", "病例2"]]


@pytest.mark.parametrize("name", ["000", "002", "003", "004"])
def test_seed_pages_without_notice(name):
    (path,) = SEEDS.glob(f"{name}_*.txt")
    assert find_notices(read_path(path)) == []


def test_seed_page_with_notice():
    (path,) = SEEDS.glob("001_*.txt")
    (notice,) = find_notices(read_path(path))
    assert notice.title == "关于病例48—51活动轨迹的通告"
    assert notice.published == dt.date(2022, 4, 13)
    assert notice.city == "太原市"


@pytest.mark.parametrize("expected,text", [(year, text) for year, texts in CONTEXT_YEAR for text in texts])
def test_only_a_written_year_sets_the_year_of_a_notice_without_a_date(expected, text):
    source = read_bytes(text.encode("utf-8"), "x.txt")
    (notice,) = find_notices(source)
    assert context_for(notice, source.simplified).year == expected


def test_a_notice_number_is_read_from_its_first_di_hao_as_the_rule_searched_from_the_start():
    """notices._notice_number: the same match (span and number) as the rule searched over the whole window."""
    import re

    from casedb.notices import _NUMBER, _notice_number
    from casedb.read import to_simplified

    texts = [to_simplified(path.read_text(encoding="utf-8")) for path in sorted(SEEDS.glob("*.txt"))]
    texts += [to_simplified(path.read_text(encoding="utf-8"))
              for path in sorted((SEEDS.parent / "tests").glob("heldout*/*.txt"))]
    texts += [NOTICE, "(2022年第12号)", "〔 2022 年 第 3 号 〕", "［2021年第5号］", "2022年 第12号", "12 2022年第1号",
              "第1234567号 第12号", "(第12号", "年第3号", "（（2022年第12号)", "第 号 第二 第 7 号", "第12号病例"]
    assert sum(_NUMBER.search(text) is not None for text in texts) >= 5
    for text in texts:
        for start in sorted({0, *(m.end() for m in re.finditer("\n", text))})[:200]:
            for end in (len(text), start + 400, start + 9):
                old = _NUMBER.search(text, start, end)
                new = _notice_number(text, start, end)
                assert (old and (old.span(), old.span("number"))) == (new and (new.span(), new.span("number"))), text
        for start in range(min(len(text), 60)):
            old, new = _NUMBER.search(text, start), _notice_number(text, start, len(text))
            assert (old and (old.span(), old.span("number"))) == (new and (new.span(), new.span("number"))), text
