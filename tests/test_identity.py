"""Who is who across notices: a number counts where the notice counts it (issue 16, "Identity").

Before this, every number counted for the whole city: Wenzhou's lists that restart every day (患者一…) put 19
cases of different people on 9 persons (患者二十二 of 泰顺县, 瑞安市 and 乐清市 were one man), and in the
Shijiazhuang .doc all 126 relations that name a day's number (为1月14日第42号确诊病例的丈夫, 为今日第9号…) were
linked to the city's 病例42, 病例9…: 22 of its 40 spouse links joined two people of the same sex. The known
answers below are read from the texts themselves, not from the parser.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from casedb.extract import extract_file
from casedb.records import IN_NOTICE, Case, Notice, Relation
from casedb.store import connect, downgrade, load, upgrade
from tests.raw_rows import insert_document
from tests.shared_data import SHARED, require, require_shijiazhuang_doc

WENZHOU = SHARED / "reference" / "hcow-announcement" / "assets"
#: A relation's label after a day that numbers it (1月12日74号确诊病例和75号确诊病例, 今日第6号), read off the text.
DAY_NUMBERED = re.compile(r"(?:\d{1,2}月\d{1,2}[日号]|今日|当日)(?:第?\d+号?(?:确诊病例)?[和、])*$")


def _rows(url: str, sql: str) -> list[tuple]:
    engine = connect(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


# --- Wenzhou: 27 daily notices, each listing the day's new cases from 患者一 ------------------------------

@pytest.fixture(scope="module")
def wenzhou(tmp_path_factory) -> str:
    folder = require(WENZHOU)
    assert len(list(folder.glob("*.txt"))) == 27
    url = f"sqlite:///{tmp_path_factory.mktemp('wenzhou') / 'casedb.sqlite'}"
    assert load([folder], url).ok
    return url


def test_no_wenzhou_person_joins_two_days(wenzhou):
    """Each file is one day's list of new patients: a person never has cases in two files."""
    merged = _rows(wenzhou, """SELECT person_id, count(DISTINCT document_id) FROM cases WHERE person_id IS NOT NULL
                               GROUP BY person_id HAVING count(DISTINCT document_id) > 1""")
    assert merged == []                                           # 9 persons, 19 cases before
    numbered, persons, linked = _rows(wenzhou, """SELECT count(*), count(DISTINCT person_id), count(person_id)
                                                  FROM cases WHERE number IS NOT NULL""")[0]
    assert numbered == persons == linked                          # 68 linked before (the guard refused the rest)


def test_the_three_wenzhou_patients_22_are_three_persons(wenzhou):
    """患者二十二 of 泰顺县, 瑞安市 and 乐清市 (three men, as their files say) are three persons."""
    written = {}
    for path in sorted(WENZHOU.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"患者二十二，(男|女)，(\d+)岁，现住(泰顺县|瑞安市|乐清市)", line)
            if m:
                written[m.group(3)] = (path.stem, m.group(1), int(m.group(2)))
    assert sorted(written) == ["乐清市", "泰顺县", "瑞安市"]
    assert {sex for _, sex, _ in written.values()} == {"男"}
    stored = _rows(wenzhou, """SELECT c.residence, c.age, c.person_id, c.number_scope, n.published FROM cases c
                               JOIN notices n ON n.id = c.notice_id WHERE c.label = '患者二十二'""")
    by_residence = {residence: (age, person, scope, str(published)) for residence, age, person, scope, published
                    in stored if residence in written}
    assert {residence: age for residence, (age, *_) in by_residence.items()} == {
        residence: age for residence, (_, _, age) in written.items()}
    assert len({person for _, person, _, _ in by_residence.values()}) == 3 and None not in {
        person for _, person, _, _ in by_residence.values()}
    assert all(scope == f"day:{published}" for _, _, scope, published in by_residence.values())


# --- Shijiazhuang: 869 cases numbered 病例1… for the city, relations to the numbers of a day ---------------

@pytest.fixture(scope="module")
def shijiazhuang(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('shijiazhuang') / 'casedb.sqlite'}"
    assert load([require_shijiazhuang_doc()], url).ok
    return url


def _relations(url: str) -> list[tuple]:
    """(text before the other label, other_scope, linked case's number and scope, kind, owner's and other's sex)."""
    document = _rows(url, "SELECT text FROM documents")[0][0]
    out = []
    for start, end, other, scope, number, target_scope, kind, sex, other_sex in _rows(url, """
            SELECT r.span_start, r.span_end, r.other_label, r.other_scope, t.number, t.number_scope, r.kind,
                   o.sex, t.sex
            FROM relations r JOIN cases o ON o.id = r.case_id LEFT JOIN cases t ON t.id = r.other_case_id"""):
        at = document.find(other, start, end)
        assert at >= 0
        out.append((document[max(0, at - 30):at], scope, number, target_scope, kind, sex, other_sex))
    return out


