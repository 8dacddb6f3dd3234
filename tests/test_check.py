"""casedb check: each kind of suspicious row is found, a clean case is not (SQLite and PostgreSQL)."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from click.testing import CliRunner

from casedb import check, store
from casedb.cli import main
from tests.analysis_db import DbBuilder

PUBLISHED = dt.date(2022, 4, 13)
DAY = dt.date(2022, 4, 2)



def kinds_by_label(db) -> dict[str, set[str]]:
    """Label (or "no case") → the kinds of finding about it."""
    found: dict[str, set[str]] = {}
    for finding in check.findings(db.engine):
        found.setdefault(finding.label or "no case", set()).add(finding.kind)
    return found


def test_a_clean_database_has_no_findings(db):
    notice = db.notice(published=PUBLISHED)
    wife = db.case(notice, "病例1", positive_date=DAY, sex="female", age=40, isolation_date=DAY)
    husband = db.case(notice, "病例2", positive_date=DAY, sex="male", age=42)
    son = db.case(notice, "病例3", positive_date=DAY, sex="male", age=12)
    db.relation(wife, husband, "spouse")
    db.relation(son, wife, "child")
    db.relation(husband, son, "parent")
    shop = db.place("美特好超市")
    db.visit(wife, shop, DAY - dt.timedelta(days=1), "10:00")
    db.visit(wife, shop, DAY - dt.timedelta(days=1), "15:00")     # the same place again, later: not a copy
    db.visit(wife, None, DAY + dt.timedelta(days=1), place_text="市第八医院", activity="就诊")
    db.visit(husband, None, DAY + dt.timedelta(days=1), kind="transit", place_text="120救护车")
    for _ in range(2):
        db.visit(husband, None, DAY - dt.timedelta(days=1), kind="transit", place_text="出租车")  # there and back
    back_from_abroad = db.case(notice, "病例4", positive_date=DAY, isolation_date=DAY - dt.timedelta(days=25))
    db.visit(back_from_abroad, None, DAY - dt.timedelta(days=10), kind="transit", place_text="地铁2号线")  # released
    assert check.findings(db.engine) == []


def test_each_kind_of_suspicious_row_is_found(db):
    notice = db.notice(published=PUBLISHED)
    one_person = db.person(number=9)
    men = [db.case(notice, f"病例{n}", positive_date=DAY, sex="male", age=age)
           for n, age in ((1, 40), (2, 30), (3, 45))]
    db.relation(men[0], men[1], "spouse")                       # two men
    db.relation(men[2], men[1], "child")                        # a child (45) older than the parent (30)
    late = db.case(notice, "病例4", positive_date=DAY, isolation_date=DAY - dt.timedelta(days=1))
    db.visit(late, db.place("万达广场"), DAY + dt.timedelta(days=1), place_text="万达广场", activity="购物")
    copied = db.case(notice, "病例5")
    for _ in range(2):
        db.visit(copied, None, DAY, "09:30", place_text="点水楼")
    early = db.case(notice, "病例6", onset_date=PUBLISHED - dt.timedelta(days=61))
    written = db.case(notice, "病例8", onset_date=PUBLISHED - dt.timedelta(days=61), year_inferred=False)
    db.visit(written, None, PUBLISHED - dt.timedelta(days=90), place_text="超市", year_inferred=False)
    db.visit(early, None, PUBLISHED + dt.timedelta(days=1), place_text="超市")
    other_notice = db.notice(published=PUBLISHED)
    db.case(notice, "病例7", sex="male", person_id=one_person)
    db.case(other_notice, "病例7", sex="female", person_id=one_person)

    found = kinds_by_label(db)
    assert found == {
        "病例1": {"same_sex_spouse"},
        "病例3": {"parent_too_young"},
        "病例4": {"visit_after_positive"},
        "病例5": {"duplicate_visit"},
        "病例6": {"date_outside_notice"},
        "病例7": {"person_two_sexes"},
    }
    outside = [f.detail for f in check.findings(db.engine, ["date_outside_notice"])]
    assert sorted(outside) == ["onset date 2022-02-11 (notice published 2022-04-13)",
                               "visit date 2022-04-14 (notice published 2022-04-13)"]
    assert [f.detail for f in check.findings(db.engine, ["duplicate_visit"])] == ["2 × visit 2022-04-02 09:30 点水楼"]


def test_a_parent_less_than_twelve_years_older_is_suspicious_from_either_side(db):
    notice = db.notice(published=PUBLISHED)
    mother = db.case(notice, "病例1", sex="female", age=30)
    daughter = db.case(notice, "病例2", sex="female", age=19)
    db.relation(mother, daughter, "parent")
    db.relation(daughter, mother, "child")
    assert kinds_by_label(db) == {"病例1": {"parent_too_young"}, "病例2": {"parent_too_young"}}


def test_a_notice_without_a_publication_date_is_bounded_by_its_latest_positive_date(db):
    undated = db.notice(published=None)
    first = db.case(undated, "病例1", positive_date=DAY - dt.timedelta(days=90))   # a long compiled list: fine
    db.case(undated, "病例2", positive_date=DAY)
    db.visit(first, None, DAY - dt.timedelta(days=100), place_text="超市")
    db.visit(first, None, DAY + dt.timedelta(days=365), kind="home")               # a year too late
    assert [f.detail for f in check.findings(db.engine)] == [
        "visit date 2023-04-02 (notice not dated; its latest positive date is 2022-04-02)"]


def test_an_unknown_kind_is_refused(db):
    with pytest.raises(ValueError, match="bogus"):
        check.findings(db.engine, ["bogus"])


# --- the command ---------------------------------------------------------------------------------

@pytest.fixture
def suspicious_url(sqlite_url):
    engine = store.connect(sqlite_url)
    db = DbBuilder(engine)
    notice = db.notice(published=PUBLISHED, title="关于病例1、2的通告")
    husband = db.case(notice, "病例1", sex="male")
    db.relation(husband, db.case(notice, "病例2", sex="male"), "spouse")
    engine.dispose()
    return sqlite_url


def test_the_command_prints_one_line_per_finding_with_case_and_source(suspicious_url):
    result = CliRunner().invoke(main, ["check", "--db", suspicious_url])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "same_sex_spouse: case #1 病例1 (太原市): spouse of 病例2 (case #2), both male (no phrase)"
        " — hand-built: 关于病例1、2的通告"]
    assert result.stderr == "1 finding: same_sex_spouse 1\n"


def test_the_command_writes_csv_and_filters_by_kind(suspicious_url):
    result = CliRunner().invoke(main, ["check", "--db", suspicious_url, "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(row["kind"], row["case_id"], row["label"], row["city"], row["source"], row["title"]) for row in rows] \
        == [("same_sex_spouse", "1", "病例1", "太原市", "hand-built", "关于病例1、2的通告")]
    filtered = CliRunner().invoke(main, ["check", "--db", suspicious_url, "--kind", "duplicate_visit"])
    assert (filtered.exit_code, filtered.stdout, filtered.stderr) == (0, "", "no findings\n")


def test_the_command_names_a_missing_database_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["check", "--db", str(tmp_path / "missing.sqlite")])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"casedb: {tmp_path / 'missing.sqlite'}: no such database file"]
