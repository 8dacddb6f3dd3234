"""Issue 19, finding 1: ``casedb sql`` and ``export --where`` are read-only on both databases.

The attack strings are the issue's own: psycopg used to run several statements in one string, so a
``COMMIT; BEGIN READ WRITE; …`` got out of the read-only transaction and deleted rows.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import text

from casedb.cli import main
from casedb.store import connect, load, table_counts

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

SQL_ATTACK = "COMMIT; BEGIN READ WRITE; DELETE FROM relations; COMMIT"
WHERE_ATTACK = "1=1)); COMMIT; BEGIN READ WRITE; DELETE FROM visits; COMMIT; SELECT 1 WHERE ((1=1"


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request, tmp_path) -> str:
    """The seed pages loaded into a database of this test's own (SQLite, then a real PostgreSQL server)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'casedb.sqlite'}"
    else:
        url = request.getfixturevalue("fresh_postgres_url")
    assert load([SEEDS], url, workers=1).ok
    return url


def _invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_sql_runs_one_statement_and_cannot_delete(seeded):
    before = table_counts(connect(seeded))
    assert before["relations"] == 3
    result = _invoke("sql", SQL_ATTACK, "--db", seeded)
    assert result.exit_code == 2, result.output
    assert "one SQL statement" in result.output
    assert table_counts(connect(seeded)) == before


def test_export_where_cannot_delete(seeded, tmp_path):
    before = table_counts(connect(seeded))
    assert before["visits"] == 5
    result = _invoke("export", "--out", str(tmp_path / "share"), "--where", WHERE_ATTACK, "--db", seeded)
    assert result.exit_code == 2, result.output
    assert table_counts(connect(seeded)) == before
    # an honest condition still exports
    result = _invoke("export", "--out", str(tmp_path / "share"), "--where", "age > 20", "--db", seeded)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("where,rows", [
    ("age > 20", None), ("positive_date >= '2022-04-11'", None), ("cases.label = '病例49'", 1),
    ("label LIKE '病例4%' AND NOT sex IS NULL", None), ("lower(label) = '病例49' OR label IN ('病例48', '病例50')", 3),
])
def test_where_is_read_as_a_condition_with_its_literals_bound(seeded, tmp_path, where, rows):
    result = _invoke("export", "--out", str(tmp_path / "share"), "--where", where, "--db", seeded)
    assert result.exit_code == 0, result.output
    if rows is not None:
        assert f"cases: {rows} rows" in result.output


@pytest.mark.parametrize("where,reason", [
    ("id IN (SELECT case_id FROM visits)", "no such column: SELECT"),
    ("age > 20; DELETE FROM visits", "';"),
    ("age > 20 -- and the rest", "'--"),
    ("age > 20 /* a comment */", "'/*"),
    ("age > (20", "not closed"),
    ("pg_sleep(10) IS NULL", "no such column: pg_sleep"),
    ("visits.kind = 'home'", "no such column: visits"),
    ("positive_date >= 'last week'", "is not a date for positive_date"),
])
def test_a_where_that_is_not_a_condition_on_cases_is_refused_before_any_sql(seeded, tmp_path, where, reason):
    result = _invoke("export", "--out", str(tmp_path / "share"), "--where", where, "--db", seeded)
    assert result.exit_code == 2, result.output
    assert reason in result.output and "Traceback" not in result.output


def test_plain_writes_and_a_session_switch_are_refused(seeded):
    before = table_counts(connect(seeded))
    for statement in ("DELETE FROM visits", "UPDATE cases SET age = 1", "DROP TABLE relations"):
        assert _invoke("sql", statement, "--db", seeded).exit_code == 2
    assert table_counts(connect(seeded)) == before
    assert _invoke("sql", "SELECT count(*) FROM cases", "--db", seeded).exit_code == 0


def test_postgres_read_only_survives_a_statement_that_turns_the_session_read_write(fresh_postgres_url):
    """One statement may change the session's default (set_config); the next transaction is still read-only."""
    assert load([SEEDS], fresh_postgres_url, workers=1).ok
    engine = connect(fresh_postgres_url, read_only=True)
    with engine.connect() as connection:
        assert connection.execute(text("SHOW transaction_read_only")).scalar() == "on"
        connection.execute(text("SELECT set_config('default_transaction_read_only', 'off', false)"))
        connection.commit()
        with pytest.raises(Exception, match="read-only transaction"):
            connection.execute(text("DELETE FROM visits"))
        connection.rollback()
        connection.execute(text("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"))
        connection.commit()
        with pytest.raises(Exception, match="read-only transaction"):
            connection.execute(text("DELETE FROM visits"))
    assert table_counts(connect(fresh_postgres_url))["visits"] == 5


_SEPARATORS = st.sampled_from([";", "; ", ";\n", " ;\t", ";/* x */", ";--\n"])
_PREFIXES = st.sampled_from(["SELECT 1", "COMMIT", "ROLLBACK", "END", "SELECT count(*) FROM cases", ""])
_ESCAPES = st.sampled_from(["BEGIN READ WRITE", "START TRANSACTION READ WRITE",
                            "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
                            "SET default_transaction_read_only = off", "SET transaction_read_only = off"])
_WRITES = st.sampled_from(["DELETE FROM relations", "DELETE FROM visits", "UPDATE cases SET age = 0",
                           "INSERT INTO places (name, normalised_name, city) VALUES ('x', 'x', 'x')",
                           "DROP TABLE relations", "TRUNCATE visits CASCADE"])


@pytest.fixture(scope="module")
def seeded_postgres(postgres_server) -> str:
    url = postgres_server.create_database("casedb_read_only")
    assert load([SEEDS], url, workers=1).ok
    return url


@pytest.mark.postgres
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=_PREFIXES, escape=_ESCAPES, write=_WRITES, sep=_SEPARATORS, as_where=st.booleans())
def test_no_chain_of_statements_writes_to_postgres(seeded_postgres, tmp_path, prefix, escape, write, sep, as_where):
    postgres_url = seeded_postgres
    engine = connect(postgres_url)
    before = table_counts(engine)
    chain = sep.join(part for part in (prefix, "COMMIT", escape, write, "COMMIT") if part)
    if as_where:
        result = _invoke("export", "--out", str(tmp_path / "share"), "--db", postgres_url,
                         "--where", f"1=1)){sep}{chain}{sep}SELECT 1 WHERE ((1=1")
    else:
        result = _invoke("sql", chain, "--db", postgres_url)
    assert result.exit_code == 2, result.output
    assert table_counts(engine) == before
