"""The same alembic revisions create, upgrade and drop the schema on SQLite and PostgreSQL."""
import sqlite3
import threading

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from casedb.store import connect, current_revision, downgrade, ensure_schema, head_revision, upgrade
from casedb.store import engine as store_engine
from casedb.store.engine import read_sqlite_schema, sqlite_schema
from casedb.store.models import metadata
from tests.raw_rows import insert_document

MAIN_TABLES = {"documents", "document_versions", "import_runs", "notices", "cases", "persons", "places",
               "visits", "relations"}


def _tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_creates_exactly_the_models(db_url):
    engine = connect(db_url)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert _tables(engine) == MAIN_TABLES
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_downgrade_step_by_step_and_back(db_url):
    engine = connect(db_url)
    upgrade(engine)
    downgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "persons" not in _tables(engine)
    assert "person_id" not in {column["name"] for column in sa.inspect(engine).get_columns("cases")}
    downgrade(engine, "base")
    assert current_revision(engine) is None and _tables(engine) == set()
    upgrade(engine)
    assert _tables(engine) == MAIN_TABLES


def test_persons_revisions_link_cases_already_stored(db_url):
    engine = connect(db_url)
    upgrade(engine, "0001")
    with engine.begin() as connection:
        insert_document(connection)
        notices = ((1, "太原市", "2022-04-13"), (2, "太原市", "2022-04-20"), (3, "西安市", "2022-04-13"),
                   (4, "太原市", "2021-01-05"), (5, "太原市", None))
        for notice_id, city, published in notices:
            connection.execute(sa.text(
                "INSERT INTO notices (id, document_id, city, published, year_in_text, parser_version)"
                " VALUES (:id, 1, :city, :published, true, 'v')"),
                {"id": notice_id, "city": city, "published": published})
            connection.execute(sa.text(
                "INSERT INTO cases (id, notice_id, document_id, label, series, number, parser_version)"
                " VALUES (:id, :id, 1, '病例9', 'case', 9, 'v')"), {"id": notice_id})
        connection.execute(sa.text("INSERT INTO visits (case_id, notice_id, document_id, kind, parser_version)"
                                   " VALUES (1, 1, 1, 'home', 'v')"))
        connection.execute(sa.text(
            "INSERT INTO relations (case_id, document_id, other_label, other_case_id, kind, parser_version)"
            " VALUES (2, 1, '病例9', 1, 'spouse', 'v')"))

    def person_of() -> dict[int, int | None]:
        with engine.connect() as connection:
            return dict(connection.execute(sa.text("SELECT id, person_id FROM cases")).all())

    upgrade(engine, "0002")  # (city, series, number)
    by_city = person_of()
    assert by_city[1] == by_city[2] == by_city[4] == by_city[5] is not None and by_city[3] != by_city[1]
    upgrade(engine)          # (city, year, series, number); no person without a date
    by_year = person_of()
    assert by_year[1] == by_year[2] is not None
    assert len({by_year[1], by_year[3], by_year[4]}) == 3 and by_year[5] is None
    downgrade(engine, "0003")
    assert person_of() == by_city
    with engine.connect() as connection:  # re-creating cases in batch mode must not cascade
        assert connection.execute(sa.text("SELECT count(*) FROM visits")).scalar() == 1
        assert connection.execute(sa.text("SELECT other_case_id FROM relations")).scalar() == 1


def test_a_new_sqlite_file_gets_the_schema_the_migrations_create(tmp_path):
    """``ensure_schema`` gives an empty SQLite file the statements of ``casedb/data/sqlite_schema.sql``: they are
    what the migrations create now (else run scripts/build_sqlite_schema.py), and the revisions' downgrades undo
    them."""
    migrated, created = connect(str(tmp_path / "migrated.sqlite")), connect(str(tmp_path / "created.sqlite"))
    upgrade(migrated)
    ensure_schema(created)
    with migrated.connect() as connection:
        schema = sqlite_schema(connection)
    assert read_sqlite_schema() == (head_revision(), schema)
    with created.connect() as connection:
        assert sqlite_schema(connection) == schema
    assert current_revision(created) == head_revision()
    downgrade(created, "base")
    assert _tables(created) == set()
    upgrade(created)
    with created.connect() as connection:
        assert sqlite_schema(connection) == schema