def test_a_days_number_links_to_no_case_of_the_city(shijiazhuang):
    relations = _relations(shijiazhuang)
    assert len(relations) == 132
    day_numbered = [r for r in relations if DAY_NUMBERED.search(r[0])]
    assert len(day_numbered) == 126
    assert [r for r in day_numbered if r[2] is not None] == []     # 126 linked to 病例N before
    assert all(scope.startswith("day:2021-01-") or scope == IN_NOTICE for _, scope, *_ in day_numbered)
    linked = [r for r in relations if r[2] is not None]
    assert len(linked) == 6 and all(target_scope == "" for _, _, _, target_scope, *_ in linked)


def test_no_spouse_link_joins_two_people_of_the_same_sex(shijiazhuang):
    spouses = [r for r in _relations(shijiazhuang) if r[4] == "spouse"]
    assert len(spouses) == 40                                      # every stated spouse is kept
    assert [r for r in spouses if r[2] is not None and r[5] == r[6]] == []   # 22 before


# --- how the parser scopes numbers, and the store uses the scopes -----------------------------------

DAILY_LIST = """2020年1月28日0-24时，温州市报告新增新型冠状病毒感染的肺炎确诊病例2例。
截至1月28日24时，温州市累计报告新型冠状病毒感染的肺炎确诊病例114例。
新增病例情况：
患者一，男，32岁，现住洞头区，1月21日武汉返回温州，1月21日出现发热。
患者二，女，54岁，现住乐清市，与患者一为夫妻关系，1月17日出现咳嗽。
"""
CUMULATIVE_LIST = DAILY_LIST.replace("累计报告新型冠状病毒感染的肺炎确诊病例114例", "累计报告新型冠状病毒感染的肺炎确诊病例2例")


def _cases(tmp_path: Path, content: str) -> list[Case]:
    path = tmp_path / "notice.txt"
    path.write_text(content, encoding="utf-8")
    return [case for notice in extract_file(path).notices for case in notice.cases]


def test_a_list_of_the_days_new_cases_counts_for_that_day(tmp_path):
    cases = _cases(tmp_path, DAILY_LIST)
    assert [(c.label, c.number_scope) for c in cases] == [("患者一", "day:2020-01-28"), ("患者二", "day:2020-01-28")]
    assert [(r.other, r.other_scope) for r in cases[1].relations] == [("患者一", "day:2020-01-28")]


def test_a_first_list_that_is_the_citys_whole_count_is_cumulative(tmp_path):
    assert [c.number_scope for c in _cases(tmp_path, CUMULATIVE_LIST)] == ["", ""]


def test_a_relation_takes_the_day_written_before_its_label(tmp_path):
    cases = _cases(tmp_path, "2021年1月20日石家庄市新增确诊病例\n病例9\n男，7岁，为1月12日74号确诊病例和75号确诊病例的儿子，"
                             "与今日第3号确诊病例同住，与病例5为同事。\n")
    assert [(r.other, r.other_scope) for r in cases[0].relations] == [
        ("74号确诊病例", "day:2021-01-12"), ("75号确诊病例", "day:2021-01-12"), ("第3号确诊病例", "day:2021-01-20"),
        ("病例5", "")]


def test_a_district_that_numbers_its_own_cases(tmp_path):
    """泰顺县患者二十二 is the county's number 22; 患者二十二 in the same notice names that case."""
    cases = _cases(tmp_path, "2020年2月3日温州市新增确诊病例\n病例9\n男，37岁，现住鹿城区，与患者二十二为同事。\n"
                             "泰顺县患者二十二\n男，40岁，现住泰顺县。\n")
    assert [(c.label, c.number_scope) for c in cases] == [("病例9", ""), ("患者二十二", "district:泰顺县")]
    assert [(r.other, r.other_scope) for c in cases for r in c.relations] == [
        ("患者二十二", "district:泰顺县"), ("病例9", "")]


def _notice(published: str, *cases: Case) -> Notice:
    return Notice(city="温州市", published=dt.date.fromisoformat(published), cases=list(cases))


def _case(label: str, number: int, sex: str, age: int, scope: str = "", residence: str | None = None,
          relations: tuple[Relation, ...] = ()) -> Case:
    return Case(label=label, series="case", number=number, sex=sex, age=age, residence=residence,
                number_scope=scope, relations=list(relations))


def _load(tmp_path: Path, documents: dict[str, Notice]) -> str:
    """Load ``documents`` (file name → its one notice) through a parser that returns them."""
    for name in documents:
        (tmp_path / f"{name}.txt").write_text(name, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'casedb.sqlite'}"
    assert load([tmp_path], url, parser=lambda source: [documents[source.text]]).ok
    return url


