"""(Re)build ``casedb/data/sqlite_schema.sql``: the schema the migrations create in an empty SQLite file.

:func:`casedb.store.engine.ensure_schema` gives a new SQLite database these statements when the file's first line
names the newest revision, instead of running every revision; at any other revision the migrations run as before.
The migrations stay the source of truth: the file is what they create (the tables and indexes as ``sqlite_master``
holds them, in its order, and the ``alembic_version`` row), rebuilt after a new revision is added.

    python scripts/build_sqlite_schema.py            # writes casedb/data/sqlite_schema.sql
    python scripts/build_sqlite_schema.py --check    # exit status 1 if the file is not what the migrations create
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from casedb.store.engine import SQLITE_SCHEMA, SQLITE_SCHEMA_SEPARATOR, connect, sqlite_schema, upgrade

OUT = Path(__file__).resolve().parent.parent / "casedb" / "data" / "sqlite_schema.sql"


def built() -> str:
    """The file's text: the schema of an empty SQLite file upgraded to the newest revision."""
    with tempfile.TemporaryDirectory() as folder:
        engine = connect(str(Path(folder) / "schema.sqlite"))
        upgrade(engine)
        with engine.connect() as connection:
            statements = sqlite_schema(connection)
            revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one()
        engine.dispose()
    assert not any(SQLITE_SCHEMA_SEPARATOR in statement for statement in statements)
    return (f"-- revision {revision}: the schema the migrations create in an empty SQLite file "
            f"(scripts/build_sqlite_schema.py; do not edit)\n" + SQLITE_SCHEMA_SEPARATOR.join(statements) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit status 1 if the file is out of date")
    text = built()
    if parser.parse_args().check:
        current = SQLITE_SCHEMA.read_text(encoding="utf-8") if SQLITE_SCHEMA.is_file() else ""
        print("up to date" if current == text else f"{OUT} is out of date: run scripts/build_sqlite_schema.py")
        return 0 if current == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