def test_the_schema_file_at_another_revision_is_not_used(tmp_path, monkeypatch):
    """Should the file not be at the newest revision (a revision added, the file not rebuilt), a new file is migrated."""
    old = tmp_path / "sqlite_schema.sql"
    old.write_text("-- revision 0001: an older schema\nCREATE TABLE stale (id INTEGER)", encoding="utf-8")
    monkeypatch.setattr(store_engine, "SQLITE_SCHEMA", old)
    engine = connect(str(tmp_path / "casedb.sqlite"))
    ensure_schema(engine)
    assert current_revision(engine) == head_revision()
    assert _tables(engine) == MAIN_TABLES


def test_a_sqlite_file_that_holds_other_tables_is_migrated(tmp_path):
    """The schema file is only for an empty file: casedb's tables are added beside others by the migrations."""
    engine = connect(str(tmp_path / "casedb.sqlite"))
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    ensure_schema(engine)
    assert _tables(engine) == MAIN_TABLES | {"notes"}
    assert current_revision(engine) == head_revision()


def test_sqlite_connection_settings(sqlite_url):
    engine = connect(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000


def test_opening_a_new_sqlite_file_waits_while_another_process_writes_it(tmp_path):
    """The switch to WAL journaling reads the header and then writes it, and SQLite does not wait for that lock by
    itself: a second loader opening a new database while the first created its tables failed with "database is
    locked" (seen once in CI, in tests/test_concurrency.py). Here another connection holds the write lock of a file
    still in rollback mode; opening the database must wait for its commit and then see its table."""
    path = tmp_path / "new.sqlite"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE written_first (x)")
    commit = threading.Timer(0.3, other.execute, ("COMMIT",))
    commit.start()
    try:
        with connect(f"sqlite:///{path}").connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert sa.inspect(connection).get_table_names() == ["written_first"]
    finally:
        commit.join()
        other.close()


def test_head_revision_agrees_with_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from casedb.store.engine import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


#: (case id, document id, number, sex, age) of cases of 太原市 notices of 2022-04-13, in the order written.
GUARDED_CASES = ((1, 1, 9, "男", 30), (2, 2, 9, "男", 31), (3, 3, 9, "女", 30), (4, 3, 9, None, 45),
                 (5, 4, 9, None, None), (6, 5, 9, "男", 32), (7, 6, 10, "男", 20), (8, 6, 10, "女", 20),
                 (9, 7, 10, "男", None))
#: Cases the writer does not link: 3 (another sex than 1), 4 (45 is not 30), 6 (32 is more than a year
#: from 1's 30, though within a year of 2's 31). 7 and 8 share a document (the writer does not check them
#: against each other) and 9 agrees with 7 but not with 8.
UNLINKED = {3, 4, 6, 9}


def _store_guarded_cases(engine) -> None:
    """GUARDED_CASES written as plain rows at revision 0001, one notice (and document) each."""
    with engine.begin() as connection:
        insert_document(connection)
        for document_id in range(2, 8):
            connection.execute(sa.text(
                "INSERT INTO documents (id, source, sha256, size_bytes, encoding, media_type, text, first_seen,"
                " changed_at, last_seen, source_present, parser_version)"
                " SELECT :id, :source, sha256, size_bytes, encoding, media_type, text, first_seen, changed_at,"
                " last_seen, source_present, parser_version FROM documents WHERE id = 1"),
                {"id": document_id, "source": f"/{document_id}.txt"})
        for case_id, document_id, number, sex, age in GUARDED_CASES:
            connection.execute(sa.text(
                "INSERT INTO notices (id, document_id, city, published, year_in_text, parser_version)"
                " VALUES (:id, :document, '太原市', '2022-04-13', true, 'v')"), {"id": case_id, "document": document_id})
            connection.execute(sa.text(
                "INSERT INTO cases (id, notice_id, document_id, label, series, number, sex, age, parser_version)"
                " VALUES (:id, :id, :document, :label, 'case', :number, :sex, :age, 'v')"),
                {"id": case_id, "document": document_id, "label": f"病例{number}", "number": number, "sex": sex,
                 "age": age})


def _persons(engine) -> dict[int, int | None]:
    with engine.connect() as connection:
        return dict(connection.execute(sa.text("SELECT id, person_id FROM cases")).all())


def test_revision_0004_links_persons_with_the_writers_sex_and_age_guard(db_url):
    engine = connect(db_url)
    upgrade(engine, "0001")
    _store_guarded_cases(engine)
    upgrade(engine, "0004")
    persons = _persons(engine)
    assert {case for case, person in persons.items() if person is None} == UNLINKED
    assert persons[1] == persons[2] == persons[5] and persons[7] == persons[8] != persons[1]
    downgrade(engine, "0003")   # persons by (city, series, number): the same guard
    assert {case for case, person in _persons(engine).items() if person is None} == UNLINKED
    upgrade(engine)
    assert _same_persons(_persons(engine), persons)


def _same_persons(persons: dict, others: dict) -> bool:
    """The same cases unlinked and the same cases sharing a person, whatever the persons' ids."""
    def groups(links):
        by_person = {}
        for case, person in links.items():
            by_person.setdefault(person, set()).add(case)
        return {frozenset(cases) if person is not None else ("none", frozenset(cases))
                for person, cases in by_person.items()}
    return groups(persons) == groups(others)


def test_revision_0009_repairs_links_made_without_the_guard(db_url):
    """A database that ran revision 0004 before it had the guard: every case linked to its person."""
    engine = connect(db_url)
    upgrade(engine, "0001")
    _store_guarded_cases(engine)
    upgrade(engine, "0008")
    with engine.begin() as connection:   # what 0004 did then
        connection.execute(sa.text(
            "UPDATE cases SET person_id = (SELECT p.id FROM persons p WHERE p.number = cases.number)"))
    wrong = _persons(engine)
    assert None not in wrong.values()
    upgrade(engine)
    repaired = _persons(engine)
    assert {case for case, person in repaired.items() if person is None} == UNLINKED
    assert all(repaired[case] == wrong[case] for case in repaired if case not in UNLINKED)
    downgrade(engine, "0008")   # nothing to undo: the wrong links are not made again
    assert _persons(engine) == repaired
    upgrade(engine)
    assert _persons(engine) == repaired


def test_the_revisions_guard_is_the_writers(tmp_path, db_url):
    """Cases the writer linked (or not) to persons: re-linking them in revision 0004 and repairing in 0009
    give the same persons."""
    from casedb.store import load
    from tests.toy_notices import notice_text, parse

    documents = [["CASE 病例9 case 9 男 30"], ["CASE 病例9 case 9 男 31"], ["CASE 病例9 case 9 女 30", "CASE 病例9 case 9 男 45"],
                 ["CASE 病例9 case 9 男 32"], ["CASE 病例10 case 10 男 20", "CASE 病例10 case 10 女 20"],
                 ["CASE 病例10 case 10 女 21"]]
    for number, cases in enumerate(documents):
        (tmp_path / f"{number}.txt").write_text("".join(notice_text("太原市", "2022-04-13", case) for case in cases),
                                                encoding="utf-8")
        assert load([tmp_path / f"{number}.txt"], db_url, parser=parse, workers=1).ok   # one at a time, in order
    engine = connect(db_url)
    written = _persons(engine)
    assert [case for case, person in sorted(written.items()) if person is None] == [3, 4, 5, 8]
    assert written[6] == written[7] is not None   # one document: not checked against each other
    downgrade(engine, "0003")
    upgrade(engine)                     # 0004 links again, 0009 checks
    assert _same_persons(_persons(engine), written)
    downgrade(engine, "0008")
    with engine.begin() as connection:  # as 0004 linked them before it had the guard
        connection.execute(sa.text(
            "UPDATE cases SET person_id = (SELECT p.id FROM persons p WHERE p.number = cases.number)"))
    upgrade(engine)
    assert _same_persons(_persons(engine), written)
