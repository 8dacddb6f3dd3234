"""Hostile text in a notice: SQL is stored as text, HTML is escaped in Datasette, escapes are shown inert.

The notice's title ends in ``'; DROP TABLE cases; --``, a place is ``<script>alert(1)</script>广场``
and an activity carries a terminal escape sequence (ESC[2J clears the screen).
"""
from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from casedb.cli import main
from casedb.store import connect, table_counts
from casedb.terminal import printable

SQL = "'; DROP TABLE cases; --"
SCRIPT = "<script>alert(1)</script>"
ESCAPE = "\x1b[2J"
NOTICE = (f"关于病例活动轨迹的通告{SQL}\n"
          f"病例1：男，34岁。4月3日10:00到{SCRIPT}广场就餐{ESCAPE}。\n"
          f"病例2：女，30岁，系病例1的妻子。4月3日在{SQL}超市购物。\n"
          "2022年4月5日\n")


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def hostile_db(tmp_path, db_url) -> str:
    path = tmp_path / "hostile.txt"
    path.write_text(NOTICE, encoding="utf-8")
    result = cli("load", str(path), "--db", db_url, "--workers", "1")
    assert result.exit_code == 0, result.output
    return db_url


def test_sql_and_html_are_stored_as_text(hostile_db):
    engine = connect(hostile_db)
    assert table_counts(engine)["cases"] == 2
    with engine.connect() as connection:
        document = connection.execute(text("SELECT text FROM documents")).scalar_one()
        title = connection.execute(text("SELECT title FROM notices")).scalar_one()
        places = set(connection.execute(text("SELECT place_text FROM visits")).scalars())
        activities = set(connection.execute(text("SELECT activity FROM visits")).scalars())
    assert SCRIPT in document and ESCAPE in document and "DROP TABLE cases" in document
    assert "DROP TABLE cases" in title
    assert f"{SCRIPT}广场" in places
    assert any(ESCAPE in (activity or "") for activity in activities)


def test_cli_shows_the_text_with_escapes_made_visible(hostile_db, tmp_path):
    shown = cli("show", "病例1", "--db", hostile_db).output
    assert SCRIPT in shown and "\\x1b[2J" in shown and "\x1b" not in shown
    table = cli("sql", "SELECT title, text FROM notices JOIN documents ON documents.id = notices.document_id",
                "--db", hostile_db).output
    assert "DROP TABLE cases" in table and "\x1b" not in table
    (tmp_path / "again.txt").write_text(NOTICE, encoding="utf-8")
    extracted = cli("extract", str(tmp_path / "again.txt")).output
    assert SCRIPT in extracted and "\x1b" not in extracted


def test_printable_escapes_control_and_bidi_characters_only():
    assert printable("病例1\t男\n" + SCRIPT + SQL) == "病例1\t男\n" + SCRIPT + SQL
    assert printable("a\x1b[2Jb\rc\x08d\u202ee\x9b") == "a\\x1b[2Jb\\x0dc\\x08d\\u202ee\\x9b"


def test_datasette_escapes_html(tmp_path):
    datasette = pytest.importorskip("datasette.app")
    path = tmp_path / "casedb.sqlite"
    (tmp_path / "hostile.txt").write_text(NOTICE, encoding="utf-8")
    assert cli("load", str(tmp_path / "hostile.txt"), "--db", str(path), "--workers", "1").exit_code == 0

    async def visits_page() -> str:
        response = await datasette.Datasette([str(path)]).client.get("/casedb/visits")
        return response.text

    page = asyncio.run(visits_page())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and SCRIPT not in page


def test_junk_longer_than_its_columns_is_stored(tmp_path, db_url):
    """OCR runs without punctuation make 'places' and notice numbers thousands of characters long;
    PostgreSQL (unlike SQLite) refuses a value wider than its column, which used to lose the document."""
    path = tmp_path / "junk.txt"
    path.write_text(f"关于病例活动轨迹的通告\n（2022年第{'9' * 100}号）\n"
                    f"病例1：男，30岁。4月3日10:00到{'大' * 3000}超市购物。\n", encoding="utf-8")
    result = cli("load", str(path), "--db", db_url, "--workers", "1")
    assert result.exit_code == 0, result.output
    with connect(db_url).connect() as connection:
        (place_text,) = connection.execute(text("SELECT place_text FROM visits")).scalars()
        (name,) = connection.execute(text("SELECT normalised_name FROM places")).scalars()
        (number,) = connection.execute(text("SELECT number FROM notices")).scalars()
    assert len(place_text) > 3000 and 0 < len(name) <= 512
    assert number is None or len(number) <= 64


def test_nul_characters_are_dropped_so_both_databases_store_the_notice(tmp_path, db_url):
    """UTF-16 text can carry U+0000, which PostgreSQL text cannot hold."""
    path = tmp_path / "nul.txt"
    path.write_bytes("关于病例活动轨迹的通告\n病例1：男，30岁。4月3日10:00到超市\x00购物。\n".encode("utf-16"))
    result = cli("load", str(path), "--db", db_url, "--workers", "1")
    assert result.exit_code == 0, result.output
    with connect(db_url).connect() as connection:
        assert "超市购物" in connection.execute(text("SELECT text FROM documents")).scalar_one()
