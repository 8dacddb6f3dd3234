"""Parse workers hand over ready rows (``casedb.store.rows``), and the loader never lets one slow document
hold up the others (issue 15, "workers that build rows"). No timing: what is checked is which rows are
stored, and what had happened by the time a slow document was parsed.

The toy parser (tests/toy_notices.py) stands in for the real one.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from casedb.places import normalise_place, place_columns
from casedb.store import load
from casedb.store import loading, worker
from casedb.store.parsed import PLACE_ROW
from casedb.store.rows import place_row
from tests.toy_notices import notice_text, parse

CASE = ("CASE 病例{n} case {n} {sex} {age}\nVISIT 2022-04-02 20:00 茂业天地楼下喜茶店{shop} 买奶茶\n"
        "VISIT 2022-04-03 - 北京市海淀区{shop}号超市门口\nRIDE 2022-04-02 D24{n}次列车\nHOME 2022-04-06 2022-04-07\n"
        "REL 病例{other} child 女儿")


def _write_folder(folder: Path, documents: int, cases: int = 3) -> None:
    folder.mkdir(exist_ok=True)
    for d in range(documents):
        body = [CASE.format(n=n, sex="male" if n % 2 else "female", age=20 + n % 50, shop=n % 7, other=max(1, n - 1))
                for n in range(d * cases + 1, d * cases + cases + 1)]
        body.append(f"SHARED 2022-04-05 第{d % 5}人民医院")
        (folder / f"{d:03d}.txt").write_text(notice_text(("太原市", "西安市")[d % 2], "2022-04-13", *body),
                                             encoding="utf-8")


@pytest.mark.parametrize("name,city", [
    ("茂业天地楼下喜茶店", "太原市"), ("北京市海淀区3号超市门口", "太原市"), ("省人民医院发热门诊", "福州市"),
    ("鼓楼区五四路", "福州市"), ("D2424次列车", None), ("北国超市(益庄店)", "石家庄市"), ("某小区", ""),
])
def test_a_new_places_row_is_the_one_place_columns_gives(name, city):
    columns = place_columns(name, city)
    expected = dict(columns, name=normalise_place(name, city).name or name)
    del expected["normalised_name"]
    assert dict(zip(PLACE_ROW, place_row(name, city))) == expected


def _all_rows(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = {table: connection.exec_driver_sql(f"SELECT * FROM {table} ORDER BY id").all()
                for table in ("notices", "cases", "visits", "relations", "persons", "places")}
    engine.dispose()
    return rows


def test_rows_built_in_the_workers_are_the_rows_the_writer_builds(tmp_path, monkeypatch):
    """Two parse workers (rows built there, in tasks of a few documents) give the very rows, ids included, of
    one process where the writer builds them from the parsed notices (as for a document made elsewhere)."""
    folder = tmp_path / "notices"
    _write_folder(folder, loading.MIN_DOCUMENTS_FOR_POOL + 10)
    monkeypatch.setattr(loading, "WRITE_BATCH_SECONDS", 3600)   # batches by count only: the same every run
    monkeypatch.setattr(loading, "WRITE_BATCH_SECONDS_POOLED", 3600)
    pooled = f"sqlite:///{tmp_path / 'pooled.sqlite'}"
    assert load([folder], pooled, workers=2, parser=parse).ok
    monkeypatch.setattr(worker, "_build_rows", lambda parsed: None)   # the writer builds the rows
    here = f"sqlite:///{tmp_path / 'here.sqlite'}"
    assert load([folder], here, workers=1, parser=parse).ok
    pooled_rows, here_rows = _all_rows(pooled), _all_rows(here)
    assert sum(len(rows) for rows in pooled_rows.values()) > 1000
    assert sum(1 for row in pooled_rows["visits"] if row.place_id is not None) > 300
    assert pooled_rows == here_rows


#: A document that, while it is parsed, waits until the documents before it are stored (but those handed to
#: its worker in the same task, ``loading.CHUNK_DOCUMENTS``) and 20 after it are parsed: were the loader to
#: wait on it with the workers idle, or keep parsed documents unwritten, it would give up and fail (an error
#: line for that file).
SLOW = "050.txt"
WAIT_SECONDS = 120


def _parse_waiting(source):
    notices = parse(source)
    marks = Path(os.environ["CASEDB_TEST_MARKS"])
    title = notices[0].cases[0].label
    (marks / title).touch()
    if title == os.environ["CASEDB_TEST_SLOW"]:
        engine = create_engine(os.environ["CASEDB_TEST_URL"])
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while True:
                with engine.connect() as connection:
                    stored = connection.execute(text("SELECT count(*) FROM documents")).scalar()
                later = len(list(marks.iterdir())) - 1 - 50
                if stored >= 50 - loading.CHUNK_DOCUMENTS and later >= 20:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"waited in vain: {stored} documents stored, {later} later ones parsed")
                time.sleep(0.02)
        finally:
            engine.dispose()
    return notices


def test_a_slow_document_holds_up_neither_the_workers_nor_the_writes_before_it(tmp_path, monkeypatch):
    folder, marks = tmp_path / "notices", tmp_path / "marks"
    marks.mkdir()
    _write_folder(folder, 120, cases=1)
    url = f"sqlite:///{tmp_path / 'casedb.sqlite'}"
    monkeypatch.setenv("CASEDB_TEST_MARKS", str(marks))
    monkeypatch.setenv("CASEDB_TEST_URL", url)
    monkeypatch.setenv("CASEDB_TEST_SLOW", "病例51")   # the case of 050.txt
    outcomes = []
    summary = load([folder], url, workers=2, parser=_parse_waiting, progress=lambda source, outcome: outcomes.append(
        (Path(source).name, outcome)))
    assert summary.errors == [] and summary.files_new == 120
    assert [name for name, _ in outcomes] == sorted(p.name for p in folder.iterdir())   # written in order
    assert outcomes[50] == (SLOW, "new")


def test_dates_and_booleans_in_rows_are_stored_as_sqlalchemy_would_store_them():
    """Row values go to SQLite unconverted: a date or time is the text SQLAlchemy's processor makes, a bool
    is bound as the integer SQLAlchemy's processor makes."""
    import datetime as dt
    import sqlite3

    from sqlalchemy import Boolean, Date, DateTime
    from sqlalchemy.dialects import sqlite

    from casedb.store import rows as rows_module
    from casedb.store import write

    dialect, memory = sqlite.dialect(), sqlite3.connect(":memory:")
    values = (None, dt.date(2021, 1, 5), dt.date(999, 12, 31), dt.datetime(2021, 1, 5, 10, 0),
              dt.datetime(2021, 1, 5, 10, 0, 3, 7), dt.datetime(5, 1, 1), dt.datetime(2021, 1, 5, tzinfo=dt.timezone.utc))
    for table, columns in ((write.visits_t, write.VISIT_COLUMNS), (write.cases_t, write.CASE_COLUMNS),
                           (write.notices_t, write.NOTICE_COLUMNS)):
        for name in columns:
            column_type = table.c[name].type
            slow = column_type._cached_bind_processor(dialect)
            if isinstance(column_type, DateTime):
                assert [rows_module.datetime_text(v) for v in values] == [slow(v) for v in values], name
            elif isinstance(column_type, Date):
                assert [rows_module.date_text(v) for v in values] == [slow(v) for v in values], name
            elif isinstance(column_type, Boolean):
                for value in (True, False):
                    assert memory.execute("SELECT ?, typeof(?)", (value, value)).fetchone() == (slow(value), "integer")
            else:
                assert slow is None, name


