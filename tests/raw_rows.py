"""Rows written with plain SQL, for migration tests that fill a database at an older revision."""
import sqlalchemy as sa

STORED_AT = "2022-04-13 00:00:00"


def insert_document(connection) -> None:
    """Document 1, as every revision since 0001 stores it."""
    connection.execute(sa.text(
        "INSERT INTO documents (id, source, sha256, size_bytes, encoding, media_type, text, first_seen,"
        " changed_at, last_seen, source_present, parser_version)"
        " VALUES (1, '/a.txt', 'x', 1, 'utf-8', 'text/plain', 't', :now, :now, :now, true, 'v')"), {"now": STORED_AT})
