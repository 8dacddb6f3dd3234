"""Alembic environment: casedb passes its own connection (``casedb.store.upgrade``); the
``alembic`` command line works too, with ``-x url=...`` or ``$CASEDB_URL``."""
from alembic import context
from sqlalchemy import Connection

from casedb.store.engine import connect, migration_transaction
from casedb.store.models import metadata

config = context.config
target_metadata = metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = connect(url)
    with migration_transaction(engine) as connection:
        run_with(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("casedb migrations run online only: casedb db upgrade")
run_online()