def test_rows_share_one_object_for_each_place_date_and_time():
    """A document's visits to one place (spelt alike), and its rows on one day or at one time, hold one string
    for it: pickle hands it over once. The values are those of each visit."""
    import datetime as dt

    from casedb import records
    from casedb.store.rows import document_rows

    def visit(place):
        return records.Visit(kind="visit", date=dt.date(2022, 4, 2), start=dt.datetime(2022, 4, 2, 20, 0),
                             place="".join(place))   # a new string each time

    cases = [records.Case(label=f"病例{n}", visits=[visit(["茂业天地", "喜茶店"]), visit(["北国超市", "门口"])])
             for n in (1, 2)]
    rows = document_rows("doc", [records.Notice(title="t", city="太原市", published=dt.date(2022, 4, 13),
                                                cases=cases)])
    visits = [row[3:] for row in rows.visits]   # VISIT_ROW
    assert [row[7] for row in visits] == ["茂业天地喜茶店", "北国超市门口"] * 2
    assert visits[0][7] is visits[2][7] and visits[1][7] is visits[3][7]
    assert {id(row[2]) for row in visits} == {id(visits[0][2])} and visits[0][2] == "2022-04-02"
    assert {id(row[4]) for row in visits} == {id(visits[0][4])} and visits[0][4] == "2022-04-02 20:00:00.000000"
    assert list(rows.places) == [("茂业天地喜茶", "太原市"), ("北国超市", "太原市")]
    assert len({row[0] for row in visits}) == 4      # visit keys


def test_a_place_key_and_name_equal_to_the_spelling_are_the_spelling_itself():
    """(pickle then hands the string over once) and are the values ``normalise_place`` gives."""
    from casedb.places import normalise_place
    from casedb.store.rows import place_key, place_row

    spelling = "".join(["北国", "超市"])
    assert place_key(spelling, "太原市") == (normalise_place(spelling, "太原市").key, "太原市")
    assert place_key(spelling, "太原市")[0] is spelling and place_row(spelling, "太原市")[0] is spelling
    assert place_row(spelling, "太原市")[0] == normalise_place(spelling, "太原市").name


DIGEST_OF_A_DOCUMENT = """
import datetime as dt, sys
from casedb import records
from casedb.store.rows import document_rows
places = [sys.argv[1], "北国超市门口", "茂业天地喜茶店"]
cases = [records.Case(label=f"病例{n}", sex="男", age=30 + n, residence="小店区",
                      visits=[records.Visit(kind="visit", date=dt.date(2022, 4, 2), place=place) for place in places])
         for n in (1, 2)]
print(document_rows("doc", [records.Notice(title="t", city="太原市", published=dt.date(2022, 4, 13),
                                           cases=cases)]).digest)
"""


def test_the_rows_digest_follows_the_values_and_is_the_same_in_any_process():
    """``documents.rows_digest`` decides whether a re-parse keeps a document's stored rows: the same rows give the same
    digest in processes with other hash seeds (the set of labels, the places' order), and a changed value another."""
    import subprocess
    import sys

    def digest(first_place: str, seed: str) -> str:
        return subprocess.run([sys.executable, "-c", DIGEST_OF_A_DOCUMENT, first_place], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()

    same = {digest("茂业天地喜茶店", seed) for seed in ("0", "1", "2")}
    assert len(same) == 1 and len(same.pop()) == 32
    assert digest("茂业天地喜茶店二楼", "0") != digest("茂业天地喜茶店", "0")


def test_the_rows_digest_of_values_marshal_cannot_write_is_still_one_of_the_values():
    import datetime as dt

    from casedb.store.parsed import rows_digest

    def digest(day):
        return rows_digest([("t", None, None, "太原市", day)], [], [], [], {})

    assert digest(dt.date(2022, 4, 13)) == digest(dt.date(2022, 4, 13)) != digest(dt.date(2022, 4, 14))
    assert digest("2022-04-13") != digest(dt.date(2022, 4, 13))