def test_persons_and_links_follow_the_scope(tmp_path):
    day_27, day_28 = "day:2020-01-27", "day:2020-01-28"
    url = _load(tmp_path, {
        "a": _notice("2020-01-27", _case("患者三", 3, "male", 40, day_27), _case("病例3", 3, "female", 60)),
        "b": _notice("2020-01-28", _case("患者三", 3, "female", 20, day_28,
                                         relations=(Relation("患者三", "spouse", "丈夫", other_scope=day_27),))),
        "c": _notice("2020-01-29", _case("患者四", 4, "male", 30, day_28, relations=(
            Relation("患者三", "other", "同事", other_scope=day_28), Relation("病例3", "other", "同事"),
            Relation("患者三", "other", "同事", other_scope=IN_NOTICE)))),
        "d": _notice("2020-01-30", _case("患者三", 3, "male", 41, day_27)),   # 1月27日's 患者三, told again
    })
    persons = dict(_rows(url, "SELECT n.published || ' ' || c.label, c.person_id FROM cases c "
                              "JOIN notices n ON n.id = c.notice_id"))
    assert persons["2020-01-27 患者三"] == persons["2020-01-30 患者三"]
    assert len({persons["2020-01-27 患者三"], persons["2020-01-28 患者三"], persons["2020-01-27 病例3"]}) == 3
    links = _rows(url, """SELECT owner_notice.published, r.other_label, r.other_scope, target_notice.published
                          FROM relations r JOIN cases o ON o.id = r.case_id JOIN notices owner_notice
                          ON owner_notice.id = o.notice_id LEFT JOIN cases t ON t.id = r.other_case_id
                          LEFT JOIN notices target_notice ON target_notice.id = t.notice_id ORDER BY r.id""")
    assert [(str(owner), label, scope, target and str(target)) for owner, label, scope, target in links] == [
        ("2020-01-28", "患者三", day_27, "2020-01-30"),   # the latest case of that day's 患者三
        ("2020-01-29", "患者三", day_28, "2020-01-28"),
        ("2020-01-29", "病例3", "", "2020-01-27"),         # the city's 病例3, not a day's 患者三
        ("2020-01-29", "患者三", IN_NOTICE, None),        # counted in its own notice, which has none
    ]


def test_a_person_is_not_linked_across_districts_of_residence(tmp_path):
    url = _load(tmp_path, {
        "a": _notice("2020-02-01", _case("病例5", 5, "male", 40, residence="鹿城区")),
        "b": _notice("2020-02-02", _case("病例5", 5, "male", 40, residence="瓯海区")),   # someone else
        "c": _notice("2020-02-03", _case("病例5", 5, "male", 41)),                      # no residence: him
        "d": _notice("2020-02-04", _case("病例5", 5, "male", 40, residence="鹿城区五马街道")),
    })
    persons = [person for person, in _rows(url, "SELECT c.person_id FROM cases c JOIN notices n ON n.id = c.notice_id "
                                                "ORDER BY n.published")]
    assert persons[0] is not None and persons[1] is None and persons[0] == persons[2] == persons[3]


def test_revision_0011_keeps_stored_rows_and_gives_them_the_citys_scope(db_url):
    """Rows stored before revision 0011 count for the city ('', as they were linked) until parsed again; the
    downgrade drops the two columns and keeps the rows and their links."""
    engine = connect(db_url)
    upgrade(engine, "0010")
    with engine.begin() as connection:
        insert_document(connection)
        connection.execute(text("INSERT INTO notices (id, document_id, city, published, year_in_text, parser_version)"
                                " VALUES (1, 1, '温州市', '2020-01-28', true, 'v')"))
        for case_id, label in ((1, "患者一"), (2, "患者二")):
            connection.execute(text("INSERT INTO cases (id, notice_id, document_id, label, series, number,"
                                    " parser_version) VALUES (:id, 1, 1, :label, 'case', :id, 'v')"),
                               {"id": case_id, "label": label})
        connection.execute(text("INSERT INTO relations (case_id, document_id, other_label, other_case_id, kind,"
                                " parser_version) VALUES (2, 1, '患者一', 1, 'spouse', 'v')"))
    upgrade(engine)
    assert _rows(db_url, "SELECT id, number_scope FROM cases ORDER BY id") == [(1, ""), (2, "")]
    assert _rows(db_url, "SELECT other_case_id, other_scope FROM relations") == [(1, "")]
    downgrade(engine, "0010")
    columns = {table: {column["name"] for column in sa.inspect(engine).get_columns(table)}
               for table in ("cases", "relations")}
    assert "number_scope" not in columns["cases"] and "other_scope" not in columns["relations"]
    assert _rows(db_url, "SELECT other_case_id FROM relations") == [(1,)]
    upgrade(engine)
    engine.dispose()
