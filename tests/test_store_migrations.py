"""The same alembic revisions create, upgrade and drop the schema on SQLite and PostgreSQL."""
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from casedb.store import connect, current_revision, downgrade, head_revision, upgrade
from casedb.store.models import Base
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
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
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


def test_sqlite_connection_settings(sqlite_url):
    engine = connect(sqlite_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000


def test_head_revision_agrees_with_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from casedb.store.engine import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()
