"""Onset date, symptoms and occupation of a case (issue 17): stored by revision 0008 and the writer, read
back typed by ``casedb.frames()``, shown by ``casedb show`` and exported — on SQLite and PostgreSQL.

The records are made by the toy parser (tests/toy_notices.py) plus an ``ONSET`` line, so these tests do not
wait for the grammar that fills the fields from real notices.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from casedb.export import LINELIST, TABLES, export, globalhealth_records, linelist, read_tables, \
    validate_globalhealth
from casedb.records import SourceText
from casedb.store import connect, downgrade, frames, load, upgrade
from casedb.store.models import cases as cases_t
from casedb.store.query import case_report, find_cases
from tests.toy_notices import notice_text, parse

FEVER = "发热、咳嗽"
SICK = "CASE 病例1 case 1 male 40\nONSET 2022-04-08 发热、咳嗽 快递员\nVISIT 2022-04-02 20:00 喜茶店 买奶茶"
WELL = "CASE 病例2 case 2 female 30"


def parse_with_onset(source: SourceText):
    """The toy parser, and ``ONSET <date> <symptoms> [occupation]`` for the case before it."""
    notices = parse(source)
    cases = [case for notice in notices for case in notice.cases]
    for line in source.text.splitlines():
        word, *fields = line.split() or [""]
        if word == "CASE":
            case = next(c for c in cases if c.label == fields[0])
        elif word == "ONSET":
            case.onset_date, case.symptoms = dt.date.fromisoformat(fields[0]), fields[1]
            case.occupation = fields[2] if len(fields) > 2 else None
    return notices


def _loaded(tmp_path, url) -> None:
    folder = tmp_path / "notices"
    folder.mkdir()
    (folder / "a.txt").write_text(notice_text("太原市", "2022-04-13", SICK, WELL), encoding="utf-8")
    summary = load([folder], url, parser=parse_with_onset, workers=1)
    assert summary.files_failed == 0 and summary.rows.cases == 2


def test_the_writer_stores_onset_symptoms_and_occupation(tmp_path, db_url):
    _loaded(tmp_path, db_url)
    engine = connect(db_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(cases_t.c.label, cases_t.c.onset_date, cases_t.c.symptoms,
                                            cases_t.c.occupation).order_by(cases_t.c.label)).all()
    assert [tuple(row) for row in rows] == [("病例1", dt.date(2022, 4, 8), FEVER, "快递员"),
                                            ("病例2", None, None, None)]
    cases = frames(engine, tables=("cases",))["cases"]
    assert cases["onset_date"].dtype == cases["positive_date"].dtype == "datetime64[s]"
    assert cases["onset_date"].tolist()[0] == pd.Timestamp("2022-04-08") and pd.isna(cases["onset_date"].iloc[1])
    assert cases["symptoms"].dtype == "string"
    engine.dispose()


def test_show_prints_onset_and_symptoms_when_present(tmp_path, db_url):
    _loaded(tmp_path, db_url)
    engine = connect(db_url)
    (sick,), (well,) = find_cases(engine, "病例1"), find_cases(engine, "病例2")
    report = case_report(engine, sick)
    assert "onset date: 2022-04-08" in report.splitlines() and f"symptoms: {FEVER}" in report.splitlines()
    assert "occupation: 快递员" in report.splitlines()
    assert not any(line.startswith(("onset date:", "symptoms:")) for line in case_report(engine, well).splitlines())
    engine.dispose()


def test_exports_carry_onset_and_symptoms(tmp_path, db_url):
    _loaded(tmp_path, db_url)
    engine = connect(db_url)
    tables = read_tables(engine)
    cases = tables["cases"].set_index("label")
    assert cases.loc["病例1", "onset_date"] == dt.date(2022, 4, 8) and cases.loc["病例1", "symptoms"] == FEVER
    assert pd.isna(cases.loc["病例2", "onset_date"]) and pd.isna(cases.loc["病例2", "symptoms"])
    tables["cases"].insert(tables["cases"].columns.get_loc("age") + 1, "age_band", None)
    lines = linelist(tables).set_index("label")
    assert list(lines.columns).index("onset_date") == list(lines.columns).index("first_positive_date") + 1
    assert lines.loc["病例1", "onset_date"] == dt.date(2022, 4, 8)

    records = {record["caseReference"]["sourceEntryId"]: record for record in globalhealth_records(tables)}
    validate_globalhealth(list(records.values()))
    assert {"name": "onsetSymptoms", "dateRange": {"start": "2022-04-08", "end": "2022-04-08"},
            "value": FEVER} in records["病例1"]["events"]
    assert records["病例1"]["demographics"]["occupation"] == "快递员"
    assert all(event["name"] != "onsetSymptoms" for event in records["病例2"]["events"])

    for fmt in ("csv", "parquet", "json"):
        out = tmp_path / fmt
        export(engine, out, fmt=fmt)
        if fmt == "parquet":
            read = {name: pd.read_parquet(out / f"{name}.parquet") for name in (*TABLES, LINELIST)}
            assert read["cases"]["onset_date"].tolist()[0] == dt.date(2022, 4, 8)
        elif fmt == "csv":
            read = {name: pd.read_csv(out / f"{name}.csv", dtype=str) for name in (*TABLES, LINELIST)}
            assert read["cases"]["onset_date"].tolist()[0] == "2022-04-08"
            assert read[LINELIST]["onset_date"].tolist()[0] == "2022-04-08"
            assert read["cases"]["symptoms"].tolist()[0] == FEVER
        else:
            read = {name: pd.read_json(out / f"{name}.json", dtype=False) for name in (*TABLES, LINELIST)}
            assert read["cases"]["onset_date"].tolist()[0] == "2022-04-08"

    pseudonymised = tmp_path / "pseudonymised"
    export(engine, pseudonymised, fmt="json", pseudonymise=True, salt="s")
    shared = pd.read_json(pseudonymised / "cases.json", dtype=False)
    assert shared["onset_date"].tolist()[0] == "2022-04-08" and shared["symptoms"].tolist()[0] == FEVER
    engine.dispose()


def test_revision_0008_adds_and_removes_the_columns_keeping_the_rows(tmp_path, db_url):
    _loaded(tmp_path, db_url)
    engine = connect(db_url)

    def columns() -> set[str]:
        return {column["name"] for column in sa.inspect(engine).get_columns("cases")}

    assert {"onset_date", "symptoms"} <= columns()
    downgrade(engine, "0007")
    assert not {"onset_date", "symptoms"} & columns()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM cases")).scalar() == 2
        assert connection.execute(sa.text("SELECT count(*) FROM visits WHERE case_id IS NOT NULL")).scalar() == 1
    upgrade(engine)
    assert {"onset_date", "symptoms"} <= columns()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM cases WHERE onset_date IS NULL")).scalar() == 2
    engine.dispose()
