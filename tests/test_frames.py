"""``casedb.frames()`` gives real dtypes on SQLite and PostgreSQL (issue 17: typed data)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from casedb import store
from casedb.records import RELATION_KINDS, VISIT_KINDS
from casedb.store.dataframes import CATEGORICAL, apply_dtypes, frames
from casedb.store.models import metadata
from tests.analysis_db import DbBuilder


@pytest.fixture
def engine(db_url):
    engine = store.connect(db_url)
    db = DbBuilder(engine)
    notice = db.notice(published=dt.date(2022, 4, 13))
    db.notice(city=None, published=None)                       # a notice with no date at all
    first = db.case(notice, "病例1", positive_date=dt.date(2022, 4, 11), sex="female", age=30,
                    isolation_date=dt.date(2022, 4, 9), series="case")
    second = db.case(notice, "病例2", category=None)             # no date, no age, no category
    shop = db.place("喜茶店", district="小店区")
    db.visit(first, shop, dt.date(2022, 4, 2), "20:00", "21:15", part_of_day=None)
    db.visit(second, None, dt.date(2022, 4, 5), kind="home", end_date=dt.date(2022, 4, 7))
    db.relation(second, first, "spouse", other_label="病例1")
    yield engine
    engine.dispose()


def test_every_column_has_a_real_dtype(engine):
    tables = frames(engine)
    cases, visits, notices = tables["cases"], tables["visits"], tables["notices"]
    assert cases["positive_date"].dtype == "datetime64[s]" and cases["isolation_date"].dtype == "datetime64[s]"
    assert list(cases["positive_date"]) == [pd.Timestamp("2022-04-11"), pd.NaT]
    assert notices["published"].dtype == "datetime64[s]" and notices["published"].isna().tolist() == [False, True]
    assert visits["date"].dtype == visits["end_date"].dtype == "datetime64[s]"
    assert visits["start"].dtype == visits["end"].dtype == "datetime64[us]"
    assert visits["start"].iloc[0] == pd.Timestamp("2022-04-02 20:00")
    assert tables["documents"]["first_seen"].dtype == "datetime64[us]"
    assert tables["documents"]["fetched_at"].dtype == "datetime64[us]"      # all NULL: still a datetime
    assert cases["age"].dtype == "Int64" and cases["age"].isna().tolist() == [False, True]
    assert cases["id"].dtype == visits["case_id"].dtype == "Int64"
    assert notices["year_in_text"].dtype == "boolean"
    assert cases["label"].dtype == "string" and cases["residence"].dtype == "string"   # all NULL: still text
    assert tables["places"]["latitude"].dtype == "Float64"


def test_small_vocabularies_are_categories_with_the_documented_values_first(engine):
    tables = frames(engine)
    for table, columns in CATEGORICAL.items():
        for column in columns:
            assert isinstance(tables[table][column].dtype, pd.CategoricalDtype), f"{table}.{column}"
    cases = tables["cases"]
    assert list(cases["category"].cat.categories) == ["confirmed", "asymptomatic", "suspected"]
    assert cases["category"].isna().tolist() == [False, True]
    assert list(cases["sex"].cat.categories) == ["male", "female"]
    assert list(tables["visits"]["kind"].cat.categories) == list(VISIT_KINDS)
    assert list(tables["relations"]["kind"].cat.categories) == list(RELATION_KINDS)
    assert cases["category"].value_counts()["suspected"] == 0        # never seen, still counted


def test_dates_compare_with_strings_and_timestamps(engine):
    cases = frames(engine)["cases"]
    assert cases[cases["positive_date"] >= "2022-04-10"]["label"].tolist() == ["病例1"]
    delay = (cases["positive_date"] - cases["isolation_date"]).dt.days
    assert delay.iloc[0] == 2


def test_date32_keeps_dates_as_dates_through_parquet(engine, tmp_path):
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    tables = frames(engine, dates="date32")
    visits = tables["visits"]
    assert str(visits["date"].dtype) == "date32[day][pyarrow]" and visits["date"].iloc[0] == dt.date(2022, 4, 2)
    path = tmp_path / "visits.parquet"
    visits.to_parquet(path, index=False)
    schema = pq.read_schema(path)
    assert str(schema.field("date").type) == "date32[day]" and str(schema.field("start").type) == "timestamp[us]"
    assert str(schema.field("case_id").type) == "int64"
    back = pd.read_parquet(path)
    assert {column: str(dtype) for column, dtype in back.dtypes.items()} == {
        column: str(dtype) for column, dtype in visits.dtypes.items()}
    def plain(frame):
        return frame.astype(object).where(frame.notna(), None).to_dict("records")
    assert plain(back) == plain(visits)


def test_apply_dtypes_follows_labelled_columns(engine):
    cases = metadata.tables["cases"]
    frame = pd.DataFrame({"case_id": [1, None], "positive_date": ["2022-04-11", None], "category": ["confirmed", None]})
    apply_dtypes(frame, [cases.c.id.label("case_id"), cases.c.positive_date, cases.c.category])
    assert frame["case_id"].dtype == "Int64" and frame["positive_date"].dtype == "datetime64[s]"
    assert isinstance(frame["category"].dtype, pd.CategoricalDtype)
    with pytest.raises(ValueError):
        apply_dtypes(frame, [], dates="text")
