"""casedb's alembic migrations, installed as the package ``casedb.migrations`` (see setup.py)."""
